import { certStatusNames, NetError, netErrorName, type NetlogEvent, type NetlogNames } from '@tlsdoctor/netlog';
import { FingerprintCache, HandshakeType } from '@tlsdoctor/tls-parser-ts';
import { CertificateCache } from './certificate-cache.js';
import type { PublicRoots } from './chain-check.js';
import type { NetErrorSeen, NetlogRecord, TimedFact, TlsFacts } from './record.js';
import { TlsFactsBuilder } from './tls-facts.js';
import { alertMessage, dependency, ders, endpointOf, groupTarget, handshakeMessage, num, requestRecord, str } from './netlog-params.js';

export { endpointOf, groupTarget };

/** Sockets, sessions and jobs open at once beyond which the oldest are let go: a log is read in bounded memory. */
const MAX_OPEN = 20_000;
/** Verifier verdicts kept for sockets that bind to a job after it ended (a cached verification). */
const MAX_VERDICTS = 512;
/** The first bytes of the server's answer kept, where the capture mode logs bytes. */
const FIRST_BYTES = 64;
/** Addresses, attempts, chains and verifier jobs kept per connection: a browser has a few; a hostile log, any number. */
const MAX_LISTED = 16;

type Kind = NetlogRecord['kind'];

/** What a verifier job concluded, and the chain it was given (QUIC logs the chain only here). */
interface Verdict {
  at: TimedFact;
  pems?: string[];
  error?: NetErrorSeen;
  status?: number;
  knownRoot?: boolean;
  done: boolean;
}

/** A socket or QUIC session being read: its record so far, and the TLS facts' builder. */
class Open {
  readonly tls: TlsFactsBuilder;
  readonly r: Omit<NetlogRecord, keyof TlsFacts>;
  jobs: number[] = [];
  scheme?: string;

  constructor(kind: Kind, e: NetlogEvent, at: TimedFact, names: NetlogNames, roots: PublicRoots, certificates: CertificateCache) {
    this.tls = new TlsFactsBuilder(roots, certificates);
    this.r = { transport: 'netlog', kind, id: e.sourceId, firstTime: at.time, lastTime: at.time, firstEvent: e.index, lastEvent: e.index, bytes: [0, 0], cut: false, logEnd: at.time, clockAnchored: names.clockAnchored, captureMode: names.captureMode };
  }
}

const TLS_SCHEMES = new Set(['https', 'wss']);
/** Net errors that mean the name never resolved: no socket was made, so a request says it. */
const NAME_ERRORS: ReadonlySet<number> = new Set([NetError.NameNotResolved, NetError.NameResolutionFailed, NetError.DnsTimedOut, NetError.DnsMalformedResponse, NetError.DnsServerFailed, NetError.IcannNameCollision]);

/**
 * Turns a NetLog's events, in file order, into records: one per TLS socket, per QUIC session,
 * and per connection attempt that never got a socket (a name that did not resolve). Each is
 * handed on when its source ends; those still open when the log stops are handed on by
 * `finish`, marked cut. Only the sources still open are held.
 */
export class NetlogConnections {
  private readonly sockets = new Map<number, Open>();
  private readonly sessions = new Map<number, Open>();
  /** Connect jobs: what each is for, and the socket it made (if any). */
  private readonly jobs = new Map<number, { scheme: string; host: string; port?: number; socket?: number; at: TimedFact }>();
  private readonly verdicts = new Map<number, Verdict>();
  /** The sockets and sessions bound to each verifier job still running. */
  private readonly waitingOn = new Map<number, Open[]>();
  private last: TimedFact = { frame: 0, time: 0 };
  /** The chains of this log, read once each: every connection to a site repeats its chain. */
  private readonly certificates = new CertificateCache();
  /** A browser sends the same few hello shapes (GREASE aside) on every connection: each is hashed once. */
  private readonly fingerprints = new FingerprintCache();
  /** Sources let go because too many were open at once. */
  dropped = 0;
  /** Sockets that carried no TLS (plain HTTP), not reported. */
  plain = 0;

  constructor(
    private readonly roots: PublicRoots,
    private readonly onRecord: (r: NetlogRecord) => void,
  ) {}

