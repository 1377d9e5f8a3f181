import { describe, expect, it } from 'vitest';
import type { NetErrorSeen, NetlogRecord } from '@tlsdoctor/analysis';
import { AlertDescription, HandshakeType, Version } from '@tlsdoctor/tls-parser-ts';
import { alert, cert, clientHello, intermediate, message, NOW_MS, serverHello, T0 } from '../facts.fixtures.js';
import { diagnoseNetlogRecord } from '../netlog.js';
import type { CertificateInfo } from '@tlsdoctor/analysis';
import { explain } from '../messages/explain.js';

const codes = (r: NetlogRecord) => diagnoseNetlogRecord(r).map((f) => f.code);
const DAY_MS = 86_400_000;

function err(name: string, frame: number, time = 0.05, code = -1): NetErrorSeen {
  return { name, code, frame, time: T0 + time };
}

/** A socket of a browser's log, 10 s before its log ended: TCP connected, nothing else yet. */
function socket(o: Partial<NetlogRecord> = {}): NetlogRecord {
  return {
    transport: 'netlog', kind: 'tcp', id: 7, host: 'example.test', port: 443, server: { ip: '192.0.2.10', port: 443 },
    firstTime: T0, lastTime: T0 + 1, firstEvent: 100, lastEvent: 140, bytes: [0, 0], cut: false, logEnd: T0 + 10, captureMode: 'Default',
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

const CASES: [string, NetlogRecord, string[]][] = [
    ['a name that did not resolve', socket({ kind: 'request', connect: undefined, dns: err('ERR_NAME_NOT_RESOLVED', 50) }), ['DNS_NO_ADDRESS']],
    ['a resolver that failed', socket({ kind: 'request', connect: undefined, dns: err('ERR_DNS_TIMED_OUT', 50) }), ['DNS_ERROR']],
    ['a request with nothing to say', socket({ kind: 'request', connect: undefined }), []],
    ['a refused connect', socket({ connect: { ...socket().connect!, end: { frame: 103, time: T0, error: err('ERR_CONNECTION_REFUSED', 103) } } }), ['TCP_REFUSED']],
    ['a connect that timed out', socket({ connect: { ...socket().connect!, end: { frame: 103, time: T0 + 75, error: err('ERR_CONNECTION_TIMED_OUT', 103) } } }), ['TCP_TIMEOUT']],
    ['an unreachable address', socket({ connect: { ...socket().connect!, end: { frame: 103, time: T0, error: err('ERR_ADDRESS_UNREACHABLE', 103) } } }), ['TCP_UNREACHABLE']],
    ['a connect reset', socket({ connect: { ...socket().connect!, end: { frame: 103, time: T0, error: err('ERR_CONNECTION_RESET', 103) } } }), ['TCP_RESET']],
    ['a connect error no judge maps', socket({ connect: { ...socket().connect!, end: { frame: 103, time: T0, error: err('ERR_SOCKET_NOT_CONNECTED', 103) } } }), ['BROWSER_NET_ERROR']],
    ['a connect still open 10 s when the log stopped', socket({ cut: true, connect: { ...socket().connect!, end: undefined } }), ['TCP_TIMEOUT']],
    ['a connect open 2 s when the log stopped', socket({ cut: true, logEnd: T0 + 2, connect: { ...socket().connect!, end: undefined } }), ['NETLOG_UNFINISHED']],
    ['a connected socket with no TLS', socket(), ['NETLOG_UNFINISHED']],
    ['a completed handshake', tls(undefined, answered), ['HANDSHAKE_OK']],
    ['a completed handshake that was asked for a client certificate', tls(undefined, { ...answered, certificateRequested: true }), ['HANDSHAKE_OK', 'CLIENT_CERT_REQUESTED']],
    ['a reset right after the ClientHello', tls('ERR_CONNECTION_RESET'), ['RESET_AFTER_CLIENT_HELLO']],
    ['a close right after the ClientHello', tls('ERR_CONNECTION_CLOSED'), ['RESET_AFTER_CLIENT_HELLO']],
    ['a reset after the server had answered', tls('ERR_CONNECTION_RESET', answered), ['BROWSER_NET_ERROR']],
    ['a hello never answered', tls('ERR_TIMED_OUT'), ['NO_SERVER_HELLO']],
    ['a handshake still open 10 s, unanswered', tls(undefined, { cut: true, tls: { frame: 104, time: T0 } }), ['NO_SERVER_HELLO']],
    ['a handshake open 1 s, unanswered', tls(undefined, { cut: true, logEnd: T0 + 1, tls: { frame: 104, time: T0 } }), ['NETLOG_UNFINISHED']],
    ['a handshake open, answered', tls(undefined, { ...answered, cut: true, tls: { frame: 104, time: T0 } }), ['NETLOG_UNFINISHED']],
    ['an answer that is not TLS', tls('ERR_SSL_PROTOCOL_ERROR'), ['NOT_TLS']],
    ['an answer in plain HTTP (Everything mode kept its bytes)', tls('ERR_SSL_PROTOCOL_ERROR', { firstServerBytes: new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n') }), ['PLAINTEXT_HTTP_ON_TLS_PORT']],
    ['a protocol error after a server alert', tls('ERR_SSL_PROTOCOL_ERROR', { alerts: [alert('server', AlertDescription.DecodeError, 112, 0.01)] }), ['TLS_ALERT']],
    ['a server that chose TLS 1.0', tls('ERR_SSL_VERSION_OR_CIPHER_MISMATCH', { serverHello: serverHello(110, 0.01, Version.TLS10) }), ['PROTOCOL_VERSION_MISMATCH']],
    ['a protocol_version alert', tls('ERR_SSL_VERSION_OR_CIPHER_MISMATCH', { alerts: [alert('server', AlertDescription.ProtocolVersion, 112, 0.01)] }), ['PROTOCOL_VERSION_MISMATCH']],
    ['a handshake_failure alert', tls('ERR_SSL_VERSION_OR_CIPHER_MISMATCH', { alerts: [alert('server', AlertDescription.HandshakeFailure, 112, 0.01)] }), ['NO_SHARED_CIPHER']],
    ['a client certificate asked for', tls('ERR_SSL_CLIENT_AUTH_CERT_NEEDED', { ...answered, certificateRequested: true }), ['CLIENT_CERT_REQUIRED']],
    ['certificate_required from the server', tls('ERR_BAD_SSL_CLIENT_AUTH_CERT', { ...answered, alerts: [alert('server', AlertDescription.CertificateRequired, 112, 0.02)] }), ['CLIENT_CERT_REQUIRED']],
    ['an expired leaf', verified([expiredLeaf, intermediate()], { error: 'ERR_CERT_DATE_INVALID', status: ['DATE_INVALID'] }), ['CERT_EXPIRED']],
    ['a leaf for another name', verified([cert({ sans: ['other.test'] }), intermediate()], { error: 'ERR_CERT_COMMON_NAME_INVALID', status: ['COMMON_NAME_INVALID'] }), ['CERT_HOSTNAME_MISMATCH']],
    ['a self-signed leaf', verified([cert({ selfSigned: true, selfIssued: true })], { error: 'ERR_CERT_AUTHORITY_INVALID', status: ['AUTHORITY_INVALID'] }), ['CERT_SELF_SIGNED']],
    ['a leaf sent alone', verified([cert()], { error: 'ERR_CERT_AUTHORITY_INVALID', status: ['AUTHORITY_INVALID'] }), ['CERT_CHAIN_INCOMPLETE']],
    ['a whole chain to a root the browser lacks', verified([cert(), intermediate()], { error: 'ERR_CERT_AUTHORITY_INVALID', status: ['AUTHORITY_INVALID'] }), ['CERT_UNTRUSTED']],
    ['a leaf sent alone that the browser completed itself', verified([cert()], {}), ['CERT_CHAIN_INCOMPLETE']],
    ['a good chain the browser accepted', verified([cert(), intermediate()], {}), ['HANDSHAKE_OK']],
    ['a certificate error no chain fault explains', verified([cert(), intermediate()], { error: 'ERR_CERT_REVOKED', status: ['REVOKED'] }), ['BROWSER_NET_ERROR']],
    ['a verifier error without a chain in the log', tls('ERR_CERT_DATE_INVALID', { verify: { frame: 115, time: T0, error: err('ERR_CERT_DATE_INVALID', 115), status: ['DATE_INVALID'] } }), ['BROWSER_NET_ERROR']],
];

/** The net error a record ended with: its connect's, its handshake's, its verifier's or its resolver's. */
const netError = (r: NetlogRecord) => r.connect?.end?.error?.name ?? r.tls?.end?.error?.name ?? r.verify?.error?.name ?? r.dns?.name;

describe('the NetLog judge: the browser\'s errors read against what it logged', () => {
  it.each(CASES)('%s', (_name, r, want) => {
    expect(codes(r)).toEqual(want);
  });

  // One table for both: what `explain net::ERR_X` lists is what a log that ended in ERR_X can give.
  it.each(CASES.filter(([, r, want]) => netError(r) && want[0] && !['BROWSER_NET_ERROR', 'NETLOG_UNFINISHED'].includes(want[0])))('%s: explain lists its verdict among the causes of its net error', (_name, r, want) => {
    const e = explain(`net::${netError(r)}`);
    expect(e.netError?.name).toBe(netError(r));
    expect(e.candidates.map((c) => c.code)).toContain(want[0]);
  });
});

describe('the NetLog judge on QUIC sessions', () => {
  const session = (o: Partial<NetlogRecord['quic']> & object = {}, r: Partial<NetlogRecord> = {}): NetlogRecord =>
    socket({ kind: 'quic', connect: undefined, quic: { packetsReceived: 0, packetsSent: 6, ...o }, ...r });
  it.each<[string, NetlogRecord, string[]]>([
    ['a confirmed handshake', session({ packetsReceived: 12, handshakeConfirmed: { frame: 130, time: T0 + 0.05 } }), ['QUIC_HANDSHAKE_OK']],
    ['an idle timeout with nothing received', session({ closed: { frame: 130, time: T0 + 4, quicError: 'QUIC_NETWORK_IDLE_TIMEOUT', fromPeer: false } }), ['QUIC_NO_RESPONSE']],
    ['nothing received 10 s before the log stopped', session(), ['QUIC_NO_RESPONSE']],
    ['nothing received 1 s before the log stopped', session({}, { logEnd: T0 + 1 }), ['NETLOG_UNFINISHED']],
    ['a close by the server', session({ packetsReceived: 3, closed: { frame: 130, time: T0 + 0.1, quicError: 'QUIC_HANDSHAKE_FAILED', fromPeer: true } }), ['QUIC_CONNECTION_CLOSED']],
    ['answered, open when the log stopped', session({ packetsReceived: 3 }), ['NETLOG_UNFINISHED']],
  ])('%s', (_name, r, want) => {
    expect(codes(r)).toEqual(want);
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
