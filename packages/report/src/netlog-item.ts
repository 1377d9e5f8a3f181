import type { NetErrorSeen, NetlogRecord, TimedFact } from '@tlsdoctor/analysis';
import { worst, type Finding } from '@tlsdoctor/diagnosis';
import { cipherSuiteName, versionName } from '@tlsdoctor/tls-parser-ts';
import { addCertificate, addUrlHost, emptyIdentifiers, IDENTIFIERS, type Identifiers } from './identifiers.js';
import { wireCode, type NetlogItem } from './model.js';
import type { NetErrorFacts, NetlogRowFacts } from './row-facts.js';
import { alertFacts, certificateFacts, clientHelloFacts, messageFacts, serverHelloFacts } from './tls-row-facts.js';

function netError(e: NetErrorSeen | undefined): NetErrorFacts | null {
  return e ? { name: e.name, code: e.code, event: e.frame } : null;
}

/** A report row for one record of a browser's NetLog, numbered `id` in the order the log ended them. */
export function netlogItem(r: NetlogRecord, id: number, source: string, diagnoses: Finding[], file?: number): NetlogItem {
  return {
    id,
    transport: 'netlog',
    source,
    ...(file === undefined ? {} : { file }),
    host: r.host ?? null,
    ...(r.server ? { server: r.server } : {}),
    ...(r.client ? { client: r.client } : {}),
    sni: r.sni ?? null,
    version: r.version === undefined ? null : versionName(r.version),
    versionCode: r.version === undefined ? null : wireCode(r.version),
    cipher: r.cipher === undefined ? null : cipherSuiteName(r.cipher),
    alpn: r.alpn ?? null,
    ja3: r.ja3?.hash ?? null,
    ja3s: r.ja3s?.hash ?? null,
    ja4: r.ja4?.fingerprint ?? null,
    outcome: worst(diagnoses.map((d) => d.severity)),
    diagnoses,
    facts: netlogRowFacts(r),
    [IDENTIFIERS]: netlogIdentifiers(r),
  };
}

function netlogRowFacts(r: NetlogRecord): NetlogRowFacts {
  const rel = (t: TimedFact | undefined) => (t === undefined ? null : Math.round((t.time - r.firstTime) * 1e3));
  const c = r.connect;
  const q = r.quic;
  return {
    kind: r.kind,
    sourceId: r.id,
    captureMode: r.captureMode ?? null,
    firstEvent: r.firstEvent,
    lastEvent: r.lastEvent,
    firstEventTime: r.firstTime > 0 ? new Date(r.firstTime * 1000).toISOString() : null,
    durationMs: Math.round((r.lastTime - r.firstTime) * 1e3),
    cut: r.cut,
    proxy: r.proxy ?? null,
    dns: netError(r.dns),
    connect: c ? { addresses: c.addresses, attempts: c.attempts.map((a) => ({ address: a.address, osError: a.osError ?? null, ms: a.ms ?? null })), error: netError(c.end?.error), atMs: rel(c.end), open: !c.end } : null,
    tls: r.tls ? { error: netError(r.tls.end?.error), atMs: rel(r.tls.end), open: !r.tls.end, sslError: r.tls.sslError ? { lib: r.tls.sslError.lib, reason: r.tls.sslError.reason } : null } : null,
    verifier: r.verify ? { error: netError(r.verify.error), status: r.verify.status, knownRoot: r.verify.knownRoot ?? null, event: r.verify.frame } : null,
    quic: q ? { packetsSent: q.packetsSent, packetsReceived: q.packetsReceived, version: q.version ?? null, confirmedAtMs: rel(q.handshakeConfirmed), closed: q.closed ? { quicError: q.closed.quicError, fromPeer: q.closed.fromPeer, details: q.closed.details ?? null, event: q.closed.frame } : null } : null,
    bytes: { client: r.bytes[0], server: r.bytes[1] },
    clientHelloBytes: r.clientHelloBytes ?? null,
    clientHello: clientHelloFacts(r),
    serverHello: serverHelloFacts(r),
    certificates: certificateFacts(r),
    alerts: alertFacts(r),
    messages: messageFacts(r, 'event'),
    parseErrors: r.parseErrors,
  };
}

/** Every address and name a NetLog row, its evidence or facts can hold. */
function netlogIdentifiers(r: NetlogRecord): Identifiers {
  const ids = emptyIdentifiers();
  if (r.client) ids.clients.push(r.client.ip);
  if (r.server) ids.servers.push(r.server.ip);
  for (const a of r.connect?.addresses ?? []) ids.servers.push(a.replace(/^\[?([^\]]+?)\]?:\d+$/, '$1'));
  if (r.host) ids.hosts.push(r.host);
  if (r.sni) ids.hosts.push(r.sni);
  for (const n of r.clientHello?.serverNames ?? []) ids.hosts.push(n);
  for (const c of r.certificates) addCertificate(ids, c);
  // A client's certificate (mutual TLS) names its holder: evidence quotes it.
  for (const c of r.clientCertificates ?? []) addCertificate(ids, c);
  // A proxy chain is written "[https://proxy.example:443]", or "[direct://]".
  for (const m of (r.proxy ?? '').matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s,\]]+/gi)) addUrlHost(ids, m[0]);
  return ids;
}
