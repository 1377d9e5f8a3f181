import { analyzeCapture, DEFAULT_TLS_PORTS, PublicRoots, type CaptureAnalysis, type CapturePart, type ConnectionRecord, type OnRecord } from '@tlsdoctor/analysis';
import { CaptureError } from '@tlsdoctor/capture';
import { KeyLog, MAX_SESSIONS } from '@tlsdoctor/tls-parser-ts';
import { createReadStream } from 'node:fs';
import { connectionItem, inputSummary, SCHEMA_VERSION, TOOL, type InputSummary, type RedactMode } from '@tlsdoctor/report';
import { diagnoseConnection, worst } from '@tlsdoctor/diagnosis';
import { EXIT, exitFor, type FailOn, reportingInputErrors, UsageError } from './exit.js';
import { itemSink } from './item-sink.js';
import { factsWanted, type Format } from './output.js';
import { HeapGrowth } from './heap-growth.js';
import { tuneHeapForCaptureAnalysis } from './heap-tuning.js';
import { ReportSink, type FileItem } from './report-sink.js';

export interface PcapOptions {
  files: string[];
  format: Format;
  redact: RedactMode;
  verbose: boolean;
  failuresOnly: boolean;
  /** --fail-on: the least severe finding that exits 1. */
  failOn?: FailOn;
  sni?: string;
  host?: string;
  port?: number;
  tlsPorts: number[];
  /** --keylog files, read before the captures. */
  keylogs?: string[];
  limit: number;
  /** Read every file on its own, even files that follow each other in time (a rotation). */
  separate?: boolean;
}

/** Control bytes other than the whitespace ones (tab, newlines, form feed): no text key log holds them. */
function looksBinary(text: string): boolean {
  return /[\x00-\x08\x0e-\x1f]/.test(text);
}

/** Bad key log lines told one by one at most; the rest are counted. */
const KEYLOG_PROBLEMS_TOLD = 5;

/**
 * Reads the --keylog files as they stream (a key log of gigabytes keeps only the secrets the
 * KeyLog bounds). A missing or unreadable file is a usage error; bad lines are told and skipped.
 */
async function readKeyLogs(files: string[]): Promise<KeyLog | undefined> {
  if (files.length === 0) return undefined;
  const log = new KeyLog();
  for (const f of files) {
    log.begin(f);
    const secretsBefore = log.secrets;
    let binary = false;
    try {
      for await (const chunk of createReadStream(f, { encoding: 'latin1', highWaterMark: 1 << 20 })) {
        binary ||= looksBinary(chunk as string);
        log.add(chunk as string);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`--keylog ${f}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a key log' : (e as Error).message}`);
    }
    log.flush();
    // A capture or a binary blob given as the key log would otherwise be told line by line, raw
    // bytes and all; one line saying what the file is helps more.
    if (binary && log.secrets === secretsBefore) throw new UsageError(`--keylog ${f}: not a key log: it holds binary data, not LABEL CLIENT_RANDOM SECRET lines`);
  }
  for (const p of log.problems.slice(0, KEYLOG_PROBLEMS_TOLD)) say(`key log ${p.source} line ${p.line}: ${p.message}${p.secretKept ? '' : '; the line was skipped'}`);
  const told = log.problems.slice(0, KEYLOG_PROBLEMS_TOLD);
  const untoldBad = log.badLines - told.filter((p) => !p.secretKept).length;
  const untoldKept = log.tolerated - told.filter((p) => p.secretKept).length;
  if (untoldBad > 0) say(`key log: ${untoldBad} more bad line(s) skipped`);
  if (untoldKept > 0) say(`key log: ${untoldKept} more line(s) with characters after their secret, passed over; their secrets were kept`);
  if (log.dropped > 0) say(`key log: more than ${MAX_SESSIONS} sessions; the secrets of ${log.dropped} line(s) past that bound were not kept`);
  if (log.sessionCount === 0) say(`key log ${files.join(', ')}: no TLS secrets in it (CLIENT_RANDOM, CLIENT_HANDSHAKE_TRAFFIC_SECRET, SERVER_HANDSHAKE_TRAFFIC_SECRET, CLIENT_EARLY_TRAFFIC_SECRET lines)`);
  return log;
}

