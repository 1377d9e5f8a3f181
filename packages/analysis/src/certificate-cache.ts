import type { X509Certificate } from 'node:crypto';
import { describeCertificate, type CertificateInfo } from './certificate.js';
import { checkChain, type ChainCheck, type PublicRoots } from './chain-check.js';
import type { GivenCertificate } from './chain-path.js';

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

  chain(keys: string[], given: readonly GivenCertificate[], roots: PublicRoots): ChainCheck {
    const key = keys.join('\u0000');
    let c = this.chains.get(key);
    if (!c) {
      c = checkChain(given, roots);
      remember(this.chains, key, c);
    }
    return c;
  }
}

function remember<V>(m: Map<string, V>, key: string, v: V): void {
  if (m.size >= CACHED) m.delete(m.keys().next().value as string);
  m.set(key, v);
}
