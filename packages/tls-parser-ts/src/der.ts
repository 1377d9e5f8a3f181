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

/**
 * The dotted form of an OBJECT IDENTIFIER's contents (X.690 8.19): base-128 subidentifiers, the
 * first of which holds the first two arcs (2.x arcs may pass 39, and take several bytes). An
 * identifier cut inside a subidentifier is not an identifier.
 */
export function oid(bytes: Uint8Array, r?: ByteReader): string {
  const parts: number[] = [];
  let v = 0;
  let open = false;
  for (const b of bytes) {
    v = v * 128 + (b & 0x7f);
    open = (b & 0x80) !== 0;
    if (open) continue;
    if (parts.length === 0) parts.push(v < 40 ? 0 : v < 80 ? 1 : 2, v < 80 ? v % 40 : v - 80);
    else parts.push(v);
    v = 0;
  }
  if (open) {
    if (r) r.fail('OBJECT IDENTIFIER', 'cut inside a subidentifier');
    return '';
  }
  return parts.join('.');
}

/** An INTEGER's contents as a number: a path length or a version, small and not negative. */
export function smallInteger(bytes: Uint8Array, r: ByteReader, what: string): number {
  if (bytes.length === 0 || bytes.length > 6) r.fail(what, `an INTEGER of ${bytes.length} bytes`);
  if (bytes[0] & 0x80) r.fail(what, 'a negative INTEGER');
  let v = 0;
  for (const b of bytes) v = v * 256 + b;
  return v;
}
