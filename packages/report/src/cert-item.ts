import { keyWords, type CertificateInfo, type FileCertificate } from '@tlsdoctor/analysis';
import { worst, type Finding } from '@tlsdoctor/diagnosis';
import { certificateProfile, earliestSct, type EmbeddedSctList } from '@tlsdoctor/tls-parser-ts';
import { addCertificate, emptyIdentifiers, IDENTIFIERS, type Identifiers } from './identifiers.js';
import type { CertItem } from './model.js';
import type { CertChainEntry, CertFamilyRowFacts } from './cert-row-facts.js';

/** A certificate given, for the report's head: `from` is `file:index`. */
export function certChainEntry(c: FileCertificate, unused: CertChainEntry['unused']): CertChainEntry {
  let signature: string | null = null;
  if (c.cert) {
    try {
      signature = certificateProfile(new Uint8Array(c.cert.raw)).signatureAlgorithm;
    } catch {
      signature = null;
    }
  }
  const i = c.info;
  return {
    from: `${c.file}:${c.index}`,
    subject: i.subject,
    issuer: i.issuer,
    sans: i.sans,
    notBefore: i.notBefore,
    notAfter: i.notAfter,
    key: c.cert ? keyWords(c.cert.publicKey) : 'unknown key',
    signature,
    isCA: i.isCA,
    selfSigned: i.selfSigned,
    serialNumber: i.serialNumber,
    fingerprint256: i.fingerprint256,
    unused,
    scts: sctSummary(i.profile?.sctList),
  };
}

function sctSummary(list: EmbeddedSctList | undefined): CertChainEntry['scts'] {
  if (!list) return null;
  if ('malformed' in list) return { malformed: list.malformed };
  const first = earliestSct(list.scts);
  return { count: list.scts.length, earliest: first ? { time: first.time, logId: first.logId } : null };
}

/** What a family's row is made of, beside its findings. */
export interface CertFamilyRow {
  family: string;
  store: string;
  storeSource: string;
  /** The path reaches a root of the store. */
  anchored: boolean;
  /** Some certificate on the path, or its root, is not valid at the time judged. */
  outOfDate: boolean;
  validUntil: string | null;
  facts: CertFamilyRowFacts;
}

/**
 * A family's report row. The certificates and the name are registered as identifiers of every
 * row: the head that lists them is redacted with the rows' names.
 */
export function certItem(id: number, source: string, row: CertFamilyRow, diagnoses: Finding[], names: { chain: CertificateInfo[]; name?: string }): CertItem {
  return {
    id,
    transport: 'cert',
    source,
    family: row.family,
    store: row.store,
    storeSource: row.storeSource,
    verdict: !row.anchored ? 'untrusted' : row.outOfDate ? 'expired' : 'trusted',
    validUntil: row.validUntil,
    sni: null,
    version: null,
    versionCode: null,
    cipher: null,
    alpn: null,
    ja3: null,
    ja3s: null,
    ja4: null,
    outcome: worst(diagnoses.map((d) => d.severity)),
    diagnoses,
    facts: row.facts,
    [IDENTIFIERS]: certIdentifiers(names.chain, names.name),
  };
}

function certIdentifiers(chain: CertificateInfo[], name: string | undefined): Identifiers {
  const ids = emptyIdentifiers();
  for (const c of chain) addCertificate(ids, c);
  if (name) ids.hosts.push(name);
  return ids;
}
