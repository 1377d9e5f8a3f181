// One host per fault. The client namespace's hosts file names each one; tests and fixtures
// read this table, so a scenario added here is picked up by both.
//
// Addresses come from 198.18.0.0/15 (RFC 2544, set aside for benchmarking networks) and the
// ULA fd7d::/16, and exist only inside the lab's namespaces.
import { createHash } from 'node:crypto';

export const NET = {
  clientV4: '198.18.1.2',
  mboxClientV4: '198.18.1.1',
  mboxServerV4: '198.18.2.1',
  clientV6: 'fd7d:1::2',
  mboxClientV6: 'fd7d:1::1',
  mboxServerV6: 'fd7d:2::1',
};

/**
 * kind: how the server side is made. `expect.probe` and `expect.pcap` are the codes that
 * `tlsdoctor probe` and `tlsdoctor pcap` must name as the primary diagnosis; `expect.netlog`, the
 * code `tlsdoctor netlog` must name from headless Chromium's NetLog of the host (its first TCP
 * connection, or QUIC session, or request: lab/record-netlogs.mjs, which records them).
 */
export const SCENARIOS = [
  { host: 'good.lab.test', v4: '198.18.2.10', v6: 'fd7d:2::10', kind: 'nginx', cert: 'good', protocols: 'TLSv1.2 TLSv1.3', redirect: true, hsts: true,
    expect: { probe: 'HANDSHAKE_OK', pcap: 'HANDSHAKE_OK', netlog: 'HANDSHAKE_OK' } },
  { host: 'blocked.lab.test', v4: '198.18.2.10', kind: 'middlebox-sni-reset',
    expect: { probe: 'SNI_FILTERED', pcap: 'RESET_AFTER_CLIENT_HELLO', netlog: 'RESET_AFTER_CLIENT_HELLO' } },
  { host: 'plain.lab.test', v4: '198.18.2.11', kind: 'nginx', plain: true,
    expect: { probe: 'PLAINTEXT_HTTP_ON_TLS_PORT', pcap: 'PLAINTEXT_HTTP_ON_TLS_PORT', netlog: 'PLAINTEXT_HTTP_ON_TLS_PORT' } },
  { host: 'tls10.lab.test', v4: '198.18.2.12', kind: 'nginx', cert: 'good', protocols: 'TLSv1', redirect: true,
    expect: { probe: 'PROTOCOL_VERSION_MISMATCH', probeAlso: ['DEPRECATED_PROTOCOL'], pcap: 'PROTOCOL_VERSION_MISMATCH', netlog: 'PROTOCOL_VERSION_MISMATCH' } },
  { host: 'tls13.lab.test', v4: '198.18.2.13', kind: 'nginx', cert: 'good', protocols: 'TLSv1.3', redirect: true, hsts: true,
    expect: { probe: 'HANDSHAKE_OK', pcap: 'HANDSHAKE_OK' } },
  { host: 'expired.lab.test', v4: '198.18.2.14', kind: 'nginx', cert: 'expired', protocols: 'TLSv1.2', redirect: true,
    expect: { probe: 'CERT_EXPIRED', pcap: 'CERT_EXPIRED', netlog: 'CERT_EXPIRED' } },
  { host: 'expired13.lab.test', v4: '198.18.2.15', kind: 'nginx', cert: 'expired', protocols: 'TLSv1.3', redirect: true,
    expect: { probe: 'CERT_EXPIRED', pcap: 'CLIENT_ABORTED', netlog: 'CERT_EXPIRED' } },
  { host: 'wrongname.lab.test', v4: '198.18.2.16', kind: 'nginx', cert: 'wrongname', protocols: 'TLSv1.2', redirect: true,
    expect: { probe: 'CERT_HOSTNAME_MISMATCH', pcap: 'CERT_HOSTNAME_MISMATCH', netlog: 'CERT_HOSTNAME_MISMATCH' } },
  { host: 'selfsigned.lab.test', v4: '198.18.2.17', kind: 'nginx', cert: 'selfsigned', protocols: 'TLSv1.2', redirect: true,
    expect: { probe: 'CERT_SELF_SIGNED', pcap: 'CERT_SELF_SIGNED', netlog: 'CERT_SELF_SIGNED' } },
  { host: 'nochain.lab.test', v4: '198.18.2.18', kind: 'nginx', cert: 'good', leafOnly: true, protocols: 'TLSv1.2', redirect: true,
    expect: { probe: 'CERT_CHAIN_INCOMPLETE', pcap: 'CERT_CHAIN_INCOMPLETE', netlog: 'CERT_CHAIN_INCOMPLETE' } },
  { host: 'noredirect.lab.test', v4: '198.18.2.19', kind: 'nginx', cert: 'good', protocols: 'TLSv1.2 TLSv1.3', redirect: false,
    expect: { probe: 'HANDSHAKE_OK', probeAlso: ['HTTP_NO_REDIRECT'], probeNot: ['HTTP_PORT_CLOSED'], pcap: 'HANDSHAKE_OK' } },
  { host: 'closed.lab.test', v4: '198.18.2.20', kind: 'middlebox-drop',
    expect: { probe: 'TCP_TIMEOUT', pcap: 'TCP_TIMEOUT', netlog: 'TCP_TIMEOUT' } },
  { host: 'rejected.lab.test', v4: '198.18.2.21', kind: 'middlebox-icmp',
    expect: { probe: 'TCP_UNREACHABLE', pcap: 'TCP_UNREACHABLE', netlog: 'TCP_UNREACHABLE' } },
  { host: 'refused.lab.test', v4: '198.18.2.22', kind: 'nothing-listening',
    expect: { probe: 'TCP_REFUSED', pcap: 'TCP_REFUSED', netlog: 'TCP_REFUSED' } },
  { host: 'silent.lab.test', v4: '198.18.2.23', kind: 'hostile', behaviour: 'silent',
    expect: { probe: 'NO_SERVER_HELLO', pcap: 'NO_SERVER_HELLO', netlog: 'NO_SERVER_HELLO' } },
  { host: 'garbage.lab.test', v4: '198.18.2.24', kind: 'hostile', behaviour: 'garbage',
    expect: { probe: 'NOT_TLS', pcap: 'NOT_TLS', netlog: 'NOT_TLS' } },
  { host: 'endless.lab.test', v4: '198.18.2.25', kind: 'hostile', behaviour: 'endless',
    expect: { probe: 'NO_SERVER_HELLO', pcap: 'NO_SERVER_HELLO' } },
  { host: 'ws.lab.test', v4: '198.18.2.26', kind: 'nginx', cert: 'good', protocols: 'TLSv1.2 TLSv1.3', redirect: true, hsts: true, websocket: true,
    expect: { probe: 'HANDSHAKE_OK', pcap: 'HANDSHAKE_OK' } },
  { host: 'weakcipher.lab.test', v4: '198.18.2.27', kind: 'nginx', cert: 'good', protocols: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0', redirect: true,
    expect: { probe: 'HANDSHAKE_OK', pcap: 'NO_SHARED_CIPHER' } },
  { host: 'soon.lab.test', v4: '198.18.2.29', kind: 'nginx', cert: 'soon', protocols: 'TLSv1.2 TLSv1.3', redirect: true, hsts: true,
    expect: { probe: 'HANDSHAKE_OK', probeAlso: ['CERT_EXPIRING_SOON'], pcap: 'HANDSHAKE_OK' } },
  { host: 'future.lab.test', v4: '198.18.2.28', kind: 'nginx', cert: 'future', protocols: 'TLSv1.2', redirect: true,
    expect: { probe: 'CERT_NOT_YET_VALID', pcap: 'CERT_NOT_YET_VALID' } },
  { host: 'expiredwrong.lab.test', v4: '198.18.2.32', kind: 'nginx', cert: 'expiredwrong', protocols: 'TLSv1.2', redirect: true,
    expect: { probe: 'CERT_HOSTNAME_MISMATCH', probeAlso: ['CERT_EXPIRED'], pcap: 'CERT_HOSTNAME_MISMATCH' } },
  { host: 'no80.lab.test', v4: '198.18.2.30', kind: 'nginx', cert: 'good', protocols: 'TLSv1.2 TLSv1.3', port80: false, hsts: true,
    expect: { probe: 'HANDSHAKE_OK', probeAlso: ['HTTP_PORT_CLOSED'], probeNot: ['HTTP_NO_REDIRECT'] } },
  // ssl_protocols TLSv1 at OpenSSL 3's default security level, which forbids TLS 1.0.
  { host: 'tls10strict.lab.test', v4: '198.18.2.31', kind: 'nginx', cert: 'good', protocols: 'TLSv1', ciphers: 'HIGH:!aNULL', redirect: true,
    expect: { probe: 'PROTOCOL_VERSION_MISMATCH', probeAlso: ['SERVER_TLS_CONFIG_UNUSABLE'] } },
  // Mutual TLS required (nginx ssl_verify_client on): the handshake completes without a client
  // certificate and nginx answers every request with 400 "No required SSL certificate was sent".
  { host: 'mtls12.lab.test', v4: '198.18.2.33', kind: 'nginx', cert: 'good', protocols: 'TLSv1.2', clientCert: true, redirect: true,
    expect: { probe: 'CLIENT_CERT_REQUIRED', pcap: 'HANDSHAKE_OK', netlog: 'CLIENT_CERT_REQUIRED' } },
  { host: 'mtls.lab.test', v4: '198.18.2.34', kind: 'nginx', cert: 'good', protocols: 'TLSv1.2 TLSv1.3', clientCert: true, redirect: true,
    expect: { probe: 'CLIENT_CERT_REQUIRED' } },
  // TLS 1.3 only, so that the certificate is encrypted in captures: with a key log it is read.
  { host: 'wrongname13.lab.test', v4: '198.18.2.38', kind: 'nginx', cert: 'wrongname', protocols: 'TLSv1.3', redirect: true,
    expect: { probe: 'CERT_HOSTNAME_MISMATCH' } },
  { host: 'selfsigned13.lab.test', v4: '198.18.2.39', kind: 'nginx', cert: 'selfsigned', protocols: 'TLSv1.3', redirect: true,
    expect: { probe: 'CERT_SELF_SIGNED' } },
  // Mutual TLS 1.3 in Node's TLS (requestCert, rejectUnauthorized): a client without an
  // accepted certificate gets the certificate_required alert (116) after its Finished.
  { host: 'mtls13.lab.test', v4: '198.18.2.37', kind: 'hostile', behaviour: 'https-client-cert:{pki}',
    expect: { probe: 'CLIENT_CERT_REQUIRED', netlog: 'CLIENT_CERT_REQUIRED' } },
  // The path toward this server drops every packet over 1,000 bytes and sends no ICMP (an MTU
  // black hole: a tunnel or PPPoE link behind a firewall that filters ICMP). Small hellos pass;
  // today's browsers' two-segment hellos, whose first segment is full-size, never arrive.
  // IPv4 and IPv6 alike (iptables and ip6tables).
  { host: 'blackhole.lab.test', v4: '198.18.2.35', v6: 'fd7d:2::35', kind: 'nginx', cert: 'good', protocols: 'TLSv1.2 TLSv1.3', redirect: true, hsts: true, dropAbove: 1000,
    expect: { probe: 'MTU_BLACKHOLE', netlog: 'NO_SERVER_HELLO' } },
  // The same narrow path, but one that says so: the middlebox's route toward this server has a
  // small MTU (1,000 bytes for IPv4; 1,280, IPv6's minimum, for IPv6), so its kernel answers a
  // larger packet with ICMP "fragmentation needed" (type 3 code 4, next-hop MTU 1000) or ICMPv6
  // "packet too big" (type 2, MTU 1280). The sender lowers its path MTU and resends smaller:
  // path-MTU discovery working, and today's browsers' two-segment hellos are answered.
  { host: 'ptb.lab.test', v4: '198.18.2.42', v6: 'fd7d:2::42', kind: 'nginx', cert: 'good', protocols: 'TLSv1.2 TLSv1.3', redirect: true, hsts: true, pathMtu: { v4: 1000, v6: 1280 },
    expect: { probe: 'HANDSHAKE_OK', pcap: 'HANDSHAKE_OK' } },
  // A front end that resets a ClientHello not whole in its first read (a device that reads one
  // segment for SNI routing), passing whole ones to good.lab.test's nginx.
  { host: 'onesegment.lab.test', v4: '198.18.2.36', kind: 'hostile', behaviour: 'one-segment:198.18.2.10',
    expect: { probe: 'SPLIT_CLIENT_HELLO_REJECTED' } },
  // HTTP/3: Caddy serves HTTP/1.1 and HTTP/2 on TCP 443 and HTTP/3 on UDP 443, and advertises
  // h3 with Alt-Svc. The second one sits behind a middlebox that drops UDP 443 toward it while
  // TCP 443 passes: a security group that opened only TCP.
  { host: 'h3.lab.test', v4: '198.18.2.40', kind: 'caddy', cert: 'good',
    expect: { probe: 'HANDSHAKE_OK', probeAlso: ['H3_AVAILABLE'], pcap: 'QUIC_HANDSHAKE_OK', netlog: 'QUIC_HANDSHAKE_OK' } },
  { host: 'h3noudp.lab.test', v4: '198.18.2.41', kind: 'caddy', cert: 'good', dropUdp443: true,
    expect: { probe: 'H3_ADVERTISED_UDP_BLOCKED', pcap: 'QUIC_NO_RESPONSE', netlog: 'QUIC_NO_RESPONSE' } },
  // Above TLS: the https answer redirects to http://, whose port 80 redirects back (a loop every
  // browser stops with "too many redirects"); a downgrade to http:// that serves the page; a
  // redirect to another host that works; one to a port where nothing listens; port 80 sending
  // the client to another host's https (a redirect, not content); and 421 Misdirected Request.
  { host: 'loop.lab.test', v4: '198.18.2.43', kind: 'nginx', cert: 'good', protocols: 'TLSv1.2 TLSv1.3', redirect: true, hsts: true, httpsRedirect: 'http://$host$request_uri',
    expect: { probe: 'HTTP_REDIRECT_LOOP', probeNot: ['HTTPS_DOWNGRADE', 'HSTS_MISSING'] } },
  { host: 'downgrade.lab.test', v4: '198.18.2.44', kind: 'nginx', cert: 'good', protocols: 'TLSv1.2 TLSv1.3', redirect: false, httpsRedirect: 'http://$host$request_uri',
    expect: { probe: 'HTTPS_DOWNGRADE', probeNot: ['HTTP_REDIRECT_LOOP', 'HSTS_MISSING'] } },
  { host: 'elsewhere.lab.test', v4: '198.18.2.45', kind: 'nginx', cert: 'good', protocols: 'TLSv1.2 TLSv1.3', redirect: true, hsts: true, httpsRedirect: 'https://good.lab.test$request_uri',
    expect: { probe: 'HANDSHAKE_OK', probeAlso: ['HTTP_REDIRECT_ELSEWHERE'], probeNot: ['HSTS_MISSING', 'HTTP_NO_REDIRECT'] } },
  { host: 'brokenport.lab.test', v4: '198.18.2.46', kind: 'nginx', cert: 'good', protocols: 'TLSv1.2 TLSv1.3', redirect: true, hsts: true, httpsRedirect: 'https://$host:8443$request_uri',
    expect: { probe: 'HTTP_REDIRECT_TARGET_FAILED' } },
  { host: 'www80.lab.test', v4: '198.18.2.47', kind: 'nginx', cert: 'good', protocols: 'TLSv1.2 TLSv1.3', hsts: true, port80Redirect: 'https://good.lab.test$request_uri',
    expect: { probe: 'HANDSHAKE_OK', probeAlso: ['HTTP_REDIRECT_ELSEWHERE'], probeNot: ['HTTP_NO_REDIRECT'] } },
  { host: 'misdirected.lab.test', v4: '198.18.2.48', kind: 'nginx', cert: 'good', protocols: 'TLSv1.2 TLSv1.3', redirect: true, hsts: true, status421: true,
    expect: { probe: 'HTTP_MISDIRECTED_REQUEST', probeNot: ['HSTS_MISSING'] } },
  // An nginx default server with the certificate ingress-nginx serves when no Ingress matches the
  // name, and one with Traefik's: self-signed, for another name.
  { host: 'ingress.lab.test', v4: '198.18.2.49', kind: 'nginx', cert: 'ingressfake', defaultServer: true, protocols: 'TLSv1.2 TLSv1.3', redirect: true,
    expect: { probe: 'CERT_PROXY_DEFAULT', probeAlso: ['CERT_SELF_SIGNED', 'CERT_HOSTNAME_MISMATCH'] } },
  { host: 'traefik.lab.test', v4: '198.18.2.50', kind: 'nginx', cert: 'traefikdefault', defaultServer: true, protocols: 'TLSv1.2 TLSv1.3', redirect: true,
    expect: { probe: 'CERT_PROXY_DEFAULT', probeAlso: ['CERT_SELF_SIGNED', 'CERT_HOSTNAME_MISMATCH'] } },
  // An HTTP/2-only server (a Node http2 server without HTTP/1, as gRPC servers are): a client
  // that offers only http/1.1 in ALPN gets no_application_protocol (120).
  { host: 'h2only.lab.test', v4: '198.18.2.51', kind: 'hostile', behaviour: 'h2-only:{pki}',
    expect: { probe: 'HANDSHAKE_OK', probeAlso: ['ALPN_REQUIRED'], probeNot: ['ALPN_MISMATCH'], pcap: 'ALPN_MISMATCH' } },
  // No A record: the lab's resolver answers NXDOMAIN for every name not in the hosts file.
  { host: 'nxdomain.lab.test', kind: 'dns-only', expect: { probe: 'DNS_NO_ADDRESS', netlog: 'DNS_NO_ADDRESS' } },
];

export const SNI_BLOCK_STRING = 'blocked.lab.test';

/**
 * A second name for every host: the same address, server and fault under a name that says
 * nothing of the fault (`n-` and six hex digits of a hash of the first name, one label under
 * lab.test, so the wildcard leaves still cover it). Recordings made under these names
 * (lab/record-messages.mjs --run B) show whether what reads them learnt the messages or the
 * host names. The lab's hosts file, certificates, middlebox and servers all know both.
 */
export const altName = (host) => `n-${createHash('sha256').update(host).digest('hex').slice(0, 6)}.lab.test`;
