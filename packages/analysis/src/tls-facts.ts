import { appended, NONE, type Dir } from '@tlsdoctor/capture';
import {
  describeNonTls,
  HandshakeType,
  parseCertificate,
  parseCompressedCertificate,
  parseEncryptedExtensions,
  parseServerKeyExchange,
  Sslv2MessageType,
  SSLV2_X509_CERTIFICATE,
  Version,
  type StreamEvent,
} from '@tlsdoctor/tls-parser-ts';
import type { X509Certificate } from 'node:crypto';
import { describeCertificate, type CertificateInfo } from './certificate.js';
import type { CertificateCache } from './certificate-cache.js';
import { checkChain, type PublicRoots } from './chain-check.js';
import { inflateCertificate } from './compressed-certificate.js';
import { EventKind, EventLog } from './event-log.js';
import { sideOf, type RecordLayerFacts, type TimedFact } from './record.js';
import { LiveTlsFacts } from './records.js';

const MAX_MESSAGES = 48;
const MAX_ALERTS = 16;
const MAX_SIZES = 8;
const NO_TIME: TimedFact = { frame: 0, time: 0 };

type HandshakeEvent = StreamEvent & { kind: 'handshake' };
/** What one kind of handshake message from one side adds to the facts. */
type MessageReader = (b: TlsFactsBuilder, ev: HandshakeEvent, at: TimedFact) => void;

/**
 * The handshake messages read beyond the hellos, by sender: one entry per message whose content
 * is a fact. A message not listed is only named in the record's list of messages.
 */
const SERVER_MESSAGES: Readonly<Record<number, MessageReader>> = {
  [HandshakeType.Certificate]: (b, ev, at) => b.serverCertificates(ev, at),
  // Browsers ask for it and servers such as Cloudflare's send it: read only after decryption.
  [HandshakeType.CompressedCertificate]: (b, ev, at) => b.compressedCertificates(ev, at),
  [HandshakeType.ServerKeyExchange]: (b, ev) => {
    const r = b.facts;
    b.parsed('ServerKeyExchange', 'server', ev, () => (r.serverKeyExchange = parseServerKeyExchange(ev.body, r.version ?? Version.TLS12, undefined, ev.offset + 4)));
  },
  [HandshakeType.CertificateRequest]: (b) => {
    b.facts.certificateRequested = true;
  },
  [HandshakeType.EncryptedExtensions]: (b, ev) => {
    const r = b.facts;
    b.parsed('EncryptedExtensions', 'server', ev, () => (r.alpn = parseEncryptedExtensions(ev.body, ev.offset + 4).alpn ?? r.alpn));
  },
};

const CLIENT_MESSAGES: Readonly<Record<number, MessageReader>> = {
  [HandshakeType.Certificate]: (b, ev) => b.clientCertificates(ev),
};

/**
 * Reads the TLS events of both directions of one connection into its facts: hellos, messages,
 * certificates, alerts, record counts and the timeline "the connection ended after ..." is read
 * from. TLS over TCP feeds it its stream readers' events; QUIC, its CRYPTO streams' (the codec
 * cuts both into the same events).
 */
export class TlsFactsBuilder {
  readonly facts = new LiveTlsFacts();

  /** The messages, and the TLS events "the connection ended after ..." is read from, compact while the connection lives. */
  private readonly log = new EventLog(MAX_MESSAGES);
  private x509: (X509Certificate | undefined)[] = NONE;
  /** The record layer while the connection lives: each side's first encrypted record (frame -1: none yet), its count of them, and the sizes of the first few (side in bit 20). */
  private encryptedFrame0 = -1;
  private encryptedTime0 = 0;
  private encryptedFrame1 = -1;
  private encryptedTime1 = 0;
  private encrypted0 = 0;
  private encrypted1 = 0;
  private sizes: number[] = NONE;
  /** Which sides' Finished was read (bit 0: the client): past it, a side's records are under keys a handshake secret does not give. */
  private finishedFrom = 0;

  /**
   * `roots`: what a chain is checked against (the capture's, shared by its connections);
   * `certificates`: chains already read, where a source repeats them (a browser's log).
   */
  constructor(private readonly roots: PublicRoots, private readonly certificateCache?: CertificateCache) {}

