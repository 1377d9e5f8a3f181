import Table from 'cli-table3';
import { detailLimit, formatEndpoint, hasDetails, itemsWithDetails, type Report, type ReportItem } from './model.js';
import { bold, paint } from './style.js';

export interface TerminalOptions {
  color: boolean;
  verbose: boolean;
  /** Table rows at most (0: all); detail blocks stop at a quarter of it, at least 20. */
  limit?: number;
  /** Terminal width, to size the table. */
  width?: number;
}

export function summaryLine(report: Report): string {
  const s = report.summary;
  const noun = report.command === 'pcap' ? (s.total === 1 ? 'TLS connection' : 'TLS connections') : s.total === 1 ? 'address probed' : 'addresses probed';
  const parts = [`${s.total} ${noun}`];
  const words = { error: ['error', 'errors'], warning: ['warning', 'warnings'], info: ['info', 'info'], ok: ['healthy', 'healthy'] } as const;
  for (const sev of ['error', 'warning', 'info', 'ok'] as const) {
    const n = s.bySeverity[sev];
    if (n > 0) parts.push(`${n} ${words[sev][n === 1 ? 0 : 1]}`);
  }
  // Most frequent first; equal counts by name, whatever order the items came in.
  const codes = Object.entries(s.byCode).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([c, n]) => `${c}×${n}`).join(', ');
  return `${parts.join(', ')}${codes ? ` (${codes})` : ''}`;
}

export function renderTerminal(report: Report, opts: TerminalOptions): string {
  const items = report.connections ?? report.targets ?? [];
  const c = opts.color;
  const lines: string[] = [];
  const inputs = report.input.files?.map((f) => `${f.path} (${f.format ?? '?'}${f.gzip ? ', gzip' : ''}, ${f.packets ?? 0} packets)`) ?? report.input.targets ?? [];
  lines.push(`${bold('tlsdoctor', c)} ${report.command} ${inputs.join(', ')}`);
  for (const f of report.input.files ?? []) {
    for (const w of f.warnings) lines.push(paint(`warning: ${w}`, 'warning', c));
    if (f.error) lines.push(paint(`error: ${f.error}`, 'error', c));
  }
  lines.push(summaryLine(report));
  if (items.length === 0) return lines.join('\n') + '\n';
  const limit = opts.limit ?? 200;
  const rows = limit > 0 ? items.slice(0, limit) : items;
  const head = report.command === 'pcap' ? ['#', 'client → server', 'SNI', 'TLS', 'diagnosis'] : ['target', 'address', 'TLS', 'diagnosis'];
  const table = new Table({ head: c ? head.map((h) => bold(h, c)) : head, style: { head: [], border: [] }, wordWrap: true });
  for (const it of rows) {
    const primary = it.diagnoses[0];
    const diag = primary ? paint(primary.code, primary.severity, c) + (it.diagnoses.length > 1 ? ` +${it.diagnoses.slice(1).map((d) => d.code).join(', ')}` : '') : '';
    const tls = [it.version, it.cipher].filter(Boolean).join(' ') || '—';
    if (report.command === 'pcap') table.push([String(it.id), `${formatEndpoint(it.client)} → ${formatEndpoint(it.server)}`, it.sni ?? '(none)', tls, diag]);
    else table.push([it.source, formatEndpoint(it.server), tls, diag]);
  }
  lines.push(table.toString());
  // The counts come from the summary: a large report keeps only the items it shows.
  const total = report.summary.total;
  if (rows.length < total) lines.push(`… ${total - rows.length} more; --limit 0 shows all, --format json gives everything, --failures-only and --sni/--host/--port narrow it`);
  const maxDetails = detailLimit(limit);
  let details = 0;
  for (const it of items) {
    if (details >= maxDetails) break;
    if (!hasDetails(it, !!opts.verbose)) continue;
    const show = it.diagnoses.filter((d) => d.severity !== 'ok' || opts.verbose);
    details++;
    lines.push('');
    const who = report.command === 'pcap' ? `#${it.id} ${formatEndpoint(it.client)} → ${formatEndpoint(it.server)}${it.sni ? ` (${it.sni})` : ''}` : `${it.source} ${formatEndpoint(it.server)}`;
    lines.push(bold(who, c));
    for (const d of show) {
      lines.push(`  ${paint(d.code, d.severity, c)}: ${d.title}`);
      for (const e of d.evidence) lines.push(`    - ${e}`);
      if (d.severity !== 'ok') lines.push(`    Fix: ${d.remedy}`);
    }
    if (opts.verbose) lines.push(...verboseFacts(it));
  }
  const skipped = itemsWithDetails(report.summary, !!opts.verbose) - details;
  if (skipped > 0) lines.push('', `… details of ${skipped} more ${report.command === 'pcap' ? 'connection' : 'address'}(s) left out; --limit 0 shows all`);
  return lines.join('\n') + '\n';
}

function verboseFacts(it: ReportItem): string[] {
  const out: string[] = [];
  const f = it.facts as Record<string, any>;
  const ch = f.clientHello as Record<string, unknown> | null | undefined;
  if (ch) {
    out.push('  ClientHello:');
    for (const [k, v] of Object.entries(ch)) out.push(`    ${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  }
  out.push(`  fingerprints: JA3 ${it.ja3 ?? '—'}, JA3S ${it.ja3s ?? '—'}, JA4 ${it.ja4 ?? '—'}`);
  return out;
}
