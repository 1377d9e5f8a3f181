// Hello shapes side by side (probe) and hello segments on the wire (capture): losses by size,
// one-segment readers, refused browser hellos.
import { describe, expect, it } from 'vitest';
import type { TcpRecord } from '@tlsdoctor/analysis';
import type { PacketFacts } from '@tlsdoctor/capture';
import type { HelloOutcome, ShapedHello } from '@tlsdoctor/probe';
import { diagnoseConnection } from '../capture.js';
import { diagnoseProbe } from '../probe.js';
import { ACK, alert, clientHello, connection, icmp, message, NOW_MS, outcome, pkt, probeRecord, quicConnection, RST, serverHello, SYN, T0 } from '../facts.fixtures.js';
import { CaptureContext, helloSegments, unansweredSplitHello, wireSegments } from '@tlsdoctor/analysis';
import { HELLO_SIZE_CODES, judgeCaptureBlackHole, judgeCaptureSplitHello, judgeProbeHelloShapes } from './hello-size.js';

const ok = outcome.serverHello;
const shaped = (shape: ShapedHello['shape'], bytes: number, o: HelloOutcome, writes = [bytes]): ShapedHello => ({ shape, bytes, writes, outcome: o });
const pq = (o: HelloOutcome) => shaped('post-quantum', 1883, o);
const split = (o: HelloOutcome) => shaped('split', 517, o, [40, 477]);
const sweep = (...os: HelloOutcome[]) => [705, 1005, 1205, 1405].map((b, i) => shaped('padded', b, os[i]));
const codes = (fs: { code: string }[]) => fs.map((f) => f.code);

