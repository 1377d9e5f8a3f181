// ICMP and ICMPv6 errors: their names, from the one table of types and codes
// (icmp-registry.generated.ts, made from scripts/registry/icmp/icmp-types.tsv), which of them a
// TLS connection can meet, and what the packet they quote was.
import { IpProtocol, type DecodedPacket, type DecodeResult, type IcmpError, type IcmpKind } from './decoded-packet.js';
import { Icmp6Code, Icmp6Type, icmp6CodeNames, icmp6TypeNames, IcmpCode, icmpCodeNames, IcmpType, icmpTypeNames } from './icmp-registry.generated.js';

export { Icmp6Code, Icmp6Type, IcmpCode, IcmpType } from './icmp-registry.generated.js';

/**
 * The RFC name of an ICMP (ipVersion 4) or ICMPv6 (6) message: its code's name where the code
 * has one ("port unreachable", "fragmentation needed and DF set"), else its type's, with the
 * code when it is not 0 ("packet too big", "destination unreachable, code 99"); a type no
 * RFC of the table names reads "type 42, code 1".
 */
export function icmpName(ipVersion: 4 | 6, type: number, code: number): string {
  const codes = ipVersion === 4 ? icmpCodeNames : icmp6CodeNames;
  const named = codes.get(type * 256 + code);
  if (named !== undefined) return named;
  const typeName = (ipVersion === 4 ? icmpTypeNames : icmp6TypeNames).get(type);
  if (typeName === undefined) return `type ${type}, code ${code}`;
  return code === 0 && !codes.has(type * 256) ? typeName : `${typeName}, code ${code}`;
}

/**
 * An ICMP error as reports say it, the one wording for evidence and pictures alike: the
 * protocol (ICMP, or ICMPv6 on IPv6), the RFC name, and the MTU a packet-too-big names
 * ("ICMPv6 packet too big (MTU 1280)").
 */
export function icmpWords(ipVersion: 4 | 6, i: { name: string; mtu?: number }): string {
  return `${ipVersion === 6 ? 'ICMPv6' : 'ICMP'} ${i.name}${i.mtu !== undefined ? ` (MTU ${i.mtu})` : ''}`;
}

/**
 * The message a path sends back when a packet is too big for its next link, as reports say it:
 * ICMP's fragmentation needed (RFC 1191) or ICMPv6's packet too big (RFC 8201).
 */
export function tooBigWords(ipVersion: 4 | 6): string {
  const name = ipVersion === 4 ? icmpName(4, IcmpType.DestinationUnreachable, IcmpCode.DestinationUnreachable.FragmentationNeeded) : icmpName(6, Icmp6Type.PacketTooBig, 0);
  return icmpWords(ipVersion, { name });
}

/** Whether an ICMP error says nothing listens on the port it quotes (a closed port, the host reached). */
export function isPortUnreachable(ipVersion: 4 | 6, i: { kind: IcmpKind; code: number }): boolean {
  return i.kind === 'unreachable' && i.code === (ipVersion === 4 ? IcmpCode.DestinationUnreachable.PortUnreachable : Icmp6Code.DestinationUnreachable.PortUnreachable);
}

/**
 * What an ICMP error says about the packet it quotes, for the errors a TLS connection can meet;
 * undefined for any other message (echo, redirects, neighbour discovery, parameter problems).
 *
 * ICMPv4's destination unreachable with code 4 ("fragmentation needed and DF set") is
 * 'packet-too-big', not 'unreachable': it is how an IPv4 router tells the sender its packet did
 * not fit the next link (RFC 1191), as ICMPv6's packet too big does (RFC 8201), so a consumer
 * asking whether the path said a packet was too big asks one question for both.
 */
export function icmpKind(ipVersion: 4 | 6, type: number, code: number): IcmpKind | undefined {
  if (ipVersion === 4) {
    if (type === IcmpType.DestinationUnreachable) return code === IcmpCode.DestinationUnreachable.FragmentationNeeded ? 'packet-too-big' : 'unreachable';
    return type === IcmpType.TimeExceeded ? 'time-exceeded' : undefined;
  }
  if (type === Icmp6Type.DestinationUnreachable) return 'unreachable';
  if (type === Icmp6Type.PacketTooBig) return 'packet-too-big';
  return type === Icmp6Type.TimeExceeded ? 'time-exceeded' : undefined;
}

/**
 * The MTU a packet-too-big names: ICMPv6's 32-bit MTU (RFC 4443 section 3.2), or the next-hop
 * MTU of ICMPv4's fragmentation needed (RFC 1191 section 4), which routers older than RFC 1191
 * leave 0: then none.
 */
function mtuOf(ipVersion: 4 | 6, b: Uint8Array, p: number): number | undefined {
  const mtu = ipVersion === 6 ? ((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]) >>> 0 : (b[p + 6] << 8) | b[p + 7];
  return mtu === 0 ? undefined : mtu;
}

/**
 * The error the ICMP message at `p` (sent over IP version `ipVersion`, of that `kind`) reports,
 * from the packet it quotes (decoded into `quoted`, with the decoder's result `r`); undefined
 * when the quote names no TCP or UDP packet (too short to hold the ports, or another protocol).
 */
export function quotedError(b: Uint8Array, p: number, end: number, ipVersion: 4 | 6, kind: IcmpKind, quoted: DecodedPacket, r: DecodeResult): IcmpError | undefined {
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
    type: b[p], code: b[p + 1], kind, mtu: kind === 'packet-too-big' ? mtuOf(ipVersion, b, p) : undefined,
    protocol: quoted.protocol, ipVersion: quoted.ipVersion, srcAddr: quoted.srcAddr, dstAddr: quoted.dstAddr, srcPort: quoted.srcPort, dstPort: quoted.dstPort, buf: b,
  };
}
