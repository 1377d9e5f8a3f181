import { brotliDecompressSync, inflateSync } from 'node:zlib';
import { nodeHandshakeCrypto } from './node-crypto.js';
import { appended, NONE, type Dir, type PacketFacts, type StreamSink, type TcpConnection } from '@tlsdoctor/capture';
import {
  ContentType,
  describeNonTls,
  HandshakeType,
  handshakeTypeName,
  isTls13,
  parseCertificate,
  parseClientHello,
  parseCompressedCertificate,
  parseEncryptedExtensions,
  parseServerHello,
  parseServerKeyExchange,
  sslv2MessageName,
  TLS12_AEAD_SUITES,
  tls12Keys,
  Tls12RecordOpener,
  TLS13_DECRYPTABLE_SUITES,
  Tls13RecordOpener,
  TlsParseError,
  TlsStreamReader,
  Version,
  type CompressedCertificate,
  type KeyLog,
  type RecordOpener,
  type ServerHello,
  type StreamEvent,
} from '@tlsdoctor/tls-parser-ts';
import { checkChain, describeCertificate } from './certificate.js';
import { Connection, sideOf, type ConnectionRecord } from './record.js';
import type { X509Certificate } from 'node:crypto';

const MAX_MESSAGES = 48;
const MAX_ALERTS = 16;
const MAX_SIZES = 8;
/** The tracker lends views of its read buffer: the readers copy what they keep. */
const TRANSIENT = { transientChunks: true };
// Timeline entries made for nearly every connection: one string each, not one per event.
const ENCRYPTED_FROM = ['encrypted records from the client', 'encrypted records from the server'] as const;
const CCS_FROM = ['ChangeCipherSpec from the client', 'ChangeCipherSpec from the server'] as const;

/**
 * Receives the reassembled bytes of both directions of a TCP connection and reads them as TLS,
 * filling a ConnectionRecord. It asks for bytes only until the handshake is over.
 */
export class TlsConnectionSink implements StreamSink {
  /** Made when a direction's first byte arrives: a fifth of connections never carry one. */
  private readonly readers: [TlsStreamReader | undefined, TlsStreamReader | undefined] = [undefined, undefined];

  private reader(dir: Dir): TlsStreamReader {
    // Without secrets (most captures) a reader is made as it always was: no opener to ask.
    return (this.readers[dir] ??= new TlsStreamReader(dir === 0 ? 'client' : 'server', this.decrypting ? { ...TRANSIENT, opener: (sh) => this.openerFor(dir, sh) } : TRANSIENT));
  }

  /** Whether secrets are at hand at all (a capture's secrets blocks may add them as it is read). */
  private get decrypting(): boolean {
    return this.keyLog !== undefined && this.keyLog.sessionCount > 0;
  }

  /**
   * The keys of one side's protected TLS 1.3 handshake records, from the key log, by the client
   * random: asked for by that side's reader at its first protected record. The server's reader
   * passes the ServerHello it read; the client's side uses the one the record already holds.
   */
  private openerFor(dir: Dir, readerServerHello: ServerHello | undefined): RecordOpener | undefined {
    const r = this.rec;
    const ch = r.clientHello;
    const sh = dir === 1 ? readerServerHello : r.serverHello;
    if (!this.keyLog || !this.decrypting || !ch || !sh) return undefined;
    if (!this.keyLog.has(ch.random)) return undefined;
    this.secretsFound = true;
    if (!isTls13(sh.version)) {
      // TLS 1.2: both sides' keys come from the master secret and the two randoms.
      const suite = TLS12_AEAD_SUITES[sh.cipherSuite];
      const master = this.keyLog.secret(ch.random, 'CLIENT_RANDOM');
      if (!suite || !master || master.length !== 48) return undefined;
      const keys = tls12Keys(nodeHandshakeCrypto, suite, master, ch.random, sh.random);
      const side = dir === 0 ? keys.client : keys.server;
      return new Tls12RecordOpener(nodeHandshakeCrypto, suite, side.key, side.iv);
    }
    const params = TLS13_DECRYPTABLE_SUITES[sh.cipherSuite];
    const secret = this.keyLog.secret(ch.random, dir === 0 ? 'CLIENT_HANDSHAKE_TRAFFIC_SECRET' : 'SERVER_HANDSHAKE_TRAFFIC_SECRET');
    if (!params || !secret || secret.length !== params.hashLength) return undefined;
    return new Tls13RecordOpener(nodeHandshakeCrypto, params, secret);
  }

