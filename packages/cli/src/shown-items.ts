import type { FileItem, ItemSink, PcapHead } from './report-sink.js';

/**
 * Out of report items that arrive in any order (connections end out of order), keeps only those
 * a table or Markdown report shows: the first `limit` rows (whose details are the only ones shown), by id
 * within a file and file after file. The rest are only counted (in the summary), so the memory a
 * report takes does not grow with the capture. With limit 0 everything is kept.
 */
export class ShownItems implements ItemSink {
  private rowsLeft: number;
  private rows = new MaxIdHeap();
  private all: FileItem[] | undefined;
  private readonly kept: FileItem[] = [];

  /** `render`: writes the report with the items kept, once they are all in. */
  constructor(limit: number, private readonly render: (report: PcapHead & { connections: FileItem[] }) => void) {
    this.rowsLeft = limit > 0 ? limit : Infinity;
    if (limit === 0) this.all = [];
  }

  startFile(): void {}

  add(it: FileItem): void {
    if (this.all) {
      this.all.push(it);
      return;
    }
    this.rows.offer(it, this.rowsLeft);
  }

  /** Closes a file: its items come before any later file's, and use up the limits. */
  endFile(): void {
    const items = this.all ?? this.rows.items();
    items.sort((x, y) => x.id - y.id);
    // One at a time: a spread of a few hundred thousand arguments overflows the stack.
    for (const it of items) this.kept.push(it);
    this.rowsLeft -= this.rows.size;
    this.dropFile();
  }

  /** Forgets the current file's items (a file that could not be read). */
  dropFile(): void {
    if (this.all) this.all = [];
    this.rows = new MaxIdHeap();
  }

  /** What the report lists, in order. */
  items(): FileItem[] {
    return this.kept;
  }

  finish(head: PcapHead): void {
    this.render({ ...head, connections: this.kept });
  }
}

/** The items with the smallest ids seen, at most `cap` of them, in a heap with the largest id on top. */
class MaxIdHeap {
  private readonly h: FileItem[] = [];

  get size(): number {
    return this.h.length;
  }

  offer(it: FileItem, cap: number): void {
    const h = this.h;
    if (cap <= 0) return;
    if (h.length < cap) {
      h.push(it);
      this.up(h.length - 1);
    } else if (it.id < h[0].id) {
      h[0] = it;
      this.down(0);
    }
  }

  items(): FileItem[] {
    return this.h;
  }

  private up(i: number): void {
    const h = this.h;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p].id >= h[i].id) return;
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.h;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l].id > h[m].id) m = l;
      if (r < h.length && h[r].id > h[m].id) m = r;
      if (m === i) return;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
}
