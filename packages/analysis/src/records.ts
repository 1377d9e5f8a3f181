import { NONE } from '@tlsdoctor/capture';
import { ja3, ja3s, ja4, type FingerprintCache, type Ja3, type Ja4 } from '@tlsdoctor/tls-parser-ts';
import type { CapturedConnection, EndFacts, QuicFacts, QuicRecord, RecordLayerFacts, TcpFacts, TcpRecord, TlsFacts } from './record.js';

/** The TLS facts a stream reader fills in as the handshake goes (fingerprints are made from them later). */
export type LiveTls = Omit<TlsFacts, 'ja3' | 'ja3s' | 'ja4'>;

const NOT_ENCRYPTED = Object.freeze([undefined, undefined]) as unknown as RecordLayerFacts['encryptedFrom'];
const NO_RECORDS = Object.freeze([0, 0]) as unknown as RecordLayerFacts['encryptedRecords'];
const NO_SIZES = Object.freeze([NONE, NONE]) as unknown as RecordLayerFacts['encryptedRecordSizes'];

/**
 * The TLS facts of a connection being read, with its record layer's: filled in as events arrive
 * (the lists of many small entries are kept compact by the builder meanwhile: see EventLog),
 * then copied into the record handed on. Every field is set here, in one order, so that all of
 * them share one hidden class and the readers' writes stay monomorphic.
 */
export class LiveTlsFacts implements LiveTls, RecordLayerFacts {
  clientHello: TlsFacts['clientHello'] = undefined;
  clientHelloCut: TlsFacts['clientHelloCut'] = undefined;
  clientHelloCount = 0;
  serverHello: TlsFacts['serverHello'] = undefined;
  helloRetryRequest: TlsFacts['helloRetryRequest'] = undefined;
  sni: string | undefined = undefined;
  version: number | undefined = undefined;
  cipher: number | undefined = undefined;
  alpn: string | undefined = undefined;
  // Lists most connections leave empty start as the shared empty list (appended() replaces it).
  certificates: TlsFacts['certificates'] = NONE;
  certificatesFrame: number | undefined = undefined;
  certificatesTime: number | undefined = undefined;
  chain: TlsFacts['chain'] = undefined;
  serverKeyExchange: TlsFacts['serverKeyExchange'] = undefined;
  certificateRequested = false;
  clientCertificates: TlsFacts['clientCertificates'] = undefined;
  messages: TlsFacts['messages'] = NONE;
  alerts: TlsFacts['alerts'] = NONE;
  parseErrors: TlsFacts['parseErrors'] = NONE;
  decryption: TlsFacts['decryption'] = undefined;
  incomplete = false;
  partialReasons: string[] = NONE;
  sslv2: RecordLayerFacts['sslv2'] = undefined;
  // Kept in the TLS facts builder while the connection lives, set here when its record is made.
  encryptedFrom: RecordLayerFacts['encryptedFrom'] = NOT_ENCRYPTED;
  encryptedRecords: RecordLayerFacts['encryptedRecords'] = NO_RECORDS;
  encryptedRecordSizes: RecordLayerFacts['encryptedRecordSizes'] = NO_SIZES;
  nonTls: RecordLayerFacts['nonTls'] = undefined;
  nonTlsAnswer: RecordLayerFacts['nonTlsAnswer'] = undefined;
  tunnel: RecordLayerFacts['tunnel'] = undefined;
  serverStatusLine: RecordLayerFacts['serverStatusLine'] = undefined;
}

/**
 * What the two kinds of captured record share: where the connection went, and its TLS facts,
 * copied field by field in one order (one hidden class per kind), with fingerprints made when
 * first read: three hashes per connection are most of the cost of a record, and a streaming run
 * may never report them.
 */
abstract class CapturedRecord implements CapturedConnection, TlsFacts {
  id: number;
  client: CapturedConnection['client'];
  server: CapturedConnection['server'];
  ipVersion: 4 | 6;
  tlsEvidence: CapturedConnection['tlsEvidence'];
  startCaptured: boolean;
  firstTime: number;
  lastTime: number;
  clientHello: TlsFacts['clientHello'];
  clientHelloCut: TlsFacts['clientHelloCut'];
  clientHelloCount: number;
  serverHello: TlsFacts['serverHello'];
  helloRetryRequest: TlsFacts['helloRetryRequest'];
  sni: string | undefined;
  version: number | undefined;
  cipher: number | undefined;
  alpn: string | undefined;
  certificates: TlsFacts['certificates'];
  certificatesFrame: number | undefined;
  certificatesTime: number | undefined;
  chain: TlsFacts['chain'];
  serverKeyExchange: TlsFacts['serverKeyExchange'];
  certificateRequested: boolean;
  clientCertificates: TlsFacts['clientCertificates'];
  messages: TlsFacts['messages'];
  alerts: TlsFacts['alerts'];
  parseErrors: TlsFacts['parseErrors'];
  decryption: TlsFacts['decryption'];
  incomplete: boolean;
  partialReasons: string[];
  private fp: { ja3?: Ja3; ja3s?: Ja3; ja4?: Ja4 } | undefined = undefined;
  /** JA4's transport letter: 't' for TCP, 'q' for QUIC. */
  protected abstract readonly ja4Transport: 't' | 'q';

