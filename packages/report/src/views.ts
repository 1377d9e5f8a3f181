import type { Ladder } from './ladder.js';
import { continuationLine, decryptionLine, formatEndpoint, itemLabel, type CaptureItem, type Endpoint, type CertItem, type CertReport, type NetlogItem, type NetlogReport, type PcapReport, type ProbeItem, type ProbeReport, type Report, type ReportItem } from './model.js';
import type { CipherFacts, ClientHelloFacts, QuicRowFacts, TcpRowFacts } from './row-facts.js';
import { visible } from './box-table.js';
import type { CertChainEntry } from './cert-row-facts.js';

/** A connection's ladder and the two ends it runs between. */
export interface Picture {
  client: Endpoint;
  server: Endpoint;
  ladder: Ladder;
}

/** One input of a report as its head lists it: a capture file, with what reading it found, or a probed target. */
export interface InputEntry {
  /** "[2] " when rows name their file by number, else ''. */
  label: string;
  name: string;
  /** For a file: its format, whether it was gzip, the packets read. */
  read?: { format: string | undefined; gzip: boolean; packets: number };
  /** Lines under it: a rotation it continues, what decryption did. */
  notes: string[];
  warnings: string[];
  error: string | null;
}

/**
 * How the terminal and Markdown reports show one kind of item: the one place where a pcap
 * report and a probe report differ in their rows, headings and words. A third kind of report
 * adds a view here, not a branch in every renderer.
 */
export interface ItemView<I extends ReportItem> {
  /** What the report read or probed, for its head; and the Markdown head's word for it. */
  readonly inputs: readonly InputEntry[];
  readonly inputVerb: string;
  /** The table's column heads before the diagnosis (and TLS, where `tlsColumn`). */
  readonly lead: readonly string[];
  /** Rows are connections with a TLS version and cipher (not a certificate file's families). */
  readonly tlsColumn: boolean;
  /** Lines the head shows after the inputs: what the inputs held that is not a row (a chain, a key). */
  readonly headNotes: readonly string[];
  /** An item's cells under those heads, as the capture or target has them: each renderer makes them safe its own way. */
  leadCells(it: I): string[];
  /** The heading of an item's details: terminal, then Markdown. */
  heading(it: I): string;
  markdownHeading(it: I): string;
  /** "TLS connection" / "TLS connections": what the summary counts. */
  readonly counted: readonly [one: string, many: string];
  /** What a left-out details section is about, as "connection" or "address". */
  readonly noun: string;
  /** In "sections for N more failing ...": the plural of the noun. */
  readonly nouns: string;
  /** The facts behind a verdict that a ticket's reader wants (Markdown's folded block). */
  brief(it: I): object;
  /** The connection as a ladder of arrows between its two ends, when the item has one. */
  picture(it: I): Picture | undefined;
  /** What --ciphers found, when it ran. */
  ciphers(it: I): CipherFacts | undefined;
  /** The ClientHello's fields by name, for --verbose. */
  clientHello(it: I): ClientHelloFacts | undefined;
}

/**
 * Calls `f` with the report's items and the view that shows them: typed together, so a
 * renderer written once for any view cannot hand a probe's item to the pcap view.
 */
export function withView<T>(report: Report, f: <I extends ReportItem>(view: ItemView<I>, items: readonly I[]) => T): T {
  if (report.command === 'pcap') return f(pcapView(report), report.connections ?? []);
  if (report.command === 'netlog') return f(netlogView(report), report.connections ?? []);
  if (report.command === 'cert') return f(certView(report), report.families ?? []);
  return f(probeView(report), report.targets ?? []);
}

/** "3", or "2:3" when the report read several logs. */
function netlogLabel(report: NetlogReport, it: NetlogItem): string {
  return report.input.files.length > 1 && it.file !== undefined ? `${it.file}:${it.id}` : String(it.id);
}

function netlogView(report: NetlogReport): ItemView<NetlogItem> {
  const where = (it: NetlogItem) => `${it.host ? visible(it.host) : '(no name)'}${it.server ? ` ${formatEndpoint(it.server)}` : ''}`;
  const files = report.input.files;
  return {
    inputs: files.map((f, i) => ({
      label: files.length > 1 ? `[${i + 1}] ` : '',
      name: f.path,
      notes: [`${f.client ?? 'a browser'}, capture mode ${f.captureMode ?? 'unknown'}: ${f.events.toLocaleString('en-US')} events${f.gzip ? ' (gzip)' : ''}`],
      warnings: f.warnings,
      error: f.error,
    })),
    inputVerb: 'Read',
    lead: ['#', 'host', 'over'],
    tlsColumn: true,
    headNotes: [],
    leadCells: (it) => [netlogLabel(report, it), where(it), it.facts?.kind === 'quic' ? 'QUIC' : it.facts?.kind === 'request' ? '(no connection)' : 'TCP'],
    heading: (it) => `#${netlogLabel(report, it)} ${where(it)}`,
    markdownHeading: (it) => `Connection ${netlogLabel(report, it)}: ${where(it)}`,
    counted: ['connection in the log', 'connections in the log'],
    noun: 'connection',
    nouns: 'connections',
    brief: netlogBrief,
    picture: () => undefined,
    ciphers: () => undefined,
    clientHello: (it) => it.facts?.clientHello ?? undefined,
  };
}

