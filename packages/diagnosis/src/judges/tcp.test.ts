import { describe, expect, it } from 'vitest';
import { connection, icmp, outcome, pkt, probeRecord, quicConnection, ACK, RST, SYN, T0 } from '../facts.fixtures.js';
import { judgeCaptureStaleSyn, judgeCaptureTcp, judgeProbeTcp } from './tcp.js';

const codes = (fs: { code: string }[]) => fs.map((f) => f.code);
const noAnswer = { synAck: undefined, synAckCount: 0 };

describe('TCP judge, capture', () => {
  it.each([
    ['a SYN-ACK and nothing wrong', {}, []],
    ['ICMP unreachable, no SYN-ACK', { ...noAnswer, icmp: [icmp(2, 0.01, 3, 13)] }, ['TCP_UNREACHABLE']],
    ['ICMP unreachable after a SYN-ACK', { icmp: [icmp(3, 0.01, 3, 1)] }, []],
    // Not a refusal: the path's MTU (fragmentation needed), a routing loop (TTL exceeded).
    ['ICMP fragmentation needed, no SYN-ACK', { ...noAnswer, icmp: [icmp(2, 0.01, 3, 4, { mtu: 1000 })] }, []],
    ['ICMP time exceeded, no SYN-ACK', { ...noAnswer, icmp: [icmp(2, 0.01, 11, 0)] }, []],
    ['a time exceeded, then an unreachable', { ...noAnswer, icmp: [icmp(2, 0.01, 11, 0), icmp(3, 0.02, 3, 3)] }, ['TCP_UNREACHABLE']],
    ['RST/ACK answering the SYN', { ...noAnswer, rsts: [pkt(2, 0.001, 1, RST | ACK)], rstCount: 1 }, ['TCP_REFUSED']],
    ['RST from the client only, no SYN-ACK', { ...noAnswer, rsts: [pkt(2, 0.5, 0, RST)], rstCount: 1, synCount: 2 }, []],
    ['two SYNs and nothing back', { ...noAnswer, synCount: 2, packets: [pkt(1, 0, 0, SYN), pkt(3, 1, 0, SYN)] }, ['TCP_TIMEOUT']],
    ['one SYN and nothing back (the coverage judge\'s)', { ...noAnswer, synCount: 1 }, []],
    ['no SYN at all', { ...noAnswer, syn: undefined, synCount: 0 }, []],
    ['RST after the SYN-ACK with no bytes', { rsts: [pkt(3, 0.01, 1, RST)], rstCount: 1 }, ['TCP_RESET']],
    ['RST after the SYN-ACK from the client', { rsts: [pkt(3, 0.01, 0, RST)], rstCount: 1 }, []],
    ['RST after bytes flowed', { rsts: [pkt(3, 0.01, 1, RST)], rstCount: 1, bytes: [10, 0] as [number, number] }, []],
    ['RST after the server sent bytes', { rsts: [pkt(3, 0.01, 1, RST)], rstCount: 1, bytes: [0, 10] as [number, number] }, []],
  ])('%s', (_name, tcp, want) => {
    expect(codes(judgeCaptureTcp(connection({ tcp }), 1_700_000_010))).toEqual(want);
  });

  it('a reset after a ClientHello is not TCP_RESET', () => {
    const r = connection({ tcp: { rsts: [pkt(5, 0.01, 1, RST)], rstCount: 1 }, clientHello: {} as never });
    expect(judgeCaptureTcp(r, 1_700_000_010)).toEqual([]);
  });

  it('names the ICMP code and its sender', () => {
    const [f] = judgeCaptureTcp(connection({ tcp: { ...noAnswer, icmp: [icmp(2, 0.01, 3, 13, { ttl: 61 })] } }), 0);
    expect(f.evidence.join('\n')).toMatch(/ICMP communication administratively prohibited \(type 3, code 13\) from 198\.18\.1\.1 in frame 2 .*TTL 61/);
    expect(f.evidence[0]).toMatch(/SYN to 192\.0\.2\.10:443 in frame 1/);
  });

  it.each([
    [4, 'ICMPv6 port unreachable (type 1, code 4) from fd00::1'],
    [1, 'ICMPv6 communication with destination administratively prohibited (type 1, code 1) from fd00::1'],
    [7, 'ICMPv6 destination unreachable, code 7 (type 1, code 7) from fd00::1'],
  ])('names ICMPv6 code %i by ICMPv6\'s own numbering, as the capture names it', (code, want) => {
    const r = connection({ ipVersion: 6, tcp: { ...noAnswer, icmp: [icmp(2, 0.01, 1, code, { from: 'fd00::1', ipVersion: 6 })] } });
    expect(judgeCaptureTcp(r, 0)[0].evidence[1]).toMatch(new RegExp(`^${want.replace(/[()]/g, '\\$&')} in frame 2`));
  });

  it('lists the SYN times and how long the capture waited', () => {
    const r = connection({ tcp: { ...noAnswer, synCount: 3, packets: [pkt(1, 0, 0, SYN), pkt(2, 1, 0, SYN), pkt(3, 3, 0, SYN), pkt(4, 3.5, 1, ACK)] } });
    const [f] = judgeCaptureTcp(r, 1_700_000_007);
    expect(f.evidence[0]).toBe('3 SYN(s) to 192.0.2.10:443 at +0.00 ms, +1000.0 ms, +3000.0 ms');
    expect(f.evidence[1]).toBe('no SYN-ACK, RST or ICMP in the 7000.0 ms that followed');
  });

  it('a TTL run out between the SYNs is named, and only the unreachable is said missing', () => {
    const r = connection({ tcp: { ...noAnswer, synCount: 2, packets: [pkt(1, 0, 0, SYN), pkt(3, 1, 0, SYN)], icmp: [icmp(2, 0.5, 11, 0, { from: '198.18.0.9' })] } });
    const [f] = judgeCaptureTcp(r, 1_700_000_007);
    expect(f.code).toBe('TCP_TIMEOUT');
    expect(f.evidence.slice(1)).toEqual([
      'no SYN-ACK, RST or ICMP unreachable in the 7000.0 ms that followed',
      'ICMP time to live exceeded in transit from 198.18.0.9 in frame 2 (+500.0 ms), which does not refuse a connection',
    ]);
  });

  it('lists the first three ICMP errors that do not refuse, and counts the rest', () => {
    const icmps = [0.1, 0.2, 0.3, 0.4, 0.5].map((t, i) => icmp(2 + i, t, 11, 0));
    const r = connection({ tcp: { ...noAnswer, synCount: 2, packets: [pkt(1, 0, 0, SYN), pkt(9, 1, 0, SYN)], icmp: icmps } });
    const [f] = judgeCaptureTcp(r, 1_700_000_007);
    expect(f.evidence.slice(2).map((l) => l.replace(/ from .*/, ''))).toEqual([
      'ICMP time to live exceeded in transit', 'ICMP time to live exceeded in transit', 'ICMP time to live exceeded in transit', 'and 2 more ICMP errors',
    ]);
  });

  it('refused: the RST frame, its TTL and the history', () => {
    const [f] = judgeCaptureTcp(connection({ tcp: { ...noAnswer, rsts: [pkt(2, 0.001, 1, RST | ACK, { ttl: 55 })], rstCount: 1, history: 'Sr' } }), 0);
    expect(f.evidence).toEqual(['SYN in frame 1', 'RST/ACK from 192.0.2.10:443 in frame 2 (+1.00 ms), TTL 55', 'history Sr']);
  });
});

