import { appended, type Dir, type PacketFacts, type StreamSink, type TcpConnection } from '@tlsdoctor/capture';
import { ContentType, describeNonTls, Tls13ScheduleOpener, TlsStreamReader, type ClientHello, type KeyLog, type RecordOpener, type ServerHello } from '@tlsdoctor/tls-parser-ts';
import { decryptionMissWords } from './decryption-words.js';
import { handshakeOpener } from './handshake-keys.js';
import { CaptureResources } from './resources.js';
import { sideOf, type DecryptionMiss, type TcpRecord } from './record.js';
import { TcpConnectionRecord } from './records.js';
import { endFacts, tcpFacts } from './tcp-facts.js';
import { TlsFactsBuilder } from './tls-facts.js';

/** The tracker lends views of its read buffer: the readers copy what they keep. */
const TRANSIENT = { transientChunks: true };

/** Ports known to carry TLS, as a connection's evidence asks about them. */
export interface PortSet {
  has(port: number): boolean;
}

const EVERY_PORT: PortSet = { has: () => true };
const NO_PORT: PortSet = { has: () => false };

/**
 * Receives the reassembled bytes of both directions of a TCP connection and reads them as TLS,
 * into the facts of its record. It asks for bytes only until the handshake is over.
 */
export class TlsConnectionSink implements StreamSink {
  /** Each side's reader, made when its first byte arrives: a fifth of connections never carry one. Two fields, not a pair: a live connection holds this sink for as long as it lives. */
  private clientReader: TlsStreamReader | undefined = undefined;
  private serverReader: TlsStreamReader | undefined = undefined;
  readonly tls: TlsFactsBuilder;
  /** Which sides sent bytes (bit 0: the client, bit 1: the server). */
  private bytesFrom = 0;
  private secretsFound = false;
  /** Why a side's records could not be opened though the key log holds secrets for this connection. */
  private notOpenable: string | undefined = undefined;
  /** The client's keys when it sent 0-RTT data: how many of its records no key opened. */
  private zeroRtt: Tls13ScheduleOpener | undefined = undefined;
  private clientTls = false;
  private serverTls = false;
  private streamsDone = false;

  private readonly keyLog: KeyLog;

  /** `shared`: the capture's key log (pcap --keylog, pcapng secrets blocks), roots and fingerprint cache. */
  constructor(private readonly shared: CaptureResources = new CaptureResources()) {
    this.keyLog = shared.keyLog;
    this.tls = new TlsFactsBuilder(shared.roots);
  }

  /** The facts read so far. */
  get rec() {
    return this.tls.facts;
  }

  private reader(dir: Dir): TlsStreamReader {
    // Without secrets (most captures) a reader is made as it always was: no opener to ask.
    const existing = dir === 0 ? this.clientReader : this.serverReader;
    if (existing) return existing;
    const made = new TlsStreamReader(dir === 0 ? 'client' : 'server', this.decrypting ? { ...TRANSIENT, opener: (sh, ch) => this.openerFor(dir, sh, ch) } : TRANSIENT);
    if (dir === 0) this.clientReader = made;
    else this.serverReader = made;
    return made;
  }

  /** A side's reader if it has one (none before its first byte, nor once reading is over). */
  private readerOf(dir: Dir): TlsStreamReader | undefined {
    return dir === 0 ? this.clientReader : this.serverReader;
  }

  /** Whether a side sent any byte. */
  sawBytes(dir: Dir): boolean {
    return (this.bytesFrom & (1 << dir)) !== 0;
  }

  /** Whether secrets are at hand at all (a capture's secrets blocks may add them as it is read). */
  private get decrypting(): boolean {
    return this.keyLog.sessionCount > 0;
  }

