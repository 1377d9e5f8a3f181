import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5Hex, sha256Hex } from './digest.js';

describe('digests', () => {
  const inputs = ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'a'.repeat(1000), '771,4865-4866,0-23-65281,29-23-24,0'];
  for (let i = 0; i < 20; i++) inputs.push(randomBytes(1 + i * 7).toString('latin1'));
  it.each(inputs.map((s) => [s.length, s]))('md5 and sha256 of a %i-byte string equal node:crypto', (_n, s) => {
    expect(md5Hex(s)).toBe(createHash('md5').update(Buffer.from(s, 'latin1')).digest('hex'));
    expect(sha256Hex(s)).toBe(createHash('sha256').update(Buffer.from(s, 'latin1')).digest('hex'));
  });
});
