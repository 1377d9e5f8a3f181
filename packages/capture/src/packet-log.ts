import type { Dir, PacketFacts } from './tcp-types.js';

/**
 * The packets a live connection keeps (its first ten, and the SYNs, SYN-ACKs, RSTs and FINs the
 * diagnosis reads after them), packed into one array of numbers: eight to a packet, then its SACK
 * edges. The facts become objects only when the connection is handed on.
 *
 * Why: kept as objects, ten packets cost about 1.7 kB of heap (a 120-byte object each, its time
 * and sequence numbers boxed besides) that a connection holds from its first packet to its end,
 * and every young-generation collection it lives through copies. Packed, about 0.7 kB in one
 * block (docs/performance.md).
 *
 * An entry: frame, time, seq, ack, len; dir + flags·2 + ttl·2⁹ + window·2¹⁷; (ipId + 1) +
 * (mss + 1)·2¹⁷, the MSS part 0 for none; the number of SACK edges, then the edges. Each field is
 * an integer small enough that the sums are exact in a double.
 */
export class PacketLog {
  /** Its length is the room; `end` the part in use. Grown by steps, not by `push`, which reserves half as much again. */
  private v: number[] = EMPTY;
  private end = 0;

  /** Appends a packet; returns where its entry starts. */
  add(frame: number, time: number, dir: Dir, flags: number, seq: number, ack: number, len: number, ttl: number, ipId: number, window: number, mss: number | undefined, sack: number[] | undefined): number {
    const at = this.end;
    const edges = sack?.length ?? 0;
    this.reserve(at + FIXED + edges);
    const v = this.v;
    v[at] = frame;
    v[at + 1] = time;
    v[at + SEQ] = seq;
    v[at + 3] = ack;
    v[at + 4] = len;
    v[at + BITS] = dir + flags * 2 + ttl * 512 + window * 131072;
    v[at + IDS] = ipId + 1 + (mss === undefined ? 0 : (mss + 1) * 131072);
    v[at + SACK_COUNT] = edges;
    for (let i = 0; i < edges; i++) v[at + FIXED + i] = sack![i];
    this.end = at + FIXED + edges;
    return at;
  }

  /** Where the first entry starts: iterate with `next` while below `size`. */
  get size(): number {
    return this.end;
  }

  next(at: number): number {
    return at + FIXED + this.v[at + SACK_COUNT];
  }

  seq(at: number): number {
    return this.v[at + SEQ];
  }

  flags(at: number): number {
    return Math.floor(this.v[at + BITS] / 2) & 0xff;
  }

  /** The entry at `at` as the object the record carries. */
  facts(at: number): PacketFacts {
    const v = this.v;
    const bits = v[at + BITS];
    const ids = v[at + IDS];
    const mss = Math.floor(ids / 131072);
    const edges = v[at + SACK_COUNT];
    return {
      frame: v[at],
      time: v[at + 1],
      dir: (bits & 1) as Dir,
      flags: Math.floor(bits / 2) & 0xff,
      seq: v[at + SEQ],
      ack: v[at + 3],
      len: v[at + 4],
      ttl: Math.floor(bits / 512) & 0xff,
      ipId: (ids % 131072) - 1,
      window: Math.floor(bits / 131072),
      mss: mss === 0 ? undefined : mss - 1,
      sack: edges === 0 ? undefined : v.slice(at + FIXED, at + FIXED + edges),
    };
  }

  /** Gives back the room not in use: a connection kept open long keeps only what it logged. */
  trim(): void {
    if (this.v.length > this.end) this.v = this.v.slice(0, this.end);
  }

  /** Drops every entry and the room they took. */
  clear(): void {
    this.v = EMPTY;
    this.end = 0;
  }

  /**
   * Room for four packets at first (a refused connection takes two, a SYN that times out
   * three), then for ten (the first packets logged), then four more at a time.
   */
  private reserve(needed: number): void {
    const old = this.v;
    if (needed <= old.length) return;
    const room = needed <= 4 * FIXED ? 4 * FIXED : needed <= 10 * FIXED ? 10 * FIXED : needed + 4 * FIXED;
    const v = new Array<number>(room).fill(0);
    for (let i = 0; i < this.end; i++) v[i] = old[i];
    this.v = v;
  }
}

const SEQ = 2;
const BITS = 5;
const IDS = 6;
const SACK_COUNT = 7;
const FIXED = 8;
const EMPTY: number[] = Object.freeze([]) as unknown as number[];
