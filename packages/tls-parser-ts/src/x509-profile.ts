import { derElement, derExpect, oid, smallInteger } from './der.js';
import { TlsParseError } from './errors.js';
import { ByteReader, latin1 } from './reader.js';
import { readSctList, type SignedCertificateTimestamp } from './sct-list.js';

/**
 * What a certificate says about how it may be used, read from its DER: the parts Node's
 * X509Certificate does not expose (the signature algorithm, path length, key usage bits, name
 * constraints). Only what the certificate holds is set: an absent extension is an absent field.
 */
export interface CertificateProfile {
  /** The issuer's signature algorithm, by name ("sha256WithRSAEncryption") or OID when unknown. */
  signatureAlgorithm: string;
  /** The hash of that signature ("SHA-1", "MD5"...), when the algorithm names one. */
  signatureHash?: string;
  basicConstraints?: { ca: boolean; pathLen?: number; critical: boolean };
  /** keyUsage bits by name (digitalSignature, keyEncipherment, keyCertSign...). */
  keyUsage?: string[];
  /** extendedKeyUsage purposes by name (serverAuth, clientAuth, anyExtendedKeyUsage) or OID. */
  extKeyUsage?: string[];
  nameConstraints?: NameConstraints;
  /** The SCTs embedded by the CA (RFC 6962 3.3), or why the list could not be read. */
  sctList?: EmbeddedSctList;
}

/**
 * A malformed SCT list costs only itself: the rest of the profile is read, and a verifier that
 * wants SCTs (Chrome's root program) is told the list was there but unreadable.
 */
export type EmbeddedSctList = { scts: SignedCertificateTimestamp[] } | { malformed: string };

/** X.509 extension of the embedded SCT list (RFC 6962 3.3). */
const SCT_LIST_OID = '1.3.6.1.4.1.11129.2.4.2';

/** The name subtrees an issuing CA is limited to (RFC 5280 4.2.1.10): DNS names and IP ranges. */
export interface NameConstraints {
  permittedDns: string[];
  excludedDns: string[];
  /** "192.0.2.0/24", "2001:db8::/32". */
  permittedIp: string[];
  excludedIp: string[];
  /** Kinds of subtree named here that this reader does not judge (directory names, e-mail...). */
  otherKinds: string[];
  critical: boolean;
}

