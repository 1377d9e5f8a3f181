import { AFTER_HANDSHAKE_MEANINGS } from './meanings-after-handshake.js';
import { TIMEOUT_MEANINGS } from './meanings-timeouts.js';
import { CAPTURE, PROBE, type Meaning } from './meaning.js';

export type { Cause, Meaning } from './meaning.js';

/** The meanings, by name; the catalogue's entries point to them. */
export const MEANINGS = {
  reset: {
    means: 'The TCP connection was reset (RST) during the TLS handshake, before the server answered the ClientHello.',
    causes: [
      { code: 'SNI_FILTERED', sign: 'the reset comes right after a ClientHello carrying the name, while the same address answers a hello without it or with another name (ICP-filing enforcement, national or corporate filtering)' },
      { code: 'RESET_AFTER_CLIENT_HELLO', sign: 'every hello to the address is reset, whatever the name: the server or a load balancer in front of it drops TLS it will not serve' },
      { code: 'TCP_RESET', sign: 'the reset comes before the ClientHello was sent, or long after' },
      { code: 'SPLIT_CLIENT_HELLO_REJECTED', sign: 'only clients whose ClientHello spans two TCP segments are reset (today\'s browsers, with post-quantum key shares), while older clients pass: a device in front reads one segment' },
    ],
    certainty: 'narrows',
    check: `${PROBE}   (its SNI differential sends the same hello with no name and with a neutral one)`,
  },
  notTlsAnswer: {
    means: 'The client read a first record that is not TLS: the server answered the ClientHello with something else.',
    causes: [
      { code: 'PLAINTEXT_HTTP_ON_TLS_PORT', sign: 'the answer is HTTP text ("HTTP/1.1 400 Bad Request"): the port serves plain HTTP (nginx `listen 443;` without `ssl`)' },
      { code: 'NOT_TLS', sign: 'the answer is another protocol or binary data (SSH, SMTP, a proxy)' },
    ],
    certainty: 'narrows',
    check: `${PROBE}   (it quotes the first bytes the server sent)`,
  },
  httpToTls: {
    means: 'The client sent plain HTTP (an http:// URL) to a port that speaks TLS; the server said so in its error page, or answered in TLS the client could not read as HTTP.',
    causes: [{ code: 'HTTP_TO_TLS_PORT', sign: 'the URL says http:// with the TLS port (http://host:443/, or a port the server serves only with TLS): use https://' }],
    certainty: 'decides',
    check: CAPTURE,
  },
  httpAnswer: {
    means: 'The server answered the ClientHello with HTTP text (a record type of 72 is the "H" of "HTTP").',
    causes: [{ code: 'PLAINTEXT_HTTP_ON_TLS_PORT', sign: 'the port serves plain HTTP: nginx `listen 443;` without `ssl`' }],
    certainty: 'decides',
    check: PROBE,
  },
  binaryAnswer: {
    means: 'The server answered the ClientHello with bytes that are not a TLS record and not HTTP.',
    causes: [
      { code: 'NOT_TLS', sign: 'another protocol listens on the port' },
      { code: 'PLAINTEXT_HTTP_ON_TLS_PORT', sign: 'an HTTP server behind a proxy that mangles the answer' },
    ],
    certainty: 'decides',
    check: PROBE,
  },
  connectTimeout: {
    means: 'The TCP connection was never set up: the SYN got no answer within the time allowed.',
    causes: [
      { code: 'TCP_TIMEOUT', sign: 'no SYN-ACK: a firewall or security group drops the SYN, or the address is wrong' },
      { code: 'NO_SERVER_HELLO', sign: 'the client counts the whole request: TCP connected but the ServerHello never came' },
      { code: 'MTU_BLACKHOLE', sign: 'TCP connected and the ClientHello, a full-size packet, was lost on the path: clients with small hellos pass' },
    ],
    certainty: 'narrows',
    check: `${PROBE}   (it times TCP and TLS separately)`,
  },
  anyTimeout: {
    means: 'The request ran out of time; the message does not say whether TCP or TLS was waiting.',
    causes: [
      { code: 'TCP_TIMEOUT', sign: 'the SYN got no answer (a security group that never opened 443)' },
      { code: 'NO_SERVER_HELLO', sign: 'TCP connected but the server never answered the ClientHello' },
      { code: 'MTU_BLACKHOLE', sign: 'only clients with large ClientHellos hang (today\'s browsers), while curl from an older system works: full-size packets are lost on the path' },
    ],
    certainty: 'narrows',
    check: `${PROBE}   (it times TCP and TLS separately)`,
  },
  handshakeTimeout: {
    means: 'TCP connected, but the TLS handshake did not finish in time: the ServerHello never came.',
    causes: [
      { code: 'NO_SERVER_HELLO', sign: 'the server (or something in front of it) reads the ClientHello and says nothing, or sends records without a ServerHello' },
      { code: 'SNI_FILTERED', sign: 'the silence comes only with the real name: a filter that drops instead of resetting' },
      { code: 'MTU_BLACKHOLE', sign: 'only clients with large ClientHellos hang (today\'s browsers, 1.7 KB and more with a post-quantum key share): full-size packets are lost on the path and no ICMP comes back' },
      { code: 'SPLIT_CLIENT_HELLO_REJECTED', sign: 'only clients whose ClientHello spans two segments go unanswered: a device in front reads one segment and drops the rest' },
    ],
    certainty: 'narrows',
    check: PROBE,
  },
  refused: {
    means: 'The SYN was answered by a reset: nothing listens on that port at that address.',
    causes: [
      { code: 'TCP_REFUSED', sign: 'the service is down, listens on another port or address, or a firewall rejects with a reset' },
      { code: 'HTTP_REDIRECT_TARGET_FAILED', sign: 'the refused port is the one a redirect sent the client to (`https://host:8443/`), not the one it asked for first' },
    ],
    certainty: 'decides',
    check: PROBE,
  },
  unreachable: {
    means: 'An ICMP error answered the SYN: a router or the host says the address cannot be reached, or refuses it by policy.',
    causes: [
      { code: 'TCP_UNREACHABLE', sign: 'a firewall REJECT (ICMP administratively prohibited), a missing route, or a host that is down' },
    ],
    certainty: 'decides',
    check: PROBE,
  },
  couldNotConnect: {
    means: 'TCP could not connect; the message does not say how the connection failed.',
    causes: [
      { code: 'TCP_REFUSED', sign: 'a reset answered the SYN: nothing listens on the port' },
      { code: 'TCP_UNREACHABLE', sign: 'an ICMP error answered the SYN: a firewall REJECT or no route' },
      { code: 'TCP_TIMEOUT', sign: 'nothing answered the SYN' },
      { code: 'HTTP_REDIRECT_TARGET_FAILED', sign: 'the host asked for answered with a redirect, and the connection that failed is to its target: run the check on the URL asked' },
    ],
    certainty: 'narrows',
    check: PROBE,
  },
  dns: {
    means: 'The name did not resolve to an address: no TLS was attempted.',
    causes: [
      { code: 'DNS_NO_ADDRESS', sign: 'the resolver answered that the name has no address (NXDOMAIN or no A/AAAA record)' },
      { code: 'DNS_ERROR', sign: 'the resolver failed or timed out' },
    ],
    certainty: 'narrows',
    check: PROBE,
  },
  certExpired: {
    means: "The server's certificate (or one in its chain) is past its notAfter date at the client's clock.",
    causes: [
      { code: 'CERT_EXPIRED', sign: 'notAfter is in the past: renew it and reload the server' },
      { code: 'CERT_HOSTNAME_MISMATCH', sign: 'the expired certificate is also for another name: clients check dates first, so a renewal with the same names would still fail' },
    ],
    certainty: 'decides',
    check: `${PROBE}   (it reads the chain, checks dates and names)`,
  },
  certDates: {
    means: "The server's certificate is outside its validity dates at the client's clock; the message does not say which end.",
    causes: [
      { code: 'CERT_EXPIRED', sign: 'notAfter is in the past: renew it and reload the server' },
      { code: 'CERT_NOT_YET_VALID', sign: "notBefore is in the future: issued for later, or the client's clock is behind" },
    ],
    certainty: 'narrows',
    check: PROBE,
  },
  certNotYetValid: {
    means: "The server's certificate starts in the future at the client's clock.",
    causes: [{ code: 'CERT_NOT_YET_VALID', sign: "notBefore is in the future: the certificate was issued for later, or the client's clock is behind" }],
    certainty: 'decides',
    check: PROBE,
  },
  certName: {
    means: "The certificate's subjectAltNames do not include the name the client asked for.",
    causes: [
      { code: 'CERT_HOSTNAME_MISMATCH', sign: 'the server sends a certificate for another name: the wrong `server_name` block, a default certificate, or a name missing from the certificate' },
      { code: 'CERT_PROXY_DEFAULT', sign: 'an ingress or proxy with no certificate for the name serves its own default (ingress-nginx\'s "Kubernetes Ingress Controller Fake Certificate", "TRAEFIK DEFAULT CERT")' },
    ],
    certainty: 'decides',
    check: PROBE,
  },
  selfSigned: {
    means: 'The server sent a certificate signed by its own key, which the client does not trust.',
    causes: [
      { code: 'CERT_SELF_SIGNED', sign: 'a single self-signed certificate: a default or test certificate left in place' },
      { code: 'CERT_UNTRUSTED', sign: 'a self-signed root at the end of the chain: a private CA the client lacks' },
      { code: 'CERT_PROXY_DEFAULT', sign: 'the self-signed default of an ingress or proxy that has no certificate for the name (ingress-nginx, Traefik, Kong)' },
    ],
    certainty: 'decides',
    check: PROBE,
  },
  unknownIssuer: {
    means: "The client could not build a path from the server's certificate to a root it trusts.",
    causes: [
      { code: 'CERT_CHAIN_INCOMPLETE', sign: 'the server sends the leaf without its intermediate (nginx `ssl_certificate` pointing to cert.pem instead of fullchain.pem)' },
      { code: 'CERT_SELF_SIGNED', sign: 'the leaf signed itself' },
      { code: 'CERT_UNTRUSTED', sign: 'the chain ends at a root the client does not trust (a private CA)' },
      { code: 'CERT_PROXY_DEFAULT', sign: 'the self-signed default of an ingress or proxy that has no certificate for the name' },
    ],
    certainty: 'narrows',
    check: `${PROBE}   (it lists the certificates the server sent and which issuer is missing)`,
  },
  partialChain: {
    means: 'The client built no path from the certificate to a root it trusts, and says the chain it has is partial: an intermediate is missing.',
    causes: [
      { code: 'CERT_CHAIN_INCOMPLETE', sign: 'the server sends the leaf without its intermediate (nginx `ssl_certificate` pointing to cert.pem instead of fullchain.pem)' },
      { code: 'CERT_UNTRUSTED', sign: 'the chain is complete but ends at a private CA the client lacks, which some libraries report the same way' },
    ],
    certainty: 'decides',
    check: 'openssl s_client -connect HOST:443 -servername HOST -showcerts </dev/null   (one certificate whose issuer is not a root: the intermediate is missing)',
  },
  untrustedRoot: {
    means: 'The chain ends at a certificate authority the client does not trust.',
    causes: [
      { code: 'CERT_UNTRUSTED', sign: 'a private CA or a root the client lacks' },
      { code: 'CERT_CHAIN_INCOMPLETE', sign: 'the intermediate is missing, so the client never reaches a known root' },
      { code: 'CERT_SELF_SIGNED', sign: 'the leaf signed itself' },
    ],
    certainty: 'narrows',
    check: PROBE,
  },
  certGeneric: {
    means: "The client rejected the server's certificate; this message does not say why.",
    causes: [
      { code: 'CERT_CHAIN_INCOMPLETE', sign: 'the intermediate is missing (the most common cause on fresh deployments)' },
      { code: 'CERT_EXPIRED', sign: 'the certificate is past its date' },
      { code: 'CERT_HOSTNAME_MISMATCH', sign: 'the certificate is for another name' },
      { code: 'CERT_SELF_SIGNED', sign: 'a self-signed certificate' },
      { code: 'CERT_UNTRUSTED', sign: 'a CA the client does not trust' },
      { code: 'CERT_NOT_YET_VALID', sign: 'a certificate that starts in the future' },
      { code: 'CERT_PROXY_DEFAULT', sign: "a proxy's default certificate (an ingress's fake one, Traefik's): no route for this name" },
    ],
    certainty: 'generic',
    check: PROBE,
  },
  versionAlert: {
    means: 'The server answered with a protocol_version alert: it supports none of the TLS versions the client offered.',
    causes: [
      { code: 'PROTOCOL_VERSION_MISMATCH', sign: 'the server only speaks TLS 1.0/1.1 (or only 1.3 to a 1.2 client)' },
      { code: 'SERVER_TLS_CONFIG_UNUSABLE', sign: 'the configured versions are ones its TLS library refuses to run' },
    ],
    certainty: 'decides',
    check: `${PROBE}   (it tries each version on its own)`,
  },
  legacySignature: {
    means: "The server signed its key exchange with SHA-1 or MD5, as only TLS 1.0/1.1 servers do; OpenSSL 3's default security level refuses it.",
    causes: [
      { code: 'PROTOCOL_VERSION_MISMATCH', sign: 'the server speaks only TLS 1.0 or 1.1' },
      { code: 'DEPRECATED_PROTOCOL', sign: 'the server prefers an old version although it has a newer one' },
    ],
    certainty: 'decides',
    check: PROBE,
  },
  internalErrorAlert: {
    means: "The server answered the ClientHello with an internal_error alert: its TLS library failed on its own side.",
    causes: [
      { code: 'SERVER_TLS_CONFIG_UNUSABLE', sign: 'it answers every hello so: a configuration its library will not run (`ssl_protocols TLSv1;` on OpenSSL 3)' },
      { code: 'PROTOCOL_VERSION_MISMATCH', sign: 'the only versions it is configured for are ones the client does not offer or its library refuses' },
      { code: 'TLS_ALERT', sign: 'only some hellos get it: a key or certificate problem in the server, in its error log' },
    ],
    certainty: 'narrows',
    check: PROBE,
  },
  handshakeFailureAlert: {
    means: 'The server answered with a handshake_failure alert: it found nothing in the ClientHello it accepts.',
    causes: [
      { code: 'NO_SHARED_CIPHER', sign: 'no cipher suite (or group, or signature algorithm) in common' },
      { code: 'PROTOCOL_VERSION_MISMATCH', sign: 'old servers send handshake_failure instead of protocol_version' },
      { code: 'CLIENT_CERT_REQUIRED', sign: 'the alert comes after the server asked for a client certificate: it requires one (mutual TLS)' },
    ],
    certainty: 'narrows',
    check: `${PROBE} --ciphers   (it lists what each version accepts)`,
  },
  cipherMismatch: {
    means: 'The client and the server have no cipher suite or version in common.',
    causes: [
      { code: 'NO_SHARED_CIPHER', sign: 'the versions match but no suite does' },
      { code: 'PROTOCOL_VERSION_MISMATCH', sign: 'no version in common' },
    ],
    certainty: 'narrows',
    check: `${PROBE} --ciphers`,
  },
  unexpectedHandshake: {
    means: 'The server sent handshake records the client did not expect: no proper ServerHello.',
    causes: [
      { code: 'NO_SERVER_HELLO', sign: 'records arrive but never a ServerHello: a broken or hostile server' },
      { code: 'NOT_TLS', sign: 'something else that looks like TLS records' },
    ],
    certainty: 'narrows',
    check: PROBE,
  },
  closedEarly: {
    means: 'The server (or something in front of it) closed the connection during the handshake, with no alert.',
    causes: [
      { code: 'SNI_FILTERED', sign: 'it happens only with the real name' },
      { code: 'RESET_AFTER_CLIENT_HELLO', sign: 'it happens to every hello to the address' },
      { code: 'NO_SHARED_CIPHER', sign: 'some servers close instead of sending handshake_failure' },
      { code: 'NO_SERVER_HELLO', sign: 'the server closes without a word after reading the hello' },
      { code: 'CLIENT_CERT_REQUIRED', sign: 'the close comes right after the handshake: a TLS 1.3 server that requires a client certificate ends the connection once it has the client\'s empty answer' },
    ],
    certainty: 'narrows',
    check: PROBE,
  },
  closedAfterHandshake: {
    means: 'The handshake completed on the client\'s side, then the server ended the connection before any answer.',
    causes: [
      { code: 'CLIENT_CERT_REQUIRED', sign: 'a TLS 1.3 server that requires a client certificate judges the client\'s answer after the client\'s Finished, and refuses it with certificate_required (116)' },
      { code: 'TLS_ALERT', sign: 'another alert follows the handshake: the server\'s error log names it' },
    ],
    certainty: 'narrows',
    check: `${PROBE}   (it reads its own TLS 1.3 handshake and the server's answer after it)`,
  },
  unnamedFatalAlert: {
    means: 'The server sent a fatal alert; this message does not say which.',
    causes: [
      { code: 'SERVER_TLS_CONFIG_UNUSABLE', sign: 'every hello gets it, as an internal_error: a configuration the server\'s library will not run' },
      { code: 'PROTOCOL_VERSION_MISMATCH', sign: 'it comes at once, after the ClientHello: no version in common' },
      { code: 'CLIENT_CERT_REQUIRED', sign: 'it comes after the handshake ("Status: The certificate is trusted" is printed before it): a TLS 1.3 server requiring a client certificate' },
      { code: 'TLS_ALERT', sign: 'another alert: `gnutls-cli -d 4` or the server\'s log names it' },
    ],
    certainty: 'narrows',
    check: PROBE,
  },
  connectRetries: {
    means: 'The client tried to connect again and again and gave up: its SYNs got no answer it could use.',
    causes: [
      { code: 'TCP_TIMEOUT', sign: 'nothing answered the SYN' },
      { code: 'TCP_UNREACHABLE', sign: 'an ICMP error answered the SYN: a firewall REJECT or no route' },
    ],
    certainty: 'narrows',
    check: PROBE,
  },
  connectGeneric: {
    means: "The client could not reach the server; this line is its catch-all for every way a connection fails, the name's resolution included.",
    causes: [
      { code: 'TCP_REFUSED', sign: 'a reset answered the SYN: nothing listens on the port' },
      { code: 'TCP_UNREACHABLE', sign: 'an ICMP error answered the SYN: a firewall REJECT or no route' },
      { code: 'TCP_TIMEOUT', sign: 'nothing answered the SYN' },
      { code: 'DNS_NO_ADDRESS', sign: 'the name has no address' },
      { code: 'HTTP_REDIRECT_TARGET_FAILED', sign: 'the connection that failed is to a redirect\'s target: run the check on the URL asked' },
    ],
    certainty: 'generic',
    check: PROBE,
  },
  secureConnectGeneric: {
    means: 'The client could not set up TLS with the server; this line is its catch-all and names no cause.',
    causes: [
      { code: 'PLAINTEXT_HTTP_ON_TLS_PORT', sign: 'the port answers plain HTTP' },
      { code: 'SNI_FILTERED', sign: 'a reset or silence only with the real name' },
      { code: 'NOT_TLS', sign: 'the port answers with bytes that are neither TLS nor HTTP' },
      { code: 'NO_SERVER_HELLO', sign: 'the server never answered the ClientHello' },
      { code: 'PROTOCOL_VERSION_MISMATCH', sign: 'no version in common' },
      { code: 'NO_SHARED_CIPHER', sign: 'no cipher suite in common' },
    ],
    certainty: 'generic',
    check: PROBE,
  },
  redirectNotFollowed: {
    means: 'The server answered with a redirect, and the client printed nothing after it: the next step of the redirect is where it failed.',
    causes: [
      { code: 'HTTP_REDIRECT_TARGET_FAILED', sign: "the redirect's target does not answer: run the check on the URL asked, it follows the redirect" },
      { code: 'HTTP_REDIRECT_LOOP', sign: 'the redirects lead back to where they started' },
    ],
    certainty: 'narrows',
    check: PROBE,
  },
  sslGeneric: {
    means: 'The client could not set up TLS; this line is its catch-all and names no cause.',
    causes: [
      { code: 'NO_SERVER_HELLO', sign: 'the server never answered the ClientHello' },
      { code: 'SNI_FILTERED', sign: 'a reset or silence only with the real name' },
      { code: 'PLAINTEXT_HTTP_ON_TLS_PORT', sign: 'the port answers plain HTTP' },
      { code: 'PROTOCOL_VERSION_MISMATCH', sign: 'no version in common' },
    ],
    certainty: 'generic',
    check: PROBE,
  },
  ...AFTER_HANDSHAKE_MEANINGS,
  ...TIMEOUT_MEANINGS,
  quicError: {
    means: "Chrome's word for an HTTP/3 (QUIC) connection that failed after the server answered: one side closed it with an error, or the two could not agree on the QUIC connection. Chrome usually retries the request over TCP, so the page may still load.",
    causes: [
      { code: 'QUIC_CONNECTION_CLOSED', sign: 'the server closed the QUIC connection with an error code (its CONNECTION_CLOSE frame names it, often a TLS alert carried in QUIC)' },
      { code: 'H3_ADVERTISED_UDP_BLOCKED', sign: 'the server advertises HTTP/3 (Alt-Svc) but some of its UDP packets are dropped on the way: a firewall, NAT or load balancer that lets the first packets through only' },
      { code: 'QUIC_VERSION_MISMATCH', sign: 'the server answered with Version Negotiation: it speaks no QUIC version Chrome offered' },
    ],
    certainty: 'narrows',
    check: `${PROBE} --http3   (sends a QUIC Initial to UDP 443 and reads the answer)`,
  },
  chromeProtocol: {
    means: "Chrome's catch-all for a handshake it could not read: a non-TLS answer, or a reset or close mid-handshake.",
    causes: [
      { code: 'PLAINTEXT_HTTP_ON_TLS_PORT', sign: 'the port answers plain HTTP' },
      { code: 'NOT_TLS', sign: 'another protocol on the port' },
      { code: 'SNI_FILTERED', sign: 'a filter that cuts the handshake for this name' },
      { code: 'NO_SHARED_CIPHER', sign: 'the server refuses all the suites Chrome offers' },
      { code: 'TLS_ALERT', sign: 'the server sent a fatal alert Chrome gives no error of its own: its NetLog (chrome://net-export) names the alert' },
      { code: 'NO_SERVER_HELLO', sign: 'a handshake message other than the ServerHello (a HelloRequest), which BoringSSL calls an unexpected message' },
    ],
    certainty: 'generic',
    check: PROBE,
  },
} satisfies Record<string, Meaning>;

export type MeaningName = keyof typeof MEANINGS;

export { CAPTURE as CAPTURE_RECIPE };