  private secretsFound = false;
  readonly rec: Connection;
  /** TLS events in capture order (bounded), for "the connection ended after ...". */
  private timeline: { name: string; time: number }[] = [];
  sawBytes: [boolean, boolean] = [false, false];
  private x509: (X509Certificate | undefined)[] = NONE;

  /** `keyLog`: secrets to open TLS 1.3 handshake records with (pcap --keylog, pcapng secrets blocks). */
  constructor(private readonly keyLog?: KeyLog) {
    // The record the readers fill is the one handed on: no copy at the end.
    this.rec = new Connection();
  }

  data(dir: Dir, bytes: Uint8Array, pkt: PacketFacts): boolean {
    this.sawBytes[dir] = true;
    const reader = this.reader(dir);
    const events = reader.push(bytes);
    for (const ev of events) this.onEvent(dir, ev, pkt);
    if (this.wantsMore(dir)) return true;
    // Both directions are past their handshake: nothing more will be read, so the readers (and
    // the bytes they hold) go now rather than when the connection ends, often much later.
    const other = this.readers[dir ^ 1];
    if (other && !this.wantsMore((dir ^ 1) as Dir)) this.finishStreams();
    return false;
  }

  /** Whether either direction is still being read (false once both are past their handshake). */
  get reading(): boolean {
    return this.readers[0] !== undefined || this.readers[1] !== undefined;
  }

  /** The readers copy what they keep (a hello's bytes), so the tracker lends views of its buffer. */
  keepsBytes(): boolean {
    return false;
  }

  gap(dir: Dir, missing: number): void {
    const r = this.rec;
    r.incomplete = true;
    r.partialReasons = appended(r.partialReasons, `${missing > 0 ? `${missing} bytes` : 'bytes'} from the ${sideOf(dir)} missing from the capture`);
  }

  /** Called once the connection is over. */
  finish(): void {
    for (const dir of [0, 1] as const) {
      for (const ev of this.readers[dir]?.finish() ?? []) this.onEvent(dir, ev, undefined);
    }
  }

  private note(name: string, time: number): void {
    const t = this.timeline;
    // Consecutive encrypted records collapse into one entry; the list stays short.
    if (t.length > 0 && t[t.length - 1].name === name) return;
    if (t.length < MAX_MESSAGES) t.push({ name, time });
    else t[t.length - 1] = { name, time };
  }

  private wantsMore(dir: Dir): boolean {
    const r = this.reader(dir);
    if (r.state === 'failed' || r.state === 'sslv2') return false;
    // Opening the handshake's protected records: read until they end (the payload cap bounds it).
    if (r.decryption === 'reading') return true;
    if (r.state === 'not-tls') return !r.nonTlsFull;
    // After encryption only record counts matter; two records tell a Finished from an abort.
    return !(r.encrypted && r.encryptedRecords >= 2);
  }

