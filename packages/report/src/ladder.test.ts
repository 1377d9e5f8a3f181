import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeCapture, LiveTlsFacts, TcpConnectionRecord, type ConnectionRecord, type TcpRecord } from '@tlsdoctor/analysis';
import type { PacketFacts } from '@tlsdoctor/capture';
import { datagramWhat, ladderOf, type Ladder } from './ladder.js';

const FIXTURES = new URL('../../../fixtures/', import.meta.url);

/** A ladder as lines: "frame from[ ends]: what". */
function lines(l: Ladder): string[] {
  return l.steps.map((s) => `${s.frame} ${s.from}${s.ends ? ' ends' : ''}: ${s.what}`);
}

async function records(file: string): Promise<ConnectionRecord[]> {
  const out: ConnectionRecord[] = [];
  await analyzeCapture(new URL(file, FIXTURES).pathname, { onRecord: (r) => out.push(r) });
  return out;
}

// [capture, connection, steps, notes]: each row is there for one branch of the ladder.
const CAPTURES: [string, number, string[], string[]][] = [
  // A hello in two segments is one step, timed by its first.
  ['chromium-handshake-ok.pcap', 0, ['10 client: SYN', '11 server: SYN-ACK, TTL 63', '14 client: ClientHello, 1921 bytes in 2 segments', '17 server: ServerHello, 1254 bytes', '24 client: encrypted records, 64 bytes'],
    ['16 packets in all; the first are shown', 'ended by FIN from the client after encrypted records from the client (frame 34)']],
  // A reset whose TTL is not the SYN-ACK's says so.
  ['sni-reset.pcap', 0, ['1 client: SYN', '2 server: SYN-ACK, TTL 63', '4 client: ClientHello, 517 bytes', '5 server ends: RST, TTL 64 (the SYN-ACK\'s: 63)'], []],
  ['plaintext-http-on-443.pcap', 0, ['1 client: SYN', '2 server: SYN-ACK, TTL 63', '4 client: ClientHello, 517 bytes', '6 server: not TLS: plain HTTP response "HTTP/1.1 400 Bad Request", 309 bytes', '8 server: FIN', '9 client ends: RST, TTL 64'], []],
  // Several messages of one segment, then an alert.
  ['cert-expired-tls12.pcap', 0, ['1 client: SYN', '2 server: SYN-ACK, TTL 63', '4 client: ClientHello, 517 bytes', '6 server: ServerHello, Certificate, ServerKeyExchange, ServerHelloDone, 1129 bytes', '8 client: alert Certificate Expired (fatal), 7 bytes', '9 server: FIN', '10 client ends: RST, TTL 64'], []],
  ['icmp-unreachable.pcap', 0, ['1 client: SYN', '2 path ends: ICMP communication administratively prohibited from 198.18.1.1, TTL 64'], []],
  ['syn-timeout.pcap', 0, ['1 client: SYN', '2 client: SYN', '3 client: SYN', '5 client: SYN'], ['the client sent its SYN 4 times']],
  // Past the packets kept: a message and the first encrypted records, each in its own step.
  ['openssl-large-client-hello.pcap', 0, ['1 client: SYN', '2 server: SYN-ACK, TTL 63', '10 client: ClientHello, 18330 bytes in 4 segments', '12 server: ServerHello', '14 client: encrypted records'],
    ['22 packets in all; the first are shown', 'ended by FIN from the client after encrypted records from the client (frame 16)']],
  ['derived-reordered.pcap', 0, ['1 client: SYN', '2 server: SYN-ACK, TTL 63', '4 client: ClientHello, 169 bytes', '5 client: data, 348 bytes', '8 server: ServerHello, 1271 bytes', '9 server: data, 1271 bytes: frame 8 again', '11 client: encrypted records'],
    ['retransmissions: 0 from the client, 1 from the server', '20 packets in all; the first are shown', 'ended by FIN from the server after encrypted records from the client (frame 18)']],
  ['silent-server.pcap', 0, ['1 client: SYN', '2 server: SYN-ACK, TTL 63', '4 client: ClientHello, 517 bytes', '6 client: FIN'], ['nothing from the server after the ClientHello', 'ended by FIN from the client after Client Hello (frame 6)']],
  // A black hole: the hello's full-size first segment, sent again and again, is marked on its last
  // send and in a note (the server's SACK of the second segment does not cover it).
  ['chromium-mtu-blackhole.pcap', 0, ['1 client: SYN', '2 server: SYN-ACK, TTL 63', '5 client: ClientHello, 1958 bytes in 2 segments', '7 client: data, 1448 bytes: frame 4 again (part of the ClientHello)',
    '15 client: data, 1448 bytes: frame 4 again (part of the ClientHello)', '18 client: data, 1448 bytes: frame 4 again (part of the ClientHello)',
    '19 client: data, 1448 bytes: frame 4 again (part of the ClientHello), retransmitted ×4, never acknowledged', '23 client ends: RST, TTL 64'],
  ["the ClientHello's 1448-byte segment of frame 4 never got through: retransmitted ×4 in the packets shown, never acknowledged", 'nothing from the server after the ClientHello; the client retransmitted 5 time(s)', '12 packets in all; the first are shown']],
  ['chromium-mtu-blackhole-ptb-dropped-ipv6.pcap', 0, ['1 client: SYN', '2 server: SYN-ACK, TTL 63', '5 client: ClientHello, 2016 bytes in 2 segments', '6 path: ICMPv6 packet too big (MTU 1280) from fd7d:1::1, TTL 64',
    '8 client: data, 1428 bytes: frame 4 again (part of the ClientHello)', '9 path: ICMPv6 packet too big (MTU 1280) from fd7d:1::1, TTL 64', '19 client: data, 1428 bytes: frame 4 again (part of the ClientHello)',
    '20 path: ICMPv6 packet too big (MTU 1280) from fd7d:1::1, TTL 64', '23 client: data, 1428 bytes: frame 4 again (part of the ClientHello)', '24 path: ICMPv6 packet too big (MTU 1280) from fd7d:1::1, TTL 64',
    '27 client: data, 1428 bytes: frame 4 again (part of the ClientHello), retransmitted ×4, never acknowledged', '28 path: ICMPv6 packet too big (MTU 1280) from fd7d:1::1, TTL 64', '33 path: ICMPv6 packet too big (MTU 1280) from fd7d:1::1, TTL 64', '36 client ends: RST, TTL 64'],
  ["the ClientHello's 1428-byte segment of frame 4 never got through: retransmitted ×4 in the packets shown, never acknowledged", 'nothing from the server after the ClientHello; the client retransmitted 5 time(s)', '12 packets in all; the first are shown']],
  // A SYN answered by a stale connection's ACK (shown, unlike other pure ACKs), the client's reset
  // of it (which does not end this connection), and the same SYN again.
  ['curl-syn-challenge-ack.pcap', 0, ['1 client: SYN', '2 server: ACK of 2899595138, not of the SYN (a challenge ACK: another connection on these ports), TTL 63', '3 client: RST, TTL 64', '4 client: SYN', '5 server: SYN-ACK, TTL 63',
    '7 client: ClientHello, 517 bytes', '9 server: ServerHello, 1271 bytes', '11 client: encrypted records'],
  ['the client sent its SYN 2 times', '20 packets in all; the first are shown', 'ended by FIN from the server after encrypted records from the client (frame 18)']],
  // QUIC: datagrams named by their packets.
  ['chromium-h3-handshake-ok.pcap', 0, ['2 client: Initial: ClientHello, 2500 bytes in 2 datagrams', '3 server: Initial, 37 bytes', '4 server: Initial+Handshake: ServerHello, 1252 bytes', '5 server: Handshake+1-RTT, 85 bytes', '6 client: Handshake, 35 bytes',
    '7 client: Handshake, 33 bytes', '8 server: Handshake, 38 bytes', '9 client: Handshake, 69 bytes', '10 client: 1-RTT, 69 bytes', '11 client: 1-RTT, 457 bytes', '12 server: 1-RTT, 24 bytes'], ['31 datagrams in all; the first are shown']],
];

