import { describe, expect, it } from 'vitest';
import type { Http3Probe } from '@tlsdoctor/probe';
import { diagnoseConnection } from '../capture.js';
import { alert, connection, icmp as icmpAt, NOW_MS, probeRecord, quicConnection, serverHello, T0 } from '../facts.fixtures.js';
import { diagnoseProbe } from '../probe.js';
import { CaptureContext } from '@tlsdoctor/analysis';
import { alertRemedy as alertRemedyFor } from './alerts.js';
import { judgeProbeHttp3, judgeQuic, QUIC_ANSWER_WAIT_S } from './quic.js';

/** A capture's context with nothing noted yet. */
const context = () => new CaptureContext([443], () => {});

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
    const r = quicConnection({ icmp: [icmpAt(2, 0.001, 3, 3, { from: '192.0.2.10' })] });
    const [f] = judgeQuic(r, T0 + 0.01);
    expect(f.code).toBe('QUIC_NO_RESPONSE');
    expect(f.title).toBe('The QUIC Initial was refused: nothing listens on UDP 443');
    expect(f.evidence).toContain('ICMP port unreachable from 192.0.2.10 in frame 2 (+1.00 ms): the host is reached and nothing listens on UDP 443');
    // From a router, or of another kind: something on the path refused it; the title stays.
    const [g] = judgeQuic(quicConnection({ icmp: [icmpAt(2, 0.001, 3, 13, { from: '198.51.100.1' })] }), T0 + 0.01);
    expect(g.title).toBe(judgeQuic(quicConnection(), T0 + 5)[0].title);
    expect(g.evidence).toContain('ICMP communication administratively prohibited from 198.51.100.1 in frame 2 (+1.00 ms): a router or firewall on the path refused the datagram');
  });

  it('a packet too big or a TTL run out is not a refusal: the Initial is unanswered until the wait says so', () => {
    for (const [e, words] of [
      [icmpAt(2, 0.001, 3, 4, { mtu: 1000 }), 'ICMP fragmentation needed and DF set (MTU 1000)'],
      [icmpAt(2, 0.001, 11, 0), 'ICMP time to live exceeded in transit'],
    ] as const) {
      expect(judgeQuic(quicConnection({ icmp: [e] }), T0 + 0.01)).toEqual([]);
      const [f] = judgeQuic(quicConnection({ icmp: [e] }), T0 + 5);
      expect(f.title).toBe(judgeQuic(quicConnection(), T0 + 5)[0].title);
      expect(f.evidence.join('\n')).not.toMatch(/refused/);
      // Named, for what it is.
      expect(f.evidence).toContain(`${words} from 198.18.1.1 in frame 2 (+1.00 ms), which does not refuse a connection`);
    }
  });

  it('QUIC_NO_RESPONSE says whether TCP to the same server worked in the same capture', () => {
    const history = context();
    const r = quicConnection();
    expect(judgeQuic(r, T0 + 5, history)[0].evidence.at(-1)).toBe('no TCP connection to 192.0.2.10:443 in this capture tells whether TLS over TCP works');
    history.note(connection({ id: 7, clientHello: r.clientHello, serverHello: serverHello(9, 0.1) }));
    expect(judgeQuic(r, T0 + 5, history)[0].evidence.at(-1)).toMatch(/^TCP to the same server \(connection 7, port 443\) got a ServerHello in frame 9: .*UDP 443 is what is blocked/);
    // Another server's TCP handshake says nothing about this one.
    const other = context();
    other.note(connection({ id: 8, server: { ip: '192.0.2.99', port: 443 }, clientHello: r.clientHello, serverHello: serverHello(9, 0.1) }));
    expect(judgeQuic(r, T0 + 5, other)[0].evidence.at(-1)).toMatch(/^no TCP connection/);
    // A QUIC handshake is not a TCP one.
    const quicOnly = context();
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
    expect(context().dependsOnOthers(quicConnection())).toBe(true);
    expect(context().dependsOnOthers(quicConnection({ datagrams: [1, 1] }))).toBe(false);
    expect(context().dependsOnOthers(connection())).toBe(false);
  });

  it('a TCP record is never judged as QUIC', () => {
    expect(codes(diagnoseConnection(connection(), { captureEnd: T0 + 5 })).some((c) => c.startsWith('QUIC_'))).toBe(false);
    // @ts-expect-error: the QUIC judge reads QUIC facts; a TCP record has none.
    expect(() => judgeQuic(connection(), T0 + 5)).toThrow(TypeError);
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

describe('QUIC judge: every evidence line', () => {
  const server6 = { server: { ip: 'fd7d:2::10', port: 443 }, ipVersion: 6 as const };
  const icmpOf = (o: Partial<{ type: number; code: number; from: string }>, v: 4 | 6 = o.type === 1 ? 6 : 4) => icmpAt(2, 0.001, o.type ?? 3, o.code ?? 3, { from: o.from ?? '192.0.2.10', ipVersion: v });
  const withIcmp = (icmp: ReturnType<typeof icmpOf>, over = {}) => quicConnection({ icmp: [icmp] }, over);

  it.each([
    ['ICMPv6 port unreachable from the server', icmpOf({ type: 1, code: 4, from: 'fd7d:2::10' }), server6,
      'ICMPv6 port unreachable from fd7d:2::10 in frame 2 (+1.00 ms): the host is reached and nothing listens on UDP 443', 'no QUIC datagram came back from [fd7d:2::10]:443', true],
    ['ICMP host unreachable from the server', icmpOf({ code: 1 }), {},
      'ICMP host unreachable from 192.0.2.10 in frame 2 (+1.00 ms): a router or firewall on the path refused the datagram', 'no QUIC datagram came back from 192.0.2.10:443', false],
    ['ICMP port unreachable from a router', icmpOf({ from: '198.51.100.1' }), {},
      'ICMP port unreachable from 198.51.100.1 in frame 2 (+1.00 ms): a router or firewall on the path refused the datagram', 'no QUIC datagram came back from 192.0.2.10:443', false],
    ['ICMP net prohibited', icmpOf({ code: 9, from: '198.51.100.1' }), {},
      'ICMP communication with destination network administratively prohibited from 198.51.100.1 in frame 2 (+1.00 ms): a router or firewall on the path refused the datagram', 'no QUIC datagram came back from 192.0.2.10:443', false],
    ['ICMP host prohibited', icmpOf({ code: 10, from: '198.51.100.1' }), {},
      'ICMP communication with destination host administratively prohibited from 198.51.100.1 in frame 2 (+1.00 ms): a router or firewall on the path refused the datagram', 'no QUIC datagram came back from 192.0.2.10:443', false],
    ['ICMPv6 administratively prohibited', icmpOf({ type: 1, code: 1, from: 'fd7d:2::1' }), server6,
      'ICMPv6 communication with destination administratively prohibited from fd7d:2::1 in frame 2 (+1.00 ms): a router or firewall on the path refused the datagram', 'no QUIC datagram came back from [fd7d:2::10]:443', false],
    ['ICMPv6 code 3 from the server', icmpOf({ type: 1, code: 3, from: 'fd7d:2::10' }), server6,
      'ICMPv6 address unreachable from fd7d:2::10 in frame 2 (+1.00 ms): a router or firewall on the path refused the datagram', 'no QUIC datagram came back from [fd7d:2::10]:443', false],
  ])('%s', (_n, icmp, over, icmpLine, noDatagram, noListener) => {
    const [f] = judgeQuic(withIcmp(icmp, over), T0 + 0.01);
    const tail = over === server6 ? 'no TCP connection to [fd7d:2::10]:443 in this capture tells whether TLS over TCP works' : 'no TCP connection to 192.0.2.10:443 in this capture tells whether TLS over TCP works';
    expect(f.evidence).toEqual([
      'ClientHello in frame 1 (+0.00 ms): SNI example.test, versions TLS 1.3, 3 cipher suites',
      'the client sent 1 Initial packet (QUIC v1) in 1 datagram: frame 1 (+0.00 ms)',
      icmpLine,
      noDatagram,
      tail,
    ]);
    expect(f.title.startsWith('The QUIC Initial was refused')).toBe(noListener);
  });

  it('QUIC_NO_RESPONSE without ICMP: the silence and how long the capture went on; a hello of one datagram is not mentioned', () => {
    const [f] = judgeQuic(quicConnection({ clientInitialDatagrams: 3, initials: [3, 0], clientInitials: [{ frame: 1, time: T0 }, { frame: 2, time: T0 + 0.3 }] }), T0 + 2);
    expect(f.evidence).toEqual([
      'ClientHello in frame 1 (+0.00 ms): SNI example.test, versions TLS 1.3, 3 cipher suites',
      'the client sent 3 Initial packets (QUIC v1) in 3 datagrams: frame 1 (+0.00 ms), frame 2 (+300.0 ms), ...',
      '2 more Initial datagrams followed: the client heard nothing and tried again',
      'no datagram came back from 192.0.2.10:443, though the capture went on 2000.0 ms after the first Initial',
      'no TCP connection to 192.0.2.10:443 in this capture tells whether TLS over TCP works',
    ]);
  });

  it.each([
    ['a crypto error at the bottom of the range (close_notify)', { code: 0x100, codeName: 'CRYPTO_ERROR (TLS alert Close Notify (0))' }, [alert('server', 0, 3, 0.02)], true],
    ['a crypto error at the top of the range', { code: 0x1ff, codeName: 'CRYPTO_ERROR (TLS alert 0x00ff (255))' }, [alert('server', 255, 3, 0.02)], true],
    ['past the crypto range', { code: 0x200, codeName: '0x200' }, [alert('server', 0, 3, 0.02)], false],
    ['an application close in the crypto range', { code: 0x178, application: true, codeName: 'H3 0x178' }, [alert('server', 120, 3, 0.02)], false],
    ['an alert of another frame', { code: 0x178 }, [alert('server', 120, 9, 0.02)], false],
    ['another alert in the same frame', { code: 0x178 }, [alert('server', 40, 3, 0.02)], false],
  ])('QUIC_CONNECTION_CLOSED: %s', (_n, c, alerts, cites) => {
    const [f] = judgeQuic(quicConnection({ datagrams: [1, 1], close: close(c) }, { alerts }), T0 + 5);
    expect(f.code).toBe('QUIC_CONNECTION_CLOSED');
    expect(f.evidence.some((l) => l.includes(' alert ') && l.includes(' from the server in frame'))).toBe(cites);
    expect(f.title === 'The QUIC handshake was closed with an error').toBe(!cites || !alertRemedyFor(alerts[0].description));
  });

  it('QUIC_CONNECTION_CLOSED: the whole evidence of an application close in a Handshake packet, with a triggering frame and a reason', () => {
    const [f] = judgeQuic(quicConnection({ datagrams: [2, 2], close: close({ from: 'client', packet: 'handshake', application: true, code: 0x10c, codeName: 'H3_REQUEST_CANCELLED', triggeringFrame: 8, reason: 'bye' }) }), T0 + 5);
    expect(f.evidence).toEqual([
      'ClientHello in frame 1 (+0.00 ms): SNI example.test, versions TLS 1.3, 3 cipher suites',
      'CONNECTION_CLOSE from the client in a Handshake packet (frame 3, +20.0 ms): application error H3_REQUEST_CANCELLED (0x10c)',
      'reason: "bye"',
      'caused by a frame of type 0x8',
    ]);
  });

  it('QUIC_VERSION_MISMATCH lists the versions without GREASE, or says only reserved ones came', () => {
    const vn = (versions: number[]) => judgeQuic(quicConnection({ datagrams: [1, 1], versionNegotiation: { frame: 2, time: T0, offered: 0x6b3343cf, versions } }), T0 + 5)[0].evidence;
    expect(vn([0xff00001d, 0x1a2a3a4a, 1])).toEqual(['the client offered QUIC v2; the server answered with Version Negotiation in frame 2 listing draft-29, QUIC v1', 'no handshake in a common version followed']);
    expect(vn([0x1a2a3a4a])[0]).toBe('the client offered QUIC v2; the server answered with Version Negotiation in frame 2 listing only reserved versions');
  });

  it('QUIC_RETRY_LOOP names the Retry frames', () => {
    const [f] = judgeQuic(quicConnection({ datagrams: [3, 3], retries: [{ frame: 2, time: T0, tokenLength: 40 }, { frame: 4, time: T0, tokenLength: 40 }, { frame: 6, time: T0, tokenLength: 40 }] }), T0 + 5);
    expect(f.evidence).toEqual(['3 Retrys from the server (frames 2, 4, 6) and no ServerHello: each Initial with the token it gave was answered with another Retry']);
  });

  it('QUIC_HANDSHAKE_UNFINISHED: its evidence, from the answer time on', () => {
    const r = quicConnection({ datagrams: [1, 3], handshakePackets: [0, 2] }, answered);
    expect(judgeQuic(r, T0 + 0.02 + QUIC_ANSWER_WAIT_S - 0.001)).toEqual([]);
    const [f] = judgeQuic(r, T0 + 0.02 + QUIC_ANSWER_WAIT_S);
    expect(f.evidence).toEqual([
      'ClientHello in frame 1 (+0.00 ms): SNI example.test, versions TLS 1.3, 3 cipher suites',
      'ServerHello in an Initial packet (frame 3) and 2 Handshake packets from the server',
      'no Handshake packet from the client, though the capture went on 1000.0 ms',
    ]);
  });

  it('QUIC_HANDSHAKE_OK without a key log says nothing of one', () => {
    const [f] = judgeQuic(quicConnection({ datagrams: [3, 3], handshakePackets: [1, 1] }, answered), T0 + 5);
    expect(f.evidence).toHaveLength(3);
  });
});

describe('HTTP/3 probe judge: every evidence line', () => {
  const h3 = (o: Partial<Http3Probe>): Http3Probe => ({ port: 443, outcome: 'silent', sent: 1, ms: 10, handshakePackets: 0, ...o });
  const ALT = 'h3=":443"';
  const sent = '1 QUIC v1 Initial with a ClientHello (ALPN h3) sent to 192.0.2.10:443 (UDP) over 10.0 ms';
  it.each([
    ['closed, advertised', h3({ outcome: 'closed', advertised: ALT, close: { code: 0x178, name: 'CRYPTO_ERROR (x)', reason: 'no h3' } }),
      [sent, 'the server closed the connection in an Initial: CRYPTO_ERROR (x) (0x178), reason "no h3"', `the HTTPS answer advertises HTTP/3: Alt-Svc: ${ALT}`]],
    ['closed, no reason', h3({ outcome: 'closed', close: { code: 0xa, name: 'PROTOCOL_VIOLATION', reason: '' } }),
      [sent, 'the server closed the connection in an Initial: PROTOCOL_VIOLATION (0xa)']],
    ['Version Negotiation, advertised', h3({ outcome: 'version-negotiation', advertised: ALT, versions: [0x6b3343cf, 0x0a1a2a3a] }),
      [`${sent}: the server answered with Version Negotiation listing QUIC v2`, 'QUIC version 1 (RFC 9000) is not among them', `the HTTPS answer advertises HTTP/3: Alt-Svc: ${ALT}`]],
    ['Version Negotiation of reserved versions only', h3({ outcome: 'version-negotiation' }),
      [`${sent}: the server answered with Version Negotiation listing only reserved versions`, 'QUIC version 1 (RFC 9000) is not among them']],
    ['a local error, advertised', h3({ outcome: 'error', advertised: ALT, error: 'send EPERM' }),
      [sent, 'the probe could not complete: send EPERM', `the HTTPS answer advertises HTTP/3: Alt-Svc: ${ALT}`]],
    ['an error without a message', h3({ outcome: 'error' }), [sent, 'the probe could not complete: unknown error']],
    ['answered, nothing more', h3({ outcome: 'answered', handshakePackets: 1, serverHello: { version: 0x0304, cipher: 0x1302 } }),
      [`${sent}: the server's Initial came back after 10.0 ms`, 'ServerHello: TLS 1.3, TLS_AES_256_GCM_SHA384; 1 Handshake packet (its encrypted flight) followed']],
  ])('%s', (_n, http3, want) => {
    expect(judgeProbeHttp3(probeRecord({ http3, full: undefined })).flatMap((f) => f.evidence)).toEqual(want);
  });

  it('the error finding keeps its own title', () => {
    expect(judgeProbeHttp3(probeRecord({ http3: h3({ outcome: 'error' }) }))[0].title).toBe('HTTP/3 could not be probed');
  });
});
