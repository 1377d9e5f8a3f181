import type { IcmpKind } from '@tlsdoctor/capture';
import type { FullHandshake, HstsCheck, Http3Probe, ProbeRecord, RedirectCheck, WebSocketCheck } from '@tlsdoctor/probe';
import type { Ladder } from './ladder.js';

// The facts a report row carries beside its verdicts, as JSON writes them: one type per kind of
// row. docs/report.schema.json describes the same fields; test/report-schema.test.ts holds the two
// to each other, so that a field cannot be added to one without the other.

type Pair = { client: number; server: number };
type Side = 'client' | 'server';

/** A certificate as rows show it. */
export interface CertificateFacts {
  subject: string;
  issuer: string;
  sans: string[];
  notBefore: string;
  notAfter: string;
  serialNumber: string;
  fingerprint256: string;
  selfSigned: boolean;
}

/** An ICMP message that quoted the connection's packets, with its meaning. */
export interface IcmpRowFacts {
  frame: number;
  type: number;
  code: number;
  /** What it says of the packet it quotes: ICMPv4's fragmentation needed is a packet-too-big, as ICMPv6's is. */
  kind: IcmpKind;
  /** Its RFC name (RFC 792, RFC 1812, RFC 4443). */
  name: string;
  /** The MTU a packet-too-big names. */
  mtu?: number;
  from: string;
  ttl: number;
}

export interface ClientHelloFacts {
  frame: number;
  legacyVersion: string;
  offeredVersions: string[];
  cipherSuites: string[];
  extensions: string[];
  serverNames: string[];
  alpn: string[];
  supportedGroups: string[];
  keyShares: string[];
  signatureAlgorithms: string[];
  ja3String: string | null;
  ja4Raw: string | null;
  ja4Original: string | null;
}

export interface ServerHelloFacts {
  frame: number;
  version: string;
  cipherSuite: string;
  extensions: string[];
  keyShareGroup: string | null;
  helloRetryRequest: { frame: number; group: string | null } | null;
}

export interface AlertFacts {
  from: Side;
  level: string;
  description: string;
  code: number;
  frame: number;
  decrypted?: true;
}

/** The TLS facts of a row, whatever source its record came from. */
interface TlsRowFacts {
  clientHello: ClientHelloFacts | null;
  serverHello: ServerHelloFacts | null;
  certificates: CertificateFacts[];
  alerts: AlertFacts[];
  /** "client: ClientHello (frame 4)" in order (a NetLog row: "(event 538)"). */
  messages: string[];
  parseErrors: { from: Side; message: string; offset: number }[];
}

/** What every captured connection's row holds, whatever carried its handshake. */
interface CapturedRowFacts extends TlsRowFacts {
  ipVersion: 4 | 6;
  tlsEvidence: 'client-hello' | 'server-tls' | 'tls-port';
  startCaptured: boolean;
  firstPacket: string | null;
  durationMs: number;
  clientHelloCut: { length: number; received: number } | null;
  /** With a key log: whether it held this connection's secrets, the protected records of each side they opened, and why the handshake was not opened in full, when it was not. */
  decryption: { secrets: boolean; opened: Pair; notOpened: string | null } | null;
  partial: string[];
  ladder: Ladder;
}

/** A TLS connection over TCP. */
export interface TcpRowFacts extends CapturedRowFacts {
  history: string;
  timingsMs: { syn: number | null; synAck: number | null; clientHello: number | null; serverHello: number | null; end: number | null };
  tcp: {
    synCount: number;
    mss: { client: number | null; server: number | null };
    synAck: { frame: number; ttl: number; ipId: number; window: number } | null;
    resets: { frame: number; from: Side; ttl: number; ipId: number; window: number; atMs: number | null }[];
    icmp: IcmpRowFacts[];
    bytes: Pair;
    retransmissions: Pair;
  };
  end: { how: 'rst' | 'fin'; by: Side; frame: number; after: string; atMs: number | null } | null;
  nonTls: { from: Side; frame: number; kind: string; summary: string; firstBytesHex: string } | null;
  tunnel: { from: Side; preambleLength: number } | null;
}

