import type { Report, ReportItem } from './model.js';

export type RedactMode = 'none' | 'clients' | 'all';

/**
 * Replaces client addresses (and with 'all' also server addresses and server names) by stable
 * placeholders, everywhere in the report: the same address gets the same placeholder in every
 * connection, evidence line and fact, so a redacted report still reads.
 */
export function redact(report: Report, mode: RedactMode): Report {
  return redactor(report, mode)(report);
}

/**
 * The redaction of a report as a function that can be applied to the report or to any part of
 * it (one connection at a time, when a large report is written piece by piece). The placeholders
 * are numbered over the whole report either way.
 */
export function redactor(report: Report, mode: RedactMode): <T>(v: T) => T {
  if (mode === 'none') return (v) => v;
  const map = new Map<string, string>();
  const counts = new Map<string, number>();
  const add = (value: string | null | undefined, prefix: string) => {
    if (!value || map.has(value)) return;
    const n = (counts.get(prefix) ?? 0) + 1;
    counts.set(prefix, n);
    map.set(value, `${prefix}-${n}`);
  };
  const items: ReportItem[] = [...(report.connections ?? []), ...(report.targets ?? [])];
  for (const it of items) add(it.client?.ip, 'client');
  if (mode === 'all') {
    for (const it of items) add(it.server.ip, 'server');
    for (const it of items) add(it.sni, 'host');
    for (const t of report.input.targets ?? []) add(t, 'host');
  }
  if (map.size === 0) return (v) => v;
  const replace = replacer(map);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return replace(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return <T>(v: T) => walk(v) as T;
}

/** Characters of an address or a name, and of the address:port form reports write. */
const TOKEN = /[\w.:-]+/g;
const WITH_PORT = /^(.+):(\d{1,5})$/;

/**
 * A function that replaces each known value in a string, as a whole word: never inside a longer
 * address or name (`10.0.0.1` is not found in `10.0.0.10`, `example.com` not in
 * `www.example.com`), but before a port (`10.0.0.1:443`, `fd00::1:443`) or a full stop.
 * Each run of address characters is looked up in the map, so the cost does not grow with the
 * number of values (a capture can hold 100,000 clients); values with other characters (a server
 * name can hold anything) are few and go through one pattern of their own.
 */
function replacer(map: Map<string, string>): (s: string) => string {
  const whole = (run: string): string | undefined => {
    const exact = map.get(run);
    if (exact) return exact;
    let end = run.length;
    while (end > 0 && run[end - 1] === '.') end--;
    const body = run.slice(0, end);
    const hit = map.get(body);
    if (hit) return hit + run.slice(end);
    const m = WITH_PORT.exec(body);
    const host = m && map.get(m[1]);
    return host ? `${host}:${m[2]}${run.slice(end)}` : undefined;
  };
  const odd = [...map.keys()].filter((k) => !/^[\w.:-]+$/.test(k));
  const oddPattern = odd.length === 0
    ? undefined
    : new RegExp(`(?<![\\w.:-])(${odd.sort((a, b) => b.length - a.length).map(escape).join('|')})(?![\\w:-]|\\.\\w)`, 'g');
  return (s) => {
    const out = s.replace(TOKEN, (run) => whole(run) ?? run);
    return oddPattern ? out.replace(oddPattern, (m) => map.get(m) ?? m) : out;
  };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
