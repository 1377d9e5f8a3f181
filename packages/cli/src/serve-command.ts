import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { loadExtraCa, PROFILES, TargetError, TrustStore, type ProfileName } from '@tlsdoctor/probe';
import { AllowList, AllowListError, Exporter } from '@tlsdoctor/serve';
import { UsageError } from './exit.js';

export interface ServeCliOptions {
  listen: string;
  allow?: string;
  allowAny: boolean;
  ca: string[];
  timeout: number;
  concurrency: number;
  queue: number;
  share: number;
  profile: ProfileName;
  decoySni: string;
  warnDays: number;
  http: boolean;
}

/** ADDR:PORT, [v6]:PORT or :PORT (all addresses). */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`--listen must be ADDRESS:PORT, [IPv6]:PORT or :PORT (got "${text}")`);
  const host = m[1] ?? m[2] ?? '';
  if (host !== '' && host !== 'localhost' && isIP(host) === 0) throw new UsageError(`--listen: "${host}" is not an IP address`);
  return { host: host === '' ? '::' : host, port };
}

function readAllowList(o: ServeCliOptions): AllowList {
  if (o.allowAny && o.allow) throw new UsageError('--allow and --allow-any exclude each other: name the targets, or allow any');
  if (o.allowAny) return AllowList.any();
  if (!o.allow) throw new UsageError('name the targets this exporter may probe with --allow FILE (names, *.names, addresses, networks, with :PORT); --allow-any probes anything anyone who reaches it asks for');
  let text: string;
  try {
    text = readFileSync(o.allow, 'utf8');
  } catch (e) {
    throw new UsageError(`--allow ${o.allow}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    return AllowList.parse(text, `--allow ${o.allow}`);
  } catch (e) {
    if (e instanceof AllowListError) throw new UsageError(e.message);
    throw e;
  }
}

/** Runs the exporter until SIGTERM or SIGINT; then lets the probes under way end and exits 0. */
export async function runServe(o: ServeCliOptions): Promise<number> {
  const allow = readAllowList(o);
  const { host, port } = parseListen(o.listen);
  if (!(o.profile in PROFILES)) throw new UsageError(`--profile must be one of ${Object.keys(PROFILES).join(', ')} (got "${o.profile}")`);
  let extraCa: string[];
  try {
    extraCa = loadExtraCa(o.ca);
  } catch (e) {
    if (e instanceof TargetError) throw new UsageError(e.message);
    throw new UsageError(`--ca: ${(e as Error).message}`);
  }
  const exporter = new Exporter({
    allow,
    timeoutSeconds: o.timeout,
    profile: o.profile,
    concurrency: o.concurrency,
    queue: o.queue,
    shareMs: o.share * 1000,
    probe: { extraCa, trust: new TrustStore(extraCa), resolve: new Map(), decoySni: o.decoySni, ciphers: false, warnDays: o.warnDays, http: o.http },
  });
  let bound;
  try {
    bound = await exporter.listen(host, port);
  } catch (e) {
    throw new UsageError(`--listen ${o.listen}: ${(e as Error).message}`);
  }
  const shown = bound.family === 'IPv6' ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`;
  process.stderr.write(`tlsdoctor serve: listening on http://${shown}/ (GET /probe?target=HOST, /metrics)${allow.any ? '; --allow-any: every target is probed' : ''}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  process.stderr.write('tlsdoctor serve: stopping once the probes under way have ended\n');
  await exporter.close();
  return 0;
}
