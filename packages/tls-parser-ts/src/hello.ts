import { ByteReader, readU16Vector } from './reader.js';
import { decodeExtensions, readExtensions, type DecodedExtensions, type Extension } from './extensions.js';
import { isGrease, Version } from './names.js';

export interface ClientHello extends DecodedExtensions {
  /** The client_version field (0x0303 in every TLS 1.3 hello). */
  legacyVersion: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuites: number[];
  compressionMethods: number[];
  /** Every extension in wire order, GREASE included and flagged. */
  extensions: Extension[];
  /** True for an SSL 2.0-format hello (RFC 6101 appendix E); cipher specs are then 24-bit. */
  sslv2Format: boolean;
  /** The highest non-GREASE version offered: from supported_versions if present, else legacyVersion. */
  maxVersion: number;
  /** Every version offered, highest first, GREASE left out. */
  offeredVersions: number[];
}

export interface ServerHello extends DecodedExtensions {
  legacyVersion: number;
  /** The version actually negotiated: supported_versions when present, else legacyVersion. */
  version: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuite: number;
  compressionMethod: number;
  extensions: Extension[];
  isHelloRetryRequest: boolean;
  /** RFC 8446 4.1.3: the last 8 bytes of the random announce a downgrade to 1.2 or below. */
  downgradeSentinel?: 'tls12' | 'tls11';
}

/** RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest. */
const HRR_RANDOM = new Uint8Array([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Parses a ClientHello handshake body (after the 4-byte handshake header).
 * `origin` is the body's offset in the caller's input, used in error offsets.
 */
export function parseClientHello(body: Uint8Array, origin = 0): ClientHello {
  const r = new ByteReader(body, 0, body.length, origin);
  const legacyVersion = r.u16('client_version');
  const random = r.bytes(32, 'random');
  const sid = r.vec8('session_id');
  if (sid.remaining > 32) sid.fail('session_id of at most 32 bytes', `${sid.remaining}`);
  const sessionId = sid.bytes(sid.remaining, 'session_id');
  const cipherSuites = readU16Vector(r, 'cipher_suites');
  const comp = r.vec8('compression_methods');
  const compressionMethods: number[] = [];
  while (comp.remaining > 0) compressionMethods.push(comp.u8('compression_methods'));
  const extensions = readExtensions(r);
  r.expectEnd('ClientHello');
  const hello: ClientHello = {
    legacyVersion,
    random,
    sessionId,
    cipherSuites,
    compressionMethods,
    extensions,
    sslv2Format: false,
    maxVersion: legacyVersion,
    offeredVersions: [],
  };
  decodeExtensions(extensions, 'client', hello, false, body, origin);
  fillVersions(hello);
  return hello;
}

function fillVersions(hello: ClientHello): void {
  const sv = hello.supportedVersions;
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
    hello.offeredVersions = offered;
    hello.maxVersion = offered.length > 0 ? offered[0] : hello.legacyVersion;
  } else {
    // Without supported_versions a client offers every version from SSL 3.0 up to client_version.
    const out: number[] = [];
    for (let v = hello.legacyVersion; v >= Version.SSL3 && v <= Version.TLS12; v--) out.push(v);
    hello.offeredVersions = out.length > 0 ? out : [hello.legacyVersion];
    hello.maxVersion = hello.legacyVersion;
  }
}

/**
 * Parses an SSL 2.0-format ClientHello record (the whole record, header included), as sent by
 * old clients that still want to reach SSL 2.0 servers.
 */
export function parseSslv2ClientHello(record: Uint8Array, origin = 0): ClientHello {
  const r = new ByteReader(record, 0, record.length, origin);
  const first = r.u8('SSLv2 record header');
  if ((first & 0x80) === 0) r.fail('SSLv2 two-byte record header');
  const length = ((first & 0x7f) << 8) | r.u8('SSLv2 record length');
  const body = r.sub(length, 'SSLv2 record body');
  const msgType = body.u8('SSLv2 message type');
  if (msgType !== 1) body.fail('SSLv2 CLIENT-HELLO (type 1)', `type ${msgType}`);
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
  const hello: ClientHello = {
    legacyVersion,
    random: challenge,
    sessionId,
    cipherSuites,
    compressionMethods: [0],
    extensions: [],
    sslv2Format: true,
    maxVersion: legacyVersion,
    offeredVersions: [],
  };
  fillVersions(hello);
  return hello;
}

export function parseServerHello(body: Uint8Array, origin = 0): ServerHello {
  const r = new ByteReader(body, 0, body.length, origin);
  const legacyVersion = r.u16('server_version');
  const random = r.bytes(32, 'random');
  const sid = r.vec8('session_id');
  if (sid.remaining > 32) sid.fail('session_id of at most 32 bytes', `${sid.remaining}`);
  const sessionId = sid.bytes(sid.remaining, 'session_id');
  const cipherSuite = r.u16('cipher_suite');
  const compressionMethod = r.u8('compression_method');
  const extensions = readExtensions(r);
  r.expectEnd('ServerHello');
  const isHelloRetryRequest = equalBytes(random, HRR_RANDOM);
  const hello: ServerHello = {
    legacyVersion,
    version: legacyVersion,
    random,
    sessionId,
    cipherSuite,
    compressionMethod,
    extensions,
    isHelloRetryRequest,
  };
  decodeExtensions(extensions, 'server', hello, isHelloRetryRequest, body, origin);
  if (hello.selectedVersion !== undefined) hello.version = hello.selectedVersion;
  const tail = random.subarray(24);
  // "DOWNGRD" followed by 01 (TLS 1.2) or 00 (TLS 1.1 and below).
  if (tail[0] === 0x44 && tail[1] === 0x4f && tail[2] === 0x57 && tail[3] === 0x4e && tail[4] === 0x47 && tail[5] === 0x52 && tail[6] === 0x44) {
    if (tail[7] === 1) hello.downgradeSentinel = 'tls12';
    else if (tail[7] === 0) hello.downgradeSentinel = 'tls11';
  }
  return hello;
}
