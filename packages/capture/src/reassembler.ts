// Each direction's bytes in sequence order, each byte once, handed to the connection's sink.
import type { Live, Pending } from './connection-table.js';
import { REASSEMBLY_DOUBLES, REASSEMBLY_WORDS, type ConnectionRows } from './connection-rows.js';
import type { DecodedPacket } from './decoded-packet.js';
import { appended, NONE } from './lists.js';
import type { Dir, DirectionStats, PacketFacts } from './tcp-types.js';

/** Out-of-order segments a direction keeps waiting for the bytes before them, at most. */
const MAX_PENDING_SEGMENTS = 256;
const MAX_PENDING_BYTES = 256 * 1024;

// A direction's numbers in its connection's row: the payload bytes seen (a double), then nine
// words from REASSEMBLY_WORDS + 9 * dir.
const WORDS_PER_DIR = 9;
const FLAGS = 0;
/** The next sequence number expected, once HAS_NEXT is set. */
const NEXT = 1;
const PENDING_BYTES = 2;
const DELIVERED = 3;
const PACKETS = 4;
const RETRANSMISSIONS = 5;
const OUT_OF_ORDER = 6;
const GAPS = 7;
const TRUNCATED = 8;
/** FLAGS: bytes of this direction still go to a sink; NEXT holds a sequence number. */
const WANT_MORE = 1;
const HAS_NEXT = 2;

const DIRS = [0, 1] as const;

const pendingOf = (l: Live, dir: Dir): Pending[] => (dir === 0 ? l.pending0 : l.pending1);

function setPending(l: Live, dir: Dir, list: Pending[]): void {
  if (dir === 0) l.pending0 = list;
  else l.pending1 = list;
}

/**
 * Reassembly per direction with 32-bit wrap-around arithmetic: retransmissions and overlaps are
 * trimmed, out-of-order segments wait (up to a bound, then the gap is declared), and bytes go to
 * the connection's sink until it wants no more or the payload cap is reached; after that they
 * are only counted. Also each direction's counters (DirectionStats).
 */
export class Reassembler {
  /**
   * `cap`: bytes per direction handed to a sink at most. `openSink` gives a connection its sink
   * at its first payload byte (and stops its directions when it gets none).
   */
  constructor(private readonly rows: ConnectionRows, private readonly cap: number, private readonly openSink: (l: Live) => void) {}

  /** A new connection's directions: both want bytes when there is a sink to give them to. */
  open(row: number, sinks: boolean): void {
    if (!sinks) return;
    const w = this.rows.words(row) + REASSEMBLY_WORDS;
    this.rows.u32[w + FLAGS] = WANT_MORE;
    this.rows.u32[w + WORDS_PER_DIR + FLAGS] = WANT_MORE;
  }

  /** Where a direction's words start. */
  private at(l: Live, dir: Dir): number {
    return this.rows.words(l.row) + REASSEMBLY_WORDS + dir * WORDS_PER_DIR;
  }

  /** A packet of this direction: counted. */
  count(l: Live, dir: Dir, payloadLength: number, truncated: boolean): void {
    const w = this.at(l, dir);
    const u32 = this.rows.u32;
    u32[w + PACKETS]++;
    if (truncated) u32[w + TRUNCATED]++;
    this.rows.f64[this.rows.doubles(l.row) + REASSEMBLY_DOUBLES + dir] += payloadLength;
  }

  /** Payload bytes seen in a direction. */
  payloadBytes(l: Live, dir: Dir): number {
    return this.rows.f64[this.rows.doubles(l.row) + REASSEMBLY_DOUBLES + dir];
  }

  /** Whether bytes of this direction still go to a sink. */
  wants(l: Live, dir: Dir): boolean {
    return (this.rows.u32[this.at(l, dir) + FLAGS] & WANT_MORE) !== 0;
  }

  /** Neither direction's bytes go to a sink (there is none). */
  stop(l: Live): void {
    const u32 = this.rows.u32;
    const w = this.at(l, 0);
    u32[w + FLAGS] &= ~WANT_MORE;
    u32[w + WORDS_PER_DIR + FLAGS] &= ~WANT_MORE;
  }

  /** The direction's bytes start at `next` (after a SYN, or the SYN-ACK the client acknowledged). */
  startAt(l: Live, dir: Dir, next: number): void {
    const w = this.at(l, dir);
    this.rows.u32[w + NEXT] = next;
    this.rows.u32[w + FLAGS] |= HAS_NEXT;
  }

  /** Sequence bookkeeping for a segment nobody reads: retransmissions still count. */
  countOnly(l: Live, dir: Dir, d: DecodedPacket): void {
    const w = this.at(l, dir);
    const u32 = this.rows.u32;
    const end = (d.seq + d.payloadLength) >>> 0;
    if ((u32[w + FLAGS] & HAS_NEXT) === 0) {
      u32[w + NEXT] = end;
      u32[w + FLAGS] |= HAS_NEXT;
      return;
    }
    const next = u32[w + NEXT];
    const off = (d.seq - next) | 0;
    if (off < 0 && d.payloadLength <= -off) u32[w + RETRANSMISSIONS]++;
    else if (off > 0) u32[w + OUT_OF_ORDER]++;
    if (((end - next) | 0) > 0) u32[w + NEXT] = end;
  }

