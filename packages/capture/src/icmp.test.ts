// ICMP errors: the one table of names, the kinds kept, and the decoder on built packets of each
// kind, matched to the TCP connection or UDP flow they quote.
import { describe, expect, it } from 'vitest';
import { decodePacket } from './decode.js';
import { newDecodedPacket, type IcmpKind } from './decoded-packet.js';
import { icmpKind, icmpName, tooBigWords } from './icmp.js';
import { LinkType } from './link-layer.js';
import { newRawPacket, type RawPacket } from './packet.js';
import { TcpTracker } from './tcp.js';
import type { IcmpFacts, TcpConnection } from './tcp-types.js';

const CLIENT4 = [10, 0, 0, 1];
const SERVER4 = [198, 51, 100, 7];
const ROUTER4 = [192, 0, 2, 254];
const CLIENT6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const SERVER6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7];
const ROUTER6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe];

const u16 = (v: number) => [v >> 8, v & 0xff];
const u32 = (v: number) => [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

function ipv4(proto: number, src: number[], dst: number[], payload: number[], ttl = 64): number[] {
  return [0x45, 0, ...u16(20 + payload.length), 0x12, 0x34, 0x40, 0, ttl, proto, 0, 0, ...src, ...dst, ...payload];
}
function ipv6(next: number, src: number[], dst: number[], payload: number[], hops = 64): number[] {
  return [0x60, 0, 0, 0, ...u16(payload.length), next, hops, ...src, ...dst, ...payload];
}
const tcpSyn = (sport: number, dport: number, seq: number) => [...u16(sport), ...u16(dport), ...u32(seq), ...u32(0), 0x50, 0x02, ...u16(64240), 0, 0, 0, 0];
const udp = (sport: number, dport: number, body: number[]) => [...u16(sport), ...u16(dport), ...u16(8 + body.length), 0, 0, ...body];
/** An ICMP message: type, code, checksum (not read), the 4 bytes after it, then the quote. */
const icmp = (type: number, code: number, rest: number[], quote: number[]) => [type, code, 0, 0, ...rest, ...quote];

const SYN4 = ipv4(6, CLIENT4, SERVER4, tcpSyn(50000, 443, 1000));
const SYN6 = ipv6(6, CLIENT6, SERVER6, tcpSyn(50000, 443, 1000));
const DATAGRAM4 = ipv4(17, CLIENT4, SERVER4, udp(50001, 443, [0xc0, 0, 0, 0, 1]));
const DATAGRAM6 = ipv6(17, CLIENT6, SERVER6, udp(50001, 443, [0xc0, 0, 0, 0, 1]));

function raw(bytes: number[], index = 1, time = 1_700_000_000): RawPacket {
  const p = newRawPacket();
  p.index = index;
  p.linkType = LinkType.RAW;
  p.tsSec = time;
  p.buf = Uint8Array.from(bytes);
  p.capLen = p.origLen = bytes.length;
  return p;
}

describe('icmpName: one wording, the RFCs\'', () => {
  it.each([
    // [ip version, type, code, name]
    [4, 3, 3, 'port unreachable'],
    [4, 3, 13, 'communication administratively prohibited'],
    [4, 3, 4, 'fragmentation needed and DF set'],
    [4, 11, 0, 'time to live exceeded in transit'],
    [4, 8, 0, 'echo'],
    [6, 1, 4, 'port unreachable'],
    [6, 1, 1, 'communication with destination administratively prohibited'],
    [6, 2, 0, 'packet too big'],
    [6, 3, 0, 'hop limit exceeded in transit'],
    [6, 135, 0, 'neighbor solicitation'],
    // Codes and types the table does not name.
    [4, 3, 99, 'destination unreachable, code 99'],
    [6, 2, 5, 'packet too big, code 5'],
    [4, 42, 1, 'type 42, code 1'],
    // The same numbers mean other things on IPv4 and IPv6.
    [4, 1, 4, 'type 1, code 4'],
    [6, 3, 1, 'fragment reassembly time exceeded'],
  ] as const)('ICMPv%i type %i code %i: %s', (v, type, code, name) => {
    expect(icmpName(v, type, code)).toBe(name);
  });
});

describe('tooBigWords: what a path says of a packet too big, per IP version', () => {
  it.each([
    [4, 'ICMP fragmentation needed and DF set'],
    [6, 'ICMPv6 packet too big'],
  ] as const)('IPv%i: %s', (v, want) => {
    expect(tooBigWords(v)).toBe(want);
  });
});

describe('icmpKind: the errors a TLS connection can meet', () => {
  it.each([
    [4, 3, 0, 'unreachable'],
    [4, 3, 13, 'unreachable'],
    // ICMPv4's fragmentation needed means what ICMPv6's packet too big means.
    [4, 3, 4, 'packet-too-big'],
    [4, 11, 0, 'time-exceeded'],
    [4, 11, 1, 'time-exceeded'],
    [6, 1, 4, 'unreachable'],
    [6, 2, 0, 'packet-too-big'],
    [6, 3, 0, 'time-exceeded'],
    [4, 0, 0, undefined],
    [4, 5, 1, undefined],
    [4, 12, 0, undefined],
    [6, 4, 0, undefined],
    [6, 128, 0, undefined],
    [6, 11, 0, undefined],
  ] as const)('ICMPv%i type %i code %i: %s', (v, type, code, kind) => {
    expect(icmpKind(v, type, code)).toBe(kind);
  });
});

describe('decodePacket on ICMP errors', () => {
  it.each([
    // [what, packet, kind, mtu, quoted protocol, quoted ports]
    ['ICMPv4 port unreachable for a UDP datagram', ipv4(1, ROUTER4, CLIENT4, icmp(3, 3, [0, 0, 0, 0], DATAGRAM4)), 'unreachable', undefined, 17, [50001, 443]],
    ['ICMPv4 admin prohibited for a SYN', ipv4(1, ROUTER4, CLIENT4, icmp(3, 13, [0, 0, 0, 0], SYN4)), 'unreachable', undefined, 6, [50000, 443]],
    ['ICMPv4 fragmentation needed with its next-hop MTU', ipv4(1, ROUTER4, CLIENT4, icmp(3, 4, [0, 0, ...u16(1400)], SYN4)), 'packet-too-big', 1400, 6, [50000, 443]],
    ['ICMPv4 fragmentation needed from a router older than RFC 1191 (MTU 0)', ipv4(1, ROUTER4, CLIENT4, icmp(3, 4, [0, 0, 0, 0], SYN4)), 'packet-too-big', undefined, 6, [50000, 443]],
    ['ICMPv4 time exceeded', ipv4(1, ROUTER4, CLIENT4, icmp(11, 0, [0, 0, 0, 0], SYN4)), 'time-exceeded', undefined, 6, [50000, 443]],
    ['ICMPv4 quoting only the first 8 bytes of TCP (RFC 792)', ipv4(1, ROUTER4, CLIENT4, icmp(3, 1, [0, 0, 0, 0], SYN4.slice(0, 28))), 'unreachable', undefined, 6, [50000, 443]],
    ['ICMPv6 port unreachable for a UDP datagram', ipv6(58, ROUTER6, CLIENT6, icmp(1, 4, [0, 0, 0, 0], DATAGRAM6)), 'unreachable', undefined, 17, [50001, 443]],
    ['ICMPv6 packet too big with its MTU', ipv6(58, ROUTER6, CLIENT6, icmp(2, 0, u32(1280), SYN6)), 'packet-too-big', 1280, 6, [50000, 443]],
    ['ICMPv6 time exceeded', ipv6(58, ROUTER6, CLIENT6, icmp(3, 0, [0, 0, 0, 0], SYN6)), 'time-exceeded', undefined, 6, [50000, 443]],
  ] as [string, number[], IcmpKind, number | undefined, number, number[]][])('%s', (_what, bytes, kind, mtu, protocol, ports) => {
    const d = newDecodedPacket();
    expect(decodePacket(raw(bytes), d)).toBe('icmp');
    expect(d.icmp).toMatchObject({ kind, mtu, protocol, srcPort: ports[0], dstPort: ports[1] });
  });

  it.each([
    ['a quote too short to hold the ports', ipv4(1, ROUTER4, CLIENT4, icmp(3, 3, [0, 0, 0, 0], SYN4.slice(0, 22)))],
    ['a quote of the IP header alone', ipv6(58, ROUTER6, CLIENT6, icmp(2, 0, u32(1280), SYN6.slice(0, 40)))],
    ['an echo request', ipv4(1, CLIENT4, SERVER4, icmp(8, 0, [0, 1, 0, 1], [1, 2, 3, 4]))],
    ['a redirect', ipv4(1, ROUTER4, CLIENT4, icmp(5, 1, [...ROUTER4], SYN4))],
    ['an ICMPv6 parameter problem', ipv6(58, ROUTER6, CLIENT6, icmp(4, 0, u32(6), SYN6))],
    ['an ICMP message shorter than its header', ipv4(1, ROUTER4, CLIENT4, [3, 3, 0, 0])],
  ])('%s is not kept', (_what, bytes) => {
    const d = newDecodedPacket();
    expect(decodePacket(raw(bytes), d)).toBe('other-ip');
    expect(d.icmp).toBeUndefined();
  });
});

describe('the tracker ties each kind to what it quotes', () => {
  it.each([
    ['ICMPv4 fragmentation needed', SYN4, ipv4(1, ROUTER4, CLIENT4, icmp(3, 4, [0, 0, ...u16(1400)], SYN4), 61), { type: 3, code: 4, kind: 'packet-too-big', name: 'fragmentation needed and DF set', mtu: 1400, from: '192.0.2.254', ttl: 61 }],
    ['ICMPv6 packet too big', SYN6, ipv6(58, ROUTER6, CLIENT6, icmp(2, 0, u32(1280), SYN6), 60), { type: 2, code: 0, kind: 'packet-too-big', name: 'packet too big', mtu: 1280, from: '2001:db8::fe', ttl: 60 }],
    ['ICMPv4 time exceeded', SYN4, ipv4(1, ROUTER4, CLIENT4, icmp(11, 0, [0, 0, 0, 0], SYN4), 250), { type: 11, code: 0, kind: 'time-exceeded', name: 'time to live exceeded in transit', mtu: undefined, from: '192.0.2.254', ttl: 250 }],
    ['ICMPv6 administratively prohibited', SYN6, ipv6(58, ROUTER6, CLIENT6, icmp(1, 1, [0, 0, 0, 0], SYN6), 63), { type: 1, code: 1, kind: 'unreachable', name: 'communication with destination administratively prohibited', mtu: undefined, from: '2001:db8::fe', ttl: 63 }],
  ] as [string, number[], number[], Partial<IcmpFacts>][])('%s: on the connection of the SYN it quotes', (_what, syn, error, want) => {
    const handedOn: TcpConnection[] = [];
    const tracker = new TcpTracker({ onConnection: (c) => handedOn.push(c) });
    tracker.packet(raw(syn, 1));
    tracker.packet(raw(error, 2, 1_700_000_000.02));
    tracker.finish();
    expect(handedOn).toHaveLength(1);
    expect(handedOn[0].icmp).toEqual([{ frame: 2, time: 1_700_000_000.02, ...want }]);
    expect(tracker.stats).toMatchObject({ icmpErrors: 1, icmpUnreachable: want.kind === 'unreachable' ? 1 : 0, icmpUnmatched: 0 });
  });

  it('one quoting a UDP datagram goes to onDatagramIcmp with its facts; without a taker it is unmatched', () => {
    const seen: [number, IcmpFacts][] = [];
    const tracker = new TcpTracker({ onConnection: () => undefined, onDatagramIcmp: (q, f) => seen.push([q.srcPort, f]) });
    tracker.packet(raw(ipv6(58, SERVER6, CLIENT6, icmp(1, 4, [0, 0, 0, 0], DATAGRAM6), 64), 3));
    expect(seen).toEqual([[50001, { frame: 3, time: 1_700_000_000, type: 1, code: 4, from: '2001:db8::7', ttl: 64, kind: 'unreachable', name: 'port unreachable', mtu: undefined }]]);
    const alone = new TcpTracker({ onConnection: () => undefined });
    alone.packet(raw(ipv4(1, ROUTER4, CLIENT4, icmp(11, 0, [0, 0, 0, 0], DATAGRAM4)), 1));
    expect(alone.stats).toMatchObject({ icmpErrors: 1, icmpUnreachable: 0, icmpUnmatched: 1 });
  });

  it('a connection keeps its first 16 ICMP errors, and the rest are counted only', () => {
    const handedOn: TcpConnection[] = [];
    const tracker = new TcpTracker({ onConnection: (c) => handedOn.push(c) });
    tracker.packet(raw(SYN4, 1));
    for (let i = 0; i < 20; i++) tracker.packet(raw(ipv4(1, ROUTER4, CLIENT4, icmp(11, 0, [0, 0, 0, 0], SYN4)), 2 + i));
    tracker.finish();
    expect(handedOn[0].icmp.map((i) => i.frame)).toEqual(Array.from({ length: 16 }, (_, i) => 2 + i));
    expect(tracker.stats).toMatchObject({ icmpErrors: 20, icmpUnmatched: 0 });
  });

  it('an error quoting no known connection is counted as unmatched', () => {
    const handedOn: TcpConnection[] = [];
    const tracker = new TcpTracker({ onConnection: (c) => handedOn.push(c) });
    tracker.packet(raw(ipv4(1, ROUTER4, CLIENT4, icmp(3, 4, [0, 0, ...u16(1400)], SYN4)), 1));
    tracker.finish();
    expect(handedOn).toEqual([]);
    expect(tracker.stats).toMatchObject({ icmpErrors: 1, icmpUnmatched: 1 });
  });
});
