import type { Dir, Endpoint, IcmpFacts, PacketFacts, TcpConnection } from '@tlsdoctor/capture';
import type { ClientHello, Direction, Ja3, Ja4, NonTlsDescription, ServerHello, ServerKeyExchange } from '@tlsdoctor/tls-parser-ts';
import type { CertificateInfo } from './certificate.js';
import type { ChainCheck } from './chain-check.js';

// The connection record every judge and report reads: one variant per source of facts, tagged by
// what carried the handshake, each holding only what that source can observe. The TLS facts are
// shared; TCP's segments and TLS's record layer exist only in a TcpRecord, QUIC's datagrams only
// in a QuicRecord. A third source (a client's own log of its connections) joins as a third
// variant with its own tag, holding what the log says.

export interface TimedFact {
  frame: number;
  /** Seconds since the epoch (capture time). */
  time: number;
}

/**
 * Why a key log did not open a connection's handshake: no secret for its client random; a suite
 * (or secret) that does not open, with the reason; or a side's protected record, before its
 * Finished, that did not authenticate under the secrets (the first of that side is record 1).
 */
export type DecryptionMiss =
  | { why: 'no-secret' }
  | { why: 'not-decryptable'; reason: string }
  | { why: 'record-failed'; from: Direction; record: number };

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

/** What the handshake showed, whatever carried it (TCP's records or QUIC's CRYPTO frames). */
export interface TlsFacts {
  clientHello?: ClientHello & TimedFact;
  /**
   * The ClientHello was begun but never finished: the bytes stopped (a reset, a close, the end of
   * the capture, a lost Initial) inside it. Sizes include the record header over TCP.
   */
  clientHelloCut?: { length: number; received: number };
  /** ClientHellos seen (a second one follows a HelloRetryRequest). */
  clientHelloCount: number;
  serverHello?: ServerHello & TimedFact;
  helloRetryRequest?: TimedFact & { group?: number };
  sni?: string;
  /** Negotiated version and cipher (absent when no ServerHello was seen). */
  version?: number;
  cipher?: number;
  alpn?: string;
  /** Fingerprints, made when first read: most records are never asked for them. */
  readonly ja3?: Ja3;
  readonly ja3s?: Ja3;
  readonly ja4?: Ja4;
  certificates: CertificateInfo[];
  certificatesFrame?: number;
  certificatesTime?: number;
  chain?: ChainCheck;
  serverKeyExchange?: ServerKeyExchange;
  certificateRequested: boolean;
  /**
   * The chain in the client's Certificate message (mutual TLS), leaf first, read as the server's
   * is: empty when the message was (the answer of a client that has none); absent when the client
   * sent none, or it could not be read (TLS 1.3 without the key log that opens its flight).
   */
  clientCertificates?: CertificateInfo[];
  messages: MessageSeen[];
  alerts: AlertSeen[];
  parseErrors: { from: Direction; message: string; offset: number }[];
  /**
   * With a key log: whether it held this connection's secrets, and how many protected records of
   * each side (client, server) they opened: the handshake's, never application data.
   */
  decryption?: { secrets: boolean; opened: [number, number]; notOpened?: DecryptionMiss };
  /** Bytes missing from the capture inside the handshake: the record speaks only of what it saw. */
  incomplete: boolean;
  /** Parts of the handshake this capture cannot show (why the record is partial). */
  partialReasons: string[];
}

