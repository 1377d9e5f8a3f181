import { getHeapStatistics, setFlagsFromString } from 'node:v8';

const MB = 1024 * 1024;

/**
 * Garbage the old generation may gather, at most, before a full collection, while the heap is
 * small. V8 lets the old generation grow to as much as four times what its last full collection
 * left alive: on a capture of short connections (30-60 MB alive, most of it the connections in
 * their wait after closing) it let 150-250 MB of garbage pile up, and peak RSS followed.
 */
const SMALL_HEAP_HEADROOM = 64 * MB;

/**
 * Past this much heap in use, V8 chooses again. A capture of many connections open at once keeps
 * a large heap alive; a full collection at every few tens of megabytes of growth would mark all
 * of it again and again.
 */
const SMALL_HEAP = 128 * MB;

/**
 * The growth V8 may allow past the live heap, in percent, for a heap with `used` bytes in use
 * (garbage included); 0 lets V8 choose. Rounded to tens, so that it changes rarely.
 */
export function growthPercent(used: number): number {
  if (used >= SMALL_HEAP) return 0;
  return Math.min(100, Math.round((100 * SMALL_HEAP_HEADROOM) / Math.max(used, 1) / 10) * 10);
}

/**
 * Keeps V8's old generation from growing far past what is alive while the heap is small, in a
 * process that reads captures. `check` (called as chunks of input are read) sets the growth for
 * the heap in use, and once the heap is large gives the choice back to V8 for good.
 */
export class HeapGrowth {
  private percent: number | undefined;
  private done = false;

  /** One that has set the growth for the heap as it is now. */
  static started(): HeapGrowth {
    const h = new HeapGrowth();
    h.check();
    return h;
  }

  check(): void {
    if (this.done) return;
    const p = growthPercent(getHeapStatistics().used_heap_size);
    if (p === this.percent) return;
    setFlagsFromString(`--heap-growing-percent=${p}`);
    this.percent = p;
    this.done = p === 0;
  }
}