/** The filters in force, as the user typed them. */
function filtersOf(o: PcapOptions): string[] {
  const f: string[] = [];
  if (o.failuresOnly) f.push('--failures-only');
  if (o.sni) f.push(`--sni ${o.sni}`);
  if (o.host) f.push(`--host ${o.host}`);
  if (o.port !== undefined) f.push(`--port ${o.port}`);
  return f;
}

/**
 * An input error goes to stderr, once: the report lists it too, so when both go to the same
 * terminal it is not said again.
 */
function say(message: string): void {
  if (process.stdout.isTTY && process.stderr.isTTY) return;
  process.stderr.write(`tlsdoctor: ${message}\n`);
}

/** Standard input, named in the report and in messages. */
const STDIN = 'stdin';

function matchesFilters(it: FileItem, o: PcapOptions): boolean {
  if (it.transport === 'netlog') return false;
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

/** Where the files after `from` stop being a rotation: at the next standard input, or the end. */
function nextStdin(files: string[], from: number): number {
  const k = files.indexOf('-', from);
  return k < 0 ? files.length : k;
}

/**
 * One file's entry in the report's input list. The first file of a rotation carries what the
 * reading as a whole has to say (the connection table's warnings, decryption); a file that
 * continues it, its own reader's warnings and where it took up.
 */
function partSummary(a: CaptureAnalysis, p: CapturePart, k: number): InputSummary {
  if (k === 0) return inputSummary(a);
  const before = a.parts[k - 1];
  return {
    path: p.file,
    format: p.read.format,
    gzip: p.read.gzip,
    packets: p.read.packets,
    bytes: p.read.bytes,
    warnings: p.read.warnings,
    error: p.read.error ? p.read.error.message : null,
    continues: { file: before.file, gapSeconds: Math.round((p.gap ?? 0) * 1e6) / 1e6, firstFrame: p.frameBase + 1 },
  };
}

export async function runPcap(o: PcapOptions): Promise<number> {
  return reportingInputErrors(() => reportCaptures(o));
}

/** Standard input can be read once, and only from a pipe or a file. */
function checkStdinUse(files: string[]): void {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('standard input (-) can be named once');
  if (files.includes('-') && process.stdin.isTTY) throw new UsageError('standard input is a terminal: pipe a capture into it, e.g. tcpdump -U -w - \'tcp port 443 or icmp\' | tlsdoctor pcap -');
}

/** A file whose reading stopped part-way: one line naming it (what came before is reported). True when any did. */
function sayReadErrors(a: CaptureAnalysis): boolean {
  let any = false;
  for (const p of a.parts) {
    if (!p.read.error) continue;
    any = true;
    const message = p.read.error.message;
    // Some readers' messages name their file and some do not: the line always does, once.
    const named = message.startsWith(`${p.file}:`) ? message : `${p.file}: ${message}`;
    say(`${named}; the ${p.read.packets} packet(s) before it are reported`);
  }
  return any;
}

async function reportCaptures(o: PcapOptions): Promise<number> {
  checkStdinUse(o.files);
  const keyLog = await readKeyLogs(o.keylogs ?? []);
  // Every capture checks chains against the same roots: they are parsed once for all the files.
  const roots = new PublicRoots();
  // This process exists to read captures: let V8 place connection objects for that workload.
  tuneHeapForCaptureAnalysis();
  const heap = HeapGrowth.started();
  const inputs: InputSummary[] = [];
  const wantFacts = factsWanted(o.format, o.verbose);
  // Records are diagnosed as their verdicts can be made and then dropped; the sink counts every
  // item and keeps, spools or writes those the filters let through.
  const sink = new ReportSink(itemSink(o), { names: filtersOf(o), match: (it) => matchesFilters(it, o) });
  let failed = false;
  // A table or Markdown report is written at the end: a file that could not be opened is told
  // then, so that it can be told alone when it was the only input.
  const wholeReport = o.format === 'table' || o.format === 'markdown';
  const unopened: string[] = [];
  let opened = false;
  // Files that follow each other in time (a tcpdump -C/-G rotation) are read as one capture,
  // through one connection table: a connection across a boundary is one connection.
  for (let i = 0; i < o.files.length; ) {
    const file = o.files[i];
    const name = file === '-' ? STDIN : file;
    const rotation = file === '-' || o.separate ? [] : o.files.slice(i + 1, nextStdin(o.files, i + 1));
    const files = new FilesBegun(i, file, name);
    let bar: ((read: number, size: number) => void) | undefined;
    const onFileStart = (f: string, firstTime: number | undefined) => {
      // Lines name their file as they go out: its placeholder must exist before the first.
      sink.startFile(files.begin(f, firstTime));
      bar = f === '-' ? undefined : progress(f);
    };
    const onRecord: OnRecord = (c, captureEnd, context) => {
      const diagnoses = diagnoseConnection(c, { captureEnd, others: context });
      const outcome = worst(diagnoses.map((d) => d.severity));
      const f = files.of(c);
      // Facts and fingerprints only where the output prints them (JSON, Markdown failures, --verbose).
      sink.add(connectionItem(c, f.name, diagnoses, wantFacts(outcome), f.number, o.redact !== 'none'));
    };
    let a: CaptureAnalysis;
    try {
      a = await analyzeCapture(name, {
        tlsPorts: [...DEFAULT_TLS_PORTS, ...o.tlsPorts],
        onProgress: (read, size) => {
          heap.check();
          bar?.(read, size);
        },
        onRecord,
        stream: file === '-' ? process.stdin : undefined,
        keyLog,
        roots,
        rotation,
        onFileStart,
      });
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e;
      sink.dropFile();
      failed = true;
      if (wholeReport) unopened.push(e.message);
      else say(e.message);
      inputs.push({ path: name, warnings: [], error: e.message });
      i++;
      continue;
    }
    if (sayReadErrors(a)) failed = true;
    opened = true;
    a.parts.forEach((p, k) => inputs.push(partSummary(a, p, k)));
    sink.endFile();
    i += a.parts.length;
  }
  // A report of nothing (no file could be opened) says no more than the error lines: those alone
  // are written, on stderr even at a terminal.
  if (!opened && wholeReport) {
    for (const m of unopened) process.stderr.write(`tlsdoctor: ${m}\n`);
    return EXIT.USAGE_OR_INPUT;
  }
  for (const m of unopened) say(m);
  const head = sink.finish({ schemaVersion: SCHEMA_VERSION, tool: TOOL, command: 'pcap', generatedAt: new Date().toISOString(), input: { files: inputs } });
  return exitFor(head.summary.worst, failed, o.failOn);
}

/**
 * The files of one capture as they begin (a rotation: several), numbered in the report's list:
 * a connection belongs to the last file begun at or before its first packet.
 */
class FilesBegun {
  private readonly begun: { at: number; name: string; number: number }[] = [];

  /** `first`: the place in the report's list of the capture's first file; `file`/`name`: its path and how the report names it. */
  constructor(private readonly first: number, private readonly file: string, private readonly name: string) {}

  /** Notes a file beginning, at its first packet's time (undefined for the first); returns its name. */
  begin(f: string, firstTime: number | undefined): string {
    const name = f === this.file ? this.name : f;
    this.begun.push({ at: firstTime ?? -Infinity, name, number: this.first + this.begun.length + 1 });
    return name;
  }

  of(c: ConnectionRecord): { name: string; number: number } {
    let b = this.begun[0];
    for (const x of this.begun) if (x.at <= c.firstTime) b = x;
    return b;
  }
}
