/**
 * MD5 (RFC 1321) and SHA-256 (FIPS 180-4) over ASCII strings, in plain TypeScript so that the
 * codec's core needs no Node API and stays synchronous (Web Crypto's digest is async, which
 * would make every fingerprint a promise). The inputs are short fingerprint strings.
 */

import { HEX_BYTE as HEX } from './reader.js';

function toHex(words: Uint32Array | number[], littleEndian: boolean): string {
  let out = '';
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    out += littleEndian
      ? HEX[w & 0xff] + HEX[(w >>> 8) & 0xff] + HEX[(w >>> 16) & 0xff] + HEX[w >>> 24]
      : HEX[w >>> 24] + HEX[(w >>> 16) & 0xff] + HEX[(w >>> 8) & 0xff] + HEX[w & 0xff];
  }
  return out;
}

/** The length of a message of `len` bytes with its Merkle-Damgard padding: whole 64-byte blocks. */
function paddedLength(len: number): number {
  return (((len + 8) >> 6) + 1) << 6;
}

/** Writes the string's bytes and the padding (0x80, zeros, 64-bit bit length) into `buf`. */
function pad(s: string, littleEndian: boolean, buf: Uint8Array): DataView {
  const len = s.length;
  const total = paddedLength(len);
  for (let i = 0; i < len; i++) buf[i] = s.charCodeAt(i) & 0xff;
  buf.fill(0, len, total);
  buf[len] = 0x80;
  const view = new DataView(buf.buffer, buf.byteOffset, total);
  const bitsLo = (len << 3) >>> 0;
  const bitsHi = Math.floor(len / 0x20000000);
  if (littleEndian) {
    view.setUint32(total - 8, bitsLo, true);
    view.setUint32(total - 4, bitsHi, true);
  } else {
    view.setUint32(total - 8, bitsHi, false);
    view.setUint32(total - 4, bitsLo, false);
  }
  return view;
}

export function md5Hex(s: string): string {
  return md5(pad(s, true, new Uint8Array(paddedLength(s.length))));
}

export function sha256Hex(s: string): string {
  return sha256(pad(s, false, new Uint8Array(paddedLength(s.length))));
}

/**
 * The same digests writing their padded input into one buffer of their own, grown as needed:
 * for a caller that hashes many short strings in a row (a fingerprint cache).
 */
export class Hasher {
  private room = new Uint8Array(1024);

  md5Hex(s: string): string {
    return md5(pad(s, true, this.roomFor(s)));
  }

  sha256Hex(s: string): string {
    return sha256(pad(s, false, this.roomFor(s)));
  }

  private roomFor(s: string): Uint8Array {
    const total = paddedLength(s.length);
    if (this.room.length < total) this.room = new Uint8Array(total * 2);
    return this.room;
  }
}

const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const MD5_K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

function md5(v: DataView): string {
  let a0 = 0x67452301, b0 = 0xefcdab89, c0 = 0x98badcfe, d0 = 0x10325476;
  const m = new Uint32Array(16);
  for (let off = 0; off < v.byteLength; off += 64) {
    for (let i = 0; i < 16; i++) m[i] = v.getUint32(off + i * 4, true);
    let a = a0, b = b0, c = c0, d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number, g: number;
      const round = i >> 4;
      if (round === 0) { f = (b & c) | (~b & d); g = i; }
      else if (round === 1) { f = (d & b) | (~d & c); g = (5 * i + 1) & 15; }
      else if (round === 2) { f = b ^ c ^ d; g = (3 * i + 5) & 15; }
      else { f = c ^ (b | ~d); g = (7 * i) & 15; }
      const s = MD5_S[(round << 2) | (i & 3)];
      const sum = (a + f + MD5_K[i] + m[g]) | 0;
      a = d; d = c; c = b;
      b = (b + ((sum << s) | (sum >>> (32 - s)))) | 0;
    }
    a0 = (a0 + a) | 0; b0 = (b0 + b) | 0; c0 = (c0 + c) | 0; d0 = (d0 + d) | 0;
  }
  return toHex([a0 >>> 0, b0 >>> 0, c0 >>> 0, d0 >>> 0], true);
}

const SHA256_K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

function sha256(v: DataView): string {
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  for (let off = 0; off < v.byteLength; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = v.getUint32(off + i * 4, false);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (let i = 0; i < 64; i++) {
      const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + SHA256_K[i] + w[i]) | 0;
      const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  return toHex(h, false);
}
