import { TlsParseError } from './errors.js';

/**
 * A bounds-checked cursor over a byte range. Every read checks the remaining length first and
 * throws TlsParseError carrying the offset, so no parser can read past its end or size an
 * allocation from a length field it has not checked. Length-prefixed vectors become child
 * readers over the same buffer (no copies).
 */
export class ByteReader {
  pos: number;
  /** Absolute offset (in the caller's numbering) of buf[0]; used only in error offsets. */
  private readonly origin: number;

  end: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
    origin = 0,
  ) {
    if (start < 0 || end > buf.length || start > end) throw new RangeError('ByteReader: bad range');
    this.pos = start;
    this.end = end;
    this.origin = origin;
  }

  /** Points the reader at another range of the same buffer (saves an allocation per extension). */
  retarget(start: number, end: number): this {
    if (start < 0 || end > this.buf.length || start > end) throw new RangeError('ByteReader: bad range');
    this.pos = start;
    this.end = end;
    return this;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Offset of the cursor as reported in errors. */
  get offset(): number {
    return this.origin + this.pos;
  }

  fail(expected: string, detail?: string): never {
    throw new TlsParseError(this.offset, expected, detail);
  }

  /** `suffix` is appended to `what` only when failing, so that no message is built on the happy path. */
  private need(n: number, what: string, suffix = ''): void {
    if (this.end - this.pos < n) this.fail(what + suffix, `needs ${n} byte(s), ${this.end - this.pos} left`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++];
  }

  u16(what: string): number {
    this.need(2, what);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p] << 8) | b[p + 1];
  }

  u24(what: string): number {
    this.need(3, what);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 3;
    return (b[p] << 16) | (b[p + 1] << 8) | b[p + 2];
  }

  u32(what: string): number {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return ((b[p] << 24) >>> 0) + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
  }

  /** A zero-copy view of the next n bytes. */
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A QUIC variable-length integer (RFC 9000 section 16): its first two bits give its size. */
  varint(what: string): number {
    this.need(1, what);
    const b = this.buf;
    const p = this.pos;
    const len = 1 << (b[p] >> 6);
    this.need(len, what);
    // Up to 62 bits: beyond 2^53 a Number rounds, but no length or offset a parser uses gets there.
    let v = b[p] & 0x3f;
    for (let i = 1; i < len; i++) v = v * 256 + b[p + i];
    this.pos = p + len;
    return v;
  }

  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }

  /** Reads a length-prefixed string (u8 or u16 length) without a view in between. */
  string(lenBytes: 1 | 2, what: string): string {
    const n = lenBytes === 1 ? this.lenU8(what) : this.lenU16(what);
    this.need(n, what);
    const s = latin1Range(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** A child reader over the next n bytes; the parent moves past them. */
  sub(n: number, what: string): ByteReader {
    this.need(n, what);
    const child = new ByteReader(this.buf, this.pos, this.pos + n, this.origin);
    this.pos += n;
    return child;
  }

  private lenU8(what: string): number {
    this.need(1, what, ' length');
    return this.buf[this.pos++];
  }

  private lenU16(what: string): number {
    this.need(2, what, ' length');
    const p = this.pos;
    this.pos = p + 2;
    return (this.buf[p] << 8) | this.buf[p + 1];
  }

  open16(what: string): number {
    return this.narrow(this.lenU16(what), what);
  }

  /** Checks that the vector opened last was read to its end and widens back to `outerEnd`. */
  close(outerEnd: number, what: string): void {
    this.expectEnd(what);
    this.end = outerEnd;
  }

  private narrow(n: number, what: string): number {
    this.need(n, what);
    const outer = this.end;
    this.end = this.pos + n;
    return outer;
  }

  vec8(what: string): ByteReader {
    return this.sub(this.lenU8(what), what);
  }

  vec16(what: string): ByteReader {
    return this.sub(this.lenU16(what), what);
  }

  vec24(what: string): ByteReader {
    this.need(3, what, ' length');
    return this.sub(this.u24(what), what);
  }

  /** Reads a vector of u16 values whose byte length must be even. */
  u16List(r: ByteReader, what: string): number[] {
    return r.u16s(r.remaining, what);
  }

  /** Passes over n bytes of 16-bit values (n must be even), as u16s reads them but building nothing. */
  skipU16s(n: number, what: string): void {
    this.evenLength(n, what);
    this.skip(n, what);
  }

  private evenLength(n: number, what: string): void {
    if ((n & 1) !== 0) this.fail(`${what} of whole 16-bit values`, `odd length ${n}`);
  }

  /** Reads n bytes as 16-bit values (n must be even), straight from the buffer. */
  u16s(n: number, what: string): number[] {
    this.evenLength(n, what);
    this.need(n, what);
    const b = this.buf;
    const count = n >> 1;
    const out = new Array<number>(count);
    for (let i = 0, p = this.pos; i < count; i++, p += 2) out[i] = (b[p] << 8) | b[p + 1];
    this.pos += n;
    return out;
  }

  expectEnd(what: string): void {
    if (this.pos !== this.end) this.fail(`end of ${what}`, `${this.end - this.pos} trailing byte(s)`);
  }
}

/** Reads a u16-prefixed list of u16 values. */
export function readU16Vector(r: ByteReader, what: string): number[] {
  return r.u16s(r.u16(what), what);
}

/** ASCII/Latin-1 text without a TextDecoder round trip; SNI names and ALPN ids are short. */
export function latin1(bytes: Uint8Array): string {
  return latin1Range(bytes, 0, bytes.length);
}

/**
 * The same for a range of a buffer, without making a view of it first. One flat string: built a
 * character at a time, a name of more than 12 characters was a rope of a dozen small strings,
 * kept as long as the connection it names.
 */
export function latin1Range(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let from = start; from < end; from += LATIN1_CHUNK) {
    const to = Math.min(end, from + LATIN1_CHUNK);
    const codes = new Array<number>(to - from);
    for (let i = from; i < to; i++) codes[i - from] = buf[i];
    s += String.fromCharCode.apply(null, codes);
  }
  return s;
}

/** Characters per String.fromCharCode call: its arguments go on the stack. */
const LATIN1_CHUNK = 4096;

export function hex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX_BYTE[bytes[i]];
  return s;
}

export const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hex4(v: number): string {
  return HEX_BYTE[(v >> 8) & 0xff] + HEX_BYTE[v & 0xff];
}
