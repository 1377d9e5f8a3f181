import type { CaptureAnalysis, ConnectionRecord } from '@tlsdoctor/analysis';
import type { Endpoint } from '@tlsdoctor/capture';
import { worst, type Finding, type Severity } from '@tlsdoctor/diagnosis';
import { cipherSuiteName, extensionName, groupName, hex4, quicVersionName, signatureSchemeName, versionName } from '@tlsdoctor/tls-parser-ts';
import { ladderOf } from './ladder.js';
import { addCertificate, emptyIdentifiers, IDENTIFIERS, type Identifiers } from './identifiers.js';

export const SCHEMA_VERSION = 1;
export const TOOL = { name: 'tlsdoctor', version: '0.1.0' };

/** An address and port: the capture's own type, one for every package. */
export type { Endpoint } from '@tlsdoctor/capture';

/** One analysed connection (pcap) or target address (probe), as every renderer shows it. */
export interface ReportItem {
  id: number;
  /** Set for a QUIC connection: QUIC connections are numbered apart from TCP ones, and labelled `q0`, `q1`. */
  transport?: 'quic';
  /** Which input file (pcap) or which target (probe) it came from. */
  source: string;
  /** pcap: the input file's place in `input.files`, from 1 (ids restart at 0 in each file). */
  file?: number;
  client?: Endpoint;
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
  /** Everything else that was measured, for --verbose, the Markdown details block and JSON. */
  facts: Record<string, unknown>;
  /** What it names, for redaction (never printed). */
  [IDENTIFIERS]?: Identifiers;
}

export interface InputSummary {
  path: string;
  format?: string;
  gzip?: boolean;
  packets?: number;
  bytes?: number;
  warnings: string[];
  error: string | null;
  /** With a key log or secrets blocks: TLS sessions known, and the handshakes they opened. */
  decryption?: { sessions: number; connections: number; decrypted: number; unopened: number };
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
  if (d.connections === 0) return `${keys}; no handshake in this file it could open (TLS 1.3, or TLS 1.2 with an AEAD suite)`;
  const unopened = d.unopened > 0 ? `; for ${d.unopened} more it holds secrets that open nothing` : '';
  return `${keys}; it opened the handshake of ${d.decrypted} of ${d.connections} connection(s)${unopened} (application data is never decrypted)`;
}

