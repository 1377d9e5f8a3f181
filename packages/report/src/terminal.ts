import { boxTable, displayWidth, leadingColumns, visible } from './box-table.js';
import { hasDetails, itemsWithDetails, listedSummary, type Report, type ReportItem } from './model.js';
import { bold, paint } from './style.js';
import { textLadder } from './picture.js';
import { cipherLines } from './cipher-view.js';
import { clientsSay } from './clients-say.js';
import { withView, type InputEntry, type ItemView } from './views.js';

export interface TerminalOptions {
  color: boolean;
  verbose: boolean;
  /** Table rows at most (0: all); the rows shown are the ones whose details follow. */
  limit?: number;
  /** Terminal width, to size the table (80 when not given: a report pasted elsewhere). */
  width?: number;
}

/**
 * Column widths (cell text plus one space each side) that fit `width`: the widest column above
 * its minimum gives way first, and its cells wrap. When every column is at its minimum the table
 * is let run wider: a diagnosis code cut in half would be worse.
 */
export function fitColumns(natural: number[], min: number[], width: number): number[] {
  const widths = [...natural];
  // Each column has a border before it, and the table one after.
  const room = width - (widths.length + 1);
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > room) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (widths[i] > min[i] && (widest < 0 || widths[i] > widths[widest])) widest = i;
    if (widest < 0) break;
    widths[widest]--;
    total--;
  }
  return widths;
}

/**
 * A cut inside a port (`198.51.100.7:44` | `3`) moves back to before its colon, so that the
 * port stays whole on the next line; a head that would then be empty is kept as it was.
 */
function portWhole(line: string, head: string): string {
  if (!/^\d/.test(line.slice(head.length))) return head;
  const colon = /:\d*$/.exec(head);
  return colon && colon.index > 0 ? head.slice(0, colon.index) : head;
}

/** Lines of at most `width` columns: broken at spaces, and inside a word only when it is longer than a line. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const joined = line ? `${line} ${word}` : word;
    if (displayWidth(joined) <= width) {
      line = joined;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (displayWidth(line) > width) {
      const head = portWhole(line, leadingColumns(line, width));
      lines.push(head);
      line = line.slice(head.length);
    }
  }
  lines.push(line);
  return lines;
}

export function summaryLine(report: Report): string {
  return withView(report, (view) => summaryWords(report, view.counted));
}

function summaryWords(report: Report, counted: readonly [string, string]): string {
  const s = report.summary;
  const listed = report.listed ? `; ${report.listed.total} listed (${report.listed.filters.join(' ')})` : '';
  const parts = [`${s.total} ${counted[s.total === 1 ? 0 : 1]}`];
  const words = { error: ['error', 'errors'], warning: ['warning', 'warnings'], info: ['info', 'info'], ok: ['healthy', 'healthy'] } as const;
  for (const sev of ['error', 'warning', 'info', 'ok'] as const) {
    const n = s.bySeverity[sev];
    if (n > 0) parts.push(`${n} ${words[sev][n === 1 ? 0 : 1]}`);
  }
  // Most frequent first; equal counts by name, whatever order the items came in.
  const codes = Object.entries(s.byCode).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([c, n]) => `${c}×${n}`).join(', ');
  return `${parts.join(', ')}${codes ? ` (${codes})` : ''}${listed}`;
}

export function renderTerminal(report: Report, opts: TerminalOptions): string {
  return withView(report, (view, items) => terminal(report, view, items, opts));
}

/** The report's head: the command, its inputs, what each file's reading said, and the summary. */
function headLines<I extends ReportItem>(report: Report, view: ItemView<I>, c: boolean): string[] {
  const entry = (e: InputEntry) => `${e.label}${e.name}${e.read ? ` (${e.read.format ?? '?'}${e.read.gzip ? ', gzip' : ''}, ${e.read.packets} packets)` : ''}`;
  const lines = [`${bold('tlsdoctor', c)} ${report.command} ${view.inputs.map(entry).join(', ')}`];
  for (const e of view.inputs) {
    // With several files, the same warning for each would read as one said over and over: each
    // line carries its file's number from the list above.
    lines.push(...e.notes);
    for (const w of e.warnings) lines.push(paint(`${e.label}warning: ${w}`, 'warning', c));
    if (e.error) lines.push(paint(`${e.label}error: ${e.error}`, 'error', c));
  }
  lines.push(...view.headNotes, summaryLine(report));
  return lines;
}

