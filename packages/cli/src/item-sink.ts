import type { RedactMode } from '@tlsdoctor/report';
import { JsonSpool } from './json-spool.js';
import { NdjsonWriter } from './ndjson.js';
import { writeReport, type Format } from './output.js';
import { withConnections, type ItemSink } from './report-sink.js';
import { ShownItems } from './shown-items.js';
import { writeOut } from './stdout.js';

/** Where the report's items go, by format: all of them spooled (JSON), a line each as they come (NDJSON), or those a table or Markdown shows. */
export function itemSink(o: { format: Format; redact: RedactMode; verbose: boolean; limit: number }): ItemSink {
  if (o.format === 'json') return new JsonSpool(o.redact, writeOut);
  if (o.format === 'ndjson') return new NdjsonWriter(o.redact, writeOut);
  return new ShownItems(o.limit, (report) => writeReport(withConnections(report, report.connections), o.format, o.redact, o.verbose, o.limit));
}