/** TLS's record layer over TCP: what its record headers and unreadable bytes show. */
export interface RecordLayerFacts {
  /** The server answered in SSL 2.0 (its SERVER-HELLO): the protocol chosen and the cipher kinds it offered. */
  sslv2?: TimedFact & { version: number; cipherSpecs: number[]; sessionIdHit: boolean };
  /** When each side began to encrypt. */
  encryptedFrom: [TimedFact | undefined, TimedFact | undefined];
  /** Encrypted records seen from each side, and the sizes of the first few. */
  encryptedRecords: [number, number];
  encryptedRecordSizes: [number[], number[]];
  /** Bytes the server (or client) sent that were not TLS. */
  nonTls?: TimedFact & { from: Direction; description: NonTlsDescription };
  /** When the client spoke first in another protocol (plain HTTP to a TLS port): the server's answer, which names the mistake. */
  nonTlsAnswer?: TimedFact & { description: NonTlsDescription };
  /** TLS began after a non-TLS preamble (SOCKS, HTTP CONNECT) from this side. */
  tunnel?: { from: Direction; preambleLength: number };
  /**
   * With a key log, TLS 1.3: the HTTP/1.x status line that begins the server's first application
   * data record, opened under its application keys (nginx's refusal of a missing client
   * certificate comes there). Nothing else of the application data is read.
   */
  serverStatusLine?: TimedFact & { line: string };
}

/** What every connection read from a capture has, whatever its transport. */
export interface CapturedConnection {
  /** The connection's number among the capture's connections of its transport, from 0 (for TCP, tshark's tcp.stream). */
  id: number;
  client: Endpoint;
  server: Endpoint;
  ipVersion: 4 | 6;
  /** Why this connection counts as TLS: bytes on the wire, or a TLS port with no bytes. */
  tlsEvidence: 'client-hello' | 'server-tls' | 'tls-port';
  /** The capture holds the connection's start (TCP: its SYN; QUIC: the client's first Initial). */
  startCaptured: boolean;
  firstTime: number;
  lastTime: number;
}

/**
 * The TCP connection under the TLS: its handshake, resets, closes, ICMP and first packets, as the
 * capture's connection table gave them (its field comments say what each holds), with what the
 * analysis counts from the connection's streams.
 */
export interface TcpFacts extends Pick<TcpConnection, 'roles' | 'syn' | 'synCount' | 'synAck' | 'synAckCount' | 'rsts' | 'rstCount' | 'fins' | 'icmp' | 'packets' | 'packetCount'> {
  /** Payload bytes per side (client, server). */
  bytes: [number, number];
  retransmissions: [number, number];
  gaps: [number, number];
  /** A Zeek-style history: S h A D d F f R r (upper case: client). */
  history: string;
}

export interface EndFacts extends TimedFact {
  how: 'rst' | 'fin';
  by: Direction;
  /** The last TLS event before the end, e.g. "ClientHello", "ServerHelloDone", "encrypted records". */
  after: string;
}

/** TLS over TCP, read from a capture. */
export interface TcpRecord extends CapturedConnection, TlsFacts, RecordLayerFacts {
  readonly transport: 'tcp';
  tcp: TcpFacts;
  /** The first RST or FIN, whichever came first; absent while the connection was open. */
  end?: EndFacts;
}

/** One UDP datagram of a QUIC connection, as evidence: when, which way, its size and the packets it held. */
export interface DatagramFacts extends TimedFact {
  dir: Dir;
  /** UDP payload bytes. */
  len: number;
  ttl: number;
  /** IPv4 identification; -1 on IPv6. */
  ipId: number;
  /** The QUIC packets it held, e.g. "Initial+Handshake". */
  packets: string;
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
  /** The first datagrams of the connection (up to 12), as evidence. */
  log: DatagramFacts[];
  /** ICMP messages that quote the connection's datagrams (a closed UDP port, a firewall's reject). */
  icmp: IcmpFacts[];
}

/** TLS in QUIC (HTTP/3), read from a capture. */
export interface QuicRecord extends CapturedConnection, TlsFacts {
  readonly transport: 'quic';
  quic: QuicFacts;
}

/**
 * Everything the judges know about one connection that carried, or tried to carry, TLS: narrow
 * on `transport` to read what only one transport has.
 */
export type ConnectionRecord = TcpRecord | QuicRecord;

export function sideOf(dir: Dir): Direction {
  return dir === 0 ? 'client' : 'server';
}

