import { buildPath, keyMatches, loadFamilies, PublicRoots, readCertificateFile, readPrivateKey, type CertificateFileRead, type CertificatePath, type FileCertificate, type PrivateKeyRead, type TrustFamily } from '@tlsdoctor/analysis';
import { diagnoseCertFamily, pathEndLine, type Finding } from '@tlsdoctor/diagnosis';
import { certChainEntry, certItem, SCHEMA_VERSION, summarize, TOOL, type CertChainEntry, type CertFamilyRow, type CertFileSummary, type CertItem, type CertReport, type CertValidity, type RedactMode } from '@tlsdoctor/report';
import { parseAt, parseName, parsePassword, parsePurpose, parseStores } from './cert-options.js';
import { exitFor, type FailOn, reportingInputErrors, UsageError } from './exit.js';
import { writeReport, type Format } from './output.js';

export interface CertCliOptions {
  files: string[];
  key?: string;
  password?: string;
  name?: string;
  purpose?: string;
  at?: string;
  ca: string[];
  stores: string[];
  /** Warn when the leaf expires within this many days of the time judged. */
  warnDays?: number;
  format: Format;
  redact: RedactMode;
  verbose: boolean;
  failOn?: FailOn;
  limit: number;
}

/** What was read before any family judged it. */
interface Inputs {
  reads: CertificateFileRead[];
  cas: CertificateFileRead[];
  given: FileCertificate[];
  key?: PrivateKeyRead;
}

function readInputs(o: CertCliOptions): Inputs {
  if (o.files.length === 0) throw new UsageError('name the certificate file(s), leaf first (fullchain.pem)');
  if (o.files.includes('-')) throw new UsageError('cert reads certificate files, not standard input: name the file');
  if (o.password !== undefined && o.key === undefined) throw new UsageError('--password opens the --key file: name it too');
  const reads = o.files.map((f) => readCertificateFile(f));
  const cas = o.ca.map((f) => readCertificateFile(f, `--ca ${f}`));
  const given = reads.flatMap((r) => r.certificates);
  const key = o.key === undefined ? undefined : readPrivateKey(o.key, parsePassword(o.password));
  return { reads, cas, given, key };
}

function fileSummary(r: CertificateFileRead, role: CertFileSummary['role']): CertFileSummary {
  return { path: r.path, role, encoding: r.encoding, bytes: r.bytes, certificates: r.certificates.length, notes: r.notes, error: null };
}

const label = (c: FileCertificate) => `${c.file}:${c.index}`;

/** The earliest notAfter on an anchored path, its root included: the day this family stops. */
function pathUntil(given: FileCertificate[], path: CertificatePath): string | null {
  if (path.end.kind !== 'anchored') return null;
  const dates = [...path.order.map((i) => given[i].info.notAfter), path.end.anchor.notAfter].filter(Boolean).sort();
  return dates[0] ?? null;
}

/** Some certificate on the path, or its root, is not valid at the time judged. */
function outOfDate(given: FileCertificate[], path: CertificatePath, at: number): boolean {
  const infos = [...path.order.map((i) => given[i].info), ...(path.end.kind === 'anchored' ? [path.end.anchor] : [])];
  return infos.some((c) => Date.parse(c.notBefore) > at || Date.parse(c.notAfter) < at);
}

function familyRow(f: TrustFamily, given: FileCertificate[], path: CertificatePath, at: number): CertFamilyRow {
  const steps = path.order.map((i) => ({ from: label(given[i]), subject: given[i].info.subject, notAfter: given[i].info.notAfter }));
  const end = path.end;
  if (end.kind === 'anchored' && !end.anchorInChain) steps.push({ from: 'store', subject: end.anchor.subject, notAfter: end.anchor.notAfter });
  return {
    family: f.key,
    store: f.store,
    storeSource: f.source,
    anchored: end.kind === 'anchored',
    outOfDate: outOfDate(given, path, at),
    validUntil: pathUntil(given, path),
    facts: { label: f.label, path: steps, end: end.kind, endLine: pathEndLine(path), unused: [...path.unused, ...path.duplicates].sort((a, b) => a - b).map((i) => label(given[i])) },
  };
}

/** Another family's path to a root, for the evidence of one that reaches none. */
function otherPath(families: TrustFamily[], paths: CertificatePath[], other: number, given: FileCertificate[]) {
  const end = paths[other]?.end;
  if (!end || end.kind !== 'anchored') return {};
  return { otherPath: { family: families[other].key, certificates: paths[other].order.map((i) => label(given[i])), root: end.anchor.subject } };
}

