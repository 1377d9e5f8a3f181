import { addToSummary, detailLimit, emptySummary, hasDetails, type ReportItem, type Summary } from '@tlsdoctor/report';
import { worst } from '@tlsdoctor/diagnosis';

/**
 * Out of report items that arrive in any order (connections end out of order), keeps only those
 * a table or Markdown report shows: the first `limit` rows and the first detail sections, by id
 * within a file and file after file. The rest are only counted (in the summary), so the memory a
 * report takes does not grow with the capture. With limit 0 everything is kept.
 */
export class ShownItems {
  private rowsLeft: number;
  private detailsLeft: number;
  private rows = new MaxIdHeap();
  private details = new MaxIdHeap();
  private all: ReportItem[] | undefined;
  private readonly kept: ReportItem[] = [];
  private readonly counted = new SummaryByFile();

  constructor(limit: number, private readonly verbose: boolean) {
    this.rowsLeft = limit > 0 ? limit : Infinity;
    this.detailsLeft = detailLimit(limit);
    if (limit === 0) this.all = [];
  }

  add(it: ReportItem): void {
    this.counted.add(it);
    if (this.all) {
      this.all.push(it);
      return;
    }
    this.rows.offer(it, this.rowsLeft);
    if (hasDetails(it, this.verbose)) this.details.offer(it, this.detailsLeft);
  }

  /** Closes a file: its items come before any later file's, and use up the limits. */
  endFile(): void {
    const items = this.all ?? [...new Set([...this.rows.items(), ...this.details.items()])];
    items.sort((x, y) => x.id - y.id);
    // One at a time: a spread of a few hundred thousand arguments overflows the stack.
    for (const it of items) this.kept.push(it);
    this.rowsLeft -= this.rows.size;
    this.detailsLeft -= this.details.size;
    this.counted.endFile();
    this.dropFile();
  }

  /** Forgets the current file's items (a file that could not be read). */
  dropFile(): void {
    if (this.all) this.all = [];
    this.rows = new MaxIdHeap();
    this.details = new MaxIdHeap();
    this.counted.dropFile();
  }

  get summary(): Summary {
    return this.counted.summary;
  }

  /** What the report lists, in order. */
  items(): ReportItem[] {
    return this.kept;
  }
}

/**
 * The summary of the items of every file read whole: a file's items count once the file ends,
 * and not at all if it could not be read.
 */
export class SummaryByFile {
  private readonly total: Summary = emptySummary();
  private file: Summary = emptySummary();

  add(it: ReportItem): void {
    addToSummary(this.file, it);
  }

  endFile(): void {
    const s = this.total;
    const f = this.file;
    s.total += f.total;
    for (const k of Object.keys(f.bySeverity) as (keyof Summary['bySeverity'])[]) s.bySeverity[k] += f.bySeverity[k];
    for (const [code, n] of Object.entries(f.byCode)) s.byCode[code] = (s.byCode[code] ?? 0) + n;
    s.worst = worst([s.worst, f.worst]);
    this.dropFile();
  }

  dropFile(): void {
    this.file = emptySummary();
  }

  /**
   * Codes are listed by name: items arrive in the order their connections ended, which should
   * not decide the order of anything printed.
   */
  get summary(): Summary {
    const byCode = Object.fromEntries(Object.entries(this.total.byCode).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { ...this.total, byCode };
  }
}

/** The items with the smallest ids seen, at most `cap` of them, in a heap with the largest id on top. */
class MaxIdHeap {
  private readonly h: ReportItem[] = [];

  get size(): number {
    return this.h.length;
  }

  offer(it: ReportItem, cap: number): void {
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

  items(): ReportItem[] {
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