const SIGNATURE_ALGORITHMS: Readonly<Record<string, [name: string, hash?: string]>> = {
  '1.2.840.113549.1.1.2': ['md2WithRSAEncryption', 'MD2'],
  '1.2.840.113549.1.1.4': ['md5WithRSAEncryption', 'MD5'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption', 'SHA-1'],
  '1.2.840.113549.1.1.10': ['rsassaPss'],
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption', 'SHA-256'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption', 'SHA-384'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption', 'SHA-512'],
  '1.2.840.113549.1.1.14': ['sha224WithRSAEncryption', 'SHA-224'],
  '1.2.840.10040.4.3': ['dsaWithSHA1', 'SHA-1'],
  '1.2.840.10045.4.1': ['ecdsa-with-SHA1', 'SHA-1'],
  '1.2.840.10045.4.3.1': ['ecdsa-with-SHA224', 'SHA-224'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256', 'SHA-256'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384', 'SHA-384'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512', 'SHA-512'],
  '1.3.101.112': ['Ed25519'],
  '1.3.101.113': ['Ed448'],
};

const PURPOSES: Readonly<Record<string, string>> = {
  '2.5.29.37.0': 'anyExtendedKeyUsage',
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
};

/** keyUsage's bits, in the order of the BIT STRING (RFC 5280 4.2.1.3). */
const KEY_USAGE_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

/** GeneralName's context tags by kind, for what a name constraint names but this reader leaves alone. */
const GENERAL_NAME_KINDS = ['otherName', 'rfc822Name', 'dNSName', 'x400Address', 'directoryName', 'ediPartyName', 'uniformResourceIdentifier', 'iPAddress', 'registeredID'];

const bytesOf = (r: ByteReader, what: string) => r.bytes(r.remaining, what);
const readOid = (r: ByteReader, what: string) => oid(bytesOf(derExpect(r, 0x06, what), what), r);

/** Reads the profile of one DER certificate; a TlsParseError (with the offset) when it is not one. */
export function certificateProfile(der: Uint8Array): CertificateProfile {
  const r = new ByteReader(der);
  const cert = derExpect(r, 0x30, 'Certificate');
  r.expectEnd('Certificate');
  const tbs = derExpect(cert, 0x30, 'tbsCertificate');
  const sigAlg = derExpect(cert, 0x30, 'signatureAlgorithm');
  derExpect(cert, 0x03, 'signatureValue');
  cert.expectEnd('Certificate');
  const algOid = readOid(sigAlg, 'signature algorithm');
  const [name, hash] = SIGNATURE_ALGORITHMS[algOid] ?? [algOid];
  const profile: CertificateProfile = { signatureAlgorithm: name, ...(hash ? { signatureHash: hash } : {}) };
  // version [0], serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, then the optional parts.
  let e = derElement(tbs, 'tbsCertificate field');
  if (e.tag === 0xa0) e = derElement(tbs, 'serialNumber');
  if (e.tag !== 0x02) tbs.fail('serialNumber', 'not an INTEGER');
  for (const what of ['signature', 'issuer', 'validity', 'subject', 'subjectPublicKeyInfo']) derElement(tbs, what);
  while (tbs.remaining > 0) {
    const part = derElement(tbs, 'tbsCertificate optional field');
    if (part.tag === 0xa3) readExtensions(derExpect(part.body, 0x30, 'Extensions'), profile);
  }
  return profile;
}

function readExtensions(exts: ByteReader, profile: CertificateProfile): void {
  while (exts.remaining > 0) {
    const ext = derExpect(exts, 0x30, 'Extension');
    const id = readOid(ext, 'extnID');
    let next = derElement(ext, 'Extension field');
    let critical = false;
    if (next.tag === 0x01) {
      critical = next.body.remaining > 0 && next.body.u8('critical') !== 0;
      next = derElement(ext, 'extnValue');
    }
    if (next.tag !== 0x04) ext.fail('extnValue', 'not an OCTET STRING');
    const value = next.body;
    if (id === '2.5.29.19') profile.basicConstraints = basicConstraints(value, critical);
    else if (id === '2.5.29.15') profile.keyUsage = keyUsage(value);
    else if (id === '2.5.29.37') profile.extKeyUsage = extKeyUsage(value);
    else if (id === '2.5.29.30') profile.nameConstraints = nameConstraints(value, critical);
    else if (id === SCT_LIST_OID) profile.sctList = sctList(value);
  }
}

/** The extension's value is an OCTET STRING again, whose contents are the TLS encoding. */
function sctList(r: ByteReader): EmbeddedSctList {
  try {
    const list = derExpect(r, 0x04, 'SignedCertificateTimestampList');
    r.expectEnd('SCT list extension');
    return { scts: readSctList(list) };
  } catch (e) {
    if (e instanceof TlsParseError) return { malformed: e.message };
    throw e;
  }
}

function basicConstraints(r: ByteReader, critical: boolean): NonNullable<CertificateProfile['basicConstraints']> {
  const seq = derExpect(r, 0x30, 'BasicConstraints');
  let ca = false;
  let pathLen: number | undefined;
  while (seq.remaining > 0) {
    const e = derElement(seq, 'BasicConstraints field');
    if (e.tag === 0x01) ca = e.body.remaining > 0 && e.body.u8('cA') !== 0;
    else if (e.tag === 0x02) pathLen = smallInteger(bytesOf(e.body, 'pathLenConstraint'), e.body, 'pathLenConstraint');
  }
  return { ca, ...(pathLen !== undefined ? { pathLen } : {}), critical };
}

function keyUsage(r: ByteReader): string[] {
  const bits = bytesOf(derExpect(r, 0x03, 'KeyUsage'), 'KeyUsage');
  const out: string[] = [];
  // The first byte counts the unused bits of the last; the named bits follow, most significant first.
  for (let i = 0; i < KEY_USAGE_BITS.length; i++) {
    const byte = bits[1 + (i >> 3)];
    if (byte !== undefined && byte & (0x80 >> (i & 7))) out.push(KEY_USAGE_BITS[i]);
  }
  return out;
}

function extKeyUsage(r: ByteReader): string[] {
  const seq = derExpect(r, 0x30, 'ExtKeyUsageSyntax');
  const out: string[] = [];
  while (seq.remaining > 0) {
    const id = readOid(seq, 'KeyPurposeId');
    out.push(PURPOSES[id] ?? id);
  }
  return out;
}

function nameConstraints(r: ByteReader, critical: boolean): NameConstraints {
  const nc: NameConstraints = { permittedDns: [], excludedDns: [], permittedIp: [], excludedIp: [], otherKinds: [], critical };
  const seq = derExpect(r, 0x30, 'NameConstraints');
  while (seq.remaining > 0) {
    const subtrees = derElement(seq, 'GeneralSubtrees');
    const permitted = subtrees.tag === 0xa0;
    if (!permitted && subtrees.tag !== 0xa1) continue;
    while (subtrees.body.remaining > 0) {
      const subtree = derExpect(subtrees.body, 0x30, 'GeneralSubtree');
      const base = derElement(subtree, 'GeneralName');
      const kind = base.tag & 0x1f;
      const value = bytesOf(base.body, 'GeneralName');
      if (kind === 2) (permitted ? nc.permittedDns : nc.excludedDns).push(latin1(value).toLowerCase());
      else if (kind === 7 && (value.length === 8 || value.length === 32)) (permitted ? nc.permittedIp : nc.excludedIp).push(ipRange(value));
      else {
        const name = GENERAL_NAME_KINDS[kind] ?? `tag ${kind}`;
        if (!nc.otherKinds.includes(name)) nc.otherKinds.push(name);
      }
    }
  }
  return nc;
}

/** An iPAddress constraint (address then mask, 4+4 or 16+16 bytes) as ADDRESS/PREFIX. */
function ipRange(b: Uint8Array): string {
  const half = b.length / 2;
  let prefix = 0;
  for (let i = half; i < b.length; i++) for (let bit = 7; bit >= 0; bit--) if (b[i] & (1 << bit)) prefix++;
  if (half === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}/${prefix}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
  return `${groups.join(':')}/${prefix}`;
}
