import { ByteReader, readU16Vector } from './reader.js';
import { distinguishedName } from './dn.js';
import { TlsParseError } from './errors.js';
import { alertName, Version } from './names.js';

export interface CertificateMessage {
  /** TLS 1.3 only: the certificate_request_context. */
  requestContext?: Uint8Array;
  /** The DER certificates, leaf first, as views into the input. */
  certificates: Uint8Array[];
}

/**
 * Parses a Certificate body. TLS 1.3 adds a request context and per-entry extensions, so the
 * negotiated version decides the layout.
 */
export function parseCertificate(body: Uint8Array, version: number, origin = 0): CertificateMessage {
  const r = new ByteReader(body, 0, body.length, origin);
  const tls13 = version === Version.TLS13;
  let requestContext: Uint8Array | undefined;
  if (tls13) {
    const ctx = r.vec8('certificate_request_context');
    requestContext = ctx.bytes(ctx.remaining, 'certificate_request_context');
  }
  const list = r.vec24('certificate_list');
  const certificates: Uint8Array[] = [];
  while (list.remaining > 0) {
    const cert = list.vec24('certificate');
    if (cert.remaining === 0) cert.fail('a non-empty certificate');
    certificates.push(cert.bytes(cert.remaining, 'certificate'));
    if (tls13) list.vec16('certificate entry extensions');
  }
  r.expectEnd('Certificate');
  return { requestContext, certificates };
}

export interface ServerKeyExchange {
  kind: 'ecdhe' | 'dhe' | 'unknown';
  /** ECDHE: the named group. */
  group?: number;
  publicKeyLength?: number;
  /** DHE: the size of the prime in bits. */
  dhPrimeBits?: number;
  /** TLS 1.2: the signature scheme of the signed parameters. */
  signatureScheme?: number;
  signatureLength?: number;
}

/**
 * Parses a ServerKeyExchange. Its layout depends on the cipher suite's key exchange, which the
 * caller knows from the ServerHello; `kx` may be left out, in which case an ECDHE named-curve
 * layout is tried first (what nearly every server sends), then DHE.
 */
export function parseServerKeyExchange(
  body: Uint8Array,
  version: number,
  kx?: 'ecdhe' | 'dhe',
  origin = 0,
): ServerKeyExchange {
  if (kx === 'ecdhe' || (kx === undefined && body[0] === 3)) {
    const r = new ByteReader(body, 0, body.length, origin);
    const curveType = r.u8('ECCurveType');
    if (curveType !== 3) r.fail('named_curve (3)', `curve type ${curveType}`);
    const group = r.u16('named curve');
    const pub = r.vec8('ECDH public');
    const out: ServerKeyExchange = { kind: 'ecdhe', group, publicKeyLength: pub.remaining };
    readSignature(r, version, out);
    return out;
  }
  const r = new ByteReader(body, 0, body.length, origin);
  const p = r.vec16('dh_p');
  r.vec16('dh_g');
  r.vec16('dh_Ys');
  let bits = p.remaining * 8;
  // A leading zero byte in the prime does not count toward its size.
  for (let i = p.pos; i < p.end && p.buf[i] === 0; i++) bits -= 8;
  const out: ServerKeyExchange = { kind: 'dhe', dhPrimeBits: bits };
  readSignature(r, version, out);
  return out;
}

function readSignature(r: ByteReader, version: number, out: ServerKeyExchange): void {
  if (r.remaining === 0) return; // anonymous key exchange
  if (version >= Version.TLS12) out.signatureScheme = r.u16('signature scheme');
  out.signatureLength = r.vec16('signature').remaining;
  r.expectEnd('ServerKeyExchange');
}

export interface CertificateRequest {
  /** TLS 1.2 and below: the kinds of client certificate accepted (1 rsa_sign, 64 ecdsa_sign, ...); empty in TLS 1.3. */
  certificateTypes: number[];
  signatureAlgorithms?: number[];
  /** Number of acceptable CA names the server listed. */
  certificateAuthorities: number;
  /** Those names as text, as `openssl s_client` prints them; a name that does not decode is shown as its size. */
  caNames: string[];
}

/** A TLS 1.3 message's extensions<0..2^16-1>: each type with a reader over its data. */
function eachExtension(r: ByteReader, onExtension: (type: number, data: ByteReader) => void): void {
  const exts = r.vec16('extensions');
  while (exts.remaining > 0) onExtension(exts.u16('extension type'), exts.vec16('extension data'));
}

/** The acceptable CA names of a CertificateRequest (a vector of DER names). */
function caNameList(cas: ByteReader): string[] {
  const names: string[] = [];
  while (cas.remaining > 0) {
    const at = cas.offset;
    const der = cas.vec16('distinguished name');
    const bytes = der.bytes(der.remaining, 'distinguished name');
    try {
      names.push(distinguishedName(bytes, at + 2));
    } catch (e) {
      if (!(e instanceof TlsParseError)) throw e;
      names.push(`(${bytes.length}-byte name that does not decode)`);
    }
  }
  return names;
}

