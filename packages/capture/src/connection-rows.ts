/**
 * Every number the tracker keeps of a connection, in one row per table entry of a typed array
 * outside the JavaScript heap: times, counters, sequence numbers, flags. The entry (the Live
 * object) keeps only its tuple, its row number and its few lists.
 *
 * Why: as fields of objects (the entry, the live connection, two DirectionStats, two direction
 * states, and a boxed number for each double) a connection held 1.16 kB of heap while open, which
 * every young-generation collection it lives through copies, and with 200,000 connections open at
 * once the full collections mark; its row takes 192 bytes the collector never sees. Rows are
 * reused, and a packet finds its connection's numbers in two or three cache lines of one row
 * instead of six objects (docs/capture.md).
 *
 * A row is 24 slots of 8 bytes: 7 doubles (times, byte counts), then 34 words of 32 bits, read
 * signed or unsigned (sequence numbers) through two views of the same memory. Each part of the
 * tracker owns some of them, named in its own module from the bases below.
 */
export const ROW_DOUBLES = 7;
const ROW_WORDS = 34;
const ROW_SLOTS = ROW_DOUBLES + ROW_WORDS / 2;

/** The doubles: the table's times (last packet, the one before, closing, retiring), the tracker's first time, the reassembler's byte counts. */
export const TABLE_DOUBLES = 0;
export const TRACKER_DOUBLES = 4;
export const REASSEMBLY_DOUBLES = 5;
/** The words: the tracker's (7), the table's (1), the packet log's (8), the reassembler's (9 per direction). */
export const TRACKER_WORDS = 0;
export const TABLE_WORDS = 7;
export const LOG_WORDS = 8;
export const REASSEMBLY_WORDS = 16;

export class ConnectionRows {
  f64: Float64Array<ArrayBuffer>;
  i32: Int32Array<ArrayBuffer>;
  u32: Uint32Array<ArrayBuffer>;
  /** Rows given back, to be given out again first. */
  private free: number[] = [];
  /** Rows ever given out. */
  private used = 0;

  constructor(initialRows = 1024) {
    this.f64 = new Float64Array(0);
    this.i32 = new Int32Array(0);
    this.u32 = new Uint32Array(0);
    // Set twice from the start: V8 compiles a field set once as a constant into the code that
    // reads it, and the first growth would then throw away the code of every part of the tracker
    // (about 25 functions compiled again; 0.3 billion instructions on a 10,000-connection capture).
    this.allocate(initialRows * ROW_SLOTS);
  }

  /** A row of zeros. The arrays are replaced when they grow: read them from here after a take. */
  take(): number {
    const row = this.free.length > 0 ? this.free.pop()! : this.used++;
    if ((row + 1) * ROW_SLOTS > this.f64.length) this.grow();
    this.f64.fill(0, row * ROW_SLOTS, (row + 1) * ROW_SLOTS);
    return row;
  }

  release(row: number): void {
    this.free.push(row);
  }

  /** Where a row's doubles start in f64. */
  doubles(row: number): number {
    return row * ROW_SLOTS;
  }

  /** Where a row's words start in i32 and u32. */
  words(row: number): number {
    return (row * ROW_SLOTS + ROW_DOUBLES) * 2;
  }

  private grow(): void {
    const old = this.f64;
    this.allocate(old.length * 2);
    this.f64.set(old);
  }

  private allocate(slots: number): void {
    const buf = new ArrayBuffer(slots * 8);
    this.f64 = new Float64Array(buf);
    this.i32 = new Int32Array(buf);
    this.u32 = new Uint32Array(buf);
  }
}
