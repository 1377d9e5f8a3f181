/**
 * What a report item names that could identify someone: every address, name and certificate it
 * holds, by kind. The item's builder registers them as it takes them from the record, so a
 * redaction replaces what the report knows it holds, wherever it was written (evidence, facts,
 * error messages quoted from the TLS library), instead of guessing from patterns.
 */
export interface Identifiers {
  /** Client addresses. */
  clients: string[];
  /** Server addresses: the connection's, those a name resolved to, IP subjectAltNames. */
  servers: string[];
  /** Addresses on the path: routers that sent ICMP. */
  hops: string[];
  /** Host names: SNI, targets, certificate names (CN, DNS subjectAltNames), redirect targets. */
  hosts: string[];
  /** Other words of a certificate's subject or issuer (organisation, unit, locality). */
  labels: string[];
  /** Certificate serial numbers and fingerprints: each finds its certificate in CT logs. */
  certificates: string[];
}

export type IdentifierKind = keyof Identifiers;

/**
 * Where an item keeps its identifiers. A symbol: JSON.stringify and Object.entries pass it by,
 * so the list is never printed, while spreading an item (`{ ...it }`) keeps it.
 */
export const IDENTIFIERS: unique symbol = Symbol('identifiers');

export function emptyIdentifiers(): Identifiers {
  return { clients: [], servers: [], hops: [], hosts: [], labels: [], certificates: [] };
}

export interface CertificateNames {
  subject: string;
  issuer: string;
  sans: string[];
  serialNumber: string;
  fingerprint256: string;
}

/** An IPv4 or IPv6 literal (what an IP subjectAltName or a URL's host may be). */
const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]*)$/i;

const HOST_NAME = /^[\w*-]+(?:\.[\w-]+)+\.?$/;

/** Attribute values this long or shorter (country codes) identify no one and would match ordinary words. */
const TOO_SHORT = 2;

/**
 * Registers a certificate's names: the subject's and issuer's attribute values (CN as a host
 * name, the rest as labels), the subjectAltNames, the serial and the fingerprint.
 */
export function addCertificate(ids: Identifiers, c: CertificateNames): void {
  addDn(ids, c.subject);
  addDn(ids, c.issuer);
  for (const san of c.sans) (IP.test(san) ? ids.servers : ids.hosts).push(san);
  if (c.serialNumber) ids.certificates.push(c.serialNumber);
  if (c.fingerprint256) ids.certificates.push(c.fingerprint256);
}

/** Registers the attribute values of a distinguished name: a CN that is a host name as one, the rest as labels. */
export function addDn(ids: Identifiers, dn: string | undefined): void {
  for (const [type, value] of dnAttributes(dn ?? '')) {
    if (value.length <= TOO_SHORT) continue;
    if (IP.test(value)) ids.servers.push(value);
    else if (type === 'CN' && HOST_NAME.test(value)) ids.hosts.push(value);
    else ids.labels.push(value);
  }
}

/**
 * The attributes of a distinguished name written `CN=a, O=b, c` (one line, as the certificate
 * readers give it): a value may itself hold ", ", so attributes are split only before `TYPE=`.
 */
export function dnAttributes(dn: string): [string, string][] {
  if (!dn) return [];
  return dn.split(/,\s*(?=[A-Za-z][\w.-]*=)/).flatMap((part) => {
    const eq = part.indexOf('=');
    return eq > 0 ? [[part.slice(0, eq).trim().toUpperCase(), part.slice(eq + 1).trim()] as [string, string]] : [];
  });
}

/** Registers the host of a URL or of a `Location` header (absolute or not). */
export function addUrlHost(ids: Identifiers, url: string | undefined): void {
  if (!url) return;
  let host: string;
  try {
    host = new URL(url, 'http://relative.invalid/').hostname;
  } catch {
    return;
  }
  if (!host || host === 'relative.invalid') return;
  if (host.startsWith('[')) ids.servers.push(host.slice(1, -1));
  else (IP.test(host) ? ids.servers : ids.hosts).push(host);
}
