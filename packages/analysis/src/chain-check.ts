import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { buildPath, type GivenCertificate } from './chain-path.js';
import { TrustAnchors } from './trust-anchors.js';

export interface ChainCheck {
  /** Each certificate is issued by the next (signature verified where possible). */
  links: { from: number; to: number; ok: boolean }[];
  brokenAt?: number;
  /**
   * Set when the order sent breaks: the certificates from the leaf, each followed by the one sent
   * that issued it (its signature verified), as a verifier rebuilds them. Longer than the leaf
   * alone, the break is one of order, a duplicate or an extra certificate, not a missing one.
   */
  linkedOrder?: number[];
  /** The last certificate is self-signed (a root was sent). */
  endsInRoot: boolean;
  /**
   * The public root (Node's bundled list, Mozilla's) the chain ends in or is issued by, if any:
   * a chain without one verifies only for clients given its private root.
   */
  publicRoot?: string;
}

/**
 * Node's bundled roots (Mozilla's list), parsed when a chain is first checked: about 150
 * certificates, tens of milliseconds. Owned by whoever reads a capture (CaptureResources) and
 * shared by its connections; nothing is kept between captures in the module.
 */
export class PublicRoots {
  private parsed: X509Certificate[] | undefined;

  get certificates(): X509Certificate[] {
    if (!this.parsed) {
      this.parsed = [];
      for (const pem of tls.rootCertificates) {
        try {
          this.parsed.push(new X509Certificate(pem));
        } catch {
          /* a bundle entry Node cannot read */
        }
      }
    }
    return this.parsed;
  }
}

function publicRootOf(last: X509Certificate, roots: PublicRoots): string | undefined {
  for (const root of roots.certificates) {
    // The names first: verifying a signature costs far more than comparing two strings.
    if (root.subject !== last.issuer && root.subject !== last.subject) continue;
    try {
      if (root.fingerprint256 === last.fingerprint256 || (last.checkIssued(root) && last.verify(root.publicKey))) return root.subject.split('\n').join(', ');
    } catch {
      /* not this one */
    }
  }
  return undefined;
}

/**
 * Steps a broken order's relinking may take: a chain sent has a handful of certificates, a hostile
 * one thousands, and a capture holds many connections (a file's path gets the builder's full budget).
 */
const LINK_WORK = 64;

export function checkChain(given: readonly GivenCertificate[], roots: PublicRoots): ChainCheck {
  const certs = given.map((g) => g.cert);
  const links: ChainCheck['links'] = [];
  let brokenAt: number | undefined;
  for (let i = 0; i + 1 < certs.length; i++) {
    const a = certs[i];
    const b = certs[i + 1];
    let ok = false;
    if (a && b) {
      try {
        ok = a.checkIssued(b) && a.verify(b.publicKey);
      } catch {
        ok = false;
      }
    }
    links.push({ from: i, to: i + 1, ok });
    if (!ok && brokenAt === undefined) brokenAt = i;
  }
  // The order broken, the links are rebuilt as a verifier builds a path, from the certificates sent
  // alone: no store's anchors, as a capture's client is unknown (its verdict comes from its own alert).
  const linkedOrder = brokenAt === undefined ? undefined : buildPath(given, new TrustAnchors('sent', []), Date.now(), 0, LINK_WORK).order;
  // The path's end is where a root would follow: an extra certificate sent last is not it.
  const last = certs[linkedOrder ? linkedOrder[linkedOrder.length - 1] : certs.length - 1];
  let endsInRoot = false;
  if (last && last.subject === last.issuer) {
    try {
      endsInRoot = last.verify(last.publicKey);
    } catch {
      endsInRoot = false;
    }
  }
  const publicRoot = last ? publicRootOf(last, roots) : undefined;
  return { links, brokenAt, ...(linkedOrder ? { linkedOrder } : {}), endsInRoot, ...(publicRoot ? { publicRoot } : {}) };
}
