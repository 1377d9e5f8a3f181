import type { Dir, PacketFacts } from './tcp-types.js';

/**
 * The first packets of every live connection, in rows of one typed array, a row per row of the
 * connection rows (connection-rows.ts): its packets become objects only when it is handed on,
 * and its row is reused by a later connection.
 *
 * Why: as objects (a 120-byte object each, its time and sequence numbers boxed besides) ten
 * packets take about 1.7 kB of the JavaScript heap for as long as their connection lives, and
 * every young-generation collection it lives through copies them; with 200,000 connections open
 * at once that was a quarter of the heap. A row takes 560 bytes outside the heap, which the
 * collector never scans; rows are reused, so a capture of many short connections makes no
 * garbage here at all (docs/performance.md).
 *
 * An entry: frame, time, seq, ack, len; dir + flags·2 + ttl·2⁹ + window·2¹⁷; (ipId + 1) +
 * (mss + 1)·2¹⁷, the MSS part 0 for none. Each field is an integer small enough that the sums
 * are exact in a double. SACK blocks, rare in the first packets, stay with the connection.
 */
export class PacketSlab {
  private data: Float64Array<ArrayBuffer>;

  constructor(readonly perRow: number, initialRows = 1024) {
    this.data = new Float64Array(initialRows * perRow * FIELDS);
  }

  write(row: number, i: number, frame: number, time: number, dir: Dir, flags: number, seq: number, ack: number, len: number, ttl: number, ipId: number, window: number, mss: number | undefined): void {
    const at = (row * this.perRow + i) * FIELDS;
    if (at + FIELDS > this.data.length) this.grow(row);
    const d = this.data;
    d[at] = frame;
    d[at + 1] = time;
    d[at + SEQ] = seq;
    d[at + 3] = ack;
    d[at + 4] = len;
    d[at + BITS] = dir + flags * 2 + ttl * 512 + window * 131072;
    d[at + IDS] = ipId + 1 + (mss === undefined ? 0 : (mss + 1) * 131072);
  }

  /** Doubles the slab until it holds `row`. */
  private grow(row: number): void {
    let size = this.data.length * 2;
    while ((row + 1) * this.perRow * FIELDS > size) size *= 2;
    const bigger = new Float64Array(size);
    bigger.set(this.data);
    this.data = bigger;
  }

  seq(row: number, i: number): number {
    return this.data[(row * this.perRow + i) * FIELDS + SEQ];
  }

  /** The entry as the object the record carries. */
  facts(row: number, i: number, sack: number[] | undefined): PacketFacts {
    const d = this.data;
    const at = (row * this.perRow + i) * FIELDS;
    const bits = d[at + BITS];
    const ids = d[at + IDS];
    const mss = Math.floor(ids / 131072);
    return {
      frame: d[at],
      time: d[at + 1],
      dir: (bits & 1) as Dir,
      flags: Math.floor(bits / 2) & 0xff,
      seq: d[at + SEQ],
      ack: d[at + 3],
      len: d[at + 4],
      ttl: Math.floor(bits / 512) & 0xff,
      ipId: (ids % 131072) - 1,
      window: Math.floor(bits / 131072),
      mss: mss === 0 ? undefined : mss - 1,
      sack,
    };
  }
}

const FIELDS = 7;
const SEQ = 2;
const BITS = 5;
const IDS = 6;
