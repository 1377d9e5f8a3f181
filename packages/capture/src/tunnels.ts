// Tunnels tshark opens, as far as finding the inner frame: GRE with ERSPAN, VXLAN and
// VXLAN-GPE, Geneve, GTP-U. Each answers where the inner packet starts and whether it is an
// Ethernet frame or IP.
import { ETHERTYPE_ERSPAN_II, ETHERTYPE_ERSPAN_III, ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_TRANSPARENT_ETHERNET_BRIDGING } from './link-layer.js';

export interface TunnelInner {
  start: number;
  ethernet: boolean;
}

/** VXLAN (RFC 7348) on 4789 and VXLAN-GPE on 4790, on either port of the UDP header. */
const VXLAN_PORT = 4789;
const VXLAN_GPE_PORT = 4790;
const GENEVE_PORT = 6081;
const GTPU_PORT = 2152;

/** VXLAN-GPE's next-protocol numbers. */
const GPE_IPV4 = 1;
const GPE_IPV6 = 2;
const GPE_ETHERNET = 3;

/** GTP-U's message type for user data (G-PDU). */
const GTP_G_PDU = 0xff;

const isVxlanPort = (port: number) => port === VXLAN_PORT || port === VXLAN_GPE_PORT;

export function vxlanInner(b: Uint8Array, udp: number, end: number): TunnelInner | undefined {
  const sport = (b[udp] << 8) | b[udp + 1];
  const dport = (b[udp + 2] << 8) | b[udp + 3];
  if (!isVxlanPort(dport) && !isVxlanPort(sport)) return undefined;
  const v = udp + 8;
  const flags = b[v];
  if ((flags & 0x08) === 0 || end - v < 8) return undefined;
  // GPE: the P flag says the last header byte names the next protocol.
  if (flags & 0x04) {
    const next = b[v + 3];
    if (next === GPE_IPV4 || next === GPE_IPV6) return { start: v + 8, ethernet: false };
    if (next !== GPE_ETHERNET) return undefined;
  }
  return { start: v + 8, ethernet: true };
}

/** Geneve (RFC 8926) and GTP-U (3GPP TS 29.281): where the inner frame starts, by the UDP destination port. */
export function udpTunnelInner(b: Uint8Array, udp: number, end: number): TunnelInner | undefined {
  const dport = (b[udp + 2] << 8) | b[udp + 3];
  if (dport === GENEVE_PORT) return geneveInner(b, udp + 8, end);
  if (dport === GTPU_PORT) return gtpuInner(b, udp + 8, end);
  return undefined;
}

function geneveInner(b: Uint8Array, h: number, end: number): TunnelInner | undefined {
  if (b[h] >> 6 !== 0) return undefined;
  const start = h + 8 + (b[h] & 0x3f) * 4;
  const proto = (b[h + 2] << 8) | b[h + 3];
  if (start > end) return undefined;
  if (proto === ETHERTYPE_TRANSPARENT_ETHERNET_BRIDGING) return { start, ethernet: true };
  return proto === ETHERTYPE_IPV4 || proto === ETHERTYPE_IPV6 ? { start, ethernet: false } : undefined;
}

function gtpuInner(b: Uint8Array, h: number, end: number): TunnelInner | undefined {
  // Version 1, protocol type GTP, message type G-PDU: user data follows the header.
  const flags = b[h];
  if (flags >> 5 !== 1 || (flags & 0x10) === 0 || b[h + 1] !== GTP_G_PDU) return undefined;
  let p = h + 8;
  if (flags & 0x07) {
    // Sequence number, N-PDU number and the first extension header's type; then the extension chain.
    if (end - p < 4) return undefined;
    let next = flags & 0x04 ? b[p + 3] : 0;
    p += 4;
    for (let i = 0; next !== 0 && i < 16; i++) {
      if (end - p < 1 || b[p] === 0) return undefined;
      const len = b[p] * 4;
      if (end - p < len) return undefined;
      next = b[p + len - 1];
      p += len;
    }
    if (next !== 0) return undefined;
  }
  const v = p < end ? b[p] >> 4 : 0;
  return v === 4 || v === 6 ? { start: p, ethernet: false } : undefined;
}

/** GRE (RFC 2784/2890) and the ERSPAN types carried in it: where the inner packet starts. */
export function greInner(b: Uint8Array, p: number, end: number): TunnelInner | undefined {
  if (end - p < 4) return undefined;
  const flags = b[p];
  const proto = (b[p + 2] << 8) | b[p + 3];
  let q = p + 4;
  if (flags & 0x80) q += 4; // checksum and reserved
  if (flags & 0x20) q += 4; // key
  if (flags & 0x10) q += 4; // sequence number
  if (q > end) return undefined;
  switch (proto) {
    case ETHERTYPE_IPV4:
    case ETHERTYPE_IPV6:
      return { start: q, ethernet: false };
    case ETHERTYPE_TRANSPARENT_ETHERNET_BRIDGING:
      return { start: q, ethernet: true };
    case ETHERTYPE_ERSPAN_II: // type I has no sequence number and no header
      return { start: flags & 0x10 ? q + 8 : q, ethernet: true };
    case ETHERTYPE_ERSPAN_III: {
      // 12 bytes, 8 more when the O flag announces the platform subheader.
      if (end - q < 12) return undefined;
      return { start: q + 12 + (b[q + 11] & 0x01 ? 8 : 0), ethernet: true };
    }
    default:
      return undefined;
  }
}
