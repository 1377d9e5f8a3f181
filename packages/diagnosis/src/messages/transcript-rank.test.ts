// What each fact of a transcript puts first, one rule at a time, on short transcripts cut from
// the recorded ones (test/data/transcripts/ has them whole; transcript.test.ts runs those).
import { describe, expect, it } from 'vitest';
import type { Code } from '../codes.js';
import { rankByTranscript, readCauses } from './transcript-rank.js';

const NOW = new Date('2026-12-07T00:00:00Z');

/** `openssl s_client -showcerts`'s chain lines for certificates [subject, issuer, notBefore, notAfter]. */
const chain = (...certs: [string, string, string?, string?][]) =>
  `CONNECTED(00000003)\n---\nCertificate chain\n${certs.map(([s, i, b = 'Jan  1 00:00:00 2026 GMT', a = 'Jan  1 00:00:00 2030 GMT'], n) => ` ${n} s:CN = ${s}\n   i:CN = ${i}\n   a:PKEY: id-ecPublicKey, 256 (bit); sigalg: ecdsa-with-SHA256\n   v:NotBefore: ${b}; NotAfter: ${a}\n`).join('')}---\n`;
const connect = (host: string) => `openssl s_client -connect ${host}:443 -servername ${host}\n`;
const codes = (text: string, said: Code[] = []) => readCauses(text, said, NOW)?.shown.map((s) => s.code);

describe('the chain a transcript shows', () => {
  it.each([
    // [what, transcript, what the messages said, causes shown]
    ['a good chain for the host', connect('a.lab.test') + chain(['*.lab.test', 'Int'], ['Int', 'Root']), ['CERT_CHAIN_INCOMPLETE'], []],
    ['a wildcard does not cover the bare domain', connect('lab.test') + chain(['*.lab.test', 'Int']), [], ['CERT_HOSTNAME_MISMATCH']],
    ['a wildcard covers one label only', connect('a.b.lab.test') + chain(['*.lab.test', 'Int']), [], ['CERT_HOSTNAME_MISMATCH']],
    ['names compare without case', connect('WWW.Example.Test') + chain(['www.example.test', 'Int']), [], []],
    ['another name', connect('a.lab.test') + chain(['other.example.test', 'Int']), [], ['CERT_HOSTNAME_MISMATCH']],
    ['an expired leaf', connect('a.lab.test') + chain(['*.lab.test', 'Int', 'Jan  1 00:00:00 2023 GMT', 'Jan  1 00:00:00 2024 GMT']), [], ['CERT_EXPIRED']],
    ['a leaf not yet valid', connect('a.lab.test') + chain(['*.lab.test', 'Int', 'Jan  1 00:00:00 2030 GMT', 'Jan  1 00:00:00 2031 GMT']), [], ['CERT_NOT_YET_VALID']],
    ['expired and for another name: the name first, as the engine ranks them', connect('a.lab.test') + chain(['other.test', 'Int', 'Jan  1 00:00:00 2023 GMT', 'Jan  1 00:00:00 2024 GMT']), [], ['CERT_HOSTNAME_MISMATCH', 'CERT_EXPIRED']],
    ['one certificate issued by itself', connect('s.lab.test') + chain(['s.lab.test', 's.lab.test']), [], ['CERT_SELF_SIGNED']],
    ['a leaf alone, when the issuer was unknown', connect('a.lab.test') + chain(['*.lab.test', 'Int']), ['CERT_CHAIN_INCOMPLETE'], ['CERT_CHAIN_INCOMPLETE']],
    ['a leaf alone, when nothing was said of the issuer', connect('a.lab.test') + chain(['*.lab.test', 'Int']), ['CERT_EXPIRED'], []],
    ['a chain ending at a root the server sent, when the issuer was unknown', connect('a.lab.test') + chain(['*.lab.test', 'Int'], ['Int', 'Private Root'], ['Private Root', 'Private Root']), ['CERT_CHAIN_INCOMPLETE'], ['CERT_UNTRUSTED']],
    ['a proxy default', connect('i.lab.test') + chain(['Kubernetes Ingress Controller Fake Certificate', 'Kubernetes Ingress Controller Fake Certificate']), [], ['CERT_PROXY_DEFAULT', 'CERT_HOSTNAME_MISMATCH']],
  ] as [string, string, Code[], Code[]][])('%s', (_what, text, said, want) => {
    expect(codes(text, said)).toEqual(want);
  });

  it('quotes the line each fact was read from', () => {
    const r = readCauses(connect('a.lab.test') + chain(['*.lab.test', 'Int', 'Jan  1 00:00:00 2023 GMT', 'Jan  1 00:00:00 2024 GMT']), [], NOW)!;
    expect(r.kind).toBe('openssl s_client');
    expect(r.host).toBe('a.lab.test');
    expect(r.shown).toEqual([{ code: 'CERT_EXPIRED', says: "the server's certificate ended on 2024-01-01", line: 'v:NotBefore: Jan  1 00:00:00 2023 GMT; NotAfter: Jan  1 00:00:00 2024 GMT' }]);
  });
});

