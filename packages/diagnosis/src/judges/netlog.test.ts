import { describe, expect, it } from 'vitest';
import type { NetErrorSeen, NetlogRecord } from '@tlsdoctor/analysis';
import { AlertDescription, HandshakeType, Version } from '@tlsdoctor/tls-parser-ts';
import { alert, cert, clientHello, intermediate, message, NOW_MS, serverHello, T0 } from '../facts.fixtures.js';
import { diagnoseNetlogRecord } from '../netlog.js';
import type { CertificateInfo } from '@tlsdoctor/analysis';
import { explain } from '../messages/explain.js';
import { netErrorNames } from '@tlsdoctor/netlog';

const codes = (r: NetlogRecord) => diagnoseNetlogRecord(r).map((f) => f.code);
const DAY_MS = 86_400_000;

const CODE_OF = new Map([...netErrorNames].map(([code, name]) => [name, code]));

function err(name: string, frame: number, time = 0.05): NetErrorSeen {
  const code = CODE_OF.get(name);
  if (code === undefined) throw new Error(`${name} is not one of Chromium's net errors`);
  return { name, code, frame, time: T0 + time };
}

/** A socket of a browser's log, 10 s before its log ended: TCP connected, nothing else yet. */
function socket(o: Partial<NetlogRecord> = {}): NetlogRecord {
  return {
    transport: 'netlog', kind: 'tcp', id: 7, host: 'example.test', port: 443, server: { ip: '192.0.2.10', port: 443 },
    firstTime: T0, lastTime: T0 + 1, firstEvent: 100, lastEvent: 140, bytes: [0, 0], cut: false, logEnd: T0 + 10, clockAnchored: true, captureMode: 'Default',
    connect: { frame: 101, time: T0, addresses: ['192.0.2.10:443'], attempts: [{ address: '192.0.2.10:443', frame: 102, time: T0, ms: 1 }], end: { frame: 103, time: T0 + 0.001 } },
    clientHelloCount: 0, certificates: [], certificateRequested: false, messages: [], alerts: [], parseErrors: [], incomplete: false, partialReasons: [],
    ...o,
  };
}

/** A socket whose TLS began with a ClientHello of `bytes` bytes and ended with `error` (none: it completed). */
function tls(error: string | undefined, o: Partial<NetlogRecord> = {}, bytes = 1900): NetlogRecord {
  return socket({
    tls: { frame: 104, time: T0 + 0.002, end: { frame: 120, time: T0 + 0.05, error: error ? err(error, 120) : undefined } },
    clientHello: clientHello(105, 0.002), clientHelloCount: 1, clientHelloBytes: bytes, sni: 'example.test',
    messages: [message('client', HandshakeType.ClientHello, 105, 0.002)],
    ...o,
  });
}

const answered = { serverHello: serverHello(110, 0.01), messages: [message('client', HandshakeType.ClientHello, 105, 0.002), message('server', HandshakeType.ServerHello, 110, 0.01)], version: Version.TLS12 };

/** A handshake that got the chain `chain` and the verifier's verdict. */
function verified(chain: CertificateInfo[], verdict: { error?: string; status?: string[] }, tlsError = verdict.error): NetlogRecord {
  return tls(tlsError, {
    ...answered,
    certificates: chain, certificatesFrame: 111, certificatesTime: NOW_MS / 1000,
    chain: { links: chain.slice(1).map((_, i) => ({ from: i, to: i + 1, ok: true })), endsInRoot: false },
    verify: { frame: 115, time: T0 + 0.03, error: verdict.error ? err(verdict.error, 115) : undefined, status: verdict.status ?? [] },
  });
}

const expiredLeaf = cert({ notBefore: new Date(NOW_MS - 400 * DAY_MS).toISOString(), notAfter: new Date(NOW_MS - DAY_MS).toISOString() });

