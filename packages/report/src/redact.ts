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
  const keys = new RedactionKeys();
  const items: ReportItem[] = [...(report.connections ?? []), ...(report.targets ?? [])];
  items.forEach((it, i) => keys.note(it, i));
  return keys.redactor(mode, report.input.targets);
}

/**
 * The values a redaction replaces, noted item by item in any order, each with the place of the
 * item in the report: the placeholders come out numbered as if the items had been read in report
 * order (client-1 is the first connection's client), so a report written from items that arrive
 * as their connections end reads the same as one built whole. Holds one entry per distinct value.
 */
export class RedactionKeys {
  private readonly clients = new Map<string, number>();
  private readonly servers = new Map<string, number>();
  private readonly hosts = new Map<string, number>();

  /** `order`: the item's place in the report (any increasing numbering will do). */
  note(it: ReportItem, order: number): void {
    earliest(this.clients, it.client?.ip, order);
    earliest(this.servers, it.server.ip, order);
    earliest(this.hosts, it.sni, order);
  }

  /** Takes in what another collection noted (a file's items, once the file has been read whole). */
  absorb(other: RedactionKeys): void {
    for (const [v, order] of other.clients) earliest(this.clients, v, order);
    for (const [v, order] of other.servers) earliest(this.servers, v, order);
    for (const [v, order] of other.hosts) earliest(this.hosts, v, order);
  }

  redactor(mode: RedactMode, inputTargets: string[] = []): <T>(v: T) => T {
    const map = this.placeholders(mode, inputTargets);
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

  /**
   * The same redaction applied to JSON text: every string value (not the keys) is redacted as
   * the redactor would redact it in the object, and the text around it is left as it is, so the
   * result is the JSON.stringify of the redacted object, without parsing the text into objects.
   */
  textRedactor(mode: RedactMode, inputTargets: string[] = []): (json: string) => string {
    const map = this.placeholders(mode, inputTargets);
    if (map.size === 0) return (json) => json;
    const replace = replacer(map);
    return (json) =>
      json.replace(STRING_LITERAL, (literal: string, key: string | undefined) => {
        if (key !== undefined) return literal;
        // Without escapes the literal's inside is the string itself; placeholders need none.
        if (!literal.includes('\\')) return replace(literal);
        const value = JSON.parse(literal) as string;
        const out = replace(value);
        return out === value ? literal : JSON.stringify(out);
      });
  }

  /** Each value to replace and its placeholder, numbered in report order. */
  private placeholders(mode: RedactMode, inputTargets: string[]): Map<string, string> {
    const map = new Map<string, string>();
    if (mode === 'none') return map;
    const counts = new Map<string, number>();
    const add = (value: string, prefix: string) => {
      if (map.has(value)) return;
      const n = (counts.get(prefix) ?? 0) + 1;
      counts.set(prefix, n);
      map.set(value, `${prefix}-${n}`);
    };
    // A value is numbered once, under the first kind it is found as: clients, then servers, then names.
    for (const v of inOrder(this.clients)) add(v, 'client');
    if (mode === 'all') {
      for (const v of inOrder(this.servers)) add(v, 'server');
      for (const v of inOrder(this.hosts)) add(v, 'host');
      for (const t of inputTargets) if (t) add(t, 'host');
    }
    return map;
  }
}

/** A JSON string literal, and the colon after it when it is an object's key. */
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"(\s*:)?/g;

function earliest(m: Map<string, number>, value: string | null | undefined, order: number): void {
  if (!value) return;
  const seen = m.get(value);
  if (seen === undefined || order < seen) m.set(value, order);
}

function inOrder(m: Map<string, number>): string[] {
  return [...m].sort((a, b) => a[1] - b[1]).map(([v]) => v);
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