  /**
   * A handshake message that came without a record layer (QUIC carries them in CRYPTO frames),
   * read as one from a record would be. `decrypted`: it came from a packet opened with a key log.
   */
  handshakeMessage(dir: Dir, msgType: number, body: Uint8Array, offset: number, at: { frame: number; time: number }, decrypted: boolean): void {
    const ev: StreamEvent & { kind: 'handshake' } = { kind: 'handshake', offset, msgType, body, ...(decrypted ? { decrypted: true as const } : {}) };
    try {
      if (msgType === HandshakeType.ClientHello) ev.clientHello = parseClientHello(body, offset + 4);
      else if (msgType === HandshakeType.ServerHello) ev.serverHello = parseServerHello(body, offset + 4);
    } catch (e) {
      if (!(e instanceof TlsParseError)) throw e;
      this.onEvent(dir, { kind: 'error', offset, error: e }, undefined);
      return;
    }
    this.onEvent(dir, ev, at as PacketFacts);
  }

  /** `inner`: a message inside another (a decompressed Certificate), not listed again. */
  private onEvent(dir: Dir, ev: StreamEvent, pkt: PacketFacts | undefined, inner = false): void {
    const r = this.rec;
    const from = sideOf(dir);
    const frame = pkt?.frame ?? 0;
    const time = pkt?.time ?? 0;
    switch (ev.kind) {
      case 'handshake': {
        const name = handshakeTypeName(ev.msgType);
        if (!inner && r.messages.length < MAX_MESSAGES) r.messages.push({ from, type: ev.msgType, name, frame, time });
        if (!inner) this.note(name, time);
        if (ev.clientHello) {
          r.clientHelloCount++;
          if (!r.clientHello) {
            const ch = ev.clientHello;
            r.clientHello = withTime(ch, frame, time);
            r.sni = ch.serverNames?.[0];
          }
        } else if (ev.serverHello) {
          const sh = ev.serverHello;
          if (sh.isHelloRetryRequest) {
            r.helloRetryRequest = { frame, time, group: sh.keyShareGroup };
            this.note('HelloRetryRequest', time);
            if (r.messages.length > 0) r.messages[r.messages.length - 1].name = 'HelloRetryRequest';
          } else if (!r.serverHello) {
            r.serverHello = withTime(sh, frame, time);
            r.version = sh.version;
            r.cipher = sh.cipherSuite;
            r.alpn = sh.alpn?.[0];
          }
        } else if (ev.msgType === COMPRESSED_CERTIFICATE && dir === 1 && r.certificates.length === 0) {
          // Browsers ask for it and servers such as Cloudflare's send it: read only after decryption.
          try {
            const body = inflateCertificate(parseCompressedCertificate(ev.body, ev.offset + 4));
            this.onEvent(dir, { ...ev, msgType: HandshakeType.Certificate, body }, pkt, true);
          } catch (e) {
            r.parseErrors = appended(r.parseErrors, { from, message: `CompressedCertificate: ${(e as Error).message}`, offset: ev.offset });
          }
        } else if (ev.msgType === HandshakeType.Certificate && dir === 1 && r.certificates.length === 0) {
          try {
            const msg = parseCertificate(ev.body, r.version ?? Version.TLS12, ev.offset + 4);
            for (const der of msg.certificates) {
              const { info, cert } = describeCertificate(der);
              r.certificates = appended(r.certificates, info);
              this.x509 = appended(this.x509, cert);
            }
            r.certificatesFrame = frame;
            r.certificatesTime = time;
            r.chain = checkChain(this.x509);
          } catch (e) {
            r.parseErrors = appended(r.parseErrors, { from, message: `Certificate: ${(e as Error).message}`, offset: ev.offset });
          }
        } else if (ev.msgType === HandshakeType.ServerKeyExchange && dir === 1) {
          try {
            r.serverKeyExchange = parseServerKeyExchange(ev.body, r.version ?? Version.TLS12, undefined, ev.offset + 4);
          } catch (e) {
            r.parseErrors = appended(r.parseErrors, { from, message: `ServerKeyExchange: ${(e as Error).message}`, offset: ev.offset });
          }
        } else if (ev.msgType === HandshakeType.CertificateRequest && dir === 1) {
          r.certificateRequested = true;
        } else if (ev.msgType === HandshakeType.EncryptedExtensions && dir === 1) {
          try {
            r.alpn = parseEncryptedExtensions(ev.body, ev.offset + 4).alpn ?? r.alpn;
          } catch (e) {
            r.parseErrors = appended(r.parseErrors, { from, message: `EncryptedExtensions: ${(e as Error).message}`, offset: ev.offset });
          }
        } else if (ev.msgType === HandshakeType.Certificate && dir === 0 && r.clientCertificates === undefined) {
          try {
            r.clientCertificates = parseCertificate(ev.body, r.version ?? Version.TLS12, ev.offset + 4).certificates.length;
          } catch (e) {
            r.parseErrors = appended(r.parseErrors, { from, message: `Certificate: ${(e as Error).message}`, offset: ev.offset });
          }
        }
        return;
      }
      case 'alert':
        if (r.alerts.length < MAX_ALERTS) {
          r.alerts = appended(r.alerts, { from, level: ev.alert.levelName, description: ev.alert.description, name: ev.alert.name, frame, time, ...(ev.decrypted ? { decrypted: true } : {}) });
        }
        this.note(`alert ${ev.alert.name}`, time);
        return;
      case 'encryption-started':
        r.encryptedFrom[dir] = { frame, time };
        return;
      case 'record':
        if (ev.encrypted) {
          r.encryptedRecords[dir]++;
          if (r.encryptedRecordSizes[dir].length < MAX_SIZES) r.encryptedRecordSizes[dir] = appended(r.encryptedRecordSizes[dir], ev.length);
          this.note(ENCRYPTED_FROM[dir], time);
        }
        return;
      case 'change-cipher-spec':
        this.note(CCS_FROM[dir], time);
        return;
      case 'not-tls':
        if (!r.nonTls) {
          // The description is filled in at the end, when the prefix is as long as it will get.
          r.nonTls = { from, frame, time, description: describeNonTls(new Uint8Array(0)) };
        }
        this.note(`non-TLS bytes from the ${from}`, time);
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
        this.sslv2Message(dir, ev.msgType, frame, time);
        return;
      case 'sslv2-server-hello': {
        const h = ev.hello;
        r.sslv2 = { frame, time, version: h.version, cipherSpecs: h.cipherSpecs, sessionIdHit: h.sessionIdHit };
        r.version = h.version;
        this.sslv2Message(dir, SSLV2_SERVER_HELLO, frame, time);
        if (h.certificateType === 1 && h.certificate.length > 0 && r.certificates.length === 0) {
          const { info, cert } = describeCertificate(h.certificate);
          r.certificates = appended(r.certificates, info);
          this.x509 = appended(this.x509, cert);
          r.certificatesFrame = frame;
          r.certificatesTime = time;
          r.chain = checkChain(this.x509);
        }
        return;
      }
    }
  }

