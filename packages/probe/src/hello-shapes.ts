import { webcrypto as crypto } from 'node:crypto';
import { buildClientHello, X25519, X25519MLKEM768, Version } from '@tlsdoctor/tls-parser-ts';
import { helloFor, probeHello, type HelloOutcome, type HelloProbeOptions } from './hello-probe.js';
import { GROUPS, LEGACY_SUITES, SIGNATURE_ALGORITHMS, TLS13_SUITES } from './suites.js';

/**
 * The other hellos of the default probe, each on its own connection. Today's browsers send a
 * ClientHello of 1.7 to 2.3 KB (the X25519MLKEM768 key share alone is 1,216 bytes) that travels
 * in two TCP segments, the first full-size; paths and devices built for one-segment hellos lose
 * it. Comparing shapes tells a path that loses big packets from a device that reads one segment.
 */
export type HelloShapeName = 'post-quantum' | 'split' | 'padded' | 'split-sni';

export interface ShapedHello {
  shape: HelloShapeName;
  /** Bytes of the hello on the wire (records included). */
  bytes: number;
  /** The sizes of the writes it went out in: one write, or the two of a split hello. */
  writes: number[];
  outcome: HelloOutcome;
}

export interface HelloShapes {
  /** As Chrome 124+ sends it: GREASE, X25519MLKEM768 and X25519 key shares, one write. */
  postQuantum: ShapedHello;
  /** The small hello in two segments: a few dozen bytes, then the rest. */
  split: ShapedHello;
  /**
   * One-write hellos padded to growing sizes, sent when the small hello worked and one of the
   * two above did not: where the answers stop is the size the path loses.
   */
  sweep?: ShapedHello[];
}

/** Hello sizes (handshake message bytes) of the sweep; with headers the largest fills a 1,500-byte packet. */
export const SWEEP_SIZES = [700, 1000, 1200, 1400];

/** The first write of a split hello: the record header and part of the random. */
export const SPLIT_AT = 40;
/** Long enough for the first segment to leave alone, short beside any timeout. */
export const SPLIT_PAUSE_MS = 50;

const BROWSER_GROUPS = [X25519MLKEM768, ...GROUPS];

/**
 * A GREASE encrypted_client_hello extension as Chrome sends one to every server (RFC 9849
 * section 6.2): an outer ECH with HKDF-SHA256/AES-128-GCM, a random config id, a 32-byte
 * encapsulated key and a random payload. A server without ECH skips it; one with ECH fails to
 * decrypt it and goes on with this hello, as with a browser's.
 */
function echGrease(payload: number): { type: number; data: Uint8Array } {
  const data = new Uint8Array(1 + 4 + 1 + 2 + 32 + 2 + payload);
  crypto.getRandomValues(data);
  data.set([0, 0x00, 0x01, 0x00, 0x01], 0);
  data.set([0, 32], 6);
  data.set([payload >> 8, payload & 0xff], 40);
  return { type: 0xfe0d, data };
}

/**
 * A ClientHello with the size and layout of a current browser's, offering what the default hello
 * offers (versions, suites), so that an answer to one and not the other is about the shape.
 */
export function postQuantumHello(o: Pick<HelloProbeOptions, 'serverName' | 'versions' | 'alpn'>): Uint8Array {
  const { serverName, alpn } = o;
  return buildClientHello({
    versions: o.versions,
    cipherSuites: [...(o.versions.includes(Version.TLS13) ? TLS13_SUITES : []), ...LEGACY_SUITES],
    groups: BROWSER_GROUPS,
    keyShares: [{ group: X25519MLKEM768 }, { group: X25519 }],
    signatureAlgorithms: SIGNATURE_ALGORITHMS,
    serverName,
    alpn,
    grease: true,
    // Chrome's payload for a short name; with it the hello is about 1.8 KB, as browsers' are.
    extraExtensions: [echGrease(240)],
  });
}

/** The default probe's hello padded to `size` bytes of handshake message, for one write. */
export function paddedHello(o: Pick<HelloProbeOptions, 'serverName' | 'versions' | 'alpn'>, size: number): Uint8Array {
  return helloFor({ ...o, padTo: size });
}

/**
 * Where to cut a hello so that the server name is cut in two: a filter that matches the name in
 * one packet then sees half of it in each. Falls back to SPLIT_AT when the name is not found.
 */
export function splitInsideName(hello: Uint8Array, name: string): number {
  const needle = new TextEncoder().encode(name);
  outer: for (let i = 0; i + needle.length <= hello.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hello[i + j] !== needle[j]) continue outer;
    return i + Math.max(1, Math.floor(needle.length / 2));
  }
  return SPLIT_AT;
}

export async function sendShaped(base: HelloProbeOptions, shape: HelloShapeName, hello: Uint8Array, splitAt?: number): Promise<ShapedHello> {
  const split = splitAt !== undefined ? { at: splitAt, pauseMs: SPLIT_PAUSE_MS } : undefined;
  const outcome = await probeHello({ ...base, hello, split });
  return { shape, bytes: hello.length, writes: split ? [split.at, hello.length - split.at] : [hello.length], outcome };
}

export const answeredShape = (o: HelloOutcome) => o.kind === 'server-hello' || o.kind === 'hello-retry' || o.kind === 'alert';

/** A wait that is cancelled once it no longer matters, so that it never holds the process open. */
function cancellableSleep(ms: number): { done: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((r) => (timer = setTimeout(r, ms)));
  return { done, cancel: () => clearTimeout(timer) };
}

/**
 * Sends the post-quantum and split hellos at once. `smallMs` is how long the default hello took
 * to be answered: when either shape is still unanswered well past that (or failed), the size
 * sweep starts beside them, so that a black-holed server is named about one timeout after the
 * start, not two.
 */
export async function probeHelloShapes(base: HelloProbeOptions, smallMs: number): Promise<HelloShapes> {
  const pq = sendShaped(base, 'post-quantum', postQuantumHello(base));
  const small = base.hello ?? helloFor(base);
  const split = sendShaped(base, 'split', small, SPLIT_AT);
  const suspectAfter = Math.min(1000, base.timeoutMs / 2, Math.max(300, 5 * smallMs));
  const both = Promise.all([pq, split]);
  const wait = cancellableSleep(suspectAfter);
  const early = await Promise.race([both, wait.done.then(() => undefined)]);
  wait.cancel();
  if (early && early.every((s) => answeredShape(s.outcome))) return { postQuantum: early[0], split: early[1] };
  // The sweep ends when the browser-sized hello's own wait does: the probe waits one timeout, not more.
  const sweepBase = { ...base, timeoutMs: Math.max(500, base.timeoutMs - suspectAfter) };
  const sweep = Promise.all(SWEEP_SIZES.map((size) => sendShaped(sweepBase, 'padded', paddedHello(base, size))));
  const [[postQuantum, splitHello], sizes] = await Promise.all([both, sweep]);
  // Both answered after all (a slow server): the sweep shows nothing and is left out.
  if (answeredShape(postQuantum.outcome) && answeredShape(splitHello.outcome)) return { postQuantum, split: splitHello };
  return { postQuantum, split: splitHello, sweep: sizes };
}