  /**
   * A segment's payload. `facts` is the packet's (valid during the call); `truncated`: the
   * capture cut it; `synBytes`: 1 when it is data in a SYN (TCP Fast Open), which starts after
   * the SYN's own sequence number.
   */
  segment(l: Live, dir: Dir, d: DecodedPacket, facts: PacketFacts, truncated: boolean, synBytes: number): void {
    // Made on the first byte: the state of a connection that never carries one stays small.
    if (!l.sink && this.wants(l, dir)) this.openSink(l);
    const w = this.at(l, dir);
    const u32 = this.rows.u32;
    let seq = (d.seq + synBytes) >>> 0;
    let start = d.payloadStart;
    let len = d.payloadLength;
    if ((u32[w + FLAGS] & HAS_NEXT) === 0) this.startAt(l, dir, seq);
    const off = (seq - u32[w + NEXT]) | 0;
    if (off < 0) {
      // Retransmission or overlap: keep only bytes past what was already delivered.
      if (len <= -off) {
        u32[w + RETRANSMISSIONS]++;
        return;
      }
      start += -off;
      len -= -off;
      seq = u32[w + NEXT];
    } else if (off > 0) {
      u32[w + OUT_OF_ORDER]++;
      if ((u32[w + FLAGS] & WANT_MORE) === 0) {
        u32[w + NEXT] = (seq + len) >>> 0;
        return;
      }
      if (this.wait(l, dir, seq, off, d.buf, start, len, facts)) return;
    }
    if (truncated && (u32[w + FLAGS] & WANT_MORE) !== 0) {
      // Bytes past the snap length were never captured: the stream has a hole here.
      u32[w + GAPS]++;
      l.sink?.gap?.(dir, 0, facts);
      u32[w + FLAGS] &= ~WANT_MORE;
    }
    this.deliver(l, dir, d.buf, start, len, facts, l.sink?.keepsBytes?.(dir) ?? true);
    u32[w + NEXT] = (seq + len) >>> 0;
    if (pendingOf(l, dir).length > 0) this.drainPending(l, dir);
  }

  /**
   * An out-of-order segment waits, with a copy of its bytes and facts; when too much already
   * waits, the gap is declared instead and reading goes on from this segment (false).
   */
  private wait(l: Live, dir: Dir, seq: number, off: number, buf: Uint8Array, start: number, len: number, facts: PacketFacts): boolean {
    const w = this.at(l, dir);
    const u32 = this.rows.u32;
    const pending = pendingOf(l, dir);
    if (pending.length < MAX_PENDING_SEGMENTS && u32[w + PENDING_BYTES] + len <= MAX_PENDING_BYTES) {
      setPending(l, dir, appended(pending, { seq, data: buf.slice(start, start + len), pkt: { ...facts } }));
      u32[w + PENDING_BYTES] += len;
      return true;
    }
    u32[w + GAPS]++;
    l.sink?.gap?.(dir, off, facts);
    setPending(l, dir, NONE);
    u32[w + PENDING_BYTES] = 0;
    u32[w + NEXT] = seq;
    return false;
  }

  /** Hands buf[start, start + len) on: one copy when the sink keeps it, else one view. */
  private deliver(l: Live, dir: Dir, buf: Uint8Array, start: number, len: number, facts: PacketFacts, copy: boolean): void {
    const w = this.at(l, dir);
    const u32 = this.rows.u32;
    const sink = l.sink;
    if ((u32[w + FLAGS] & WANT_MORE) === 0 || !sink) return;
    const n = Math.min(len, this.cap - u32[w + DELIVERED]);
    u32[w + DELIVERED] += n;
    const bytes = copy ? buf.slice(start, start + n) : buf.subarray(start, start + n);
    if (!sink.data(dir, bytes, facts) || u32[w + DELIVERED] >= this.cap) u32[w + FLAGS] &= ~WANT_MORE;
  }

  private drainPending(l: Live, dir: Dir): void {
    const w = this.at(l, dir);
    const u32 = this.rows.u32;
    const pending = pendingOf(l, dir);
    while (pending.length > 0) {
      let progressed = false;
      for (let i = 0; i < pending.length; i++) {
        const p = pending[i];
        const off = (p.seq - u32[w + NEXT]) | 0;
        if (off > 0) continue;
        pending.splice(i, 1);
        u32[w + PENDING_BYTES] -= p.data.length;
        if (p.data.length > -off) {
          this.deliver(l, dir, p.data, -off, p.data.length + off, p.pkt, false);
          u32[w + NEXT] = (p.seq + p.data.length) >>> 0;
        } else {
          u32[w + RETRANSMISSIONS]++;
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
      const w = this.at(l, dir);
      const u32 = this.rows.u32;
      const pending = pendingOf(l, dir);
      if (pending.length > 0 && (u32[w + FLAGS] & WANT_MORE) !== 0) {
        pending.sort((a, b) => ((a.seq - b.seq) | 0));
        const first = pending[0];
        u32[w + GAPS]++;
        l.sink?.gap?.(dir, (first.seq - u32[w + NEXT]) | 0, first.pkt);
        u32[w + FLAGS] &= ~WANT_MORE;
      }
      setPending(l, dir, NONE);
    }
  }

  /** A direction's counters as the connection handed on carries them. */
  stats(l: Live, dir: Dir): DirectionStats {
    const w = this.at(l, dir);
    const u32 = this.rows.u32;
    return {
      packets: u32[w + PACKETS],
      payloadBytes: this.payloadBytes(l, dir),
      delivered: u32[w + DELIVERED],
      retransmissions: u32[w + RETRANSMISSIONS],
      outOfOrder: u32[w + OUT_OF_ORDER],
      gaps: u32[w + GAPS],
      truncated: u32[w + TRUNCATED],
    };
  }
}
