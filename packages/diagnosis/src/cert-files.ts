import type { CertificateInfo, CertificatePath } from '@tlsdoctor/analysis';
import { decide } from './engine.js';
import type { Finding } from './finding.js';
import { judgeCertificate, type TrustVerdict } from './judges/certificate.js';
import { judgeChainRules, type CertificatePurpose } from './judges/chain-rules.js';

/** One client family's point of view on certificate files: its store, and the path built to it. */
export interface CertFamilyFacts {
  /** The certificates as given, leaf first. */
  chain: CertificateInfo[];
  path: CertificatePath;
  /** The family's key ('chrome', 'mozilla', 'system', 'java', 'none'): the root program applied. */
  client: string;
  /** How evidence names the store: "chrome's store (Node 20.19.5's bundled Mozilla roots (146))". */
  storeName: string;
  purpose: CertificatePurpose;
  at: number;
  atLabel: string;
  /** Warn when the leaf expires within this many days of `at` (--warn-days). */
  warnDays?: number;
  /** --name, in ASCII (IDNA) form; undefined: no name is checked. */
  name?: string;
  key?: { matches: boolean; what: string };
  /** The path ends at a root of the public web PKI (Mozilla's list). */
  publiclyTrusted: boolean;
  /** Another family's path to a root, where this one reaches none: its certificates (`file:index`) and its root. */
  otherPath?: { family: string; certificates: string[]; root: string };
  seen: string[];
}

/**
 * The trust verdict a verifier with this store would give, in the terms the certificate judge
 * reads (OpenSSL's errors as Node names them): a leaf with no issuer at all is a missing
 * intermediate; a path that stops higher up ends at a root the store lacks.
 */
export function pathVerdict(f: Pick<CertFamilyFacts, 'chain' | 'path' | 'storeName'>): TrustVerdict {
  const end = f.path.end;
  const storeName = f.storeName;
  if (end.kind === 'anchored') return { kind: 'store', intermediateMissing: false, anchored: true, storeName };
  if (end.kind === 'loop' || end.kind === 'too-long') return { kind: 'store', error: end.kind === 'loop' ? 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' : 'CERT_CHAIN_TOO_LONG', intermediateMissing: false, anchored: false, storeName };
  if (end.selfSigned) return { kind: 'store', error: f.path.order.length === 1 ? 'DEPTH_ZERO_SELF_SIGNED_CERT' : 'SELF_SIGNED_CERT_IN_CHAIN', intermediateMissing: false, anchored: false, storeName };
  // The path holds the leaf alone (and the leaf is no CA given first by mistake): its issuer is an intermediate.
  const leafAlone = f.path.order.length === 1 && !f.chain[f.path.order[0]].isCA;
  return { kind: 'store', error: leafAlone ? 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' : 'UNABLE_TO_GET_ISSUER_CERT', intermediateMissing: leafAlone, anchored: false, storeName };
}

/** How a path end reads in evidence. */
export function pathEndLine(path: CertificatePath): string {
  const e = path.end;
  switch (e.kind) {
    case 'anchored':
      return `the path ends at the ${e.anchorInChain ? 'anchor given in the chain' : 'store\'s root'} "${e.anchor.subject}"`;
    case 'issuer-missing':
      return e.selfSigned ? `the path ends at the root "${e.issuer}", which the store does not hold` : `the path stops: no certificate given and no root of the store is "${e.issuer}" with a key that verifies the signature`;
    case 'loop':
      return 'the path goes round: every issuer found is already on it (cross-signs that sign each other)';
    case 'too-long':
      return e.work ? `the path builder gave up after ${e.limit} steps (a mesh of cross-signs)` : `the path reached ${e.limit} certificates, where verifiers stop`;
  }
}

/** Every finding of one family, the primary first: the certificate judge (time, name, trust) and the chain rules. */
export function diagnoseCertFamily(f: CertFamilyFacts): Finding[] {
  // The certificate judge reads the chain as a verifier uses it: the path, leaf first.
  const onPath = f.path.order.map((i) => f.chain[i]);
  const trust = pathVerdict(f);
  const seen = [...f.seen, pathEndLine(f.path)];
  const found = [
    ...judgeCertificate({ chain: onPath, at: f.at, atLabel: f.atLabel, name: f.name, nameLabel: '--name', trust, seen, warnDays: f.warnDays }),
    ...judgeChainRules({ chain: f.chain, path: f.path, purpose: f.purpose, at: f.at, atLabel: f.atLabel, key: f.key, publiclyTrusted: f.publiclyTrusted, client: f.client, seen: f.seen }),
  ];
  const decided = decide(found);
  // Only a trust finding is about the store; another family's root is its evidence.
  const untrusted = decided.find((d) => TRUST_CODES.has(d.code));
  const o = f.otherPath;
  if (untrusted && o) untrusted.evidence.push(`${o.family} reaches the root "${o.root}" through ${o.certificates.join(' ← ')}: this client's store does not hold that root, so that chain serves it only where it trusts "${o.root}"`);
  return decided;
}

/** The certificate judge's findings that say the store found no path. */
const TRUST_CODES: ReadonlySet<string> = new Set(['CERT_UNTRUSTED', 'CERT_CHAIN_INCOMPLETE', 'CERT_SELF_SIGNED']);