describe('hello shapes, probe', () => {
  it.each([
    // [what, shapes, codes]
    ['all answered', { postQuantum: pq(ok()), split: split(ok()) }, []],
    ['a HelloRetryRequest is an answer', { postQuantum: pq({ kind: 'hello-retry', ms: 2, serverHello: (ok() as Extract<HelloOutcome, { kind: 'server-hello' }>).serverHello }), split: split(ok()) }, []],
    ['split reset, one write answered', { postQuantum: pq(outcome.reset()), split: split(outcome.reset()) }, ['SPLIT_CLIENT_HELLO_REJECTED']],
    ['split silent', { postQuantum: pq(ok()), split: split(outcome.silent()) }, ['SPLIT_CLIENT_HELLO_REJECTED']],
    ['split closed', { postQuantum: pq(outcome.silent()), split: split(outcome.closed()) }, ['SPLIT_CLIENT_HELLO_REJECTED']],
    ['split answered with an alert', { postQuantum: pq(ok()), split: split(outcome.alert(50)) }, ['SPLIT_CLIENT_HELLO_REJECTED']],
    ['big lost in silence, sweep stops at 1,205', { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(ok(), ok(), outcome.silent(), outcome.silent()) }, ['MTU_BLACKHOLE']],
    ['big lost, every one-packet size answered (limit near 1,500)', { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(ok(), ok(), ok(), ok()) }, ['MTU_BLACKHOLE']],
    ['big lost, sweep lost from the smallest: no size answered', { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(outcome.silent(), outcome.silent(), outcome.silent(), outcome.silent()) }, ['LARGE_CLIENT_HELLO_REJECTED']],
    ['big lost, a size answered after a lost one: no threshold', { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(ok(), outcome.silent(), ok(), outcome.silent()) }, ['LARGE_CLIENT_HELLO_REJECTED']],
    ['big lost, large sizes reset: refused, not lost', { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(ok(), ok(), outcome.reset(), outcome.reset()) }, ['LARGE_CLIENT_HELLO_REJECTED']],
    ['big reset, sizes fine', { postQuantum: pq(outcome.reset()), split: split(ok()), sweep: sweep(ok(), ok(), ok(), ok()) }, ['LARGE_CLIENT_HELLO_REJECTED']],
    ['big refused by an alert', { postQuantum: pq(outcome.alert(47)), split: split(ok()), sweep: sweep(ok(), ok(), ok(), ok()) }, ['LARGE_CLIENT_HELLO_REJECTED']],
    ['big silent, no sweep run', { postQuantum: pq(outcome.silent()), split: split(ok()) }, ['LARGE_CLIENT_HELLO_REJECTED']],
    ['a shape whose connect failed says nothing', { postQuantum: pq(outcome.silent()), split: split(outcome.connectFailed('timeout')) }, []],
    ['a sweep connect that failed says nothing', { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(ok(), outcome.connectFailed('refused'), ok(), ok()) }, []],
  ] as [string, NonNullable<Parameters<typeof probeRecord>[0]>['shapes'], string[]][])('%s', (_what, shapes, want) => {
    expect(codes(judgeProbeHelloShapes(probeRecord({ shapes })))).toEqual(want);
  });

  it('compares only with a default hello that was answered', () => {
    const shapes = { postQuantum: pq(outcome.reset()), split: split(outcome.reset()) };
    for (const hello of [outcome.alert(40), outcome.reset(), outcome.silent(), outcome.http()]) expect(judgeProbeHelloShapes(probeRecord({ hello, shapes }))).toEqual([]);
    expect(judgeProbeHelloShapes(probeRecord({ hello: undefined, shapes }))).toEqual([]);
    expect(judgeProbeHelloShapes(probeRecord({}))).toEqual([]);
  });

  it('names the sizes that were answered and lost, with packet sizes per IP version', () => {
    const shapes = { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(ok(), ok(), outcome.silent(), outcome.silent()) };
    const [v4] = judgeProbeHelloShapes(probeRecord({ shapes, family: 4 }));
    expect(v4.evidence).toContain('one-packet hellos are answered up to 1005 bytes and lost from 1205 bytes: packets of about 1257 bytes and more do not arrive, those of 1057 do');
    expect(v4.evidence.join('\n')).toMatch(/X25519MLKEM768 key share \(1883 bytes in one write: two segments on a 1,500-byte path, the first full-size\): no answer/);
    expect(v4.evidence.join('\n')).toMatch(/split in two segments \(40 \+ 477 bytes\)/);
    expect(v4.evidence.at(-1)).toBe('no packet was refused: they vanished, and no ICMP fragmentation needed and DF set reached this host, which would then have resent in smaller packets');
    const [v6] = judgeProbeHelloShapes(probeRecord({ shapes, family: 6 }));
    expect(v6.evidence.at(-1)).toBe('no packet was refused: they vanished, and no ICMPv6 packet too big reached this host, which would then have resent in smaller packets');
    expect(v6.evidence).toContain('one-packet hellos are answered up to 1005 bytes and lost from 1205 bytes: packets of about 1277 bytes and more do not arrive, those of 1077 do');
    const [all] = judgeProbeHelloShapes(probeRecord({ shapes: { ...shapes, sweep: sweep(ok(), ok(), ok(), ok()) } }));
    expect(all.evidence).toContain("every one-packet hello up to 1405 bytes is answered; only the full-size segment of the browser-shaped hello is lost: the path's limit lies between the two");
  });

  it('a browser hello of 1,448 bytes fits one segment; one byte more takes two; the sweep is read in size order', () => {
    const at = (bytes: number) => judgeProbeHelloShapes(probeRecord({ shapes: { postQuantum: shaped('post-quantum', bytes, outcome.reset()), split: split(ok()) } }))[0].evidence.join('\n');
    expect(at(1448)).toMatch(/\(1448 bytes in one write: one segment\)/);
    expect(at(1449)).toMatch(/\(1449 bytes in one write: two segments on a 1,500-byte path, the first full-size\)/);
    const shuffled = sweep(ok(), ok(), outcome.silent(), outcome.silent()).reverse();
    const [f] = judgeProbeHelloShapes(probeRecord({ shapes: { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: shuffled } }));
    expect(f.code).toBe('MTU_BLACKHOLE');
    expect(f.evidence.filter((l) => l.startsWith('a ClientHello of')).map((l) => l.split(' ')[3])).toEqual(['705', '1005', '1205', '1405']);
  });

  it('each code names its case and its fix', () => {
    expect(HELLO_SIZE_CODES.MTU_BLACKHOLE.title).toBe('Packets above a size are lost on the path (an MTU black hole)');
    expect(HELLO_SIZE_CODES.MTU_BLACKHOLE.remedy).toMatch(/clamp the TCP MSS.*--clamp-mss-to-pmtu.*ICMP type 3 code 4 and ICMPv6 type 2/);
    expect(HELLO_SIZE_CODES.SPLIT_CLIENT_HELLO_REJECTED.title).toBe('A ClientHello in more than one TCP segment is refused');
    expect(HELLO_SIZE_CODES.SPLIT_CLIENT_HELLO_REJECTED.remedy).toMatch(/first TCP segment only.*Upgrade the device.*stopgap.*PostQuantumKeyAgreementEnabled=false/);
    expect(HELLO_SIZE_CODES.LARGE_CLIENT_HELLO_REJECTED.title).toBe("The server refuses the ClientHello today's browsers send");
    expect(HELLO_SIZE_CODES.LARGE_CLIENT_HELLO_REJECTED.remedy).toMatch(/RFC 8446 section 4\.2\.8.*upgrade it/);
    for (const c of Object.values(HELLO_SIZE_CODES)) {
      expect(c.severity).toBe('error');
      expect(c.remedy).toMatch(/X25519MLKEM768/);
    }
  });

  it('says which segmenting was refused and that only it differs', () => {
    const [f] = judgeProbeHelloShapes(probeRecord({ shapes: { postQuantum: pq(outcome.reset()), split: split(outcome.reset()) } }));
    expect(f.evidence[0]).toMatch(/^the default ClientHello \(517 bytes in one packet\): ServerHello/);
    expect(f.evidence[1]).toMatch(/split in two segments \(40 \+ 477 bytes\): connection reset/);
    expect(f.evidence).toContain('same address 192.0.2.10:443, same bytes: only the segmenting differs');
  });

  it('is the primary diagnosis before the certificate faults a small hello shows', () => {
    const shapes = { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(ok(), ok(), ok(), outcome.silent()) };
    const full = { ...probeRecord().full!, chain: [] };
    expect(codes(diagnoseProbe(probeRecord({ shapes, full }), NOW_MS))[0]).toBe('MTU_BLACKHOLE');
    expect(codes(diagnoseProbe(probeRecord({ shapes: { postQuantum: pq(ok()), split: split(ok()) } }), NOW_MS))).toEqual(['HANDSHAKE_OK']);
  });
});

