import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Hasher, md5Hex, sha256Hex } from './digest.js';
import { buildClientHelloMessage } from './builder.js';
import { FingerprintCache } from './fingerprint-cache.js';
import { parseClientHello } from './hello.js';

describe('digests', () => {
  const inputs = ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'a'.repeat(1000), '771,4865-4866,0-23-65281,29-23-24,0', 'b'.repeat(3000)];
  for (let i = 0; i < 20; i++) inputs.push(randomBytes(1 + i * 7).toString('latin1'));
  // One hasher for every row, in this order: its buffer grows past 1 kB and then serves short
  // inputs again, whose padding must not keep bytes of the long one.
  const hasher = new Hasher();
  it.each(inputs.map((s) => [s.length, s]))('md5 and sha256 of a %i-byte string equal node:crypto, plain and through a hasher', (_n, s) => {
    const md5 = createHash('md5').update(Buffer.from(s, 'latin1')).digest('hex');
    const sha256 = createHash('sha256').update(Buffer.from(s, 'latin1')).digest('hex');
    expect([md5Hex(s), sha256Hex(s)]).toEqual([md5, sha256]);
    expect([hasher.md5Hex(s), hasher.sha256Hex(s)]).toEqual([md5, sha256]);
  });
});

describe('fingerprint digests through their cache', () => {
  // More distinct hellos than the cache keeps (it starts over), each seen twice, and lists longer
  // than the cache takes: every JA3 hash is still the MD5 of its string, every JA4 part the
  // SHA-256 of its raw list.
  const hello = (ciphers: number[]) => parseClientHello(buildClientHelloMessage({ versions: [0x0304, 0x0303], cipherSuites: ciphers, groups: [0x001d], signatureAlgorithms: [0x0403], serverName: 'cache.test' }).subarray(4));
  const hellos = [
    ...Array.from({ length: 5000 }, (_, i) => hello([0x1301, 0x1000 + i])),
    hello(Array.from({ length: 600 }, (_, i) => 0x2000 + i)), // a JA3 string of about 3,000 characters
  ];
  const cache = new FingerprintCache();
  it.each([
    ['first pass', 0],
    ['second pass', 1],
  ])('%s', () => {
    for (const ch of hellos) {
      const j3 = cache.ja3(ch);
      expect(j3.hash).toBe(createHash('md5').update(j3.string).digest('hex'));
      const j4 = cache.ja4(ch);
      // JA4_r is a_ciphers_extensions_signature-algorithms; JA4 hashes the second part and the rest.
      const [, ciphers, ...extensionsAndAlgorithms] = j4.raw.split('_');
      const sha12 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);
      expect(j4.fingerprint.split('_').slice(1)).toEqual([sha12(ciphers), sha12(extensionsAndAlgorithms.join('_'))]);
    }
  });
});
