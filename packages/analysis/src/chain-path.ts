import type { X509Certificate } from 'node:crypto';
import type { CertificateInfo } from './certificate.js';
import type { TrustAnchors } from './trust-anchors.js';

/**
 * How a verifier's path from the leaf ended. A union: each end says only what was seen there.
 */
export type PathEnd =
  /** The last certificate of the path is a trust anchor, or is issued by one (its signature verified). */
  | { kind: 'anchored'; anchor: CertificateInfo; store: string; anchorInChain: boolean }
  /**
   * No certificate given and no anchor of the store issued the last one. `selfSigned`: the last
   * one is a root (its own issuer) that the store does not hold.
   */
  | { kind: 'issuer-missing'; issuer: string; selfSigned?: true }
  /** Every candidate issuer was already on the path (cross-signs that sign each other). */
  | { kind: 'loop' }
  /**
   * The path reached the length the builder stops at; `work`: it ran out of steps first (a mesh
   * of cross-signs), `limit` then being that number.
   */
  | { kind: 'too-long'; limit: number; work?: true };

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

/** A certificate as given: parsed where it could be. */
export interface GivenCertificate {
  cert?: X509Certificate;
  info: CertificateInfo;
}

/** Certificates on a path at most (the leaf and the anchor's child included); OpenSSL's default depth is 100, browsers stop far sooner. */
export const PATH_DEPTH_LIMIT = 10;
/**
 * Steps (certificates visited, signatures checked) one build may take: a mesh of cross-signs
 * offers paths in numbers that grow with the factorial of its size, and a verifier gives up
 * rather than try them all.
 */
export const PATH_WORK_LIMIT = 2000;

/** A finished attempt, before the best is chosen. */
interface Attempt {
  order: number[];
  end: PathEnd;
  /** Certificates on it (and its anchor) not valid at the time asked. */
  outOfDate: number;
  /** It ends at a certificate given that is the anchor itself, byte for byte (a root sent along). */
  endsAtCopy?: boolean;
}

/** `issuer` issued `child`: its subject is the child's issuer name and its key verifies the child's signature. */
const issuedBy = (child: X509Certificate, issuer: X509Certificate): boolean => {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
};

const validAt = (info: CertificateInfo, at: number): boolean => !info.error && Date.parse(info.notBefore) <= at && at <= Date.parse(info.notAfter);

/**
 * Ranks ends: a path to an anchor first; then giving up (what the paths not tried hold is not
 * known); then one that names what is missing; then the rest.
 */
function endRank(e: PathEnd): number {
  if (e.kind === 'too-long') return e.work ? 1 : 3;
  return { anchored: 0, 'issuer-missing': 2, loop: 4 }[e.kind];
}

function better(a: Attempt, b: Attempt | undefined): boolean {
  if (!b) return true;
  if (endRank(a.end) !== endRank(b.end)) return endRank(a.end) < endRank(b.end);
  if (a.end.kind !== 'anchored') return a.order.length > b.order.length; // the deepest failure names the issuer a verifier would ask for
  if (a.outOfDate !== b.outOfDate) return a.outOfDate < b.outOfDate;
  // The same anchor reached with its copy given or from the store: the path shows the copy given.
  if (b.end.kind === 'anchored' && a.end.anchor.fingerprint256 === b.end.anchor.fingerprint256 && !!a.endsAtCopy !== !!b.endsAtCopy) return !!a.endsAtCopy;
  return a.order.length < b.order.length;
}

/**
 * Builds the path a verifier would: from the first certificate given (the leaf), each step an
 * issuer whose subject is the certificate's issuer name and whose key verifies its signature,
 * among the certificates given and the store's anchors. Every candidate is tried (cross-signs);
 * a path to an anchor beats any other, then one whose certificates are valid at `at`, then the
 * shortest. Bounded by depth (`PATH_DEPTH_LIMIT`) and by steps taken (`work`, `PATH_WORK_LIMIT` unless
 * the caller spends less).
 */
/**
 * The path a verifier builds from the certificates given, from the leaf (`leaf`: its index, the
 * first unless the caller knows better, as a private key that is a later certificate's tells).
 */