describe('alerts, versions and how far it got', () => {
  const curl = (lines: string) => `*   Trying 198.18.2.12:443...\n${lines}`;
  const connected = '* Connected to t.lab.test (198.18.2.12) port 443 (#0)\n* TLSv1.3 (OUT), TLS handshake, Client hello (1):\n';
  it.each([
    ['the server\'s protocol_version', curl(`${connected}* TLSv1.3 (IN), TLS alert, protocol version (582):\ncurl: (35) error`), [], ['PROTOCOL_VERSION_MISMATCH']],
    ['the server\'s internal_error', curl(`${connected}* TLSv1.3 (IN), TLS alert, internal error (592):\ncurl: (35) error`), [], ['SERVER_TLS_CONFIG_UNUSABLE']],
    ['the server\'s certificate_required', curl(`${connected}* TLSv1.3 (IN), TLS alert, certificate required (628):\ncurl: (56) error`), [], ['CLIENT_CERT_REQUIRED']],
    ['the server\'s no_application_protocol', curl(`${connected}* TLSv1.3 (IN), TLS alert, no application protocol (632):\ncurl: (35) error`), [], ['ALPN_MISMATCH']],
    ['an alert the client sent says nothing of the server', curl(`${connected}* TLSv1.2 (OUT), TLS alert, protocol version (582):\ncurl: (35) error`), [], []],
    ['TLS 1.0 chosen, then the client failed', curl(`${connected}* TLSv1.0 (IN), TLS handshake, Certificate (11):\ncurl: (35) error`), [], ['PROTOCOL_VERSION_MISMATCH']],
    ['TLS 1.2 chosen, then the client failed', curl(`${connected}* TLSv1.2 (IN), TLS handshake, Certificate (11):\ncurl: (35) error`), [], []],
    ['a CertificateRequest, then the failure', curl(`${connected}* TLSv1.3 (IN), TLS handshake, Request CERT (13):\ncurl: (56) error`), [], ['CLIENT_CERT_REQUIRED']],
    ['a CertificateRequest and no failure', curl(`${connected}* TLSv1.3 (IN), TLS handshake, Request CERT (13):\n`), [], []],
    ['connected, hello sent, then a timeout', curl(`${connected}curl: (28) Operation timed out after 4000 milliseconds`), ['TCP_TIMEOUT', 'NO_SERVER_HELLO'], ['NO_SERVER_HELLO']],
    ['still connecting at the timeout', curl('curl: (28) Connection timed out after 4000 milliseconds'), ['TCP_TIMEOUT', 'NO_SERVER_HELLO'], ['TCP_TIMEOUT']],
    ['a refusal is no silence', curl('* connect to 198.18.2.22 port 443 failed: Connection refused\ncurl: (7) Failed to connect'), ['TCP_REFUSED', 'TCP_TIMEOUT'], []],
    ['a silence the messages did not point to', curl(`${connected}curl: (28) Operation timed out`), ['CERT_EXPIRED'], []],
    ['only HelloRequests came back: no answer to the hello', curl(`${connected}* TLSv1.3 (IN), TLS handshake, Hello request (0):\ncurl: (28) Operation timed out`), ['NO_SERVER_HELLO'], ['NO_SERVER_HELLO']],
    ['the server answered before the timeout', curl(`${connected}* TLSv1.3 (IN), TLS handshake, Server hello (2):\ncurl: (28) Operation timed out`), ['NO_SERVER_HELLO'], []],
    ['a handshake that completed, then a refusal', `javax.net.ssl|DEBUG|10|main|x|Finished.java:1|Consuming server Finished handshake message (\nException in thread "main" java.net.ConnectException: Connection refused`, ['TCP_REFUSED'], ['HTTP_REDIRECT_TARGET_FAILED']],
    ['a refusal with no handshake before it', `javax.net.ssl|DEBUG|10|main|x|ClientHello.java:1|Produced ClientHello handshake message (\nException in thread "main" java.net.ConnectException: Connection refused`, ['TCP_REFUSED'], []],
    ['gnutls-cli cut while connecting: both silences', 'Processed 1 CA certificate(s).\nResolving \'s.lab.test:443\'...\nConnecting to \'198.18.2.23:443\'...\n', [], ['TCP_TIMEOUT', 'NO_SERVER_HELLO']],
  ] as [string, string, Code[], Code[]][])('%s', (_what, text, said, want) => {
    expect(codes(text, said)).toEqual(want);
  });

  it('not a transcript: nothing', () => {
    expect(readCauses('curl: (60) SSL certificate problem: certificate has expired', [], NOW)).toBeUndefined();
  });
});

