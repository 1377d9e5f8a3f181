/**
 * An NSS key log (SSLKEYLOGFILE): one secret a line, `LABEL CLIENT_RANDOM SECRET` in hex, as
 * curl, Chromium, Firefox, Node (`--tls-keylog`), `openssl s_client -keylogfile` and Wireshark's
 * Decryption Secrets Blocks write it. Fed in chunks of text (a file read as it streams), it keeps
 * the secrets the handshake decryption uses, per client random, up to a bound: a key log of
 * gigabytes does not become gigabytes of memory. Bad lines are counted and the first few named
 * with their line numbers; comments and labels it has no use for are passed over.
 */

/** The labels whose secrets open handshake records, and the server's first application records (for its status line only). */
const USED = new Set(['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_EARLY_TRAFFIC_SECRET', 'CLIENT_RANDOM', 'SERVER_TRAFFIC_SECRET_0']);
/** Labels of the format that are understood but not needed here (not errors). */
const KNOWN = new Set(['CLIENT_TRAFFIC_SECRET_0', 'EXPORTER_SECRET', 'EARLY_EXPORTER_SECRET', 'RSA', 'CLIENT_TRAFFIC_SECRET_1', 'SERVER_TRAFFIC_SECRET_1']);
/** Secret sizes: 48 (TLS 1.2 master secret, SHA-384 suites) or 32 (SHA-256 suites). */
const SIZES = new Set([32, 48]);
/** Sessions kept at most (about 200 bytes each). */
export const MAX_SESSIONS = 500_000;
/** Bad lines named at most; the rest are only counted. */
const MAX_NAMED = 5;
/** A line longer than this is not a key log line (and is not buffered past it). */
const MAX_LINE = 512;

export interface KeyLogProblem {
  source: string;
  line: number;
  message: string;
  /** The line's secret was kept: only what followed it was passed over. */
  secretKept?: true;
}

export class KeyLog {
  private readonly sessions = new Map<string, Map<string, Uint8Array>>();
  /** Lines read, secrets kept, and sessions left out at the bound. */
  lines = 0;
  secrets = 0;
  dropped = 0;
  badLines = 0;
  /** Lines whose secret was kept though characters followed it. */
  tolerated = 0;
  readonly problems: KeyLogProblem[] = [];
  private partial = '';
  private lineNo = 0;
  private source = '';
  private skipping = false;

  /** Starts reading another source (a file, a pcapng block): line numbers restart. */
  begin(source: string): void {
    this.flush();
    this.source = source;
    this.lineNo = 0;
  }

  /** Text of the current source, in any chunks. */
  add(text: string): void {
    let start = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
      this.line(this.skipping ? '' : this.partial + text.slice(start, i), this.skipping);
      this.partial = '';
      this.skipping = false;
      start = i + 1;
    }
    const rest = text.slice(start);
    if (this.skipping) return;
    if (this.partial.length + rest.length > MAX_LINE) {
      this.skipping = true;
      this.partial = '';
      return;
    }
    this.partial += rest;
  }

  /** Ends the current source (its last line may lack a newline). */
  flush(): void {
    if (this.partial || this.skipping) this.line(this.partial, this.skipping);
    this.partial = '';
    this.skipping = false;
  }

  /** A line read whole but for what followed its secret: named with the bad ones, counted apart. */
  private tolerate(message: string): void {
    this.tolerated++;
    if (this.problems.length < MAX_NAMED) this.problems.push({ source: this.source, line: this.lineNo, message, secretKept: true });
  }

  private bad(message: string): void {
    this.badLines++;
    if (this.problems.length < MAX_NAMED) this.problems.push({ source: this.source, line: this.lineNo, message });
  }

  private line(raw: string, tooLong: boolean): void {
    this.lineNo++;
    this.lines++;
    if (tooLong) return this.bad(`longer than ${MAX_LINE} characters: not a key log line`);
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    // As Wireshark reads a line: the label, the random, then the secret's hex digits; whatever
    // follows a secret of a valid length (a comment, a Decryption Secrets Block's padding) is
    // passed over, and said.
    const m = /^(\S+)\s+(\S+)\s+([0-9a-fA-F]*)(.*)$/.exec(text);
    if (!m) return this.bad(`"${text.slice(0, 40)}": not LABEL CLIENT_RANDOM SECRET`);
    const [, label, random, digits, after] = m;
    if (!USED.has(label)) {
      if (!KNOWN.has(label)) this.bad(`unknown label ${label.slice(0, 40)}`);
      return;
    }
    if (!/^[0-9a-fA-F]{64}$/.test(random)) return this.bad(`${label}: the client random is not 64 hex digits`);
    const secret = after === '' ? digits : digits.slice(0, longestSecret(label, digits.length));
    if (secret === '' || secret.length % 2 !== 0) return this.bad(`${label}: the secret is not hex`);
    if (!SIZES.has(secret.length / 2)) return this.bad(`${label}: a secret of ${secret.length / 2} bytes (32 or 48 expected)`);
    if (label === 'CLIENT_RANDOM' && secret.length !== 96) return this.bad(`${label}: a master secret of ${secret.length / 2} bytes (48 expected)`);
    const rest = digits.slice(secret.length) + after;
    if (rest.trim() !== '') this.tolerate(`${label}: ${rest.length} character(s) after the secret ("${rest.trim().slice(0, 20)}") passed over; the secret was kept`);
    const key = random.toLowerCase();
    let session = this.sessions.get(key);
    if (!session) {
      if (this.sessions.size >= MAX_SESSIONS) {
        this.dropped++;
        return;
      }
      session = new Map();
      this.sessions.set(key, session);
    }
    if (!session.has(label)) this.secrets++;
    session.set(label, fromHex(secret));
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** The secret logged for a client random (32 bytes), or undefined. */
  secret(clientRandom: Uint8Array, label: 'CLIENT_HANDSHAKE_TRAFFIC_SECRET' | 'SERVER_HANDSHAKE_TRAFFIC_SECRET' | 'CLIENT_EARLY_TRAFFIC_SECRET' | 'CLIENT_RANDOM' | 'SERVER_TRAFFIC_SECRET_0'): Uint8Array | undefined {
    return this.sessions.get(toHex(clientRandom))?.get(label);
  }

  /** Whether any secret was logged for this client random. */
  has(clientRandom: Uint8Array): boolean {
    return this.sessions.has(toHex(clientRandom));
  }
}

/**
 * How many of a run of hex digits followed by other characters make the secret: a master secret
 * is 48 bytes, a TLS 1.3 secret 48 or 32 (the longest that fits, as Wireshark's reader takes it).
 */
function longestSecret(label: string, digits: number): number {
  if (digits >= 96) return 96;
  return label === 'CLIENT_RANDOM' || digits < 64 ? digits : 64;
}

function fromHex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}
