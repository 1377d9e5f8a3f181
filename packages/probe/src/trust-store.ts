import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';

/**
 * Node's CA store plus --ca: the PEMs a handshake trusts, and the same certificates parsed, once,
 * when first asked for (a few hundred of them: tens of milliseconds). Whoever probes makes one
 * and hands it to every probe of the run; the probe itself keeps nothing between calls.
 */
export class TrustStore {
  /** PEM texts, as tls.connect's `ca` takes them. */
  readonly ca: string[];
  private parsed: X509Certificate[] | undefined;

  constructor(extraCa: string[]) {
    this.ca = [...tls.rootCertificates, ...extraCa];
  }

  get certificates(): X509Certificate[] {
    return (this.parsed ??= parse(this.ca));
  }
}

function parse(pems: string[]): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const pem of pems.flatMap(splitPem)) {
    try {
      out.push(new X509Certificate(pem));
    } catch {
      /* a bundle may hold things that are not certificates */
    }
  }
  return out;
}

function splitPem(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
