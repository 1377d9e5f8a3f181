import { UsageError } from './exit.js';
import { redact, renderMarkdown, renderTerminal, useColor, type RedactMode, type Report } from '@tlsdoctor/report';

export type Format = 'table' | 'json' | 'markdown';

export function render(report: Report, format: Format, redactMode: RedactMode, verbose: boolean, limit: number): string {
  const r = redact(report, redactMode);
  if (format === 'json') return JSON.stringify(r, null, 2) + '\n';
  if (format === 'markdown') return renderMarkdown(r, limit);
  return renderTerminal(r, { color: useColor(process.stdout), verbose, width: process.stdout.columns, limit });
}

/** Which connections' facts a report can print: all for JSON, failures for Markdown, all with --verbose. */
export function factsWanted(format: Format, verbose: boolean): (outcome: string) => boolean {
  if (format === 'json' || verbose) return () => true;
  if (format === 'markdown') return (outcome) => outcome !== 'ok';
  return () => false;
}

export function parseRedact(v: unknown): RedactMode {
  if (v === undefined || v === false) return 'none';
  if (v === true || v === '' || v === 'clients') return 'clients';
  if (v === 'all') return 'all';
  throw new UsageError(`--redact takes no value, or "all" (got "${String(v)}")`);
}