/** What a ticket's reader wants of a browser's record: its errors, the hello's main choices, the chain. */
function netlogBrief(it: NetlogItem): object {
  const f = it.facts;
  if (!f) return {};
  const ch = f.clientHello;
  const all = {
    fingerprints: it.ja3 || it.ja4 ? { ja3: it.ja3, ja3s: it.ja3s, ja4: it.ja4 } : null,
    captureMode: f.captureMode,
    events: `${f.firstEvent}-${f.lastEvent}`,
    cut: f.cut || null,
    dns: f.dns,
    connect: f.connect,
    tls: f.tls,
    verifier: f.verifier,
    quic: f.quic,
    clientHello: ch && { event: ch.frame, serverNames: ch.serverNames, offeredVersions: ch.offeredVersions, alpn: ch.alpn, supportedGroups: ch.supportedGroups, keyShares: ch.keyShares, bytes: f.clientHelloBytes },
    serverHello: f.serverHello,
    certificates: f.certificates.map((c) => ({ subject: c.subject, issuer: c.issuer, sans: c.sans, notBefore: c.notBefore, notAfter: c.notAfter, selfSigned: c.selfSigned })),
    alerts: f.alerts,
    parseErrors: f.parseErrors,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)));
}

function pcapView(report: PcapReport): ItemView<CaptureItem> {
  const endpoints = (it: CaptureItem) => `${formatEndpoint(it.client)} → ${formatEndpoint(it.server)}`;
  const named = (it: CaptureItem) => `${endpoints(it)}${it.sni ? ` (${visible(it.sni)})` : ''}`;
  const files = report.input.files;
  return {
    inputs: files.map((f, i) => ({
      label: files.length > 1 ? `[${i + 1}] ` : '',
      name: f.path,
      read: { format: f.format, gzip: !!f.gzip, packets: f.packets ?? 0 },
      // The decryption line reads the same for every file a key log did not open: it names its file.
      notes: [continuationLine(f, i), f.decryption && `${files.length > 1 ? `[${i + 1}] ` : ''}${decryptionLine(f.decryption)}`].filter((x): x is string => !!x),
      warnings: f.warnings,
      error: f.error,
    })),
    inputVerb: 'Analysed',
    lead: ['#', 'client → server', 'SNI'],
    tlsColumn: true,
    headNotes: [],
    leadCells: (it) => [itemLabel(report, it), endpoints(it), it.sni ?? '(none)'],
    heading: (it) => `#${itemLabel(report, it)} ${named(it)}`,
    markdownHeading: (it) => `Connection ${itemLabel(report, it)}: ${named(it)}`,
    counted: ['TLS connection', 'TLS connections'],
    noun: 'connection',
    nouns: 'connections',
    brief: captureBrief,
    picture: (it) => (it.facts && it.facts.ladder.steps.length > 0 ? { client: it.client, server: it.server, ladder: it.facts.ladder } : undefined),
    ciphers: () => undefined,
    clientHello: (it) => it.facts?.clientHello ?? undefined,
  };
}

function probeView(report: ProbeReport): ItemView<ProbeItem> {
  return {
    inputs: report.input.targets.map((name) => ({ label: '', name, notes: [], warnings: [], error: null })),
    inputVerb: 'Probed',
    lead: ['target', 'address'],
    tlsColumn: true,
    headNotes: [],
    leadCells: (it) => [it.source, formatEndpoint(it.server)],
    heading: (it) => `${visible(it.source)} ${formatEndpoint(it.server)}`,
    markdownHeading: (it) => `${visible(it.source)} at ${formatEndpoint(it.server)}`,
    counted: ['address probed', 'addresses probed'],
    noun: 'address',
    nouns: 'addresses',
    // A probe's facts are already per step, and few.
    brief: (it) => ({ ...it.facts }),
    picture: () => undefined,
    ciphers: (it) => it.facts.ciphers ?? undefined,
    clientHello: () => undefined,
  };
}

/**
 * The facts that support a captured connection's verdict, not every field: a ticket's reader
 * wants the TCP (or QUIC) and TLS events, the hello's main choices and the certificates, not 30
 * cipher suites by name.
 */
function captureBrief(it: CaptureItem): object {
  if (it.transport === 'quic') {
    const f = it.facts;
    return f ? brief(it, f, { timingsMs: f.timingsMs, quic: briefQuic(f.quic) }, {}) : {};
  }
  const f = it.facts;
  if (!f) return {};
  const t = f.tcp;
  const tcp = { synCount: t.synCount, synAckTtl: t.synAck?.ttl ?? null, resets: t.resets, icmp: t.icmp, retransmissions: t.retransmissions };
  return brief(it, f, { history: f.history, timingsMs: f.timingsMs, tcp, end: f.end }, { nonTls: f.nonTls });
}

