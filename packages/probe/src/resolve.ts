import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface Resolution {
  addresses: { address: string; family: 4 | 6 }[];
  /** How the addresses were found. */
  via: 'literal' | 'resolve-option' | 'getaddrinfo';
  error?: { code: string; message: string };
  ms: number;
}

/**
 * Resolves as the system does (getaddrinfo: the hosts file, then DNS), like curl, returning every
 * address. A time limit keeps a hanging resolver from hanging the probe.
 */
export async function resolveHost(host: string, port: number, pinned: Map<string, string>, timeoutMs: number): Promise<Resolution> {
  const t0 = performance.now();
  if (isIP(host)) return { addresses: [{ address: host, family: isIP(host) as 4 | 6 }], via: 'literal', ms: 0 };
  const pin = pinned.get(`${host}:${port}`);
  if (pin) return { addresses: [{ address: pin, family: isIP(pin) as 4 | 6 }], via: 'resolve-option', ms: 0 };
  let timer: NodeJS.Timeout | undefined;
  try {
    const found = await Promise.race([
      lookup(host, { all: true, verbatim: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEOUT' })), timeoutMs);
      }),
    ]);
    const seen = new Set<string>();
    const addresses = found.filter((a) => !seen.has(a.address) && seen.add(a.address)).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
    return { addresses, via: 'getaddrinfo', ms: performance.now() - t0 };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { addresses: [], via: 'getaddrinfo', error: { code: err.code ?? 'ERROR', message: err.message }, ms: performance.now() - t0 };
  } finally {
    clearTimeout(timer);
  }
}
