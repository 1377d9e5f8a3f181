import { describe, expect, it } from 'vitest';
import { buildClientHelloMessage, X25519, type ClientHelloOptions } from './builder.js';
import { FingerprintCache, shapeHash } from './fingerprint-cache.js';
import { ja3, ja3s, ja4 } from './fingerprint.js';
import { HELLO_SHAPE, parseClientHello, parseServerHello, parseSslv2ClientHello, type ClientHello, type ShapedHello } from './hello.js';
import { Version } from './names.js';
import { hex } from './reader.js';

const fixed = (n: number, v: number) => new Uint8Array(n).fill(v);

const BASES: [string, ClientHelloOptions][] = [
  ['TLS 1.3 with GREASE', { versions: [Version.TLS13, Version.TLS12], cipherSuites: [0x1301, 0x1302, 0xc02b, 0xc02f], groups: [X25519, 0x17], signatureAlgorithms: [0x0403, 0x0804, 0x0401], serverName: 'shop.example', alpn: ['h2', 'http/1.1'], grease: true, padTo: 512, random: fixed(32, 7), sessionId: fixed(32, 9), keyShares: [{ group: X25519, key: fixed(32, 3) }] }],
  ['TLS 1.2 only, no ALPN', { versions: [Version.TLS12], cipherSuites: [0xc02f, 0x009c], groups: [0x17], signatureAlgorithms: [0x0401], serverName: 'api.example', random: fixed(32, 1) }],
];

const hello = (message: Uint8Array): ClientHello => parseClientHello(message.subarray(4), 4);

/** A hello's shape (none of the test's hellos has one longer than 4 kB). */
function shapeBytes(ch: ClientHello): Uint8Array {
  const out = new Uint8Array(4096);
  const n = (ch as ShapedHello)[HELLO_SHAPE]!(out);
  if (n < 0) throw new Error('a shape longer than 4 kB');
  return out.subarray(0, n);
}

/** A hello's shape as text, to compare. */
const shapeOf = (ch: ClientHello): string => hex(shapeBytes(ch));

/** Every text a fingerprint hands out, made afresh by the plain functions. */
function fresh(ch: ClientHello): string[] {
  const j4 = ja4(ch, 't');
  const j3 = ja3(ch);
  return [j3.string, j3.hash, j4.fingerprint, j4.raw, j4.original, j4.rawOriginal];
}

/** The same through a cache. */
function viaCache(cache: FingerprintCache, ch: ClientHello): string[] {
  const j4 = cache.ja4(ch, 't');
  const j3 = cache.ja3(ch);
  return [j3.string, j3.hash, j4.fingerprint, j4.raw, j4.original, j4.rawOriginal];
}

