import { Hasher } from './digest.js';
import { makeJa3, makeJa3s, makeJa4, type Digest, type Ja3, type Ja4 } from './fingerprint.js';
import { HELLO_SHAPE, type ClientHello, type ServerHello, type ShapedHello } from './hello.js';

/**
 * Up to this many shapes are kept, and digests for up to this many inputs of each kind; then
 * that part of the cache starts over.
 */
const CACHE_SIZE = 4096;
/**
 * Digest inputs longer than this (typical lists are a few hundred characters; a hostile hello's
 * can be 100,000) are not kept, so the cache stays under a few megabytes whatever a capture holds.
 */
const CACHE_INPUT = 2048;
/** Longer shapes (a few hundred bytes is usual) are not kept: a hostile hello's could be 16 MB. */
const SHAPE_ROOM = 2048;

type Transport = 't' | 'q' | 'd';

/**
 * A shape and the fingerprints made for it. The objects handed out are shared by every hello of
 * the shape, hence frozen.
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

/**
 * The JA3, JA3S and JA4 of one capture's hellos, for whoever reads the capture (one per
 * analysis): the same values as ja3(), ja3s() and ja4(), made once per hello shape.
 *
 * A capture's hellos come from a handful of client builds: they differ in their random, names
 * and key shares but not in their shape (HELLO_SHAPE), and making the lists a fingerprint
 * hashes costs several times what reading the shape does. A shape's fingerprints are kept from
 * its second hello on: Chrome permutes its extensions and picks new GREASE values for every
 * connection, so its shapes never repeat, and keeping what they made (a few kilobytes each)
 * until the cache started over cost more than making it. Shapes are found by a hash of their
 * bytes and told apart by the bytes themselves, so reading a hello's shape allocates nothing.
 * Beneath, the digests are kept by their input: the same sorted lists come back in hellos of
 * other shapes (a permuted extension order sorts the same), and the digests are plain
 * TypeScript, a few microseconds each.
 */
export class FingerprintCache {
  private readonly hasher = new Hasher();
  private readonly md5: Digest = keptDigests((s) => this.hasher.md5Hex(s));
  private readonly sha256: Digest = keptDigests((s) => this.hasher.sha256Hex(s));
  /** The shape of the hello being looked up, written here rather than into a new buffer. */
  private readonly shape = new Uint8Array(SHAPE_ROOM);
  private kept = new Map<number, ShapeEntry>();
  /**
   * The hashes of the shapes one kind of fingerprint has been asked for once. Each kind keeps
   * its own: a hello asked for JA3 and then JA4 is one hello, not two. A hash shared by two
   * shapes only lets the second in early.
   */
  private readonly ja3Seen = new Set<number>();
  private readonly ja4Seen = new Set<number>();

  ja3(ch: ClientHello): Ja3 {
    const e = this.entry(ch, this.ja3Seen);
    return e ? (e.ja3 ??= Object.freeze(makeJa3(ch, this.md5))) : makeJa3(ch, this.md5);
  }

  /** A ServerHello's JA3S: its digest is kept, the string made each time (servers have no shape kept). */
  ja3s(sh: ServerHello): Ja3 {
    return makeJa3s(sh, this.md5);
  }

  ja4(ch: ClientHello, transport: Transport = 't'): Ja4 {
    const e = this.entry(ch, this.ja4Seen);
    if (!e) return makeJa4(ch, transport, this.sha256);
    const slot = transport === 't' ? 'ja4t' : transport === 'q' ? 'ja4q' : 'ja4d';
    return (e[slot] ??= Object.freeze(makeJa4(ch, transport, this.sha256)));
  }

  /** The kept entry of the hello's shape; undefined for a shape `seen` meets for the first time. */
  private entry(ch: ClientHello, seen: Set<number>): ShapeEntry | undefined {
    const out = this.shape;
    // Read as a method of the hello itself, looked up once: a function between the two cost a
    // JA3 of a new shape 2% more instructions (inlining), a second look-up of the key 0.7%.
    const shaped = ch as ShapedHello;
    const write = shaped[HELLO_SHAPE];
    const n = write === undefined ? -1 : write.call(shaped, out);
    if (n < 0) return undefined;
    const h = shapeHash(out, n);
    for (let e = this.kept.get(h); e !== undefined; e = e.next) if (sameBytes(e.bytes, out, n)) return e;
    if (!seen.has(h)) {
      if (seen.size >= CACHE_SIZE) seen.clear();
      seen.add(h);
      return undefined;
    }
    if (this.kept.size >= CACHE_SIZE) this.kept = new Map();
    const e: ShapeEntry = { bytes: out.slice(0, n), next: this.kept.get(h) };
    this.kept.set(h, e);
    return e;
  }
}

/** A digest whose results are kept by their input, up to CACHE_SIZE inputs of CACHE_INPUT characters at most. */
function keptDigests(digest: Digest): Digest {
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
