import type { CaptureAnalysis } from '@tlsdoctor/analysis';
import type { CaptureFormat, Endpoint } from '@tlsdoctor/capture';
import { worst, type Finding, type Severity } from '@tlsdoctor/diagnosis';
import { hex4 } from '@tlsdoctor/tls-parser-ts';
import { IDENTIFIERS, type Identifiers } from './identifiers.js';
import type { NetlogRowFacts, ProbeFacts, QuicRowFacts, TcpRowFacts } from './row-facts.js';
import type { CertChainEntry, CertFamilyRowFacts, CertFileSummary, CertKeySummary, CertValidity } from './cert-row-facts.js';

export const SCHEMA_VERSION = 2;
export const TOOL: ReportHead['tool'] = { name: 'tlsdoctor', version: '0.1.0' };

/** An address and port: the capture's own type, one for every package. */
export type { Endpoint } from '@tlsdoctor/capture';

interface ItemHead {
  id: number;
  /** Which input file (pcap) or which target (probe) it came from. */
  source: string;
  server: Endpoint;
  sni: string | null;
  /** `TLS 1.3`, as every report writes versions. */
  version: string | null;
  /** The same as its wire code, `0x0304`, for programs. */
  versionCode: string | null;
  cipher: string | null;
  alpn: string | null;
  ja3: string | null;
  ja3s: string | null;
  ja4: string | null;
  outcome: Severity;
  diagnoses: Finding[];
  /** What it names, for redaction (never printed). */
  [IDENTIFIERS]?: Identifiers;
}

/** What a captured connection's row has beside the head every row has. */
interface CapturedItem extends ItemHead {
  /** pcap: the input file's place in `input.files`, from 1 (ids restart at 0 in each file). */
  file?: number;
  client: Endpoint;
}

/** A TLS connection over TCP, read from a capture. */
export interface TcpItem extends CapturedItem {
  transport?: undefined;
  /**
   * Everything else that was measured, for --verbose, the Markdown details block and JSON; left
   * out of a row that a table shows without details (JSON rows always have it).
   */
  facts?: TcpRowFacts;
}

/** A QUIC connection, read from a capture: numbered apart from TCP ones, and labelled `q0`, `q1`. */
export interface QuicItem extends CapturedItem {
  transport: 'quic';
  facts?: QuicRowFacts;
}

export type CaptureItem = TcpItem | QuicItem;

/** One probed address of a target. */
export interface ProbeItem extends ItemHead {
  /** A probe is the client: its own address is not reported. */
  client?: undefined;
  facts: ProbeFacts;
}

/**
 * A connection (or a request that got none) read from a browser's NetLog: numbered in the order
 * the log ended them. A request whose name did not resolve has no server.
 */
export interface NetlogItem extends Omit<ItemHead, 'server'> {
  transport: 'netlog';
  /** The input file's place in `input.files`, from 1. */
  file?: number;
  /** The name the browser asked for. */
  host: string | null;
  server?: Endpoint;
  client?: Endpoint;
  facts?: NetlogRowFacts;
}

/**
 * One client family's verdict on certificate files (`tlsdoctor cert`): its trust store, the path
 * built to it, and the findings. No connection: the TLS fields of the head are null.
 */
export interface CertItem extends Omit<ItemHead, 'server'> {
  transport: 'cert';
  /** The family's key: chrome, mozilla, system, java, none. */
  family: string;
  /** The --store it comes from (default, system, java, none). */
  store: string;
  /** Where its roots were read from, and the date of that data. */
  storeSource: string;
  /** trusted (a path to a root), untrusted, or expired (a path, but a certificate on it or its root is not valid at the time judged). */
  verdict: 'trusted' | 'untrusted' | 'expired';
  /** The earliest notAfter on its path (the root's included), when the path reaches a root. */
  validUntil: string | null;
  server?: undefined;
  client?: undefined;
  facts: CertFamilyRowFacts;
}

/** One analysed connection (pcap, netlog), target address (probe) or client family (cert), as every renderer shows it. */
export type ReportItem = CaptureItem | ProbeItem | NetlogItem | CertItem;

