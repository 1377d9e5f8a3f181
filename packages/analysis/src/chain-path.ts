import type { CertificateInfo } from './certificate.js';

/**
 * How a verifier's path from the leaf ended. A union: each end says only what was seen there.
 */
export type PathEnd =
  /** The last certificate of the path is a trust anchor, or is issued by one (its signature verified). */
  | { kind: 'anchored'; anchor: CertificateInfo; store: string; anchorInChain: boolean }
  /** No certificate given and no anchor of the store issued the last one. */
  | { kind: 'issuer-missing'; issuer: string }
  /** Every candidate issuer was already on the path (cross-signs that sign each other). */
  | { kind: 'loop' }
  /** The path reached the length the builder stops at. */
  | { kind: 'too-long'; limit: number };

/**
 * A path built from the certificates as served or given (any order, extras, duplicates) to a
 * trust anchor, as a verifier builds it (RFC 4158): issuer name, then signature.
 */
export interface CertificatePath {
  /** Indexes into the certificates given, leaf first, each issued by the next. */
  order: number[];
  end: PathEnd;
  /** Certificates given that lie on no path from the leaf. */
  unused: number[];
  /** Certificates given that repeat an earlier one (the same bytes). */
  duplicates: number[];
}