describe('ladderOf on captures', () => {
  const present = existsSync(FIXTURES);
  it.skipIf(!present).each(CAPTURES)('%s #%i', async (file, index, steps, notes) => {
    const l = ladderOf((await records(file))[index]);
    expect(lines(l)).toEqual(steps);
    expect(l.notes).toEqual(notes);
  });
});

const T0 = 1_700_000_000;
const SYN = 0x02;
const ACK = 0x10;
const RST = 0x04;
const FIN = 0x01;

function pkt(frame: number, dir: 0 | 1, flags: number, len = 0): PacketFacts {
  return { frame, time: T0 + frame / 1000, dir, flags, seq: frame * 10_000, ack: 0, len, ttl: dir === 0 ? 64 : 63, ipId: 1, window: 64240 };
}

/** A record of the given first packets and what TLS read, the rest left as a new record has it. */
function record(packets: PacketFacts[], over: Partial<Omit<TcpRecord, 'transport' | 'ja3' | 'ja3s' | 'ja4'>>, packetCount = packets.length): TcpRecord {
  const c = new TcpConnectionRecord(
    { id: 0, client: { ip: '198.51.100.7', port: 50000 }, server: { ip: '192.0.2.10', port: 443 }, ipVersion: 4, tlsEvidence: 'client-hello', startCaptured: true, firstTime: T0, lastTime: T0 + 1 },
    new LiveTlsFacts(),
    {
      syn: packets[0], synCount: 1, synAck: packets[1], synAckCount: 1, rsts: packets.filter((p) => p.flags & RST), rstCount: 0, fins: [], icmp: [], packets, packetCount, roles: 'syn',
      bytes: [0, 0], retransmissions: [0, 0], gaps: [0, 0], history: 'ShA',
    },
    undefined,
  );
  return Object.assign(c, over);
}

