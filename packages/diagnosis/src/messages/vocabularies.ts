import type { MessageEntry } from './message-entry.js';

/**
 * Messages keyed by a TLS library's own words, not by one program's whole line: each pattern is
 * what the library says (its reason string, its error's Display or Debug text), so it is found
 * inside whatever prefix the program adds (git's `fatal: unable to access '…':`, PHP's `cURL
 * error N:`, reqwest's `error sending request for url (…)`, a Java `Caused by:` chain, a Python
 * traceback, an nginx error.log line). Sources are the libraries' own strings.
 */
const RUSTLS = 'rustls Error and CertificateError (Display and Debug), as reqwest, ureq and hyper-rustls wrap them';
const GNUTLS = 'GnuTLS gnutls_strerror() texts; curl built on GnuTLS (lib/vtls/gtls.c), as Debian\'s git uses it';
const OPENSSL = 'OpenSSL reason and verify strings (crypto/err, X509_verify_cert_error_string)';
const JDK = 'OpenJDK sun.security.ssl (Alert, ClientHello/ServerHello), java.net and java.net.http exceptions';
const DOTNET = '.NET System.Net.Security (SslPolicyErrors, X509ChainStatusFlags) and HttpClient messages';
const GO = "Go's crypto/tls alert texts, crypto/x509 errors and net/http's timeouts";
const RUBY = "Ruby's openssl extension (SSL_connect returned=… state=…) and Net::HTTP's timeouts";
const PHP = "PHP's openssl stream wrapper (SSL operation failed…, Peer certificate CN=…) and its HTTP wrapper";
const PYTHON = 'urllib3 and requests (ConnectTimeoutError, ReadTimeoutError, match_hostname), httpx';
const NGINX = "nginx's error.log as a proxy_pass https:// client (ngx_event_openssl.c, ngx_http_upstream.c)";
const CURL = 'curl (its -f error), as libcurl users (git, PHP, pip) pass it on';
const ARIA2 = "aria2c's own words (SocketCore's GnuTLS certificate status list, its error codes, its name resolution line), inside its `Exception: [File.cc:N] errorCode=N` prefix";
const LYNX = "lynx's own fixed messages (HTTCP, HTTP and its GnuTLS glue: `Alert!:` lines, `Unable to locate remote host`), as `lynx -dump` prints them";

/** An alert's name in rustls's Debug form (`AlertReceived(ProtocolVersion)`) or its Display (`received fatal alert: ProtocolVersion`). */
const rustlsAlert = (name: string) => new RegExp(`(?:received fatal alert: |AlertReceived\\()${name}\\b`);
/** A certificate error in rustls's Display (`invalid peer certificate: UnknownIssuer`) or Debug (`InvalidCertificate(UnknownIssuer)`) form. */
const rustlsCert = (words: string) => new RegExp(`(?:invalid peer certificate: |InvalidCertificate\\()(?:Cert)?(?:${words})`);
/**
 * An HTTP status as HTTP libraries word a failed request's answer: ureq's `status code 421`, Java's
 * `HTTP response code: 421`, curl's (and git's) `returned error: 421`, PHP's `HTTP/1.0 421`,
 * requests' `421 Client Error`, npm's `code E421`, a bare `HTTP 421` at a line's start.
 */
const httpStatus = (status: number) => new RegExp(`(?:status code|HTTP response code:|returned error:|HTTP request failed! HTTP/1\\.[01]|npm error code E|^HTTP|not successful\\. status=|Alert!: HTTP/1\\.[01]) ?${status}\\b|\\b${status} (?:Client|Server) Error\\b`, 'm');
const HTTP = 'HTTP libraries (ureq, java.net, curl, PHP streams, requests, httpx, npm) wording a status or a redirect limit';

