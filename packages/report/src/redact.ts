import { itemsOf, type Report, type ReportItem } from './model.js';
import { IDENTIFIERS, type IdentifierKind } from './identifiers.js';

export type RedactMode = 'none' | 'clients' | 'all';

type Kind = IdentifierKind | 'files';

/**
 * Each kind of value a redaction replaces, in the order values are numbered (a value found as
 * two kinds takes the first), its placeholder and the mode from which it is replaced.
 */
const KINDS: { kind: Kind; prefix: string; from: Exclude<RedactMode, 'none'> }[] = [
  { kind: 'clients', prefix: 'client', from: 'clients' },
  { kind: 'servers', prefix: 'server', from: 'all' },
  { kind: 'hops', prefix: 'hop', from: 'all' },
  { kind: 'hosts', prefix: 'host', from: 'all' },
  { kind: 'labels', prefix: 'name', from: 'all' },
  { kind: 'certificates', prefix: 'cert', from: 'all' },
  { kind: 'files', prefix: 'capture', from: 'all' },
];

/** The kinds a mode replaces, in numbering order. */
function kindsFor(mode: RedactMode): typeof KINDS {
  return mode === 'none' ? [] : KINDS.filter((k) => mode === 'all' || k.from === mode);
}

/**
 * Replaces client addresses (and with 'all' every other address, name, certificate and file
 * name the report holds) by stable placeholders, everywhere in the report: the same value gets
 * the same placeholder in every connection, evidence line and fact, so a redacted report still
 * reads.
 */
export function redact<R extends Report>(report: R, mode: RedactMode): R {
  return redactor(report, mode)(report);
}

/**
 * The redaction of a report as a function that can be applied to the report or to any part of
 * it (one connection at a time, when a large report is written piece by piece). The placeholders
 * are numbered over the whole report either way.
 */
export function redactor(report: Report, mode: RedactMode): <T>(v: T) => T {
  const keys = new RedactionKeys();
  itemsOf(report).forEach((it, i) => keys.note(it, i));
  // Every command that reads files: a path may hold a customer's or a user's name.
  if (report.command !== 'probe') report.input.files.forEach((f, i) => keys.noteFile(f.path, i));
  return keys.redactor(mode);
}

/**
 * The values a redaction replaces, noted item by item in any order, each with the place of the
 * item in the report: the placeholders come out numbered as if the items had been read in report
 * order (client-1 is the first connection's client), so a report written from items that arrive
 * as their connections end reads the same as one built whole. Holds one entry per distinct value.
 * Values are compared without case: names are, and IPv6 addresses are written both ways.
 */
export class RedactionKeys {
  private readonly seen = new Map<Kind, Map<string, number>>(KINDS.map((k) => [k.kind, new Map()]));

  /** `order`: the item's place in the report (any increasing numbering will do). */
  note(it: ReportItem, order: number): void {
    for (const [kind, v] of valuesOf(it)) this.add(kind, v, order);
  }

  /** An input file's name, `order` its place among the files. */
  noteFile(path: string, order: number): void {
    this.add('files', path, order);
  }

  /** Takes in what another collection noted (a file's items, once the file has been read whole). */
  absorb(other: RedactionKeys): void {
    for (const [kind, m] of other.seen) for (const [v, order] of m) this.add(kind, v, order);
  }

  private add(kind: Kind, value: string | null | undefined, order: number): void {
    if (!value) return;
    const m = this.seen.get(kind)!;
    const v = value.toLowerCase();
    const seen = m.get(v);
    if (seen === undefined || order < seen) m.set(v, order);
  }

  redactor(mode: RedactMode): <T>(v: T) => T {
    const map = this.placeholders(mode);
    if (map.size === 0) return (v) => v;
    return walker(replacer(map));
  }

  /**
   * The same redaction applied to JSON text: every string value (not the keys) is redacted as
   * the redactor would redact it in the object, and the text around it is left as it is, so the
   * result is the JSON.stringify of the redacted object, without parsing the text into objects.
   */
  textRedactor(mode: RedactMode): (json: string) => string {
    const map = this.placeholders(mode);
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

  /** Each value to replace (lower case) and its placeholder, numbered in report order within its kind. */
  private placeholders(mode: RedactMode): Map<string, string> {
    const map = new Map<string, string>();
    for (const { kind, prefix } of kindsFor(mode)) {
      let n = 0;
      for (const v of inOrder(this.seen.get(kind)!)) if (!map.has(v)) map.set(v, `${prefix}-${++n}`);
    }
    return map;
  }
}

/** Every value an item names, with its kind. */
function* valuesOf(it: ReportItem): Generator<[IdentifierKind, string]> {
  if (it.client) yield ['clients', it.client.ip];
  if (it.server) yield ['servers', it.server.ip];
  if (it.sni) yield ['hosts', it.sni];
  const ids = it[IDENTIFIERS];
  if (!ids) return;
  for (const kind of Object.keys(ids) as IdentifierKind[]) for (const v of ids[kind]) yield [kind, v];
}

/** Applies `replace` to every string value (not the keys) of a value. */
function walker(replace: (s: string) => string): <T>(v: T) => T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return replace(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return <T>(v: T) => walk(v) as T;
}

/**
 * The redaction of a report written while it is made (one line per connection as it ends): a
 * value gets its placeholder when the first item naming it is written, numbered within its kind
 * in the order values appear, and keeps it for the rest of the report.
 */
export class StreamingRedaction {
  private readonly replacer = new Replacer();
  private readonly counts = new Map<string, number>();
  private readonly kinds: Set<Kind>;
  private readonly walk: <T>(v: T) => T;

