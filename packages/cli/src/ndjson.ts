import { StreamingRedaction, type ListlessReport, type RedactMode, type ReportItem } from '@tlsdoctor/report';
import type { ItemSink, PcapHead } from './report-sink.js';

/**
 * `--format ndjson`: one line of JSON per connection, written as soon as the connection is
 * diagnosed (a live capture piped in is reported as it goes), then one line with the report
 * without its list: input, summary. Each line has a `type`: "connection", then "report".
 * Redaction numbers values in the order they first appear, since nothing waits for the end.
 */
export class NdjsonWriter implements ItemSink {
  private readonly redaction: StreamingRedaction;

  constructor(mode: RedactMode, private readonly write: (line: string) => void) {
    this.redaction = new StreamingRedaction(mode);
  }

  startFile(path: string): void {
    this.redaction.file(path);
  }

  add(it: ReportItem): void {
    this.write(JSON.stringify({ type: 'connection', ...this.redaction.item(it) }) + '\n');
  }

  endFile(): void {}

  /** A file that could not be read: its connections were written (the summary does not count them). */
  dropFile(): void {}

  finish(head: PcapHead): void {
    this.writeSummary(head);
  }

  /** The last line: the report without its list. */
  writeSummary(head: ListlessReport): void {
    if (head.command === 'pcap') for (const f of head.input.files) this.redaction.file(f.path);
    this.write(JSON.stringify({ type: 'report', ...this.redaction.apply(head) }) + '\n');
  }
}
