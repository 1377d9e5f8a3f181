// explain() against what real clients printed in the lab (test/data/client-messages.json,
// recorded by `npm run messages`): every message must be recognised and list the host's real
// diagnosis among its candidates, first for most of them. Plain data in, no lab needed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from './catalogue.js';
import { explain, guessClient, typicalMessages } from './explain.js';
import type { ClientName } from './catalogue.js';
// @ts-expect-error: the lab is plain ESM JavaScript (its scenarios are data).
import { SCENARIOS } from '../../../../lab/scenarios.mjs';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

interface Recorded {
  client: string;
  host: string;
  diagnosis: string | null;
  why?: string;
  message: string | null;
  hung?: boolean;
}

const data = JSON.parse(readFileSync(join(ROOT, 'test', 'data', 'client-messages.json'), 'utf8')) as { clients: Record<string, string>; records: Recorded[] };
const scenario = new Map((SCENARIOS as { host: string; expect: { probe?: string; probeAlso?: string[]; pcap?: string } }[]).map((s) => [s.host, s.expect]));
const messages = data.records.filter((r): r is Recorded & { message: string; diagnosis: string } => r.message !== null && r.diagnosis !== null);
const CLIENT_OF: Record<string, ClientName> = { curl: 'curl', wget: 'wget', openssl: 'openssl', 'gnutls-cli': 'gnutls', python: 'python', 'node-https': 'node', 'node-fetch': 'node' };


/**
 * Run A rows whose text cannot show the host's real cause, each with what it does show and why.
 * Reviewed by hand; a row leaves this list when a rule can tell it apart.
 */
const CANNOT_SHOW: Record<string, { instead: string; why: string }> = Object.fromEntries([
  ...['tls13', 'expired13', 'wrongname13', 'selfsigned13', 'mtls13'].map((h) => [`nginx-proxy × ${h}.lab.test`, { instead: 'PROTOCOL_VERSION_MISMATCH', why: "nginx 1.22's proxy_ssl_protocols default stops at TLS 1.2: a TLS 1.3-only upstream refuses it with protocol_version before its own fault can show" }]),
  ...['ruby', 'php-curl', 'rust-rustls'].map((c) => [`${c} × rejected.lab.test`, { instead: 'TCP_TIMEOUT', why: "the client's own connect timeout fired before the ICMP rejection reached it: its words are a dropped SYN's" }]),
  ['go × selfsigned13.lab.test', { instead: 'CERT_HOSTNAME_MISMATCH', why: "Go checks the name before the chain, and this host serves the other self-signed host's certificate: the name fault hides the self-signed one" }],
] as [string, { instead: string; why: string }][]);

/** The diagnoses a host really has: the probe's primary, the findings beside it, the capture's. */
function real(r: Recorded): string[] {
  if (r.why) return [r.diagnosis!];
  const e = scenario.get(r.host)!;
  return [r.diagnosis!, ...(e.probeAlso ?? []), ...(e.pcap ? [e.pcap] : [])];
}

describe('the recorded messages', () => {
  it('cover at least 6 real clients, each against every lab host', () => {
    expect(Object.keys(data.clients).length).toBeGreaterThanOrEqual(6);
    for (const c of Object.keys(data.clients)) expect(new Set(data.records.filter((r) => r.client === c).map((r) => r.host))).toEqual(new Set(scenario.keys()));
  });
});

describe('explain on every recorded message', () => {
  it.each(messages.map((r) => [`${r.client} × ${r.host}`, r] as const))('%s', (name, r) => {
    for (const client of [undefined, CLIENT_OF[r.client]]) {
      const e = explain(r.message, client);
      expect(e.recognised, r.message).toBe(true);
      expect(e.candidates.map((c) => c.code), r.message).toContain(CANNOT_SHOW[name]?.instead ?? r.diagnosis);
    }
  });

  it('every row said to be unable to show its cause is recorded, and really does not show it', () => {
    for (const [name, { instead, why }] of Object.entries(CANNOT_SHOW)) {
      const r = messages.find((m) => `${m.client} × ${m.host}` === name);
      expect(r, name).toBeDefined();
      expect(why.length).toBeGreaterThan(20);
      expect(explain(r!.message).candidates.map((c) => c.code), name).not.toContain(r!.diagnosis);
      expect(instead).not.toBe(r!.diagnosis);
    }
  });

  it('puts a real diagnosis first for at least 80% of them', () => {
    const first = messages.filter((r) => real(r).includes(explain(r.message, CLIENT_OF[r.client]).candidates[0].code));
    const share = first.length / messages.length;
    expect(share).toBeGreaterThanOrEqual(0.8);
    // The figure docs/explain.md quotes.
    console.log(`explain: a real diagnosis first for ${first.length} of ${messages.length} recorded messages (${Math.round(share * 100)}%)`);
  });

  it('guesses the client from the message alone (the clients explain names)', () => {
    expect(messages.filter((r) => r.client in CLIENT_OF && guessClient(r.message) !== CLIENT_OF[r.client]).map((r) => `${r.client} ${r.host}`)).toEqual([]);
  });
});