/** A net error where the log gave one: Chromium's code, its name, and the event that carried it. */
export interface NetErrorSeen extends TimedFact {
  code: number;
  name: string;
}

/** The TCP connect of a browser's socket, as its log tells it. */
export interface NetlogConnectFacts extends TimedFact {
  /** The addresses the resolver gave, in the order they were to be tried. */
  addresses: string[];
  /** Each attempt, with the OS error that ended it (absent: it connected). */
  attempts: { address: string; osError?: number; frame: number; time: number; ms?: number }[];
  /** The connect's own end: absent while it was open when the log stopped. */
  end?: TimedFact & { error?: NetErrorSeen; local?: string; remote?: string };
}

/** The browser's certificate verifier on the chain: its net error and the status bits it set. */
export interface NetlogVerifyFacts extends TimedFact {
  error?: NetErrorSeen;
  status: string[];
  /** The chain ends in a root the platform ships (not one a user or an enterprise added). */
  knownRoot?: boolean;
}

/** A QUIC session of a browser, as its log tells it (packets are counted, not decoded). */
export interface NetlogQuicFacts {
  packetsReceived: number;
  packetsSent: number;
  version?: string;
  handshakeConfirmed?: TimedFact;
  /** Who closed it, with which QUIC error, and the browser's own words on why. */
  closed?: TimedFact & { quicError: string; fromPeer: boolean; details?: string; error?: NetErrorSeen };
}

/**
 * A connection, or a request that got none, as a browser's own log (a Chromium NetLog) describes
 * it: what the browser did and what it concluded (its net errors), with the handshake messages it
 * logged read as a capture's would be. Frames are the log's event numbers; times are Unix seconds.
 * Nothing here comes from packets: no segment, retransmission or ICMP is known.
 */
export interface NetlogRecord extends TlsFacts {
  readonly transport: 'netlog';
  /** `tcp`: a socket (TLS over TCP); `quic`: a QUIC session; `request`: a URL request that got no connection. */
  kind: 'tcp' | 'quic' | 'request';
  /** The log's source id of the socket, session or request. */
  id: number;
  /** The name the browser asked for. */
  host?: string;
  port?: number;
  /** The address it connected to, or tried last. */
  server?: Endpoint;
  client?: Endpoint;
  firstTime: number;
  lastTime: number;
  /** The log's event numbers of the first and last events read for it. */
  firstEvent: number;
  lastEvent: number;
  /** How the browser reached the server: "DIRECT", or the proxy it used. */
  proxy?: string;
  /** A name that did not resolve: the resolver's net error. */
  dns?: NetErrorSeen;
  connect?: NetlogConnectFacts;
  /** The TLS handshake: its begin, and its end with the browser's net error (absent: it succeeded). */
  tls?: TimedFact & { end?: TimedFact & { error?: NetErrorSeen }; sslError?: { lib: number; reason: number; file?: string } };
  verify?: NetlogVerifyFacts;
  quic?: NetlogQuicFacts;
  /** The request's own end, for a request that got no connection. */
  request?: { error?: NetErrorSeen };
  /** Bytes the socket sent and received, as the log counted them. */
  bytes: [number, number];
  /** The ClientHello message's size, its 4-byte header included (a record header adds 5 on the wire). */
  clientHelloBytes?: number;
  /** The first bytes the server sent, where the capture mode logged them (Everything). */
  firstServerBytes?: Uint8Array;
  /** The log stopped before this connection ended (the browser was closed, or the file is cut). */
  cut: boolean;
  /** Unix seconds of the log's last event: how long an open connection had been waiting. */
  logEnd: number;
  /**
   * The log said when its clock started (its constants' timeTickOffset): times are Unix times. A
   * log without constants gives only intervals, and a certificate's dates cannot be judged by them.
   */
  clockAnchored: boolean;
  /** The capture mode the log was written in: what it could show. */
  captureMode?: string;
}
