import { StreamingRedaction, type RedactMode, type Report, type ReportItem } from '@tlsdoctor/report';
import { SummaryByFile } from './shown-items.js';

/**
 * `--format ndjson`: one line of JSON per connection, written as soon as the connection is
 * diagnosed (a live capture piped in is reported as it goes), then one line with the report
 * without its list: input, summary. Each line has a `type`: "connection", then "report".
 * Redaction numbers values in the order they first appear, since nothing waits for the end.
 */
export class NdjsonWriter {
  private readonly redaction: StreamingRedaction;
  private readonly counted = new SummaryByFile();

  constructor(mode: RedactMode, private readonly write: (line: string) => void) {
    this.redaction = new StreamingRedaction(mode);
  }

  startFile(path: string): void {
    this.redaction.file(path);
  }

  add(it: ReportItem): void {
    this.counted.add(it);
    this.write(JSON.stringify({ type: 'connection', ...this.redaction.item(it) }) + '\n');
  }

  endFile(): void {
    this.counted.endFile();
  }

  /** A file that could not be read: its connections were written, but are not counted. */
  dropFile(): void {
    this.counted.dropFile();
  }

  get summary() {
    return this.counted.summary;
  }

  writeSummary(head: Report): void {
    for (const f of head.input.files ?? []) this.redaction.file(f.path);
    this.write(JSON.stringify({ type: 'report', ...this.redaction.apply(head) }) + '\n');
  }
}