  event(e: NetlogEvent, names: NetlogNames): void {
    const at: TimedFact = { frame: e.index, time: (e.time + names.timeTickOffset) / 1000 };
    this.last = at;
    switch (e.sourceType) {
      case 'SOCKET':
        return this.socketEvent(e, at, names);
      case 'QUIC_SESSION':
        return this.sessionEvent(e, at, names);
      case 'CERT_VERIFIER_JOB':
        return this.verifierEvent(e, at, names);
      case 'SSL_CONNECT_JOB':
      case 'TRANSPORT_CONNECT_JOB':
      case 'TCP_CONNECT_JOB':
      case 'SOCKS_CONNECT_JOB':
      case 'HTTP_PROXY_CONNECT_JOB':
        return this.jobEvent(e, at, names);
    }
  }

  /** The log stopped: what is still open is handed on as it stands. */
  finish(): void {
    for (const o of [...this.sockets.values(), ...this.sessions.values()]) {
      o.r.cut = true;
      this.emit(o);
    }
    this.sockets.clear();
    this.sessions.clear();
  }

  private error(code: unknown, at: TimedFact, names: NetlogNames): NetErrorSeen | undefined {
    const n = num(code);
    return n === undefined || n === 0 ? undefined : { code: n, name: netErrorName(names, n), frame: at.frame, time: at.time };
  }

  private jobEvent(e: NetlogEvent, at: TimedFact, names: NetlogNames): void {
    const p = e.params;
    if (e.type === 'SOCKET_POOL_CONNECT_JOB_CREATED') {
      const t = groupTarget(str(p?.group_id));
      if (t) this.bounded(this.jobs).set(e.sourceId, { ...t, at });
    } else if (e.type === 'CONNECT_JOB' && e.phase === 'end') {
      this.jobs.delete(e.sourceId);
    } else if ((e.type === 'SSL_CONNECT_JOB_CONNECT' || e.type === 'TRANSPORT_CONNECT_JOB_CONNECT') && e.phase === 'end') {
      // A job that failed before it made a socket failed on the name (or the proxy): say so once.
      const job = this.jobs.get(e.sourceId);
      const err = this.error(p?.net_error, at, names);
      if (!job || job.socket !== undefined || !err || !NAME_ERRORS.has(err.code) || !TLS_SCHEMES.has(job.scheme)) return;
      job.socket = -1;
      this.onRecord(requestRecord(e, job, err, at, names, this.last.time));
    }
  }

  private socketEvent(e: NetlogEvent, at: TimedFact, names: NetlogNames): void {
    const p = e.params;
    if (e.type === 'SOCKET_ALIVE' && e.phase === 'begin') {
      const o = new Open('tcp', e, at, names, this.roots, this.certificates);
      const job = this.jobs.get(dependency(p) ?? -1);
      if (job) {
        job.socket = e.sourceId;
        o.r.host = job.host;
        o.r.port = job.port ?? (TLS_SCHEMES.has(job.scheme) ? 443 : 80);
        o.scheme = job.scheme;
      }
      this.bounded(this.sockets).set(e.sourceId, o);
      return;
    }
    const o = this.sockets.get(e.sourceId);
    if (!o) return;
    const r = o.r;
    r.lastTime = at.time;
    r.lastEvent = e.index;
    switch (e.type) {
      case 'TCP_CONNECT':
        if (e.phase === 'begin') r.connect = { ...at, addresses: Array.isArray(p?.address_list) ? p.address_list.filter((a): a is string => typeof a === 'string').slice(0, MAX_LISTED) : [], attempts: [] };
        else if (r.connect) {
          r.connect.end = { ...at, error: this.error(p?.net_error, at, names), local: str(p?.local_address), remote: str(p?.remote_address) };
          r.server = endpointOf(str(p?.remote_address)) ?? r.server;
          r.client = endpointOf(str(p?.local_address));
        }
        return;
      case 'TCP_CONNECT_ATTEMPT':
        if (!r.connect) return;
        if (e.phase === 'begin') {
          if (r.connect.attempts.length >= MAX_LISTED) return;
          r.connect.attempts.push({ address: str(p?.address) ?? '', frame: at.frame, time: at.time });
          r.server = endpointOf(str(p?.address)) ?? r.server;
        } else {
          const a = r.connect.attempts[r.connect.attempts.length - 1];
          if (a) {
            a.ms = Math.round((at.time - a.time) * 1000);
            a.osError = num(p?.os_error);
          }
        }
        return;
      case 'SSL_CONNECT':
        if (e.phase === 'begin') {
          r.tls = { ...at };
        } else if (r.tls) r.tls.end = { ...at, error: this.error(p?.net_error, at, names) };
        return;
      case 'SSL_HANDSHAKE_ERROR':
        if (r.tls) r.tls.sslError = { lib: num(p?.error_lib) ?? 0, reason: num(p?.error_reason) ?? 0, file: str(p?.file) };
        return;
      case 'SSL_HANDSHAKE_MESSAGE_SENT':
      case 'SSL_HANDSHAKE_MESSAGE_RECEIVED': {
        const size = handshakeMessage(o.tls, e.type === 'SSL_HANDSHAKE_MESSAGE_SENT' ? 0 : 1, str(p?.bytes), at);
        if (size && e.type === 'SSL_HANDSHAKE_MESSAGE_SENT' && r.clientHelloBytes === undefined && num(p?.type) === HandshakeType.ClientHello) r.clientHelloBytes = size;
        return;
      }
      case 'SSL_ALERT_SENT':
      case 'SSL_ALERT_RECEIVED':
        return alertMessage(o.tls, e.type === 'SSL_ALERT_SENT' ? 0 : 1, str(p?.bytes), at);
      case 'SSL_CERTIFICATES_RECEIVED':
        return o.tls.chainReported(ders(p?.certificates), at);
      case 'SSL_CLIENT_CERT_REQUESTED':
        o.tls.facts.certificateRequested = true;
        return;
      case 'SOCKET_BYTES_SENT':
        r.bytes[0] += num(p?.byte_count) ?? 0;
        return;
      case 'SOCKET_BYTES_RECEIVED':
        r.bytes[1] += num(p?.byte_count) ?? 0;
        if (!r.firstServerBytes && typeof p?.bytes === 'string') r.firstServerBytes = Uint8Array.prototype.slice.call(Buffer.from(p.bytes.slice(0, FIRST_BYTES * 2), 'base64'), 0, FIRST_BYTES);
        return;
      case 'SOCKET_ALIVE':
        if (e.phase === 'end') this.end(this.sockets, o, e);
        return;
      default:
        return this.verifierBinding(o, e, names);
    }
  }

