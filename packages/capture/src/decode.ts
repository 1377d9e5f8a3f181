// One captured packet from its link layer to its transport header: IPv4 and IPv6 (with
// extension headers), the tunnels tshark opens, TCP, UDP, and the ICMP errors that quote a
// connection's packet.
import { icmpKind, quotedError } from './icmp.js';
import { ethernetIp, ipStart } from './link-layer.js';
import { IpProtocol, newDecodedPacket, type DecodedPacket, type DecodeResult } from './decoded-packet.js';
import type { RawPacket } from './packet.js';
import { greInner, udpTunnelInner, vxlanInner, type TunnelInner } from './tunnels.js';

const MAX_TUNNEL_DEPTH = 4;
/** IpProtocol.TCP as a plain constant: the object's field costs a few instructions on every packet. */
const PROTOCOL_TCP = 6;

/** What ipv6Transport answers when there is no transport header to read. */
const TRUNCATED = -1;
const LATER_FRAGMENT = -2;

export function decodePacket(raw: RawPacket, out: DecodedPacket): DecodeResult {
  const b = raw.buf;
  const end = raw.start + raw.capLen;
  const ip = ipStart(b, raw.start, end, raw.linkType);
  if (ip === -2) return 'unknown-link';
  if (ip < 0) return 'non-ip';
  out.buf = b;
  out.icmp = undefined;
  return decodeIp(b, ip, end, out, 0);
}

function decodeIp(b: Uint8Array, p: number, end: number, out: DecodedPacket, depth: number, inQuote = false): DecodeResult {
  if (end - p < 1) return 'truncated';
  const version = b[p] >> 4;
  let l4: number;
  let l4End = end;
  if (version === 4) {
    if (end - p < 20) return 'truncated';
    const ihl = (b[p] & 0x0f) * 4;
    if (ihl < 20 || end - p < ihl) return 'truncated';
    const total = (b[p + 2] << 8) | b[p + 3];
    // A total length of 0 comes from TSO on the capturing host; trust the captured length then.
    if (total >= ihl && p + total < end) l4End = p + total;
    out.ipVersion = 4;
    out.ipId = (b[p + 4] << 8) | b[p + 5];
    const frag = ((b[p + 6] & 0x3f) << 8) | b[p + 7];
    out.fragment = frag !== 0;
    out.ttl = b[p + 8];
    out.protocol = b[p + 9];
    out.srcAddr = p + 12;
    out.dstAddr = p + 16;
    l4 = p + ihl;
    // Only the first fragment carries the transport header; later ones are counted, not tracked.
    if ((frag & 0x1fff) !== 0) return 'fragment';
  } else if (version === 6) {
    if (end - p < 40) return 'truncated';
    const plen = (b[p + 4] << 8) | b[p + 5];
    if (plen > 0 && p + 40 + plen < end) l4End = p + 40 + plen;
    out.ipVersion = 6;
    out.ipId = -1;
    out.fragment = false;
    out.ttl = b[p + 7];
    out.srcAddr = p + 8;
    out.dstAddr = p + 24;
    l4 = ipv6Transport(b, p + 40, l4End, b[p + 6], out);
    if (l4 === TRUNCATED) return 'truncated';
    if (l4 === LATER_FRAGMENT) return 'fragment';
  } else {
    return 'non-ip';
  }
  // TCP first, here: nearly every packet is TCP, and a call less for it is measurable.
  if (out.protocol === PROTOCOL_TCP) return decodeTcp(b, l4, l4End, out);
  return decodeOther(b, l4, l4End, out, depth, inQuote);
}

/**
 * Walks IPv6's extension-header chain from `p` (bounded by the packet's length) to the transport
 * header; sets the protocol found there and whether the packet is a fragment.
 */
function ipv6Transport(b: Uint8Array, p: number, end: number, next: number, out: DecodedPacket): number {
  for (;;) {
    if (next === IpProtocol.HOP_BY_HOP || next === IpProtocol.IPV6_ROUTING || next === IpProtocol.IPV6_DESTINATION_OPTIONS || next === IpProtocol.MOBILITY || next === IpProtocol.HIP || next === IpProtocol.SHIM6) {
      if (end - p < 2) return TRUNCATED;
      const nn = b[p];
      p += (b[p + 1] + 1) * 8;
      next = nn;
    } else if (next === IpProtocol.IPV6_FRAGMENT) {
      if (end - p < 8) return TRUNCATED;
      const off = ((b[p + 2] << 8) | b[p + 3]) >> 3;
      out.fragment = true;
      const nn = b[p];
      p += 8;
      next = nn;
      if (off !== 0) return LATER_FRAGMENT;
    } else if (next === IpProtocol.AH) {
      if (end - p < 2) return TRUNCATED;
      const nn = b[p];
      p += (b[p + 1] + 2) * 4;
      next = nn;
    } else break;
    if (p > end) return TRUNCATED;
  }
  out.protocol = next;
  return p;
}

