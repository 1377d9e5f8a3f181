import { NetlogConnections, PublicRoots, type NetlogRecord } from '@tlsdoctor/analysis';
import { diagnoseNetlogRecord } from '@tlsdoctor/diagnosis';
import { NetlogError, readNetlogFile, type NetlogReadResult } from '@tlsdoctor/netlog';
import { netlogItem, SCHEMA_VERSION, TOOL, type NetlogInputSummary, type RedactMode } from '@tlsdoctor/report';
import { EXIT, exitFor, type FailOn, reportingInputErrors, UsageError } from './exit.js';
import { itemSink } from './item-sink.js';
import type { Format } from './output.js';
import { ReportSink, type FileItem } from './report-sink.js';

export interface NetlogOptions {
  files: string[];
  format: Format;
  redact: RedactMode;
  verbose: boolean;
  failuresOnly: boolean;
  /** --fail-on: the least severe finding that exits 1. */
  failOn?: FailOn;
  /** Only records for this name (or address); `*.example.com` takes its subdomains. */
  host?: string;
  limit: number;
}

function say(message: string): void {
  if (process.stdout.isTTY && process.stderr.isTTY) return;
  process.stderr.write(`tlsdoctor: ${message}\n`);
}

function hostMatches(it: FileItem, host: string): boolean {
  if (it.transport !== 'netlog') return false;
  const want = host.toLowerCase();
  const names = [it.host, it.sni].filter((x): x is string => !!x).map((x) => x.toLowerCase());
  if (want.startsWith('*.')) return names.some((n) => n.endsWith(want.slice(1)));
  return names.includes(want) || it.server?.ip === host;
}

function filtersOf(o: NetlogOptions): string[] {
  return [...(o.failuresOnly ? ['--failures-only'] : []), ...(o.host ? [`--host ${o.host}`] : [])];
}

function matches(it: FileItem, o: NetlogOptions): boolean {
  if (o.failuresOnly && it.outcome !== 'error' && it.outcome !== 'warning') return false;
  return !o.host || hostMatches(it, o.host);
}

function inputOf(path: string, r: NetlogReadResult, dropped: number): NetlogInputSummary {
  const warnings = [
    r.names.fallback,
    r.stoppedAt && `${r.stoppedAt}; the ${r.events.toLocaleString('en-US')} event(s) before it are reported, connections still open then as cut`,
    dropped > 0 && `${dropped.toLocaleString('en-US')} connection(s) were let go unjudged: more than 20,000 were open at once`,
  ].filter((x): x is string => !!x);
  return { path, gzip: r.gzip, bytes: r.bytes, events: r.events, client: r.names.client ?? null, captureMode: r.names.captureMode ?? null, complete: r.complete, warnings, error: r.error ? r.error.message : null };
}

/**
 * `tlsdoctor netlog`: each file is read as it streams, each connection judged when its source
 * ends in the log (or when the log ends), and the report written as pcap's is.
 */
export async function runNetlog(o: NetlogOptions): Promise<number> {
  return reportingInputErrors(() => reportNetlogs(o));
}

async function reportNetlogs(o: NetlogOptions): Promise<number> {
  // A NetLog is a file the browser wrote and the user attached: there is nothing to stream.
  if (o.files.includes('-')) throw new UsageError('netlog reads NetLog files, not standard input: save the log (chrome://net-export) and name the file');
  const roots = new PublicRoots();
  const sink = new ReportSink(itemSink(o), { names: filtersOf(o), match: (it) => matches(it, o) });
  const inputs: NetlogInputSummary[] = [];
  let failed = false;
  // As pcap does: a table or Markdown report of nothing (no file could be opened) is not written,
  // only the error lines, on stderr even at a terminal.
  const wholeReport = o.format === 'table' || o.format === 'markdown';
  const unopened: string[] = [];
  let opened = false;
  for (const [k, file] of o.files.entries()) {
    sink.startFile(file);
    let id = 0;
    const number = o.files.length > 1 ? k + 1 : undefined;
    const connections = new NetlogConnections(roots, (r: NetlogRecord) => sink.add(netlogItem(r, id++, file, diagnoseNetlogRecord(r), number)));
    let read: NetlogReadResult;
    try {
      read = await readNetlogFile(file, (e, names) => connections.event(e, names));
    } catch (e) {
      if (!(e instanceof NetlogError)) throw e;
      sink.dropFile();
      failed = true;
      if (wholeReport) unopened.push(e.message);
      else say(e.message);
      inputs.push({ path: file, gzip: false, bytes: 0, events: 0, client: null, captureMode: null, complete: false, warnings: [], error: e.message });
      continue;
    }
    opened = true;
    connections.finish();
    if (read.error) {
      failed = true;
      say(`${read.error.message}; the ${read.events} event(s) before it are reported`);
    } else if (read.stoppedAt) {
      failed = true;
      say(`${file}: ${read.stoppedAt}; the ${read.events.toLocaleString('en-US')} event(s) before it are reported`);
    }
    inputs.push(inputOf(file, read, connections.dropped));
    sink.endFile();
  }
  if (!opened && wholeReport) {
    for (const m of unopened) process.stderr.write(`tlsdoctor: ${m}\n`);
    return EXIT.USAGE_OR_INPUT;
  }
  for (const m of unopened) say(m);
  const head = sink.finish({ schemaVersion: SCHEMA_VERSION, tool: TOOL, command: 'netlog', generatedAt: new Date().toISOString(), input: { files: inputs, ...(o.host ? { host: o.host } : {}) } });
  return exitFor(head.summary.worst, failed, o.failOn);
}