  /** What sockets and QUIC sessions alike log of the verifier that judged their chain. */
  private verifierBinding(o: Open, e: NetlogEvent, names: NetlogNames): void {
    if (e.type === 'CERT_VERIFIER_REQUEST_BOUND_TO_JOB') this.bindVerifier(o, dependency(e.params));
    else if (e.type === 'CERT_VERIFIER_REQUEST' && e.phase === 'end') this.applyVerdicts(o, names);
  }

  private end(open: Map<number, Open>, o: Open, e: NetlogEvent): void {
    open.delete(e.sourceId);
    this.emit(o);
  }

  private sessionEvent(e: NetlogEvent, at: TimedFact, names: NetlogNames): void {
    const p = e.params;
    if (e.type === 'QUIC_SESSION' && e.phase === 'begin') {
      const o = new Open('quic', e, at, names, this.roots, this.certificates);
      o.r.host = str(p?.host);
      o.r.port = num(p?.port);
      o.r.proxy = str(p?.proxy_chain);
      o.r.quic = { packetsReceived: 0, packetsSent: 0 };
      this.bounded(this.sessions).set(e.sourceId, o);
      return;
    }
    const o = this.sessions.get(e.sourceId);
    const q = o?.r.quic;
    if (!o || !q) return;
    const r = o.r;
    r.lastTime = at.time;
    r.lastEvent = e.index;
    switch (e.type) {
      case 'QUIC_SESSION_PACKET_RECEIVED':
        q.packetsReceived++;
        r.bytes[1] += num(p?.size) ?? 0;
        r.server ??= endpointOf(str(p?.peer_address));
        r.client ??= endpointOf(str(p?.self_address));
        return;
      case 'QUIC_SESSION_PACKET_SENT':
        q.packetsSent++;
        r.bytes[0] += num(p?.size) ?? 0;
        return;
      case 'QUIC_SESSION_VERSION_NEGOTIATED':
        q.version ??= str(p?.version);
        return;
      case 'QUIC_SESSION_CRYPTO_HANDSHAKE_COMPLETE':
        q.handshakeConfirmed ??= at;
        return;
      case 'QUIC_SESSION_CLOSED':
        if (!q.closed) {
          const code = num(p?.quic_error) ?? 0;
          q.closed = { ...at, quicError: names.quicErrors.get(code) ?? `QUIC error ${code}`, fromPeer: p?.from_peer === true, details: str(p?.details), error: this.error(p?.net_error, at, names) };
        }
        return;
      case 'QUIC_SESSION':
        if (e.phase === 'end') this.end(this.sessions, o, e);
        return;
      default:
        return this.verifierBinding(o, e, names);
    }
  }