  constructor(mode: RedactMode) {
    this.kinds = new Set(kindsFor(mode).map((k) => k.kind));
    this.walk = walker((s) => this.replacer.replace(s));
  }

  /** The item redacted, its values registered first. */
  item(it: ReportItem): ReportItem {
    const found = new Map<Kind, string[]>();
    for (const [kind, v] of valuesOf(it)) (found.get(kind) ?? found.set(kind, []).get(kind)!).push(v);
    // Within one item, kinds are numbered in the order of KINDS, as a whole report numbers them.
    for (const { kind } of KINDS) for (const v of found.get(kind) ?? []) this.register(kind, v);
    return this.apply(it);
  }

  /** An input file's name. */
  file(path: string): void {
    this.register('files', path);
  }

  /** Any value redacted with the placeholders registered so far. */
  apply<T>(v: T): T {
    return this.kinds.size === 0 ? v : this.walk(v);
  }

  private register(kind: Kind, value: string): void {
    if (!this.kinds.has(kind)) return;
    const v = value.toLowerCase();
    if (!v || this.replacer.has(v)) return;
    const prefix = KINDS.find((k) => k.kind === kind)!.prefix;
    const n = (this.counts.get(prefix) ?? 0) + 1;
    this.counts.set(prefix, n);
    this.replacer.set(v, `${prefix}-${n}`);
  }
}

/** A JSON string literal, and the colon after it when it is an object's key. */
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"(\s*:)?/g;

function inOrder(m: Map<string, number>): string[] {
  return [...m].sort((a, b) => a[1] - b[1]).map(([v]) => v);
}

/** Characters of an address or a name, and of the address:port form reports write. */
const TOKEN = /[\w.:-]+/g;
const WITH_PORT = /^(.+):(\d{1,5})$/;
/** A label before a value, as TLS libraries write subjectAltNames (`DNS:example.com`). */
const LABELLED = /^([A-Za-z]+:)(.+)$/;

/**
 * A function that replaces each known value in a string, as a whole word: never inside a longer
 * address or name (`10.0.0.1` is not found in `10.0.0.10`, `example.com` not in
 * `www.example.com`), but before a port (`10.0.0.1:443`, `fd00::1:443`), a full stop or a colon,
 * and after a label (`DNS:example.com`).
 */
function replacer(map: Map<string, string>): (s: string) => string {
  const r = new Replacer();
  for (const [v, p] of map) r.set(v, p);
  return (s) => r.replace(s);
}

/**
 * Values (lower case) and their placeholders, to which more can be added as a report is written.
 * Each run of address characters is looked up in the map, so the cost does not grow with the
 * number of values (a capture can hold 100,000 clients); values with other characters
 * (`*.example.com`, an organisation's name, a file's path) are few and go first, through one
 * pattern of their own, so a name inside them cannot split them.
 */
class Replacer {
  private readonly map = new Map<string, string>();
  private readonly odd: string[] = [];
  private oddPattern: RegExp | null | undefined = null;

  get size(): number {
    return this.map.size;
  }

  has(value: string): boolean {
    return this.map.has(value);
  }

  set(value: string, placeholder: string): void {
    this.map.set(value, placeholder);
    if (!/^[\w.:-]+$/.test(value)) {
      this.odd.push(value);
      this.oddPattern = undefined;
    }
  }

  replace(s: string): string {
    const odd = this.pattern();
    const out = odd ? s.replace(odd, (m) => this.map.get(m.toLowerCase()) ?? m) : s;
    return out.replace(TOKEN, (run) => this.whole(run) ?? run);
  }

  private pattern(): RegExp | null {
    if (this.odd.length === 0) return null;
    if (this.oddPattern === undefined) {
      const alternatives = [...this.odd].sort((a, b) => b.length - a.length).map(escape).join('|');
      this.oddPattern = new RegExp(`(?<![\\w.-])(${alternatives})(?![\\w-]|\\.\\w)`, 'gi');
    }
    return this.oddPattern;
  }

  private whole(run: string): string | undefined {
    const hit = this.bare(run);
    if (hit) return hit;
    const m = LABELLED.exec(run);
    const value = m && this.bare(m[2]);
    return value ? m[1] + value : undefined;
  }

  private bare(run: string): string | undefined {
    const map = this.map;
    const lc = run.toLowerCase();
    const exact = map.get(lc);
    if (exact) return exact;
    let end = lc.length;
    while (end > 0 && (lc[end - 1] === '.' || lc[end - 1] === ':')) end--;
    const body = lc.slice(0, end);
    const hit = map.get(body);
    if (hit) return hit + run.slice(end);
    const m = WITH_PORT.exec(body);
    const host = m && map.get(m[1]);
    return host ? `${host}:${m[2]}${run.slice(end)}` : undefined;
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
