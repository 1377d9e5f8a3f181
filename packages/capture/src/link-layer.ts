// From a frame's link-layer header to the IP packet it carries: Ethernet with its tags, PPP and
// PPPoE, MPLS, Linux cooked captures, BSD loopback, raw IP.

/** Link types this reader understands (tcpdump.org linktypes). */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW_OLD_12: 12,
  RAW_OLD_14: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
  PPP: 9,
  PPP_HDLC: 50,
  PPP_ETHER: 51,
  PPP_WITH_DIR: 204,
} as const;

// EtherTypes (IEEE 802 numbers) the link layers and tunnels read. Plain module-local constants,
// not an object's fields or exported bindings: either costs a few instructions per compare on
// every packet (counted with valgrind).
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_QINQ_OLD = 0x9100;
const ETHERTYPE_PPPOE_SESSION = 0x8864;
const ETHERTYPE_MPLS = 0x8847;
const ETHERTYPE_MPLS_MULTICAST = 0x8848;
/** For the tunnels, whose packets are few. */
export { ETHERTYPE_IPV4, ETHERTYPE_IPV6 };
export const ETHERTYPE_TRANSPARENT_ETHERNET_BRIDGING = 0x6558;
export const ETHERTYPE_ERSPAN_II = 0x88be;
export const ETHERTYPE_ERSPAN_III = 0x22eb;

/** PPP protocol numbers of IP (RFC 1332, RFC 5072). */
const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;

/** Address families a BSD loopback header names IP by: AF_INET, and AF_INET6 as OpenBSD and NetBSD, FreeBSD, and Darwin number it. */
const AF_INET = 2;
const AF_INET6_OPENBSD = 24;
const AF_INET6_FREEBSD = 28;
const AF_INET6_DARWIN = 30;

/** A PPP frame's payload (RFC 1661), with or without the HDLC address and control bytes: where IP starts, or -1. */
function pppIp(b: Uint8Array, p: number, end: number): number {
  if (end - p >= 2 && b[p] === 0xff && b[p + 1] === 0x03) p += 2;
  if (end - p < 1) return -1;
  // Protocol-field compression (RFC 1661 section 6.5): a one-byte protocol is odd.
  let proto: number;
  if (b[p] & 1) {
    proto = b[p];
    p += 1;
  } else {
    if (end - p < 2) return -1;
    proto = (b[p] << 8) | b[p + 1];
    p += 2;
  }
  return proto === PPP_IPV4 || proto === PPP_IPV6 ? p : -1;
}

/** PPPoE session stage (RFC 2516): a 6-byte header, then PPP. */
function pppoeIp(b: Uint8Array, p: number, end: number): number {
  if (end - p < 6 || b[p] !== 0x11 || b[p + 1] !== 0x00) return -1;
  return pppIp(b, p + 6, end);
}

/** An MPLS label stack (RFC 3032): 4 bytes per label to the one with the bottom-of-stack bit, then IP told by its version nibble. */
function mplsIp(b: Uint8Array, p: number, end: number): number {
  for (let labels = 0; labels < 16; labels++) {
    if (end - p < 4) return -1;
    const bottom = (b[p + 2] & 0x01) !== 0;
    p += 4;
    if (bottom) {
      const v = end > p ? b[p] >> 4 : 0;
      return v === 4 || v === 6 ? p : -1;
    }
  }
  return -1;
}

/** An Ethernet frame: where its IP packet starts, past any VLAN tags, PPPoE or MPLS; -1 for none. */
export function ethernetIp(b: Uint8Array, start: number, end: number): number {
  let p = start + 12;
  if (end - p < 2) return -1;
  let et = (b[p] << 8) | b[p + 1];
  // 802.1Q, 802.1ad and the older QinQ tag: 4 bytes each, any number of them.
  while ((et === ETHERTYPE_VLAN || et === ETHERTYPE_QINQ || et === ETHERTYPE_QINQ_OLD) && end - p >= 6) {
    p += 4;
    et = (b[p] << 8) | b[p + 1];
  }
  p += 2;
  if (et === ETHERTYPE_IPV4 || et === ETHERTYPE_IPV6) return p;
  if (et === ETHERTYPE_PPPOE_SESSION) return pppoeIp(b, p, end);
  if (et === ETHERTYPE_MPLS || et === ETHERTYPE_MPLS_MULTICAST) return mplsIp(b, p, end);
  return -1;
}

/** Finds where the IP header starts for a link type; -1 for a non-IP frame, -2 for an unknown link type. */
export function ipStart(b: Uint8Array, start: number, end: number, linkType: number): number {
  switch (linkType) {
    case LinkType.ETHERNET:
      return ethernetIp(b, start, end);
    case LinkType.PPP:
    case LinkType.PPP_HDLC:
      return pppIp(b, start, end);
    case LinkType.PPP_ETHER:
      return pppoeIp(b, start, end);
    case LinkType.PPP_WITH_DIR:
      // One byte says which way the frame went; PPP follows.
      return end - start < 1 ? -1 : pppIp(b, start + 1, end);
    case LinkType.NULL:
    case LinkType.LOOP: {
      if (end - start < 4) return -1;
      // DLT_NULL stores the family in the capturing host's byte order; LOOP in network order.
      const fam = linkType === LinkType.LOOP
        ? (b[start] << 24) | (b[start + 1] << 16) | (b[start + 2] << 8) | b[start + 3]
        : b[start] !== 0 ? b[start] | (b[start + 1] << 8) : (b[start + 2] << 8) | b[start + 3];
      return fam === AF_INET || fam === AF_INET6_OPENBSD || fam === AF_INET6_FREEBSD || fam === AF_INET6_DARWIN ? start + 4 : -1;
    }
    case LinkType.RAW:
    case LinkType.RAW_OLD_12:
    case LinkType.RAW_OLD_14:
    case LinkType.IPV4:
    case LinkType.IPV6:
      return start;
    case LinkType.LINUX_SLL: {
      if (end - start < 16) return -1;
      const proto = (b[start + 14] << 8) | b[start + 15];
      return proto === ETHERTYPE_IPV4 || proto === ETHERTYPE_IPV6 ? start + 16 : -1;
    }
    case LinkType.LINUX_SLL2: {
      if (end - start < 20) return -1;
      const proto = (b[start] << 8) | b[start + 1];
      return proto === ETHERTYPE_IPV4 || proto === ETHERTYPE_IPV6 ? start + 20 : -1;
    }
    default:
      return -2;
  }
}