describe('each kind\'s words for the same fact, with the line quoted', () => {
  const shown = (text: string, said: Code[] = []) => readCauses(text, said, NOW)?.shown.map((x) => [x.code, x.line]);
  it.each([
    // [transcript, said, [cause, line]]
    ['CONNECTED(00000003)\n', [], [['NO_SERVER_HELLO', 'CONNECTED(00000003)']]],
    ['javax.net.ssl|DEBUG|10|main|t|ClientHello.java:1|Produced ClientHello handshake message (\nException in thread "main" java.net.SocketTimeoutException: Read timed out', ['NO_SERVER_HELLO'], [['NO_SERVER_HELLO', 'javax.net.ssl|DEBUG|10|main|t|ClientHello.java:1|Produced ClientHello handshake message (']]],
    ['javax.net.ssl|DEBUG|10|main|t|X.java:1|Consuming CertificateRequest handshake message (\nException in thread "main" java.io.IOException: Error writing to server', [], [['CLIENT_CERT_REQUIRED', 'javax.net.ssl|DEBUG|10|main|t|X.java:1|Consuming CertificateRequest handshake message (']]],
    ["Connecting to '198.18.2.33:443'...\n- Server has requested a certificate.\n*** Fatal error: A TLS fatal alert has been received.", [], [['CLIENT_CERT_REQUIRED', '- Server has requested a certificate.']]],
    ['CONNECTED(00000003)\n---\nAcceptable client certificate CA names\nCN = Root\n40E7:error:0A00045C:SSL routines::tlsv13 alert certificate required:ssl/record/rec_layer_s3.c:1584:SSL alert number 116', [], [['CLIENT_CERT_REQUIRED', '40E7:error:0A00045C:SSL routines::tlsv13 alert certificate required:ssl/record/rec_layer_s3.c:1584:SSL alert number 116']]],
    ['CONNECTED(00000003)\n40E7:error:0A00042E:SSL routines::tlsv1 alert protocol version:ssl/record/rec_layer_s3.c:1584:SSL alert number 70', [], [['PROTOCOL_VERSION_MISMATCH', '40E7:error:0A00042E:SSL routines::tlsv1 alert protocol version:ssl/record/rec_layer_s3.c:1584:SSL alert number 70']]],
    ["Connecting to '198.18.2.12:443'...\n*** Received alert [70]: Error in protocol version\n*** Fatal error: A TLS fatal alert has been received.", [], [['PROTOCOL_VERSION_MISMATCH', '*** Received alert [70]: Error in protocol version']]],
    ["Connecting to '198.18.2.12:443'...\n- Certificate type: X.509\n- Version: TLS1.0\n*** Fatal error: Error in the certificate.", [], [['PROTOCOL_VERSION_MISMATCH', '- Version: TLS1.0']]],
    ['CONNECTED(00000003)\nSSL handshake has read 900 bytes\n    Protocol  : TLSv1.1\n40E7:error:0A000086:SSL routines::certificate verify failed', [], [['PROTOCOL_VERSION_MISMATCH', 'Protocol  : TLSv1.1']]],
    ['CONNECTED(00000003)\nSSL handshake has read 900 bytes\n    Protocol  : TLSv1.2\n40E7:error:0A000086:SSL routines::certificate verify failed', [], []],
    ['CONNECTED(00000003)\nNew, TLSv1.0, Cipher is ECDHE-RSA-AES256-SHA\n    Protocol  : TLSv1.0\n40E7:error:0A000086:SSL routines::certificate verify failed', [], []],
    ['*   Trying 198.18.2.20:443...\n* Connection timed out after 4000 milliseconds\ncurl: (28) Connection timed out after 4000 milliseconds', ['TCP_TIMEOUT'], [['TCP_TIMEOUT', '*   Trying 198.18.2.20:443...']]],
    ['*   Trying 198.18.2.20:443...\ncurl: (28) Resolving timeout', ['TCP_TIMEOUT'], [['TCP_TIMEOUT', '*   Trying 198.18.2.20:443...']]],
    ['*   Trying 198.18.2.20:443...\ncurl: (7) Failed to connect', ['TCP_TIMEOUT'], []],
    ['x * Connected to a (1.2.3.4)\n*   Trying 1.2.3.4:443...\ncurl: (28) timed out', ['TCP_TIMEOUT'], [['TCP_TIMEOUT', '*   Trying 1.2.3.4:443...']]],
  ] as [string, Code[], [string, string][]][])('%#', (text, said, want) => {
    expect(shown(text, said)).toEqual(want);
  });

  it.each([
    // A name compared whatever its spacing and case, and its CN wherever it stands.
    [' 0 s:CN = S.lab.test\n   i:CN=s.lab.test\n', 's.lab.test', ['CERT_SELF_SIGNED']],
    [' 0 s:O = Acme, CN = x.lab.test\n   i:CN = Int\n', 'x.lab.test', []],
    [' 0 s:CN = x.lab.test, O = Acme\n   i:CN = Int\n', 'x.lab.test', []],
    [' 0 s:CN =s.lab.test\n   i:CN= s.lab.test\n', 's.lab.test', ['CERT_SELF_SIGNED']],
    [' 0 s:O=Acme,CN=other.test\n   i:CN = Int\n', 'x.lab.test', ['CERT_HOSTNAME_MISMATCH']],
    [' 0 s:O = Acme, CN = other.test\n   i:CN = Int\n', 'x.lab.test', ['CERT_HOSTNAME_MISMATCH']],
    [' 0 s:O = Acme/CN=other.test\n   i:CN = Int\n', 'x.lab.test', ['CERT_HOSTNAME_MISMATCH']],
    [' 0 s:O = x.lab.test\n   i:CN = Int\n', 'y.lab.test', []],
    // A certificate that ends this very second has not ended yet.
    [' 0 s:CN = x.lab.test\n   i:CN = Int\n   v:NotBefore: Dec  7 00:00:00 2026 GMT; NotAfter: Dec  7 00:00:00 2026 GMT\n', 'x.lab.test', []],
  ] as [string, string, Code[]][])('%j for %s', (lines, host, want) => {
    expect(codes(`CONNECTED(00000003)\n-servername ${host}\n---\nCertificate chain\n${lines}---\nSSL handshake has read 900 bytes\n`)).toEqual(want);
  });

  it('an alert and a certificate fact are ranked as the engine ranks them, whatever order they were read in', () => {
    const text = `${connect('a.lab.test')}${chain(['*.lab.test', 'Int', 'Jan  1 00:00:00 2023 GMT', 'Jan  1 00:00:00 2024 GMT'])}40E7:error:0A000410:SSL routines::sslv3 alert certificate required:x:SSL alert number 116`;
    // The alert is read first; the engine ranks the expiry before the refusal of the client.
    expect(codes(text)).toEqual(['CERT_EXPIRED', 'CLIENT_CERT_REQUIRED']);
  });
});