export function buildPath(given: readonly GivenCertificate[], anchors: TrustAnchors, at = Date.now(), leaf = 0, work = PATH_WORK_LIMIT): CertificatePath {
  const duplicates: number[] = [];
  const seen = new Set<string>();
  given.forEach((g, i) => {
    const fp = g.info.fingerprint256;
    if (seen.has(fp)) duplicates.push(i);
    else seen.add(fp);
  });
  const repeated = new Set(duplicates);
  const distinct = given.map((_, i) => i).filter((i) => !repeated.has(i) && given[i].cert);
  const builder = new Builder(given, distinct, anchors, at, work);
  const best = given[leaf]?.cert ? builder.extend([leaf], 0) : undefined;
  const order = best?.order ?? (given.length > 0 ? [leaf] : []);
  const on = new Set(order);
  const unused = given.map((_, i) => i).filter((i) => !on.has(i) && !repeated.has(i));
  const end: PathEnd = best?.end ?? { kind: 'issuer-missing', issuer: given[leaf]?.info.issuer ?? '' };
  return { order, end, unused, duplicates };
}

/** One build's state: the signature checks already made, and the steps left. */
class Builder {
  private readonly checked = new Map<string, boolean>();
  private work: number;

  constructor(
    private readonly given: readonly GivenCertificate[],
    private readonly distinct: readonly number[],
    private readonly anchors: TrustAnchors,
    private readonly at: number,
    private readonly limit: number,
  ) {
    this.work = limit;
  }

  private issues(issuer: number, child: number): boolean {
    const key = `${issuer}>${child}`;
    let ok = this.checked.get(key);
    if (ok === undefined) {
      this.work--;
      ok = issuedBy(this.given[child].cert as X509Certificate, this.given[issuer].cert as X509Certificate);
      this.checked.set(key, ok);
    }
    return ok;
  }

  private outOfDate(order: number[], anchor?: CertificateInfo): number {
    return order.filter((i) => !validAt(this.given[i].info, this.at)).length + (anchor && !validAt(anchor, this.at) ? 1 : 0);
  }

  /** The best attempt that continues `order` (whose last certificate is `order[depth]`). */
  extend(order: number[], depth: number): Attempt {
    this.work--;
    const last = order[depth];
    const g = this.given[last];
    const cert = g.cert as X509Certificate;
    const inStore = this.anchors.holding(cert);
    if (inStore) return { order, end: { kind: 'anchored', anchor: inStore, store: this.anchors.name, anchorInChain: true }, outOfDate: this.outOfDate(order), endsAtCopy: inStore.fingerprint256 === g.info.fingerprint256 };
    let best: Attempt | undefined;
    const consider = (a: Attempt) => {
      if (better(a, best)) best = a;
    };
    for (const anchor of this.anchors.issuersOf(cert, () => this.work-- > 0)) {
      const info = this.anchors.describe(anchor);
      consider({ order, end: { kind: 'anchored', anchor: info, store: this.anchors.name, anchorInChain: false }, outOfDate: this.outOfDate(order, info) });
    }
    if (g.info.selfSigned) {
      consider({ order, end: { kind: 'issuer-missing', issuer: g.info.issuer, selfSigned: true }, outOfDate: 0 });
      return best as Attempt;
    }
    let candidates = 0;
    let onPath = 0;
    for (const i of this.distinct) {
      if (this.given[i].cert?.subject !== cert.issuer) continue;
      if (this.work <= 0) {
        // Out of steps with an issuer left untried: nothing is known of what lies past it.
        consider({ order, end: { kind: 'too-long', limit: this.limit, work: true }, outOfDate: 0 });
        return best as Attempt;
      }
      if (!this.issues(i, last)) continue;
      candidates++;
      if (order.includes(i)) {
        onPath++;
        continue;
      }
      if (depth + 1 >= PATH_DEPTH_LIMIT) {
        consider({ order, end: { kind: 'too-long', limit: PATH_DEPTH_LIMIT }, outOfDate: 0 });
        continue;
      }
      consider(this.extend([...order, i], depth + 1));
    }
    // Issuers were found but each was on the path already: the cross-signs go round.
    if (candidates > 0 && onPath === candidates) consider({ order, end: { kind: 'loop' }, outOfDate: 0 });
    else if (candidates === 0) consider({ order, end: { kind: 'issuer-missing', issuer: g.info.issuer }, outOfDate: 0 });
    return best as Attempt;
  }
}
