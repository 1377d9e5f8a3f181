import { SSLV2_X509_CERTIFICATE } from './hello.js';
import { ContentType, Sslv2MessageType } from './names.js';

/** RFC 5246 6.2.3: no TLSCiphertext may exceed 2^14 + 2048 bytes of fragment. */
export const MAX_RECORD_LENGTH = 16384 + 2048;
export const RECORD_HEADER_LENGTH = 5;

export interface RecordHeader {
  contentType: number;
  version: number;
  length: number;
}

/** True when the byte could open a TLS record (content types 20 to 24). */
export function isTlsContentType(b: number): boolean {
  return b >= ContentType.ChangeCipherSpec && b <= ContentType.Heartbeat;
}

/**
 * What the first bytes of a stream say about it: a TLS record, an SSL 2.0-format ClientHello,
 * something else, or too few bytes to tell.
 */
export function classifyStreamStart(b: Uint8Array): 'tls' | 'sslv2' | 'sslv2-server' | 'other' | 'short' {
  if (b.length === 0) return 'short';
  if (isTlsContentType(b[0])) {
    if (b.length < 2) return 'short';
    // Record versions seen in the wild: 0x0300-0x0304 (and 0x0301 on most first records);
    // SSLv3/TLS all have major 3. DTLS is not carried over TCP.
    if (b[1] !== 3) return 'other';
    if (b.length < 3) return 'short';
    return b[2] <= 4 ? 'tls' : 'other';
  }
  if ((b[0] & 0x80) !== 0) {
    if (b.length < 5) return 'short';
    // SSLv2 CLIENT-HELLO: msg type 1, then version 0x0002 or 0x03xx.
    if (b[2] === Sslv2MessageType.ClientHello && ((b[3] === 0 && b[4] === 2) || b[3] === 3)) return 'sslv2';
    // SSLv2 SERVER-HELLO: msg type 4, session_id_hit 0 or 1, certificate type 1 (X.509).
    if (b[2] === Sslv2MessageType.ServerHello && b[3] <= 1 && b[4] === SSLV2_X509_CERTIFICATE) return 'sslv2-server';
  }
  return 'other';
}

/** A record header lies whole in `b` at `i` and is a TLS one (the fast path may take the record). */
export function startsTlsRecord(b: Uint8Array, i: number): boolean {
  return isTlsContentType(b[i]) && b[i + 1] === 3 && b[i + 2] <= 4;
}

/**
 * A record body, b[start, end), is one whole hello of type `hello` (ClientHello or ServerHello):
 * its type byte and 24-bit length agree, and its version starts with 3. Under keys, such a body
 * is a hello still in clear.
 */
export function holdsOneHello(b: Uint8Array, start: number, end: number, hello: number): boolean {
  if (end - start < 4 + 38 || b[start] !== hello) return false;
  const len = (b[start + 1] << 16) | (b[start + 2] << 8) | b[start + 3];
  return len === end - start - 4 && b[start + 4] === 3;
}