// Captures: a client-side capture of a hello whose first, full-size segment never arrives.
const ISN = 1000;
// The client's own acknowledgement numbers count the server's bytes: far past its own sequence.
const data = (frame: number, time: number, seq: number, len: number) => pkt(frame, time, 0, ACK, { seq: ISN + 1 + seq, len, ack: ISN + 900_000 });
const serverAck = (frame: number, time: number, ack: number, sack?: [number, number]) =>
  pkt(frame, time, 1, ACK, { ack: ISN + 1 + ack, ...(sack ? { sack: [ISN + 1 + sack[0], ISN + 1 + sack[1]] } : {}) });
const syn = pkt(1, 0, 0, SYN, { seq: ISN, mss: 1460 });
const synAck = pkt(2, 0.001, 1, SYN | ACK, { mss: 1460 });

/** A two-segment hello (1,448 + 478 bytes); `rest` are the packets after it. */
function bigHello(rest: PacketFacts[], over: Parameters<typeof connection>[0] = {}) {
  const packets = [syn, synAck, data(4, 0.002, 0, 1448), data(5, 0.002, 1448, 478), ...rest];
  return connection({ clientHello: clientHello(5, 0.002), sni: 'example.test', ...over, tcp: { syn, synAck, packets, packetCount: packets.length, retransmissions: [rest.filter((p) => p.dir === 0 && p.len > 0).length, 0], ...over.tcp } });
}
const resends = [data(7, 0.2, 0, 1448), data(8, 0.6, 0, 1448), data(9, 1.4, 0, 1448)];
/** The first segment sent again in two that fit a 1,000-byte path, after the path said it was too big. */
const smaller = [data(7, 0.2, 0, 948), data(8, 0.2, 948, 500)];
const sacked = serverAck(6, 0.003, 0, [1448, 1926]);
/** The path's answer to the full-size segment (frame 4): ICMP fragmentation needed, or ICMPv6 packet too big. */
const tooBig = (v: 4 | 6) => (v === 4 ? icmp(6, 0.003, 3, 4, { from: '192.0.2.1', mtu: 1000 }) : icmp(6, 0.003, 2, 0, { from: 'fd00::1', ipVersion: 6, mtu: 1280 }));

