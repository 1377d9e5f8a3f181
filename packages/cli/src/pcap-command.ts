import { analyzeCapture, DEFAULT_TLS_PORTS, tuneHeapForCaptureAnalysis, type CaptureAnalysis, type ConnectionRecord } from '@tlsdoctor/analysis';
import { CaptureError } from '@tlsdoctor/capture';
import { connectionItem, inputSummary, SCHEMA_VERSION, TOOL, type InputSummary, type Report, type ReportItem } from '@tlsdoctor/report';
import { diagnoseConnection, worst } from '@tlsdoctor/diagnosis';
import { exitFor, exitForError } from './exit.js';
import { JsonSpool } from './json-spool.js';
import { ShownItems } from './shown-items.js';
import { factsWanted, writeReport, type Format } from './output.js';
import type { RedactMode } from '@tlsdoctor/report';

export interface PcapOptions {
  files: string[];
  format: Format;
  redact: RedactMode;
  verbose: boolean;
  failuresOnly: boolean;
  sni?: string;
  host?: string;
  port?: number;
  tlsPorts: number[];
  limit: number;
}

function matchesFilters(it: ReportItem, o: PcapOptions): boolean {
  if (o.failuresOnly && it.outcome !== 'error' && it.outcome !== 'warning') return false;
  if (o.sni && (it.sni ?? '').toLowerCase() !== o.sni.toLowerCase() && !(o.sni.startsWith('*.') && (it.sni ?? '').toLowerCase().endsWith(o.sni.slice(1).toLowerCase()))) return false;
  if (o.host && it.server.ip !== o.host && it.client?.ip !== o.host && it.sni !== o.host) return false;
  if (o.port !== undefined && it.server.port !== o.port) return false;
  return true;
}

/** A progress bar on stderr, only for a terminal and only for files worth waiting for. */
function progress(file: string): ((read: number, size: number) => void) | undefined {
  if (!process.stderr.isTTY || process.env.CI) return undefined;
  let last = 0;
  return (read, size) => {
    if (size < 50 * 1024 * 1024) return;
    const now = Date.now();
    if (now - last < 200 && read < size) return;
    last = now;
    const pct = Math.min(100, Math.floor((read / size) * 100));
    const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
    process.stderr.write(`\r${file} [${bar}] ${pct}%`);
    if (read >= size) process.stderr.write('\r\x1b[K');
  };
}

export async function runPcap(o: PcapOptions): Promise<number> {
  try {
    return await reportCaptures(o);
  } catch (e) {
    const status = exitForError(e);
    if (status === undefined) throw e;
    process.stderr.write(`tlsdoctor: ${(e as Error).message}\n`);
    return status;
  }
}

async function reportCaptures(o: PcapOptions): Promise<number> {
  // This process exists to read captures: let V8 place connection objects for that workload.
  tuneHeapForCaptureAnalysis();
  const inputs: InputSummary[] = [];
  const wantFacts = factsWanted(o.format, o.verbose);
  // Records are diagnosed as their connections end and then dropped. JSON lists every report
  // row: they wait in a temporary file, not in memory. A table or Markdown report keeps the rows
  // and details it shows, and counts the rest.
  const shown = o.format === 'json' ? new JsonSpool(o.redact !== 'none') : new ShownItems(o.limit, o.format === 'table' && o.verbose);
  let failed = false;
  for (const file of o.files) {
    let a: CaptureAnalysis;
    const onRecord = (c: ConnectionRecord, captureTime: number) => {
      const diagnoses = diagnoseConnection(c, { captureEnd: captureTime });
      // Facts and fingerprints only where the output prints them (JSON, Markdown failures, --verbose).
      const item = connectionItem(c, file, diagnoses, wantFacts(worst(diagnoses.map((d) => d.severity))));
      if (matchesFilters(item, o)) shown.add(item);
    };
    try {
      a = await analyzeCapture(file, { tlsPorts: [...DEFAULT_TLS_PORTS, ...o.tlsPorts], onProgress: progress(file), onRecord });
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e;
      shown.dropFile();
      failed = true;
      process.stderr.write(`tlsdoctor: ${e.message}\n`);
      inputs.push({ path: file, warnings: [], error: e.message });
      continue;
    }
    if (a.error) {
      failed = true;
      process.stderr.write(`tlsdoctor: ${a.error.message}; the ${a.read.packets} packet(s) before it are reported\n`);
    }
    inputs.push(inputSummary(a));
    shown.endFile();
  }
  const head: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: TOOL,
    command: 'pcap',
    generatedAt: new Date().toISOString(),
    input: { files: inputs },
    summary: shown.summary,
  };
  if (shown instanceof JsonSpool) {
    try {
      shown.writeReport(head, o.redact, (s) => void process.stdout.write(s));
    } finally {
      shown.close();
    }
  } else {
    writeReport({ ...head, connections: shown.items() }, o.format, o.redact, o.verbose, o.limit);
  }
  return exitFor(head.summary.worst, failed);
}
