import { parseTarget, PROFILES, TargetError, type ProfileName, type Target } from '@tlsdoctor/probe';
import { TlsdoctorError } from '@tlsdoctor/tls-parser-ts';

/** A /probe request that cannot be run as asked: answered 400 with its message. */
export class QueryError extends TlsdoctorError {
  readonly code = 'BAD_QUERY';
}

/** One probe as a scrape asks for it: what it shares with another scrape asking the same. */
export interface ProbeQuery {
  target: Target;
  profile: ProfileName;
  /** A WebSocket path to try an upgrade on. */
  ws?: string;
  /** As the probe's option: true tries HTTP/3 whatever Alt-Svc says, false never, unset where advertised. */
  http3?: boolean;
  /** A shorter deadline than the exporter's, in seconds. */
  timeoutSeconds?: number;
}

/** The parameters /probe takes; any other is refused, so a typo is not silently ignored. */
const PARAMETERS = new Set(['target', 'profile', 'ws', 'http3', 'timeout']);

const BOOLEAN: Readonly<Record<string, boolean>> = { '1': true, true: true, yes: true, '0': false, false: false, no: false };

function single(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  if (all.length > 1) throw new QueryError(`"${name}" is given ${all.length} times; give it once`);
  return all[0];
}

/** Reads the query string of GET /probe. */
export function parseProbeQuery(params: URLSearchParams, defaultProfile: ProfileName = 'browser'): ProbeQuery {
  for (const name of new Set(params.keys())) if (!PARAMETERS.has(name)) throw new QueryError(`unknown parameter "${name}" (known: ${[...PARAMETERS].join(', ')})`);
  const raw = single(params, 'target')?.trim();
  if (!raw) throw new QueryError('the "target" parameter is missing (host, host:port or https:// URL)');
  // A URL with credentials would put a secret into Prometheus' labels and this exporter's logs.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(raw)) throw new QueryError(`target "${raw.replace(/\/\/[^@/]*@/, '//…@')}" holds credentials; probes need none, and they would land in labels and logs`);
  let target: Target;
  try {
    target = parseTarget(raw);
  } catch (e) {
    if (e instanceof TargetError) throw new QueryError(`target: ${e.message}`);
    throw e;
  }
  const profile = (single(params, 'profile') ?? defaultProfile) as ProfileName;
  if (!(profile in PROFILES)) throw new QueryError(`profile must be one of ${Object.keys(PROFILES).join(', ')} (got "${profile}")`);
  const ws = single(params, 'ws');
  if (ws !== undefined && !ws.startsWith('/')) throw new QueryError(`ws must be a path starting with "/" (got "${ws}")`);
  const http3Text = single(params, 'http3');
  if (http3Text !== undefined && !(http3Text.toLowerCase() in BOOLEAN)) throw new QueryError(`http3 must be 1 or 0 (got "${http3Text}")`);
  const timeoutText = single(params, 'timeout');
  const timeoutSeconds = timeoutText === undefined ? undefined : Number(timeoutText);
  if (timeoutSeconds !== undefined && !(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 && timeoutSeconds <= 120)) throw new QueryError(`timeout must be a number of seconds above 0, at most 120 (got "${timeoutText}")`);
  return {
    target,
    profile,
    ...(ws !== undefined ? { ws } : {}),
    ...(http3Text !== undefined ? { http3: BOOLEAN[http3Text.toLowerCase()] } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
  };
}

/** Two scrapes with the same key can share one probe. */
export function shareKey(q: ProbeQuery): string {
  return JSON.stringify([q.target.host, q.target.port, q.target.scheme === 'wss' ? q.target.path : '', q.profile, q.ws ?? '', q.http3 ?? '']);
}