describe('what counts as the server\'s answer, and as its lines: whole lines of the kind, not words inside another', () => {
  const curl = '*   Trying 1.2.3.4:443...\n* Connected to t.lab.test (1.2.3.4) port 443 (#0)\n';
  const gnutls = "Processed 1 CA certificate(s).\nResolving 't.lab.test:443'...\n";
  it.each([
    // [what, transcript, said, causes shown]
    ['an alert from the server is an answer', `${curl}* TLSv1.3 (IN), TLS alert, handshake failure (552):\ncurl: (28) Operation timed out`, ['NO_SERVER_HELLO'], []],
    ['a handshake line inside another line is none', `${curl}x * TLSv1.3 (IN), TLS handshake, Server hello (2):\ncurl: (28) Operation timed out`, ['NO_SERVER_HELLO'], ['NO_SERVER_HELLO']],
    ['s_client printing the chain is an answer', 'CONNECTED(00000003)\ndepth=0 CN = t.lab.test\n', [], []],
    ['"depth=" inside another line is none', 'CONNECTED(00000003)\nx depth=0 CN = t.lab.test\n', [], ['NO_SERVER_HELLO']],
    ['"Server certificate" only as its own line', 'CONNECTED(00000003)\nServer certificate x\nx Server certificate\n', [], ['NO_SERVER_HELLO']],
    ['s_client that read nothing got no answer', 'CONNECTED(00000003)\nSSL handshake has read 0 bytes and written 300 bytes\n', [], ['NO_SERVER_HELLO']],
    ["gnutls-cli's certificate type only as its own line", `${gnutls}Connecting to '1.2.3.4:443'...\nx - Certificate type: X.509\n`, [], ['TCP_TIMEOUT', 'NO_SERVER_HELLO']],
    ["gnutls-cli's connecting line only whole", `${gnutls}x Connecting to '1.2.3.4:443'...\nConnecting to '1.2.3.4:443'... x\n`, [], []],
    ["curl's trying line only whole", '* Closing connection 0\nx *   Trying 1.2.3.4:443...\n*   Trying 1.2.3.4:443... x\ncurl: (28) Connection timed out', ['TCP_TIMEOUT'], []],
    ['a CertificateRequest named inside another line is none', `CONNECTED(00000003)\nx Acceptable client certificate CA names\nAcceptable client certificate CA names x\nx Client Certificate Types: RSA sign\n40E7:error:0A000086:SSL routines::x`, [], []],
    ["gnutls-cli's request only as its own line", `${gnutls}Connecting to '1.2.3.4:443'...\nx - Server has requested a certificate.\n- Server has requested a certificate. x\n*** Fatal error: x`, [], []],
    ["curl's request only as its own line", `${curl}x * TLSv1.3 (IN), TLS handshake, Request CERT (13):\n* TLSv1.3 (IN), TLS handshake, Request CERT (13): x\ncurl: (56) x`, [], []],
  ] as [string, string, Code[], Code[]][])('%s', (_what, text, said, want) => {
    expect(codes(text, said)).toEqual(want);
  });

  it.each([
    // [transcript, said, the line quoted]: whole, without the spaces a paste leaves around it.
    ['CONNECTED(00000003)\nClient Certificate Types: RSA sign, ECDSA sign\n40E7:error:0A000086:SSL routines::x', [], 'Client Certificate Types: RSA sign, ECDSA sign'],
    ['javax.net.ssl|DEBUG|10|main|t|X.java:1|Consuming CertificateRequest handshake message (   \nException in thread "main" java.io.IOException: x', [], 'javax.net.ssl|DEBUG|10|main|t|X.java:1|Consuming CertificateRequest handshake message ('],
    ['javax.net.ssl|DEBUG|10|main|t|C.java:1|Produced ClientHello handshake message (  \nException in thread "main" java.net.SocketTimeoutException: Read timed out', ['NO_SERVER_HELLO'], 'javax.net.ssl|DEBUG|10|main|t|C.java:1|Produced ClientHello handshake message ('],
  ] as [string, Code[], string][])('%#: the line quoted', (text, said, line) => {
    expect(readCauses(text, said, NOW)?.shown[0]?.line).toBe(line);
  });
});

