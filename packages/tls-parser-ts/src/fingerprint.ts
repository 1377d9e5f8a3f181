import type { ClientHello, ServerHello } from './hello.js';
import { hex, hex4 } from './reader.js';
import { isGrease, Version } from './names.js';
import { md5Hex, sha256Hex } from './digest.js';
import { Ext } from './extensions.js';

export interface Ja3 {
  /** The JA3 string: version,ciphers,extensions,groups,point formats (decimal, '-'-joined). */
  string: string;
  hash: string;
}

const notGrease = (v: number) => !isGrease(v);

/**
 * JA3 (Salesforce): GREASE removed from every list, as Wireshark's tls.handshake.ja3 does.
 * The version is the ClientHello's client_version field, not supported_versions.
 */
export function ja3(ch: ClientHello): Ja3 {
  const e = shapeEntry(ch, ja3Seen);
  return e ? (e.ja3 ??= Object.freeze(makeJa3(ch))) : makeJa3(ch);
}

/** JA3 made from the hello itself, never from the shape cache (for the cache's tests). */
export function makeJa3(ch: ClientHello): Ja3 {
  const s = [
    String(ch.legacyVersion),
    ch.cipherSuites.filter(notGrease).join('-'),
    ch.extensionTypes.filter(notGrease).join('-'),
    (ch.supportedGroups ?? []).filter(notGrease).join('-'),
    (ch.ecPointFormats ?? []).join('-'),
  ].join(',');
  return { string: s, hash: md5Cached(s) };
}

/** JA3S: server version, chosen cipher, extensions in order. */
export function ja3s(sh: ServerHello): Ja3 {
  const s = [String(sh.legacyVersion), String(sh.cipherSuite), sh.extensionTypes.filter(notGrease).join('-')].join(',');
  return { string: s, hash: md5Cached(s) };
}

export interface Ja4 {
  /** JA4 (a_b_c). */
  fingerprint: string;
  /** JA4_r: the a part with the sorted, unhashed lists. */
  raw: string;
  /** JA4_o: hashes over the lists in wire order (SNI and ALPN kept). */
  original: string;
  /** JA4_ro: the raw lists in wire order. */
  rawOriginal: string;
}

function ja4Version(v: number): string {
  switch (v) {
    case Version.TLS13: return '13';
    case Version.TLS12: return '12';
    case Version.TLS11: return '11';
    case Version.TLS10: return '10';
    case Version.SSL3: return 's3';
    case Version.SSL2: return 's2';
    case 0xfeff: return 'd1';
    case 0xfefd: return 'd2';
    case 0xfefc: return 'd3';
    default: return '00';
  }
}