export interface InputSummary {
  path: string;
  format?: CaptureFormat;
  gzip?: boolean;
  packets?: number;
  bytes?: number;
  warnings: string[];
  error: string | null;
  /**
   * With a key log or secrets blocks: TLS sessions known; the connections (TCP and QUIC) with
   * protected handshake records, how many it opened in full, and why each other one was not
   * (`first`: the first such connection's label).
   */
  decryption?: {
    sessions: number;
    connections: number;
    decrypted: number;
    unopened: number;
    notOpened: { why: 'no-secret' | 'not-decryptable' | 'record-failed'; reason: string; connections: number; first: string }[];
  };
  /**
   * This file takes up where the one before it stopped (a rotated capture) and was read on with
   * it as one capture: the seconds between that file's last packet and this one's first, and
   * the number its first frame got (frames are numbered on across the files).
   */
  continues?: { file: string; gapSeconds: number; firstFrame: number };
}

/** For a file read on from the one before it (a rotation), in words, for the report's head. */
export function continuationLine(f: InputSummary, index: number): string | undefined {
  const c = f.continues;
  if (!c) return undefined;
  return `[${index + 1}] continues [${index}] (${c.gapSeconds.toFixed(3)} s after its last packet): read as one capture; its frames are numbered from ${c.firstFrame}, as mergecap -a numbers them`;
}

/** What decryption did for one file, in words, for the report's head. */
export function decryptionLine(d: NonNullable<InputSummary['decryption']>): string {
  const keys = `key log: ${d.sessions} TLS session(s)`;
  if (d.connections === 0) return `${keys}; no connection in this file had protected handshake records`;
  const why = d.notOpened.map((m) => `${m.connections} because ${m.reason} (first: ${m.first})`);
  const notOpened = why.length > 0 ? `; not opened: ${why.join('; ')}` : '';
  return `${keys}; it opened the handshake of ${d.decrypted} of ${d.connections} connection(s)${notOpened} (of application data, only the status line of a TLS 1.3 server's first answer is read)`;
}

interface ReportHead {
  /** Changes only when a field changes meaning or disappears; new fields may come within a version. */
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'tlsdoctor'; version: string };
  generatedAt: string;
  /** Everything read, whatever the filters and the row limit let through. */
  summary: Summary;
  /** When filters narrowed the list: what they let through, and the filters. */
  listed?: Listed;
}

/** `tlsdoctor pcap`: the captures read and their connections. */
export interface PcapReport extends ReportHead {
  command: 'pcap';
  input: { files: InputSummary[] };
  connections?: CaptureItem[];
}

/** The probe's options that change what it measures, as the report records them. */
export interface ProbeOptionsSummary {
  profile: string;
  timeoutSeconds: number;
  decoySni: string;
  ws: string | null;
  ciphers: boolean;
}

/** `tlsdoctor probe`: the targets and their addresses. */
export interface ProbeReport extends ReportHead {
  command: 'probe';
  input: { targets: string[]; options?: ProbeOptionsSummary };
  targets?: ProbeItem[];
}

/** A NetLog read: what the file said of itself, and where a cut one stopped. */
export interface NetlogInputSummary {
  path: string;
  gzip: boolean;
  bytes: number;
  events: number;
  /** What wrote it, from its constants ("Chromium 156.0.8078.129"). */
  client: string | null;
  captureMode: string | null;
  /** The log ended with its closing brackets. */
  complete: boolean;
  warnings: string[];
  error: string | null;
}

/** `tlsdoctor netlog`: the browser logs read and their connections. */
export interface NetlogReport extends ReportHead {
  command: 'netlog';
  input: { files: NetlogInputSummary[]; host?: string };
  connections?: NetlogItem[];
}

/** What `tlsdoctor cert` was asked: the files, the key, the name, the purpose and the time. */
export interface CertInput {
  files: CertFileSummary[];
  key: CertKeySummary | null;
  /** --name as given, and as compared (IDNA); null: no name was checked. */
  name: string | null;
  nameAscii: string | null;
  purpose: 'server' | 'client';
  /** The time judged at (--at, or now). */
  at: string;
  /** The certificates given, in the order given. */
  chain: CertChainEntry[];
  /** Stores asked for or tried that this machine lacks, and why. */
  skippedStores: { store: string; why: string }[];
  validity: CertValidity | null;
}

