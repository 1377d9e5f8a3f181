import type { TcpRecord } from '@tlsdoctor/analysis';
import { TcpFlag, type PacketFacts } from '@tlsdoctor/capture';

/** A segment sent again among the packets a record keeps: its first send, and the sends after. */
export interface Resent {
  first: PacketFacts;
  again: PacketFacts[];
  /**
   * The peer never acknowledged it: no ACK past its first byte and no SACK block over it, where
   * the record shows the whole connection (every packet kept), or, for a client segment, where
   * nothing TLS came back from the server (which would prove it arrived).
   */
  unacknowledged: boolean;
}

// Sequence numbers compare modulo 2^32.
const after = (a: number, b: number) => ((a - b) | 0) > 0;

/**
 * The segments of a record's kept packets that were sent more than once, keyed by the frame of
 * each later send. A picture marks these: a segment resent and never acknowledged is the one a
 * path lost (an MTU black hole loses the full-size first segment of a ClientHello).
 */
export function resentSegments(r: TcpRecord): Map<number, Resent> {
  const bySeq: [Map<number, Resent>, Map<number, Resent>] = [new Map(), new Map()];
  const byFrame = new Map<number, Resent>();
  for (const p of r.tcp.packets) {
    if (p.len === 0 || p.flags & (TcpFlag.SYN | TcpFlag.RST)) continue;
    const seen = bySeq[p.dir].get(p.seq);
    if (!seen) bySeq[p.dir].set(p.seq, { first: p, again: [], unacknowledged: false });
    else {
      seen.again.push(p);
      byFrame.set(p.frame, seen);
    }
  }
  const whole = r.tcp.packetCount <= r.tcp.packets.length;
  const serverSpoke = r.serverHello !== undefined || r.messages.some((m) => m.from === 'server') || r.encryptedRecords[1] > 0;
  for (const s of new Set(byFrame.values())) {
    const provable = whole || (s.first.dir === 0 && !serverSpoke);
    s.unacknowledged = provable && !acknowledged(r.tcp.packets, s.first);
  }
  return byFrame;
}

/** Whether the peer's ACKs or SACK blocks among the packets cover the segment's first byte. */
function acknowledged(packets: readonly PacketFacts[], seg: PacketFacts): boolean {
  for (const a of packets) {
    if (a.dir === seg.dir || !(a.flags & TcpFlag.ACK) || a.flags & TcpFlag.SYN) continue;
    if (after(a.ack, seg.seq)) return true;
    const sack = a.sack ?? [];
    for (let i = 0; i + 1 < sack.length; i += 2) if (!after(sack[i], seg.seq) && after(sack[i + 1], seg.seq)) return true;
  }
  return false;
}

/** The words of a resend's step: which frame it repeats, and on its last send whether it ever got through. */
export function resendWhat(s: Resent, p: PacketFacts, helloFrame: number | undefined): string {
  const hello = partOfHello(s, helloFrame) ? ' (part of the ClientHello)' : '';
  const last = s.again[s.again.length - 1] === p;
  return `data, ${p.len} bytes: frame ${s.first.frame} again${hello}${last && s.unacknowledged ? `, retransmitted ×${s.again.length}, never acknowledged` : ''}`;
}

/** The picture's note for each resent segment that never got through. */
export function resendNotes(r: TcpRecord, resent: Map<number, Resent>, helloFrame: number | undefined): string[] {
  const notes: string[] = [];
  // Past the packets kept, more resends may have gone out: the count is of those shown.
  const shown = r.tcp.packetCount > r.tcp.packets.length ? ' in the packets shown' : '';
  for (const s of new Set(resent.values())) {
    if (!s.unacknowledged) continue;
    const what = partOfHello(s, helloFrame) ? `the ClientHello's ${s.first.len}-byte segment` : `the ${s.first.len}-byte segment`;
    notes.push(`${what} of frame ${s.first.frame} never got through: retransmitted ×${s.again.length}${shown}, never acknowledged`);
  }
  return notes;
}

/** A client segment sent no later than the ClientHello's last one (TLS reads a message where it completes). */
function partOfHello(s: Resent, helloFrame: number | undefined): boolean {
  return s.first.dir === 0 && helloFrame !== undefined && s.first.frame <= helloFrame;
}
