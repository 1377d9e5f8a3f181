import { UsageError } from './exit.js';
import { NdjsonWriter } from './ndjson.js';
import { writeOut } from './stdout.js';
import { itemsOf, listless, redact, renderMarkdown, renderTerminal, useColor, writeJson, type RedactMode, type Report } from '@tlsdoctor/report';

export type Format = 'table' | 'json' | 'markdown' | 'ndjson';

/** Writes the report to stdout; JSON goes out piece by piece, never as one string. */
export function writeReport(report: Report, format: Format, redactMode: RedactMode, verbose: boolean, limit: number): void {
  const write = (s: string) => void writeOut(s);
  if (format === 'json') return writeJson(report, redactMode, write);
  if (format === 'ndjson') {
    const lines = new NdjsonWriter(redactMode, write);
    for (const it of itemsOf(report)) lines.add(it);
    return lines.writeSummary(listless(report));
  }
  const r = redact(report, redactMode);
  if (format === 'markdown') return write(renderMarkdown(r, limit));
  write(renderTerminal(r, { color: useColor(process.stdout), verbose, width: process.stdout.columns, limit }));
}

/** Which connections' facts a report can print: all for JSON, failures for Markdown, all with --verbose. */
export function factsWanted(format: Format, verbose: boolean): (outcome: string) => boolean {
  if (format === 'json' || format === 'ndjson' || verbose) return () => true;
  if (format === 'markdown') return (outcome) => outcome !== 'ok';
  return () => false;
}

export function parseRedact(v: unknown): RedactMode {
  if (v === undefined || v === false) return 'none';
  if (v === true || v === '' || v === 'clients') return 'clients';
  if (v === 'all') return 'all';
  throw new UsageError(`--redact takes no value, or "all" (got "${String(v)}")`);
}