describe('TCP judge, probe', () => {
  it.each([
    ['refused', 'TCP_REFUSED'],
    ['timeout', 'TCP_TIMEOUT'],
    ['unreachable', 'TCP_UNREACHABLE'],
    ['reset', 'TCP_RESET'],
    ['error', 'PROBE_ERROR'],
  ] as const)('connect %s: %s', (kind, code) => {
    const fs = judgeProbeTcp(probeRecord({ hello: outcome.connectFailed(kind, 'ECODE') }));
    expect(codes(fs)).toEqual([code]);
    expect(fs[0].evidence[0]).toBe(`connect to 192.0.2.10:443: connect ECODE (ECODE)${kind === 'timeout' ? '' : ' after 3 ms'}`);
  });

  it('no finding once TCP connected, or before any hello', () => {
    expect(judgeProbeTcp(probeRecord())).toEqual([]);
    expect(judgeProbeTcp(probeRecord({ hello: undefined }))).toEqual([]);
  });
});

describe('TCP judge: edges', () => {
  it('no SYN in the capture: no TCP verdict, even with a server RST', () => {
    expect(judgeCaptureTcp(connection({ tcp: { ...noAnswer, syn: undefined, synCount: 0, rsts: [pkt(2, 0.1, 1, RST)], rstCount: 1 } }), 0)).toEqual([]);
  });

  it('SYN times list the client\'s SYNs only', () => {
    const r = connection({ tcp: { ...noAnswer, synCount: 2, packets: [pkt(1, 0, 0, SYN), pkt(2, 0.5, 0, ACK), pkt(3, 1, 0, SYN)] } });
    expect(judgeCaptureTcp(r, 1_700_000_005)[0].evidence[0]).toBe('2 SYN(s) to 192.0.2.10:443 at +0.00 ms, +1000.0 ms');
  });

  it('evidence of a reset before TLS and of an unreachable probe', () => {
    expect(judgeCaptureTcp(connection({ tcp: { rsts: [pkt(3, 0.01, 1, RST)], rstCount: 1, history: 'ShAr' } }), 0)[0].evidence).toEqual(['RST from the server side in frame 3 (+10.00 ms) before the client sent anything', 'history ShAr']);
    expect(judgeProbeTcp(probeRecord({ hello: outcome.connectFailed('unreachable', 'EHOSTUNREACH') }))[0].evidence[1]).toBe('an ICMP unreachable (or a local firewall) refused the connection');
  });

  it.each([[0, 'net unreachable'], [1, 'host unreachable'], [3, 'port unreachable'], [9, 'communication with destination network administratively prohibited'], [10, 'communication with destination host administratively prohibited']])('names ICMP code %i', (code, name) => {
    const [f] = judgeCaptureTcp(connection({ tcp: { ...noAnswer, icmp: [icmp(2, 0, 3, code, { from: 'r', ttl: 1 })] } }), 0);
    expect(f.evidence[1]).toBe(`ICMP ${name} (type 3, code ${code}) from r in frame 2 (+0.00 ms), TTL 1`);
  });
});

