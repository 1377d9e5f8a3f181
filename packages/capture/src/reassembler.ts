// Each direction's bytes in sequence order, each byte once, handed to the connection's sink.
import type { DirState, Live } from './connection-table.js';
import type { DecodedPacket } from './decoded-packet.js';
import { appended, NONE } from './lists.js';
import type { Dir, PacketFacts } from './tcp-types.js';

/** Out-of-order segments a direction keeps waiting for the bytes before them, at most. */
const MAX_PENDING_SEGMENTS = 256;
const MAX_PENDING_BYTES = 256 * 1024;

const DIRS = [0, 1] as const;

/**
 * Reassembly per direction with 32-bit wrap-around arithmetic: retransmissions and overlaps are
 * trimmed, out-of-order segments wait (up to a bound, then the gap is declared), and bytes go to
 * the connection's sink until it wants no more or the payload cap is reached; after that they
 * are only counted.
 */
export class Reassembler {
  /**
   * `cap`: bytes per direction handed to a sink at most. `openSink` gives a connection its sink
   * at its first payload byte (and stops its directions when it gets none).
   */
  constructor(private readonly cap: number, private readonly openSink: (l: Live) => void) {}

  /** Whether bytes of this direction still go to a sink. */
  wants(l: Live, dir: Dir): boolean {
    return l.dirs[dir].wantMore;
  }

  /** Neither direction's bytes go to a sink (there is none). */
  stop(l: Live): void {
    l.dirs[0].wantMore = l.dirs[1].wantMore = false;
  }

  /** The direction's bytes start at `next` (after a SYN, or the SYN-ACK the client acknowledged). */
  startAt(l: Live, dir: Dir, next: number): void {
    l.dirs[dir].next = next;
  }

  /** Sequence bookkeeping for a segment nobody reads: retransmissions still count. */
  countOnly(l: Live, dir: Dir, d: DecodedPacket): void {
    const s = l.dirs[dir];
    if (s.next === undefined) {
      s.next = (d.seq + d.payloadLength) >>> 0;
      return;
    }
    const ds = l.conn.stats[dir];
    const off = (d.seq - s.next) | 0;
    if (off < 0 && d.payloadLength <= -off) ds.retransmissions++;
    else if (off > 0) ds.outOfOrder++;
    const end = (d.seq + d.payloadLength) >>> 0;
    if (((end - s.next) | 0) > 0) s.next = end;
  }

  /**
   * A segment's payload. `facts` is the packet's (valid during the call); `truncated`: the
   * capture cut it; `synBytes`: 1 when it is data in a SYN (TCP Fast Open), which starts after
   * the SYN's own sequence number.
   */
  segment(l: Live, dir: Dir, d: DecodedPacket, facts: PacketFacts, truncated: boolean, synBytes: number): void {
    const s = l.dirs[dir];
    // Made on the first byte: the state of a connection that never carries one stays small.
    if (!l.conn.sink && s.wantMore) this.openSink(l);
    const ds = l.conn.stats[dir];
    let seq = (d.seq + synBytes) >>> 0;
    let start = d.payloadStart;
    let len = d.payloadLength;
    if (s.next === undefined) s.next = seq;
    const off = (seq - s.next) | 0;
    if (off < 0) {
      // Retransmission or overlap: keep only bytes past what was already delivered.
      if (len <= -off) {
        ds.retransmissions++;
        return;
      }
      start += -off;
      len -= -off;
      seq = s.next;
    } else if (off > 0) {
      ds.outOfOrder++;
      if (!s.wantMore) {
        s.next = (seq + len) >>> 0;
        return;
      }
      if (this.wait(l, dir, seq, off, d.buf, start, len, facts)) return;
    }
    if (truncated && s.wantMore) {
      // Bytes past the snap length were never captured: the stream has a hole here.
      ds.gaps++;
      l.conn.sink?.gap?.(dir, 0, facts);
      s.wantMore = false;
    }
    this.deliver(l, dir, d.buf, start, len, facts, l.conn.sink?.keepsBytes?.(dir) ?? true);
    s.next = (seq + len) >>> 0;
    this.drainPending(l, dir);
  }

  /**
   * An out-of-order segment waits, with a copy of its bytes and facts; when too much already
   * waits, the gap is declared instead and reading goes on from this segment (false).
   */
  private wait(l: Live, dir: Dir, seq: number, off: number, buf: Uint8Array, start: number, len: number, facts: PacketFacts): boolean {
    const s = l.dirs[dir];
    if (s.pending.length < MAX_PENDING_SEGMENTS && s.pendingBytes + len <= MAX_PENDING_BYTES) {
      s.pending = appended(s.pending, { seq, data: buf.slice(start, start + len), pkt: { ...facts } });
      s.pendingBytes += len;
      return true;
    }
    l.conn.stats[dir].gaps++;
    l.conn.sink?.gap?.(dir, off, facts);
    s.pending = NONE;
    s.pendingBytes = 0;
    s.next = seq;
    return false;
  }

  /** Hands buf[start, start + len) on: one copy when the sink keeps it, else one view. */
  private deliver(l: Live, dir: Dir, buf: Uint8Array, start: number, len: number, facts: PacketFacts, copy: boolean): void {
    const s = l.dirs[dir];
    const sink = l.conn.sink;
    if (!s.wantMore || !sink) return;
    const ds = l.conn.stats[dir];
    const n = Math.min(len, this.cap - ds.delivered);
    ds.delivered += n;
    const bytes = copy ? buf.slice(start, start + n) : buf.subarray(start, start + n);
    if (!sink.data(dir, bytes, facts) || ds.delivered >= this.cap) s.wantMore = false;
  }

  private drainPending(l: Live, dir: Dir): void {
    const s = l.dirs[dir];
    while (s.pending.length > 0) {
      let progressed = false;
      for (let i = 0; i < s.pending.length; i++) {
        const p = s.pending[i];
        const off = (p.seq - (s.next as number)) | 0;
        if (off > 0) continue;
        s.pending.splice(i, 1);
        s.pendingBytes -= p.data.length;
        if (p.data.length > -off) {
          this.deliver(l, dir, p.data, -off, p.data.length + off, p.pkt, false);
          s.next = (p.seq + p.data.length) >>> 0;
        } else {
          l.conn.stats[dir].retransmissions++;
        }
        progressed = true;
        break;
      }
      if (!progressed) return;
    }
  }

  /** At hand-on: a hole that was never filled is a gap, and what lies after it is handed on as such. */
  flush(l: Live): void {
    for (const dir of DIRS) {
      const s = l.dirs[dir];
      if (s.pending.length > 0 && s.wantMore) {
        s.pending.sort((a, b) => ((a.seq - b.seq) | 0));
        const first = s.pending[0];
        l.conn.stats[dir].gaps++;
        l.conn.sink?.gap?.(dir, (first.seq - (s.next as number)) | 0, first.pkt);
        s.wantMore = false;
      }
      s.pending = NONE;
    }
  }
}

export function newDirState(): DirState {
  return { next: undefined, pending: NONE, pendingBytes: 0, wantMore: true };
}
