import { describe, expect, it } from 'vitest';
import type { Http3Probe } from '@tlsdoctor/probe';
import { diagnoseConnection } from '../capture.js';
import { alert, connection, NOW_MS, probeRecord, quicConnection, serverHello, T0 } from '../facts.fixtures.js';
import { diagnoseProbe } from '../probe.js';
import { HelloHistory } from './hello-size.js';
import { judgeProbeHttp3, judgeQuic, quicWaitsForHistory, QUIC_ANSWER_WAIT_S } from './quic.js';

const codes = (fs: { code: string }[]) => fs.map((f) => f.code);
const answered = { serverHello: serverHello(3, 0.02, 0x0304, 0x1301), version: 0x0304, cipher: 0x1301 };
const close = (o: Partial<NonNullable<ReturnType<typeof quicConnection>['quic']>['close']> = {}) => ({
  from: 'server' as const, frame: 3, time: T0 + 0.02, packet: 'initial' as const, application: false, code: 0x178, codeName: 'CRYPTO_ERROR (TLS alert No application Protocol (120))', reason: '', ...o,
});

describe('QUIC judge', () => {
  it.each([
    ['one Initial, silence for longer than the wait', {}, {}, T0 + 5, ['QUIC_NO_RESPONSE']],
    ['one Initial, the capture ends at once', {}, {}, T0 + 0.5, []],
    ['Initials sent again, the capture ends soon', { initials: [3, 0], datagrams: [3, 0], clientInitialDatagrams: 3, clientInitials: [{ frame: 1, time: T0 }, { frame: 2, time: T0 + 0.3 }, { frame: 4, time: T0 + 0.6 }] }, {}, T0 + 0.7, ['QUIC_NO_RESPONSE']],
    ['a ClientHello over two Initials, the capture ends soon', { initials: [2, 0], datagrams: [2, 0], clientInitialDatagrams: 2, helloDatagrams: 2, clientInitials: [{ frame: 1, time: T0 }, { frame: 2, time: T0 + 0.001 }] }, {}, T0 + 0.7, []],
    ['the server answered, both Handshake flights', { datagrams: [3, 3], handshakePackets: [1, 2], shortPackets: [2, 2] }, answered, T0 + 5, ['QUIC_HANDSHAKE_OK']],
    ['the server answered, the client never sent its Handshake flight', { datagrams: [1, 3], handshakePackets: [0, 2] }, answered, T0 + 5, ['QUIC_HANDSHAKE_UNFINISHED']],
    ['the server answered, the capture ends too soon to tell', { datagrams: [1, 3], handshakePackets: [0, 2] }, answered, T0 + 0.5, []],
    ['a server close with a crypto error', { datagrams: [1, 1], close: close() }, { alerts: [alert('server', 120, 3, 0.02)] }, T0 + 5, ['QUIC_CONNECTION_CLOSED']],
    ['a close with NO_ERROR', { datagrams: [3, 3], handshakePackets: [1, 1], close: close({ code: 0, codeName: 'NO_ERROR' }) }, answered, T0 + 5, ['QUIC_HANDSHAKE_OK']],
    ['an application close with code 0 is still a close', { datagrams: [1, 1], close: close({ code: 0x10c, application: true, codeName: 'H3_REQUEST_CANCELLED' }) }, {}, T0 + 5, ['QUIC_CONNECTION_CLOSED']],
    ['Version Negotiation and nothing after', { datagrams: [1, 1], versionNegotiation: { frame: 2, time: T0 + 0.01, offered: 0x6b3343cf, versions: [0xff00001d, 0x1a2a3a4a] } }, {}, T0 + 5, ['QUIC_VERSION_MISMATCH']],
    ['Version Negotiation, then a handshake in the version offered', { datagrams: [3, 3], handshakePackets: [1, 1], versionNegotiation: { frame: 2, time: T0 + 0.01, offered: 0x6b3343cf, versions: [1] } }, answered, T0 + 5, ['QUIC_HANDSHAKE_OK']],
    ['Retry after Retry', { datagrams: [3, 3], retries: [{ frame: 2, time: T0, tokenLength: 40 }, { frame: 4, time: T0, tokenLength: 40 }] }, {}, T0 + 5, ['QUIC_RETRY_LOOP']],
    ['one Retry, then the handshake', { datagrams: [3, 4], handshakePackets: [1, 1], retries: [{ frame: 2, time: T0, tokenLength: 40 }] }, answered, T0 + 5, ['QUIC_HANDSHAKE_OK']],
  ])('%s', (_n, q, over, end, want) => {
    expect(codes(judgeQuic(quicConnection(q as never, over as never), end))).toEqual(want);
  });

  it('waits the answer time before calling one Initial unanswered', () => {
    expect(judgeQuic(quicConnection(), T0 + QUIC_ANSWER_WAIT_S - 0.01)).toEqual([]);
    expect(codes(judgeQuic(quicConnection(), T0 + QUIC_ANSWER_WAIT_S))).toEqual(['QUIC_NO_RESPONSE']);
  });

  it('QUIC_NO_RESPONSE tells the ClientHello\'s datagrams from those sent again', () => {
    const r = quicConnection({ initials: [5, 0], datagrams: [5, 0], clientInitialDatagrams: 5, helloDatagrams: 2, clientInitials: [1, 2, 3, 4, 5].map((i) => ({ frame: i, time: T0 + i / 10 })) });
    const [f] = judgeQuic(r, T0 + 5);
    expect(f.evidence.slice(1, 4)).toEqual([
      'the client sent 5 Initial packets (QUIC v1) in 5 datagrams: frame 1 (+100.0 ms), frame 2 (+200.0 ms), frame 3 (+300.0 ms), frame 4 (+400.0 ms), frame 5 (+500.0 ms)',
      'the ClientHello took 2 datagrams',
      '3 more Initial datagrams followed: the client heard nothing and tried again',
    ]);
  });

  it('an ICMP port unreachable from the server itself names the missing listener, at once', () => {
    const icmp = { frame: 2, time: T0 + 0.001, type: 3, code: 3, from: '192.0.2.10', ttl: 64 };
    const r = quicConnection({}, { tcp: { ...quicConnection().tcp, icmp: [icmp] } });
    const [f] = judgeQuic(r, T0 + 0.01);
    expect(f.code).toBe('QUIC_NO_RESPONSE');
    expect(f.title).toBe('The QUIC Initial was refused: nothing listens on UDP 443');
    expect(f.evidence).toContain('ICMP port unreachable from 192.0.2.10 in frame 2 (+1.00 ms): the host is reached and nothing listens on UDP 443');
    // From a router, or of another kind: something on the path refused it; the title stays.
    const [g] = judgeQuic(quicConnection({}, { tcp: { ...quicConnection().tcp, icmp: [{ ...icmp, from: '198.51.100.1', code: 13 }] } }), T0 + 0.01);
    expect(g.title).toBe(judgeQuic(quicConnection(), T0 + 5)[0].title);
    expect(g.evidence).toContain('ICMP administratively prohibited from 198.51.100.1 in frame 2 (+1.00 ms): a router or firewall on the path refused the datagram');
  });

  it('QUIC_NO_RESPONSE says whether TCP to the same server worked in the same capture', () => {
    const history = new HelloHistory();
    const r = quicConnection();
    expect(judgeQuic(r, T0 + 5, history)[0].evidence.at(-1)).toBe('no TCP connection to 192.0.2.10:443 in this capture tells whether TLS over TCP works');
    history.note(connection({ id: 7, clientHello: r.clientHello, serverHello: serverHello(9, 0.1) }));
    expect(judgeQuic(r, T0 + 5, history)[0].evidence.at(-1)).toMatch(/^TCP to the same server \(connection 7, port 443\) got a ServerHello in frame 9: .*UDP 443 is what is blocked/);
    // Another server's TCP handshake says nothing about this one.
    const other = new HelloHistory();
    other.note(connection({ id: 8, server: { ip: '192.0.2.99', port: 443 }, clientHello: r.clientHello, serverHello: serverHello(9, 0.1) }));
    expect(judgeQuic(r, T0 + 5, other)[0].evidence.at(-1)).toMatch(/^no TCP connection/);
    // A QUIC handshake is not a TCP one.
    const quicOnly = new HelloHistory();
    quicOnly.note(quicConnection({ datagrams: [3, 3], handshakePackets: [1, 1] }, { ...answered, id: 3 }));
    expect(judgeQuic(r, T0 + 5, quicOnly)[0].evidence.at(-1)).toMatch(/^no TCP connection/);
  });

  it('a crypto error names its TLS alert, with the fix for that alert', () => {
    const r = quicConnection({ datagrams: [1, 1], close: close({ reason: 'no ALPN in common' }) }, { alerts: [alert('server', 120, 3, 0.02)] });
    const [f] = judgeQuic(r, T0 + 5);
    expect(f.title).toBe('The QUIC handshake was closed by the server with TLS alert No application Protocol');
    expect(f.evidence).toContain('CONNECTION_CLOSE from the server in an Initial packet (frame 3, +20.0 ms): transport error CRYPTO_ERROR (TLS alert No application Protocol (120)) (0x178)');
    expect(f.evidence).toContain('fatal alert No application Protocol (120) from the server in frame 3 (+20.0 ms)');
    expect(f.evidence).toContain('reason: "no ALPN in common"');
    expect(f.remedy).toMatch(/ALPN/);
    // The engine lists the close, not a second TLS_ALERT for the same alert.
    expect(codes(diagnoseConnection(r, { captureEnd: T0 + 5 }))).toEqual(['QUIC_CONNECTION_CLOSED']);
  });

  it('a healthy handshake says what it saw, with the key log when one opened it', () => {
    const [f] = judgeQuic(quicConnection({ datagrams: [3, 3], handshakePackets: [1, 2], shortPackets: [4, 5], handshakeOpened: [1, 2] }, answered), T0 + 5);
    expect(f.evidence.slice(1)).toEqual([
      'ServerHello in an Initial packet (frame 3, +20.0 ms)',
      '2 Handshake packets from the server, 1 Handshake packet from the client (its Finished), then 9 1-RTT packets',
      "opened with the key log: 2 of the server's Handshake packets, 1 of the client's",
    ]);
  });

  it('only an unanswered QUIC connection waits for the rest of the capture', () => {
    expect(quicWaitsForHistory(quicConnection())).toBe(true);
    expect(quicWaitsForHistory(quicConnection({ datagrams: [1, 1] }))).toBe(false);
    expect(quicWaitsForHistory(connection())).toBe(false);
  });

  it('a TCP record gets no QUIC finding', () => {
    expect(judgeQuic(connection(), T0 + 5)).toEqual([]);
  });
});