/** Parses a TLS 1.0-1.2 CertificateRequest (in clear). TLS 1.3's: parseTls13CertificateRequest. */
export function parseCertificateRequest(body: Uint8Array, version: number, origin = 0): CertificateRequest {
  if (version >= Version.TLS13) return parseTls13CertificateRequest(body, origin);
  const r = new ByteReader(body, 0, body.length, origin);
  const types = r.vec8('certificate_types');
  const certificateTypes = Array.from(types.bytes(types.remaining, 'certificate_types'));
  const signatureAlgorithms = version >= Version.TLS12 ? readU16Vector(r, 'supported_signature_algorithms') : undefined;
  const caNames = caNameList(r.vec16('certificate_authorities'));
  r.expectEnd('CertificateRequest');
  return { certificateTypes, signatureAlgorithms, certificateAuthorities: caNames.length, caNames };
}

/**
 * Parses a TLS 1.3 CertificateRequest (RFC 8446 section 4.3.2): a context, then extensions, of
 * which signature_algorithms (13) and certificate_authorities (47) say what the server takes.
 */
export function parseTls13CertificateRequest(body: Uint8Array, origin = 0): CertificateRequest {
  const r = new ByteReader(body, 0, body.length, origin);
  r.vec8('certificate_request_context');
  let signatureAlgorithms: number[] | undefined;
  let caNames: string[] = [];
  eachExtension(r, (type, data) => {
    if (type === 13) signatureAlgorithms = readU16Vector(data, 'signature_algorithms');
    else if (type === 47) caNames = caNameList(data.vec16('certificate_authorities'));
  });
  r.expectEnd('CertificateRequest');
  return { certificateTypes: [], signatureAlgorithms, certificateAuthorities: caNames.length, caNames };
}

export interface NewSessionTicket {
  lifetimeHint: number;
  ticketLength: number;
}

/** Parses a TLS 1.2 (RFC 5077) NewSessionTicket. */
export function parseNewSessionTicket(body: Uint8Array, origin = 0): NewSessionTicket {
  const r = new ByteReader(body, 0, body.length, origin);
  const lifetimeHint = r.u32('ticket_lifetime_hint');
  const ticketLength = r.vec16('ticket').remaining;
  r.expectEnd('NewSessionTicket');
  return { lifetimeHint, ticketLength };
}

export interface Alert {
  level: number;
  levelName: 'warning' | 'fatal' | string;
  description: number;
  name: string;
}

export function parseAlert(body: Uint8Array, origin = 0): Alert {
  const r = new ByteReader(body, 0, body.length, origin);
  const level = r.u8('alert level');
  const description = r.u8('alert description');
  r.expectEnd('Alert');
  return {
    level,
    levelName: level === 1 ? 'warning' : level === 2 ? 'fatal' : `level ${level}`,
    description,
    name: alertName(description),
  };
}

export interface EncryptedExtensions {
  /** Extension types in wire order. */
  extensionTypes: number[];
  /** The protocol the server chose (application_layer_protocol_negotiation, one entry). */
  alpn?: string;
}

/** Parses a TLS 1.3 EncryptedExtensions (RFC 8446 section 4.3.1): where the server's ALPN choice is. */
export function parseEncryptedExtensions(body: Uint8Array, origin = 0): EncryptedExtensions {
  const r = new ByteReader(body, 0, body.length, origin);
  const extensionTypes: number[] = [];
  let alpn: string | undefined;
  eachExtension(r, (type, data) => {
    extensionTypes.push(type);
    if (type === 16) alpn = data.vec16('protocol_name_list').string(1, 'protocol_name');
  });
  r.expectEnd('EncryptedExtensions');
  return { extensionTypes, alpn };
}

export interface CompressedCertificate {
  /** 1 zlib, 2 brotli, 3 zstd (RFC 8879). */
  algorithm: number;
  uncompressedLength: number;
  compressed: Uint8Array;
}

/** Parses a CompressedCertificate (RFC 8879): the Certificate message, compressed; the caller inflates it. */
export function parseCompressedCertificate(body: Uint8Array, origin = 0): CompressedCertificate {
  const r = new ByteReader(body, 0, body.length, origin);
  const algorithm = r.u16('algorithm');
  const uncompressedLength = r.u24('uncompressed_length');
  const c = r.vec24('compressed_certificate_message');
  const compressed = c.bytes(c.remaining, 'compressed_certificate_message');
  r.expectEnd('CompressedCertificate');
  return { algorithm, uncompressedLength, compressed };
}