  /**
   * One event of a direction's stream: a TLS stream reader's, or a QUIC CRYPTO stream's; `at` is
   * the packet that completed it (none at the stream's end).
   */
  event(dir: Dir, ev: StreamEvent, at: TimedFact | undefined): void {
    const r = this.facts;
    const from = sideOf(dir);
    const { time } = at ?? NO_TIME;
    switch (ev.kind) {
      case 'handshake':
        return this.handshake(dir, ev, at ?? NO_TIME);
      case 'alert':
        if (r.alerts.length < MAX_ALERTS) {
          r.alerts = appended(r.alerts, { from, level: ev.alert.levelName, description: ev.alert.description, name: ev.alert.name, frame: at?.frame ?? 0, time, ...(ev.decrypted ? { decrypted: true } : {}) });
        }
        this.log.note(EventKind.Alert, dir, ev.alert.description, time);
        return;
      case 'encryption-started':
        if (dir === 0) {
          this.encryptedFrame0 = at?.frame ?? 0;
          this.encryptedTime0 = time;
        } else {
          this.encryptedFrame1 = at?.frame ?? 0;
          this.encryptedTime1 = time;
        }
        return;
      case 'record':
        if (ev.encrypted) this.encryptedRecord(dir, ev.length, time);
        return;
      case 'change-cipher-spec':
        this.log.note(EventKind.ChangeCipherSpec, dir, 0, time);
        return;
      case 'not-tls':
        // The description is filled in at the end, when the prefix is as long as it will get.
        r.nonTls ??= { from, frame: at?.frame ?? 0, time, description: describeNonTls(new Uint8Array(0)) };
        if (r.nonTls.from === 'client' && from === 'server') r.nonTlsAnswer ??= { frame: at?.frame ?? 0, time, description: describeNonTls(new Uint8Array(0)) };
        this.log.note(EventKind.NonTls, dir, 0, time);
        return;
      case 'tls-after-preamble':
        // A proxy handshake (SOCKS, CONNECT) came first; it is not the server's answer to TLS.
        if (r.nonTls?.from === from) r.nonTls = undefined;
        r.tunnel = { from, preambleLength: ev.preambleLength };
        return;
      case 'error':
        r.parseErrors = appended(r.parseErrors, { from, message: ev.error.message, offset: ev.error.offset });
        return;
      case 'sslv2-message':
        this.sslv2Message(dir, ev.msgType, at ?? NO_TIME);
        return;
      case 'application-answer':
        if (dir === 1 && ev.statusLine !== undefined) r.serverStatusLine ??= { frame: at?.frame ?? 0, time, line: ev.statusLine };
        return;
      case 'sslv2-server-hello': {
        const h = ev.hello;
        const t = at ?? NO_TIME;
        r.sslv2 = { frame: t.frame, time: t.time, version: h.version, cipherSpecs: h.cipherSpecs, sessionIdHit: h.sessionIdHit };
        r.version = h.version;
        this.sslv2Message(dir, Sslv2MessageType.ServerHello, t);
        if (h.certificateType === SSLV2_X509_CERTIFICATE && h.certificate.length > 0 && r.certificates.length === 0) this.certificates([h.certificate], t);
        return;
      }
    }
  }

  /** `inner`: a message inside another (a decompressed Certificate), not listed again. */
  private handshake(dir: Dir, ev: HandshakeEvent, at: TimedFact, inner = false): void {
    const r = this.facts;
    if (!inner) {
      this.log.message(dir, ev.msgType, at.frame, at.time);
      this.log.note(EventKind.Message, dir, ev.msgType, at.time);
    }
    if (ev.msgType === HandshakeType.Finished) this.finishedFrom |= 1 << dir;
    if (ev.clientHello) {
      r.clientHelloCount++;
      if (!r.clientHello) {
        r.clientHello = withTime(ev.clientHello, at);
        r.sni = ev.clientHello.serverNames?.[0];
      }
    } else if (ev.serverHello) {
      const sh = ev.serverHello;
      if (sh.isHelloRetryRequest) {
        r.helloRetryRequest = { frame: at.frame, time: at.time, group: sh.keyShareGroup };
        this.log.note(EventKind.HelloRetry, dir, 0, at.time);
        this.log.renameLastHelloRetry();
      } else if (!r.serverHello) {
        r.serverHello = withTime(sh, at);
        r.version = sh.version;
        r.cipher = sh.cipherSuite;
        r.alpn = sh.alpn?.[0];
      }
    } else {
      (dir === 1 ? SERVER_MESSAGES : CLIENT_MESSAGES)[ev.msgType]?.(this, ev, at);
    }
  }

  /** The server's chain, the first time one comes. */
  serverCertificates(ev: HandshakeEvent, at: TimedFact): void {
    const r = this.facts;
    if (r.certificates.length > 0) return;
    this.parsed('Certificate', 'server', ev, () => this.certificates(parseCertificate(ev.body, r.version ?? Version.TLS12, ev.offset + 4).certificates, at));
  }

  /**
   * The client's chain (mutual TLS), the first time one comes: read as the server's is, so that
   * the same rules judge it; an empty message is an empty list (the client had none to give).
   */
  clientCertificates(ev: HandshakeEvent): void {
    const r = this.facts;
    if (r.clientCertificates !== undefined) return;
    this.parsed('Certificate', 'client', ev, () => (r.clientCertificates = parseCertificate(ev.body, r.version ?? Version.TLS12, ev.offset + 4).certificates.map((der) => this.described(der).info)));
  }

