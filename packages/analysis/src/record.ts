import { NONE, type Dir, type Endpoint, type TcpConnection } from '@tlsdoctor/capture';
import { ja3, ja3s, ja4, type ClientHello, type FingerprintCache, type Direction, type Ja3, type Ja4, type NonTlsDescription, type ServerHello, type ServerKeyExchange } from '@tlsdoctor/tls-parser-ts';
import type { CertificateInfo, ChainCheck } from './certificate.js';


export interface TimedFact {
  frame: number;
  /** Seconds since the epoch (capture time). */
  time: number;
}

export interface MessageSeen extends TimedFact {
  from: Direction;
  type: number;
  name: string;
}

export interface AlertSeen extends TimedFact {
  from: Direction;
  level: string;
  description: number;
  name: string;
  /** Read from a protected record opened with a key log (a TLS 1.3 alert). */
  decrypted?: boolean;
}

export interface EndFacts extends TimedFact {
  how: 'rst' | 'fin';
  by: Direction;
  /** The last TLS event before the end, e.g. "ClientHello", "ServerHelloDone", "encrypted records". */
  after: string;
}

/**
 * What an observer reads of a QUIC connection's handshake (RFC 9000, RFC 9001): the packets of
 * each kind per side (client, server), and what the Initial packets, which anyone can open,
 * say. Handshake packets are opened only with a key log.
 */
export interface QuicFacts {
  /** The version of the client's Initial (after Version Negotiation, the one it moved to). */
  version: number;
  versionName: string;
  /** The client's first Destination Connection ID, hex: the Initial keys come from it. */
  originalDcid: string;
  /** The server's Source Connection ID, from its first Initial. */
  serverScid?: string;
  datagrams: [number, number];
  /** UDP payload bytes. */
  bytes: [number, number];
  initials: [number, number];
  handshakePackets: [number, number];
  shortPackets: [number, number];
  zeroRttPackets: number;
  /** Initial packets that did not open with the Initial keys. */
  unopened: [number, number];
  /** The client's first datagrams holding Initial packets (a few). */
  clientInitials: TimedFact[];
  /** The client's datagrams holding Initial packets, all of them. */
  clientInitialDatagrams: number;
  /** How many of them it took to carry the whole ClientHello (a post-quantum one takes two): those after it are sent again. */
  helloDatagrams?: number;
  firstServerDatagram?: TimedFact;
  retries: (TimedFact & { tokenLength: number })[];
  versionNegotiation?: TimedFact & { offered: number; versions: number[] };
  /** The first CONNECTION_CLOSE read (in an Initial, or in a Handshake packet opened with a key log). */
  close?: TimedFact & {
    from: Direction;
    packet: 'initial' | 'handshake';
    /** An application's close (0x1d) rather than a transport error (0x1c). */
    application: boolean;
    code: number;
    codeName: string;
    triggeringFrame?: number;
    reason: string;
  };
  /** The client's transport parameters, named. */
  transportParameters?: string[];
  /** With a key log: Handshake packets opened per side. */
  handshakeOpened?: [number, number];
}

/**
 * Everything the rules know about one TCP connection that carried, or tried to carry, TLS.
 * Built from a capture by the analyser and, for live probes, from a socket's bytes.
 */
export interface ConnectionRecord {
  /** The connection's number among all TCP connections of the capture, from 0 (tshark's tcp.stream). */
  id: number;
  client: Endpoint;
  server: Endpoint;
  ipVersion: 4 | 6;
  /** Why this connection counts as TLS: bytes on the wire, or a TLS port with no bytes. */
  tlsEvidence: 'client-hello' | 'server-tls' | 'tls-port';
  /** The capture holds the connection's start (its SYN). */
  startCaptured: boolean;
  firstTime: number;
  lastTime: number;
  tcp: Pick<TcpConnection, 'syn' | 'synCount' | 'synAck' | 'synAckCount' | 'rsts' | 'rstCount' | 'fins' | 'icmp' | 'packets' | 'packetCount' | 'roles'> & {
    bytes: [number, number];
    retransmissions: [number, number];
    gaps: [number, number];
    /** A Zeek-style history: S h A D d F f R r (upper case: client). */
    history: string;
  };
  clientHello?: ClientHello & TimedFact;
  /**
   * The client's first record, a handshake record, was begun but never finished: the bytes
   * stopped (a reset, a close, the end of the capture) inside the ClientHello. Sizes include the
   * record header.
   */
  clientHelloCut?: { length: number; received: number };
  /** ClientHellos seen (a second one follows a HelloRetryRequest). */
  clientHelloCount: number;
  serverHello?: ServerHello & TimedFact;
  /** The server answered in SSL 2.0 (its SERVER-HELLO): the protocol chosen and the cipher kinds it offered. */
  sslv2?: TimedFact & { version: number; cipherSpecs: number[]; sessionIdHit: boolean };
  helloRetryRequest?: TimedFact & { group?: number };
  sni?: string;
  /** Negotiated version and cipher (absent when no ServerHello was seen). */
  version?: number;
  cipher?: number;
  alpn?: string;
  readonly ja3?: Ja3;
  readonly ja3s?: Ja3;
  readonly ja4?: Ja4;
  certificates: CertificateInfo[];
  certificatesFrame?: number;
  certificatesTime?: number;
  chain?: ChainCheck;
  serverKeyExchange?: ServerKeyExchange;
  certificateRequested: boolean;
  /** The certificates in the client's Certificate message (0: an empty one, the answer of a client that has none); absent when it sent none. */
  clientCertificates?: number;
  messages: MessageSeen[];
  alerts: AlertSeen[];
  /** When each side began to encrypt. */
  encryptedFrom: [TimedFact | undefined, TimedFact | undefined];
  /** Encrypted records seen from each side, and the sizes of the first few. */
  encryptedRecords: [number, number];
  encryptedRecordSizes: [number[], number[]];
  /** Bytes the server (or client) sent that were not TLS. */
  nonTls?: TimedFact & { from: Direction; description: NonTlsDescription };
  /** TLS began after a non-TLS preamble (SOCKS, HTTP CONNECT) from this side. */
  tunnel?: { from: Direction; preambleLength: number };
  parseErrors: { from: Direction; message: string; offset: number }[];
  end?: EndFacts;
  /**
   * With a key log and TLS 1.3: whether it held this connection's secrets, and how many protected
   * records of each side (client, server) they opened: the handshake's, never application data.
   */
  decryption?: { secrets: boolean; opened: [number, number] };
  /**
   * Set for a QUIC connection (its `tcp` part then holds only its datagrams, as packets, and its
   * byte counts); `id` numbers QUIC connections apart from TCP ones.
   */
  quic?: QuicFacts;
  /** Bytes missing from the capture inside the handshake: the record speaks only of what it saw. */
  incomplete: boolean;
  /** Parts of the handshake this capture cannot show (why the record is partial). */
  partialReasons: string[];
}

