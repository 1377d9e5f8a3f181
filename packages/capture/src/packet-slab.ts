import type { Dir, PacketFacts } from './tcp-types.js';

/**
 * The first packets of every live connection, in rows of one typed array, a row per row of the
 * connection rows (connection-rows.ts): its packets become objects only when it is handed on,
 * and its row is reused by a later connection.
 *
 * Why: as objects (a 120-byte object each, its time and sequence numbers boxed besides) ten
 * packets take about 1.7 kB of the JavaScript heap for as long as their connection lives, and
 * every young-generation collection it lives through copies them; with 200,000 connections open
 * at once they would be a quarter of the heap. A row takes 320 bytes outside the heap, which the
 * collector never scans; rows are reused, so a capture of many short connections makes no
 * garbage here at all (docs/performance.md).
 *
 * An entry is 32 bytes: the time as a double, then six 32-bit words: frame, seq, ack;
 * len·8 + dir·4 + (an MSS)·2 + (an IP ID); flags + ttl·2⁸ + window·2¹⁶; ipId + mss·2¹⁶, where
 * seven doubles would take 56. SACK blocks, rare in the first packets, stay with the connection.
 */
export class PacketSlab {
  private time: Float64Array<ArrayBuffer>;
  private words: Uint32Array<ArrayBuffer>;

  constructor(readonly perRow: number, initialRows = 1024) {
    this.time = new Float64Array(0);
    this.words = new Uint32Array(0);
    // Set twice from the start, so that V8 never compiles them in as constants (see ConnectionRows).
    this.allocate(initialRows * perRow);
  }

  write(row: number, i: number, frame: number, time: number, dir: Dir, flags: number, seq: number, ack: number, len: number, ttl: number, ipId: number, window: number, mss: number | undefined): void {
    const at = row * this.perRow + i;
    if ((at + 1) * WORDS > this.words.length) this.grow(row);
    const p = at * WORDS;
    this.time[at * DOUBLES] = time;
    const w = this.words;
    w[p + FRAME] = frame;
    w[p + SEQ] = seq;
    w[p + ACK] = ack;
    w[p + LENGTH] = len * 8 + dir * 4 + (mss === undefined ? 0 : HAS_MSS) + (ipId < 0 ? 0 : HAS_IP_ID);
    w[p + HEADER] = flags + ttl * 0x100 + window * 0x10000;
    w[p + IDS] = (ipId < 0 ? 0 : ipId) + (mss ?? 0) * 0x10000;
  }

  /** Doubles the slab until it holds `row`. */
  private grow(row: number): void {
    let entries = (this.words.length / WORDS) * 2;
    while ((row + 1) * this.perRow > entries) entries *= 2;
    const old = this.words;
    this.allocate(entries);
    this.words.set(old);
  }

  private allocate(entries: number): void {
    const buf = new ArrayBuffer(entries * WORDS * 4);
    this.time = new Float64Array(buf);
    this.words = new Uint32Array(buf);
  }

  seq(row: number, i: number): number {
    return this.words[(row * this.perRow + i) * WORDS + SEQ];
  }

  /** The entry as the object the record carries. */
  facts(row: number, i: number, sack: number[] | undefined): PacketFacts {
    const at = row * this.perRow + i;
    const w = this.words;
    const p = at * WORDS;
    const length = w[p + LENGTH];
    const header = w[p + HEADER];
    const ids = w[p + IDS];
    return {
      frame: w[p + FRAME],
      time: this.time[at * DOUBLES],
      dir: ((length >>> 2) & 1) as Dir,
      flags: header & 0xff,
      seq: w[p + SEQ],
      ack: w[p + ACK],
      len: length >>> 3,
      ttl: (header >>> 8) & 0xff,
      ipId: length & HAS_IP_ID ? ids & 0xffff : -1,
      window: header >>> 16,
      mss: length & HAS_MSS ? ids >>> 16 : undefined,
      sack,
    };
  }
}

/** An entry's size in 32-bit words and in doubles; the first two words are its time. */
const WORDS = 8;
const DOUBLES = 4;
const FRAME = 2;
const SEQ = 3;
const ACK = 4;
const LENGTH = 5;
const HEADER = 6;
const IDS = 7;
const HAS_MSS = 2;
const HAS_IP_ID = 1;