function terminal<I extends ReportItem>(report: Report, view: ItemView<I>, items: readonly I[], opts: TerminalOptions): string {
  const c = opts.color;
  const lines = headLines(report, view, c);
  if (items.length === 0) return lines.join('\n') + '\n';
  const limit = opts.limit ?? 200;
  const rows = limit > 0 ? items.slice(0, limit) : items;
  lines.push(table(view, rows, opts));
  // The counts come from the summary: a large report keeps only the items it shows.
  const total = listedSummary(report).total;
  if (rows.length < total) lines.push(`… ${total - rows.length} more; --limit 0 shows all, --format json gives everything, --failures-only and --sni/--host/--port narrow it`);
  // Details belong to the rows shown: one limit for both.
  let details = 0;
  for (const it of rows) {
    const ciphers = view.ciphers(it);
    if (!hasDetails(it, !!opts.verbose) && !ciphers) continue;
    // A healthy address shown only for its --ciphers list is not one of the detail sections counted.
    if (hasDetails(it, !!opts.verbose)) details++;
    lines.push('', bold(view.heading(it), c), ...detailLines(view, it, opts));
  }
  const skipped = itemsWithDetails(listedSummary(report), !!opts.verbose) - details;
  if (skipped > 0) lines.push('', `… details of ${skipped} more ${view.noun}(s) left out; --limit 0 shows all`);
  return lines.join('\n') + '\n';
}

/** The box table of the rows: the view's leading columns, then TLS and the diagnosis. */
function table<I extends ReportItem>(view: ItemView<I>, rows: readonly I[], opts: TerminalOptions): string {
  const c = opts.color;
  const head = [...view.lead, ...(view.tlsColumn ? ['TLS'] : []), 'diagnosis'];
  const width = opts.width ?? 80;
  const cells: { text: string; paint?: (s: string) => string }[][] = rows.map((it) => {
    const primary = it.diagnoses[0];
    const diag = primary ? primary.code + (it.diagnoses.length > 1 ? ` +${it.diagnoses.slice(1).map((d) => d.code).join(', ')}` : '') : '';
    const colour = primary ? (t: string) => t.replace(primary.code, paint(primary.code, primary.severity, c)) : undefined;
    // The cipher only where there is room for it: the version is what tells one row from another.
    const tls = (width >= 120 ? [it.version, it.cipher].filter(Boolean).join(' ') : it.version) || '—';
    // Control characters from a capture (an SNI) are shown escaped.
    return [...view.leadCells(it).map((text) => ({ text: visible(text) })), ...(view.tlsColumn ? [{ text: tls }] : []), { text: diag, paint: colour }];
  });
  const natural = head.map((h, i) => 2 + Math.max(displayWidth(h), ...cells.map((r) => displayWidth(r[i].text))));
  // The label and the primary code stay whole; the rest wraps (an endpoint at its arrow).
  const codes = rows.map((it) => it.diagnoses[0]?.code.length ?? 0);
  const min = natural.map((n, i) => (i === 0 ? n : i === head.length - 1 ? 2 + Math.max(9, ...codes) : Math.min(n, 12)));
  const colWidths = fitColumns(natural, min, width);
  const rowsText = cells.map((r) => r.map((cell, i) => wrap(cell.text, colWidths[i] - 2).map((l) => (cell.paint ? cell.paint(l) : l)).join('\n')));
  return boxTable(c ? head.map((h) => bold(h, c)) : head, rowsText, colWidths);
}

/** An item's details: each finding with its evidence and fix, the --ciphers list, and with --verbose the facts. */
function detailLines<I extends ReportItem>(view: ItemView<I>, it: I, opts: TerminalOptions): string[] {
  const c = opts.color;
  const lines: string[] = [];
  for (const d of it.diagnoses.filter((x) => x.severity !== 'ok' || opts.verbose)) {
    lines.push(`  ${paint(d.code, d.severity, c)}: ${d.title}`);
    for (const e of d.evidence) lines.push(`    - ${visible(e)}`);
    if (d.severity !== 'ok') lines.push(`    Fix: ${d.remedy}`);
    const says = clientsSay(d);
    if (says) lines.push(`    Clients say: ${says}`);
  }
  const ciphers = view.ciphers(it);
  if (ciphers) lines.push('  cipher suites (--ciphers):', ...cipherLines(ciphers).map((l) => `    ${l}`));
  if (opts.verbose) lines.push(...verboseFacts(view, it));
  return lines;
}

function verboseFacts<I extends ReportItem>(view: ItemView<I>, it: I): string[] {
  const out: string[] = [];
  const ch = view.clientHello(it);
  if (ch) {
    out.push('  ClientHello:');
    // An empty list is something the hello did not offer: said so, not left blank.
    for (const [k, v] of Object.entries(ch)) out.push(`    ${k}: ${visible(Array.isArray(v) ? (v.length > 0 ? v.join(', ') : 'none') : String(v))}`);
  }
  // A probe's own hellos are tlsdoctor's, not a client's: it has no fingerprints worth a line.
  if (it.ja3 || it.ja3s || it.ja4) out.push(`  fingerprints: JA3 ${it.ja3 ?? '—'}, JA3S ${it.ja3s ?? '—'}, JA4 ${it.ja4 ?? '—'}`);
  const picture = view.picture(it);
  if (picture) out.push('  the connection, arrow by arrow:', ...textLadder(picture.ladder).map((l) => `    ${l}`));
  return out;
}
