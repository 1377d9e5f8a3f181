// What decoding one captured packet gives: the facts connection tracking needs, in one object
// reused from packet to packet.

/** IP protocol numbers (IANA's assigned internet protocol numbers) the decoder reads. */
export const IpProtocol = {
  HOP_BY_HOP: 0,
  ICMP: 1,
  IPV4: 4,
  TCP: 6,
  UDP: 17,
  IPV6: 41,
  IPV6_ROUTING: 43,
  IPV6_FRAGMENT: 44,
  GRE: 47,
  AH: 51,
  ICMPV6: 58,
  IPV6_DESTINATION_OPTIONS: 60,
  MOBILITY: 135,
  HIP: 139,
  SHIM6: 140,
} as const;

/**
 * The facts of one packet that connection tracking needs. Reused across packets; addresses are
 * kept as bytes (start offsets into `buf`) and turned into strings only for new connections.
 */
export interface DecodedPacket {
  ipVersion: 4 | 6;
  buf: Uint8Array;
  srcAddr: number;
  dstAddr: number;
  ttl: number;
  /** IPv4 identification; -1 for IPv6. */
  ipId: number;
  protocol: number;
  /** Set when this IPv4 packet is a fragment; its transport header may be missing. */
  fragment: boolean;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  /** Where the TCP header starts in `buf`: its options lie between 20 bytes past it and payloadStart. */
  tcpStart: number;
  payloadStart: number;
  payloadLength: number;
  /** For an ICMP error kept for the connection it quotes (see IcmpKind): what it says and quotes. */
  icmp?: IcmpError;
}

/**
 * What an ICMP error kept for a connection says (icmp.ts, icmpKind):
 * - 'unreachable': destination unreachable (ICMPv4 type 3, ICMPv6 type 1), any code but ICMPv4's
 *   fragmentation needed;
 * - 'packet-too-big': ICMPv6 packet too big (type 2), and ICMPv4 destination unreachable code 4,
 *   fragmentation needed, which means the same (the path's MTU is smaller than the packet);
 * - 'time-exceeded': the TTL or hop limit ran out on the way, or reassembly timed out (ICMPv4
 *   type 11, ICMPv6 type 3).
 */
export type IcmpKind = 'unreachable' | 'packet-too-big' | 'time-exceeded';

/** An ICMP error and the packet it quotes. */
export interface IcmpError {
  type: number;
  code: number;
  kind: IcmpKind;
  /** The MTU a packet-too-big names; undefined for the other kinds, and when an old router sent 0. */
  mtu: number | undefined;
  /** The quoted packet's transport: 6 (TCP) or 17 (UDP). */
  protocol: number;
  /** The quoted packet's addresses and ports, as the original sender wrote them. */
  ipVersion: 4 | 6;
  srcAddr: number;
  dstAddr: number;
  srcPort: number;
  dstPort: number;
  buf: Uint8Array;
}

export type DecodeResult = 'tcp' | 'udp' | 'icmp' | 'other-ip' | 'non-ip' | 'unknown-link' | 'truncated' | 'fragment';

export function newDecodedPacket(): DecodedPacket {
  return {
    ipVersion: 4, buf: new Uint8Array(0), srcAddr: 0, dstAddr: 0, ttl: 0, ipId: 0, protocol: 0, fragment: false,
    srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: 0, tcpStart: 0, payloadStart: 0, payloadLength: 0,
  };
}
