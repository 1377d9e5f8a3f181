import { addToSummary, emptySummary, type CaptureItem, type ListlessReport, type NetlogItem, type NetlogReport, type PcapReport, type Report, type ReportItem, type Summary } from '@tlsdoctor/report';
import { worst } from '@tlsdoctor/diagnosis';

/** The items of the reports that read files of connections: a capture's, a browser log's. */
export type FileItem = CaptureItem | NetlogItem;

/** Such a report's head as it is written: everything but the list of connections. */
export type PcapHead = Omit<PcapReport, 'connections'> | Omit<NetlogReport, 'connections'>;

/** The head and its items as one report, each command's items under its own type. */
export function withConnections(head: PcapHead, items: FileItem[]): Report {
  return head.command === 'pcap' ? { ...head, connections: items as CaptureItem[] } : { ...head, connections: items as NetlogItem[] };
}

/**
 * Where a pcap report's items go as their connections are judged, in the order connections end:
 * one kind per output format (a JSON spool, NDJSON lines, the rows a table or Markdown shows).
 * Items come file by file; a file that could not be read is dropped.
 */
export interface ItemSink {
  /** A file begins (its name, as the report will list it). */
  startFile(name: string): void;
  add(it: FileItem): void;
  endFile(): void;
  /** Forgets what the current file added (a file that could not be read). */
  dropFile(): void;
  /** Writes the report: `head`, and the items this sink kept or has still to write. */
  finish(head: PcapHead): void;
}

/**
 * The one way a pcap report is written: every item is counted in the summary, those the filters
 * let through also in the listed summary and handed to the output's item sink. The summaries
 * live here and nowhere else.
 */
export class ReportSink {
  private readonly everything = new SummaryByFile();
  private readonly listed = new SummaryByFile();

  constructor(
    private readonly output: ItemSink,
    private readonly filters: { names: string[]; match: (it: FileItem) => boolean },
  ) {}

  startFile(name: string): void {
    this.output.startFile(name);
  }

  add(it: FileItem): void {
    this.everything.add(it);
    if (!this.filters.match(it)) return;
    this.listed.add(it);
    this.output.add(it);
  }

  endFile(): void {
    this.everything.endFile();
    this.listed.endFile();
    this.output.endFile();
  }

  dropFile(): void {
    this.everything.dropFile();
    this.listed.dropFile();
    this.output.dropFile();
  }

  /** Writes the report; returns its head, with the summary of everything read. */
  finish(head: Omit<PcapReport, 'connections' | 'summary' | 'listed'> | Omit<NetlogReport, 'connections' | 'summary' | 'listed'>): ListlessReport {
    const filters = this.filters.names;
    const counts = { summary: this.everything.summary, ...(filters.length > 0 ? { listed: { ...this.listed.summary, filters } } : {}) };
    const full: PcapHead = head.command === 'pcap' ? { ...head, ...counts } : { ...head, ...counts };
    this.output.finish(full);
    return full;
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
