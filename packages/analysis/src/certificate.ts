import tls from 'node:tls';
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

export interface ChainCheck {
  /** Each certificate is issued by the next (signature verified where possible). */
  links: { from: number; to: number; ok: boolean }[];
  brokenAt?: number;
  /**
   * Set when the order sent breaks: the certificates from the leaf, each followed by the one sent
   * that issued it (its signature verified), as a verifier rebuilds them. Longer than the leaf
   * alone, the break is one of order, a duplicate or an extra certificate, not a missing one.
   */
  linkedOrder?: number[];
  /** The last certificate is self-signed (a root was sent). */
  endsInRoot: boolean;
  /**
   * The public root (Node's bundled list, Mozilla's) the chain ends in or is issued by, if any:
   * a chain without one verifies only for clients given its private root.
   */
  publicRoot?: string;
}

/**
 * Node's bundled roots (Mozilla's list), parsed when a chain is first checked: about 150
 * certificates, tens of milliseconds. Owned by whoever reads a capture (CaptureResources) and
 * shared by its connections; nothing is kept between captures in the module.
 */
export class PublicRoots {
  private parsed: X509Certificate[] | undefined;

  get certificates(): X509Certificate[] {
    if (!this.parsed) {
      this.parsed = [];
      for (const pem of tls.rootCertificates) {
        try {
          this.parsed.push(new X509Certificate(pem));
        } catch {
          /* a bundle entry Node cannot read */
        }
      }
    }
    return this.parsed;
  }
}

function publicRootOf(last: X509Certificate, roots: PublicRoots): string | undefined {
  for (const root of roots.certificates) {
    // The names first: verifying a signature costs far more than comparing two strings.
    if (root.subject !== last.issuer && root.subject !== last.subject) continue;
    try {
      if (root.fingerprint256 === last.fingerprint256 || (last.checkIssued(root) && last.verify(root.publicKey))) return root.subject.split('\n').join(', ');
    } catch {
      /* not this one */
    }
  }
  return undefined;
}

export function checkChain(certs: (X509Certificate | undefined)[], roots: PublicRoots): ChainCheck {
  const links: ChainCheck['links'] = [];
  let brokenAt: number | undefined;
  for (let i = 0; i + 1 < certs.length; i++) {
    const a = certs[i];
    const b = certs[i + 1];
    let ok = false;
    if (a && b) {
      try {
        ok = a.checkIssued(b) && a.verify(b.publicKey);
      } catch {
        ok = false;
      }
    }
    links.push({ from: i, to: i + 1, ok });
    if (!ok && brokenAt === undefined) brokenAt = i;
  }
  const linkedOrder = brokenAt === undefined ? undefined : linkIssuers(certs);
  // The path's end is where a root would follow: an extra certificate sent last is not it.
  const last = certs[linkedOrder ? linkedOrder[linkedOrder.length - 1] : certs.length - 1];
  let endsInRoot = false;
  if (last && last.subject === last.issuer) {
    try {
      endsInRoot = last.verify(last.publicKey);
    } catch {
      endsInRoot = false;
    }
  }
  const publicRoot = last ? publicRootOf(last, roots) : undefined;
  return { links, brokenAt, ...(linkedOrder ? { linkedOrder } : {}), endsInRoot, ...(publicRoot ? { publicRoot } : {}) };
}

/** Signature checks one chain may cost when its order breaks: a chain sent has a handful of certificates, a hostile one thousands. */
const LINK_CHECKS = 64;

/** From the leaf, each certificate's issuer among those sent (names first, then the signature), bounded in checks. */
function linkIssuers(certs: (X509Certificate | undefined)[]): number[] {
  const order = [0];
  let checks = LINK_CHECKS;
  for (let cur = certs[0]; cur && cur.subject !== cur.issuer && order.length < certs.length; ) {
    const child: X509Certificate = cur;
    const next = certs.findIndex((c, i) => {
      if (!c || order.includes(i) || c.subject !== child.issuer || checks-- <= 0) return false;
      try {
        return child.checkIssued(c) && child.verify(c.publicKey);
      } catch {
        return false;
      }
    });
    if (next < 0) break;
    order.push(next);
    cur = certs[next];
  }
  return order;
}

/** Entries a CertificateCache keeps of each kind: a log's servers are few, its connections many. */
const CACHED = 256;

/**
 * Certificates and chains already read, by their bytes: a browser's log holds the same chain for
 * every connection to a site, and reading one (X509 parse, signature checks) costs more than the
 * rest of its connection. Owned by one reader of one source; bounded (the oldest goes first).
 */
export class CertificateCache {
  private readonly described = new Map<string, { info: CertificateInfo; cert?: X509Certificate }>();
  private readonly chains = new Map<string, ChainCheck>();

  describe(der: Uint8Array): { info: CertificateInfo; cert?: X509Certificate; key: string } {
    const key = Buffer.from(der.buffer, der.byteOffset, der.length).toString('latin1');
    let d = this.described.get(key);
    if (!d) {
      d = describeCertificate(der);
      remember(this.described, key, d);
    }
    return { ...d, key };
  }

  chain(keys: string[], certs: (X509Certificate | undefined)[], roots: PublicRoots): ChainCheck {
    const key = keys.join('\u0000');
    let c = this.chains.get(key);
    if (!c) {
      c = checkChain(certs, roots);
      remember(this.chains, key, c);
    }
    return c;
  }
}

function remember<V>(m: Map<string, V>, key: string, v: V): void {
  if (m.size >= CACHED) m.delete(m.keys().next().value as string);
  m.set(key, v);
}