  /** SSL 2.0 messages are listed with their own types, as tshark lists them. */
  private sslv2Message(dir: Dir, type: number, frame: number, time: number): void {
    const name = sslv2MessageName(type);
    if (this.rec.messages.length < MAX_MESSAGES) this.rec.messages.push({ from: sideOf(dir), type, name, frame, time });
    this.note(name, time);
  }

  private clientTls = false;
  private serverTls = false;
  private streamsDone = false;

  /**
   * Ends the reading of both directions once the connection is over: what the readers found is
   * kept in the record and the readers (and any bytes they hold) are let go.
   */
  finishStreams(): void {
    if (this.streamsDone) return;
    this.streamsDone = true;
    this.finish();
    const r = this.rec;
    if (r.nonTls) {
      const dir = r.nonTls.from === 'client' ? 0 : 1;
      r.nonTls.description = describeNonTls(this.reader(dir).nonTlsBytes);
    }
    const [cr, sr] = this.readers;
    if (this.decrypting && r.clientHello && r.version !== undefined && (isTls13(r.version) || TLS12_AEAD_SUITES[r.cipher ?? -1])) {
      const opened: [number, number] = [cr?.decryptedRecords ?? 0, sr?.decryptedRecords ?? 0];
      r.decryption = { secrets: this.secretsFound, opened };
      if (this.secretsFound && opened[1] === 0 && r.encryptedRecords[1] > 0) {
        r.partialReasons = appended(r.partialReasons, "the key log holds secrets for this connection's client random, but they open none of the server's protected handshake records (a key log of another run, or cut short)");
      }
    }
    // The first client record is the ClientHello: begun and never finished, it was cut short.
    const cut = cr?.records === 0 ? cr.unfinishedRecord : undefined;
    if (cut && cut.contentType === ContentType.Handshake && !r.clientHello) r.clientHelloCut = { length: cut.length, received: cut.received };
    this.clientTls = cr !== undefined && (((cr.state === 'records' || cr.state === 'failed') && cr.records > 0) || r.clientHelloCut !== undefined);
    this.serverTls = sr !== undefined && sr.state === 'records' && sr.records > 0;
    this.readers[0] = this.readers[1] = undefined;
    // Nothing is added to these lists any more, and a connection kept open (keep-alive) holds
    // them for as long as it lives: exact copies hold a third of what `push` reserved.
    this.timeline = this.timeline.slice();
    r.messages = r.messages.slice();
  }