/** The TLS part of a record, as the stream readers fill it in. */
export type TlsFacts = Omit<ConnectionRecord, 'id' | 'client' | 'server' | 'ipVersion' | 'tlsEvidence' | 'startCaptured' | 'firstTime' | 'lastTime' | 'tcp' | 'end' | 'ja3' | 'ja3s' | 'ja4'>;

type TcpPart = Pick<ConnectionRecord, 'id' | 'client' | 'server' | 'ipVersion' | 'tlsEvidence' | 'startCaptured' | 'firstTime' | 'lastTime' | 'tcp' | 'end'>;

/**
 * A ConnectionRecord whose fingerprints are made when first read: three hashes per connection
 * are most of the cost of a record, and a streaming run may never report them.
 */
// The class's fields are those of the record (declaration merging); it adds the lazy getters.
export interface Connection extends TlsFacts, TcpPart {}
export class Connection implements ConnectionRecord {
  private fp?: { ja3?: Ja3; ja3s?: Ja3; ja4?: Ja4 };
  /** The fingerprint cache of the capture read (analyzeCapture sets it); without one they are made afresh. */
  fingerprints: FingerprintCache | undefined;

  constructor() {
    // Every field is set here, in one order, so that all records share one hidden class and the
    // rules' reads of them stay monomorphic; fields added later would fork the shape per path.
    this.id = -1;
    this.client = UNKNOWN_ENDPOINT;
    this.server = UNKNOWN_ENDPOINT;
    this.ipVersion = 4;
    this.tlsEvidence = 'client-hello';
    this.startCaptured = false;
    this.firstTime = 0;
    this.lastTime = 0;
    this.tcp = undefined as unknown as ConnectionRecord['tcp'];
    this.end = undefined;
    this.clientHello = undefined;
    this.clientHelloCut = undefined;
    this.decryption = undefined;
    this.quic = undefined;
    this.clientHelloCount = 0;
    this.serverHello = undefined;
    this.sslv2 = undefined;
    this.helloRetryRequest = undefined;
    this.sni = undefined;
    this.version = undefined;
    this.cipher = undefined;
    this.alpn = undefined;
    // Lists most connections leave empty start as the shared empty list (appended() replaces it).
    this.certificates = NONE;
    this.certificatesFrame = undefined;
    this.certificatesTime = undefined;
    this.chain = undefined;
    this.serverKeyExchange = undefined;
    this.certificateRequested = false;
    this.clientCertificates = undefined;
    this.messages = [];
    this.alerts = NONE;
    this.encryptedFrom = [undefined, undefined];
    this.encryptedRecords = [0, 0];
    this.encryptedRecordSizes = [NONE, NONE];
    this.nonTls = undefined;
    this.tunnel = undefined;
    this.parseErrors = NONE;
    this.incomplete = false;
    this.partialReasons = NONE;
    this.fp = undefined;
    this.fingerprints = undefined;
  }

  /** Adds the TCP facts once the connection is over; the TLS facts were filled in as it went. */
  completeWith(t: TcpPart): this {
    this.id = t.id;
    this.client = t.client;
    this.server = t.server;
    this.ipVersion = t.ipVersion;
    this.tlsEvidence = t.tlsEvidence;
    this.startCaptured = t.startCaptured;
    this.firstTime = t.firstTime;
    this.lastTime = t.lastTime;
    this.tcp = t.tcp;
    this.end = t.end;
    return this;
  }

  get ja3(): Ja3 | undefined {
    return this.clientHello && ((this.fp ??= {}).ja3 ??= (this.fingerprints ?? FRESH).ja3(this.clientHello));
  }

  get ja4(): Ja4 | undefined {
    return this.clientHello && ((this.fp ??= {}).ja4 ??= (this.fingerprints ?? FRESH).ja4(this.clientHello, this.quic ? 'q' : 't'));
  }

  get ja3s(): Ja3 | undefined {
    return this.serverHello && ((this.fp ??= {}).ja3s ??= (this.fingerprints ?? FRESH).ja3s(this.serverHello));
  }
}

const UNKNOWN_ENDPOINT: Endpoint = Object.freeze({ ip: '', port: 0 });
/** Fingerprints made afresh, for a record read without a capture's cache. */
const FRESH = Object.freeze({ ja3, ja3s, ja4 });

export function sideOf(dir: Dir): Direction {
  return dir === 0 ? 'client' : 'server';
}