function isAlnum(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/**
 * JA4's two ALPN characters from the first ALPN value. Alphanumeric first and last bytes are
 * used as they are. A byte outside ASCII becomes '9': that is what FoxIO's Python and Rust
 * implementations and their published vector (tls-non-ascii-alpn.pcapng) give, where the prose
 * would give hex digits. For ASCII bytes that are not alphanumeric the prose's rule applies:
 * the first and last characters of the value's hex.
 */
function ja4Alpn(ch: ClientHello): string {
  const first = ch.alpnFirstRaw;
  if (!first || first.length === 0) return '00';
  const a = first[0];
  const z = first[first.length - 1];
  if (isAlnum(a) && isAlnum(z)) return String.fromCharCode(a) + String.fromCharCode(z);
  if (a >= 0x80 || z >= 0x80) {
    const c = (b: number) => (b >= 0x80 ? '9' : String.fromCharCode(b));
    return c(a) + c(z);
  }
  const h = hex(first);
  return h[0] + h[h.length - 1];
}

const twoDigits = (n: number) => (n > 99 ? '99' : n < 10 ? `0${n}` : String(n));
const hash12 = (s: string) => (s === '' ? '000000000000' : sha256Cached(s).slice(0, 12));

/**
 * A capture's hellos come from a handful of client builds, so the same lists are hashed again
 * and again (our digests are plain TypeScript, a few microseconds each). Digests are kept for
 * up to CACHE_SIZE inputs of each kind, then the cache starts over. Inputs longer than
 * CACHE_INPUT characters (typical lists are a few hundred; a hostile hello's can be 100,000)
 * are not kept, so the cache stays under a few megabytes whatever a capture holds.
 */
const CACHE_SIZE = 4096;
const CACHE_INPUT = 2048;

function cached(digest: (s: string) => string): (s: string) => string {
  let memo = new Map<string, string>();
  return (s) => {
    if (s.length > CACHE_INPUT) return digest(s);
    let d = memo.get(s);
    if (d === undefined) {
      if (memo.size >= CACHE_SIZE) memo = new Map();
      d = digest(s);
      memo.set(s, d);
    }
    return d;
  };
}

const sha256Cached = cached(sha256Hex);
const md5Cached = cached(md5Hex);

/**
 * Fingerprints kept by the hello's shape (`ClientHello.shape`): hellos of one client build
 * differ in their random, names and key shares but not in their shape, and making the lists a
 * fingerprint hashes costs several times what reading the shape does. A shape's fingerprints
 * are kept from its second hello on: Chrome permutes its extensions and picks new GREASE
 * values for every connection, so its shapes never repeat, and keeping what they made (a few
 * kilobytes each) until the cache started over cost more than making it. Shapes are found by a
 * hash of their bytes and told apart by the bytes themselves, so reading a hello's shape
 * allocates nothing. Up to CACHE_SIZE shapes, then the cache starts over. The objects handed
 * out are shared by every hello of the shape, hence frozen.
 */
interface ShapeEntry {
  readonly bytes: Uint8Array;
  /** Another shape of the same hash. */
  readonly next: ShapeEntry | undefined;
  ja3?: Ja3;
  ja4t?: Ja4;
  ja4q?: Ja4;
  ja4d?: Ja4;
}

/** Longer shapes (a few hundred bytes is usual) are not kept: a hostile hello's could be 16 MB. */
const SHAPE = new Uint8Array(2048);
let kept = new Map<number, ShapeEntry>();

/**
 * The hashes of the shapes one kind of fingerprint has been asked for once. Each kind keeps its
 * own: a hello asked for JA3 and then JA4 is one hello, not two. A hash shared by two shapes only
 * lets the second in early.
 */
const ja3Seen = new Set<number>();
const ja4Seen = new Set<number>();

function shapeEntry(ch: ClientHello, seen: Set<number>): ShapeEntry | undefined {
  const n = ch.shape ? ch.shape(SHAPE) : -1;
  if (n < 0) return undefined;
  const h = shapeHash(SHAPE, n);
  for (let e = kept.get(h); e !== undefined; e = e.next) if (sameBytes(e.bytes, SHAPE, n)) return e;
  if (!seen.has(h)) {
    if (seen.size >= CACHE_SIZE) seen.clear();
    seen.add(h);
    return undefined;
  }
  if (kept.size >= CACHE_SIZE) kept = new Map();
  const e: ShapeEntry = { bytes: SHAPE.slice(0, n), next: kept.get(h) };
  kept.set(h, e);
  return e;
}

/** FNV-1a, cut to 30 bits so that it stays a small integer (a Map key without a heap number); exported for the tests. */
export function shapeHash(b: Uint8Array, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h & 0x3fffffff;
}

function sameBytes(a: Uint8Array, b: Uint8Array, n: number): boolean {
  if (a.length !== n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** JA4 per FoxIO's technical_details/JA4.md; `transport` is 't' for TLS over TCP. */
export function ja4(ch: ClientHello, transport: 't' | 'q' | 'd' = 't'): Ja4 {
  const e = shapeEntry(ch, ja4Seen);
  if (!e) return makeJa4(ch, transport);
  const slot = transport === 't' ? 'ja4t' : transport === 'q' ? 'ja4q' : 'ja4d';
  return (e[slot] ??= Object.freeze(makeJa4(ch, transport)));
}

/** JA4 made from the hello itself, never from the shape cache (for the cache's tests). */
export function makeJa4(ch: ClientHello, transport: 't' | 'q' | 'd'): Ja4 {
  const ciphers = ch.cipherSuites.filter(notGrease);
  const extTypes = ch.extensionTypes.filter(notGrease);
  const hasSni = extTypes.includes(Ext.server_name);
  const sv = ch.supportedVersions?.filter(notGrease);
  const version = sv && sv.length > 0 ? Math.max(...sv) : ch.legacyVersion;
  const a = `${transport}${ja4Version(version)}${hasSni ? 'd' : 'i'}${twoDigits(ciphers.length)}${twoDigits(extTypes.length)}${ja4Alpn(ch)}`;

  const sigs = (ch.signatureAlgorithms ?? []).filter(notGrease).map(hex4).join(',');
  const cipherHex = ciphers.map(hex4);
  const sortedCiphers = [...cipherHex].sort().join(',');
  const sortedExts = extTypes.filter((t) => t !== Ext.server_name && t !== Ext.application_layer_protocol_negotiation).map(hex4).sort().join(',');
  const origExts = extTypes.map(hex4).join(',');
  const withSigs = (exts: string) => (sigs === '' ? exts : `${exts}_${sigs}`);

  const cSorted = withSigs(sortedExts);
  const cOrig = withSigs(origExts);
  const fingerprint = `${a}_${hash12(sortedCiphers)}_${sortedExts === '' ? '000000000000' : hash12(cSorted)}`;
  let original: string | undefined;
  return {
    fingerprint,
    raw: `${a}_${sortedCiphers}_${cSorted}`,
    // JA4_o costs two more hashes and few read it: made on first read.
    get original() {
      // FoxIO's vectors zero JA4_o's c part too when no extension but SNI and ALPN is present.
      return (original ??= `${a}_${hash12(cipherHex.join(','))}_${sortedExts === '' ? '000000000000' : hash12(cOrig)}`);
    },
    rawOriginal: `${a}_${cipherHex.join(',')}_${cOrig}`,
  };
}
