import { X509Certificate, createHash } from 'node:crypto';
import { certificateProfile, type CertificateProfile } from '@tlsdoctor/tls-parser-ts';

export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** DNS names and IP addresses from subjectAltName. */
  sans: string[];
  /**
   * The IP address entries of `sans`: an address is matched against these only (a dNSName that
   * reads as an address is no IP SAN to a browser). Absent where the kinds were not kept.
   */
  ipSans?: string[];
  validFrom: string;
  validTo: string;
  /** ISO 8601, for comparisons and JSON. */
  notBefore: string;
  notAfter: string;
  serialNumber: string;
  fingerprint256: string;
  isCA: boolean;
  /** Issuer and subject are the same name. */
  selfIssued: boolean;
  /** Self-issued and its own key verifies its signature. */
  selfSigned: boolean;
  keyType?: string;
  keyBits?: number;
  /** What the certificate says about its use (signature, constraints, key usage); absent when the codec could not read it. */
  profile?: CertificateProfile;
  /** Set when the DER could not be read as a certificate. */
  error?: string;
}

export function describeCertificate(der: Uint8Array): { info: CertificateInfo; cert?: X509Certificate } {
  try {
    const cert = new X509Certificate(Buffer.from(der.buffer, der.byteOffset, der.length));
    const sans = subjectAltNames(cert.subjectAltName ?? '');
    const ipSans = subjectAltNames(cert.subjectAltName ?? '', 'IP Address');
    // An empty name is a name: Node gives undefined for it, and a certificate with an empty
    // subject and issuer is self-issued all the same.
    const subject = cert.subject ?? '';
    const issuer = cert.issuer ?? '';
    const selfIssued = subject === issuer;
    let selfSigned = false;
    if (selfIssued) {
      try {
        selfSigned = cert.verify(cert.publicKey);
      } catch {
        selfSigned = false;
      }
    }
    const key = cert.publicKey;
    const details = key.asymmetricKeyDetails;
    return {
      cert,
      info: {
        subject: oneLine(subject),
        issuer: oneLine(issuer),
        sans,
        ipSans,
        validFrom: cert.validFrom,
        validTo: cert.validTo,
        notBefore: new Date(cert.validFrom).toISOString(),
        notAfter: new Date(cert.validTo).toISOString(),
        serialNumber: cert.serialNumber,
        fingerprint256: cert.fingerprint256,
        isCA: cert.ca,
        selfIssued,
        selfSigned,
        keyType: key.asymmetricKeyType,
        keyBits: details?.modulusLength ?? (details?.namedCurve ? curveBits(details.namedCurve) : undefined),
        ...profileOf(der),
      },
    };
  } catch (e) {
    const fp = createHash('sha256').update(der).digest('hex');
    return {
      info: {
        subject: '', issuer: '', sans: [], validFrom: '', validTo: '', notBefore: '', notAfter: '', serialNumber: '',
        fingerprint256: fp, isCA: false, selfIssued: false, selfSigned: false, error: (e as Error).message,
      },
    };
  }
}

/** The profile, or nothing: Node read the certificate, so a part the codec cannot read leaves only the profile out. */
function profileOf(der: Uint8Array): { profile?: CertificateProfile } {
  try {
    return { profile: certificateProfile(der) };
  } catch {
    return {};
  }
}

function curveBits(curve: string): number | undefined {
  const m = /(\d{3})/.exec(curve);
  return m ? Number(m[1]) : undefined;
}

/**
 * The DNS names and IP addresses of Node's subjectAltName text: entries joined by ", ", a value
 * with special characters (a comma, a NUL) given as a JSON string. Control characters are kept
 * visible as \XX, as OpenSSL writes them in distinguished names: a name holding a NUL is shown,
 * never cut or blanked, and never matches a host name.
 */
export function subjectAltNames(text: string, only?: 'DNS' | 'IP Address'): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const colon = text.indexOf(':', i);
    if (colon < 0) break;
    const kind = text.slice(i, colon);
    let value: string;
    let next: number;
    if (text[colon + 1] === '"') {
      // A JSON string: find its closing quote, past escaped ones.
      let j = colon + 2;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      try {
        value = JSON.parse(text.slice(colon + 1, j + 1)) as string;
      } catch {
        value = text.slice(colon + 2, j);
      }
      next = j + 1;
    } else {
      const comma = text.indexOf(', ', colon + 1);
      next = comma < 0 ? text.length : comma;
      value = text.slice(colon + 1, next);
    }
    if (only ? kind === only : kind === 'DNS' || kind === 'IP Address') out.push(visible(value));
    i = next;
    while (text[i] === ',' || text[i] === ' ') i++;
  }
  return out;
}

function visible(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

/** Node prints distinguished names one attribute per line; a report wants them on one. */
function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}