/** A transport header other than TCP at `l4`: UDP, ICMP, or a tunnel whose inner packet is decoded instead. */
function decodeOther(b: Uint8Array, l4: number, l4End: number, out: DecodedPacket, depth: number, inQuote: boolean): DecodeResult {
  const proto = out.protocol;
  const deeper = depth < MAX_TUNNEL_DEPTH;
  // IP in IP (RFC 2003) and IPv6 in IPv4 or IPv6 (RFC 4213, RFC 2473): the inner packet is the connection.
  if (deeper && !inQuote && (proto === IpProtocol.IPV4 || proto === IpProtocol.IPV6)) return decodeIp(b, l4, l4End, out, depth + 1);
  // Tunnels (GRE with or without ERSPAN, VXLAN): the inner packet is what matters, as tshark reads it.
  if (deeper && proto === IpProtocol.GRE) {
    const inner = greInner(b, l4, l4End);
    if (inner) return decodeInner(b, inner, l4End, out, depth);
  }
  if (deeper && proto === IpProtocol.UDP && l4End - l4 >= 16) {
    const inner = vxlanInner(b, l4, l4End) ?? (inQuote ? undefined : udpTunnelInner(b, l4, l4End));
    if (inner) return decodeInner(b, inner, l4End, out, depth);
  }
  if (proto === IpProtocol.UDP && !inQuote) return decodeUdp(b, l4, l4End, out);
  if (deeper && !inQuote && ((proto === IpProtocol.ICMP && out.ipVersion === 4) || (proto === IpProtocol.ICMPV6 && out.ipVersion === 6))) {
    return decodeIcmp(b, l4, l4End, out);
  }
  return 'other-ip';
}

function decodeInner(b: Uint8Array, inner: TunnelInner, end: number, out: DecodedPacket, depth: number): DecodeResult {
  if (!inner.ethernet) return decodeIp(b, inner.start, end, out, depth + 1);
  const ip = ethernetIp(b, inner.start, end);
  if (ip < 0) return 'other-ip';
  return decodeIp(b, ip, end, out, depth + 1);
}

function decodeTcp(b: Uint8Array, p: number, end: number, out: DecodedPacket): DecodeResult {
  if (end - p < 20) return 'truncated';
  out.srcPort = (b[p] << 8) | b[p + 1];
  out.dstPort = (b[p + 2] << 8) | b[p + 3];
  out.seq = ((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]) >>> 0;
  out.ack = ((b[p + 8] << 24) | (b[p + 9] << 16) | (b[p + 10] << 8) | b[p + 11]) >>> 0;
  const off = (b[p + 12] >> 4) * 4;
  out.flags = b[p + 13];
  out.window = (b[p + 14] << 8) | b[p + 15];
  if (off < 20 || end - p < off) return 'truncated';
  out.tcpStart = p;
  out.payloadStart = p + off;
  out.payloadLength = end - p - off;
  return 'tcp';
}

/** UDP: ports and payload (`seq`, `ack`, `flags` are left as they were). */
function decodeUdp(b: Uint8Array, p: number, end: number, out: DecodedPacket): DecodeResult {
  if (end - p < 8) return 'truncated';
  out.srcPort = (b[p] << 8) | b[p + 1];
  out.dstPort = (b[p + 2] << 8) | b[p + 3];
  const length = (b[p + 4] << 8) | b[p + 5];
  out.tcpStart = p;
  out.payloadStart = p + 8;
  // The UDP length bounds the payload unless it is absurd (0 from offload, or past the capture).
  out.payloadLength = length >= 8 && p + length <= end ? length - 8 : end - p - 8;
  return 'udp';
}

/** An ICMP error kept for the connection it quotes: the quoted packet is decoded into a scratch packet. */
function decodeIcmp(b: Uint8Array, p: number, end: number, out: DecodedPacket): DecodeResult {
  const kind = end - p < 8 ? undefined : icmpKind(out.ipVersion, b[p], b[p + 1]);
  if (kind === undefined) return 'other-ip';
  const quoted = newDecodedPacket();
  quoted.buf = b;
  const r = decodeIp(b, p + 8, end, quoted, MAX_TUNNEL_DEPTH, true);
  const error = quotedError(b, p, end, out.ipVersion, kind, quoted, r);
  if (!error) return 'other-ip';
  out.icmp = error;
  return 'icmp';
}
