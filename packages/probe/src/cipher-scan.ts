import { registeredCipherSuites, Version } from '@tlsdoctor/tls-parser-ts';
import { probeHello, type HelloOutcome } from './hello-probe.js';

/** What one version of a server accepts, from the whole IANA registry. */
export interface VersionScan {
  version: number;
  /**
   * The suites it accepts: in its order of preference when it has one (`serverOrder`), else in
   * registry order; each with the key exchange it set up when chosen (group, DH size or RSA).
   */
  suites: { suite: number; keyExchange?: string }[];
  /** Whether the server picks by its own preference (undefined with fewer than two suites). */
  serverOrder?: boolean;
  /** Suites offered for this version. */
  offered: number;
}

export interface CipherScan {
  versions: VersionScan[];
  /** Registry suites no probe offered: they need credentials or extensions a probe does not have. */
  untested: { count: number; kinds: string[] };
}

/**
 * Suites a server only picks with a pre-shared key, an SRP or Kerberos login, a password
 * (ECCPWD) or GOST parameters: a ClientHello without them cannot show whether it accepts them.
 */
const NEEDS_CREDENTIALS: [RegExp, string][] = [
  [/PSK/, 'PSK'],
  [/_SRP_/, 'SRP'],
  [/_KRB5_/, 'Kerberos'],
  [/ECCPWD/, 'ECCPWD'],
  [/GOST/, 'GOST'],
];

/** Suites per ClientHello, as sslscan offers them: some servers refuse hellos with hundreds. */
const CHUNK = 64;

function candidates(): { tls13: number[]; legacy: number[]; untested: CipherScan['untested'] } {
  const tls13: number[] = [];
  const legacy: number[] = [];
  let count = 0;
  const kinds = new Set<string>();
  for (const [code, name] of registeredCipherSuites) {
    // Signalling values and the null suite are not suites a server picks.
    if (name.endsWith('_SCSV') || code === 0x0000) continue;
    if (code >> 8 === 0x13) {
      tls13.push(code);
      continue;
    }
    const needs = NEEDS_CREDENTIALS.find(([re]) => re.test(name));
    if (needs) {
      count++;
      kinds.add(needs[1]);
      continue;
    }
    legacy.push(code);
  }
  return { tls13, legacy, untested: { count, kinds: [...kinds] } };
}

type Hello = (suites: number[], keyExchange: boolean) => Promise<HelloOutcome>;

/** The suite the server chose for this version, if it answered with a ServerHello of it. */
function chosen(r: HelloOutcome, version: number, offered: number[]): number | undefined {
  if (r.kind !== 'server-hello' || r.serverHello.version !== version) return undefined;
  const s = r.serverHello.cipherSuite;
  return offered.includes(s) ? s : undefined;
}

/**
 * Which suites of the registry a version accepts: each chunk is offered, the chosen suite taken
 * out and the rest offered again until the server refuses. Then the accepted suites alone, the
 * same way, give the server's order and the key exchange of each; one more hello with them in
 * reverse tells whether that order is the server's or the client's. One hello per accepted
 * suite and chunk, twice, at most: bounded by the registry's size.
 */
export async function scanVersion(version: number, suites: number[], hello: Hello): Promise<VersionScan> {
  const accepted: number[] = [];
  for (let i = 0; i < suites.length; i += CHUNK) {
    let left = suites.slice(i, i + CHUNK);
    while (left.length > 0) {
      const s = chosen(await hello(left, false), version, left);
      if (s === undefined) break;
      accepted.push(s);
      left = left.filter((x) => x !== s);
    }
  }
  const ordered: VersionScan['suites'] = [];
  let left = [...accepted];
  while (left.length > 0) {
    const r = await hello(left, true);
    const s = chosen(r, version, left);
    // A server that accepted a suite alone but not now: the rest keep registry order.
    if (s === undefined) {
      ordered.push(...left.map((suite) => ({ suite })));
      break;
    }
    ordered.push({ suite: s, ...(r.kind === 'server-hello' && r.keyExchange ? { keyExchange: r.keyExchange } : {}) });
    left = left.filter((x) => x !== s);
  }
  let serverOrder: boolean | undefined;
  if (ordered.length >= 2) {
    const reversed = ordered.map((o) => o.suite).reverse();
    serverOrder = chosen(await hello(reversed, false), version, reversed) === ordered[0].suite;
  }
  return { version, suites: ordered, ...(serverOrder === undefined ? {} : { serverOrder }), offered: suites.length };
}

/** Every accepted version's suites, from the whole registry. */
export async function scanCiphers(address: string, port: number, sni: string | undefined, versions: number[], timeoutMs: number): Promise<CipherScan> {
  const { tls13, legacy, untested } = candidates();
  const out: VersionScan[] = [];
  for (const version of versions) {
    const hello: Hello = (cipherSuites, keyExchange) => probeHello({ address, port, serverName: sni, versions: [version], cipherSuites, timeoutMs, keyExchange });
    out.push(await scanVersion(version, version === Version.TLS13 ? tls13 : legacy, hello));
  }
  return { versions: out, untested };
}
