import type { PacketFacts } from '@tlsdoctor/capture';
import type { TcpRecord } from './record.js';

// Which TCP segments carried a ClientHello, read from a record's logged packets: the facts the
// hello-size verdicts and the capture's history of one-segment answers both read.

/** The client's segments that carried the ClientHello (first sends, in order), from the logged packets. */
export function helloSegments(r: TcpRecord): PacketFacts[] {
  const ch = r.clientHello;
  return ch ? clientFirstSends(r, ch.frame) : [];
}

/** The client's data segments (first sends) before the connection ended, for a hello cut short. */
export function cutHelloSegments(r: TcpRecord): PacketFacts[] {
  return clientFirstSends(r, Infinity);
}

/** The client's data segments up to `lastFrame`, each sequence number once (first sends), in order. */
function clientFirstSends(r: TcpRecord, lastFrame: number): PacketFacts[] {
  const out: PacketFacts[] = [];
  // At most ten packets are logged: a scan of those kept costs less than a set, for every connection.
  for (const p of r.tcp.packets) {
    if (p.dir !== 0 || p.len === 0 || p.frame > lastFrame || out.some((q) => q.seq === p.seq)) continue;
    out.push(p);
  }
  return out;
}

/** The largest segment the server takes (its SYN-ACK's MSS), when the capture holds it. */
export const serverMss = (r: TcpRecord): number | undefined => r.tcp.synAck?.mss;

/**
 * How many segments the hello was on the wire: a frame larger than the server's MSS was captured
 * on the sending host before segmentation offload (TSO/GSO) cut it, and counts as the segments
 * it became.
 */
export function wireSegments(r: TcpRecord, segs = helloSegments(r)): { count: number; offloaded: PacketFacts[] } {
  const mss = serverMss(r);
  const offloaded = mss ? segs.filter((p) => p.len > mss) : [];
  return { count: segs.reduce((n, p) => n + (mss && p.len > mss ? Math.ceil(p.len / mss) : 1), 0), offloaded };
}

/**
 * A ClientHello over several segments, or one cut short after its first segment, that got no
 * ServerHello: whether a device that reads one segment refused it is for the capture's other
 * connections to the same server to tell.
 */
export function unansweredSplitHello(r: TcpRecord): boolean {
  if (r.serverHello) return false;
  if (r.clientHello) return wireSegments(r).count > 1;
  return r.clientHelloCut !== undefined && cutHelloSegments(r).length > 0;
}