  private verifierEvent(e: NetlogEvent, at: TimedFact, names: NetlogNames): void {
    const p = e.params;
    if (e.type !== 'CERT_VERIFIER_JOB') return;
    if (e.phase === 'begin') {
      this.bounded(this.verdicts, MAX_VERDICTS).set(e.sourceId, { at, pems: Array.isArray(p?.certificates) ? p.certificates.filter((c): c is string => typeof c === 'string').slice(0, MAX_LISTED) : undefined, done: false });
    } else if (e.phase === 'end') {
      const v = this.verdicts.get(e.sourceId) ?? { at, done: false };
      v.at = at;
      v.error = this.error(p?.net_error, at, names);
      v.status = num(p?.cert_status);
      v.knownRoot = typeof p?.is_issued_by_known_root === 'boolean' ? p.is_issued_by_known_root : undefined;
      v.done = true;
      this.bounded(this.verdicts, MAX_VERDICTS).set(e.sourceId, v);
      // Sockets that were waiting on it read it now.
      for (const o of this.waitingOn.get(e.sourceId) ?? []) this.applyVerdicts(o, names);
      this.waitingOn.delete(e.sourceId);
    }
  }

  private bindVerifier(o: Open, job: number | undefined): void {
    if (job === undefined || o.jobs.includes(job) || o.jobs.length >= MAX_LISTED) return;
    o.jobs.push(job);
    const waiting = this.waitingOn.get(job);
    if (waiting) {
      if (waiting.length < MAX_LISTED) waiting.push(o);
    } else this.bounded(this.waitingOn, MAX_VERDICTS).set(job, [o]);
  }

  private applyVerdicts(o: Open, names: NetlogNames): void {
    for (const id of o.jobs) {
      const v = this.verdicts.get(id);
      if (!v) continue;
      if (v.pems) o.tls.chainReported(ders(v.pems), v.at);
      if (v.done && !o.r.verify) {
        o.r.verify = { frame: v.at.frame, time: v.at.time, error: v.error, status: v.status !== undefined ? certStatusNames(names, v.status) : [], knownRoot: v.knownRoot };
      }
    }
  }

  private emit(o: Open): void {
    if (o.r.kind === 'tcp' && !o.r.tls && o.scheme !== undefined && !TLS_SCHEMES.has(o.scheme)) {
      this.plain++;
      return;
    }
    const t = o.tls.complete();
    const r: NetlogRecord = Object.assign(o.r, {
      clientHello: t.clientHello,
      clientHelloCut: t.clientHelloCut,
      clientHelloCount: t.clientHelloCount,
      serverHello: t.serverHello,
      helloRetryRequest: t.helloRetryRequest,
      sni: t.sni,
      version: t.version,
      cipher: t.cipher,
      alpn: t.alpn,
      certificates: t.certificates,
      certificatesFrame: t.certificatesFrame,
      certificatesTime: t.certificatesTime,
      chain: t.chain,
      serverKeyExchange: t.serverKeyExchange,
      certificateRequested: t.certificateRequested,
      clientCertificates: t.clientCertificates,
      messages: t.messages,
      alerts: t.alerts,
      parseErrors: t.parseErrors,
      decryption: undefined,
      incomplete: false,
      partialReasons: t.partialReasons,
      ja3: t.clientHello && this.fingerprints.ja3(t.clientHello),
      ja3s: t.serverHello && this.fingerprints.ja3s(t.serverHello),
      ja4: t.clientHello && this.fingerprints.ja4(t.clientHello, o.r.kind === 'quic' ? 'q' : 't'),
      logEnd: this.last.time,
    });
    r.host ??= r.sni;
    this.onRecord(r);
  }

  /** The map, made room in: the oldest entry goes when it is full. */
  private bounded<K, V>(m: Map<K, V>, max = MAX_OPEN): Map<K, V> {
    if (m.size >= max) {
      const oldest = m.keys().next();
      if (!oldest.done) {
        m.delete(oldest.value);
        if (m === (this.sockets as unknown) || m === (this.sessions as unknown)) this.dropped++;
      }
    }
    return m;
  }
}
