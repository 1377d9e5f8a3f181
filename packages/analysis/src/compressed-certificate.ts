import { brotliDecompressSync, inflateSync } from 'node:zlib';
import type { CompressedCertificate } from '@tlsdoctor/tls-parser-ts';

/** The largest Certificate message inflated: as large as any handshake message the reader takes. */
const MAX_INFLATED = 256 * 1024;

/** RFC 8879's algorithm numbers for the two it names that Node inflates. */
const ZLIB = 1;
const BROTLI = 2;

/** A CompressedCertificate's Certificate message (zlib or brotli, RFC 8879), bounded in size. */
export function inflateCertificate(c: CompressedCertificate): Uint8Array {
  if (c.uncompressedLength > MAX_INFLATED) throw new RangeError(`it says it inflates to ${c.uncompressedLength} bytes, more than ${MAX_INFLATED}`);
  const opts = { maxOutputLength: Math.max(1, c.uncompressedLength) };
  let out: Buffer;
  if (c.algorithm === ZLIB) out = inflateSync(c.compressed, opts);
  else if (c.algorithm === BROTLI) out = brotliDecompressSync(c.compressed, opts);
  else throw new RangeError(`compression algorithm ${c.algorithm} is not read (zlib and brotli are)`);
  if (out.length !== c.uncompressedLength) throw new RangeError(`it inflates to ${out.length} bytes, not the ${c.uncompressedLength} it says`);
  return new Uint8Array(out);
}