  /** A CompressedCertificate (RFC 8879): its Certificate message, inflated, read as one. */
  compressedCertificates(ev: HandshakeEvent, at: TimedFact): void {
    if (this.facts.certificates.length > 0) return;
    this.parsed('CompressedCertificate', 'server', ev, () => {
      const body = inflateCertificate(parseCompressedCertificate(ev.body, ev.offset + 4));
      this.handshake(1, { ...ev, msgType: HandshakeType.Certificate, body }, at, true);
    });
  }

  /** Runs a message's parse; a failure is a parse error of the record, named by the message. */
  parsed(message: string, from: 'client' | 'server', ev: HandshakeEvent, parse: () => void): void {
    try {
      parse();
    } catch (e) {
      const r = this.facts;
      r.parseErrors = appended(r.parseErrors, { from, message: `${message}: ${(e as Error).message}`, offset: ev.offset });
    }
  }

  /**
   * A chain the client's own log reported outside a Certificate message (a browser logs the
   * chain it verified): taken only when no Certificate message gave one.
   */
  chainReported(ders: Uint8Array[], at: TimedFact): void {
    if (this.facts.certificates.length === 0 && ders.length > 0) this.certificates(ders, at);
  }

  private certificates(ders: Uint8Array[], at: TimedFact): void {
    const r = this.facts;
    const cache = this.certificateCache;
    const keys: string[] = [];
    for (const der of ders) {
      const d = this.described(der);
      if (d.key !== undefined) keys.push(d.key);
      r.certificates = appended(r.certificates, d.info);
      this.x509 = appended(this.x509, d.cert);
    }
    r.certificatesFrame = at.frame;
    r.certificatesTime = at.time;
    const given = r.certificates.map((info, i) => ({ info, cert: this.x509[i] }));
    r.chain = cache ? cache.chain(keys, given, this.roots) : checkChain(given, this.roots);
  }

  /** One certificate read, through the cache where the source repeats chains (its key: the cache's name for it). */
  private described(der: Uint8Array): { info: CertificateInfo; cert?: X509Certificate; key?: string } {
    return this.certificateCache ? this.certificateCache.describe(der) : describeCertificate(der);
  }

  /** SSL 2.0 messages are listed with their own types, as tshark lists them. */
  private sslv2Message(dir: Dir, type: number, at: TimedFact): void {
    this.log.message(dir, type, at.frame, at.time, true);
    this.log.note(EventKind.Sslv2Message, dir, type, at.time);
  }

  private encryptedRecord(dir: Dir, length: number, time: number): void {
    let n = 0;
    if (dir === 0) n = this.encrypted0++;
    else n = this.encrypted1++;
    if (n < MAX_SIZES) this.sizes = appended(this.sizes, (dir << 20) | length);
    // Consecutive encrypted records collapse into one entry; the timeline stays short.
    this.log.note(EventKind.Encrypted, dir, 0, time);
  }

  /** Whether a side's Finished was read. */
  finished(dir: Dir): boolean {
    return (this.finishedFrom & (1 << dir)) !== 0;
  }

  /** Encrypted records seen from a side so far. */
  encryptedRecords(dir: Dir): number {
    return dir === 0 ? this.encrypted0 : this.encrypted1;
  }

  /** The last TLS event at or before `time`, in words ("the TCP handshake" when none). */
  lastEventBy(time: number): string {
    return this.log.lastEventBy(time);
  }

  /**
   * Nothing is added to the lists any more (both directions are past their handshake), and a
   * connection kept open (keep-alive) holds them for as long as it lives: exact copies hold a
   * third of what `push` reserved.
   */
  trim(): void {
    this.log.trim();
  }

  /** The facts whole, as the record takes them: the lists kept compact while the connection lived made into the record's. */
  complete(): LiveTlsFacts {
    const r = this.facts;
    r.messages = this.log.messageList();
    r.encryptedFrom = [
      this.encryptedFrame0 < 0 ? undefined : { frame: this.encryptedFrame0, time: this.encryptedTime0 },
      this.encryptedFrame1 < 0 ? undefined : { frame: this.encryptedFrame1, time: this.encryptedTime1 },
    ];
    r.encryptedRecords = [this.encrypted0, this.encrypted1];
    r.encryptedRecordSizes = sizesBySide(this.sizes);
    return r;
  }
}

/** The first sizes of each side's encrypted records, from their list in arrival order (side in bit 20). */
function sizesBySide(sizes: readonly number[]): RecordLayerFacts['encryptedRecordSizes'] {
  let client: number[] = NONE;
  let server: number[] = NONE;
  for (const s of sizes) {
    if (s >> 20) server = appended(server, s & 0xfffff);
    else client = appended(client, s & 0xfffff);
  }
  return [client, server];
}

/** A hello stamped with the frame and time of the packet that completed it. */
function withTime<T extends object>(hello: T, at: TimedFact): T & TimedFact {
  const h = hello as T & TimedFact;
  h.frame = at.frame;
  h.time = at.time;
  return h;
}
