/** A growable big-endian byte writer with back-patched length prefixes, for building hellos. */
export class ByteWriter {
  private buf = new Uint8Array(512);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.buf[this.length++] = (v >> 8) & 0xff;
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  u24(v: number): this {
    this.ensure(3);
    this.buf[this.length++] = (v >> 16) & 0xff;
    this.buf[this.length++] = (v >> 8) & 0xff;
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /** Writes a length prefix of `size` bytes around whatever `body` writes. */
  vec(size: 1 | 2 | 3, body: (w: this) => void): this {
    const at = this.length;
    this.ensure(size);
    this.length += size;
    body(this);
    const len = this.length - at - size;
    const max = 2 ** (8 * size) - 1;
    if (len > max) throw new RangeError(`vector of ${len} bytes does not fit a ${size}-byte length`);
    for (let i = 0; i < size; i++) this.buf[at + i] = (len >> (8 * (size - 1 - i))) & 0xff;
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** The bytes of `parts`, one after another, in a new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
