import type { ClientHello, ServerHello } from './hello.js';
import { hex, hex4 } from './reader.js';
import { isGrease, Version } from './names.js';
import { md5Hex, sha256Hex } from './digest.js';
import { Ext } from './extensions.js';

/** A hex digest of a string: the plain one, or one a FingerprintCache keeps. */
export type Digest = (s: string) => string;

export interface Ja3 {
  /** The JA3 string: version,ciphers,extensions,groups,point formats (decimal, '-'-joined). */
  string: string;
  hash: string;
}

const notGrease = (v: number) => !isGrease(v);

/**
 * JA3 (Salesforce): GREASE removed from every list, as Wireshark's tls.handshake.ja3 does.
 * The version is the ClientHello's client_version field, not supported_versions. Made afresh at
 * each call; a FingerprintCache keeps them for the hellos of a capture.
 */
export function ja3(ch: ClientHello): Ja3 {
  return makeJa3(ch, md5Hex);
}

export function makeJa3(ch: ClientHello, md5: Digest): Ja3 {
  const s = [
    String(ch.legacyVersion),
    ch.cipherSuites.filter(notGrease).join('-'),
    ch.extensionTypes.filter(notGrease).join('-'),
    (ch.supportedGroups ?? []).filter(notGrease).join('-'),
    (ch.ecPointFormats ?? []).join('-'),
  ].join(',');
  return { string: s, hash: md5(s) };
}

/** JA3S: server version, chosen cipher, extensions in order. */
export function ja3s(sh: ServerHello): Ja3 {
  return makeJa3s(sh, md5Hex);
}

export function makeJa3s(sh: ServerHello, md5: Digest): Ja3 {
  const s = [String(sh.legacyVersion), String(sh.cipherSuite), sh.extensionTypes.filter(notGrease).join('-')].join(',');
  return { string: s, hash: md5(s) };
}

export interface Ja4 {
  /** JA4 (a_b_c). */
  fingerprint: string;
  /** JA4_r: the a part with the sorted, unhashed lists. */
  raw: string;
  /** JA4_o: hashes over the lists in wire order (SNI and ALPN kept). */
  original: string;
  /** JA4_ro: the raw lists in wire order. */
  rawOriginal: string;
}

function ja4Version(v: number): string {
  switch (v) {
    case Version.TLS13: return '13';
    case Version.TLS12: return '12';
    case Version.TLS11: return '11';
    case Version.TLS10: return '10';
    case Version.SSL3: return 's3';
    case Version.SSL2: return 's2';
    case 0xfeff: return 'd1';
    case 0xfefd: return 'd2';
    case 0xfefc: return 'd3';
    default: return '00';
  }
}

function isAlnum(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/**
 * JA4's two ALPN characters from the first ALPN value. Alphanumeric first and last bytes are
 * used as they are. A byte outside ASCII becomes '9': that is what FoxIO's Python and Rust
 * implementations and their published vector (tls-non-ascii-alpn.pcapng) give, where the prose
 * would give hex digits. For ASCII bytes that are not alphanumeric the prose's rule applies:
 * the first and last characters of the value's hex.
 */
function ja4Alpn(ch: ClientHello): string {
  const first = ch.alpnFirstRaw;
  if (!first || first.length === 0) return '00';
  const a = first[0];
  const z = first[first.length - 1];
  if (isAlnum(a) && isAlnum(z)) return String.fromCharCode(a) + String.fromCharCode(z);
  if (a >= 0x80 || z >= 0x80) {
    const c = (b: number) => (b >= 0x80 ? '9' : String.fromCharCode(b));
    return c(a) + c(z);
  }
  const h = hex(first);
  return h[0] + h[h.length - 1];
}

const twoDigits = (n: number) => (n > 99 ? '99' : n < 10 ? `0${n}` : String(n));
const hash12 = (s: string, sha256: Digest) => (s === '' ? '000000000000' : sha256(s).slice(0, 12));

/**
 * JA4 per FoxIO's technical_details/JA4.md; `transport` is 't' for TLS over TCP. Made afresh at
 * each call, as ja3() is.
 */
export function ja4(ch: ClientHello, transport: 't' | 'q' | 'd' = 't'): Ja4 {
  return makeJa4(ch, transport, sha256Hex);
}

export function makeJa4(ch: ClientHello, transport: 't' | 'q' | 'd', sha256: Digest): Ja4 {
  const ciphers = ch.cipherSuites.filter(notGrease);
  const extTypes = ch.extensionTypes.filter(notGrease);
  const hasSni = extTypes.includes(Ext.server_name);
  const sv = ch.supportedVersions?.filter(notGrease);
  const version = sv && sv.length > 0 ? Math.max(...sv) : ch.legacyVersion;
  const a = `${transport}${ja4Version(version)}${hasSni ? 'd' : 'i'}${twoDigits(ciphers.length)}${twoDigits(extTypes.length)}${ja4Alpn(ch)}`;

  const sigs = (ch.signatureAlgorithms ?? []).filter(notGrease).map(hex4).join(',');
  const cipherHex = ciphers.map(hex4);
  const sortedCiphers = [...cipherHex].sort().join(',');
  const sortedExts = extTypes.filter((t) => t !== Ext.server_name && t !== Ext.application_layer_protocol_negotiation).map(hex4).sort().join(',');
  const origExts = extTypes.map(hex4).join(',');
  const withSigs = (exts: string) => (sigs === '' ? exts : `${exts}_${sigs}`);

  const cSorted = withSigs(sortedExts);
  const cOrig = withSigs(origExts);
  const fingerprint = `${a}_${hash12(sortedCiphers, sha256)}_${sortedExts === '' ? '000000000000' : hash12(cSorted, sha256)}`;
  let original: string | undefined;
  return {
    fingerprint,
    raw: `${a}_${sortedCiphers}_${cSorted}`,
    // JA4_o costs two more hashes and few read it: made on first read.
    get original() {
      // FoxIO's vectors zero JA4_o's c part too when no extension but SNI and ALPN is present.
      return (original ??= `${a}_${hash12(cipherHex.join(','), sha256)}_${sortedExts === '' ? '000000000000' : hash12(cOrig, sha256)}`);
    },
    rawOriginal: `${a}_${cipherHex.join(',')}_${cOrig}`,
  };
}