  /**
   * Asked for by a side's reader at its first protected record. The server's reader passes the
   * ServerHello it read; the client's side uses the one the record holds when it comes later.
   * The ClientHello may not be in the record yet: the client's 0-RTT records can come in the
   * chunk that completed it, and its reader passes it.
   */
  private openerFor(dir: Dir, readerServerHello: ServerHello | undefined, readerClientHello: ClientHello | undefined): RecordOpener | undefined {
    const ch = this.rec.clientHello ?? readerClientHello;
    if (!this.decrypting || !ch || !this.keyLog.has(ch.random)) return undefined;
    this.secretsFound = true;
    // The client's 0-RTT records come before the ServerHello: its handshake keys wait for it.
    const made = handshakeOpener(this.keyLog, dir, ch, () => (dir === 1 ? readerServerHello : this.rec.serverHello));
    if ('reason' in made) {
      this.notOpenable ??= made.reason;
      return undefined;
    }
    if (dir === 0 && made.opener instanceof Tls13ScheduleOpener) this.zeroRtt = made.opener;
    return made.opener;
  }

  data(dir: Dir, bytes: Uint8Array, pkt: PacketFacts): boolean {
    this.bytesFrom |= 1 << dir;
    const events = this.reader(dir).push(bytes);
    for (const ev of events) this.tls.event(dir, ev, pkt);
    if (this.wantsMore(dir)) return true;
    // Both directions are past their handshake: nothing more will be read, so the readers (and
    // the bytes they hold) go now rather than when the connection ends, often much later.
    const other = this.readerOf((dir ^ 1) as Dir);
    if (other && !this.wantsMore((dir ^ 1) as Dir)) this.finishStreams();
    return false;
  }