const CASES: [string, NetlogRecord, string[], RegExp][] = [
    ['a name that did not resolve', socket({ kind: 'request', connect: undefined, dns: err('ERR_NAME_NOT_RESOLVED', 50) }), ['DNS_NO_ADDRESS'], /^event 50 \(\+50 ms\): the browser's resolver found no address for example\.test \(ERR_NAME_NOT_RESOLVED\)$/],
    ['a resolver that failed', socket({ kind: 'request', connect: undefined, dns: err('ERR_DNS_TIMED_OUT', 50) }), ['DNS_ERROR'], /resolver found no address for example\.test \(ERR_DNS_TIMED_OUT\)/],
    ['a request with nothing to say', socket({ kind: 'request', connect: undefined }), [], /^$/],
    ['a refused connect', socket({ connect: { ...socket().connect!, end: { frame: 103, time: T0, error: err('ERR_CONNECTION_REFUSED', 103) } } }), ['TCP_REFUSED'], /^event 101 \(\+0 ms\): TCP connect to 192\.0\.2\.10:443\nevent 103 \(\+50 ms\): the connect ended with ERR_CONNECTION_REFUSED after 1 ms\nthe server's host answered the SYN with a reset/],
    ['a connect that timed out', socket({ connect: { ...socket().connect!, end: { frame: 103, time: T0 + 75, error: err('ERR_CONNECTION_TIMED_OUT', 103) } } }), ['TCP_TIMEOUT'], /ended with ERR_CONNECTION_TIMED_OUT after 1 ms\nthe SYN got no answer/],
    ['an unreachable address', socket({ connect: { ...socket().connect!, end: { frame: 103, time: T0, error: err('ERR_ADDRESS_UNREACHABLE', 103) } } }), ['TCP_UNREACHABLE'], /ended with ERR_ADDRESS_UNREACHABLE after 1 ms\nan ICMP error/],
    ['a connect reset', socket({ connect: { ...socket().connect!, end: { frame: 103, time: T0, error: err('ERR_CONNECTION_RESET', 103) } } }), ['TCP_RESET'], /ended with ERR_CONNECTION_RESET after 1 ms\nthe connection was reset before TLS began$/],
    ['a connect error no judge maps', socket({ connect: { ...socket().connect!, end: { frame: 103, time: T0, error: err('ERR_SOCKET_NOT_CONNECTED', 103) } } }), ['BROWSER_NET_ERROR'], /ended with ERR_SOCKET_NOT_CONNECTED after 1 ms\nERR_SOCKET_NOT_CONNECTED \(-15\) means: /],
    ['a connect still open 10 s when the log stopped', socket({ cut: true, connect: { ...socket().connect!, end: undefined } }), ['TCP_TIMEOUT'], /^event 101 \(\+0 ms\): TCP connect to 192\.0\.2\.10:443\nno answer 10\.0 s later, when the log stopped/],
    ['a connect open 2 s when the log stopped', socket({ cut: true, logEnd: T0 + 2, connect: { ...socket().connect!, end: undefined } }), ['NETLOG_UNFINISHED'], /the log stopped 2\.0 s later, before the connect ended$/],
    ['a connect open exactly 3 s when the log stopped', socket({ cut: true, logEnd: T0 + 3, connect: { ...socket().connect!, end: undefined } }), ['TCP_TIMEOUT'], /no answer 3\.0 s later/],
    ['a connect that tried two addresses', socket({ connect: { frame: 101, time: T0, addresses: ['[2001:db8::1]:443', '192.0.2.10:443'], attempts: [{ address: '[2001:db8::1]:443', frame: 102, time: T0, ms: 2, osError: 101 }, { address: '192.0.2.10:443', frame: 104, time: T0, ms: 1, osError: 111 }], end: { frame: 105, time: T0, error: err('ERR_CONNECTION_REFUSED', 105) } } }), ['TCP_REFUSED'], /TCP connect to \[2001:db8::1\]:443, 192\.0\.2\.10:443\n2 addresses tried: \[2001:db8::1\]:443 \(OS error 101\), 192\.0\.2\.10:443 \(OS error 111\)\n.*ERR_CONNECTION_REFUSED \(OS error 111\) after 1 ms/],
    ['a connect with no address list', socket({ connect: { frame: 101, time: T0, addresses: [], attempts: [], end: { frame: 103, time: T0, error: err('ERR_CONNECTION_REFUSED', 103) } } }), ['TCP_REFUSED'], /^event 101 \(\+0 ms\): TCP connect to the server\nevent 103 \(\+50 ms\): the connect ended with ERR_CONNECTION_REFUSED\n/],
    ['a connected socket with no TLS', socket(), ['NETLOG_UNFINISHED'], /^event 103 \(\+1 ms\): TCP connected; the log shows no TLS on this socket$/],
    ['a completed handshake', tls(undefined, answered), ['HANDSHAKE_OK'], /^event 105 \(\+2 ms\): ClientHello sent with SNI example\.test, 1,900 bytes\nTLS 1\.2\nevent 120 \(\+50 ms\): the handshake completed$/],
    ['a completed handshake that was asked for a client certificate', tls(undefined, { ...answered, certificateRequested: true }), ['HANDSHAKE_OK', 'CLIENT_CERT_REQUESTED'], /the handshake completed$/],
    ['a reset right after the ClientHello', tls('ERR_CONNECTION_RESET'), ['RESET_AFTER_CLIENT_HELLO'], /ERR_CONNECTION_RESET\nthe socket received no byte before it\nthe server \(or something on the path\) cut/],
    ['a close right after the ClientHello', tls('ERR_CONNECTION_CLOSED'), ['RESET_AFTER_CLIENT_HELLO'], /ended with ERR_CONNECTION_CLOSED\nthe socket received no byte before it/],
    ['a reset after the server had answered', tls('ERR_CONNECTION_RESET', answered), ['BROWSER_NET_ERROR'], /ERR_CONNECTION_RESET \(-101\) means: .*\nthe server had sent Server Hello$/],
    ['a hello never answered', tls('ERR_TIMED_OUT'), ['NO_SERVER_HELLO'], /ended with ERR_TIMED_OUT\nthe socket received no byte\nthe ClientHello is larger than one packet: an MTU black hole/],
    ['a one-packet hello never answered', tls('ERR_TIMED_OUT', {}, 1400), ['NO_SERVER_HELLO'], /1,400 bytes\n.*\nthe socket received no byte\na capture of the attempt shows whether the ClientHello reached the server$/],
    ['a hello never answered after the server sent bytes', tls('ERR_TIMED_OUT', { bytes: [1900, 7] }), ['NO_SERVER_HELLO'], /ERR_TIMED_OUT\nthe ClientHello is larger/],
    ['a handshake still open 3 s, unanswered', tls(undefined, { cut: true, logEnd: T0 + 3.002, tls: { frame: 104, time: T0 } }), ['NO_SERVER_HELLO'], /no answer 3\.0 s later/],
    ['a handshake still open 10 s, unanswered', tls(undefined, { cut: true, tls: { frame: 104, time: T0 } }), ['NO_SERVER_HELLO'], /no answer 10\.0 s later, when the log stopped\nthe socket received no byte/],
    ['a handshake open 1 s, unanswered', tls(undefined, { cut: true, logEnd: T0 + 1, tls: { frame: 104, time: T0 } }), ['NETLOG_UNFINISHED'], /the log stopped 1\.0 s later, before the handshake ended$/],
    ['a handshake open, answered', tls(undefined, { ...answered, cut: true, tls: { frame: 104, time: T0 } }), ['NETLOG_UNFINISHED'], /before the handshake ended \(the server had sent Server Hello\)$/],
    ['an answer that is not TLS', tls('ERR_SSL_PROTOCOL_ERROR'), ['NOT_TLS'], /ended with ERR_SSL_PROTOCOL_ERROR\nthis log \(capture mode Default\) does not keep the answer's bytes/],
    ['an answer in plain HTTP (Everything mode kept its bytes)', tls('ERR_SSL_PROTOCOL_ERROR', { firstServerBytes: new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n') }), ['PLAINTEXT_HTTP_ON_TLS_PORT'], /the server answered \"HTTP\/1\.1 400 Bad\": plain HTTP\n/],
    ['a protocol error after a server alert', tls('ERR_SSL_PROTOCOL_ERROR', { alerts: [alert('server', AlertDescription.DecodeError, 112, 0.01)] }), ['TLS_ALERT'], /event 112 \(\+10 ms\): the server sent the alert Decode Error\nevent 120/],
    ['a server that chose TLS 1.0', tls('ERR_SSL_VERSION_OR_CIPHER_MISMATCH', { serverHello: serverHello(110, 0.01, Version.TLS10) }), ['PROTOCOL_VERSION_MISMATCH'], /the browser offered TLS 1\.3, TLS 1\.2\nevent 110 \(\+10 ms\): the server chose TLS 1\.0\n/],
    ['a protocol_version alert', tls('ERR_SSL_VERSION_OR_CIPHER_MISMATCH', { alerts: [alert('server', AlertDescription.ProtocolVersion, 112, 0.01)] }), ['PROTOCOL_VERSION_MISMATCH'], /the browser offered TLS 1\.3, TLS 1\.2\nevent 112 \(\+10 ms\): the server sent the alert Protocol Version\nevent 120/],
    ['a handshake_failure alert', tls('ERR_SSL_VERSION_OR_CIPHER_MISMATCH', { alerts: [alert('server', AlertDescription.HandshakeFailure, 112, 0.01)] }), ['NO_SHARED_CIPHER'], /alert Handshake Failure\n.*\nthe browser names version or cipher alike/],
    ['a client certificate asked for', tls('ERR_SSL_CLIENT_AUTH_CERT_NEEDED', { ...answered, certificateRequested: true }), ['CLIENT_CERT_REQUIRED'], /the server asked for a client certificate \(CertificateRequest\)\n.*ERR_SSL_CLIENT_AUTH_CERT_NEEDED\nthe browser stopped the handshake to ask the user/],
    ['certificate_required from the server', tls('ERR_BAD_SSL_CLIENT_AUTH_CERT', { ...answered, alerts: [alert('server', AlertDescription.CertificateRequired, 112, 0.02)] }), ['CLIENT_CERT_REQUIRED'], /bytes\nevent 112 \(\+20 ms\): the server sent the alert Certificate Required\nevent 120 \(\+50 ms\): the TLS handshake ended with ERR_BAD_SSL_CLIENT_AUTH_CERT$/],
    ['an expired leaf', verified([expiredLeaf, intermediate()], { error: 'ERR_CERT_DATE_INVALID', status: ['DATE_INVALID'] }), ['CERT_EXPIRED'], /^event 115 \(\+30 ms\): the browser's verifier said ERR_CERT_DATE_INVALID \(DATE_INVALID\)\nevent 111 \(\+10000 ms\): a chain of 2 certificate\(s\)\n/],
    ['a leaf for another name', verified([cert({ sans: ['other.test'] }), intermediate()], { error: 'ERR_CERT_COMMON_NAME_INVALID', status: ['COMMON_NAME_INVALID'] }), ['CERT_HOSTNAME_MISMATCH'], /^event 115 .*COMMON_NAME_INVALID\).*\n(.*\n)*example\.test: the browser's verifier found the name in no SAN/],
    ['a self-signed leaf', verified([cert({ selfSigned: true, selfIssued: true })], { error: 'ERR_CERT_AUTHORITY_INVALID', status: ['AUTHORITY_INVALID'] }), ['CERT_SELF_SIGNED'], /^event 115 .*AUTHORITY_INVALID\)\nevent 111 \(\+10000 ms\): a chain of 1 certificate/],
    ['a leaf sent alone', verified([cert()], { error: 'ERR_CERT_AUTHORITY_INVALID', status: ['AUTHORITY_INVALID'] }), ['CERT_CHAIN_INCOMPLETE'], /^event 115 .*AUTHORITY_INVALID\)\n(.*\n)*only the leaf was sent/],
    ['a whole chain to a root the browser lacks', verified([cert(), intermediate()], { error: 'ERR_CERT_AUTHORITY_INVALID', status: ['AUTHORITY_INVALID'] }), ['CERT_UNTRUSTED'], /^event 115 .*AUTHORITY_INVALID\)\n(.*\n)*the chain is whole and in order, and ends at "CN=Example Root", a root the client does not trust$/],
    ['a leaf sent alone that the browser completed itself', verified([cert()], {}), ['CERT_CHAIN_INCOMPLETE'], /^event 115 \(\+30 ms\): the browser's verifier accepted the chain\n(.*\n)*only the leaf was sent/],
    ['a good chain the browser accepted', verified([cert(), intermediate()], {}), ['HANDSHAKE_OK'], /the handshake completed$/],
    ['a certificate error no chain fault explains', verified([cert(), intermediate()], { error: 'ERR_CERT_REVOKED', status: ['REVOKED'] }), ['BROWSER_NET_ERROR'], /ended with ERR_CERT_REVOKED\nERR_CERT_REVOKED \(-206\) means: .*\nthe server had sent Server Hello$/],
    ['a verifier error without a chain in the log', tls('ERR_CERT_DATE_INVALID', { verify: { frame: 115, time: T0, error: err('ERR_CERT_DATE_INVALID', 115), status: ['DATE_INVALID'] } }), ['BROWSER_NET_ERROR'], /event 115 \(\+50 ms\): the browser's certificate verification ended with ERR_CERT_DATE_INVALID\nERR_CERT_DATE_INVALID \(-201\) means/],
];

/** The net error a record ended with: its connect's, its handshake's, its verifier's or its resolver's. */
const netError = (r: NetlogRecord) => r.connect?.end?.error?.name ?? r.tls?.end?.error?.name ?? r.verify?.error?.name ?? r.dns?.name;

describe('the NetLog judge: the browser\'s errors read against what it logged', () => {
  it.each(CASES)('%s', (_name, r, want, evidence) => {
    const found = diagnoseNetlogRecord(r);
    expect(found.map((f) => f.code)).toEqual(want);
    expect((found[0]?.evidence ?? []).join('\n')).toMatch(evidence);
  });

  // One table for both: what `explain net::ERR_X` lists is what a log that ended in ERR_X can give.
  it.each(CASES.filter(([, r, want]) => netError(r) && want[0] && !['BROWSER_NET_ERROR', 'NETLOG_UNFINISHED'].includes(want[0])))('%s: explain lists its verdict among the causes of its net error', (_name, r, want) => {
    const e = explain(`net::${netError(r)}`);
    expect(e.netError?.name).toBe(netError(r));
    expect(e.candidates.map((c) => c.code)).toContain(want[0]);
  });
});

describe('the NetLog judge: each net error it reads, and the edges of each rule', () => {
  const connectEnded = (name: string) => socket({ connect: { ...socket().connect!, end: { frame: 103, time: T0, error: err(name, 103) } } });
  it.each<[string, NetlogRecord, string[], RegExp]>([
    ['a connect ERR_TIMED_OUT', connectEnded('ERR_TIMED_OUT'), ['TCP_TIMEOUT'], /ERR_TIMED_OUT after 1 ms\nthe SYN got no answer/],
    ['a connect ERR_INTERNET_DISCONNECTED', connectEnded('ERR_INTERNET_DISCONNECTED'), ['TCP_UNREACHABLE'], /an ICMP error/],
    ['a connect ERR_NETWORK_ACCESS_DENIED', connectEnded('ERR_NETWORK_ACCESS_DENIED'), ['TCP_UNREACHABLE'], /an ICMP error/],
    ['a connect ERR_CONNECTION_CLOSED', connectEnded('ERR_CONNECTION_CLOSED'), ['TCP_RESET'], /reset before TLS began$/],
    ['a handshake ERR_CONNECTION_TIMED_OUT, unanswered', tls('ERR_CONNECTION_TIMED_OUT'), ['NO_SERVER_HELLO'], /ERR_CONNECTION_TIMED_OUT\n/],
    ['a handshake ERR_TIMED_OUT after the server answered', tls('ERR_TIMED_OUT', answered), ['BROWSER_NET_ERROR'], /the server had sent Server Hello$/],
    ['a handshake ERR_CONNECTION_ABORTED, unanswered', tls('ERR_CONNECTION_ABORTED'), ['RESET_AFTER_CLIENT_HELLO'], /ERR_CONNECTION_ABORTED\n/],
    ['a handshake ERR_EMPTY_RESPONSE, unanswered', tls('ERR_EMPTY_RESPONSE'), ['RESET_AFTER_CLIENT_HELLO'], /ERR_EMPTY_RESPONSE\n/],
    ['a reset after bytes came', tls('ERR_CONNECTION_RESET', { bytes: [1900, 5] }), ['RESET_AFTER_CLIENT_HELLO'], /ERR_CONNECTION_RESET\nthe server \(or something/],
    ['ERR_SSL_CLIENT_AUTH_NO_COMMON_ALGORITHMS', tls('ERR_SSL_CLIENT_AUTH_NO_COMMON_ALGORITHMS', answered), ['CLIENT_CERT_REQUIRED'], /ERR_SSL_CLIENT_AUTH_NO_COMMON_ALGORITHMS$/],
    ['ERR_SSL_CLIENT_AUTH_SIGNATURE_FAILED', tls('ERR_SSL_CLIENT_AUTH_SIGNATURE_FAILED', answered), ['CLIENT_CERT_REQUIRED'], /ERR_SSL_CLIENT_AUTH_SIGNATURE_FAILED$/],
    ['a CertificateRequest message read from the log', tls(undefined, { ...answered, messages: [...answered.messages, message('server', HandshakeType.CertificateRequest, 111, 0.01)] }), ['HANDSHAKE_OK', 'CLIENT_CERT_REQUESTED'], /completed$/],
    ['a client CertificateRequest is not the server asking', tls(undefined, { ...answered, messages: [...answered.messages, message('client', HandshakeType.CertificateRequest, 111, 0.01)] }), ['HANDSHAKE_OK'], /completed$/],
    ['a protocol error after the server answered', tls('ERR_SSL_PROTOCOL_ERROR', answered), ['BROWSER_NET_ERROR'], /the server had sent Server Hello$/],
    ['a protocol error with BoringSSL\'s reason', tls('ERR_SSL_PROTOCOL_ERROR', { tls: { frame: 104, time: T0, end: { frame: 120, time: T0 + 0.05, error: err('ERR_SSL_PROTOCOL_ERROR', 120) }, sslError: { lib: 16, reason: 247 } } }), ['NOT_TLS'], /BoringSSL could not read the answer as a TLS record \(library 16, reason 247\)/],
    ['an answer of another protocol, bytes kept', tls('ERR_SSL_PROTOCOL_ERROR', { firstServerBytes: new TextEncoder().encode('SSH-2.0-OpenSSH') }), ['NOT_TLS'], /began with the bytes 53 53 48 2d 32 2e 30 2d$/],
    ['a client alert is not the server\'s', tls('ERR_SSL_PROTOCOL_ERROR', { alerts: [alert('client', AlertDescription.DecodeError, 112, 0.01)] }), ['NOT_TLS'], /ERR_SSL_PROTOCOL_ERROR\n/],
    ['a server that chose TLS 1.2 and named no alert', tls('ERR_SSL_VERSION_OR_CIPHER_MISMATCH', { serverHello: serverHello(110, 0.01, Version.TLS12) }), ['NO_SHARED_CIPHER'], /offered TLS 1\.3, TLS 1\.2\nevent 120/],
    ['a client alert beside a version mismatch', tls('ERR_SSL_VERSION_OR_CIPHER_MISMATCH', { alerts: [alert('client', AlertDescription.ProtocolVersion, 112, 0.01)] }), ['NO_SHARED_CIPHER'], /offered TLS 1\.3, TLS 1\.2\nevent 120/],
    ['a handshake with no message logged', tls(undefined, { ...answered, clientHello: undefined, clientHelloBytes: undefined, messages: [] }), ['HANDSHAKE_OK'], /^event 104 \(\+2 ms\): the TLS handshake began \(the capture mode logged no handshake message\)\nTLS 1\.2\n/],
    ['a handshake with ALPN', tls(undefined, { ...answered, version: Version.TLS13, alpn: 'h2' }), ['HANDSHAKE_OK'], /\nTLS 1\.3, ALPN h2\n/],
    ['a handshake without SNI or size', tls(undefined, { ...answered, sni: undefined, clientHelloBytes: undefined }), ['HANDSHAKE_OK'], /^event 105 \(\+2 ms\): ClientHello sent\n/],
    ['a chain judged against the host name when no SNI was sent', { ...verified([cert({ sans: ['other.test'] }), intermediate()], {}), sni: undefined }, ['CERT_HOSTNAME_MISMATCH'], /the host name example\.test is not among the SANs$/],
    ['a chain without a verifier verdict', { ...verified([cert(), intermediate()], {}), verify: undefined, chain: { links: [{ from: 0, to: 1, ok: true }], endsInRoot: false } }, ['HANDSHAKE_OK'], /completed$/],
    ['a chain without its time', { ...verified([expiredLeaf, intermediate()], { error: 'ERR_CERT_DATE_INVALID', status: ['DATE_INVALID'] }), certificatesTime: undefined, certificatesFrame: undefined }, ['CERT_EXPIRED'], /event 100 \(\+0 ms\): a chain of 2 certificate\(s\)/],
    ['a connect the browser gave up after 1 s (not cut)', socket({ lastTime: T0 + 1, connect: { ...socket().connect!, end: undefined } }), ['NETLOG_UNFINISHED'], /the browser closed the socket 1\.0 s later, before the connect ended$/],
    ['a connect the browser gave up after 5 s (not cut)', socket({ lastTime: T0 + 5, connect: { ...socket().connect!, end: undefined } }), ['TCP_TIMEOUT'], /no answer 5\.0 s later, when the browser closed the socket/],
    ['a handshake the browser closed after 4 s, unanswered', tls(undefined, { lastTime: T0 + 4, tls: { frame: 104, time: T0 } }), ['NO_SERVER_HELLO'], /no answer 4\.0 s later, when the browser closed the socket/],
    ['a chain rejected from the browser\'s cache (no verifier job): ERR_CERT_AUTHORITY_INVALID', { ...verified([cert(), intermediate()], { error: 'ERR_CERT_AUTHORITY_INVALID' }), verify: undefined }, ['CERT_UNTRUSTED'], /^event 120 \(\+50 ms\): the browser rejected the chain with ERR_CERT_AUTHORITY_INVALID \(a verification it had cached: no verifier job for this connection in the log\)\n/],
    ['a chain rejected from the cache: ERR_CERT_COMMON_NAME_INVALID', { ...verified([cert({ sans: ['other.test'] }), intermediate()], { error: 'ERR_CERT_COMMON_NAME_INVALID' }), verify: undefined }, ['CERT_HOSTNAME_MISMATCH'], /found the name in no SAN/],
    ['a log without its clock: dates are not judged', { ...verified([expiredLeaf, intermediate()], {}), clockAnchored: false }, ['HANDSHAKE_OK'], /completed$/],
    ['an IP address asked for, no SNI: the verifier judged the name', { ...verified([cert(), intermediate()], {}), sni: undefined, host: '192.0.2.10' }, ['HANDSHAKE_OK'], /completed$/],
  ])('%s', (_name, r, want, evidence) => {
    const found = diagnoseNetlogRecord(r);
    expect(found.map((f) => f.code)).toEqual(want);
    expect((found[0]?.evidence ?? []).join('\n')).toMatch(evidence);
  });

  it.each<[string, NetlogRecord, string, RegExp?]>([
    ['a handshake error no judge maps', tls('ERR_CERT_REVOKED', answered), 'The browser gave up with ERR_CERT_REVOKED'],
    ['a connect error no judge maps', connectEnded('ERR_SOCKET_NOT_CONNECTED'), 'The browser could not connect: ERR_SOCKET_NOT_CONNECTED'],
    ['a server alert', tls('ERR_SSL_PROTOCOL_ERROR', { alerts: [alert('server', AlertDescription.DecodeError, 112, 0.01)] }), 'Fatal alert Decode Error from the server', /could not parse a handshake message/],
    ['a socket the browser gave up', socket({ lastTime: T0 + 1, connect: { ...socket().connect!, end: undefined } }), 'The browser gave the connection up before it ended', /another one won the race/],
  ])('%s: its title and fix', (_name, r, title, remedy) => {
    const f = diagnoseNetlogRecord(r)[0];
    expect(f.title).toBe(title);
    if (remedy) expect(f.remedy).toMatch(remedy);
  });

  it('names a socket the browser gave up apart from a log that stopped', () => {
    const gaveUp = diagnoseNetlogRecord(socket({ lastTime: T0 + 1, connect: { ...socket().connect!, end: undefined } }))[0];
    const stopped = diagnoseNetlogRecord(socket({ cut: true, logEnd: T0 + 1, connect: { ...socket().connect!, end: undefined } }))[0];
    expect(gaveUp.title).toBe('The browser gave the connection up before it ended');
    expect(stopped.title).toBe('The log stopped while the connection was still going');
  });
});

describe('the NetLog judge on QUIC sessions', () => {
  const session = (o: Partial<NetlogRecord['quic']> & object = {}, r: Partial<NetlogRecord> = {}): NetlogRecord =>
    socket({ kind: 'quic', connect: undefined, quic: { packetsReceived: 0, packetsSent: 6, ...o }, ...r });
  const began = 'event 100 (+0 ms): QUIC session to example.test:443, 6 packets sent';
  it.each<[string, NetlogRecord, string[], string[]]>([
    ['a confirmed handshake', session({ packetsReceived: 12, version: 'RFCv1', handshakeConfirmed: { frame: 130, time: T0 + 0.05 } }), ['QUIC_HANDSHAKE_OK'], [`${began}, 12 packets received`, 'version RFCv1', 'event 130 (+50 ms): the QUIC handshake completed']],
    ['an idle timeout with nothing received', session({ closed: { frame: 130, time: T0 + 4, quicError: 'QUIC_NETWORK_IDLE_TIMEOUT', fromPeer: false, details: 'No recent network activity' } }), ['QUIC_NO_RESPONSE'], [`${began}, 0 packets received`, 'event 130 (+4000 ms): the browser closed it with QUIC_NETWORK_IDLE_TIMEOUT ("No recent network activity")', 'UDP to the server got no answer: browsers then fall back to TCP, a second or more later']],
    ['nothing received 10 s before the log stopped', session({}, { cut: true }), ['QUIC_NO_RESPONSE'], [`${began}, 0 packets received`, 'no packet came back before the log stopped, 10.0 s later', 'UDP to the server got no answer: browsers then fall back to TCP, a second or more later']],
    ['nothing received 3 s before the log stopped', session({}, { cut: true, logEnd: T0 + 3 }), ['QUIC_NO_RESPONSE'], [`${began}, 0 packets received`, 'no packet came back before the log stopped, 3.0 s later', 'UDP to the server got no answer: browsers then fall back to TCP, a second or more later']],
    ['nothing received 1 s before the log stopped', session({}, { cut: true, logEnd: T0 + 1 }), ['NETLOG_UNFINISHED'], [`${began}, 0 packets received`, 'no packet came back before the log stopped, 1.0 s later']],
    ['a close by the server', session({ packetsReceived: 3, closed: { frame: 130, time: T0 + 0.1, quicError: 'QUIC_HANDSHAKE_FAILED', fromPeer: true, details: 'TLS alert 42' } }), ['QUIC_CONNECTION_CLOSED'], [`${began}, 3 packets received`, 'event 130 (+100 ms): closed by the server with QUIC_HANDSHAKE_FAILED', 'details: TLS alert 42']],
    ['a close by the browser', session({ packetsReceived: 3, closed: { frame: 130, time: T0 + 0.1, quicError: 'QUIC_PEER_GOING_AWAY', fromPeer: false } }), ['QUIC_CONNECTION_CLOSED'], [`${began}, 3 packets received`, 'event 130 (+100 ms): closed by the browser with QUIC_PEER_GOING_AWAY']],
    ['nothing received, and the browser closed it for another reason', session({ closed: { frame: 130, time: T0 + 0.2, quicError: 'QUIC_CONNECTION_CANCELLED', fromPeer: false } }), ['NETLOG_UNFINISHED'], [`${began}, 0 packets received`, 'event 130 (+200 ms): the browser closed it with QUIC_CONNECTION_CANCELLED']],
    ['a handshake timeout with nothing received', session({ closed: { frame: 130, time: T0 + 10, quicError: 'QUIC_HANDSHAKE_TIMEOUT', fromPeer: false } }), ['QUIC_NO_RESPONSE'], [`${began}, 0 packets received`, 'event 130 (+10000 ms): the browser closed it with QUIC_HANDSHAKE_TIMEOUT', 'UDP to the server got no answer: browsers then fall back to TCP, a second or more later']],
    ['nothing received, session ended 10 s later without a close', session({}, { lastTime: T0 + 10, logEnd: T0 + 20 }), ['QUIC_NO_RESPONSE'], [`${began}, 0 packets received`, 'no packet came back before the browser closed the session, 10.0 s later', 'UDP to the server got no answer: browsers then fall back to TCP, a second or more later']],
    ['answered, open when the log stopped', session({ packetsReceived: 1 }, { cut: true, host: undefined, port: 8443 }), ['NETLOG_UNFINISHED'], ['event 100 (+0 ms): QUIC session to the server:8443, 6 packets sent, 1 packet received', 'the log stopped before the QUIC handshake completed']],
    ['a session without QUIC facts', socket({ kind: 'quic', connect: undefined }), [], []],
  ])('%s', (_name, r, want, evidence) => {
    const found = diagnoseNetlogRecord(r);
    expect(found.map((f) => f.code)).toEqual(want);
    expect(found[0]?.evidence ?? []).toEqual(evidence);
  });
});

describe('the NetLog judge\'s evidence', () => {
  const first = (r: NetlogRecord) => diagnoseNetlogRecord(r)[0];
  it('cites the log\'s event numbers and times from the record\'s first event', () => {
    const f = first(tls('ERR_CONNECTION_RESET'));
    expect(f.evidence).toEqual([
      'event 105 (+2 ms): ClientHello sent with SNI example.test, 1,900 bytes',
      'event 120 (+50 ms): the TLS handshake ended with ERR_CONNECTION_RESET',
      'the socket received no byte before it',
      'the server (or something on the path) cut the connection instead of answering the ClientHello',
    ]);
  });

  it('says what an unanswered hello too big for one packet could also be, and what decides', () => {
    expect(first(tls('ERR_TIMED_OUT')).evidence.join('\n')).toMatch(/MTU black hole .* `tlsdoctor probe HOST`/);
    expect(first(tls('ERR_TIMED_OUT', {}, 500)).evidence.join('\n')).not.toMatch(/MTU/);
  });

  it('puts the browser\'s verifier first in a certificate finding', () => {
    const f = first(verified([expiredLeaf, intermediate()], { error: 'ERR_CERT_DATE_INVALID', status: ['DATE_INVALID'] }));
    expect(f.evidence[0]).toBe('event 115 (+30 ms): the browser\'s verifier said ERR_CERT_DATE_INVALID (DATE_INVALID)');
  });

  it('says which capture mode kept no bytes of an answer that is not TLS', () => {
    expect(first(tls('ERR_SSL_PROTOCOL_ERROR')).evidence.join('\n')).toMatch(/capture mode Default\) does not keep the answer's bytes/);
    expect(first(tls('ERR_SSL_PROTOCOL_ERROR', { firstServerBytes: new Uint8Array([0x16, 0x03, 0x01, 0xff]) })).evidence.join('\n')).toMatch(/began with the bytes 16 03 01 ff/);
  });

  it('names the connect\'s OS error and how long it took', () => {
    const r = socket({ connect: { ...socket().connect!, attempts: [{ address: '192.0.2.10:443', frame: 102, time: T0, ms: 3, osError: 111 }], end: { frame: 103, time: T0, error: err('ERR_CONNECTION_REFUSED', 103) } } });
    expect(first(r).evidence).toContain('event 103 (+50 ms): the connect ended with ERR_CONNECTION_REFUSED (OS error 111) after 3 ms');
  });
});
