import { itemsOf, LIST_KEY, listless, type ListKey, type ListlessReport, type Report, type ReportItem } from './model.js';
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
  const key = LIST_KEY[report.command];
  const items = itemsOf(report);
  if (items.length === 0 || Object.keys(report).pop() !== key) {
    write(JSON.stringify(redact(report), null, 2) + '\n');
    return;
  }
  writeJsonList(redact(listless(report)), key, items.length, (function* () {
    for (const it of items) yield listItemJson(redact(it));
  })(), write);
}

/**
 * One item of a report's list as `JSON.stringify(report, null, 2)` lays it out there (indented by
 * four spaces, no trailing comma).
 */
export function listItemJson(item: ReportItem): string {
  // Stringified inside a one-item list, the item comes out already indented for its place; the
  // wrapper's own text is cut off. One native pass instead of a second one to indent the lines.
  return JSON.stringify({ x: [item] }, null, 2).slice(WRAP_HEAD.length, -WRAP_TAIL.length);
}

const WRAP_HEAD = '{\n  "x": [\n';
const WRAP_TAIL = '\n  ]\n}';

/**
 * Writes `head` with a list of `count` items as its last member, the items given as the texts of
 * listItemJson, in order: the text of one JSON.stringify of the whole report, made piece by piece.
 */
export function writeJsonList(head: ListlessReport, key: ListKey, count: number, texts: Iterable<string>, write: (piece: string) => void): void {
  if (count === 0) {
    write(JSON.stringify({ ...head, [key]: [] }, null, 2) + '\n');
    return;
  }
  let out = jsonListOpening(head, key);
  let i = 0;
  for (const text of texts) {
    out += text + (++i < count ? ',\n' : '\n');
    if (out.length >= PIECE) {
      write(out);
      out = '';
    }
  }
  if (i !== count) throw new Error(`a report list of ${count} items had ${i}`);
  write(out + JSON_LIST_CLOSING);
}

/**
 * The text of a report up to its list's first item (`head` without the list, which goes in as
 * its last member): what writeJsonList writes first, for a writer that puts the items' text
 * after it itself, each followed by ",\n" and the last by "\n", then JSON_LIST_CLOSING.
 */
export function jsonListOpening(head: ListlessReport, key: ListKey): string {
  // The report without its list ends in "\n}": the list goes in before it.
  return JSON.stringify(head, null, 2).slice(0, -2) + `,\n  ${JSON.stringify(key)}: [\n`;
}

export const JSON_LIST_CLOSING = '  ]\n}\n';
