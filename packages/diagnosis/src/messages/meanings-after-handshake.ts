import { PROBE, type Meaning } from './meaning.js';

/**
 * Meanings of messages a client prints when TLS worked and what came after it failed (a client
 * certificate's refusal, an HTTP status, a redirect, an ingress's own certificate, WebSocket, a
 * mini-program's rules): the catalogue points to them as to the others in meanings.ts.
 */
export const AFTER_HANDSHAKE_MEANINGS = {
  clientCertRequired: {
    means: 'The server requires a client certificate (mutual TLS) and the client sent none, or one it does not accept.',
    causes: [{ code: 'CLIENT_CERT_REQUIRED', sign: 'nginx `ssl_verify_client on` lets the handshake finish and answers 400 "No required SSL certificate was sent"; other servers end the handshake with certificate_required (TLS 1.3) or handshake_failure' }],
    certainty: 'decides',
    check: PROBE,
  },
  badRequest: {
    means: 'TLS worked; the server answered the request with 400 Bad Request, which says nothing more by itself.',
    causes: [
      { code: 'CLIENT_CERT_REQUIRED', sign: 'the page says "No required SSL certificate was sent": the server requires a client certificate' },
      { code: 'WEBSOCKET_UPGRADE_FAILED', sign: 'the request was a WebSocket upgrade the proxy did not pass' },
    ],
    certainty: 'generic',
    check: `${PROBE}   (it reads the error page of a request without a client certificate)`,
    namesNoCause: 'a bare 400 from a library names no cause: read the response body (nginx says "No required SSL certificate was sent" when it wants a client certificate, "The plain HTTP request was sent to HTTPS port" for http:// to a TLS port) and the server\'s error log, which names what it refused',
  },
  proxyDefault: {
    means: 'The certificate is the one an ingress or proxy makes for itself: it has no certificate configured for this name.',
    causes: [
      { code: 'CERT_PROXY_DEFAULT', sign: 'ingress-nginx with no Ingress `tls` entry or Secret for the name; Traefik with no TLS router or certificate resolver result for it' },
    ],
    certainty: 'decides',
    check: PROBE,
  },
  redirectLoop: {
    means: 'The client followed redirects until it gave up: they loop, or go on too long.',
    causes: [
      { code: 'HTTP_REDIRECT_LOOP', sign: 'an https answer sends the client to http:// and port 80 sends it back, or an app behind a TLS-ending proxy redirects to the URL it was asked for' },
    ],
    certainty: 'decides',
    check: `${PROBE}   (it follows the chain from port 80 and from https and lists it)`,
  },
  misdirected: {
    means: 'TLS worked; the server answered 421 Misdirected Request: it does not serve this name on this connection.',
    causes: [
      { code: 'HTTP_MISDIRECTED_REQUEST', sign: 'an SNI-routing proxy or ingress whose route for the name is missing, or a connection reused for another name covered by the same certificate' },
    ],
    certainty: 'decides',
    check: PROBE,
  },
  forbidden: {
    means: 'TLS worked; the server answered the request with 403 Forbidden, which says little by itself.',
    causes: [
      { code: 'ALPN_REQUIRED', sign: 'an HTTP/2-only server (Node http2 without HTTP/1, gRPC) given an HTTP/1.1 request by a client that offered no ALPN' },
      { code: 'CLIENT_CERT_REQUIRED', sign: 'the page says a client certificate is required' },
    ],
    certainty: 'narrows',
    check: PROBE,
  },
  alpnAlert: {
    means: 'The server refused every application protocol (ALPN) the client offered: alert no_application_protocol (120).',
    causes: [
      { code: 'ALPN_MISMATCH', sign: 'an HTTP/2-only or gRPC server and a client that offers only http/1.1 (undici, curl --http1.1, WebSocket clients)' },
    ],
    certainty: 'decides',
    check: PROBE,
  },
  websocket: {
    means: 'The WebSocket upgrade request got an HTTP answer other than 101 Switching Protocols.',
    causes: [
      { code: 'WEBSOCKET_UPGRADE_FAILED', sign: 'a 200/400/404 from the backend: the proxy dropped the Upgrade headers or has no location for the path; a 301/302: the URL is redirected, which WebSocket clients do not follow' },
    ],
    certainty: 'decides',
    check: 'tlsdoctor probe https://HOST/PATH --ws /PATH',
  },
  domainNotAllowed: {
    means: "WeChat refused the request before any connection: the domain is not on the mini-program's request domain list.",
    causes: [{ code: 'DOMAIN_NOT_ALLOWED', sign: 'add the exact domain (and port, if not 443) in the admin console; IP addresses are never allowed' }],
    certainty: 'decides',
    check: 'tlsdoctor probe https://HOST/ --profile wechat-miniprogram --allow-list domains.txt',
  },
  wechatSsl: {
    means: 'WeChat could not complete the TLS handshake; the message names no cause.',
    causes: [
      { code: 'CERT_CHAIN_INCOMPLETE', sign: 'the intermediate is missing: iOS and Android WeChat fail where desktop browsers that fetch it succeed' },
      { code: 'PROTOCOL_VERSION_MISMATCH', sign: 'the server does not speak TLS 1.2 or later' },
      { code: 'NO_SHARED_CIPHER', sign: 'no forward-secret suite (iOS requires ECDHE)' },
      { code: 'CERT_HOSTNAME_MISMATCH', sign: 'the certificate is for another name' },
      { code: 'SNI_FILTERED', sign: 'the domain has no ICP filing on a mainland China cloud: the provider resets the connection' },
    ],
    certainty: 'generic',
    check: 'tlsdoctor probe https://HOST/ --profile wechat-miniprogram',
  },
} satisfies Record<string, Meaning>;