describe('TCP judge: only TCP records', () => {
  it('a QUIC record cannot be handed to it: the compiler refuses, and at run time there are no TCP facts to read', () => {
    // @ts-expect-error: the TCP judge reads TCP facts; a QUIC record has none.
    expect(() => judgeCaptureTcp(quicConnection(), T0 + 5)).toThrow(TypeError);
  });
});

describe('a SYN that met a stale connection', () => {
  const ISN = 1000;
  const syn = (frame: number, time: number, seq = ISN) => pkt(frame, time, 0, SYN, { seq });
  /** SYN, an ACK of `acked` (not of the SYN), the client's RST at `rstSeq`, the SYN again at `again` s, its SYN-ACK with `ttl`. */
  const stale = (o: { acked?: number; rstSeq?: number; again?: number; retrySeq?: number; ttl?: number; synAck?: boolean; ackFlags?: number } = {}) => {
    const again = o.again ?? 0.011;
    const ack = pkt(2, 0.00004, 1, o.ackFlags ?? ACK, { ack: o.acked ?? 777_000 });
    const rst = pkt(3, 0.00005, 0, RST, { seq: o.rstSeq ?? 777_000 });
    const retry = syn(4, again, o.retrySeq ?? ISN);
    const synAck = pkt(5, again + 0.00003, 1, SYN | ACK, { ack: ISN + 1, ttl: o.ttl ?? 63 });
    const packets = [syn(1, 0), ack, rst, retry, ...(o.synAck === false ? [] : [synAck])];
    return connection({ tcp: { syn: packets[0], synCount: 2, synAck: o.synAck === false ? undefined : synAck, synAckCount: o.synAck === false ? 0 : 1, rsts: [rst], rstCount: 1, packets, packetCount: packets.length } });
  };
  const judged = (r: ReturnType<typeof stale>) => judgeCaptureStaleSyn(r).map((f) => [f.code, f.severity]);

  it.each([
    ['the same SYN again 11 ms later (Linux): information', stale(), [['TCP_STALE_CONNECTION', 'info']]],
    ['just under a second', stale({ again: 0.999 }), [['TCP_STALE_CONNECTION', 'info']]],
    ['a second later', stale({ again: 1 }), [['TCP_STALE_CONNECTION', 'warning']]],
    ['13 s later: a warning', stale({ again: 13 }), [['TCP_STALE_CONNECTION', 'warning']]],
    ['no SYN-ACK to the SYN sent again: still the cause', stale({ synAck: false }), [['TCP_STALE_CONNECTION', 'info']]],
    ['an ACK of the SYN itself is no challenge ACK', stale({ acked: ISN + 1 }), []],
    ['a RST from the server is not this', stale({ ackFlags: RST | ACK }), []],
    ['another SYN (another ISN) is another attempt', stale({ retrySeq: ISN + 5 }), []],
  ] as const)('%s', (_what, r, want) => {
    expect(judged(r)).toEqual(want);
  });

  // [what, the packets after the first SYN (frame 1): frame, direction, flags, seq, ack]
  it.each([
    ['the challenge ACK, the reset, the SYN again', [[2, 1, ACK, 0, 777_000], [3, 0, RST, 777_000, 0], [4, 0, SYN, ISN, 0]], true],
    ['the client\'s own ACK is not the server\'s answer', [[2, 0, ACK, 0, 777_000], [3, 0, RST, 777_000, 0], [4, 0, SYN, ISN, 0]], false],
    ['a server ACK before the SYN is not its answer', [[0, 1, ACK, 0, 777_000], [3, 0, RST, 777_000, 0], [4, 0, SYN, ISN, 0]], false],
    ['the server\'s reset is not the client\'s', [[2, 1, ACK, 0, 777_000], [3, 1, RST, 5, 0], [4, 0, SYN, ISN, 0]], false],
    ['a client reset before the ACK did not answer it', [[0, 0, RST, 777_000, 0], [2, 1, ACK, 0, 777_000], [4, 0, SYN, ISN, 0]], false],
    ['the same SYN before the reset is a retransmission, not the SYN sent again', [[2, 0, SYN, ISN, 0], [3, 1, ACK, 0, 777_000], [4, 0, RST, 777_000, 0]], false],
    ['a SYN-ACK is not a pure ACK', [[2, 1, SYN | ACK, 0, 777_000], [3, 0, RST, 777_000, 0], [4, 0, SYN, ISN, 0]], false],
  ] as const)('%s', (_what, rest, found) => {
    const packets = [syn(1, 0), ...rest.map(([frame, dir, flags, seq, ack]) => pkt(frame, frame / 1000, dir as 0 | 1, flags, { seq, ack }))];
    const r = connection({ tcp: { syn: packets[0], synCount: 2, synAck: undefined, synAckCount: 0, rsts: packets.filter((p) => p.flags & RST), rstCount: 1, packets, packetCount: packets.length } });
    expect(codes(judgeCaptureStaleSyn(r))).toEqual(found ? ['TCP_STALE_CONNECTION'] : []);
  });

  it('a SYN-ACK before the SYN sent again did not answer it', () => {
    const r = stale();
    r.tcp.synAck = { ...r.tcp.synAck!, frame: 4 };
    expect(judgeCaptureStaleSyn(r)[0].evidence.slice(-1)).toEqual(['no SYN-ACK answered it in the capture']);
    expect(judgeCaptureStaleSyn(connection({ tcp: { syn: undefined } }))).toEqual([]);
  });

  it('needs the reset between the ACK and the SYN sent again', () => {
    const r = stale();
    r.tcp.packets = r.tcp.packets.filter((p) => !(p.flags & RST));
    expect(judgeCaptureStaleSyn(r)).toEqual([]);
    expect(judgeCaptureStaleSyn(connection())).toEqual([]);
  });

  it('says what each packet was, who held the old connection, and how late the connection began', () => {
    const [f] = judgeCaptureStaleSyn(stale({ again: 13 }));
    expect(f.evidence).toEqual([
      "the client's SYN in frame 1 (initial sequence number 1000) was answered in frame 2 (+0.04 ms) by an ACK of 777000, not of the SYN (1001), and no SYN-ACK: the peer still held another connection on 198.51.100.7:50000 → 192.0.2.10:443, and answered with a challenge ACK",
      "that ACK has the SYN-ACK's TTL (63): the server itself held the old connection",
      'the client reset it in frame 3 (RST at 777000, the sequence number that ACK asked for, which clears the old connection)',
      'the same SYN (same initial sequence number) went out again in frame 4, 13000.0 ms after the first',
      'a SYN-ACK answered it in frame 5: the connection began 13000.0 ms after its first SYN',
    ]);
    const other = judgeCaptureStaleSyn(stale({ ttl: 58, rstSeq: 5 }))[0].evidence;
    expect(other[1]).toBe('that ACK has TTL 63, the SYN-ACK 58: something other than the server (a NAT, load balancer or firewall on the path) held the old connection');
    expect(other[2]).toBe('the client reset it in frame 3');
    expect(judgeCaptureStaleSyn(stale({ synAck: false }))[0].evidence.slice(-1)).toEqual(['no SYN-ACK answered it in the capture']);
  });
});