export const VOCABULARY_ENTRIES: MessageEntry[] = [
  // rustls.
  { id: 'rustls-unknown-issuer', library: 'rustls', clients: ['rust'], pattern: rustlsCert('UnknownIssuer'), example: 'invalid peer certificate: UnknownIssuer', meaning: 'unknownIssuer', source: RUSTLS },
  { id: 'rustls-expired', library: 'rustls', clients: ['rust'], pattern: rustlsCert('Expired|certificate expired'), example: 'invalid peer certificate: Expired', meaning: 'certExpired', source: RUSTLS },
  { id: 'rustls-not-yet-valid', library: 'rustls', clients: ['rust'], pattern: rustlsCert('NotValidYet|certificate not valid yet'), example: 'invalid peer certificate: NotValidYet', meaning: 'certNotYetValid', source: RUSTLS },
  { id: 'rustls-name', library: 'rustls', clients: ['rust'], pattern: rustlsCert('NotValidForName|certificate not valid for name'), example: 'invalid peer certificate: NotValidForName', meaning: 'certName', source: RUSTLS },
  { id: 'rustls-bad-signature', library: 'rustls', clients: ['rust'], pattern: rustlsCert('BadSignature|UnsupportedSignatureAlgorithm'), example: 'invalid peer certificate: BadSignature', meaning: 'certGeneric', source: RUSTLS },
  { id: 'rustls-alert-version', library: 'rustls', clients: ['rust'], pattern: rustlsAlert('ProtocolVersion'), example: 'received fatal alert: ProtocolVersion', meaning: 'versionAlert', source: RUSTLS },
  { id: 'rustls-alert-handshake', library: 'rustls', clients: ['rust'], pattern: rustlsAlert('HandshakeFailure'), example: 'received fatal alert: HandshakeFailure', meaning: 'handshakeFailureAlert', source: RUSTLS },
  { id: 'rustls-alert-internal', library: 'rustls', clients: ['rust'], pattern: rustlsAlert('InternalError'), example: 'received fatal alert: InternalError', meaning: 'internalErrorAlert', source: RUSTLS },
  { id: 'rustls-alert-cert-required', library: 'rustls', clients: ['rust'], pattern: rustlsAlert('CertificateRequired|BadCertificate'), example: 'received fatal alert: CertificateRequired', meaning: 'clientCertRequired', source: RUSTLS },
  { id: 'rustls-alert-alpn', library: 'rustls', clients: ['rust'], pattern: rustlsAlert('NoApplicationProtocol'), example: 'received fatal alert: NoApplicationProtocol', meaning: 'alpnAlert', source: RUSTLS },
  { id: 'rustls-incompatible-version', library: 'rustls', clients: ['rust'], pattern: /(?:peer is incompatible: |PeerIncompatible\()(?:ServerDoesNotSupportTls12Or13|Tls12NotOffered|SupportedVersionsExtensionRequired)/, example: 'peer is incompatible: ServerDoesNotSupportTls12Or13', meaning: 'versionAlert', source: RUSTLS },
  { id: 'rustls-incompatible-suites', library: 'rustls', clients: ['rust'], pattern: /(?:peer is incompatible: |PeerIncompatible\()(?:NoCipherSuitesInCommon|NoKxGroupsInCommon|NoSignatureSchemesInCommon)/, example: 'peer is incompatible: NoCipherSuitesInCommon', meaning: 'cipherMismatch', source: RUSTLS },
  { id: 'rustls-corrupt', library: 'rustls', clients: ['rust'], pattern: /received corrupt message(?: of type InvalidContentType)?|InvalidMessage\(InvalidContentType\)|InvalidContentType/, example: 'received corrupt message of type InvalidContentType', meaning: 'notTlsAnswer', source: RUSTLS },
  // webpki: a certificate with CA:TRUE at the end of the chain, as a self-signed server certificate is.
  { id: 'rustls-ca-as-leaf', library: 'rustls', clients: ['rust'], pattern: rustlsCert('CaUsedAsEndEntity'), example: 'invalid peer certificate: CaUsedAsEndEntity', meaning: 'selfSigned', source: `${RUSTLS} (webpki's CaUsedAsEndEntity)` },
  { id: 'rustls-unexpected-message', library: 'rustls', clients: ['rust'], pattern: /received unexpected handshake message: got \w+ when expecting|InappropriateHandshakeMessage/, example: 'received unexpected handshake message: got HelloRequest when expecting ServerHello or HelloRetryRequest', meaning: 'unexpectedHandshake', source: RUSTLS },
  // A socket read timeout is EAGAIN to Rust's std (os error 11); raised while the TLS handshake runs it is the handshake's timeout.
  { id: 'rust-handshake-would-block', clients: ['rust'], pattern: /tls connection init failed: Resource temporarily unavailable \(os error 11\)|native_tls::HandshakeError::WouldBlock/, example: 'tls connection init failed: Resource temporarily unavailable (os error 11)', meaning: 'handshakeTimeout', source: "Rust std (io::Error EAGAIN as a socket timeout), native-tls's HandshakeError, as ureq wraps them" },
  { id: 'rust-connect-timeout', clients: ['rust'], pattern: /Connect error: connection timed out/, example: 'Connection Failed: Connect error: connection timed out', meaning: 'synTimeout', source: "Rust std (io::ErrorKind::TimedOut), as ureq wraps a connect that timed out" },
  { id: 'rustls-eof', library: 'rustls', clients: ['rust'], pattern: /tls handshake eof|peer closed connection without sending TLS close_notify/i, example: 'tls handshake eof', meaning: 'closedEarly', source: 'tokio-rustls and rustls (an end of stream during the handshake)' },

  // GnuTLS, and curl on GnuTLS (git on Debian).
  { id: 'gnutls-premature', library: 'gnutls', clients: ['gnutls', 'wget', 'git', 'curl'], pattern: /The TLS connection was non-properly terminated|GNUTLS_E_PREMATURE_TERMINATION/i, example: 'gnutls_handshake() failed: The TLS connection was non-properly terminated.', meaning: 'closedEarly', source: GNUTLS },
  { id: 'gnutls-version-packet', library: 'gnutls', clients: ['gnutls', 'wget', 'git', 'curl'], pattern: /A packet with illegal or unsupported version was received|GNUTLS_E_UNSUPPORTED_VERSION_PACKET/i, example: 'gnutls_handshake() failed: A packet with illegal or unsupported version was received.', meaning: 'versionAlert', source: GNUTLS },
  { id: 'gnutls-no-suite', library: 'gnutls', clients: ['gnutls', 'wget', 'git', 'curl'], pattern: /Could not negotiate a supported cipher suite|No supported cipher suites have been found|GNUTLS_E_(?:NO|UNKNOWN)_CIPHER_SUITES?/i, example: 'gnutls_handshake() failed: Could not negotiate a supported cipher suite.', meaning: 'cipherMismatch', source: GNUTLS },
  { id: 'gnutls-push', library: 'gnutls', clients: ['gnutls', 'wget', 'git', 'curl'], pattern: /Error in the push function/i, example: 'GnuTLS: Error in the push function.', meaning: 'reset', source: GNUTLS },
  { id: 'curl-gnutls-signer', library: 'gnutls', clients: ['curl', 'git'], pattern: /certificate signer not trusted|signer not found/i, example: 'server verification failed: certificate signer not trusted. (CAfile: /etc/ssl/certs/ca-certificates.crt CRLfile: none)', meaning: 'unknownIssuer', source: GNUTLS },
  { id: 'curl-gnutls-not-activated', library: 'gnutls', clients: ['curl', 'git'], pattern: /certificate not activated/i, example: 'server verification failed: certificate not activated. (CAfile: none CRLfile: none)', meaning: 'certNotYetValid', source: GNUTLS },
  { id: 'curl-gnutls-name', library: 'gnutls', clients: ['curl', 'git'], pattern: /certificate subject name \([^)]*\) does not match target host name/i, example: "SSL: certificate subject name (other.example.com) does not match target host name 'www.example.com'", meaning: 'certName', source: GNUTLS },
  { id: 'curl-gnutls-getpeername', library: 'gnutls', clients: ['curl', 'git'], pattern: /getpeername\(\) failed with errno 107/, example: "fatal: unable to access 'https://www.example.com/r.git/': getpeername() failed with errno 107: Transport endpoint is not connected", meaning: 'closedAfterHandshake', source: `${GNUTLS} (the server closed the connection right after the handshake, as a TLS 1.3 server requiring a client certificate does)` },
  // GnuTLS's own internal error: a local failure with no alert named, e.g. a server's version its priorities refuse.
  { id: 'gnutls-internal', library: 'gnutls', clients: ['gnutls', 'wget', 'git', 'curl'], pattern: /gnutls_handshake\(\) failed: Internal error|GNUTLS_E_INTERNAL_ERROR/, example: 'gnutls_handshake() failed: Internal error', meaning: 'sslGeneric', source: GNUTLS },
  { id: 'curl-gnutls-verify', library: 'gnutls', clients: ['curl', 'git'], pattern: /server certificate verification failed\. CAfile/i, example: 'server certificate verification failed. CAfile: none CRLfile: none', meaning: 'certGeneric', source: GNUTLS },

  // OpenSSL reason strings not yet in the lab's recordings.
  { id: 'openssl-not-tls', library: 'openssl', clients: ['curl', 'openssl', 'python', 'node', 'ruby', 'php', 'nginx'], pattern: /packet length too long|record layer failure|SSL3_GET_RECORD/i, example: 'error:0A0000C6:SSL routines::packet length too long', meaning: 'notTlsAnswer', source: OPENSSL },
  { id: 'openssl-no-protocols', library: 'openssl', clients: ['curl', 'openssl', 'python', 'node', 'ruby', 'php'], pattern: /no protocols available|NO_PROTOCOLS_AVAILABLE/i, example: 'error:0A0000BF:SSL routines::no protocols available', meaning: 'versionAlert', source: OPENSSL },
  { id: 'openssl-ip-mismatch', library: 'openssl', clients: ['curl', 'openssl', 'python', 'ruby'], pattern: /IP address mismatch|ERR_TLS_CERT_ALTNAME_INVALID/i, example: 'certificate verify failed: IP address mismatch, certificate is not valid for \'203.0.113.7\'.', meaning: 'certName', source: OPENSSL },

  // Java's JSSE.
  { id: 'java-alert-version', library: 'jsse', clients: ['java'], pattern: /Received fatal alert: protocol_version|The server selected protocol version \w+ is not accepted by client preferences/i, example: 'javax.net.ssl.SSLHandshakeException: The server selected protocol version TLS10 is not accepted by client preferences [TLS13, TLS12]', meaning: 'versionAlert', source: JDK },
  { id: 'java-unexpected-handshake', library: 'jsse', clients: ['java'], pattern: /Unsupported handshake message: \w+|Unexpected handshake message: \w+/, example: 'javax.net.ssl.SSLProtocolException: Unsupported handshake message: hello_request', meaning: 'unexpectedHandshake', source: JDK },
  { id: 'java-alert-internal', library: 'jsse', clients: ['java'], pattern: /Received fatal alert: internal_error/i, example: 'javax.net.ssl.SSLHandshakeException: Received fatal alert: internal_error', meaning: 'internalErrorAlert', source: JDK },
  { id: 'java-alert-alpn', library: 'jsse', clients: ['java'], pattern: /Received fatal alert: no_application_protocol/i, example: 'javax.net.ssl.SSLHandshakeException: Received fatal alert: no_application_protocol', meaning: 'alpnAlert', source: JDK },
  { id: 'java-socket-connect-timeout', library: 'jsse', clients: ['java'], pattern: /SocketTimeoutException: Connect timed out|ConnectException: Connection timed out/i, example: 'java.net.SocketTimeoutException: Connect timed out', meaning: 'synTimeout', source: JDK },
  { id: 'java-connect-exception', library: 'jsse', clients: ['java'], pattern: /java\.net\.ConnectException(?:: Connection refused)?$/m, example: 'java.net.ConnectException', meaning: 'couldNotConnect', source: `${JDK} (java.net.http says ConnectException without words, ClosedChannelException under it)` },
  { id: 'java-unresolved', library: 'jsse', clients: ['java'], pattern: /UnresolvedAddressException/, example: 'Caused by: java.nio.channels.UnresolvedAddressException', meaning: 'dns', source: `${JDK} (java.net.http's ConnectException over a name that did not resolve)` },
  { id: 'java-http-connect-timeout', library: 'jsse', clients: ['java'], pattern: /HttpConnectTimeoutException/, example: 'java.net.http.HttpConnectTimeoutException: HTTP connect timed out', meaning: 'connectTimeout', source: JDK },
  { id: 'java-read-timeout', library: 'jsse', clients: ['java'], pattern: /SocketTimeoutException: Read timed out|HttpTimeoutException: request timed out/i, example: 'java.net.SocketTimeoutException: Read timed out', meaning: 'readTimeout', source: JDK },

  // .NET.
  { id: 'dotnet-name', library: 'dotnet', clients: ['dotnet'], pattern: /RemoteCertificateNameMismatch/, example: 'The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch', meaning: 'certName', source: DOTNET },
  { id: 'dotnet-untrusted-root', library: 'dotnet', clients: ['dotnet'], pattern: /errors in the certificate chain: UntrustedRoot/, example: 'The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot', meaning: 'untrustedRoot', source: DOTNET },
  { id: 'dotnet-partial-chain', library: 'dotnet', clients: ['dotnet'], pattern: /errors in the certificate chain: PartialChain/, example: 'The remote certificate is invalid because of errors in the certificate chain: PartialChain', meaning: 'partialChain', source: DOTNET },
  { id: 'dotnet-not-time-valid', library: 'dotnet', clients: ['dotnet'], pattern: /errors in the certificate chain: NotTimeValid/, example: 'The remote certificate is invalid because of errors in the certificate chain: NotTimeValid', meaning: 'certExpired', source: DOTNET },
  { id: 'dotnet-chain-errors', library: 'dotnet', clients: ['dotnet'], pattern: /RemoteCertificateChainErrors/, example: 'The remote certificate is invalid according to the validation procedure: RemoteCertificateChainErrors', meaning: 'unknownIssuer', source: DOTNET },
  { id: 'dotnet-closed', library: 'dotnet', clients: ['dotnet'], pattern: /remote party has closed the transport stream|Received an unexpected EOF or 0 bytes from the transport stream/i, example: 'System.Security.Authentication.AuthenticationException: Authentication failed because the remote party has closed the transport stream.', meaning: 'closedEarly', source: DOTNET },
  { id: 'dotnet-frame', library: 'dotnet', clients: ['dotnet'], pattern: /Cannot determine the frame size or a corrupted frame was received/i, example: 'System.IO.IOException: Cannot determine the frame size or a corrupted frame was received.', meaning: 'notTlsAnswer', source: DOTNET },
  { id: 'dotnet-timeout', library: 'dotnet', clients: ['dotnet'], pattern: /HttpClient\.Timeout of [\d.]+ seconds elapsing/, example: 'The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.', meaning: 'anyTimeout', source: DOTNET },

  // Go.
  { id: 'go-selected-version', library: 'go', clients: ['go'], pattern: /tls: server selected unsupported protocol version|remote error: tls: protocol version not supported/, example: 'tls: server selected unsupported protocol version 301', meaning: 'versionAlert', source: GO },
  { id: 'go-internal', library: 'go', clients: ['go'], pattern: /remote error: tls: internal error/, example: 'remote error: tls: internal error', meaning: 'internalErrorAlert', source: GO },
  { id: 'go-alpn', library: 'go', clients: ['go'], pattern: /remote error: tls: no application protocol/, example: 'remote error: tls: no application protocol', meaning: 'alpnAlert', source: GO },
  { id: 'go-not-yet-valid', library: 'go', clients: ['go'], pattern: /x509: certificate has expired or is not yet valid: current time \S+ is before/, example: 'x509: certificate has expired or is not yet valid: current time 2026-12-07T17:08:08Z is before 2036-12-04T16:59:45Z', meaning: 'certNotYetValid', source: GO },
  { id: 'go-no-names', library: 'go', clients: ['go'], pattern: /x509: certificate is not valid for any names/, example: 'x509: certificate is not valid for any names, but wanted to match www.example.com', meaning: 'certName', source: GO },
  { id: 'go-dial-timeout', library: 'go', clients: ['go'], pattern: /dial tcp \S+: i\/o timeout/, example: 'Get "https://www.example.com/": dial tcp 203.0.113.7:443: i/o timeout', meaning: 'synTimeout', source: GO },
  { id: 'go-unexpected-handshake', library: 'go', clients: ['go'], pattern: /tls: received unexpected handshake message of type/, example: 'tls: received unexpected handshake message of type *tls.helloRequestMsg when waiting for *tls.serverHelloMsg', meaning: 'unexpectedHandshake', source: GO },
  { id: 'go-awaiting-headers', library: 'go', clients: ['go'], pattern: /Client\.Timeout exceeded while awaiting headers|timeout awaiting response headers/, example: 'net/http: request canceled (Client.Timeout exceeded while awaiting headers)', meaning: 'readTimeout', source: GO },

  // Programs' own words around a library: Ruby, PHP, urllib3/requests/httpx, nginx, curl's timeouts.
  { id: 'ruby-hostname', library: 'openssl', clients: ['ruby'], pattern: /hostname "[^"]+" does not match the server certificate/, example: 'hostname "www.example.com" does not match the server certificate (OpenSSL::SSL::SSLError)', meaning: 'certName', source: RUBY },
  { id: 'ruby-syscall', library: 'openssl', clients: ['ruby'], pattern: /SSL_connect SYSCALL returned=5 errno=0/, example: 'SSL_connect SYSCALL returned=5 errno=0 peeraddr=203.0.113.7:443 state=SSLv3/TLS write client hello (OpenSSL::SSL::SSLError)', meaning: 'closedEarly', source: RUBY },
  { id: 'ruby-tcp-open', clients: ['ruby'], pattern: /Failed to open TCP connection to \S+ \((?:execution expired|Connection timed out)/, example: 'Failed to open TCP connection to www.example.com:443 (execution expired) (Net::OpenTimeout)', meaning: 'synTimeout', source: RUBY },
  { id: 'ruby-ssl-open-timeout', library: 'openssl', clients: ['ruby'], pattern: /ssl_socket_connect'?:? ?.*Net::OpenTimeout|Net::OpenTimeout.*ssl_socket_connect/, example: "/usr/lib/ruby/3.1.0/net/protocol.rb:43:in `ssl_socket_connect': Net::OpenTimeout (Net::OpenTimeout)", meaning: 'handshakeTimeout', source: `${RUBY} (the open timeout raised in ssl_socket_connect: TCP was up, the handshake was not done)` },
  { id: 'ruby-ealready', clients: ['ruby'], pattern: /Errno::EALREADY/, example: 'Failed to open TCP connection to www.example.com:443 (Operation already in progress - connect(2) for 203.0.113.7:443) (Errno::EALREADY)', meaning: 'couldNotConnect', source: `${RUBY} (a second connect after a failed one reports EALREADY, hiding the first error)` },
  { id: 'ruby-open-timeout', clients: ['ruby'], pattern: /^(?!.*ssl_socket_connect).*Net::OpenTimeout/m, example: 'execution expired (Net::OpenTimeout)', meaning: 'connectTimeout', source: RUBY },
  { id: 'ruby-read-timeout', clients: ['ruby'], pattern: /Net::ReadTimeout/, example: 'Net::ReadTimeout with #<TCPSocket:(closed)> (Net::ReadTimeout)', meaning: 'readTimeout', source: RUBY },
  { id: 'php-peer-cn', library: 'openssl', clients: ['php'], pattern: /Peer certificate (?:CN=`[^']*'|subjectAltName) did not match expected (?:CN=|name)/, example: "Peer certificate CN=`other.example.com' did not match expected CN=`www.example.com'", meaning: 'certName', source: PHP },
  { id: 'php-stream-connect-timeout', clients: ['php'], pattern: /Failed to open stream: Connection timed out/, example: 'file_get_contents(https://www.example.com/): Failed to open stream: Connection timed out', meaning: 'synTimeout', source: PHP },
  { id: 'php-enable-crypto', library: 'openssl', clients: ['php'], pattern: /Failed to enable crypto/i, example: 'file_get_contents(): Failed to enable crypto', meaning: 'sslGeneric', source: PHP },
  { id: 'urllib3-hostname', clients: ['python'], pattern: /hostname '[^']+' doesn't match/, example: "hostname 'www.example.com' doesn't match 'other.example.com'", meaning: 'certName', source: PYTHON },
  { id: 'urllib3-connect-timeout', clients: ['python'], pattern: /ConnectTimeoutError|ConnectTimeout\b|\(connect timeout=[\d.]+\)/, example: "ConnectTimeoutError(<urllib3.connection.HTTPSConnection object at 0x7f>, 'Connection to www.example.com timed out. (connect timeout=4)')", meaning: 'connectTimeout', source: PYTHON },
  { id: 'urllib3-read-timeout', clients: ['python'], pattern: /ReadTimeoutError|\(read timeout=[\d.]+\)|httpx\.ReadTimeout|The read operation timed out/, example: "ReadTimeoutError(\"HTTPSConnectionPool(host='www.example.com', port=443): Read timed out. (read timeout=4)\")", meaning: 'readTimeout', source: PYTHON },
  { id: 'python-remote-disconnected', clients: ['python'], pattern: /Remote end closed connection without response|Server disconnected without sending a response/, example: "RemoteDisconnected('Remote end closed connection without response')", meaning: 'closedAfterHandshake', source: PYTHON },
  { id: 'nginx-upstream-name', library: 'openssl', clients: ['nginx'], pattern: /upstream SSL certificate does not match "[^"]*"/, example: 'upstream SSL certificate does not match "backend.example.com" while SSL handshaking to upstream', meaning: 'certName', source: NGINX },
  { id: 'nginx-upstream-closed', library: 'openssl', clients: ['nginx'], pattern: /peer closed connection in SSL handshake(?! \(104)/, example: 'peer closed connection in SSL handshake while SSL handshaking to upstream', meaning: 'closedEarly', source: NGINX },
  { id: 'nginx-upstream-dns', clients: ['nginx'], pattern: /host not found in upstream "[^"]*"|could not be resolved \(\d+: [^)]*\)/, example: 'nginx: [emerg] host not found in upstream "backend.example.com" in /etc/nginx/nginx.conf:5', meaning: 'dns', source: NGINX },
  { id: 'nginx-upstream-tls-timeout', clients: ['nginx'], pattern: /timed out \(110: [^)]*\) while SSL handshaking to upstream/, example: 'upstream timed out (110: Connection timed out) while SSL handshaking to upstream', meaning: 'handshakeTimeout', source: NGINX },
  { id: 'nginx-upstream-connect-timeout', clients: ['nginx'], pattern: /timed out \(110: [^)]*\) while connecting to upstream/, example: 'upstream timed out (110: Connection timed out) while connecting to upstream', meaning: 'synTimeout', source: NGINX },
  { id: 'nginx-upstream-read-timeout', clients: ['nginx'], pattern: /timed out \(110: [^)]*\) while reading (?:response header|upstream)/, example: 'upstream timed out (110: Connection timed out) while reading response header from upstream', meaning: 'readTimeout', source: NGINX },

  // HTTP answers and redirect limits, as HTTP libraries word them around any TLS library.
  { id: 'http-421', clients: ['java', 'python', 'php', 'ruby', 'curl', 'git', 'go', 'rust', 'node', 'nginx'], pattern: httpStatus(421), example: 'Error: https://www.example.com/: status code 421', meaning: 'misdirected', source: HTTP },
  { id: 'http-403', clients: ['java', 'python', 'php', 'ruby', 'curl', 'git', 'go', 'rust', 'node', 'nginx'], pattern: httpStatus(403), example: 'java.io.IOException: Server returned HTTP response code: 403 for URL: https://www.example.com/', meaning: 'forbidden', source: HTTP },
  { id: 'redirect-limit', clients: ['go', 'php', 'python', 'rust', 'node', 'ruby', 'java'], pattern: /stopped after \d+ redirects|Redirection limit reached|TooManyRedirects|Too Many Redirects|EMAXREDIRECT|maximum redirect reached|redirection forbidden|too many redirects/i, example: 'Get "https://www.example.com/": stopped after 10 redirects', meaning: 'redirectLoop', source: HTTP },

  // aria2c (GnuTLS): the certificate's status as aria2c lists it, each reason in `…' quotes.
  { id: 'aria2c-expired', clients: ['aria2c'], pattern: /`expired'/, example: "errorCode=1 SSL/TLS handshake failure:  `not signed by known authorities or invalid' `expired'", meaning: 'certExpired', source: ARIA2 },
  { id: 'aria2c-not-activated', clients: ['aria2c'], pattern: /`not activated yet'/, example: "errorCode=1 SSL/TLS handshake failure:  `not signed by known authorities or invalid' `not activated yet'", meaning: 'certNotYetValid', source: ARIA2 },
  { id: 'aria2c-issuer-unknown', clients: ['aria2c'], pattern: /`issuer is not known'/, example: "errorCode=1 SSL/TLS handshake failure:  `not signed by known authorities or invalid' `issuer is not known'", meaning: 'unknownIssuer', source: ARIA2 },
  { id: 'aria2c-name', clients: ['aria2c'], pattern: /SSL\/TLS handshake failure: hostname does not match/, example: 'errorCode=1 SSL/TLS handshake failure: hostname does not match', meaning: 'certName', source: ARIA2 },
  // errorCode=2 is aria2c's time-out: its --timeout covers the connect and the handshake alike.
  { id: 'aria2c-timeout', clients: ['aria2c'], pattern: /errorCode=2 Timeout\./, example: 'Exception: [AbstractCommand.cc:340] errorCode=2 Timeout.', meaning: 'anyTimeout', source: ARIA2 },
  { id: 'aria2c-dns', clients: ['aria2c'], pattern: /Name resolution for \S+ failed/, example: 'errorCode=19 CUID#7 - Name resolution for www.example.com failed:Domain name not found', meaning: 'dns', source: ARIA2 },

  // lynx (GnuTLS).
  { id: 'lynx-dns', clients: ['lynx'], pattern: /Unable to locate remote host \S+\./, example: 'Unable to locate remote host www.example.com.', meaning: 'dns', source: LYNX },
  { id: 'lynx-retries', clients: ['lynx'], pattern: /Alert!: Connection failed \(too many retries\)\./, example: 'Alert!: Connection failed (too many retries).', meaning: 'connectRetries', source: LYNX },
  { id: 'lynx-connect', clients: ['lynx'], pattern: /Alert!: Unable to connect to remote host\./, example: 'Alert!: Unable to connect to remote host.', meaning: 'connectGeneric', source: LYNX },
  { id: 'lynx-secure', clients: ['lynx'], pattern: /Alert!: Unable to make secure connection to remote host\./, example: 'Alert!: Unable to make secure connection to remote host.', meaning: 'secureConnectGeneric', source: LYNX },
  // lynx -dump answers its own certificate prompt "no" without printing it: the handshake began and the page was given up, with no alert between.
  { id: 'lynx-cert-declined', clients: ['lynx'], pattern: /^Making HTTPS connection to \S+\n(?:lynx: )?Can't access startfile/m, example: "Making HTTPS connection to www.example.com\nlynx: Can't access startfile https://www.example.com/", meaning: 'certGeneric', source: LYNX },
  { id: 'lynx-read-error', clients: ['lynx'], pattern: /Alert!: Unexpected network read error; connection aborted\./, example: 'Alert!: Unexpected network read error; connection aborted.', meaning: 'closedAfterHandshake', source: LYNX },
  // lynx names each URL it is sent on ("Using …"): sent back from http:// to the https:// URL it came from is a loop.
  // The two lines are a few apart: looking no further keeps a pasted wall of Using lines linear.
  { id: 'lynx-redirect-back', clients: ['lynx'], pattern: /^Using http:\/\/(\S+)\n(?:.*\n){0,8}?Using https:\/\/\1$/m, example: 'HTTP/1.1 301 Moved Permanently\nUsing http://www.example.com/\nData transfer complete\nUsing https://www.example.com/', meaning: 'redirectLoop', source: LYNX },
  // A redirect that is the last thing printed: the client went no further than it. Words separated
  // by one space, so no two parts can take the same blanks (a line of spaces cannot go quadratic).
  { id: 'redirect-last', clients: ['lynx'], pattern: /^HTTP\/1\.[01] 30[1278] [A-Za-z]+(?: [A-Za-z]+)*\s*(?![\s\S])/m, example: 'HTTP request sent; waiting for response.\nHTTP/1.1 301 Moved Permanently', meaning: 'redirectNotFollowed', source: LYNX },

  // A library's bare HTTP 400: names no cause by itself.
  { id: 'bare-400', clients: ['java', 'python', 'php', 'ruby', 'dotnet', 'curl', 'go', 'rust'], pattern: /status code 400\b|^HTTP 400\b|Server returned HTTP response code: 400|400 Client Error: Bad Request|HTTP request failed! HTTP\/1\.[01] 400|returned error: 400|status code does not indicate success: 400|400 "Bad Request"|400 Bad Request|not successful\. status=400\b/im, example: 'java.io.IOException: Server returned HTTP response code: 400 for URL: https://www.example.com/', meaning: 'badRequest', source: `${JDK}; ${PYTHON}; ${PHP}; ${DOTNET}; ${CURL}` },
];
