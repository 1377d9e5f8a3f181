import { describe, expect, it } from 'vitest';
import { TlsParseError } from './errors.js';
import { ByteReader, latin1Range } from './reader.js';
import { parseClientHello } from './hello.js';

describe('ByteReader', () => {
  it('reads big-endian integers and zero-copy views', () => {
    const b = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const r = new ByteReader(b);
    expect(r.u8('a')).toBe(1);
    expect(r.u16('b')).toBe(0x0203);
    expect(r.u24('c')).toBe(0x040506);
    const v = r.bytes(2, 'd');
    expect(v.buffer).toBe(b.buffer);
    expect([...v]).toEqual([7, 8]);
    expect(r.u16('e')).toBe(0x090a);
    expect(r.remaining).toBe(0);
  });

  it('reads u32 values above 2^31 as unsigned', () => {
    expect(new ByteReader(new Uint8Array([0xff, 0xff, 0xff, 0xfe])).u32('x')).toBe(0xfffffffe);
  });

  it.each([
    ['u8 past the end', [], (r: ByteReader) => r.u8('a byte'), 'a byte', 100],
    ['u16 with one byte left', [7, 1], (r: ByteReader) => (r.u8('x'), r.u16('a u16')), 'a u16', 101],
    ['a vector longer than what is left', [5, 1], (r: ByteReader) => r.vec8('a vector'), 'a vector', 101],
  ])('throws TlsParseError with the offset: %s', (_name, bytes, fn, what, offset) => {
    const r = new ByteReader(new Uint8Array(bytes as number[]), 0, (bytes as number[]).length, 100);
    let err: unknown;
    try {
      (fn as (r: ByteReader) => unknown)(r);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TlsParseError);
    expect((err as TlsParseError).expected).toBe(what);
    expect((err as TlsParseError).offset).toBe(offset);
  });

  it('child readers never read past their own end', () => {
    const r = new ByteReader(new Uint8Array([2, 0xaa, 0xbb, 0xcc]));
    const child = r.vec8('v');
    child.u16('inside');
    expect(() => child.u8('past')).toThrow(TlsParseError);
    expect(r.u8('parent')).toBe(0xcc);
  });

  it('a ClientHello cut at every length throws only TlsParseError, with the right offset bound', () => {
    const body = new Uint8Array([3, 3, ...new Array(32).fill(1), 0, 0, 2, 0x13, 0x01, 1, 0, 0, 4, 0, 0x17, 0, 0]);
    expect(parseClientHello(body).cipherSuites).toEqual([0x1301]);
    // Cut right after compression_methods, the hello is whole: extensions are optional.
    const noExtensions = 2 + 32 + 1 + 4 + 2;
    for (let n = 0; n < body.length; n++) {
      let err: unknown;
      try {
        parseClientHello(body.subarray(0, n), 9);
      } catch (e) {
        err = e;
      }
      if (n === noExtensions) {
        expect(err).toBeUndefined();
        continue;
      }
      expect(err, `cut at ${n}`).toBeInstanceOf(TlsParseError);
      expect((err as TlsParseError).offset).toBeLessThanOrEqual(9 + n);
    }
  });
});

describe('latin1Range', () => {
  // Every byte value, and lengths around the rope threshold (13) and the chunk of 4,096.
  const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
  it.each([
    [0, 0],
    [5, 6],
    [0, 12],
    [0, 13],
    [3, 4099],
    [0, 4096],
    [1, 4097],
    [0, 8192],
    [17, 70_000],
  ])('decodes bytes %i to %i as Latin-1', (start, end) => {
    const s = latin1Range(bytes, start, end);
    expect(s.length).toBe(end - start);
    expect(s).toBe(Buffer.from(bytes.subarray(start, end)).toString('latin1'));
  });
});
