// Property: parsing what the builder builds gives back the options.
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { buildClientHello, hybridShareShapedKey, isGrease, TlsStreamReader, Version, X25519MLKEM768, type ClientHelloOptions } from '@tlsdoctor/tls-parser-ts';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function pick<T>(r: () => number, xs: T[], min = 1): T[] {
  const out = xs.filter(() => r() < 0.6);
  return out.length >= min ? out : xs.slice(0, min);
}

const CIPHERS = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009c, 0x002f, 0x0035, 0x000a];
const GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x11ec];
const SIGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201];
const VERSIONS = [Version.TLS13, Version.TLS12, Version.TLS11, Version.TLS10, Version.SSL3];

function p256Key(): Uint8Array {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
}

function parse(bytes: Uint8Array) {
  const r = new TlsStreamReader('client');
  const ev = r.push(bytes).find((e) => e.kind === 'handshake' && e.clientHello);
  if (!ev || ev.kind !== 'handshake' || !ev.clientHello) throw new Error('no ClientHello parsed');
  return ev.clientHello;
}

describe('ClientHello builder', () => {
  it.each(Array.from({ length: 200 }, (_, i) => [i]))('round trip, case %i', (seed) => {
    const r = rng(seed + 1);
    const versions = pick(r, VERSIONS);
    const groups = pick(r, GROUPS);
    const o: ClientHelloOptions = {
      versions,
      cipherSuites: pick(r, CIPHERS),
      groups,
      signatureAlgorithms: pick(r, SIGS),
      serverName: r() < 0.7 ? `h${seed}.example.test` : undefined,
      alpn: r() < 0.5 ? pick(r, ['h2', 'http/1.1', 'acme-tls/1']) : undefined,
      grease: r() < 0.5,
      padTo: r() < 0.3 ? 512 : undefined,
      keyShares: versions.includes(Version.TLS13) ? [{ group: 0x001d }, ...(r() < 0.3 ? [{ group: 0x0017, key: p256Key() }] : [])] : undefined,
    };
    const bytes = buildClientHello(o);
    const ch = parse(bytes);
    const noGrease = (xs: number[] | undefined) => (xs ?? []).filter((x) => !isGrease(x));
    expect(noGrease(ch.cipherSuites)).toEqual(o.cipherSuites);
    // Without TLS 1.3 there is no supported_versions: the highest version goes in client_version alone.
    expect(ch.offeredVersions).toEqual(o.versions.includes(Version.TLS13) ? [...o.versions].sort((a, b) => b - a) : [Math.max(...o.versions)]);
    expect(ch.maxVersion).toBe(Math.max(...o.versions));
    expect(noGrease(ch.supportedGroups)).toEqual(o.groups);
    expect(ch.signatureAlgorithms).toEqual(o.signatureAlgorithms);
    expect(ch.serverNames).toEqual(o.serverName ? [o.serverName] : undefined);
    expect(ch.alpn).toEqual(o.alpn);
    expect(ch.extensions.some((e) => e.grease)).toBe(!!o.grease);
    expect(ch.cipherSuites.some(isGrease)).toBe(!!o.grease);
    if (o.keyShares) expect(noGrease(ch.keyShares?.map((k) => k.group))).toEqual(o.keyShares.map((k) => k.group));
    // One record here: the handshake message is everything after the 5-byte record header.
    if (o.padTo) expect(bytes.length - 5).toBeGreaterThanOrEqual(o.padTo);
    expect(ch.extensions.every((e) => !e.malformed)).toBe(true);
  });

  it('splits a hello larger than 2^14 bytes over several records, and the reader joins them', () => {
    const alpn = Array.from({ length: 2000 }, (_, i) => `protocol-${String(i).padStart(5, '0')}`);
    const bytes = buildClientHello({ versions: [Version.TLS13], cipherSuites: [0x1301], alpn, serverName: 'big.example.test' });
    expect(bytes.length).toBeGreaterThan(16384 + 5);
    expect(bytes[0]).toBe(22);
    expect(bytes[16384 + 5]).toBe(22); // the second record header
    expect(parse(bytes).alpn).toEqual(alpn);
  });

  it('refuses a key share it cannot make', () => {
    expect(() => buildClientHello({ versions: [Version.TLS13], cipherSuites: [0x1301], keyShares: [{ group: 0x0017 }] })).toThrow(/must be given/);
  });
});

describe('the X25519MLKEM768 share a browser-shaped hello carries', () => {
  it('has the size and form of a real one: 768 coefficients below q, then the seed and the X25519 key', () => {
    for (let round = 0; round < 20; round++) {
      const key = hybridShareShapedKey();
      expect(key.length).toBe(1184 + 32);
      for (let o = 0; o < 1152; o += 3) {
        const a = key[o] | ((key[o + 1] & 0x0f) << 8);
        const b = (key[o + 1] >> 4) | (key[o + 2] << 4);
        expect(a).toBeLessThan(3329);
        expect(b).toBeLessThan(3329);
      }
    }
    // Random, not constant: two shares differ.
    expect(Buffer.from(hybridShareShapedKey()).equals(Buffer.from(hybridShareShapedKey()))).toBe(false);
  });

  it('is made by the builder when no key is given, and other groups still need one', () => {
    const hello = buildClientHello({ versions: [Version.TLS13], cipherSuites: [0x1301], groups: [X25519MLKEM768], keyShares: [{ group: X25519MLKEM768 }] });
    const ev = new TlsStreamReader('client').push(hello).find((e) => e.kind === 'handshake');
    expect(ev?.kind === 'handshake' && ev.clientHello?.keyShares?.map((k) => [k.group, k.keyLength])).toEqual([[X25519MLKEM768, 1216]]);
    expect(() => buildClientHello({ versions: [Version.TLS13], cipherSuites: [0x1301], keyShares: [{ group: 0x0017 }] })).toThrow(RangeError);
  });
});

describe('a record the bytes stop inside', () => {
  const hello = buildClientHello({ versions: [Version.TLS13], cipherSuites: [0x1301], serverName: 'cut.example.test' });
  it.each([
    // [bytes given, unfinished record]
    [40, { contentType: 22, length: hello.length, received: 40 }],
    [hello.length - 1, { contentType: 22, length: hello.length, received: hello.length - 1 }],
    [hello.length, undefined],
    [3, undefined], // not even a header
  ])('after %i bytes', (n, want) => {
    const r = new TlsStreamReader('client');
    r.push(hello.subarray(0, Math.min(n, 20)));
    if (n > 20) r.push(hello.subarray(20, n));
    expect(r.unfinishedRecord).toEqual(want);
  });
});