describe('the catalogue', () => {
  it.each(CATALOGUE.map((e) => [e.id, e] as const))('%s: its example matches its own pattern, and its source is named', (_id, e) => {
    expect(e.pattern.test(e.example)).toBe(true);
    expect(e.source.length).toBeGreaterThan(0);
  });

  it('entries from the lab match a message recorded there', () => {
    const recorded = messages.map((r) => r.message).join('\n');
    for (const e of CATALOGUE.filter((x) => x.source === 'lab')) expect(e.pattern.test(recorded), e.id).toBe(true);
  });

  it.each([
    ['CERT_EXPIRED', /certificate has expired/],
    ['TCP_REFUSED', /refused/i],
  ])('typical messages for %s', (code, re) => {
    const t = typicalMessages(code as 'CERT_EXPIRED');
    expect(t.length).toBeGreaterThan(0);
    expect(t.some((m) => re.test(m.message))).toBe(true);
  });
});

describe('explain, edges', () => {
  it.each([
    // [text, client, first cause, host]
    ["WebSocket connection to 'wss://api.example.com/ws' failed: Error during WebSocket handshake: Unexpected response code: 404", undefined, 'WEBSOCKET_UPGRADE_FAILED', 'api.example.com'],
    ['request:fail url not in domain list', undefined, 'DOMAIN_NOT_ALLOWED', undefined],
    ['javax.net.ssl.SSLHandshakeException: PKIX path building failed', undefined, 'CERT_CHAIN_INCOMPLETE', undefined],
    ['net::ERR_CERT_DATE_INVALID', undefined, 'CERT_EXPIRED', undefined],
    // A named client whose own patterns miss falls back to every client's.
    ['Connection refused', 'go', 'TCP_REFUSED', undefined],
    ["curl: (60) SSL: no alternative certificate subject name matches target host name 'api.example.com'", 'curl', 'CERT_HOSTNAME_MISMATCH', 'api.example.com'],
  ] as [string, ClientName | undefined, string, string | undefined][])('%s', (text, client, first, host) => {
    const e = explain(text, client);
    expect(e.candidates[0].code).toBe(first);
    expect(e.host).toBe(host);
    expect(e.check).toMatch(/^tlsdoctor /);
    if (host) expect(e.check).toContain(host);
  });

  it.each([[''], ['\u0000\u0001'], ['nothing any client prints'], ['x'.repeat(1 << 20)]])('not recognised: %#', (text) => {
    const e = explain(text);
    expect(e.recognised).toBe(false);
    expect(e.candidates).toEqual([]);
    expect(e.check).toBeUndefined();
  });

  it('the closest messages share words with the text', () => {
    expect(explain('my certificate expired yesterday').closest.map((c) => c.id)).toContain('expired');
  });

  it('a message past the first 256 kB is not read', () => {
    expect(explain(`${' '.repeat(256 * 1024)}curl: (7) Failed to connect to x port 443`).recognised).toBe(false);
    expect(explain(`${' '.repeat(1000)}curl: (7) Failed to connect to x port 443`).recognised).toBe(true);
  });

  it('two messages that decide are ranked by the engine: the wrong name before the expiry', () => {
    const e = explain("ERROR: The certificate of 'a.example.com' has expired.\nThe certificate's owner does not match hostname 'a.example.com'");
    expect(e.matches.map((m) => m.entry.id)).toEqual(['name', 'expired']);
  });
});

