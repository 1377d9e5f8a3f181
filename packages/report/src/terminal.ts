import { boxTable, displayWidth, leadingColumns, visible } from './box-table.js';
import { continuationLine, decryptionLine, detailLimit, formatEndpoint, hasDetails, itemLabel, itemsWithDetails, listedSummary, type Report, type ReportItem } from './model.js';
import { bold, paint } from './style.js';
import { ladderFacts, textLadder } from './picture.js';
import { cipherFacts, cipherLines } from './cipher-view.js';
import { clientsSay } from './clients-say.js';

export interface TerminalOptions {
  color: boolean;
  verbose: boolean;
  /** Table rows at most (0: all); detail blocks stop at a quarter of it, at least 20. */
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
      const head = leadingColumns(line, width);
      lines.push(head);
      line = line.slice(head.length);
    }
  }
  lines.push(line);
  return lines;
}

export function summaryLine(report: Report): string {
  const s = report.summary;
  const listed = report.listed ? `; ${report.listed.total} listed (${report.listed.filters.join(' ')})` : '';
  const noun = report.command === 'pcap' ? (s.total === 1 ? 'TLS connection' : 'TLS connections') : s.total === 1 ? 'address probed' : 'addresses probed';
  const parts = [`${s.total} ${noun}`];
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
  const items = report.connections ?? report.targets ?? [];
  const c = opts.color;
  const lines: string[] = [];
  const numbered = (report.input.files?.length ?? 0) > 1;
  const inputs = report.input.files?.map((f, i) => `${numbered ? `[${i + 1}] ` : ''}${f.path} (${f.format ?? '?'}${f.gzip ? ', gzip' : ''}, ${f.packets ?? 0} packets)`) ?? report.input.targets ?? [];
  lines.push(`${bold('tlsdoctor', c)} ${report.command} ${inputs.join(', ')}`);
  for (const [i, f] of (report.input.files ?? []).entries()) {
    const continues = continuationLine(f, i);
    if (continues) lines.push(continues);
    if (f.decryption) lines.push(decryptionLine(f.decryption));
    for (const w of f.warnings) lines.push(paint(`warning: ${w}`, 'warning', c));
    if (f.error) lines.push(paint(`error: ${f.error}`, 'error', c));
  }
  lines.push(summaryLine(report));
  if (items.length === 0) return lines.join('\n') + '\n';
  const limit = opts.limit ?? 200;
  const rows = limit > 0 ? items.slice(0, limit) : items;
  const head = report.command === 'pcap' ? ['#', 'client → server', 'SNI', 'TLS', 'diagnosis'] : ['target', 'address', 'TLS', 'diagnosis'];
  const width = opts.width ?? 80;
  const cells: { text: string; paint?: (s: string) => string }[][] = rows.map((it) => {
    const primary = it.diagnoses[0];
    const diag = primary ? primary.code + (it.diagnoses.length > 1 ? ` +${it.diagnoses.slice(1).map((d) => d.code).join(', ')}` : '') : '';
    const colour = primary ? (t: string) => t.replace(primary.code, paint(primary.code, primary.severity, c)) : undefined;
    // The cipher only where there is room for it: the version is what tells one row from another.
    const tls = (width >= 120 ? [it.version, it.cipher].filter(Boolean).join(' ') : it.version) || '—';
    return report.command === 'pcap'
      ? [{ text: itemLabel(report, it) }, { text: `${formatEndpoint(it.client)} → ${formatEndpoint(it.server)}` }, { text: it.sni == null ? '(none)' : visible(it.sni) }, { text: tls }, { text: diag, paint: colour }]
      : [{ text: visible(it.source) }, { text: formatEndpoint(it.server) }, { text: tls }, { text: diag, paint: colour }];
  });
  const natural = head.map((h, i) => 2 + Math.max(displayWidth(h), ...cells.map((r) => displayWidth(r[i].text))));
  // The label and the primary code stay whole; the rest wraps (an endpoint at its arrow).
  const codes = rows.map((it) => it.diagnoses[0]?.code.length ?? 0);
  const min = natural.map((n, i) => (i === 0 ? n : i === head.length - 1 ? 2 + Math.max(9, ...codes) : Math.min(n, 12)));
  const colWidths = fitColumns(natural, min, width);
  const rowsText = cells.map((r) => r.map((cell, i) => wrap(cell.text, colWidths[i] - 2).map((l) => (cell.paint ? cell.paint(l) : l)).join('\n')));
  lines.push(boxTable(c ? head.map((h) => bold(h, c)) : head, rowsText, colWidths));
  // The counts come from the summary: a large report keeps only the items it shows.
  const total = listedSummary(report).total;
  if (rows.length < total) lines.push(`… ${total - rows.length} more; --limit 0 shows all, --format json gives everything, --failures-only and --sni/--host/--port narrow it`);
  const maxDetails = detailLimit(limit);
  let details = 0;
  for (const it of items) {
    if (details >= maxDetails) break;
    const ciphers = cipherFacts(it);
    if (!hasDetails(it, !!opts.verbose) && !ciphers) continue;
    const show = it.diagnoses.filter((d) => d.severity !== 'ok' || opts.verbose);
    // A healthy address shown only for its --ciphers list is not one of the detail sections counted.
    if (hasDetails(it, !!opts.verbose)) details++;
    lines.push('');
    const who = report.command === 'pcap' ? `#${itemLabel(report, it)} ${formatEndpoint(it.client)} → ${formatEndpoint(it.server)}${it.sni ? ` (${visible(it.sni)})` : ''}` : `${visible(it.source)} ${formatEndpoint(it.server)}`;
    lines.push(bold(who, c));
    for (const d of show) {
      lines.push(`  ${paint(d.code, d.severity, c)}: ${d.title}`);
      for (const e of d.evidence) lines.push(`    - ${visible(e)}`);
      if (d.severity !== 'ok') lines.push(`    Fix: ${d.remedy}`);
      const says = clientsSay(d);
      if (says) lines.push(`    Clients say: ${says}`);
    }
    if (ciphers) lines.push('  cipher suites (--ciphers):', ...cipherLines(ciphers).map((l) => `    ${l}`));
    if (opts.verbose) lines.push(...verboseFacts(it));
  }
  const skipped = itemsWithDetails(listedSummary(report), !!opts.verbose) - details;
  if (skipped > 0) lines.push('', `… details of ${skipped} more ${report.command === 'pcap' ? 'connection' : 'address'}(s) left out; --limit 0 shows all`);
  return lines.join('\n') + '\n';
}

function verboseFacts(it: ReportItem): string[] {
  const out: string[] = [];
  const f = it.facts as Record<string, any>;
  const ch = f.clientHello as Record<string, unknown> | null | undefined;
  if (ch) {
    out.push('  ClientHello:');
    for (const [k, v] of Object.entries(ch)) out.push(`    ${k}: ${visible(Array.isArray(v) ? v.join(', ') : String(v))}`);
  }
  out.push(`  fingerprints: JA3 ${it.ja3 ?? '—'}, JA3S ${it.ja3s ?? '—'}, JA4 ${it.ja4 ?? '—'}`);
  const ladder = ladderFacts(it);
  if (ladder) out.push('  the connection, arrow by arrow:', ...textLadder(ladder).map((l) => `    ${l}`));
  return out;
}
