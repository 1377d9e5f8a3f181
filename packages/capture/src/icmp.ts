// ICMP and ICMPv6 error messages: which are kept, and what the packet they quote was.
import { IpProtocol, type DecodedPacket, type DecodeResult, type IcmpUnreachable } from './decoded-packet.js';

/** Whether an ICMP message (type and code, on IPv4 or IPv6) is one the tracker ties to a connection. */
export function isKeptIcmp(ipVersion: 4 | 6, type: number, _code: number): boolean {
  return ipVersion === 4 ? type === 3 : type === 1;
}

/**
 * The error an ICMP message at `p` reports, from the packet it quotes (decoded into `quoted`,
 * with the decoder's result `r`); undefined when the quote names no TCP or UDP packet.
 */
export function quotedError(b: Uint8Array, p: number, end: number, quoted: DecodedPacket, r: DecodeResult): IcmpUnreachable | undefined {
  const tcp = quoted.protocol === IpProtocol.TCP && (r === 'tcp' || r === 'truncated');
  // A quoted UDP header is not decoded as a datagram (quotes are cut short): its ports are read here.
  const udp = quoted.protocol === IpProtocol.UDP && (r === 'udp' || r === 'truncated' || r === 'other-ip');
  if (!tcp && !udp) return undefined;
  const transport = quoted.ipVersion === 4 ? quoted.srcAddr - 12 + (b[quoted.srcAddr - 12] & 0x0f) * 4 : quoted.srcAddr - 8 + 40;
  if (r === 'truncated' || udp) {
    if (end - transport < 4) return undefined;
    quoted.srcPort = (b[transport] << 8) | b[transport + 1];
    quoted.dstPort = (b[transport + 2] << 8) | b[transport + 3];
  }
  return {
    type: b[p], code: b[p + 1], protocol: quoted.protocol, ipVersion: quoted.ipVersion,
    srcAddr: quoted.srcAddr, dstAddr: quoted.dstAddr, srcPort: quoted.srcPort, dstPort: quoted.dstPort, buf: b,
  };
}