describe('what each fact says', () => {
  const says = (text: string, said: Code[] = []) => readCauses(text, said, NOW)?.shown.map((x) => x.says);
  it.each([
    [connect('a.lab.test') + chain(['other.test', 'Int']), [], ['the certificate is for other.test, not a.lab.test']],
    [connect('a.lab.test') + chain(['*.lab.test', 'Int', 'Jan  1 00:00:00 2030 GMT', 'Jan  1 00:00:00 2031 GMT']), [], ["the server's certificate starts on 2030-01-01"]],
    [connect('s.lab.test') + chain(['s.lab.test', 's.lab.test']), [], ['the server sent one certificate, issued by itself']],
    [connect('a.lab.test') + chain(['*.lab.test', 'Int CA']), ['CERT_CHAIN_INCOMPLETE'], ['the server sent its leaf alone; its issuer (CN = Int CA) is not in what it sent']],
    [connect('a.lab.test') + chain(['*.lab.test', 'Int'], ['Int', 'P'], ['P', 'P']), ['CERT_CHAIN_INCOMPLETE'], ['the chain ends at a root the server sent itself (CN = P), which the client does not trust']],
    [connect('i.lab.test') + chain(['i.lab.test', 'TRAEFIK DEFAULT CERT']).replace(' 0 s:CN = i.lab.test', ' 0 s:CN = TRAEFIK DEFAULT CERT'), [], ["the certificate is a proxy's own default", 'the certificate is for traefik default cert, not i.lab.test']],
    ['*   Trying 1.2.3.4:443...\n* Connected to t (1.2.3.4) port 443 (#0)\n* TLSv1.3 (IN), TLS alert, protocol version (582):\ncurl: (35) x', [], ['the server sent the alert protocol_version']],
    ['*   Trying 1.2.3.4:443...\n* Connected to t (1.2.3.4) port 443 (#0)\n* TLSv1.1 (IN), TLS handshake, Certificate (11):\ncurl: (35) x', [], ['the server chose TLSv1.1, which the client would not finish']],
    ['*   Trying 1.2.3.4:443...\n* Connected to t (1.2.3.4) port 443 (#0)\n* TLSv1.3 (IN), TLS handshake, Request CERT (13):\ncurl: (56) x', [], ['the server asked for a client certificate (CertificateRequest), and the client failed after it']],
    ['javax.net.ssl|DEBUG|1|main|t|F.java:1|Consuming server Finished handshake message (\nException in thread "main" java.net.ConnectException: Connection refused', ['TCP_REFUSED'], ['the handshake with the server completed, and a later connection (where its answer sent the client) was refused']],
    ['*   Trying 1.2.3.4:443...\n* Connected to t (1.2.3.4) port 443 (#0)\ncurl: (28) Operation timed out', ['NO_SERVER_HELLO'], ['TCP connected and the ClientHello went out, but no ServerHello came back']],
    ['*   Trying 1.2.3.4:443...\ncurl: (28) Connection timed out', ['TCP_TIMEOUT'], ['the client was still connecting (TCP) when it gave up']],
    ["Connecting to '1.2.3.4:443'...\n", [], Array(2).fill('gnutls-cli printed nothing after connecting began: the SYN went unanswered or the ServerHello never came (the probe times them apart)')],
    // The names a certificate is for are its subjectAltNames when it has them, not its CN besides.
    ["Resolving 'a.lab.test:443'...\nConnecting to '1.2.3.4:443'...\n- Certificate type: X.509\n- Certificate[0] info:\n - X.509 Certificate Information:\n\tIssuer: CN=Int\n\tSubject: CN=cn.example.test\n\t\tDNSname: one.example.test\n\t\tDNSname: two.example.test\n*** Fatal error: Error in the certificate.", [], ['the certificate is for one.example.test, two.example.test, not a.lab.test']],
  ] as [string, Code[], string[]][])('%#', (text, said, want) => {
    expect(says(text, said)).toEqual(want);
  });
});

describe('ranking by what the transcript shows', () => {
  const said = [
    { code: 'CERT_CHAIN_INCOMPLETE' as Code, sign: 'the intermediate is missing' },
    { code: 'CERT_SELF_SIGNED' as Code, sign: 'the leaf signed itself' },
  ];
  it('puts what it shows first, keeping the message\'s sign and adding what the transcript says', () => {
    const ranked = rankByTranscript(said, [{ code: 'CERT_SELF_SIGNED', says: 'one certificate, issued by itself', line: 'x' }]);
    expect(ranked).toEqual([
      { code: 'CERT_SELF_SIGNED', sign: 'the leaf signed itself (the transcript shows: one certificate, issued by itself)' },
      { code: 'CERT_CHAIN_INCOMPLETE', sign: 'the intermediate is missing' },
    ]);
  });
  it('a cause the messages did not name is added, with what the transcript says as its sign', () => {
    expect(rankByTranscript(said, [{ code: 'CERT_EXPIRED', says: 'ended on 2024-01-01', line: 'x' }])[0]).toEqual({ code: 'CERT_EXPIRED', sign: 'ended on 2024-01-01 (the transcript shows: ended on 2024-01-01)' });
    expect(rankByTranscript(said, [])).toEqual(said);
  });
});