describe('MTU black hole, capture', () => {
  it.each([
    // [what, record, codes]
    ['full-size segment resent, never acknowledged, the later one SACKed', bigHello([sacked, ...resends]), ['MTU_BLACKHOLE']],
    ['no SACK: a repeated acknowledgement after the later segment', bigHello([serverAck(6, 0.003, 0), ...resends]), ['MTU_BLACKHOLE']],
    ['sent once only: nothing was resent', bigHello([sacked]), []],
    ['acknowledged in the end', bigHello([sacked, ...resends, serverAck(10, 1.5, 1926)]), []],
    ['nothing from the server at all: plain silence', bigHello(resends), []],
    ['a SACK block that covers the lost segment itself', bigHello([serverAck(6, 0.003, 0, [0, 1926]), ...resends]), []],
    ['ICMP "fragmentation needed" came back and the client resent in smaller segments: path MTU discovery works', bigHello([sacked, ...smaller], { tcp: { icmp: [tooBig(4)] } }), []],
    ['ICMPv6 "packet too big" came back and the client resent in smaller segments', bigHello([sacked, ...smaller], { ipVersion: 6, tcp: { icmp: [tooBig(6)] } }), []],
    ['ICMP "fragmentation needed" came back, yet the full-size segment went again: the client never heard it', bigHello([sacked, ...resends], { tcp: { icmp: [tooBig(4)] } }), ['MTU_BLACKHOLE']],
    ['a packet too big after the last full-size send: the client may yet act on it', bigHello([sacked, ...resends], { tcp: { icmp: [{ ...tooBig(4), frame: 10, time: T0 + 2 }] } }), []],
    ['the server answered', bigHello([sacked, ...resends], { serverHello: serverHello(10, 1.5) }), []],
    ['the server sent a handshake message', bigHello([sacked, ...resends], { messages: [message('server', 2, 10, 1.5)] }), []],
    ['the server sent encrypted records', bigHello([sacked, ...resends], { encryptedRecords: [0, 1] }), []],
    ['a client message is not the server answering', bigHello([sacked, ...resends], { messages: [message('client', 1, 5, 0.002)] }), ['MTU_BLACKHOLE']],
    ['sent twice is enough', bigHello([sacked, resends[0]]), ['MTU_BLACKHOLE']],
    ['an ICMP of another kind does not stop it (admin prohibited)', bigHello([sacked, ...resends], { tcp: { icmp: [icmp(6, 0.003, 3, 13, { from: '192.0.2.1' })] } }), ['MTU_BLACKHOLE']],
    ['nor a time exceeded', bigHello([sacked, ...resends], { tcp: { icmp: [icmp(6, 0.003, 11, 1, { from: '192.0.2.1' })] } }), ['MTU_BLACKHOLE']],
    ['a repeated acknowledgement of other bytes proves nothing', bigHello([serverAck(6, 0.003, 40), ...resends]), []],
    ['an acknowledgement before the later segment left proves nothing', bigHello([...resends], { tcp: { packets: [syn, synAck, serverAck(3, 0.001, 0), data(4, 0.002, 0, 1448), data(5, 0.002, 1448, 478), ...resends] } }), []],
    ['a SACK block ending before the segment does not cover it', bigHello([serverAck(6, 0.003, 0, [1448, 1926]), serverAck(7, 0.004, 0, [-200, -100]), ...resends]), ['MTU_BLACKHOLE']],
  ] as [string, TcpRecord, string[]][])('%s', (_what, r, want) => {
    expect(codes(judgeCaptureBlackHole(r))).toEqual(want);
  });

  it('a segment of 1,000 bytes counts as full-size; 999 does not', () => {
    const hello = (len: number) => {
      const packets = [syn, synAck, data(4, 0.002, 0, len), data(5, 0.002, len, 300), serverAck(6, 0.003, 0, [len, len + 300]), data(7, 0.2, 0, len), data(8, 0.6, 0, len)];
      return connection({ clientHello: clientHello(5, 0.002), tcp: { syn, synAck, packets } });
    };
    expect(codes(judgeCaptureBlackHole(hello(1000)))).toEqual(['MTU_BLACKHOLE']);
    expect(codes(judgeCaptureBlackHole(hello(999)))).toEqual([]);
  });

  it('says what came back: nothing on either IP version, or a packet too big the client kept ignoring', () => {
    const [v6] = judgeCaptureBlackHole(bigHello([sacked, ...resends], { ipVersion: 6 }));
    expect(v6.evidence.at(-1)).toBe('no ICMPv6 packet too big for this connection came back in the capture');
    expect(v6.title).toBe(HELLO_SIZE_CODES.MTU_BLACKHOLE.title);
    const [v4] = judgeCaptureBlackHole(bigHello([sacked, ...resends]));
    expect(v4.evidence.at(-1)).toBe('no ICMP fragmentation needed and DF set for this connection came back in the capture');
    const [unheard] = judgeCaptureBlackHole(bigHello([sacked, ...resends], { ipVersion: 6, tcp: { icmp: [tooBig(6)] } }));
    expect(unheard.evidence.at(-1)).toBe('ICMPv6 packet too big (MTU 1280) came back from fd00::1 in frame 6 (+3.00 ms), yet the client sent the 1448-byte segment whole again (frame 7): the ICMP never reached its TCP (a firewall on the client drops it), so it never sent smaller segments');
    expect(unheard.title).toBe('The path says packets are too big, but the client never hears it (an MTU black hole at the client)');
    expect(unheard.remedy).toMatch(/drops that message before TCP sees it.*Allow ICMP type 3 code 4 and ICMPv6 type 2 in on the client/);
    const [unheard4] = judgeCaptureBlackHole(bigHello([sacked, ...resends], { tcp: { icmp: [tooBig(4)] } }));
    expect(unheard4.evidence.at(-1)).toBe('ICMP fragmentation needed and DF set (MTU 1000) came back from 192.0.2.1 in frame 6 (+3.00 ms), yet the client sent the 1448-byte segment whole again (frame 7): the ICMP never reached its TCP (a firewall on the client drops it), so it never sent smaller segments');
    const repeated = judgeCaptureBlackHole(bigHello([serverAck(6, 0.003, 0), ...resends]))[0];
    expect(repeated.evidence).toContain('the server repeated its acknowledgement of the bytes before it in frame 6: what followed arrived, the full-size segment did not');
  });

  it('counts only the segments that carried the hello, each once', () => {
    const r = bigHello([sacked, ...resends]);
    expect(helloSegments(r).map((p) => [p.frame, p.len])).toEqual([[4, 1448], [5, 478]]);
    // A data segment after the hello's last frame is not part of it.
    const later = connection({ clientHello: clientHello(4, 0.002), tcp: { syn, synAck, packets: [syn, synAck, data(4, 0.002, 0, 517), data(6, 0.01, 517, 100)] } });
    expect(helloSegments(later).map((p) => p.frame)).toEqual([4]);
    expect(helloSegments(connection({}))).toEqual([]);
    // Bytes but no ClientHello read: no hello segments.
    expect(helloSegments(connection({ tcp: { syn, synAck, packets: [syn, synAck, data(4, 0.002, 0, 517)] } }))).toEqual([]);
    // A segment sent again before the hello was whole counts once.
    const resent = connection({ clientHello: clientHello(6, 0.3), tcp: { syn, synAck, packets: [syn, synAck, data(4, 0.002, 0, 600), data(5, 0.2, 0, 600), data(6, 0.3, 600, 300)] } });
    expect(helloSegments(resent).map((p) => p.frame)).toEqual([4, 6]);
    // An offloaded frame: as many wire segments as the server's MSS makes of it.
    const big = connection({ clientHello: clientHello(4, 0.002), tcp: { syn, synAck, packets: [syn, synAck, data(4, 0.002, 0, 2921)] } });
    expect(wireSegments(big)).toEqual({ count: 3, offloaded: [expect.objectContaining({ frame: 4 })] });
    const exact = connection({ clientHello: clientHello(4, 0.002), tcp: { syn, synAck, packets: [syn, synAck, data(4, 0.002, 0, 1460)] } });
    expect(wireSegments(exact)).toEqual({ count: 1, offloaded: [] });
    const noMss = connection({ clientHello: clientHello(4, 0.002), tcp: { syn, synAck: pkt(2, 0.001, 1, SYN | ACK), packets: [syn, data(4, 0.002, 0, 2921)] } });
    expect(wireSegments(noMss)).toEqual({ count: 1, offloaded: [] });
  });

  it('a small segment lost and resent is loss, not size', () => {
    const packets = [syn, synAck, data(4, 0.002, 0, 600), data(5, 0.002, 600, 300), serverAck(6, 0.003, 0, [600, 900]), data(7, 0.2, 0, 600), data(8, 0.6, 0, 600)];
    expect(judgeCaptureBlackHole(connection({ clientHello: clientHello(5, 0.002), tcp: { syn, synAck, packets } }))).toEqual([]);
  });

  it('shows the segments, the resends, the SACK in relative numbers and the missing ICMP', () => {
    const [f] = judgeCaptureBlackHole(bigHello([sacked, ...resends]));
    expect(f.evidence).toContain('the ClientHello left in 2 segments: 1448 bytes (frame 4), 478 bytes (frame 5)');
    expect(f.evidence).toContain('the 1448-byte segment was sent 4 times in the frames logged (frames 4, 7, 8, 9, the last +1400.0 ms); the client retransmitted 3 time(s) in all; the server never acknowledged it');
    expect(f.evidence).toContain('the server acknowledged the bytes after it (SACK 1449-1927) in frame 6: the smaller segment arrived, the full-size one did not');
    expect(f.evidence).toContain('no ICMP fragmentation needed and DF set for this connection came back in the capture');
  });

  it('is the one error: the silence it causes is its evidence, not NO_SERVER_HELLO beside it', () => {
    const r = bigHello([sacked, ...resends], { end: { frame: 12, time: T0 + 9, how: 'fin', by: 'client', after: 'ClientHello' } });
    expect(codes(diagnoseConnection(r, { captureEnd: T0 + 10 }))).toEqual(['MTU_BLACKHOLE']);
    // Without the black hole's signs the same silence is NO_SERVER_HELLO.
    const silent = bigHello([], { end: { frame: 12, time: T0 + 9, how: 'fin', by: 'client', after: 'ClientHello' } });
    expect(codes(diagnoseConnection(silent, { captureEnd: T0 + 10 }))).toContain('NO_SERVER_HELLO');
  });
});