  /** `fingerprints`: the capture's cache (CaptureResources); without one they are made afresh. */
  constructor(c: CapturedConnection, t: LiveTls, private readonly fingerprints: FingerprintCache | undefined) {
    this.id = c.id;
    this.client = c.client;
    this.server = c.server;
    this.ipVersion = c.ipVersion;
    this.tlsEvidence = c.tlsEvidence;
    this.startCaptured = c.startCaptured;
    this.firstTime = c.firstTime;
    this.lastTime = c.lastTime;
    this.clientHello = t.clientHello;
    this.clientHelloCut = t.clientHelloCut;
    this.clientHelloCount = t.clientHelloCount;
    this.serverHello = t.serverHello;
    this.helloRetryRequest = t.helloRetryRequest;
    this.sni = t.sni;
    this.version = t.version;
    this.cipher = t.cipher;
    this.alpn = t.alpn;
    this.certificates = t.certificates;
    this.certificatesFrame = t.certificatesFrame;
    this.certificatesTime = t.certificatesTime;
    this.chain = t.chain;
    this.serverKeyExchange = t.serverKeyExchange;
    this.certificateRequested = t.certificateRequested;
    this.clientCertificates = t.clientCertificates;
    this.messages = t.messages;
    this.alerts = t.alerts;
    this.parseErrors = t.parseErrors;
    this.decryption = t.decryption;
    this.incomplete = t.incomplete;
    this.partialReasons = t.partialReasons;
  }

  get ja3(): Ja3 | undefined {
    return this.clientHello && ((this.fp ??= {}).ja3 ??= (this.fingerprints ?? FRESH).ja3(this.clientHello));
  }

  get ja4(): Ja4 | undefined {
    return this.clientHello && ((this.fp ??= {}).ja4 ??= (this.fingerprints ?? FRESH).ja4(this.clientHello, this.ja4Transport));
  }

  get ja3s(): Ja3 | undefined {
    return this.serverHello && ((this.fp ??= {}).ja3s ??= (this.fingerprints ?? FRESH).ja3s(this.serverHello));
  }
}

/** A TcpRecord: the TLS facts, the record layer's, and the TCP connection under them. */
export class TcpConnectionRecord extends CapturedRecord implements TcpRecord {
  readonly transport = 'tcp' as const;
  protected readonly ja4Transport = 't' as const;
  sslv2: RecordLayerFacts['sslv2'];
  encryptedFrom: RecordLayerFacts['encryptedFrom'];
  encryptedRecords: RecordLayerFacts['encryptedRecords'];
  encryptedRecordSizes: RecordLayerFacts['encryptedRecordSizes'];
  nonTls: RecordLayerFacts['nonTls'];
  nonTlsAnswer: RecordLayerFacts['nonTlsAnswer'];
  tunnel: RecordLayerFacts['tunnel'];
  serverStatusLine: RecordLayerFacts['serverStatusLine'];
  tcp: TcpFacts;
  end: EndFacts | undefined;

  constructor(c: CapturedConnection, t: LiveTls & RecordLayerFacts, tcp: TcpFacts, end: EndFacts | undefined, fingerprints?: FingerprintCache) {
    super(c, t, fingerprints);
    this.sslv2 = t.sslv2;
    this.encryptedFrom = t.encryptedFrom;
    this.encryptedRecords = t.encryptedRecords;
    this.encryptedRecordSizes = t.encryptedRecordSizes;
    this.nonTls = t.nonTls;
    this.nonTlsAnswer = t.nonTlsAnswer;
    this.tunnel = t.tunnel;
    this.serverStatusLine = t.serverStatusLine;
    this.tcp = tcp;
    this.end = end;
  }
}

/** A QuicRecord: the TLS facts its CRYPTO frames carried, and the QUIC connection's own. */
export class QuicConnectionRecord extends CapturedRecord implements QuicRecord {
  readonly transport = 'quic' as const;
  protected readonly ja4Transport = 'q' as const;
  quic: QuicFacts;

  constructor(c: CapturedConnection, t: LiveTls, quic: QuicFacts, fingerprints?: FingerprintCache) {
    super(c, t, fingerprints);
    this.quic = quic;
  }
}

/** Fingerprints made afresh, for a record made without a capture's cache (tests, made-up records). */
const FRESH = Object.freeze({ ja3, ja3s, ja4 });