  /**
   * Why this connection counts as TLS, given the ports known to carry TLS; undefined when it
   * does not. Call after finishStreams.
   */
  evidence(tcp: TcpConnection, tlsPorts: { has(port: number): boolean }): ConnectionRecord['tlsEvidence'] | undefined {
    const r = this.rec;
    if (r.clientHello || this.clientTls) return 'client-hello';
    if (this.serverTls) return 'server-tls';
    // Without its start and without bytes (a late FIN or RST on a closed tuple) it tells nothing.
    if (!this.sawBytes[0] && !this.sawBytes[1] && !tcp.startCaptured && tcp.synAckCount === 0) return undefined;
    if (!this.sawBytes[0] && tlsPorts.has(tcp.server.port)) return 'tls-port';
    if (r.nonTls?.from === 'client' && tlsPorts.has(tcp.server.port) && r.nonTls.description.kind === 'http-request') return 'tls-port';
    return undefined;
  }

  /** Whether the ports known to carry TLS decide if this connection counts: it has no TLS of its own. */
  dependsOnPorts(tcp: TcpConnection): boolean {
    return this.evidence(tcp, EVERY_PORT) !== this.evidence(tcp, NO_PORT);
  }

  /** Completes the record with the TCP facts of the connection. */
  toRecord(tcp: TcpConnection, tlsPorts: { has(port: number): boolean }): ConnectionRecord | undefined {
    this.finishStreams();
    const r = this.rec;
    const tlsEvidence = this.evidence(tcp, tlsPorts);
    if (!tlsEvidence) return undefined;
    if (!tcp.startCaptured) r.partialReasons = appended(r.partialReasons, 'the capture starts after the connection did (no SYN)');
    if (tcp.startCaptured && !r.clientHello && !r.clientHelloCut && this.sawBytes[0] && tlsEvidence !== 'tls-port') {
      r.partialReasons = appended(r.partialReasons, 'the ClientHello is not in the capture');
    }
    const history = zeekHistory(tcp);
    // A copy completed, not the record the readers filled: that one has usually reached the old
    // generation by now, and new objects stored into an old one outlive the next young-generation
    // collection however soon it dies (see TcpTracker's hand-on).
    return Object.assign(new Connection(), this.rec).completeWith({
      id: tcp.id,
      client: tcp.client,
      server: tcp.server,
      ipVersion: tcp.ipVersion,
      tlsEvidence,
      startCaptured: tcp.startCaptured,
      firstTime: tcp.firstTime,
      lastTime: tcp.lastTime,
      tcp: {
        syn: tcp.syn,
        synCount: tcp.synCount,
        synAck: tcp.synAck,
        synAckCount: tcp.synAckCount,
        rsts: tcp.rsts,
        rstCount: tcp.rstCount,
        fins: tcp.fins,
        icmp: tcp.icmp,
        packets: tcp.packets,
        packetCount: tcp.packetCount,
        bytes: [tcp.stats[0].payloadBytes, tcp.stats[1].payloadBytes],
        retransmissions: [tcp.stats[0].retransmissions, tcp.stats[1].retransmissions],
        gaps: [tcp.stats[0].gaps, tcp.stats[1].gaps],
        history,
        roles: tcp.roles,
      },
      end: endFacts(tcp, this.timeline),
    });
  }
}