describe('fingerprints kept by hello shape', () => {
  for (const [name, options] of BASES) {
    it(`${name}: a byte changed anywhere changes the shape whenever it changes a fingerprint, and the cache answers as a fresh fingerprint does`, () => {
      const message = buildClientHelloMessage(options);
      const base = hello(message);
      const baseKey = shapeOf(base);
      // Seen twice, the base shape's fingerprints are kept; every variant below is then checked
      // against what the cache answers for it.
      const cache = new FingerprintCache();
      viaCache(cache, hello(message));
      viaCache(cache, hello(message));
      const expected = fresh(base);
      let parsed = 0;
      let sameShape = 0;
      for (let p = 4; p < message.length; p++) {
        for (const flip of [0x01, 0x80]) {
          const m = message.slice();
          m[p] ^= flip;
          let ch: ClientHello;
          try {
            ch = hello(m);
          } catch {
            continue;
          }
          parsed++;
          const mine = fresh(ch);
          if (shapeOf(ch) === baseKey) {
            sameShape++;
            expect(mine, `byte ${p} ^ ${flip}`).toEqual(expected);
          }
          expect(viaCache(cache, ch), `byte ${p} ^ ${flip}`).toEqual(mine);
        }
      }
      // Most flips still parse; those in the random alone (64) leave the shape as it is.
      expect(parsed).toBeGreaterThan(message.length);
      expect(sameShape).toBeGreaterThan(64);
    });
  }

  const options = BASES[0][1];
  const base = () => buildClientHelloMessage(options);
  const cases: [string, Partial<ClientHelloOptions>, boolean][] = [
    ['another name (its padding follows)', { serverName: 'a-much-longer-name.shop.example' }, true],
    ['another random and session id', { random: fixed(32, 0x55), sessionId: fixed(32, 0x66) }, true],
    ['another key share', { keyShares: [{ group: X25519, key: fixed(32, 0x44) }] }, true],
    ['the suites in another order', { cipherSuites: [0x1302, 0x1301, 0xc02b, 0xc02f] }, false],
    ['one suite fewer', { cipherSuites: [0x1301, 0x1302, 0xc02b] }, false],
    ['another group', { groups: [X25519, 0x18] }, false],
    ['another signature algorithm', { signatureAlgorithms: [0x0403, 0x0804, 0x0501] }, false],
    ['ALPN in another order', { alpn: ['http/1.1', 'h2'] }, false],
    ['TLS 1.2 offered only', { versions: [Version.TLS12] }, false],
  ];
  it.each(cases)('%s: same shape %s', (_, change, same) => {
    const b = hello(buildClientHelloMessage({ ...options, grease: false, ...change }));
    const a0 = hello(buildClientHelloMessage({ ...options, grease: false }));
    expect(shapeOf(b) === shapeOf(a0)).toBe(same);
    if (!same) expect(fresh(b)).not.toEqual(fresh(a0));
  });

  it('hellos that differ in their GREASE values alone have one shape', () => {
    const a = hello(buildClientHelloMessage({ ...options, grease: true }));
    const b = hello(buildClientHelloMessage({ ...options, grease: true, cipherSuites: [...options.cipherSuites] }));
    const c = hello(buildClientHelloMessage({ ...options, grease: false }));
    expect(shapeOf(a)).toBe(shapeOf(b));
    expect(shapeOf(a)).not.toBe(shapeOf(c));
    expect(fresh(a)).toEqual(fresh(b));
  });

  it('two shapes of one hash keep their own fingerprints', () => {
    // Two signature algorithm lists whose shapes share a hash, found among lists of three
    // pseudo-random values (36 bits against the hash's 30: a pair turns up within 2^17 tries).
    const opts = (s: number[]): ClientHelloOptions => ({ ...options, grease: false, serverName: 'collide.example', signatureAlgorithms: s });
    const probe = hello(buildClientHelloMessage(opts([0x0101, 0x0101, 0x0101])));
    const shape = new Uint8Array(4096);
    const n = (probe as ShapedHello)[HELLO_SHAPE]!(shape);
    let at = -1;
    for (let i = 0; i + 5 < n; i++) if (shape.subarray(i, i + 6).every((b) => b === 1)) at = i;
    expect(at).toBeGreaterThan(0);
    let state = 0x2545f491;
    const next16 = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const v = 0x1000 | ((state >>> 12) & 0x0fff);
      // Not GREASE (0x1a1a), which the shape writes as 0x0a0a.
      return v === 0x1a1a ? 0x1b1b : v;
    };
    const seen = new Map<number, number[]>();
    let pair: [number[], number[]] | undefined;
    for (let i = 0; i < 1 << 19 && !pair; i++) {
      const s = [next16(), next16(), next16()];
      s.forEach((v, k) => {
        shape[at + 2 * k] = v >> 8;
        shape[at + 2 * k + 1] = v & 0xff;
      });
      const h = shapeHash(shape, n);
      const before = seen.get(h);
      if (before !== undefined && before.join() !== s.join()) pair = [before, s];
      else seen.set(h, s);
    }
    expect(pair).toBeDefined();
    const [x, y] = pair!.map((s) => buildClientHelloMessage(opts(s)));
    const [bx, by] = [shapeBytes(hello(x)), shapeBytes(hello(y))];
    expect(shapeHash(bx, bx.length)).toBe(shapeHash(by, by.length));
    expect(fresh(hello(x))).not.toEqual(fresh(hello(y)));
    const cache = new FingerprintCache();
    for (const m of [x, y, x, y, x, y]) expect(viaCache(cache, hello(m))).toEqual(fresh(hello(m)));
  });

  it('a hello asked for JA3 and then JA4 counts once: the shape is kept from its second hello', () => {
    const cache = new FingerprintCache();
    const m = buildClientHelloMessage({ ...options, serverName: 'once.example', signatureAlgorithms: [0x0403, 0x0804, 0x0805] });
    const first = hello(m);
    const firstJa3 = cache.ja3(first);
    const firstJa4 = cache.ja4(first);
    const second = hello(m);
    const [secondJa3, secondJa4] = [cache.ja3(second), cache.ja4(second)];
    expect(secondJa3).not.toBe(firstJa3);
    expect(secondJa4).not.toBe(firstJa4);
    expect(Object.isFrozen(firstJa4)).toBe(false);
    const third = hello(m);
    expect(cache.ja3(third)).toBe(secondJa3);
    expect(cache.ja4(third)).toBe(secondJa4);
  });

  it('a shape seen again hands out the same frozen fingerprint; each transport its own', () => {
    const cache = new FingerprintCache();
    const m = buildClientHelloMessage({ ...options, serverName: 'frozen.example' });
    const [a, b, c] = [hello(m), hello(m), hello(m)];
    cache.ja4(a);
    const j = cache.ja4(b);
    expect(cache.ja4(c)).toBe(j);
    expect(Object.isFrozen(j)).toBe(true);
    expect(cache.ja4(c, 'q').fingerprint).toBe('q' + j.fingerprint.slice(1));
    expect(cache.ja4(c, 'q')).toBe(cache.ja4(a, 'q'));
    expect(cache.ja3(c)).toBe(cache.ja3(b));
  });

  it('caches are apart: what one keeps, another has not seen', () => {
    const m = buildClientHelloMessage({ ...options, serverName: 'apart.example' });
    const [one, other] = [new FingerprintCache(), new FingerprintCache()];
    one.ja4(hello(m));
    const kept = one.ja4(hello(m));
    expect(one.ja4(hello(m))).toBe(kept);
    // The other cache meets the shape for the first time: a fingerprint of its own, not kept.
    const first = other.ja4(hello(m));
    expect(first).not.toBe(kept);
    expect(Object.isFrozen(first)).toBe(false);
    expect(first).toEqual({ ...kept });
  });

  it('the plain functions make a new fingerprint at every call, equal to the cached one', () => {
    const cache = new FingerprintCache();
    const m = buildClientHelloMessage({ ...options, serverName: 'plain.example' });
    const [a, b, c] = [hello(m), hello(m), hello(m)];
    for (const h of [a, b, c]) cache.ja4(h);
    expect(ja4(c)).not.toBe(ja4(c));
    expect(ja4(c)).toEqual({ ...cache.ja4(c) });
    expect(ja3(c)).not.toBe(ja3(c));
    expect(ja3(c)).toEqual(cache.ja3(c));
  });

  it('JA3S through a cache equals the plain one', () => {
    const cache = new FingerprintCache();
    // A TLS 1.3 ServerHello: version, random, session id, suite, compression, supported_versions and key_share.
    const body = Uint8Array.from([0x03, 0x03, ...fixed(32, 5), 0, 0x13, 0x01, 0, 0, 16, 0, 0x2b, 0, 2, 3, 4, 0, 0x33, 0, 6, 0, 0x1d, 0, 2, 1, 2]);
    const sh = parseServerHello(body);
    expect(ja3s(sh).string).toBe('771,4865,43-51');
    for (let i = 0; i < 3; i++) expect(cache.ja3s(parseServerHello(body))).toEqual(ja3s(sh));
  });

  it('an SSL 2.0-format hello has no shape and is fingerprinted each time', () => {
    const cache = new FingerprintCache();
    // CLIENT-HELLO, version 3.1, one cipher spec (0x00002f), no session id, a 16-byte challenge.
    const record = Uint8Array.from([0x80, 28, 1, 0x03, 0x01, 0, 3, 0, 0, 0, 16, 0x00, 0x00, 0x2f, ...fixed(16, 7)]);
    const sslv2 = parseSslv2ClientHello(record);
    expect((sslv2 as ShapedHello)[HELLO_SHAPE]).toBeUndefined();
    const [x, y, z] = [cache.ja3(sslv2), cache.ja3(sslv2), cache.ja3(sslv2)];
    expect(z).not.toBe(y);
    expect(z).toEqual(x);
    expect(x.string).toBe('769,47,,,');
  });
});