  /** Whether either direction is still being read (false once both are past their handshake). */
  get reading(): boolean {
    return this.clientReader !== undefined || this.serverReader !== undefined;
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

  /** Called once the connection is over: what the readers hold back until the end. */
  finish(): void {
    for (const dir of [0, 1] as const) {
      for (const ev of this.readerOf(dir)?.finish() ?? []) this.tls.event(dir, ev, undefined);
    }
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
   * Ends the reading of both directions once the connection is over: what the readers found is
   * kept in the facts and the readers (and any bytes they hold) are let go.
   */
  finishStreams(): void {
    if (this.streamsDone) return;
    this.streamsDone = true;
    this.finish();
    const r = this.rec;
    if (r.nonTls) r.nonTls.description = describeNonTls(this.reader(r.nonTls.from === 'client' ? 0 : 1).nonTlsBytes);
    if (r.nonTlsAnswer) r.nonTlsAnswer.description = describeNonTls(this.reader(1).nonTlsBytes);
    const cr = this.clientReader;
    const sr = this.serverReader;
    if (this.decrypting && r.clientHello && r.version !== undefined && this.tls.encryptedRecords(0) + this.tls.encryptedRecords(1) > 0) {
      const opened: [number, number] = [cr?.decryptedRecords ?? 0, sr?.decryptedRecords ?? 0];
      const notOpened = this.decryptionMiss([cr, sr]);
      r.decryption = { secrets: this.secretsFound, opened, ...(notOpened ? { notOpened } : {}) };
      if (this.secretsFound && opened[1] === 0 && this.tls.encryptedRecords(1) > 0 && !this.notOpenable) {
        r.partialReasons = appended(r.partialReasons, "the key log holds secrets for this connection's client random, but they open none of the server's protected handshake records (a key log of another run, or cut short)");
      } else if (notOpened && notOpened.why !== 'no-secret') {
        // The key log covers it, yet part of its handshake stays closed: the report says why.
        r.partialReasons = appended(r.partialReasons, `the key log holds this connection's secrets, but ${decryptionMissWords(notOpened, 'tcp')}: its protected handshake records stay closed from there on`);
      }
      if (this.zeroRtt && this.zeroRtt.passedOver > 0) {
        r.partialReasons = appended(r.partialReasons, `the client's first ${this.zeroRtt.passedOver} protected record(s), its 0-RTT flight, open under no key the key log gives (no CLIENT_EARLY_TRAFFIC_SECRET for it): passed over, its EndOfEarlyData among them if it sent one`);
      }
    }
    // The first client record is the ClientHello: begun and never finished, it was cut short.
    const cut = cr?.records === 0 ? cr.unfinishedRecord : undefined;
    if (cut && cut.contentType === ContentType.Handshake && !r.clientHello) r.clientHelloCut = { length: cut.length, received: cut.received };
    this.clientTls = cr !== undefined && (((cr.state === 'records' || cr.state === 'failed') && cr.records > 0) || r.clientHelloCut !== undefined);
    this.serverTls = sr !== undefined && sr.state === 'records' && sr.records > 0;
    this.clientReader = this.serverReader = undefined;
    this.tls.trim();
  }

  /**
   * Why the key log did not open this connection's handshake, if it did not: a side's record that
   * failed before that side's Finished was read (after it, TLS 1.3 turns to keys the log's
   * handshake secrets are not).
   */
  private decryptionMiss(readers: [TlsStreamReader | undefined, TlsStreamReader | undefined]): DecryptionMiss | undefined {
    const r = this.rec;
    if (!this.keyLog.has(r.clientHello!.random)) return { why: 'no-secret' };
    if (this.notOpenable) return { why: 'not-decryptable', reason: this.notOpenable };
    for (const dir of [1, 0] as const) {
      // Records are opened in order from the side's first: the one after the last opened ended it.
      const reader = readers[dir];
      if (reader?.decryption === 'ended' && !this.tls.finished(dir)) return { why: 'record-failed', from: sideOf(dir), record: reader.decryptedRecords + 1 };
    }
    return undefined;
  }

  /**
   * Why this connection counts as TLS, given the ports known to carry TLS; undefined when it
   * does not. Call after finishStreams.
   */
  evidence(tcp: TcpConnection, tlsPorts: PortSet): TcpRecord['tlsEvidence'] | undefined {
    const r = this.rec;
    if (r.clientHello || this.clientTls) return 'client-hello';
    if (this.serverTls) return 'server-tls';
    // Without its start and without bytes (a late FIN or RST on a closed tuple) it tells nothing.
    if (this.bytesFrom === 0 && !tcp.startCaptured && tcp.synAckCount === 0) return undefined;
    if (!this.sawBytes(0) && tlsPorts.has(tcp.server.port)) return 'tls-port';
    if (r.nonTls?.from === 'client' && tlsPorts.has(tcp.server.port) && r.nonTls.description.kind === 'http-request') return 'tls-port';
    return undefined;
  }

  /** Whether the ports known to carry TLS decide if this connection counts: it has no TLS of its own. */
  dependsOnPorts(tcp: TcpConnection): boolean {
    return this.evidence(tcp, EVERY_PORT) !== this.evidence(tcp, NO_PORT);
  }

  /** The record of the connection, its TLS facts completed with its TCP facts; undefined when it is not TLS. */
  toRecord(tcp: TcpConnection, tlsPorts: PortSet): TcpRecord | undefined {
    this.finishStreams();
    const r = this.rec;
    const tlsEvidence = this.evidence(tcp, tlsPorts);
    if (!tlsEvidence) return undefined;
    if (!tcp.startCaptured) r.partialReasons = appended(r.partialReasons, 'the capture starts after the connection did (no SYN)');
    if (tcp.startCaptured && !r.clientHello && !r.clientHelloCut && this.sawBytes(0) && tlsEvidence !== 'tls-port') {
      r.partialReasons = appended(r.partialReasons, 'the ClientHello is not in the capture');
    }
    // A new record, not the facts the readers filled: those have usually reached the old
    // generation by now, and new objects stored into an old one outlive the next young-generation
    // collection however soon it dies (see TcpTracker's hand-on).
    const connection = { id: tcp.id, client: tcp.client, server: tcp.server, ipVersion: tcp.ipVersion, tlsEvidence, startCaptured: tcp.startCaptured, firstTime: tcp.firstTime, lastTime: tcp.lastTime };
    return new TcpConnectionRecord(connection, this.tls.complete(), tcpFacts(tcp), endFacts(tcp, (t) => this.tls.lastEventBy(t)), this.shared.fingerprints);
  }
}
