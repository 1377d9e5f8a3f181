import type { ByteReader } from './reader.js';

/** One DER element: its tag and a reader over its contents (no copy). */
export function derElement(r: ByteReader, what: string): { tag: number; body: ByteReader } {
  const tag = r.u8(what);
  let len = r.u8(what);
  if (len & 0x80) {
    const n = len & 0x7f;
    // Four length bytes cover any certificate or name a handshake can carry; more is not one.
    if (n === 0 || n > 4) r.fail(what, `a DER length of ${n} bytes`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + r.u8(what);
  }
  return { tag, body: r.sub(len, what) };
}

/** The next element, which must have this tag. */
export function derExpect(r: ByteReader, tag: number, what: string): ByteReader {
  const e = derElement(r, what);
  if (e.tag !== tag) r.fail(what, `tag 0x${e.tag.toString(16)} where 0x${tag.toString(16)} belongs`);
  return e.body;
}

/** The dotted form of an OBJECT IDENTIFIER's contents. */
export function oid(bytes: Uint8Array): string {
  if (bytes.length === 0) return '';
  const parts = [Math.floor(bytes[0] / 40), bytes[0] % 40];
  let v = 0;
  for (let i = 1; i < bytes.length; i++) {
    v = v * 128 + (bytes[i] & 0x7f);
    if ((bytes[i] & 0x80) === 0) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** An INTEGER's contents as a number, when it fits (a path length, a version). */
export function smallInteger(bytes: Uint8Array): number {
  let v = 0;
  for (const b of bytes) v = v * 256 + b;
  return v;
}