const at = (frame: number) => ({ frame, time: T0 + frame / 1000 });
const hello = (frame: number) => ({ ...at(frame) }) as unknown as TcpRecord['clientHello'];

describe('ladderOf on made-up records', () => {
  it('shows the first segments of a hello that ends past the packets kept, each as a part', () => {
    const r = record([pkt(1, 0, SYN), pkt(2, 1, SYN | ACK), pkt(3, 0, ACK), pkt(4, 0, ACK, 1000), pkt(5, 0, ACK, 1000)], {
      clientHello: hello(15),
      messages: [{ from: 'client', type: 1, name: 'Client Hello', ...at(15) }],
    }, 12);
    const l = ladderOf(r);
    expect(lines(l)).toEqual(['1 client: SYN', '2 server: SYN-ACK, TTL 63', '4 client: data, 1000 bytes (part of the ClientHello)', '5 client: data, 1000 bytes (part of the ClientHello)', '15 client: ClientHello']);
    expect(l.steps[2].atMs).toBe(4);
    expect(l.notes).toEqual(['nothing from the server after the ClientHello', '12 packets in all; the first are shown']);
  });

  it('joins the names of one frame past the packets kept into one step, and puts the steps in frame order', () => {
    const r = record([pkt(1, 0, SYN), pkt(2, 1, SYN | ACK), pkt(3, 0, ACK, 300)], {
      clientHello: hello(3),
      messages: [{ from: 'client', type: 1, name: 'Client Hello', ...at(3) }, { from: 'server', type: 2, name: 'Server Hello', ...at(30) }, { from: 'server', type: 11, name: 'Certificate', ...at(30) }],
      alerts: [{ from: 'server', level: 'fatal', description: 40, name: 'Handshake Failure', ...at(30) }, { from: 'client', level: 'fatal', description: 48, name: 'Unknown CA', ...at(40) }, { from: 'client', level: 'warning', description: 0, name: 'Close Notify', ...at(40) }],
      encryptedFrom: [at(35), at(30)],
    }, 20);
    r.tcp.rsts = [pkt(50, 1, RST)];
    expect(lines(ladderOf(r))).toEqual([
      '1 client: SYN', '2 server: SYN-ACK, TTL 63', '3 client: ClientHello, 300 bytes',
      '30 server: ServerHello, Certificate, alert Handshake Failure (fatal)', '35 client: encrypted records', '40 client: alert Unknown CA (fatal), alert Close Notify (warning)', '50 server ends: RST, TTL 63',
    ]);
  });

  it('times a hello in segments by its first', () => {
    const r = record([pkt(1, 0, SYN), pkt(2, 1, SYN | ACK), pkt(4, 0, ACK, 1000), pkt(6, 0, ACK, 500), pkt(7, 1, ACK, 90)], {
      clientHello: hello(6),
      messages: [{ from: 'client', type: 1, name: 'Client Hello', ...at(6) }, { from: 'server', type: 2, name: 'Server Hello', ...at(7) }],
    });
    const l = ladderOf(r);
    expect(lines(l)).toEqual(['1 client: SYN', '2 server: SYN-ACK, TTL 63', '6 client: ClientHello, 1500 bytes in 2 segments', '7 server: ServerHello, 90 bytes']);
    expect(l.steps[2].atMs).toBe(4);
    expect(l.notes).toEqual([]);
  });

  it('keeps a segment\'s data before its FIN, and the first encrypted records of a frame once', () => {
    const r = record([pkt(1, 0, SYN), pkt(2, 1, SYN | ACK), pkt(3, 0, ACK, 200), pkt(4, 1, ACK | FIN, 90)], {
      clientHello: hello(3),
      messages: [{ from: 'client', type: 1, name: 'Client Hello', ...at(3) }],
      encryptedFrom: [at(9), at(4)],
    });
    expect(lines(ladderOf(r))).toEqual(['1 client: SYN', '2 server: SYN-ACK, TTL 63', '3 client: ClientHello, 200 bytes', '4 server: encrypted records, 90 bytes', '4 server: FIN', '9 client: encrypted records']);
  });
});