/** The brief of either transport: its own facts first (`transport`), the TLS facts, then `after`. */
function brief(it: CaptureItem, f: TcpRowFacts | QuicRowFacts, transport: object, after: object): object {
  const ch = f.clientHello;
  const all = {
    fingerprints: it.ja3 || it.ja4 ? { ja3: it.ja3, ja3s: it.ja3s, ja4: it.ja4 } : null,
    ...transport,
    clientHello: ch && {
      frame: ch.frame,
      serverNames: ch.serverNames,
      offeredVersions: ch.offeredVersions,
      cipherSuites: `${ch.cipherSuites.length} offered`,
      alpn: ch.alpn,
      supportedGroups: ch.supportedGroups,
      keyShares: ch.keyShares,
    },
    serverHello: f.serverHello,
    certificates: f.certificates.map((c) => ({ subject: c.subject, issuer: c.issuer, sans: c.sans, notBefore: c.notBefore, notAfter: c.notAfter, selfSigned: c.selfSigned })),
    alerts: f.alerts,
    ...after,
    parseErrors: f.parseErrors,
    partial: f.partial,
  };
  // Nothing to say is left unsaid.
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)));
}

function briefQuic(q: QuicRowFacts['quic']) {
  return { version: q.version, datagrams: q.datagrams, initialPackets: q.initialPackets, handshakePackets: q.handshakePackets, retries: q.retries, versionNegotiation: q.versionNegotiation, close: q.close, icmp: q.icmp };
}

/** A certificate as the head lists it: where it came from, what it is, and how long it lasts. */
function chainLine(c: CertChainEntry): string {
  const role = c.unused ? ` (${c.unused === 'duplicate' ? 'a duplicate: drop it' : 'on no path: not needed'})` : '';
  return `  ${c.from}: ${c.subject || '(empty subject)'} ← issued by ${c.issuer || '(empty)'}; valid ${c.notBefore} to ${c.notAfter}; ${c.key}${c.signature ? `, signed ${c.signature}` : ''}${sctWords(c.scts)}${role}`;
}

/** The embedded SCTs in a few words: the earliest is the issue time Chrome's distrust by date compares. */
function sctWords(s: CertChainEntry['scts']): string {
  if (!s) return '';
  if ('malformed' in s) return `; SCT list unreadable (${s.malformed})`;
  return `; ${s.count} SCT${s.count === 1 ? '' : 's'}${s.earliest ? `, the earliest ${s.earliest.time}` : ''}`;
}

/** The head of a cert report: the key, the name and time judged, the chain, how long it lasts. */
function certHead(report: CertReport): string[] {
  const i = report.input;
  const v = i.validity;
  const name = i.name === null ? 'no --name: the certificate\'s names are not checked' : `name: ${i.name}${i.nameAscii && i.nameAscii !== i.name ? ` (compared as ${i.nameAscii})` : ''}`;
  const stores = [...new Map((report.families ?? []).map((f) => [f.store, `store ${f.store} (${(report.families ?? []).filter((g) => g.store === f.store).map((g) => g.family).join(', ')}): ${f.storeSource}`])).values()];
  const key = i.key ? `key: ${i.key.path}, ${i.key.key}, ${i.key.matchesLeaf ? 'the leaf\'s key' : 'NOT the leaf\'s key'}` : 'no --key: the key is not checked against the leaf';
  return [
    `${name}; purpose: ${i.purpose}; judged at ${i.at}`,
    key,
    `certificates given (${i.chain.length}), in the order given:`,
    ...i.chain.map(chainLine),
    ...(v ? [`until when: ${v.firstFailure ? `${v.firstFailure.at} for ${v.firstFailure.families.join(', ')} (the first date a family that trusts it at the time judged stops)` : 'no family trusts it at the time judged'}; the leaf expires ${v.leafUntil} for every client`] : []),
    ...stores,
    ...i.skippedStores.map((s) => `store ${s.store} skipped: ${s.why}`),
  ];
}

function certView(report: CertReport): ItemView<CertItem> {
  return {
    inputs: report.input.files.map((f) => ({
      label: f.role === 'ca' ? '--ca ' : '',
      name: f.path,
      // Several files may each have notes: each line names its file.
      notes: f.notes.map((n) => `${f.path}: ${n}`),
      warnings: [],
      error: f.error,
    })),
    inputVerb: 'Read',
    lead: ['family', 'store', 'verdict', 'path end', 'valid until'],
    tlsColumn: false,
    headNotes: certHead(report),
    leadCells: (it) => [it.family, it.store, it.verdict, it.facts.end, it.validUntil?.slice(0, 10) ?? '—'],
    heading: (it) => `${it.family}: ${it.facts.label}`,
    markdownHeading: (it) => `Family ${it.family}: ${it.facts.label}`,
    counted: ['client family', 'client families'],
    noun: 'family',
    nouns: 'families',
    brief: (it) => ({ store: it.storeSource, ...it.facts }),
    picture: () => undefined,
    ciphers: () => undefined,
    clientHello: () => undefined,
  };
}