/** A QUIC connection (HTTP/3). */
export interface QuicRowFacts extends CapturedRowFacts {
  timingsMs: { clientHello: number | null; serverHello: number | null };
  quic: {
    version: string;
    originalDcid: string;
    serverScid: string | null;
    datagrams: Pair;
    bytes: Pair;
    initialPackets: Pair;
    handshakePackets: Pair;
    oneRttPackets: Pair;
    unopenedInitials: Pair;
    clientInitialFrames: number[];
    retries: number[];
    versionNegotiation: { frame: number; versions: string[] } | null;
    close: { from: Side; frame: number; packet: 'initial' | 'handshake'; application: boolean; code: number; name: string; reason: string } | null;
    transportParameters: string[];
    handshakeOpened: Pair | null;
    icmp: IcmpRowFacts[];
  };
}

/** A net error the browser logged: its name, code and the log's event number. */
export interface NetErrorFacts {
  name: string;
  code: number;
  event: number;
}

/**
 * A connection (or a request that got none) read from a browser's NetLog. Event numbers are the
 * log's own (its place in the file's list of events, from 0); `frame` in the TLS facts below is
 * the event number too. Times are milliseconds since the record's first event.
 */
export interface NetlogRowFacts extends TlsRowFacts {
  kind: 'tcp' | 'quic' | 'request';
  /** The log's source id. */
  sourceId: number;
  captureMode: string | null;
  firstEvent: number;
  lastEvent: number;
  firstEventTime: string | null;
  durationMs: number;
  /** The log stopped while this connection was open. */
  cut: boolean;
  proxy: string | null;
  dns: NetErrorFacts | null;
  connect: { addresses: string[]; attempts: { address: string; osError: number | null; ms: number | null }[]; error: NetErrorFacts | null; atMs: number | null; open: boolean } | null;
  tls: { error: NetErrorFacts | null; atMs: number | null; open: boolean; sslError: { lib: number; reason: number } | null } | null;
  verifier: { error: NetErrorFacts | null; status: string[]; knownRoot: boolean | null; event: number } | null;
  quic: { packetsSent: number; packetsReceived: number; version: string | null; confirmedAtMs: number | null; closed: { quicError: string; fromPeer: boolean; details: string | null; event: number } | null } | null;
  bytes: Pair;
  clientHelloBytes: number | null;
}

/** One answer the probe got to a hello it sent. */
export interface HelloFacts {
  outcome: string;
  ms: number;
  summary: string;
  version?: string;
  cipher?: string;
  alpn?: string | null;
  alert?: string;
  code?: number;
  kind?: string;
  firstLine?: string | null;
  firstBytesHex?: string;
}

/** A hello of another shape or size: its bytes, the writes it went out in, and the answer. */
export interface ShapedHelloFacts extends HelloFacts {
  bytes: number;
  writes: number[];
}

export interface CertificateRequestFacts {
  caNames: string[];
  signatureAlgorithms: string[];
  certificateTypes: number[];
}

/** What --ciphers found, per version. */
export interface CipherFacts {
  versions: Record<string, { order: 'server' | 'client' | null; offered: number; accepted: { suite: string; code: string; keyExchange: string | null }[] }>;
  untested: { count: number; kinds: string[] };
}

/** A probed address. */
export interface ProbeFacts {
  profile: string;
  durationMs: number;
  dns: { via: string; addresses: string[]; ms: number; error: NonNullable<ProbeRecord['dns']['error']> | null };
  hello: HelloFacts | null;
  profileHello: HelloFacts | null;
  httpsPort: HelloFacts | null;
  /** Each ALPN protocol offered alone. */
  alpnAlone: { offered: string; hello: HelloFacts | null }[] | null;
  sniDifferential: { decoyName: string; noSni: HelloFacts | null; decoy: HelloFacts | null; splitName: ShapedHelloFacts | null } | null;
  helloShapes: { postQuantum: ShapedHelloFacts; split: ShapedHelloFacts; sweep: ShapedHelloFacts[] | null } | null;
  versions: Record<string, HelloFacts | null>;
  ciphers: CipherFacts | null;
  handshake: {
    ok: boolean;
    ms: number;
    version: string | null;
    cipher: string | null;
    alpn: string | null;
    verification: string;
    hostname: string;
    error: NonNullable<FullHandshake['error']> | null;
    serverFlight: { messages: string[]; certificateRequest: CertificateRequestFacts | null; error: string | null } | null;
    afterClientCertificate: NonNullable<FullHandshake['afterClientCertificate']> | null;
  } | null;
  clientCertificate: string | null;
  certificateRequest: (CertificateRequestFacts & { version: string }) | null;
  certificates: (CertificateFacts & { keyType: string | null; keyBits: number | null })[];
  http: { redirect: RedirectCheck | null; hsts: HstsCheck | null; websocket: WebSocketCheck | null; http3: Http3Probe | null };
}
