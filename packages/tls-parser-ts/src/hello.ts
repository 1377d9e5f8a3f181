import { ByteReader } from './reader.js';
import { Ext, HelloExtensions, putU16, type Extension } from './extensions.js';
import type { DecodedExtensions } from './extension-values.js';
import { isGrease, Sslv2MessageType, Version } from './names.js';

export interface ClientHello extends DecodedExtensions {
  /** The client_version field (0x0303 in every TLS 1.3 hello). */
  readonly legacyVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuites: number[];
  readonly compressionMethods: number[];
  /** Every extension in wire order, GREASE included and flagged. */
  readonly extensions: Extension[];
  /** The extension types in wire order, GREASE included. */
  readonly extensionTypes: number[];
  /** True for an SSL 2.0-format hello (RFC 6101 appendix E); cipher specs are then 24-bit. */
  readonly sslv2Format: boolean;
  /** The highest non-GREASE version offered: from supported_versions if present, else legacyVersion. */
  readonly maxVersion: number;
  /** Every version offered, highest first, GREASE left out. */
  readonly offeredVersions: number[];
}

export interface ServerHello extends DecodedExtensions {
  readonly legacyVersion: number;
  /** The version actually negotiated: supported_versions when present, else legacyVersion. */
  readonly version: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuite: number;
  readonly compressionMethod: number;
  readonly extensions: Extension[];
  readonly extensionTypes: number[];
  readonly isHelloRetryRequest: boolean;
  /** RFC 8446 4.1.3: the last 8 bytes of the random announce a downgrade to 1.2 or below. */
  readonly downgradeSentinel?: 'tls12' | 'tls11';
}

/** RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest. */
const HRR_RANDOM = new Uint8Array([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);

function equalRange(buf: Uint8Array, start: number, want: Uint8Array): boolean {
  for (let i = 0; i < want.length; i++) if (buf[start + i] !== want[i]) return false;
  return true;
}

/** TLS 1.3 drafts 0 to 21 (0x7f00-0x7f15): their ServerHello names the draft in its version field and drops session id and compression (draft 22 brought both back, and moved the version to supported_versions). */
function earlyDraft(v: number): boolean {
  return v >= 0x7f00 && v < 0x7f16;
}

/** Bytes 2..34 of both hellos hold the random; the session id follows it. */
const RANDOM_START = 2;
const SESSION_ID_START = RANDOM_START + 32;

/**
 * The key of a parsed ClientHello's method that writes its *shape* into `out` and returns its
 * length (-1 when it does not fit): the same bytes for two hellos whose JA3 and JA4 are the same.
 * It holds all they read (the version field, the suites, the extension types in order, the data
 * of the extensions whose lists they hash), GREASE values made alike since both leave them out,
 * and none of the random, the session id, the names, the key shares or the padding; so a
 * fingerprint made once serves every hello of that shape. Only the fingerprint cache reads it,
 * so it is keyed by a symbol index.ts does not export, and the public ClientHello stays a
 * record of the hello. An SSL 2.0-format hello has none.
 */
export const HELLO_SHAPE = Symbol('hello shape');

/** A ClientHello that may write its shape (HELLO_SHAPE). */
export type ShapedHello = ClientHello & { readonly [HELLO_SHAPE]?: (out: Uint8Array) => number };

/** The start both hellos share: version, random, session id. */
abstract class HelloStart extends HelloExtensions {
  readonly legacyVersion: number;
  private readonly sidLength: number;
  /** Where the fields after the session id begin. */
  protected readonly afterSessionId: number;

  protected constructor(body: Uint8Array, origin: number, side: 'client' | 'server', hrr: boolean, versionField: string) {
    super(body, origin, side, hrr);
    const r = this.readerAt(0, body.length);
    this.legacyVersion = r.u16(versionField);
    r.skip(32, 'random');
    // A ServerHello of TLS 1.3 drafts before 22 has neither session id nor compression method.
    const n = side === 'server' && earlyDraft(this.legacyVersion) ? 0 : r.u8('session_id');
    if (n > 32) r.fail('session_id of at most 32 bytes', `${n}`);
    r.skip(n, 'session_id');
    this.sidLength = n;
    this.afterSessionId = r.pos;
  }

  get random(): Uint8Array {
    return this.buf.subarray(RANDOM_START, RANDOM_START + 32);
  }

  get sessionId(): Uint8Array {
    return this.buf.subarray(SESSION_ID_START + 1, SESSION_ID_START + 1 + this.sidLength);
  }
}

class ParsedClientHello extends HelloStart implements ClientHello {
  readonly sslv2Format = false;
  private readonly suitesStart: number;
  private readonly suitesLength: number;
  private readonly compStart: number;
  private readonly compLength: number;
  private suites?: number[];
  private versions?: number[];

  constructor(body: Uint8Array, origin: number) {
    super(body, origin, 'client', false, 'client_version');
    const r = this.readerAt(this.afterSessionId, body.length);
    const n = r.u16('cipher_suites');
    this.suitesStart = r.pos;
    this.suitesLength = n;
    r.skipU16s(n, 'cipher_suites');
    this.compLength = r.u8('compression_methods');
    this.compStart = r.pos;
    r.skip(this.compLength, 'compression_methods');
    this.readExtensions(r);
    r.expectEnd('ClientHello');
  }

  get cipherSuites(): number[] {
    return (this.suites ??= this.readerAt(this.suitesStart, this.suitesStart + this.suitesLength).u16s(this.suitesLength, 'cipher_suites'));
  }

  get compressionMethods(): number[] {
    return Array.from(this.buf.subarray(this.compStart, this.compStart + this.compLength));
  }

  get offeredVersions(): number[] {
    return (this.versions ??= offeredVersions(this.supportedVersions, this.legacyVersion));
  }

  [HELLO_SHAPE](out: Uint8Array): number {
    const b = this.buf;
    const n = this.suitesLength;
    if (4 + n > out.length) return -1;
    out[0] = b[0];
    out[1] = b[1];
    out[2] = n >> 8;
    out[3] = n & 0xff;
    for (let p = this.suitesStart, at = 4; p + 1 < this.suitesStart + n; p += 2, at += 2) putU16(out, at, b[p], b[p + 1]);
    return this.shapeOfExtensions(out, 4 + n, SHAPE_DATA);
  }

  get maxVersion(): number {
    const v = this.offeredVersions;
    return this.supportedVersions && v.length > 0 ? v[0] : this.legacyVersion;
  }
}

/**
 * The extensions whose data fingerprints read (the rest count by their type alone), each with
 * where its list of 16-bit values starts in the data, after its length (-1: no such list).
 */
const SHAPE_DATA: ReadonlyMap<number, number> = new Map([
  [Ext.supported_versions, 1],
  [Ext.supported_groups, 2],
  [Ext.signature_algorithms, 2],
  [Ext.ec_point_formats, -1],
  [Ext.application_layer_protocol_negotiation, -1],
]);

/**
 * Parses a ClientHello handshake body (after the 4-byte handshake header).
 * `origin` is the body's offset in the caller's input, used in error offsets.
 */
export function parseClientHello(body: Uint8Array, origin = 0): ClientHello {
  return new ParsedClientHello(body, origin);
}

function offeredVersions(sv: number[] | undefined, legacyVersion: number): number[] {
  if (sv && sv.length > 0) {
    const offered: number[] = [];
    let sorted = true;
    for (const v of sv) {
      if (isGrease(v)) continue;
      if (offered.length > 0 && v > offered[offered.length - 1]) sorted = false;
      offered.push(v);
    }
    // Clients list versions highest first; sort only the rare list that is not.
    if (!sorted) offered.sort((a, b) => b - a);
    return offered;
  }
  // Without supported_versions a client offers every version from SSL 3.0 up to client_version.
  const out: number[] = [];
  for (let v = legacyVersion; v >= Version.SSL3 && v <= Version.TLS12; v--) out.push(v);
  return out.length > 0 ? out : [legacyVersion];
}

/** The body of an SSL 2.0 record (a two-byte header, RFC 6101 appendix E), after its message type, which must be `type`. */
function sslv2Message(record: Uint8Array, origin: number, type: number, name: string): ByteReader {
  const r = new ByteReader(record, 0, record.length, origin);
  const first = r.u8('SSLv2 record header');
  if ((first & 0x80) === 0) r.fail('SSLv2 two-byte record header');
  const body = r.sub(((first & 0x7f) << 8) | r.u8('SSLv2 record length'), 'SSLv2 record body');
  const msgType = body.u8('SSLv2 message type');
  if (msgType !== type) body.fail(`SSLv2 ${name} (type ${type})`, `type ${msgType}`);
  return body;
}

/**
 * Parses an SSL 2.0-format ClientHello record (the whole record, header included), as sent by
 * old clients that still want to reach SSL 2.0 servers.
 */
export function parseSslv2ClientHello(record: Uint8Array, origin = 0): ClientHello {
  const body = sslv2Message(record, origin, Sslv2MessageType.ClientHello, 'CLIENT-HELLO');
  const legacyVersion = body.u16('SSLv2 version');
  const specLen = body.u16('cipher_spec_length');
  const sidLen = body.u16('session_id_length');
  const chLen = body.u16('challenge_length');
  if (specLen % 3 !== 0) body.fail('cipher_spec_length a multiple of 3', `${specLen}`);
  const specs = body.sub(specLen, 'cipher_specs');
  const cipherSuites: number[] = [];
  while (specs.remaining > 0) {
    const hi = specs.u8('cipher spec');
    const lo = specs.u16('cipher spec');
    cipherSuites.push((hi << 16) | lo);
  }
  const sessionId = body.bytes(sidLen, 'session_id');
  const challenge = body.bytes(chLen, 'challenge');
  body.expectEnd('SSLv2 ClientHello');
  return {
    legacyVersion,
    random: challenge,
    sessionId,
    cipherSuites,
    compressionMethods: [0],
    extensions: [],
    extensionTypes: [],
    sslv2Format: true,
    maxVersion: legacyVersion,
    offeredVersions: offeredVersions(undefined, legacyVersion),
  };
}

class ParsedServerHello extends HelloStart implements ServerHello {
  readonly cipherSuite: number;
  readonly compressionMethod: number;
  readonly isHelloRetryRequest: boolean;

  constructor(body: Uint8Array, origin: number, hrr: boolean) {
    super(body, origin, 'server', hrr, 'server_version');
    const r = this.readerAt(this.afterSessionId, body.length);
    this.isHelloRetryRequest = hrr;
    this.cipherSuite = r.u16('cipher_suite');
    this.compressionMethod = earlyDraft(this.legacyVersion) ? 0 : r.u8('compression_method');
    this.readExtensions(r);
    r.expectEnd('ServerHello');
  }

  get version(): number {
    return this.selectedVersion ?? this.legacyVersion;
  }

  get downgradeSentinel(): 'tls12' | 'tls11' | undefined {
    const b = this.buf;
    const t = RANDOM_START + 24;
    // "DOWNGRD" followed by 01 (TLS 1.2) or 00 (TLS 1.1 and below).
    if (b[t] !== 0x44 || b[t + 1] !== 0x4f || b[t + 2] !== 0x57 || b[t + 3] !== 0x4e || b[t + 4] !== 0x47 || b[t + 5] !== 0x52 || b[t + 6] !== 0x44) return undefined;
    return b[t + 7] === 1 ? 'tls12' : b[t + 7] === 0 ? 'tls11' : undefined;
  }
}

export function parseServerHello(body: Uint8Array, origin = 0): ServerHello {
  // The random decides how key_share reads, so it is looked at before the extensions.
  const hrr = body.length >= RANDOM_START + 32 && equalRange(body, RANDOM_START, HRR_RANDOM);
  return new ParsedServerHello(body, origin, hrr);
}

/** SSL 2.0's one certificate type, SSL_CT_X509_CERTIFICATE: an X.509 certificate. */
export const SSLV2_X509_CERTIFICATE = 1;

/** An SSL 2.0 SERVER-HELLO (the protocol's own format, not TLS): what the server chose and its certificate. */
export interface Sslv2ServerHello {
  /** 0x0002. */
  version: number;
  sessionIdHit: boolean;
  /** SSLV2_X509_CERTIFICATE: an X.509 certificate. */
  certificateType: number;
  /** The certificate, DER (a view into the record). */
  certificate: Uint8Array;
  /** 24-bit SSL 2.0 cipher kinds. */
  cipherSpecs: number[];
  connectionIdLength: number;
}

/** Parses an SSL 2.0 SERVER-HELLO record (the whole record, two-byte header included). */
export function parseSslv2ServerHello(record: Uint8Array, origin = 0): Sslv2ServerHello {
  const body = sslv2Message(record, origin, Sslv2MessageType.ServerHello, 'SERVER-HELLO');
  const sessionIdHit = body.u8('session_id_hit') !== 0;
  const certificateType = body.u8('certificate_type');
  const version = body.u16('server_version');
  const certLen = body.u16('certificate_length');
  const specLen = body.u16('cipher_specs_length');
  const connectionIdLength = body.u16('connection_id_length');
  if (specLen % 3 !== 0) body.fail('cipher_specs_length a multiple of 3', `${specLen}`);
  const certificate = body.bytes(certLen, 'certificate');
  const specs = body.sub(specLen, 'cipher_specs');
  const cipherSpecs: number[] = [];
  while (specs.remaining > 0) cipherSpecs.push((specs.u8('cipher spec') << 16) | specs.u16('cipher spec'));
  body.skip(connectionIdLength, 'connection_id');
  body.expectEnd('SSLv2 ServerHello');
  return { version, sessionIdHit, certificateType, certificate, cipherSpecs, connectionIdLength };
}
