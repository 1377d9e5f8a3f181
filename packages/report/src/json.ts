import type { Report } from './model.js';
import { redactor, type RedactMode } from './redact.js';

/** Output is handed on in pieces of about this size. */
const PIECE = 1 << 20;

/**
 * Writes a report as indented JSON, exactly as `JSON.stringify(report, null, 2)` would, but one
 * connection (or target) at a time: the whole text is never one string. A capture of 100,000
 * connections gives 400 MB of JSON, close to the longest string V8 can hold (2^29 characters),
 * which a larger capture would exceed.
 */
export function writeJson(report: Report, mode: RedactMode, write: (piece: string) => void): void {
  const redact = redactor(report, mode);
  const key = report.connections ? 'connections' : report.targets ? 'targets' : undefined;
  const items = key ? report[key]! : [];
  if (!key || items.length === 0 || Object.keys(report).pop() !== key) {
    write(JSON.stringify(redact(report), null, 2) + '\n');
    return;
  }
  const rest: Partial<Report> = { ...report };
  delete rest[key];
  // The report without its list ends in "\n}": the list goes in as its last member.
  let out = JSON.stringify(redact(rest), null, 2).slice(0, -2) + `,\n  ${JSON.stringify(key)}: [\n`;
  for (let i = 0; i < items.length; i++) {
    // JSON escapes line breaks inside strings, so every line break here is the layout's own.
    out += '    ' + JSON.stringify(redact(items[i]), null, 2).replace(/\n/g, '\n    ') + (i < items.length - 1 ? ',\n' : '\n');
    if (out.length >= PIECE) {
      write(out);
      out = '';
    }
  }
  write(out + '  ]\n}\n');
}
