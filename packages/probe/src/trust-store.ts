import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { pemBlocks } from '@tlsdoctor/analysis';

/** A client certificate and key to present (PEM), from --cert and --key. */
export interface ClientIdentity {
  cert: string;
  key: string;
}

/**
 * The TLS set-ups a probe connects with: `judge` accepts every version and suite a server may
 * still pick (its verdicts come from the raw probes), `http` is Node's default, as a client's.
 */
export type ContextKind = 'judge' | 'http';

const CONTEXT_OPTIONS: Record<ContextKind, tls.SecureContextOptions> = {
  judge: { minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' },
  http: {},
};

/**
 * Node's CA store plus --ca: the PEMs a handshake trusts, and the same certificates parsed, once,
 * when first asked for (a few hundred of them: tens of milliseconds). Whoever probes makes one
 * and hands it to every probe of the run; the probe itself keeps nothing between calls.
 */
export class TrustStore {
  /** PEM texts, as tls.connect's `ca` takes them. */
  readonly ca: string[];
  private parsed: X509Certificate[] | undefined;
  private parsedPublic: X509Certificate[] | undefined;
  private readonly contexts = new Map<string, tls.SecureContext>();

  constructor(extraCa: string[]) {
    this.ca = [...tls.rootCertificates, ...extraCa];
  }

  get certificates(): X509Certificate[] {
    return (this.parsed ??= parse(this.ca));
  }

  /** Node's bundled roots alone (Mozilla's list), without --ca: a chain anchored here is publicly trusted, with the lifetime caps and root programs that come with it. */
  get publicCertificates(): X509Certificate[] {
    return (this.parsedPublic ??= parse([...tls.rootCertificates]));
  }

  /**
   * The secure context for connections that trust this store, made once per kind and client
   * certificate. Each one made loads every root again: about 30 ms and half a megabyte of memory
   * outside the JavaScript heap, freed only when a collection happens to run; an exporter making
   * two per probe grew by hundreds of megabytes a minute.
   */
  context(kind: ContextKind, identity?: ClientIdentity): tls.SecureContext {
    const key = `${kind}\0${identity?.cert ?? ''}\0${identity?.key ?? ''}`;
    let context = this.contexts.get(key);
    if (!context) {
      context = tls.createSecureContext({ ...CONTEXT_OPTIONS[kind], ca: this.ca, ...(identity ? { cert: identity.cert, key: identity.key } : {}) });
      this.contexts.set(key, context);
    }
    return context;
  }
}

function parse(pems: string[]): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const block of pems.flatMap(pemBlocks)) {
    if (block.label !== 'CERTIFICATE') continue;
    try {
      out.push(new X509Certificate(block.der));
    } catch {
      /* a bundle may hold things that are not certificates */
    }
  }
  return out;
}
