import { decryptionMissWords, type ConnectionRecord, type QuicRecord, type TcpRecord } from '@tlsdoctor/analysis';
import type { IcmpFacts } from '@tlsdoctor/capture';
import { worst, type Finding } from '@tlsdoctor/diagnosis';
import { cipherSuiteName, extensionName, groupName, quicVersionName, signatureSchemeName, versionName } from '@tlsdoctor/tls-parser-ts';
import { addCertificate, emptyIdentifiers, IDENTIFIERS, type Identifiers } from './identifiers.js';
import { alertFacts, certificateFacts, clientHelloFacts, messageFacts, serverHelloFacts } from './tls-row-facts.js';
import { ladderOf } from './ladder.js';
import { wireCode, type CaptureItem } from './model.js';
import type { ClientHelloFacts, IcmpRowFacts, QuicRowFacts, ServerHelloFacts, TcpRowFacts } from './row-facts.js';

const iso = (t: number | undefined) => (t === undefined ? null : new Date(t * 1000).toISOString());
const pair = (p: readonly [number, number]) => ({ client: p[0], server: p[1] });
/** Milliseconds since the connection's first packet, to the microsecond. */
const since = (r: ConnectionRecord) => (t: number | undefined) => (t === undefined ? null : Math.round((t - r.firstTime) * 1e6) / 1e3);

function icmpFacts(i: IcmpFacts): IcmpRowFacts {
  return { frame: i.frame, type: i.type, code: i.code, kind: i.kind, name: i.name, ...(i.mtu !== undefined ? { mtu: i.mtu } : {}), from: i.from, ttl: i.ttl };
}

/**
 * A report row for a captured connection. Without facts (`withFacts` false: a table row the
 * output shows without details) the fingerprints are left out too: JA4 alone hashes twice per
 * connection, which costs more than reading the connection did.
 */
export function connectionItem(r: ConnectionRecord, source: string, diagnoses: Finding[], withFacts = true, file?: number, identifiers = true): CaptureItem {
  const head = {
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
  };
  // Only redaction reads them: a report that is not redacted need not gather them per row.
  const ids = identifiers ? { [IDENTIFIERS]: connectionIdentifiers(r) } : {};
  if (r.transport === 'quic') return { id: r.id, transport: 'quic', ...head, ...(withFacts ? { facts: quicRowFacts(r) } : {}), ...ids };
  return { id: r.id, ...head, ...(withFacts ? { facts: tcpRowFacts(r) } : {}), ...ids };
}

// The two facts objects share their head and TLS fields, yet each literal spells them out: facts
// built with object spreads (even one spread, first) took V8's slow copying path and left objects
// JSON.stringify walks slowly, which made a JSON report of the bulk shape 1.15-1.2 times as slow
// (docs/performance.md). The item around them, a few fields, is spread with no cost measured.

/** The facts of a TLS connection over TCP that a ticket reader may want, in plain JSON. */
function tcpRowFacts(r: TcpRecord): TcpRowFacts {
  const rel = since(r);
  const t = r.tcp;
  return {
    ipVersion: r.ipVersion,
    tlsEvidence: r.tlsEvidence,
    startCaptured: r.startCaptured,
    firstPacket: iso(r.firstTime),
    durationMs: Math.round((r.lastTime - r.firstTime) * 1e6) / 1e3,
    history: t.history,
    timingsMs: { syn: rel(t.syn?.time), synAck: rel(t.synAck?.time), clientHello: rel(r.clientHello?.time), serverHello: rel(r.serverHello?.time), end: rel(r.end?.time) },
    tcp: {
      synCount: t.synCount,
      mss: { client: t.syn?.mss ?? null, server: t.synAck?.mss ?? null },
      synAck: t.synAck ? { frame: t.synAck.frame, ttl: t.synAck.ttl, ipId: t.synAck.ipId, window: t.synAck.window } : null,
      resets: t.rsts.map((p) => ({ frame: p.frame, from: p.dir === 0 ? 'client' : 'server', ttl: p.ttl, ipId: p.ipId, window: p.window, atMs: rel(p.time) })),
      icmp: t.icmp.map(icmpFacts),
      bytes: pair(t.bytes),
      retransmissions: pair(t.retransmissions),
    },
    end: r.end ? { how: r.end.how, by: r.end.by, frame: r.end.frame, after: r.end.after, atMs: rel(r.end.time) } : null,
    clientHelloCut: r.clientHelloCut ?? null,
    decryption: decryptionFacts(r),
    clientHello: clientHelloFacts(r),
    serverHello: serverHelloFacts(r),
    certificates: certificateFacts(r),
    alerts: alertFacts(r),
    messages: messageFacts(r),
    nonTls: r.nonTls ? { from: r.nonTls.from, frame: r.nonTls.frame, kind: r.nonTls.description.kind, summary: r.nonTls.description.summary, firstBytesHex: r.nonTls.description.hexPrefix } : null,
    tunnel: r.tunnel ?? null,
    parseErrors: r.parseErrors,
    partial: r.partialReasons,
    ladder: ladderOf(r),
  };
}

/** The facts of a QUIC connection, in plain JSON. */
function quicRowFacts(r: QuicRecord): QuicRowFacts {
  const rel = since(r);
  const q = r.quic;
  return {
    ipVersion: r.ipVersion,
    tlsEvidence: r.tlsEvidence,
    startCaptured: r.startCaptured,
    firstPacket: iso(r.firstTime),
    durationMs: Math.round((r.lastTime - r.firstTime) * 1e6) / 1e3,
    timingsMs: { clientHello: rel(r.clientHello?.time), serverHello: rel(r.serverHello?.time) },
    clientHelloCut: r.clientHelloCut ?? null,
    quic: {
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
      icmp: q.icmp.map(icmpFacts),
    },
    decryption: decryptionFacts(r),
    clientHello: clientHelloFacts(r),
    serverHello: serverHelloFacts(r),
    certificates: certificateFacts(r),
    alerts: alertFacts(r),
    messages: messageFacts(r),
    parseErrors: r.parseErrors,
    partial: r.partialReasons,
    ladder: ladderOf(r),
  };
}

function decryptionFacts(r: ConnectionRecord): TcpRowFacts['decryption'] {
  const d = r.decryption;
  return d ? { secrets: d.secrets, opened: pair(d.opened), notOpened: d.notOpened ? decryptionMissWords(d.notOpened, r.transport) : null } : null;
}

/** Every address and name a captured connection's row, evidence or facts can hold. */
function connectionIdentifiers(r: ConnectionRecord): Identifiers {
  const ids = emptyIdentifiers();
  ids.clients.push(r.client.ip);
  ids.servers.push(r.server.ip);
  if (r.sni) ids.hosts.push(r.sni);
  for (const n of r.clientHello?.serverNames ?? []) ids.hosts.push(n);
  for (const i of r.transport === 'tcp' ? r.tcp.icmp : r.quic.icmp) ids.hops.push(i.from);
  for (const c of r.certificates) addCertificate(ids, c);
  // A client's certificate (mutual TLS) names its holder: evidence quotes it.
  for (const c of r.clientCertificates ?? []) addCertificate(ids, c);
  return ids;
}
