import type { X509Certificate } from 'node:crypto';
import { describeCertificate, type CertificateInfo } from './certificate.js';

/**
 * The anchors of one trust store (a client family's roots, plus --ca), indexed by subject: a
 * path builder asks for the issuers of a name many times, and a store holds hundreds of roots.
 * Owned by the run that reads the store; nothing is kept in the module.
 */
export class TrustAnchors {
  private readonly bySubject = new Map<string, X509Certificate[]>();
  private readonly fingerprints = new Map<string, X509Certificate>();
  private readonly described = new Map<X509Certificate, CertificateInfo>();

  /** `name`: how a path's end names the store ("mozilla", "system"). */
  constructor(
    readonly name: string,
    readonly certificates: readonly X509Certificate[],
  ) {
    for (const c of certificates) {
      if (this.fingerprints.has(c.fingerprint256)) continue;
      this.fingerprints.set(c.fingerprint256, c);
      const list = this.bySubject.get(c.subject);
      if (list) list.push(c);
      else this.bySubject.set(c.subject, [c]);
    }
  }

  get size(): number {
    return this.fingerprints.size;
  }

  /**
   * The anchor a given certificate is, where the store holds it: the same bytes, or the same
   * name and key (a root re-issued with new dates is the same anchor to a verifier).
   */
  holding(cert: X509Certificate): CertificateInfo | undefined {
    const same = this.fingerprints.get(cert.fingerprint256);
    if (same) return this.describe(same);
    const spki = spkiOf(cert);
    const twin = (this.bySubject.get(cert.subject) ?? []).find((a) => spki !== undefined && spkiOf(a) === spki);
    return twin ? this.describe(twin) : undefined;
  }

  /** The anchors whose name is the certificate's issuer and whose key verifies it; `spend` is asked before each signature check. */
  issuersOf(cert: X509Certificate, spend: () => boolean): X509Certificate[] {
    const out: X509Certificate[] = [];
    for (const a of this.bySubject.get(cert.issuer) ?? []) {
      if (!spend()) break;
      try {
        if (cert.checkIssued(a) && cert.verify(a.publicKey)) out.push(a);
      } catch {
        /* a key type this Node cannot check: not an issuer it can use */
      }
    }
    return out;
  }

  describe(anchor: X509Certificate): CertificateInfo {
    let info = this.described.get(anchor);
    if (!info) {
      info = describeCertificate(anchor.raw).info;
      this.described.set(anchor, info);
    }
    return info;
  }
}

/** The DER of a certificate's public key, to tell the same key under two certificates. */
export function spkiOf(cert: X509Certificate): string | undefined {
  try {
    return cert.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  } catch {
    return undefined;
  }
}
