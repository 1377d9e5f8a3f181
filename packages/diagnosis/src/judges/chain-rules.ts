import type { CertificateInfo, CertificatePath } from '@tlsdoctor/analysis';
import type { Finding } from '../finding.js';

/** What a certificate is presented for: a server's chain, or a client's in mutual TLS. */
export type CertificatePurpose = 'server' | 'client';

/**
 * Everything the chain-rules judge reads: the same from certificate files, a capture, a probe or
 * a browser's log. The rules are those a certificate breaks whatever the trust store (purpose,
 * key, signature, lifetime, basic and name constraints, path length, a root program's distrust).
 */
export interface ChainRuleFacts {
  /** The certificates in the order served or given, leaf first; each with its profile where readable. */
  chain: CertificateInfo[];
  /** The path a verifier built from them; undefined where none was built (the order served is then the path, as far as its links go). */
  path?: CertificatePath;
  purpose: CertificatePurpose;
  /** When to judge (ms since the epoch), and how evidence names that time. */
  at: number;
  atLabel: string;
  /** The private key given with the chain, where one was: whether its public key is the leaf's, and how to name it. */
  key?: { matches: boolean; what: string };
  /** The path ends at a root of the public web PKI: browsers' lifetime caps and root programs apply. */
  publiclyTrusted: boolean;
  /** The client family whose root program is applied (distrust by date); undefined: every family the data knows. */
  client?: string;
  /** Where the chain was seen: the first evidence lines. */
  seen: string[];
}

/** Contract: the judge's rules land with their codes; until then it finds nothing. */
export function judgeChainRules(_f: ChainRuleFacts): Finding[] {
  return [];
}
