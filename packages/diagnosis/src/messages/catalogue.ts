import { NET_ERROR_ENTRIES } from './net-errors.js';
import { VOCABULARY_ENTRIES } from './vocabularies.js';

export { CLIENTS, LIBRARIES, type ClientName, type LibraryName, type MessageEntry } from './message-entry.js';
import type { MessageEntry } from './message-entry.js';

const LAB = 'lab';
const CHROMIUM = "Chromium's net/base/net_error_list.h";
const NSS = "Firefox/NSS error codes (SSL_ERROR_*, SEC_ERROR_*, PR_*)";
const JDK = 'OpenJDK sun.security.ssl and sun.security.validator messages';
const GO = "Go's crypto/tls and crypto/x509 error strings";
const WECHAT = 'WeChat mini-program documentation ("Network") and its developer forum';

/**
 * The catalogue. Order matters only among entries of the same certainty: a more specific
 * message found in the same text outranks a generic one (see explain.ts).
 */
export const CATALOGUE: MessageEntry[] = [
  // Resets.
  { id: 'curl-reset', clients: ['curl'], pattern: /\(35\) Recv failure: Connection reset by peer|\(56\) (?:OpenSSL SSL_read: )?Connection reset by peer/i, example: 'curl: (35) Recv failure: Connection reset by peer', meaning: 'reset', source: LAB },
  { id: 'econnreset', clients: ['node', 'python', 'openssl', 'go', 'java'], pattern: /ECONNRESET|Connection reset by peer|\[Errno 104\]|errno=104|connection reset|Connection reset/i, example: 'Error: read ECONNRESET', meaning: 'reset', source: LAB },
  { id: 'gnutls-pull', clients: ['gnutls', 'wget'], pattern: /Error in the pull function/i, example: '*** Fatal error: Error in the pull function.', meaning: 'reset', source: LAB },
  { id: 'firefox-reset', clients: ['firefox'], pattern: /PR_CONNECT_RESET_ERROR/, example: 'PR_CONNECT_RESET_ERROR', meaning: 'reset', source: NSS },
  { id: 'java-terminated', clients: ['java'], pattern: /Remote host terminated the handshake|Remote host closed connection during handshake/i, example: 'javax.net.ssl.SSLHandshakeException: Remote host terminated the handshake', meaning: 'closedEarly', source: JDK },
  { id: 'eof-violation', clients: ['python'], pattern: /EOF occurred in violation of protocol|UNEXPECTED_EOF_WHILE_READING/i, example: 'ssl.SSLEOFError: EOF occurred in violation of protocol (_ssl.c:1006)', meaning: 'closedEarly', source: 'Python ssl module (SSLEOFError)' },
  { id: 'openssl-eof', clients: ['openssl', 'curl', 'node'], pattern: /unexpected eof while reading|socket disconnected before secure TLS connection/i, example: 'error:0A000126:SSL routines::unexpected eof while reading', meaning: 'closedEarly', source: 'OpenSSL 3 (SSL_R_UNEXPECTED_EOF_WHILE_READING); Node (ECONNRESET "Client network socket disconnected before secure TLS connection was established")' },
  { id: 'firefox-eof', clients: ['firefox'], pattern: /PR_END_OF_FILE_ERROR/, example: 'PR_END_OF_FILE_ERROR', meaning: 'closedEarly', source: NSS },
  { id: 'go-eof', clients: ['go'], pattern: /remote error: tls: (?:EOF)|tls: handshake .*EOF|: EOF$/m, example: 'Get "https://example.com/": EOF', meaning: 'closedEarly', source: GO },

  // A first record that is not TLS.
  { id: 'wrong-version-number', clients: ['curl', 'openssl', 'python', 'node'], pattern: /wrong version number|WRONG_VERSION_NUMBER/i, example: 'curl: (35) OpenSSL/3.0.22: error:0A00010B:SSL routines::wrong version number', meaning: 'notTlsAnswer', source: LAB },
  { id: 'gnutls-type-72', clients: ['gnutls'], pattern: /Received record packet of unknown type 72\b/, example: '|<1>| Received record packet of unknown type 72', meaning: 'httpAnswer', source: LAB },
  { id: 'gnutls-unknown-type', clients: ['gnutls'], pattern: /Received record packet of unknown type (?!72\b)\d+/, example: '|<1>| Received record packet of unknown type 0', meaning: 'binaryAnswer', source: LAB },
  { id: 'gnutls-unexpected-packet', clients: ['gnutls', 'wget'], pattern: /An unexpected TLS packet was received/i, example: 'GnuTLS: An unexpected TLS packet was received.', meaning: 'notTlsAnswer', source: LAB },
  { id: 'firefox-record-too-long', clients: ['firefox'], pattern: /SSL_ERROR_RX_RECORD_TOO_LONG/, example: 'SSL_ERROR_RX_RECORD_TOO_LONG', meaning: 'httpAnswer', source: NSS },
  // net/http says "server gave HTTP response to HTTPS client" when the bytes are HTTP; this is for the others.
  { id: 'go-not-tls', clients: ['go'], pattern: /first record does not look like a TLS handshake/i, example: 'tls: first record does not look like a TLS handshake', meaning: 'binaryAnswer', source: GO },
  { id: 'go-http-response', clients: ['go'], pattern: /server gave HTTP response to HTTPS client/i, example: 'http: server gave HTTP response to HTTPS client', meaning: 'httpAnswer', source: GO },
  { id: 'java-plaintext', clients: ['java'], pattern: /Unsupported or unrecognized SSL message|plaintext connection\?/i, example: 'javax.net.ssl.SSLException: Unsupported or unrecognized SSL message', meaning: 'notTlsAnswer', source: JDK },

  // Plain HTTP sent to a TLS port: a browser shows the server's page; curl gets TLS bytes it cannot read as HTTP.
  { id: 'nginx-plain-http', clients: ['chrome', 'firefox', 'curl', 'wget'], pattern: /The plain HTTP request was sent to HTTPS port/i, example: '400 The plain HTTP request was sent to HTTPS port', meaning: 'httpToTls', source: "nginx's error page for its code 497 (ngx_http_special_response.c)" },
  { id: 'apache-plain-http', clients: ['firefox', 'chrome', 'curl', 'wget'], pattern: /speaking plain HTTP to an SSL-enabled server port/i, example: "Reason: You're speaking plain HTTP to an SSL-enabled server port.", meaning: 'httpToTls', source: "Apache mod_ssl's answer to plain HTTP on an SSL port" },
  { id: 'curl-http09', clients: ['curl'], pattern: /Received HTTP\/0\.9 when not allowed/i, example: 'curl: (1) Received HTTP/0.9 when not allowed', meaning: 'httpToTls', source: 'curl (since 7.66 it refuses an answer without an HTTP status line, such as TLS bytes, unless --http0.9)' },

  // Timeouts and connection failures.
  { id: 'curl-28', clients: ['curl', 'git', 'php'], pattern: /\(28\) (?:Connection|Operation) timed out|(?:cURL error 28: |^fatal: unable to access '[^']*': )(?:Connection|Operation) timed out/im, example: 'curl: (28) Connection timed out after 4001 milliseconds', meaning: 'anyTimeout', source: LAB },
  { id: 'connect-timed-out', clients: ['wget', 'python', 'node', 'java', 'go', 'openssl'], pattern: /failed: Connection timed out|ETIMEDOUT|connect timed out|Connect timeout|dial tcp .*i\/o timeout|\[Errno 110\]/i, example: 'failed: Connection timed out.', meaning: 'connectTimeout', source: LAB },
  { id: 'handshake-timed-out', clients: ['python', 'go'], pattern: /handshake operation timed out|TLS handshake timeout/i, example: 'TimeoutError: _ssl.c:989: The handshake operation timed out', meaning: 'handshakeTimeout', source: LAB },
  { id: 'timed-out', clients: ['python', 'node', 'wechat'], pattern: /TimeoutError: timed out|urlopen error timed out|aborted due to timeout|request:fail timeout|UND_ERR_CONNECT_TIMEOUT/i, example: 'DOMException [TimeoutError]: The operation was aborted due to timeout', meaning: 'anyTimeout', source: LAB },
  { id: 'refused', clients: ['wget', 'openssl', 'gnutls', 'python', 'node', 'java', 'go'], pattern: /Connection refused|ECONNREFUSED|\[Errno 111\]/i, example: 'Error: connect ECONNREFUSED 203.0.113.7:443', meaning: 'refused', source: LAB },
  { id: 'unreachable', clients: ['wget', 'openssl', 'gnutls', 'python', 'node', 'java', 'go'], pattern: /No route to host|EHOSTUNREACH|ENETUNREACH|Network is unreachable|\[Errno 113\]/i, example: 'failed: No route to host.', meaning: 'unreachable', source: LAB },
  { id: 'curl-7', clients: ['curl', 'git', 'php'], pattern: /\(7\) Failed to connect to .*(?:Couldn't connect to server|Connection refused|No route to host)?|Failed to connect to \S+ port \d+ after \d+ ms: Couldn't connect to server/i, example: "curl: (7) Failed to connect to www.example.com port 443 after 0 ms: Couldn't connect to server", meaning: 'couldNotConnect', source: LAB },

  // Names.
  { id: 'dns', clients: ['curl', 'wget', 'openssl', 'gnutls', 'python', 'node', 'go', 'java'], pattern: /Could not resolve host|unable to resolve host address|ENOTFOUND|EAI_AGAIN|Name or service not known|Cannot resolve|nodename nor servname|UnknownHostException|no such host|getaddrinfo failed|Temporary failure in name resolution/i, example: 'curl: (6) Could not resolve host: www.example.com', meaning: 'dns', source: LAB },

  // Certificates.
  { id: 'expired', clients: ['curl', 'wget', 'openssl', 'python', 'node'], pattern: /has expired\b(?! or is not yet valid: current time \S+ is before)|CERT_HAS_EXPIRED|chain uses expired certificate/i, example: 'curl: (60) SSL certificate problem: certificate has expired', meaning: 'certExpired', source: LAB },
  // Go names the end its clock fails in ("is before" notBefore), Java the exception under its "validity check failed": those are not-yet-valid's.
  { id: 'expired-others', clients: ['firefox', 'go', 'java'], pattern: /SEC_ERROR_EXPIRED_CERTIFICATE|certificate has expired or is not yet valid(?!: current time \S+ is before)|CertificateExpiredException|validity check failed(?![\s\S]*CertificateNotYetValidException)/i, example: 'x509: certificate has expired or is not yet valid', meaning: 'certExpired', source: `${NSS}; ${GO}; ${JDK}` },
  { id: 'not-yet-valid', clients: ['curl', 'wget', 'openssl', 'gnutls', 'python', 'node'], pattern: /certificate is not yet valid|not yet activated|CERT_NOT_YET_VALID|chain uses not yet valid certificate|CertificateNotYetValidException/i, example: 'curl: (60) SSL certificate problem: certificate is not yet valid', meaning: 'certNotYetValid', source: LAB },
  { id: 'name', clients: ['curl', 'wget', 'gnutls', 'python', 'node'], pattern: /no alternative certificate subject name matches|owner does not match hostname|name in the certificate does not match|Hostname mismatch|does not match certificate's altnames/i, example: "curl: (60) SSL: no alternative certificate subject name matches target host name 'www.example.com'", meaning: 'certName', source: LAB },
  { id: 'name-others', clients: ['firefox', 'go', 'java'], pattern: /SSL_ERROR_BAD_CERT_DOMAIN|certificate is valid for .*, not |No subject alternative (?:DNS )?names? matching|No name matching/i, example: 'x509: certificate is valid for other.example.com, not www.example.com', meaning: 'certName', source: `${NSS}; ${GO}; ${JDK}` },
  { id: 'proxy-default', clients: ['openssl', 'curl', 'gnutls'], pattern: /Kubernetes Ingress Controller Fake Certificate|TRAEFIK DEFAULT CERT/i, example: 'depth=0 O = Acme Co, CN = Kubernetes Ingress Controller Fake Certificate', meaning: 'proxyDefault', source: LAB },
  { id: 'self-signed', clients: ['curl', 'openssl', 'python', 'node'], pattern: /self[- ]signed certificate(?! in certificate chain)|DEPTH_ZERO_SELF_SIGNED_CERT/i, example: 'curl: (60) SSL certificate problem: self-signed certificate', meaning: 'selfSigned', source: LAB },
  { id: 'self-signed-in-chain', clients: ['curl', 'openssl', 'python', 'node'], pattern: /self[- ]signed certificate in certificate chain|SELF_SIGNED_CERT_IN_CHAIN/i, example: 'curl: (60) SSL certificate problem: self-signed certificate in certificate chain', meaning: 'untrustedRoot', source: 'OpenSSL X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN (19)' },
  { id: 'local-issuer', clients: ['curl', 'openssl', 'python', 'node'], pattern: /unable to get local issuer certificate|unable to verify the first certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/i, example: 'curl: (60) SSL certificate problem: unable to get local issuer certificate', meaning: 'unknownIssuer', source: LAB },
  { id: 'unknown-issuer', clients: ['wget', 'gnutls'], pattern: /doesn't have a known issuer|certificate issuer is unknown|signer not found/i, example: "ERROR: The certificate of 'example.com' doesn't have a known issuer.", meaning: 'unknownIssuer', source: LAB },
  { id: 'unknown-authority', clients: ['go', 'java', 'firefox'], pattern: /certificate signed by unknown authority|PKIX path building failed|unable to find valid certification path|SEC_ERROR_UNKNOWN_ISSUER|MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT/i, example: 'x509: certificate signed by unknown authority', meaning: 'unknownIssuer', source: `${GO}; ${JDK}; ${NSS}` },
  { id: 'cert-generic', clients: ['gnutls', 'wget', 'openssl', 'java'], pattern: /Error in the certificate|is not trusted|certificate verify failed|PKI verification of server certificate failed|CERTIFICATE_VERIFY_FAILED|certificate_unknown/i, example: '*** Fatal error: Error in the certificate.', meaning: 'certGeneric', source: LAB },

  // Versions, suites, alerts.
  { id: 'version-alert', clients: ['curl', 'openssl', 'python', 'node', 'go', 'java'], pattern: /alert protocol version|TLSV1_ALERT_PROTOCOL_VERSION|unsupported protocol|UNSUPPORTED_PROTOCOL|No appropriate protocol|protocol version not supported|tls: protocol version not supported|SSL_ERROR_UNSUPPORTED_VERSION/i, example: 'ssl.SSLError: [SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert protocol version (_ssl.c:1006)', meaning: 'versionAlert', source: LAB },
  { id: 'legacy-sigalg', clients: ['curl', 'openssl', 'node'], pattern: /legacy sigalg disallowed or unsupported/i, example: 'curl: (35) OpenSSL/3.0.22: error:0A00014D:SSL routines::legacy sigalg disallowed or unsupported', meaning: 'legacySignature', source: LAB },
  { id: 'internal-error-alert', clients: ['curl', 'openssl', 'python', 'node'], pattern: /alert internal error|TLSV1_ALERT_INTERNAL_ERROR|received alert \[80\]|alert number 80/i, example: 'curl: (35) OpenSSL/3.0.22: error:0A000438:SSL routines::tlsv1 alert internal error', meaning: 'internalErrorAlert', source: LAB },
  { id: 'handshake-failure-alert', clients: ['curl', 'openssl', 'python', 'node', 'go', 'java'], pattern: /alert handshake failure|SSLV3_ALERT_HANDSHAKE_FAILURE|remote error: tls: handshake failure|Received fatal alert: handshake_failure|received alert \[40\]|alert number 40/i, example: 'ssl.SSLError: [SSL: SSLV3_ALERT_HANDSHAKE_FAILURE] sslv3 alert handshake failure (_ssl.c:1006)', meaning: 'handshakeFailureAlert', source: LAB },
  { id: 'no-app-protocol-alert', clients: ['curl', 'openssl', 'python', 'node'], pattern: /alert no application protocol|NO_APPLICATION_PROTOCOL|received alert \[120\]|alert number 120/i, example: 'error:0A000460:SSL routines:ssl3_read_bytes:tlsv1 alert no application protocol', meaning: 'alpnAlert', source: LAB },
  { id: 'cipher-mismatch', clients: ['firefox', 'curl', 'openssl'], pattern: /SSL_ERROR_NO_CYPHER_OVERLAP|no cipher match|no ciphers available|NO_CIPHERS_AVAILABLE|no shared cipher/i, example: 'SSL_ERROR_NO_CYPHER_OVERLAP', meaning: 'cipherMismatch', source: `${NSS}; OpenSSL` },
  { id: 'gnutls-unexpected-handshake', clients: ['gnutls', 'wget'], pattern: /An unexpected TLS handshake packet was received/i, example: '*** Fatal error: An unexpected TLS handshake packet was received.', meaning: 'unexpectedHandshake', source: LAB },
  { id: 'gnutls-fatal-alert', clients: ['gnutls', 'wget'], pattern: /A TLS fatal alert has been received/i, example: 'GnuTLS: A TLS fatal alert has been received.', meaning: 'unnamedFatalAlert', source: LAB },
  { id: 'undici-other-side-closed', clients: ['node'], pattern: /other side closed|UND_ERR_SOCKET|This socket has been ended by the other party/, example: "TypeError: fetch failed\n  [cause]: SocketError: other side closed", meaning: 'closedAfterHandshake', source: 'undici (Node fetch): SocketError UND_ERR_SOCKET, the socket closed once connected' },
  { id: 'wget-session-data', clients: ['wget'], pattern: /Could not save SSL session data/i, example: 'WARNING: Could not save SSL session data for socket 4', meaning: 'closedAfterHandshake', source: LAB },
  { id: 'ssl-generic', clients: ['wget', 'node'], pattern: /Unable to establish SSL connection|write EPROTO/i, example: 'Unable to establish SSL connection.', meaning: 'sslGeneric', source: LAB },

  // Client certificates.
  { id: 'no-client-cert-page', clients: ['curl', 'wget', 'python', 'node', 'chrome', 'firefox'], pattern: /No required SSL certificate was sent|400 The SSL certificate error/i, example: '400 No required SSL certificate was sent', meaning: 'clientCertRequired', source: 'nginx (ngx_http_ssl_module, ssl_verify_client on): its 400 page' },
  { id: 'cert-required-alert', clients: ['curl', 'openssl', 'python', 'node', 'go', 'java'], pattern: /alert certificate required|CERTIFICATE_REQUIRED|alert number 116|received alert \[116\]|tls: certificate required|bad_certificate|SSL_ERROR_HANDSHAKE_FAILURE_ALERT/i, example: 'error:0A00045C:SSL routines::tlsv13 alert certificate required', meaning: 'clientCertRequired', source: `OpenSSL (SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED); ${GO}; ${JDK}` },
  { id: 'forbidden', clients: ['python', 'wget', 'node'], pattern: /HTTP Error 403: Forbidden|ERROR 403: Forbidden|statusCode: 403\b/i, example: 'urllib.error.HTTPError: HTTP Error 403: Forbidden', meaning: 'forbidden', source: LAB },
  { id: 'misdirected', clients: ['python', 'wget', 'node', 'curl'], pattern: /HTTP Error 421|ERROR 421: Misdirected Request|421 Misdirected Request|statusCode: 421\b/i, example: 'urllib.error.HTTPError: HTTP Error 421: Misdirected Request', meaning: 'misdirected', source: LAB },
  { id: 'redirect-loop', clients: ['wget', 'python', 'node', 'curl'], pattern: /\d+ redirections exceeded|redirect error that would lead to an infinite loop|redirect count exceeded|Maximum \(\d+\) redirects followed/i, example: '20 redirections exceeded.', meaning: 'redirectLoop', source: LAB },
  { id: 'bad-request', clients: ['python', 'wget', 'node'], pattern: /HTTP Error 400: Bad Request|ERROR 400: Bad Request|statusCode: 400\b/i, example: 'urllib.error.HTTPError: HTTP Error 400: Bad Request', meaning: 'badRequest', source: LAB },

  // WebSocket and WeChat.
  { id: 'websocket-response', clients: ['chrome', 'firefox', 'node', 'wechat'], pattern: /Error during WebSocket handshake: Unexpected response code: \d+|Unexpected server response: \d+|WebSocket connection to .* failed|connectSocket:fail/i, example: "WebSocket connection to 'wss://example.com/ws' failed: Error during WebSocket handshake: Unexpected response code: 404", meaning: 'websocket', source: `${CHROMIUM} (WebSocket); the ws package; ${WECHAT}` },
  { id: 'wechat-domain', clients: ['wechat'], pattern: /url not in domain list|不在以下 request 合法域名列表中|domain list/i, example: 'request:fail url not in domain list', meaning: 'domainNotAllowed', source: WECHAT },
  // TLS libraries' own words, found inside any program's wrapping: messages/vocabularies.ts.
  ...VOCABULARY_ENTRIES,
  // Chromium's net errors (net::ERR_…), from its own list: messages/net-errors.ts.
  ...NET_ERROR_ENTRIES,
  { id: 'wechat-ssl', clients: ['wechat'], pattern: /ssl hand ?shake error|request:fail .*ssl|request:fail -(?:2|101|102|202)\b/i, example: 'request:fail ssl hand shake error', meaning: 'wechatSsl', source: WECHAT },
];
