/** One certificate file read by `tlsdoctor cert`, as the report's head lists it. */
export interface CertFileSummary {
  path: string;
  /** What was passed: a chain file, or --ca. */
  role: 'chain' | 'ca';
  encoding: 'pem' | 'der' | null;
  bytes: number;
  certificates: number;
  /** Blocks that are not certificates, a private key beside them. */
  notes: string[];
  error: string | null;
}

/** One certificate given, in the order given: where it came from and what it is. */
export interface CertChainEntry {
  /** `fullchain.pem:2`: the file and the certificate's place in it, from 1. */
  from: string;
  subject: string;
  issuer: string;
  sans: string[];
  notBefore: string;
  notAfter: string;
  /** Its public key: "EC P-256", "RSA 2048-bit", "Ed25519" (as --key's is named). */
  key: string;
  /** The issuer's signature algorithm ("sha256WithRSAEncryption"), where readable. */
  signature: string | null;
  isCA: boolean;
  selfSigned: boolean;
  serialNumber: string;
  fingerprint256: string;
  /** Why it is on no family's path: a duplicate of an earlier one, or unused. */
  unused: 'duplicate' | 'unused' | null;
  /** The SCTs it embeds (RFC 6962), which Chrome's distrust by date compares; null when it embeds none. */
  scts: CertSctSummary | CertSctListUnreadable | null;
}

/** A certificate's embedded SCTs: how many, and the earliest (the time Chrome's root program compares). */
export interface CertSctSummary {
  count: number;
  /** The earliest v1 SCT's time (ISO 8601) and its log's id (hex); null when every SCT is of a later version. */
  earliest: { time: string; logId: string } | null;
}

/** An SCT list the certificate holds but that cannot be read: why, with the byte offset in the certificate. */
export interface CertSctListUnreadable {
  malformed: string;
}

/** The private key given with --key. */
export interface CertKeySummary {
  path: string;
  /** "EC P-256", "RSA 2048-bit", "Ed25519". */
  key: string;
  /** Its public key is the leaf's. */
  matchesLeaf: boolean;
}

/** A certificate on a family's path, or the store's root it ends at. */
export interface CertPathStep {
  /** `fullchain.pem:1`, or `store` for a root the store holds. */
  from: string;
  subject: string;
  notAfter: string;
}

/** What a family's verdict rests on. */
export interface CertFamilyRowFacts {
  /** Who the family stands for. */
  label: string;
  /** Leaf first; a store's root last, where the path reached one. */
  path: CertPathStep[];
  /** anchored, issuer-missing, loop, too-long. */
  end: string;
  /** The path end in words. */
  endLine: string;
  /** Certificates given that this family's path does not use. */
  unused: string[];
}

/** How far the files carry: the first date on which some family stops trusting the chain. */
export interface CertValidity {
  /** The leaf's notAfter: every family fails after it. */
  leafUntil: string;
  /** The earliest date a family that trusts the chain now stops (a certificate on its path expires). */
  firstFailure: { at: string; families: string[] } | null;
}