export interface Report {
  schemaVersion: number;
  tool: { name: string; version: string };
  command: 'pcap' | 'probe';
  generatedAt: string;
  input: { files?: InputSummary[]; targets?: string[]; options?: Record<string, unknown> };
  /** Everything read, whatever the filters and the row limit let through. */
  summary: Summary;
  /** When filters narrowed the list: what they let through, and the filters. */
  listed?: Listed;
  connections?: ReportItem[];
  targets?: ReportItem[];
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
 * How many items get a details section in a table or Markdown report with this row limit (0:
 * all), and which ones do: those with a finding to show, in order.
 */
export function detailLimit(limit: number): number {
  return limit > 0 ? Math.max(20, Math.floor(limit / 4)) : Infinity;
}

/**
 * How a report names an item: its id, prefixed by its file's number when the report read more
 * than one file (ids restart in each), as `2:14`.
 */
export function itemLabel(report: Report, it: ReportItem): string {
  const id = it.transport === 'quic' ? `q${it.id}` : String(it.id);
  return (report.input.files?.length ?? 0) > 1 && it.file !== undefined ? `${it.file}:${id}` : id;
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

const iso = (t: number | undefined) => (t === undefined ? null : new Date(t * 1000).toISOString());

function quicFacts(r: ConnectionRecord): Record<string, unknown> {
  const q = r.quic!;
  const pair = (p: [number, number]) => ({ client: p[0], server: p[1] });
  return {
    version: q.versionName,
    originalDcid: q.originalDcid,
    serverScid: q.serverScid ?? null,
    datagrams: pair(q.datagrams),
    bytes: pair(q.bytes),
    initialPackets: pair(q.initials),
    handshakePackets: pair(q.handshakePackets),
    oneRttPackets: pair(q.shortPackets),
    unopenedInitials: pair(q.unopened),
    clientInitialFrames: q.clientInitials.map((i) => i.frame),
    retries: q.retries.map((x) => x.frame),
    versionNegotiation: q.versionNegotiation ? { frame: q.versionNegotiation.frame, versions: q.versionNegotiation.versions.map(quicVersionName) } : null,
    close: q.close ? { from: q.close.from, frame: q.close.frame, packet: q.close.packet, application: q.close.application, code: q.close.code, name: q.close.codeName, reason: q.close.reason } : null,
    transportParameters: q.transportParameters ?? [],
    handshakeOpened: q.handshakeOpened ? pair(q.handshakeOpened) : null,
  };
}

/** The facts of a captured connection that a ticket reader may want, in plain JSON. */
export function connectionFacts(r: ConnectionRecord): Record<string, unknown> {
  const ch = r.clientHello;
  const sh = r.serverHello;
  const rel = (t: number | undefined) => (t === undefined ? null : Math.round((t - r.firstTime) * 1e6) / 1e3);
  return {
    ipVersion: r.ipVersion,
    tlsEvidence: r.tlsEvidence,
    startCaptured: r.startCaptured,
    firstPacket: iso(r.firstTime),
    durationMs: Math.round((r.lastTime - r.firstTime) * 1e6) / 1e3,
    history: r.tcp.history,
    timingsMs: {
      syn: rel(r.tcp.syn?.time),
      synAck: rel(r.tcp.synAck?.time),
      clientHello: rel(ch?.time),
      serverHello: rel(sh?.time),
      end: rel(r.end?.time),
    },
    tcp: {
      synCount: r.tcp.synCount,
      mss: { client: r.tcp.syn?.mss ?? null, server: r.tcp.synAck?.mss ?? null },
      synAck: r.tcp.synAck ? { frame: r.tcp.synAck.frame, ttl: r.tcp.synAck.ttl, ipId: r.tcp.synAck.ipId, window: r.tcp.synAck.window } : null,
      resets: r.tcp.rsts.map((p) => ({ frame: p.frame, from: p.dir === 0 ? 'client' : 'server', ttl: p.ttl, ipId: p.ipId, window: p.window, atMs: rel(p.time) })),
      icmp: r.tcp.icmp.map((i) => ({ frame: i.frame, type: i.type, code: i.code, from: i.from, ttl: i.ttl })),
      bytes: { client: r.tcp.bytes[0], server: r.tcp.bytes[1] },
      retransmissions: { client: r.tcp.retransmissions[0], server: r.tcp.retransmissions[1] },
    },
    end: r.end ? { how: r.end.how, by: r.end.by, frame: r.end.frame, after: r.end.after, atMs: rel(r.end.time) } : null,
    clientHelloCut: r.clientHelloCut ?? null,
    ...(r.quic ? { quic: quicFacts(r) } : {}),
    decryption: r.decryption ? { secrets: r.decryption.secrets, opened: { client: r.decryption.opened[0], server: r.decryption.opened[1] } } : null,
    clientHello: ch
      ? {
          frame: ch.frame,
          legacyVersion: versionName(ch.legacyVersion),
          offeredVersions: ch.offeredVersions.map(versionName),
          cipherSuites: ch.cipherSuites.map(cipherSuiteName),
          extensions: ch.extensions.map((e) => (e.malformed ? `${extensionName(e.type)} (malformed)` : extensionName(e.type))),
          serverNames: ch.serverNames ?? [],
          alpn: ch.alpn ?? [],
          supportedGroups: (ch.supportedGroups ?? []).map(groupName),
          keyShares: (ch.keyShares ?? []).map((k) => `${groupName(k.group)} (${k.keyLength} bytes)`),
          signatureAlgorithms: (ch.signatureAlgorithms ?? []).map(signatureSchemeName),
          ja3String: r.ja3?.string ?? null,
          ja4Raw: r.ja4?.raw ?? null,
          ja4Original: r.ja4?.original ?? null,
        }
      : null,
    serverHello: sh
      ? {
          frame: sh.frame,
          version: versionName(sh.version),
          cipherSuite: cipherSuiteName(sh.cipherSuite),
          extensions: sh.extensions.map((e) => extensionName(e.type)),
          keyShareGroup: sh.keyShareGroup === undefined ? null : groupName(sh.keyShareGroup),
          helloRetryRequest: r.helloRetryRequest ? { frame: r.helloRetryRequest.frame, group: r.helloRetryRequest.group === undefined ? null : groupName(r.helloRetryRequest.group) } : null,
        }
      : null,
    certificates: r.certificates.map((c) => ({
      subject: c.subject,
      issuer: c.issuer,
      sans: c.sans,
      notBefore: c.notBefore,
      notAfter: c.notAfter,
      serialNumber: c.serialNumber,
      fingerprint256: c.fingerprint256,
      selfSigned: c.selfSigned,
    })),
    alerts: r.alerts.map((a) => ({ from: a.from, level: a.level, description: a.name, code: a.description, frame: a.frame, ...(a.decrypted ? { decrypted: true } : {}) })),
    messages: r.messages.map((m) => `${m.from}: ${m.name} (frame ${m.frame})`),
    nonTls: r.nonTls ? { from: r.nonTls.from, frame: r.nonTls.frame, kind: r.nonTls.description.kind, summary: r.nonTls.description.summary, firstBytesHex: r.nonTls.description.hexPrefix } : null,
    tunnel: r.tunnel ?? null,
    parseErrors: r.parseErrors,
    partial: r.partialReasons,
    ladder: ladderOf(r),
  };
}

/**
 * A report row for a captured connection. Without facts (`withFacts` false: a table row the
 * output shows without details) the fingerprints are left out too: JA4 alone hashes twice per
 * connection, which costs more than reading the connection did.
 */
export function connectionItem(r: ConnectionRecord, source: string, diagnoses: Finding[], withFacts = true, file?: number, identifiers = true): ReportItem {
  return {
    id: r.id,
    ...(r.quic ? { transport: 'quic' as const } : {}),
    source,
    ...(file === undefined ? {} : { file }),
    client: r.client,
    server: r.server,
    sni: r.sni ?? null,
    version: r.version === undefined ? null : versionName(r.version),
    versionCode: r.version === undefined ? null : wireCode(r.version),
    cipher: r.cipher === undefined ? null : cipherSuiteName(r.cipher),
    alpn: r.alpn ?? null,
    ja3: withFacts ? r.ja3?.hash ?? null : null,
    ja3s: withFacts ? r.ja3s?.hash ?? null : null,
    ja4: withFacts ? r.ja4?.fingerprint ?? null : null,
    outcome: worst(diagnoses.map((d) => d.severity)),
    diagnoses,
    facts: withFacts ? connectionFacts(r) : {},
    // Only redaction reads them: a report that is not redacted need not gather them per row.
    ...(identifiers ? { [IDENTIFIERS]: connectionIdentifiers(r) } : {}),
  };
}

/** Every address and name a captured connection's row, evidence or facts can hold. */
function connectionIdentifiers(r: ConnectionRecord): Identifiers {
  const ids = emptyIdentifiers();
  ids.clients.push(r.client.ip);
  ids.servers.push(r.server.ip);
  if (r.sni) ids.hosts.push(r.sni);
  for (const n of r.clientHello?.serverNames ?? []) ids.hosts.push(n);
  for (const i of r.tcp.icmp) ids.hops.push(i.from);
  for (const c of r.certificates) addCertificate(ids, c);
  return ids;
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
