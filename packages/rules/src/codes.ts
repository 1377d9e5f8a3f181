export type Severity = 'error' | 'warning' | 'info' | 'ok';

export interface CodeInfo {
  severity: Severity;
  title: string;
  /** The fix, in words a support ticket can carry. */
  remedy: string;
}

/**
 * The public diagnosis codes. They are stable: reports, JSON consumers and docs/diagnoses.md
 * name them; a code is never renamed or reused for another meaning.
 */
export const CODES = {
  HANDSHAKE_OK: { severity: 'ok', title: 'TLS handshake completed', remedy: 'Nothing to fix in the handshake.' },
  TCP_TIMEOUT: {
    severity: 'error',
    title: 'No answer to the TCP SYN',
    remedy: 'Open TCP port 443 inbound in the cloud security group and in the host firewall (e.g. `firewall-cmd --add-port=443/tcp --permanent`), and check that the server listens on the address (`ss -ltn`).',
  },
  TCP_REFUSED: {
    severity: 'error',
    title: 'Connection refused: nothing listens on the port',
    remedy: 'Start the server or make it listen on this address and port (`ss -ltn`; nginx: `listen 443 ssl;` on the right address), then check that the port forwarding or load balancer points at it.',
  },
  TCP_UNREACHABLE: {
    severity: 'error',
    title: 'ICMP destination unreachable for the connection',
    remedy: 'A firewall on the path or on the host rejects the connection (iptables/nftables REJECT, cloud ACL). Allow TCP 443 to the server, or fix the route if the host is unreachable.',
  },
  TCP_RESET: {
    severity: 'error',
    title: 'Connection reset before TLS began',
    remedy: 'Something on the path or on the server resets the connection right after it opens: check load balancers, connection limits and firewalls.',
  },
  RESET_AFTER_CLIENT_HELLO: {
    severity: 'error',
    title: 'Connection reset right after the ClientHello',
    remedy: 'A reset in answer to the ClientHello, before any server answer, is the signature of SNI-based interception: a cloud provider enforcing ICP filing (备案) for the domain, or national SNI filtering. Run `tlsdoctor probe HOST` from an affected network: if the same address answers a ClientHello without SNI or with another name, the SNI is being filtered. To fix it, complete the ICP filing with the provider that hosts the server (or transfer it), or serve the domain from outside the enforcing network. No server setting can fix it.',
  },
  SNI_FILTERED: {
    severity: 'error',
    title: 'The server name (SNI) is filtered on the path',
    remedy: 'The ClientHello with this name is reset or dropped, while the same address answers other names: SNI-based interception such as ICP-filing enforcement (备案) at the cloud provider, or national filtering. Complete the ICP filing with the provider that hosts the server (a filing with another provider must be transferred), or serve the domain from a network that does not filter it. No server setting can fix it.',
  },
  NO_SERVER_HELLO: {
    severity: 'error',
    title: 'The server never answered the ClientHello',
    remedy: 'The port accepts TCP but nothing there answers TLS: check that the service on the port is the TLS server (not an app or proxy waiting for plain text), that it is not overloaded, and that no middlebox drops the ClientHello (try `tlsdoctor probe` with and without SNI).',
  },
  PLAINTEXT_HTTP_ON_TLS_PORT: {
    severity: 'error',
    title: 'The server answered the ClientHello in plain HTTP',
    remedy: 'The port speaks HTTP without TLS. For nginx, add `ssl` to the listen directive (`listen 443 ssl;`, and `http2` as needed) with `ssl_certificate` and `ssl_certificate_key` in that server block.',
  },
  NOT_TLS: {
    severity: 'error',
    title: 'The answer on the port is not TLS',
    remedy: 'Another protocol answers on this port. Point the client at the TLS port, or put the TLS server on this one.',
  },
  PROTOCOL_VERSION_MISMATCH: {
    severity: 'error',
    title: 'No TLS version in common',
    remedy: 'Enable TLS 1.2 and TLS 1.3 on the server (nginx: `ssl_protocols TLSv1.2 TLSv1.3;`). Old servers that only speak TLS 1.0/1.1 fail with current clients; clients limited to old versions fail with current servers.',
  },
  NO_SHARED_CIPHER: {
    severity: 'error',
    title: 'No cipher suite in common',
    remedy: 'Offer a current cipher list on the server (Mozilla "intermediate": ECDHE with AES-GCM or ChaCha20-Poly1305), and make sure the certificate key type (RSA or ECDSA) matches the suites offered.',
  },
  TLS_ALERT: { severity: 'error', title: 'Fatal TLS alert during the handshake', remedy: 'The alert names what the sender rejected; see its description in the evidence.' },
  CLIENT_ABORTED: {
    severity: 'error',
    title: 'The client gave up after the server\'s handshake messages',
    remedy: 'In TLS 1.3 the certificate and the client\'s alert are encrypted, so a capture cannot show the reason. The most likely cause is that the client rejected the certificate (expired, wrong name, untrusted, incomplete chain). Run `tlsdoctor probe HOST` to fetch and check the chain.',
  },
  CERT_EXPIRED: { severity: 'error', title: 'The certificate has expired', remedy: 'Renew the certificate and reload the server (for ACME clients, check that the renewal job runs and that nginx is reloaded afterwards). Also check the client\'s clock.' },
  CERT_NOT_YET_VALID: { severity: 'error', title: 'The certificate is not valid yet', remedy: 'Check the clocks: the client\'s (or the capture host\'s) clock is behind, or the certificate was issued with a future start date.' },
  CERT_EXPIRING_SOON: { severity: 'warning', title: 'The certificate expires soon', remedy: 'Renew the certificate before it expires and make sure renewal is automatic.' },
  CERT_HOSTNAME_MISMATCH: { severity: 'error', title: 'The certificate does not cover the server name', remedy: 'Install a certificate whose subjectAltName lists this host name (clients ignore the CN), or fix `server_name`/SNI routing so this name gets the right certificate.' },
  CERT_SELF_SIGNED: { severity: 'error', title: 'The certificate is self-signed', remedy: 'Use a certificate from a public CA (e.g. Let\'s Encrypt); mini-program runtimes and iOS reject self-signed certificates outright.' },
  CERT_UNTRUSTED: { severity: 'error', title: 'The certificate is not trusted by the client', remedy: 'Use a certificate from a CA in the clients\' trust stores, or add the private CA to the clients that must trust it.' },
  CERT_CHAIN_INCOMPLETE: {
    severity: 'error',
    title: 'The server does not send the intermediate certificate',
    remedy: 'Install the full chain: leaf first, then the intermediates (nginx: `ssl_certificate fullchain.pem;`). Browsers may hide this by fetching the intermediate; Node, curl, Java, Android apps and mini-programs do not.',
  },
  DEPRECATED_PROTOCOL: { severity: 'warning', title: 'A deprecated protocol version is in use', remedy: 'Disable SSL 3.0, TLS 1.0 and TLS 1.1 (RFC 8996) and enable TLS 1.2 and 1.3 (nginx: `ssl_protocols TLSv1.2 TLSv1.3;`).' },
  CAPTURE_PARTIAL: { severity: 'info', title: 'Only part of the connection is in the capture', remedy: 'Capture from before the connection starts until it ends (e.g. `tcpdump -i any -w cap.pcap port 443`, started before the client connects) to see the whole handshake.' },
  DNS_NO_ADDRESS: { severity: 'error', title: 'The name has no address', remedy: 'Add A (and AAAA) records for the name, or fix the name in the client.' },
  DNS_ERROR: { severity: 'error', title: 'The name could not be resolved', remedy: 'Check the name and the resolver; the resolver\'s error is in the evidence.' },
  HTTP_NO_REDIRECT: { severity: 'warning', title: 'Port 80 does not redirect to https', remedy: 'Redirect plain HTTP to https on the same host (nginx: `return 301 https://$host$request_uri;` in the port-80 server).' },
  HSTS_MISSING: { severity: 'info', title: 'No HSTS header', remedy: 'Send `Strict-Transport-Security: max-age=31536000` on https responses once https works everywhere on the domain (nginx: `add_header Strict-Transport-Security "max-age=31536000" always;`).' },
  WEBSOCKET_UPGRADE_FAILED: {
    severity: 'error',
    title: 'The WebSocket upgrade failed through the server',
    remedy: 'The proxy does not pass the upgrade. For nginx, in the location that proxies the WebSocket: `proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade;` with `map $http_upgrade $connection_upgrade { default upgrade; \'\' close; }` in the http block.',
  },
  DOMAIN_NOT_ALLOWED: { severity: 'error', title: 'The client profile does not allow this domain', remedy: 'For a WeChat mini-program: add the domain to the request (or socket) domain list in the mini-program admin console; use a domain name with an ICP filing, not an IP address.' },
  PROBE_ERROR: { severity: 'error', title: 'The probe could not run', remedy: 'See the evidence for the local error.' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

export interface Finding {
  code: Code;
  severity: Severity;
  title: string;
  /** Facts from the wire that support the finding, one per line. */
  evidence: string[];
  remedy: string;
}

export function finding(code: Code, evidence: string[], overrides: Partial<Pick<Finding, 'title' | 'remedy' | 'severity'>> = {}): Finding {
  const info: CodeInfo = CODES[code];
  return { code, severity: overrides.severity ?? info.severity, title: overrides.title ?? info.title, evidence, remedy: overrides.remedy ?? info.remedy };
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2, ok: 3 };
export function worst(severities: Severity[]): Severity {
  return severities.reduce<Severity>((a, b) => (ORDER[b] < ORDER[a] ? b : a), 'ok');
}