const EVERY_PORT = { has: () => true };
const NO_PORT = { has: () => false };

function endFacts(tcp: TcpConnection, timeline: { name: string; time: number }[]): ConnectionRecord['end'] {
  const firstRst = tcp.rsts[0];
  const firstFin = tcp.fins[0];
  let end = firstRst;
  let how: 'rst' | 'fin' = 'rst';
  if (!end || (firstFin && firstFin.time < end.time)) {
    end = firstFin;
    how = 'fin';
  }
  if (!end) return undefined;
  let after = 'the TCP handshake';
  for (const e of timeline) if (e.time <= end.time) after = e.name;
  return { how, by: sideOf(end.dir), frame: end.frame, time: end.time, after };
}

/** Zeek's conn.log history letters for the events we track (upper case: the client). */
function zeekHistory(tcp: TcpConnection): string {
  let h = '';
  // One bit per letter and direction seen: Zeek shows each letter once per direction (R aside).
  let seen = 0;
  for (const p of tcp.packets) {
    const client = p.dir === 0;
    let letter = '';
    const syn = (p.flags & 0x02) !== 0;
    const ack = (p.flags & 0x10) !== 0;
    if (syn && !ack) letter = 'S';
    else if (syn && ack) letter = 'H';
    else if (p.flags & 0x04) letter = 'R';
    else if (p.flags & 0x01) letter = 'F';
    else if (p.len > 0) letter = 'D';
    else if (ack) letter = 'A';
    if (!letter) continue;
    const bit = 1 << (HISTORY_LETTERS.indexOf(letter) * 2 + (client ? 0 : 1));
    if (seen & bit && letter !== 'R') continue;
    seen |= bit;
    h += client ? letter : letter.toLowerCase();
  }
  return h;
}

const HISTORY_LETTERS = 'SHRFDA';

/** A hello stamped with the frame and time of the packet that completed it. */
function withTime<T extends object>(hello: T, frame: number, time: number): T & { frame: number; time: number } {
  const h = hello as T & { frame: number; time: number };
  h.frame = frame;
  h.time = time;
  return h;
}

const COMPRESSED_CERTIFICATE = 25;
const SSLV2_SERVER_HELLO = 4;
/** The largest Certificate message inflated: as large as any handshake message the reader takes. */
const MAX_INFLATED = 256 * 1024;

/** A CompressedCertificate's Certificate message (zlib or brotli, RFC 8879), bounded in size. */
function inflateCertificate(c: CompressedCertificate): Uint8Array {
  if (c.uncompressedLength > MAX_INFLATED) throw new RangeError(`it says it inflates to ${c.uncompressedLength} bytes, more than ${MAX_INFLATED}`);
  const opts = { maxOutputLength: Math.max(1, c.uncompressedLength) };
  let out: Buffer;
  if (c.algorithm === 1) out = inflateSync(c.compressed, opts);
  else if (c.algorithm === 2) out = brotliDecompressSync(c.compressed, opts);
  else throw new RangeError(`compression algorithm ${c.algorithm} is not read (zlib and brotli are)`);
  if (out.length !== c.uncompressedLength) throw new RangeError(`it inflates to ${out.length} bytes, not the ${c.uncompressedLength} it says`);
  return new Uint8Array(out);
}