describe('explain, the parts that rank and name', () => {
  it.each([
    // [text, client guessed]
    ['curl: (6) Could not resolve host: a.example', 'curl'],
    ['request:fail ssl hand shake error', 'wechat'],
    ['connectSocket:fail', 'wechat'],
    ["TypeError: fetch failed\n  [cause]: Error: read ECONNRESET", 'node'],
    ["  code: 'CERT_HAS_EXPIRED'", 'node'],
    ['DOMException [TimeoutError]: The operation was aborted due to timeout', 'node'],
    ['net::ERR_CERT_AUTHORITY_INVALID', 'chrome'],
    ['ERR_SSL_PROTOCOL_ERROR', 'chrome'],
    ['SEC_ERROR_UNKNOWN_ISSUER', 'firefox'],
    ['PR_END_OF_FILE_ERROR', 'firefox'],
    ['javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException', 'java'],
    ['x509: certificate signed by unknown authority', 'go'],
    ['remote error: tls: handshake failure', 'go'],
    ['ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed (_ssl.c:1006)', 'python'],
    ['OSError: [Errno 113] No route to host', 'python'],
    ['GnuTLS: Error in the pull function.', 'wget'],
    ['wget: unable to resolve host address ‘a.example’', 'wget'],
    ['2026-12-01 03:56:58 ERROR 400: Bad Request.', 'wget'],
    ['*** Fatal error: Error in the certificate.', 'gnutls'],
    ['|<1>| Received record packet of unknown type 72', 'gnutls'],
    ['Could not connect to 203.0.113.7:443: Connection refused', 'gnutls'],
    ['- Status: The certificate is NOT trusted.', 'gnutls'],
    ['40E7:error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed', 'openssl'],
    ['verify error:num=10:certificate has expired', 'openssl'],
    ['write:errno=104', 'openssl'],
    ['2026/12/07 10:00:00 [error] 1234#0: *5 upstream timed out', 'nginx'],
    ['x while connecting to upstream, client: 1.2.3.4', 'nginx'],
    ["fatal: unable to access 'https://a.example/': x", 'git'],
    ['cURL error 28: Operation timed out', 'php'],
    ['SSL operation failed with code 1. OpenSSL Error messages:', 'php'],
    ['PHP Warning:  file_get_contents(): x', 'php'],
    ['SSL_connect SYSCALL returned=5 errno=0 state=x', 'ruby'],
    ['x (OpenSSL::SSL::SSLError)', 'ruby'],
    ['System.Net.Http.HttpRequestException: x', 'dotnet'],
    ['The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch', 'dotnet'],
    ['invalid peer certificate: UnknownIssuer', 'rust'],
    ['received fatal alert: HandshakeFailure', 'rust'],
    ["HTTPSConnectionPool(host='a.example', port=443): x", 'python'],
    ["hostname 'a.example' doesn't match 'b.example'", 'python'],
    ['ssl.SSLCertVerificationError: x', 'python'],
    ['net/http: request canceled (Client.Timeout exceeded while awaiting headers)', 'go'],
    ['tls: server selected unsupported protocol version 301', 'go'],
    ['|<12>| x', 'gnutls'],
    ['errno=12', 'openssl'],
    // A worker's number after the process id has any number of digits.
    ['2026/12/07 10:00:00 [error] 1234#12: *5 upstream timed out', 'nginx'],
    // Ruby's SSL_connect without SYSCALL (errno=0 alone would be OpenSSL's shape).
    ['SSL_connect returned=1 errno=0 state=error: certificate verify failed', 'ruby'],
    ['hostname "a.example" does not match the server certificate', 'ruby'],
    ['  -> [SocketCore.cc:1018] errorCode=12 x', 'aria2c'],
    ['01/02 03:04:05 [ERROR] CUID#12 - Download aborted.', 'aria2c'],
    ['Alert!: Unable to connect to remote host.', 'lynx'],
    ["lynx: Can't access startfile https://a.example/", 'lynx'],
    ['Making HTTP connection to a.example', 'lynx'],
    ['Making HTTPS connection to a.example', 'lynx'],
  ])('the shape of %j is %s', (text, client) => {
    expect(guessClient(text)).toBe(client);
  });

  it.each([
    // Shapes that hold only at the start of a line.
    ['xcurl: (6) y'],
    ['see the ERROR: The certificate of x'],
    ['it failed: Connection timed out.'],
    ['the *** Fatal error'],
    ['[error] x#0: y'],
    ['cURL error x: y'],
    ['see PHP Warning: x'],
    ['the wget: x'],
    ['x - Status: y'],
    ['x Could not connect to y'],
    ['x Cannot resolve y'],
    ["x fatal: unable to access 'https://a.example/': y"],
    ['see node: x'],
    ['x GnuTLS: y'],
    ['at 2026-12-01 03:56:58 ERROR 400: x'],
    ['x 20 redirections exceeded.'],
    ['20 redirections exceeded. x'],
    // wget's ERROR line carries an HTTP status: three digits.
    ['2026-12-01 03:56:58 ERROR 4: x'],
    ['x 01/02 03:04:05 [ERROR] CUID#12 - y'],
    ['x Alert!: y'],
    ["x lynx: Can't access startfile y"],
    ['x Making HTTPS connection to y'],
  ])('%j is not taken for a client by a pattern out of place', (text) => {
    expect(guessClient(text)).toBeUndefined();
  });

  it.each([
    // [text, host]
    ['Get "http://a.example.com/x": EOF', 'a.example.com'],
    ['https://api.example.cn/v1 failed', 'api.example.cn'],
    ["WebSocket connection to 'ws://chat.example.org/s' failed", 'chat.example.org'],
    ["curl: (60) SSL: no alternative certificate subject name matches target host name 'www.example.com'", 'www.example.com'],
    ['curl: (6) Could not resolve host: nx.example.net', 'nx.example.net'],
    ['curl: (7) Failed to connect to api.example.io port 443 after 3 ms', 'api.example.io'],
    ["x509: certificate is valid for other.example.com, not www.example.com", 'other.example.com'],
    ['ERROR: The certificate of ‘shop.example.de’ has expired.', 'shop.example.de'],
    // A file name in a traceback is not a host; a one-letter ending is no top-level domain.
    ["File 'client.py', line 3: ssl.SSLError: wrong version number", undefined],
    ['https://a.b/ reset by peer', undefined],
    // requests' pool names the host asked for, before the names the certificate check quotes.
    ["HTTPSConnectionPool(host='api.example.com', port=443): Max retries exceeded (Caused by SSLError(\"hostname 'x.example.org' doesn't match 'y.example.net'\"))", 'api.example.com'],
  ])('the host in %j is %s', (text, host) => {
    expect(explain(text).host).toBe(host);
  });

  it('the server a wrapping names is given as the target and to the probe; a bare message has neither', () => {
    const e = explain('2026/12/07 10:00:00 [error] 7#0: *3 upstream timed out (110: Connection timed out) while SSL handshaking to upstream, client: 198.51.100.4, upstream: "https://10.0.0.2:8443/"');
    expect(e.target).toEqual({ address: '10.0.0.2', port: 8443 });
    expect(e.probe).toBe('10.0.0.2:8443');
    const bare = explain('curl: (28) Connection timed out after 4001 milliseconds');
    expect('target' in bare || 'probe' in bare).toBe(false);
  });

  it('without a host the command keeps HOST for the user to fill in', () => {
    expect(explain('Error: read ECONNRESET').check).toBe('tlsdoctor probe HOST   (its SNI differential sends the same hello with no name and with a neutral one)');
  });

  it('a named client is kept, whatever the shape says', () => {
    expect(explain('curl: (7) Failed to connect to x.example port 443', 'go').client).toBe('go');
    expect(explain('no shape here, Connection refused').client).toBeUndefined();
    expect(explain('Connection refused').client).toBeUndefined();
  });

  it("a named client's own messages come first: others in the same text are left out", () => {
    const text = 'curl: (28) Connection timed out after 4001 milliseconds\n*** Fatal error: Error in the pull function.';
    expect(explain(text, 'gnutls').matches.map((m) => m.entry.id)).toEqual(['gnutls-pull']);
    expect(explain(text).matches.map((m) => m.entry.id)).toEqual(['curl-28', 'gnutls-pull']);
  });

  it('a message that decides outranks a catch-all printed before it', () => {
    const e = explain('Unable to establish SSL connection.\nERROR: The certificate of ‘a.example.com’ has expired.');
    expect(e.matches.map((m) => m.entry.id)).toEqual(['expired', 'ssl-generic']);
    expect(e.candidates[0].code).toBe('CERT_EXPIRED');
  });

  it('equally sure messages with the same first cause keep the order they were printed in', () => {
    expect(explain('failed: Connection timed out.\ncurl: (28) Operation timed out after 5000 milliseconds').matches.map((m) => m.entry.id)).toEqual(['connect-timed-out', 'curl-28']);
    expect(explain('curl: (28) Operation timed out after 5000 milliseconds\nfailed: Connection timed out.').matches.map((m) => m.entry.id)).toEqual(['curl-28', 'connect-timed-out']);
  });

  it('one meaning found twice is said once, its causes merged without repeats', () => {
    const e = explain("Error: read ECONNRESET\ncurl: (35) Recv failure: Connection reset by peer");
    expect(e.matches).toHaveLength(1);
    expect(e.candidates.map((c) => c.code)).toEqual(['SNI_FILTERED', 'RESET_AFTER_CLIENT_HELLO', 'TCP_RESET', 'SPLIT_CLIENT_HELLO_REJECTED']);
    const two = explain('Connection refused\ncurl: (7) Failed to connect to x.example port 443');
    expect(two.candidates.map((c) => c.code)).toEqual(['TCP_REFUSED', 'HTTP_REDIRECT_TARGET_FAILED', 'TCP_UNREACHABLE', 'TCP_TIMEOUT']);
  });

  it('a recognised message lists no closest ones; an unknown one lists at most three, by words shared', () => {
    expect(explain('curl: (60) SSL certificate problem: certificate has expired').closest).toEqual([]);
    expect(explain('my certificate expired yesterday').closest.map((c) => c.id)).toEqual(['expired', 'expired-others', 'rustls-expired']);
    expect(explain('connection timed out').closest.map((c) => c.id)).toEqual(['curl-28', 'connect-timed-out', 'rust-connect-timeout']);
    // Words of one or two letters are not words.
    expect(explain('a b cd ef').closest).toEqual([]);
    expect(explain('zzzz qqqq').closest).toEqual([]);
  });

  it.each([
    // [code, max, what clients say]
    ['CERT_EXPIRED', 3, ['curl: (60) SSL certificate problem: certificate has expired', 'net::ERR_CERT_DATE_INVALID', 'x509: certificate has expired or is not yet valid']],
    ['CERT_EXPIRED', 1, ['curl: (60) SSL certificate problem: certificate has expired']],
    ['RESET_AFTER_CLIENT_HELLO', 3, ['curl: (35) Recv failure: Connection reset by peer', 'net::ERR_CONNECTION_RESET', 'PR_CONNECT_RESET_ERROR']],
    // A browser meets it: Chromium's words are there, its catch-all when it has nothing surer.
    ['PLAINTEXT_HTTP_ON_TLS_PORT', 2, ['curl: (35) OpenSSL/3.0.22: error:0A00010B:SSL routines::wrong version number', 'net::ERR_SSL_PROTOCOL_ERROR']],
    // Plain HTTP to a TLS port: what that client sees, not the opposite mistake's "wrong version number".
    ['HTTP_TO_TLS_PORT', 3, ['curl: (1) Received HTTP/0.9 when not allowed', '400 The plain HTTP request was sent to HTTPS port', "Reason: You're speaking plain HTTP to an SSL-enabled server port."]],
    ['TCP_REFUSED', 3, ["curl: (7) Failed to connect to www.example.com port 443 after 0 ms: Couldn't connect to server", 'net::ERR_CONNECTION_REFUSED', 'Error: connect ECONNREFUSED 203.0.113.7:443']],
    // A code only a catch-all names gets nothing.
    ['HANDSHAKE_OK', 3, []],
  ] as [string, number, string[]][])('typical messages for %s (at most %i)', (code, max, want) => {
    expect(typicalMessages(code as 'CERT_EXPIRED', max).map((m) => m.message)).toEqual(want);
  });

  it.each([
    // [code, the clients quoted, in order (at most 8)]
    // Where the code is a message's first cause before where it is a later one: curl's (7) lists it second.
    ['TCP_UNREACHABLE', ['chrome', 'wget', 'curl', 'java', 'ruby', 'lynx']],
    // A catch-all never speaks for a code: gnutls's and curl's specific words, not Chrome's catch-all, after Go's.
    ['NOT_TLS', ['go', 'chrome', 'gnutls', 'curl', 'java', 'wget', 'dotnet', 'rust']],
    // The clients people paste most first; PHP, git and curl's place among them.
    ['TCP_TIMEOUT', ['curl', 'chrome', 'node', 'python', 'go', 'java', 'wget', 'php']],
    ['CLIENT_CERT_REQUIRED', ['curl', 'chrome', 'node', 'python', 'wget', 'rust', 'git', 'lynx']],
    ['TLS_ALERT', ['node', 'chrome', 'python', 'wget', 'git', 'lynx', 'curl', 'go']],
  ] as [string, string[]][])('the clients quoted for %s', (code, clients) => {
    expect(typicalMessages(code as 'CERT_EXPIRED', 8).map((m) => m.client)).toEqual(clients);
  });

  it('typical messages name their client', () => {
    expect(typicalMessages('RESET_AFTER_CLIENT_HELLO').map((m) => m.client)).toEqual(['curl', 'chrome', 'firefox']);
  });
});