describe('HTTP/3 probe judge', () => {
  const h3 = (o: Partial<Http3Probe>): Http3Probe => ({ port: 443, outcome: 'silent', sent: 3, ms: 2000, handshakePackets: 0, ...o });
  const ALT = 'h3=":443"; ma=86400';
  it.each([
    ['no HTTP/3 probe', undefined, []],
    ['advertised and silent', h3({ advertised: ALT }), ['H3_ADVERTISED_UDP_BLOCKED']],
    ['advertised and refused by ICMP', h3({ advertised: ALT, outcome: 'refused', sent: 1, ms: 3 }), ['H3_ADVERTISED_UDP_BLOCKED']],
    ['asked for and silent', h3({}), ['H3_UNAVAILABLE']],
    ['asked for and refused', h3({ outcome: 'refused' }), ['H3_UNAVAILABLE']],
    ['answered', h3({ advertised: ALT, outcome: 'answered', sent: 1, ms: 20, firstAnswerMs: 15, handshakePackets: 2, serverHello: { version: 0x0304, cipher: 0x1301, group: 0x1d } }), ['H3_AVAILABLE']],
    ['closed', h3({ advertised: ALT, outcome: 'closed', close: { code: 0x178, name: 'CRYPTO_ERROR (TLS alert No application Protocol (120))', reason: '' } }), ['QUIC_CONNECTION_CLOSED']],
    ['Version Negotiation', h3({ outcome: 'version-negotiation', versions: [0x6b3343cf, 0x0a1a2a3a] }), ['QUIC_VERSION_MISMATCH']],
    ['a local error', h3({ outcome: 'error', error: 'send EPERM' }), ['H3_UNAVAILABLE']],
  ])('%s', (_n, http3, want) => {
    expect(codes(judgeProbeHttp3(probeRecord(http3 ? { http3 } : {})))).toEqual(want);
  });

  it('names the cause of the silence and the working TCP side', () => {
    const [silent] = judgeProbeHttp3(probeRecord({ http3: h3({ advertised: ALT }) }));
    expect(silent.evidence).toEqual([
      'the HTTPS answer advertises HTTP/3: Alt-Svc: h3=":443"; ma=86400',
      '3 QUIC v1 Initials with a ClientHello (ALPN h3) sent to 192.0.2.10:443 (UDP) over 2000.0 ms',
      'nothing came back, not even an ICMP error: a firewall or security group drops UDP 443 on the path',
      'TLS over TCP to 192.0.2.10:443 works (TLS 1.3)',
    ]);
    const [refused] = judgeProbeHttp3(probeRecord({ address: 'fd7d::10', http3: h3({ advertised: ALT, outcome: 'refused', sent: 1 }) }));
    expect(refused.title).toBe('The server advertises HTTP/3, but nothing listens on UDP 443');
    expect(refused.evidence[1]).toMatch(/to \[fd7d::10\]:443 \(UDP\)/);
    expect(refused.evidence[2]).toMatch(/ICMP port unreachable/);
    expect(refused.remedy).toMatch(/listen 443 quic/);
  });

  it('H3_AVAILABLE gives the ServerHello the server sent over QUIC', () => {
    const [f] = judgeProbeHttp3(probeRecord({ http3: h3({ outcome: 'answered', sent: 1, ms: 20, firstAnswerMs: 15, handshakePackets: 2, retried: true, serverHello: { version: 0x0304, cipher: 0x1301, group: 0x1d } }) }));
    expect(f.evidence).toEqual([
      '1 QUIC v1 Initial with a ClientHello (ALPN h3) sent to 192.0.2.10:443 (UDP) over 20.0 ms: the server\'s Initial came back after 15.0 ms',
      'ServerHello: TLS 1.3, TLS_AES_128_GCM_SHA256, key share x25519; 2 Handshake packets (its encrypted flight) followed',
      'the server asked for address validation first (Retry), and answered the Initial that carried its token',
    ]);
  });

  it('H3_ADVERTISED_UDP_BLOCKED is the primary beside a working TCP handshake; H3_AVAILABLE is not', () => {
    expect(codes(diagnoseProbe(probeRecord({ http3: h3({ advertised: ALT }) }), NOW_MS))[0]).toBe('H3_ADVERTISED_UDP_BLOCKED');
    expect(codes(diagnoseProbe(probeRecord({ http3: h3({ outcome: 'answered', serverHello: { version: 0x0304, cipher: 0x1301 } }) }), NOW_MS))[0]).toBe('HANDSHAKE_OK');
    expect(codes(diagnoseProbe(probeRecord({ http3: h3({}) }), NOW_MS))[0]).toBe('HANDSHAKE_OK');
  });
});
