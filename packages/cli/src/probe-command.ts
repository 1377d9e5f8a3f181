import { readFileSync } from 'node:fs';
import { diagnoseProbe } from '@tlsdoctor/diagnosis';
import { PROFILES, checkWsPath, loadExtraCa, loadIdentity, parseResolve, parseTarget, probeTarget, TargetError, TrustStore, type ProbeOptions, type ProfileName, type Target } from '@tlsdoctor/probe';
import { probeItem, SCHEMA_VERSION, summarize, TOOL, type RedactMode, type ProbeItem, type Report } from '@tlsdoctor/report';
import { exitFor, type FailOn, UsageError } from './exit.js';
import { writeReport, type Format } from './output.js';

export interface ProbeCliOptions {
  targets: string[];
  targetsFile?: string;
  format: Format;
  redact: RedactMode;
  verbose: boolean;
  timeout: number;
  concurrency: number;
  resolve: string[];
  ca: string[];
  cert?: string;
  key?: string;
  profile: ProfileName;
  allowList?: string;
  decoySni: string;
  ws?: string;
  ciphers: boolean;
  warnDays: number;
  http: boolean;
  http3?: boolean;
  limit: number;
  /** --fail-on: the least severe finding that exits 1. */
  failOn?: FailOn;
}

function readLines(file: string, what: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${what} ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  return text.split(/\r?\n/).map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
}

export async function runProbe(o: ProbeCliOptions): Promise<number> {
  const listed = o.targetsFile ? readLines(o.targetsFile, '--targets') : [];
  if (o.targetsFile && listed.length === 0 && o.targets.length === 0) throw new UsageError(`--targets ${o.targetsFile}: the file holds no target (one host, host:port or https:// URL a line; # starts a comment)`);
  const inputs = [...o.targets, ...listed];
  if (inputs.length === 0) throw new UsageError('name at least one target (host, host:port or https:// URL), or --targets FILE');
  if (!(o.profile in PROFILES)) throw new UsageError(`--profile must be one of ${Object.keys(PROFILES).join(', ')} (got "${o.profile}")`);
  if (!(o.timeout > 0 && o.timeout <= 120)) throw new UsageError(`--timeout must be above 0 and at most 120 seconds (got ${o.timeout})`);
  if (!(Number.isInteger(o.concurrency) && o.concurrency >= 1 && o.concurrency <= 64)) throw new UsageError(`--concurrency must be from 1 to 64 (got ${o.concurrency})`);
  let targets: Target[];
  const pinned = new Map<string, string>();
  let extraCa: string[];
  try {
    targets = inputs.map((t) => parseTarget(t));
    if (o.ws !== undefined) checkWsPath(o.ws);
    for (const r of o.resolve) {
      const p = parseResolve(r);
      pinned.set(`${p.host}:${p.port}`, p.address);
    }
  } catch (e) {
    if (e instanceof TargetError) throw new UsageError(e.message);
    throw e;
  }
  try {
    extraCa = loadExtraCa(o.ca);
  } catch (e) {
    if (e instanceof TargetError) throw new UsageError(e.message);
    throw new UsageError(`--ca: ${(e as Error).message}`);
  }
  if ((o.cert === undefined) !== (o.key === undefined)) throw new UsageError(o.cert === undefined ? '--key needs --cert: name the client certificate too' : '--cert needs --key: name the certificate\'s private key too');
  let identity: ReturnType<typeof loadIdentity> | undefined;
  try {
    identity = o.cert !== undefined && o.key !== undefined ? loadIdentity(o.cert, o.key) : undefined;
  } catch (e) {
    if (e instanceof TargetError) throw new UsageError(e.message);
    throw e;
  }
  if (o.allowList && o.profile !== 'wechat-miniprogram') throw new UsageError(`--allow-list applies to --profile wechat-miniprogram only (the profile is ${o.profile})`);
  const allowList = o.allowList ? readLines(o.allowList, '--allow-list').map((l) => l.replace(/^https?:\/\//, '').replace(/\/.*$/, '').toLowerCase()) : undefined;
  const options: ProbeOptions = { timeoutMs: o.timeout * 1000, profile: o.profile, decoySni: o.decoySni, extraCa, trust: new TrustStore(extraCa), resolve: pinned, allowList, ws: o.ws, ciphers: o.ciphers, warnDays: o.warnDays, http: o.http, http3: o.http3, identity };

  const results: ProbeItem[][] = new Array(targets.length);
  let next = 0;
  let finished = 0;
  const progress = process.stderr.isTTY && targets.length > 1 && !process.env.CI;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      const recs = await probeTarget(targets[i], options);
      results[i] = recs.map((r) => probeItem(r, 0, diagnoseProbe(r)));
      finished++;
      if (progress) process.stderr.write(`\rprobed ${finished}/${targets.length}: ${targets[i].input}\x1b[K`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, targets.length) }, worker));
  if (progress) process.stderr.write('\r\x1b[K');
  const items = results.flat().map((it, i) => ({ ...it, id: i }));
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: TOOL,
    command: 'probe',
    generatedAt: new Date().toISOString(),
    input: { targets: inputs, options: { profile: o.profile, timeoutSeconds: o.timeout, decoySni: o.decoySni, ws: o.ws ?? null, ciphers: o.ciphers } },
    summary: summarize(items),
    targets: items,
  };
  writeReport(report, o.format, o.redact, o.verbose, o.limit);
  return exitFor(report.summary.worst, false, o.failOn);
}
