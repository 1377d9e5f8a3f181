// The connection table's keys: one per address, equal exactly when the addresses are.
import { describe, expect, it } from 'vitest';
import { addrKey, formatAddr, formatAddrKey } from './addresses.js';
import { tupleHash } from './connection-table.js';

const v4 = (...o: number[]) => addrKey(Uint8Array.from([0xff, ...o]), 1, 4);
const v6 = (...groups: number[]) => addrKey(Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff])), 0, 6);

describe('addrKey', () => {
  it.each([
    // [what, address bytes]
    ['below 128.0.0.0', [10, 0, 0, 1]],
    ['at 128.0.0.0', [128, 0, 0, 0]],
    ['above it', [198, 18, 7, 9]],
    ['the broadcast address', [255, 255, 255, 255]],
    ['0.0.0.0', [0, 0, 0, 0]],
  ])('an IPv4 address %s is one 32-bit integer, distinct from its neighbours, and reads back as its text', (_what, o) => {
    const k = v4(...o);
    expect(k).toBe(((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) | 0);
    expect(formatAddrKey(k)).toBe(o.join('.'));
    expect(v4(...o)).toBe(k);
    for (let i = 0; i < 4; i++) {
      const other = [...o];
      other[i] ^= 1;
      expect(v4(...other)).not.toBe(k);
    }
  });

  it('an IPv6 address is the same key each time and differs when any byte differs', () => {
    const base = [0x2001, 0xdb8, 0, 0, 0, 0, 0xff00, 0x42];
    const k = v6(...base);
    expect(v6(...base)).toBe(k);
    const seen = new Set([k]);
    for (let g = 0; g < 8; g++) {
      for (const bit of [1, 0x100, 0x8000]) {
        const other = [...base];
        other[g] ^= bit;
        seen.add(v6(...other));
      }
    }
    expect(seen.size).toBe(1 + 8 * 3);
  });

  it.each([
    // [address as RFC 5952 writes it, its groups]
    ['2001:db8::ff00:42', [0x2001, 0xdb8, 0, 0, 0, 0, 0xff00, 0x42]],
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['fe80::', [0xfe80, 0, 0, 0, 0, 0, 0, 0]],
    ['2001:db8:0:1:1:1:1:1', [0x2001, 0xdb8, 0, 1, 1, 1, 1, 1]],
    ['2001:0:0:1::1', [0x2001, 0, 0, 1, 0, 0, 0, 1]],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', [0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff]],
  ])('an IPv6 key reads back as its address: %s', (text, groups) => {
    const bytes = Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
    expect(formatAddrKey(addrKey(bytes, 0, 6))).toBe(text);
    expect(formatAddr(bytes, 0, 6)).toBe(text);
  });

  it('the tuple hash is the same either way round', () => {
    const a = v4(198, 18, 0, 1);
    const b = v4(10, 0, 0, 2);
    expect(tupleHash(a, 443, b, 50000)).toBe(tupleHash(b, 50000, a, 443));
    expect(tupleHash(a, 443, b, 50000)).not.toBe(tupleHash(a, 443, b, 50001));
  });
});