/** The first date a family that trusts the chain now stops: the earliest end of the anchored paths. */
function validity(given: FileCertificate[], leaf: number, items: CertItem[]): CertValidity | null {
  if (given.length === 0) return null;
  const trusting = items.filter((it) => it.verdict === 'trusted' && it.validUntil);
  const first = trusting.map((it) => it.validUntil as string).sort()[0];
  return { leafUntil: given[leaf].info.notAfter, firstFailure: first ? { at: first, families: trusting.filter((it) => it.validUntil === first).map((it) => it.family) } : null };
}

/** The entries of the head's chain list: each certificate given, and whether any family's path uses it. */
function chainEntries(given: FileCertificate[], paths: CertificatePath[]): CertChainEntry[] {
  const used = new Set(paths.flatMap((p) => p.order));
  const dup = new Set(paths[0]?.duplicates ?? []);
  return given.map((c, i) => certChainEntry(c, dup.has(i) ? 'duplicate' : used.has(i) || paths.length === 0 ? null : 'unused'));
}

/** `tlsdoctor cert`: certificate files judged offline, as each client family would verify them. */
export async function runCert(o: CertCliOptions): Promise<number> {
  return reportingInputErrors(async () => judgeFiles(o));
}

function judgeFiles(o: CertCliOptions): number {
  const now = Date.now();
  const { at, label: atLabel } = parseAt(o.at, now);
  const name = parseName(o.name);
  const purpose = parsePurpose(o.purpose);
  const stores = parseStores(o.stores);
  const input = readInputs(o);
  const roots = new PublicRoots();
  const { families, skipped } = loadFamilies(stores, input.cas.flatMap((r) => r.certificates.flatMap((c) => (c.cert ? [c.cert] : []))), roots);
  if (families.length === 0) throw new UsageError(`no trust store to judge with: ${skipped.map((s) => `${s.store}: ${s.why}`).join('; ')}`);
  const publicRoots = new Set(roots.certificates.map((c) => c.fingerprint256));
  const { given, key } = input;
  const chain = given.map((c) => c.info);
  // nginx pairs the key with the first certificate; a key that is a later one's names the leaf.
  const first = given[0];
  const keyFacts = key && first.cert ? { matches: keyMatches(key, first.cert), what: `--key ${key.path} (${key.description})` } : undefined;
  const leaf = key && keyFacts && !keyFacts.matches ? Math.max(0, given.findIndex((c) => c.cert && keyMatches(key, c.cert))) : 0;
  const paths = families.map((f) => buildPath(given, f.anchors, at, leaf));
  const seen = [`${given.length} certificate(s) given: ${o.files.join(', ')}`];
  const items = families.map((f, k) => {
    const path = paths[k];
    const row = familyRow(f, given, path, at);
    const other = families.findIndex((_, j) => paths[j].end.kind === 'anchored' && paths[j].order.join() !== path.order.join());
    const findings: Finding[] = diagnoseCertFamily({
      chain,
      path,
      client: f.key,
      storeName: `the ${f.key} store (${f.source})`,
      purpose,
      at,
      atLabel,
      warnDays: o.warnDays,
      ...(name ? { name: name.ascii } : {}),
      ...(keyFacts ? { key: keyFacts } : {}),
      publiclyTrusted: path.end.kind === 'anchored' && publicRoots.has(path.end.anchor.fingerprint256),
      ...otherPath(families, paths, other, given),
      seen: [...seen, `client family ${f.key} (${f.label}): roots from ${f.source}`],
    });
    return certItem(k, o.files[0], row, findings, { chain, ...(name ? { name: name.ascii } : {}) });
  });
  const report: CertReport = {
    schemaVersion: SCHEMA_VERSION,
    tool: TOOL,
    command: 'cert',
    generatedAt: new Date(now).toISOString(),
    input: {
      files: [...input.reads.map((r) => fileSummary(r, 'chain')), ...input.cas.map((r) => fileSummary(r, 'ca'))],
      key: key && keyFacts ? { path: key.path, key: key.description, matchesLeaf: keyFacts.matches } : null,
      name: name?.name ?? null,
      nameAscii: name?.ascii ?? null,
      purpose,
      at: new Date(at).toISOString(),
      chain: chainEntries(given, paths),
      skippedStores: skipped.map((s) => ({ store: s.store, why: s.why })),
      validity: validity(given, leaf, items),
    },
    summary: summarize(items),
    families: items,
  };
  writeReport(report, o.format, o.redact, o.verbose, o.limit);
  return exitFor(report.summary.worst, false, o.failOn);
}
