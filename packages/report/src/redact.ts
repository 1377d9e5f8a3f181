import type { Report, ReportItem } from './model.js';

export type RedactMode = 'none' | 'clients' | 'all';

/**
 * Replaces client addresses (and with 'all' also server addresses and server names) by stable
 * placeholders, everywhere in the report: the same address gets the same placeholder in every
 * connection, evidence line and fact, so a redacted report still reads.
 */
export function redact(report: Report, mode: RedactMode): Report {
  if (mode === 'none') return report;
  const map = new Map<string, string>();
  const add = (value: string | null | undefined, prefix: string) => {
    if (!value || map.has(value)) return;
    const n = [...map.values()].filter((v) => v.startsWith(prefix)).length + 1;
    map.set(value, `${prefix}-${n}`);
  };
  const items: ReportItem[] = [...(report.connections ?? []), ...(report.targets ?? [])];
  for (const it of items) add(it.client?.ip, 'client');
  if (mode === 'all') {
    for (const it of items) add(it.server.ip, 'server');
    for (const it of items) add(it.sni, 'host');
    for (const t of report.input.targets ?? []) add(t, 'host');
  }
  if (map.size === 0) return report;
  // Longest first, and never inside a longer address or name.
  const keys = [...map.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<![\\w.:-])(${keys.map(escape).join('|')})(?![\\w:-]|\\.\\w)`, 'g');
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(pattern, (m) => map.get(m) ?? m);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(report) as Report;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