describe('split ClientHello refused, capture', () => {
  const rst = (frame: number, time = 0.004) => pkt(frame, time, 1, RST | ACK);
  /** A one-segment hello to 192.0.2.10:443 that got a ServerHello. */
  const answeredOneSegment = (id = 7, server = { ip: '192.0.2.10', port: 443 }) => {
    const packets = [syn, synAck, data(4, 0.002, 0, 517), pkt(5, 0.003, 1, ACK, { len: 1200 })];
    return connection({ id, server, sni: 'example.test', clientHello: clientHello(4, 0.002), serverHello: serverHello(5, 0.003), tcp: { syn, synAck, packets } });
  };
  const splitReset = (over: Parameters<typeof connection>[0] = {}) => {
    const packets = [syn, synAck, data(4, 0.002, 0, 40), data(5, 0.052, 40, 477), rst(6, 0.053)];
    return connection({ clientHello: clientHello(5, 0.052), sni: 'example.test', ...over, tcp: { syn, synAck, packets, rsts: [rst(6, 0.053)], rstCount: 1, ...over.tcp } });
  };
  const cutReset = () => {
    const packets = [syn, synAck, data(4, 0.002, 0, 40), rst(5)];
    return connection({ clientHelloCut: { length: 517, received: 40 }, tcp: { syn, synAck, packets, rsts: [rst(5)], rstCount: 1 } });
  };
  const history = (...rs: TcpRecord[]) => {
    const h = new CaptureContext([443], () => {});
    for (const r of rs) h.note(r);
    return h;
  };

  it.each([
    // [what, record, history, codes]: the history is built inside the test, so that a mutation
    // run, which switches a mutant on for the tests that reach it, sees it built
    ['split hello reset, a one-segment hello answered', splitReset(), () => history(answeredOneSegment()), ['SPLIT_CLIENT_HELLO_REJECTED']],
    ['a hello cut after its first segment, reset', cutReset(), () => history(answeredOneSegment()), ['SPLIT_CLIENT_HELLO_REJECTED']],
    ['no other connection to compare with', splitReset(), () => history(), []],
    ['no history given', splitReset(), () => undefined, []],
    ['the answered one went to another server', splitReset(), () => history(answeredOneSegment(7, { ip: '192.0.2.99', port: 443 })), []],
    ['the answered one went to another port', splitReset(), () => history(answeredOneSegment(7, { ip: '192.0.2.10', port: 8443 })), []],
    ['the answered one asked for another name: a name filter is not ruled out', splitReset({ sni: 'blocked.example.test' }), () => history(answeredOneSegment()), []],
    ['a hello cut before its name compares by server alone', cutReset(), () => history(connection({ ...answeredOneSegment(), sni: 'other.example.test' })), ['SPLIT_CLIENT_HELLO_REJECTED']],
    ['the split hello got an alert: the server read it', splitReset({ alerts: [alert('server', 40, 6, 0.004)] }), () => history(answeredOneSegment()), []],
    ['the split hello got a ServerHello', splitReset({ serverHello: serverHello(6, 0.004) }), () => history(answeredOneSegment()), []],
  ] as [string, TcpRecord, () => CaptureContext | undefined, string[]][])('%s', (_what, r, h, want) => {
    expect(codes(judgeCaptureSplitHello(r, h(), false))).toEqual(want);
  });

  it('keeps the first answered connection of each server, and of each server and name', () => {
    const named = (id: number, sni: string) => connection({ ...answeredOneSegment(id), sni });
    const h = history(named(1, 'a.example.test'), named(2, 'b.example.test'), named(3, 'a.example.test'));
    expect(h.answeredInOneSegment(splitReset({ sni: 'a.example.test' }))?.id).toBe(1);
    // A second name on a server already known is still learnt.
    expect(h.answeredInOneSegment(splitReset({ sni: 'b.example.test' }))?.id).toBe(2);
    expect(h.answeredInOneSegment(splitReset({ sni: 'c.example.test' }))).toBeUndefined();
    expect(h.answeredInOneSegment(cutReset())?.id).toBe(1);
    expect(h.tcpAnswered(quicConnection())?.id).toBe(1);
  });

  it('leaves a lost full-size segment to the black-hole verdict', () => {
    expect(judgeCaptureSplitHello(splitReset(), history(answeredOneSegment()), true)).toEqual([]);
  });

  it('remembers only hellos that fit in one segment and were answered', () => {
    const twoSegmentsAnswered = connection({ id: 3, clientHello: clientHello(5, 0.002), serverHello: serverHello(6, 0.003), tcp: { syn, synAck, packets: [syn, synAck, data(4, 0.002, 0, 1448), data(5, 0.002, 1448, 478)] } });
    const oneSegmentRefused = connection({ id: 4, clientHello: clientHello(4, 0.002), tcp: { syn, synAck, packets: [syn, synAck, data(4, 0.002, 0, 517)] } });
    const offloaded = connection({ id: 5, clientHello: clientHello(4, 0.002), serverHello: serverHello(6, 0.003), tcp: { syn, synAck, packets: [syn, synAck, data(4, 0.002, 0, 1926)] } });
    const h = history(twoSegmentsAnswered, oneSegmentRefused, offloaded);
    expect(h.answeredInOneSegment(splitReset())).toBeUndefined();
    // By server alone too (a hello cut before its name): none of them counts.
    expect(h.answeredInOneSegment(cutReset())).toBeUndefined();
    expect(history(answeredOneSegment(9)).answeredInOneSegment(splitReset())?.id).toBe(9);
  });

  it('makes wait for the end of the file only split or cut hellos without a ServerHello', () => {
    expect(unansweredSplitHello(splitReset())).toBe(true);
    expect(unansweredSplitHello(cutReset())).toBe(true);
    // Cut before any byte went out: nothing to compare.
    expect(unansweredSplitHello(connection({ clientHelloCut: { length: 517, received: 0 }, tcp: { syn, synAck, packets: [syn, synAck] } }))).toBe(false);
    expect(unansweredSplitHello(connection({ tcp: { syn, synAck, packets: [syn, synAck, data(4, 0.002, 0, 40)] } }))).toBe(false);
    expect(unansweredSplitHello(answeredOneSegment())).toBe(false);
    expect(unansweredSplitHello(splitReset({ serverHello: serverHello(6, 0.004) }))).toBe(false);
    expect(unansweredSplitHello(connection({ clientHello: clientHello(4, 0.002), tcp: { syn, synAck, packets: [syn, synAck, data(4, 0.002, 0, 517)] } }))).toBe(false);
    // A frame past the server's MSS was two segments on the wire.
    expect(unansweredSplitHello(connection({ clientHello: clientHello(4, 0.002), tcp: { syn, synAck, packets: [syn, synAck, data(4, 0.002, 0, 1926)] } }))).toBe(true);
  });

  it('reads an offloaded frame as the segments it became, and says so', () => {
    const packets = [syn, synAck, data(4, 0.002, 0, 1926), rst(5)];
    const r = connection({ clientHello: clientHello(4, 0.002), sni: 'example.test', tcp: { syn, synAck, packets, rsts: [rst(5)], rstCount: 1 } });
    const [f] = judgeCaptureSplitHello(r, history(answeredOneSegment()), false);
    expect(f.evidence).toContain('the ClientHello left in 2 segments: 1926 bytes (frame 4)');
    expect(f.evidence).toContain("frame 4 holds 1926 bytes, more than the server's MSS of 1460: captured on the sending host before segmentation offload (TSO/GSO) cut it; read as the 2 segments it became");
  });

  it('shows the segments, the reset and the connection it is compared with; primary before the reset', () => {
    const [f] = judgeCaptureSplitHello(cutReset(), history(answeredOneSegment()), false);
    expect(f.evidence).toEqual([
      'a ClientHello cut short: 40 of its 517 bytes were sent before the connection ended',
      'the client sent the first 40 bytes of the 517-byte ClientHello record in 1 segment: 40 bytes (frame 4); the rest never went out',
      'RST from the server side in frame 5 (+4.00 ms), before any TLS byte',
      'connection 7 to the same server 192.0.2.10:443, whose ClientHello fit in one segment (517 bytes), got a ServerHello in frame 5',
    ]);
    expect(codes(diagnoseConnection(splitReset(), { captureEnd: T0 + 10, others: history(answeredOneSegment()) }))).toEqual(['SPLIT_CLIENT_HELLO_REJECTED', 'RESET_AFTER_CLIENT_HELLO']);
    expect(codes(diagnoseConnection(splitReset(), { captureEnd: T0 + 10 }))).toEqual(['RESET_AFTER_CLIENT_HELLO']);
    const [named] = judgeCaptureSplitHello(splitReset(), history(answeredOneSegment()), false);
    expect(named.evidence).toContain('the ClientHello left in 2 segments: 40 bytes (frame 4), 477 bytes (frame 5)');
    expect(named.evidence).toContain('RST from the server side in frame 6 (+53.0 ms), before any TLS byte');
    expect(named.evidence).toContain('connection 7 to the same server 192.0.2.10:443 with the same name (example.test), whose ClientHello fit in one segment (517 bytes), got a ServerHello in frame 5');
    const silent = splitReset({ tcp: { rsts: [], rstCount: 0, packets: [syn, synAck, data(4, 0.002, 0, 40), data(5, 0.052, 40, 477)] } });
    expect(judgeCaptureSplitHello(silent, history(answeredOneSegment()), false)[0].evidence).toContain('no TLS byte came back');
    const clientRst = splitReset({ tcp: { rsts: [pkt(6, 0.06, 0, RST)], rstCount: 1 } });
    expect(judgeCaptureSplitHello(clientRst, history(answeredOneSegment()), false)[0].evidence).toContain('no TLS byte came back');
    const nameless = splitReset({ sni: undefined });
    expect(judgeCaptureSplitHello(nameless, history(connection({ ...answeredOneSegment(), sni: undefined })), false)[0].evidence.join('\n')).toMatch(/with the same name \(no SNI\)/);
    const serverSpoke = splitReset({ messages: [message('server', 2, 6, 0.053)] });
    expect(judgeCaptureSplitHello(serverSpoke, history(answeredOneSegment()), false)).toEqual([]);
    const clientSpoke = splitReset({ messages: [message('client', 1, 5, 0.052)] });
    expect(codes(judgeCaptureSplitHello(clientSpoke, history(answeredOneSegment()), false))).toEqual(['SPLIT_CLIENT_HELLO_REJECTED']);
  });
});
