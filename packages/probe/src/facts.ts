// The probe's light entry point (`@tlsdoctor/probe/facts`): what its records mean as facts, its
// profiles and suites, without the code that opens sockets. The diagnosis and the reports import
// this. Words about a record (evidence) are the diagnosis's, not the probe's: the probe measures.
import type { HelloOutcome } from './hello-probe.js';

export { PROFILES, type Profile, type ProfileName } from './profiles.js';
export { LEGACY_SUITES } from './suites.js';

/** Ports where plain HTTP is the expected answer: a probe of one that answers HTTP looks for TLS on 443. */
export const PLAIN_HTTP_PORTS: ReadonlySet<number> = new Set([80, 8000, 8008, 8080, 8081, 8888]);

/** The versions the server accepted: each answered with a ServerHello of that very version. */
export function acceptedVersions(rec: { versions: readonly { version: number; outcome: HelloOutcome }[] }): number[] {
  return rec.versions.filter(({ version, outcome }) => outcome.kind === 'server-hello' && outcome.serverHello.version === version).map((v) => v.version);
}

/** One request of a redirect chain: the answer, or why none came. */
export type HttpHop =
  | { url: string; status: number; location?: string; hsts?: string }
  | { url: string; error: string; errorCode?: string };

/**
 * Requests from a URL, each Location followed (at most MAX_HOPS requests, each within the
 * timeout). `stopped` says why following stopped while the last answer still redirected: its
 * Location had been requested before (a loop), or the hops ran out.
 */
export interface RedirectChain {
  hops: HttpHop[];
  stopped?: 'loop' | 'limit';
}

/** The error code of a hop the probe did not request because its `permit` refused it (an exporter's allow list). */
export const NOT_PERMITTED = 'NOT_PERMITTED';

/** Requests one redirect chain makes at most: browsers give up after 20; a loop shows within a few. */
export const MAX_HOPS = 10;

/** The statuses whose Location a client follows. */
export const REDIRECT_STATUS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Where a hop sends the client: a redirect's Location, resolved against the hop's URL, when it is an http or https URL. */
export function nextUrl(hop: HttpHop): URL | undefined {
  if (!('status' in hop) || !REDIRECT_STATUS.has(hop.status) || hop.location === undefined) return undefined;
  try {
    const u = new URL(hop.location, hop.url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}