/** `tlsdoctor cert`: certificate files judged offline, one row per client family. */
export interface CertReport extends ReportHead {
  command: 'cert';
  input: CertInput;
  families?: CertItem[];
}

export type Report = PcapReport | ProbeReport | NetlogReport | CertReport;

/** A report without its list of items: what goes out before them, or alone (NDJSON's last line). */
export type ListlessReport = Omit<PcapReport, 'connections'> | Omit<ProbeReport, 'targets'> | Omit<NetlogReport, 'connections'> | Omit<CertReport, 'families'>;

/** Where each command's report keeps its items. */
export const LIST_KEY = { pcap: 'connections', probe: 'targets', netlog: 'connections', cert: 'families' } as const;
export type ListKey = (typeof LIST_KEY)[keyof typeof LIST_KEY];

/** The items a report lists, whichever command made it. */
export function itemsOf(report: Report): readonly ReportItem[] {
  if (report.command === 'cert') return report.families ?? [];
  return (report.command === 'probe' ? report.targets : report.connections) ?? [];
}

/** The report without its list. */
export function listless(report: Report): ListlessReport {
  if (report.command === 'pcap' || report.command === 'netlog') {
    const { connections: _, ...head } = report;
    return head;
  }
  if (report.command === 'cert') {
    const { families: _, ...head } = report;
    return head;
  }
  const { targets: _, ...head } = report;
  return head;
}

export interface Listed extends Summary {
  filters: string[];
}

export interface Summary {
  total: number;
  bySeverity: Record<Severity, number>;
  byCode: Record<string, number>;
  worst: Severity;
}

/** A 16-bit registry code as JSON writes it: `0x0304`. */
export function wireCode(n: number): string {
  return `0x${hex4(n)}`;
}

/** `ip:port`, with IPv6 addresses in brackets. */
export function formatEndpoint(e: Endpoint | undefined): string {
  if (!e) return '';
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

export function summarize(items: ReportItem[]): Summary {
  const s = emptySummary();
  for (const it of items) addToSummary(s, it);
  return s;
}

export function emptySummary(): Summary {
  return { total: 0, bySeverity: { error: 0, warning: 0, info: 0, ok: 0 }, byCode: {}, worst: worst([]) };
}

/** Counts one more item, so that a report can summarise items it does not keep. */
export function addToSummary(s: Summary, it: ReportItem): void {
  s.total++;
  s.bySeverity[it.outcome]++;
  const primary = it.diagnoses[0];
  if (primary) s.byCode[primary.code] = (s.byCode[primary.code] ?? 0) + 1;
  s.worst = worst([s.worst, it.outcome]);
}

/**
 * How a report names an item: its id, prefixed by its file's number when the report read more
 * than one file (ids restart in each), as `2:14`.
 */
export function itemLabel(report: PcapReport, it: CaptureItem): string {
  const id = it.transport === 'quic' ? `q${it.id}` : String(it.id);
  return report.input.files.length > 1 && it.file !== undefined ? `${it.file}:${id}` : id;
}

/** What the list holds: the filtered items' summary, or everything's. */
export function listedSummary(report: Report): Summary {
  return report.listed ?? report.summary;
}

export function hasDetails(it: ReportItem, verbose: boolean): boolean {
  return verbose ? it.diagnoses.length > 0 : it.outcome !== 'ok';
}

/** Items of the summary with a details section (the report may keep fewer of them). */
export function itemsWithDetails(s: Summary, verbose: boolean): number {
  return verbose ? Object.values(s.byCode).reduce((a, b) => a + b, 0) : s.total - s.bySeverity.ok;
}

export function inputSummary(a: CaptureAnalysis): InputSummary {
  return {
    path: a.file,
    format: a.read.format,
    gzip: a.read.gzip,
    packets: a.read.packets,
    bytes: a.read.bytes,
    warnings: a.warnings,
    error: a.error ? a.error.message : null,
    ...(a.decryption ? { decryption: a.decryption } : {}),
  };
}
