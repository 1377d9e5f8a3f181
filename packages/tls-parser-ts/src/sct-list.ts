import { signatureSchemeName } from './names.js';
import { ByteReader, hex } from './reader.js';

/**
 * One Signed Certificate Timestamp (RFC 6962 3.2) as a certificate embeds it: a log's promise to
 * publish the certificate, dated by the log.
 */
export interface SignedCertificateTimestampV1 {
  /** RFC 6962's `v1`, encoded as 0. */
  version: 0;
  /** The log's id: the SHA-256 of its public key, lowercase hex. */
  logId: string;
  /** When the log signed, in ms since the epoch, and the same as ISO 8601. */
  timestamp: number;
  time: string;
  /**
   * The DigitallySigned's SignatureAndHashAlgorithm by the TLS registry's name: TLS 1.2's
   * (hash, signature) pairs are the code points of TLS 1.3's SignatureScheme, so (sha256, ecdsa)
   * reads as ecdsa_secp256r1_sha256.
   */
  signatureAlgorithm: string;
}

/** An SCT of a version this reader does not know: RFC 6962 leaves its layout to that version. */
export interface SignedCertificateTimestampOther {
  version: number;
}

export type SignedCertificateTimestamp = SignedCertificateTimestampV1 | SignedCertificateTimestampOther;

export const isSctV1 = (s: SignedCertificateTimestamp): s is SignedCertificateTimestampV1 => s.version === 0;

/** The largest time a JavaScript Date holds (ECMA-262: 8.64e15 ms): a log's time past it is no date. */
const LAST_DATE_MS = 8.64e15;

/**
 * Reads a TLS-encoded SignedCertificateTimestampList (RFC 6962 3.3): a u16-length list of
 * u16-length SerializedSCTs, to the reader's end. A reader over a certificate's bytes keeps the
 * certificate's numbering, so an error's offset points into the certificate. Throws
 * TlsParseError with the offset.
 */
export function readSctList(r: ByteReader): SignedCertificateTimestamp[] {
  const list = r.vec16('SignedCertificateTimestampList');
  r.expectEnd('SignedCertificateTimestampList');
  // RFC 6962 gives the list and each entry a length of at least 1.
  if (list.remaining === 0) list.fail('SerializedSCT', 'an empty list');
  const out: SignedCertificateTimestamp[] = [];
  while (list.remaining > 0) {
    const one = list.vec16('SerializedSCT');
    if (one.remaining === 0) one.fail('SerializedSCT', 'an empty entry');
    out.push(readSct(one));
  }
  return out;
}

/** The same from bytes alone (a list a TLS extension or OCSP response carries). */
export const parseSctList = (bytes: Uint8Array): SignedCertificateTimestamp[] => readSctList(new ByteReader(bytes));

function readSct(r: ByteReader): SignedCertificateTimestamp {
  const version = r.u8('SCT version');
  if (version !== 0) return { version };
  const logId = hex(r.bytes(32, 'SCT log id'));
  const high = r.u32('SCT timestamp');
  const timestamp = high * 2 ** 32 + r.u32('SCT timestamp');
  if (timestamp > LAST_DATE_MS) r.fail('SCT timestamp', `${timestamp} ms is past any date`);
  r.vec16('SCT extensions');
  const hash = r.u8('SCT hash algorithm');
  const signature = r.u8('SCT signature algorithm');
  r.vec16('SCT signature');
  r.expectEnd('SerializedSCT');
  return { version, logId, timestamp, time: new Date(timestamp).toISOString(), signatureAlgorithm: signatureSchemeName((hash << 8) | signature) };
}

/** The earliest of the v1 SCTs, or undefined when there is none. */
export function earliestSct(scts: readonly SignedCertificateTimestamp[]): SignedCertificateTimestampV1 | undefined {
  let first: SignedCertificateTimestampV1 | undefined;
  for (const s of scts) if (isSctV1(s) && (!first || s.timestamp < first.timestamp)) first = s;
  return first;
}