describe('segments sent again', () => {
  const resend = (frame: number, dir: 0 | 1, len: number, seq: number, ack = 0, sack?: number[]): PacketFacts => ({ ...pkt(frame, dir, ACK, len), seq, ack, ...(sack ? { sack } : {}) });
  const helloOf = (frame: number) => ({ clientHello: hello(frame), messages: [{ from: 'client' as const, type: 1, name: 'Client Hello', ...at(frame) }] });

  it('are their own step, not part of the hello, even when sent before its last segment', () => {
    const r = record([pkt(1, 0, SYN), pkt(2, 1, SYN | ACK), resend(3, 0, 1000, 100), resend(4, 0, 1000, 100), resend(5, 0, 500, 1100), resend(6, 1, 0, 1, 1600)], helloOf(5));
    expect(lines(ladderOf(r))).toEqual(['1 client: SYN', '2 server: SYN-ACK, TTL 63', '4 client: data, 1000 bytes: frame 3 again (part of the ClientHello)', '5 client: ClientHello, 1500 bytes in 2 segments']);
    // The server's ACK past it: it got through, so no note says otherwise.
    expect(ladderOf(r).notes.filter((n) => n.includes('never got through'))).toEqual([]);
  });

  it.each([
    ['no ACK reaches it', true, []],
    ['an ACK past its first byte', false, [resend(9, 1, 0, 1, 101)]],
    ['an ACK of the bytes before it only', true, [resend(9, 1, 0, 1, 100)]],
    ['a SACK block over it', false, [resend(9, 1, 0, 1, 100, [100, 1100])]],
    ['a SACK block of the bytes after it only', true, [resend(9, 1, 0, 1, 100, [1100, 1600])]],
  ] as const)('a resent hello segment with %s: never acknowledged is %s', (_what, lost, acks) => {
    const r = record([pkt(1, 0, SYN), pkt(2, 1, SYN | ACK), resend(3, 0, 1000, 100), resend(4, 0, 600, 1100), resend(7, 0, 1000, 100), resend(8, 0, 1000, 100), ...acks], helloOf(4));
    const l = ladderOf(r);
    expect(l.steps.find((s) => s.frame === 7)?.what).toBe('data, 1000 bytes: frame 3 again (part of the ClientHello)');
    expect(l.steps.find((s) => s.frame === 8)?.what).toBe(`data, 1000 bytes: frame 3 again (part of the ClientHello)${lost ? ', retransmitted ×2, never acknowledged' : ''}`);
    expect(l.notes.filter((n) => n.includes('never got through'))).toEqual(lost ? ["the ClientHello's 1000-byte segment of frame 3 never got through: retransmitted ×2, never acknowledged"] : []);
  });

  it('claims nothing of a server segment while packets past those kept may hold its ACK', () => {
    const packets = [pkt(1, 0, SYN), pkt(2, 1, SYN | ACK), resend(3, 0, 300, 100), resend(4, 1, 1200, 1), resend(5, 1, 1200, 1)];
    const r = record(packets, { ...helloOf(3), messages: [...helloOf(3).messages, { from: 'server', type: 2, name: 'Server Hello', ...at(4) }] }, 30);
    expect(lines(ladderOf(r))).toContain('5 server: data, 1200 bytes: frame 4 again');
    expect(ladderOf(r).notes.some((n) => n.includes('never got through'))).toBe(false);
    // With every packet kept, the same picture is whole: no ACK from the client means none came.
    const whole = ladderOf(record(packets, { ...helloOf(3), messages: [...helloOf(3).messages, { from: 'server', type: 2, name: 'Server Hello', ...at(4) }] }));
    expect(whole.notes).toContain('the 1200-byte segment of frame 4 never got through: retransmitted ×1, never acknowledged');
  });
});

describe('a datagram step', () => {
  it.each([
    ['Initial', 'ClientHello', 'Initial: ClientHello'],
    ['Initial', undefined, 'Initial'],
    // A datagram whose packets could not be read says so plainly, with or without its messages.
    ['', undefined, 'data'],
    ['', 'ServerHello', 'ServerHello'],
  ])('packets %j, messages %j: %s', (packets, names, want) => {
    expect(datagramWhat(packets, names)).toBe(want);
  });
});
