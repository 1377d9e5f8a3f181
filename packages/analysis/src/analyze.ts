import type { Readable } from 'node:stream';
import { firstPacketTime, readCaptureFile, readCaptureStream, TcpTracker, type CaptureError, type ReadResult, type TcpConnection, type TrackerStats } from '@tlsdoctor/capture';
import { FingerprintCache, KeyLog } from '@tlsdoctor/tls-parser-ts';
import { QuicTable } from './quic.js';
import { Connection, type ConnectionRecord } from './record.js';
import { TlsConnectionSink } from './tls-sink.js';

export interface AnalyzeOptions {
  /** Ports where a connection with no bytes still counts as a TLS attempt (besides those the capture shows TLS on). */
  tlsPorts?: number[];
  onProgress?: (bytesRead: number, fileSize: number) => void;
  maxLive?: number;
  /**
   * Called with each record as soon as its connection ends; the records are then not kept, so
   * memory follows the live connections rather than the file.
   */
  onRecord?: (r: ConnectionRecord, captureTime: number) => void;
  /**
   * Read the capture from this stream instead of the file (`file` then only names it). The
   * capture is taken to be live: when no packet comes for a while, its clock moves on with the
   * wall clock, so connections that ended are reported without waiting for the next packet.
   */
  stream?: Readable;
  /**
   * Secrets to open TLS 1.3 handshake records with (--keylog files, read before). The capture's
   * own Decryption Secrets Blocks are added to it as they come; without one they get their own.
   */
  keyLog?: KeyLog;
  /**
   * Files that may continue `file`, in order (a rotated capture: `tcpdump -C` or `-G`). Each
   * one whose first packet comes at or after the last packet read so far, and within the idle
   * timeout of it, is read on through the same connection table: a connection that spans the
   * boundary is one connection. Frames are numbered on across the files, as `mergecap -a`
   * numbers them. Reading stops at the first file that does not continue; `parts` says how far
   * it went.
   */
  rotation?: string[];
  /**
   * Called as each file begins, with the time of its first packet for a file that continues
   * another (undefined for the first): a connection belongs to the last file begun at or before
   * its own first packet.
   */
  onFileStart?: (file: string, firstTime: number | undefined) => void;
}

/** One file of a capture read as one (a rotation), in order. */
export interface CapturePart {
  file: string;
  read: ReadResult;
  /** Frame numbers of this file's packets start after this one (0 for the first file). */
  frameBase: number;
  /** For a file after the first: the seconds between the previous file's last packet and its first. */
  gap?: number;
}

/**
 * The longest quiet time between one file's last packet and the next file's first for the two
 * to be read as one capture: the tracker's idle timeout, past which no connection of the first
 * file would still be live anyway.
 */
const ROTATION_GAP = 300;

/** How often a live capture's clock is moved on while no packet comes, in milliseconds. */
const LIVE_TICK_MS = 500;

export interface CaptureAnalysis {
  file: string;
  /** How the first file read (`parts` has every file of a rotation). */
  read: ReadResult;
  parts: CapturePart[];
  stats: TrackerStats;
  /** Every TCP connection that carried or tried to carry TLS, in order of first packet, then every QUIC connection. */
  connections: ConnectionRecord[];
  /** QUIC connections (each also among `connections`). */
  quicConnections: number;
  /** TCP connections that were not TLS (counted only). */
  otherConnections: number;
  warnings: string[];
  /** The error that stopped the first file's reading early (each part has its own in `parts`). */
  error?: CaptureError;
  /** When secrets were at hand: sessions known, and the connections whose handshake records they opened or did not. */
  decryption?: { sessions: number; connections: number; decrypted: number; unopened: number };
}

export const DEFAULT_TLS_PORTS = [443, 8443];

/** Connections that wait for the end of the capture to learn whether their port carries TLS, at most. */
const MAX_WAITING = 10_000;

/**
 * Reads a capture and builds a ConnectionRecord for each TLS connection. Errors in the file end
 * the reading, but every connection read before them is still analysed and returned.
 */
export async function analyzeCapture(file: string, opts: AnalyzeOptions = {}): Promise<CaptureAnalysis> {
  const tlsPorts = new Set(opts.tlsPorts ?? DEFAULT_TLS_PORTS);
  const records: ConnectionRecord[] = [];
  // A connection with no TLS of its own (no bytes, or only a server's non-TLS bytes) counts
  // when its port carries TLS elsewhere in the capture. If that port is not known yet, the
  // connection waits for the end of the capture, holding only its record and TCP facts, so the
  // verdict does not depend on which connection came first. The wait list is bounded.
  const waiting: { c: TcpConnection; sink: TlsConnectionSink; captureTime: number }[] = [];
  let other = 0;
  const offload: Offload = { connections: 0 };
  const keyLog = opts.keyLog ?? new KeyLog();
  const counts = { connections: 0, decrypted: 0, unopened: 0 };
  // The capture's hellos come from a few client builds: their fingerprints are made once per shape.
  const fingerprints = new FingerprintCache();
  const keep = (r: ConnectionRecord, captureTime: number) => {
    if (r instanceof Connection) r.fingerprints = fingerprints;
    if (r.decryption) {
      counts.connections++;
      if (r.decryption.opened[0] + r.decryption.opened[1] > 0) counts.decrypted++;
      else if (r.decryption.secrets) counts.unopened++;
    }
    return opts.onRecord ? opts.onRecord(r, captureTime) : records.push(r);
  };
  let blocks = 0;
  // A capture's secrets blocks come before the packets they open (editcap puts them first).
  const onTlsKeyLog = (text: string) => {
    keyLog.begin(`decryption secrets block ${++blocks}`);
    keyLog.add(text);
    keyLog.flush();
  };
  const conclude = (c: TcpConnection, sink: TlsConnectionSink, captureTime: number) => {
    const rec = sink.toRecord(c, tlsPorts);
    if (!rec) {
      other++;
      return;
    }
    if (rec.tlsEvidence !== 'tls-port') tlsPorts.add(rec.server.port);
    noteOffload(offload, rec);
    // The capture time at hand-over is how far the capture had gone on when the connection
    // ended, which is what the rules need to tell "no answer" from "capture stopped".
    keep(rec, captureTime);
  };
  const quic = new QuicTable({ keyLog, onRecord: keep });
  const tracker = new TcpTracker({
    maxLive: opts.maxLive,
    onDatagram: (d, raw, time) => quic.datagram(d, raw, time),
    onDatagramUnreachable: (q, facts) => quic.unreachable(q, facts),
    sinkFactory: () => new TlsConnectionSink(keyLog),
    onConnection: (c) => {
      // A connection that never carried a byte got no sink while it was live; its record needs one.
      const sink = (c.sink as TlsConnectionSink | undefined) ?? new TlsConnectionSink(keyLog);
      sink.finishStreams();
      if (!tlsPorts.has(c.server.port) && waiting.length < MAX_WAITING && sink.dependsOnPorts(c)) {
        waiting.push({ c, sink, captureTime: tracker.captureTime });
        return;
      }
      conclude(c, sink, tracker.captureTime);
    },
  });
  let read: ReadResult;
  const parts: CapturePart[] = [];
  if (opts.stream) {
    opts.onFileStart?.(file, undefined);
    let lastPacket = 0;
    let lastWall = Date.now();
    const onPacket = (p: Parameters<TcpTracker['packet']>[0]) => {
      tracker.packet(p);
      lastPacket = tracker.captureTime;
      lastWall = Date.now();
    };
    const tick = setInterval(() => {
      if (lastPacket > 0) {
        const now = lastPacket + (Date.now() - lastWall) / 1000;
        tracker.advance(now);
        quic.advance(now);
      }
    }, LIVE_TICK_MS);
    try {
      read = await readCaptureStream(file, opts.stream, onPacket, { onProgress: opts.onProgress, onTlsKeyLog });
    } finally {
      clearInterval(tick);
    }
    parts.push({ file, read, frameBase: 0 });
  } else {
    let frameBase = 0;
    const onPacket = (p: Parameters<TcpTracker['packet']>[0]) => {
      p.index += frameBase;
      tracker.packet(p);
    };
    opts.onFileStart?.(file, undefined);
    read = await readCaptureFile(file, onPacket, { onProgress: opts.onProgress, onTlsKeyLog });
    parts.push({ file, read, frameBase });
    for (const next of opts.rotation ?? []) {
      const last = tracker.captureTime;
      const first = await firstPacketTime(next);
      if (first === undefined || first < last || first - last > ROTATION_GAP) break;
      frameBase += parts[parts.length - 1].read.packets;
      opts.onFileStart?.(next, first);
      const r = await readCaptureFile(next, onPacket, { onProgress: opts.onProgress, onTlsKeyLog });
      parts.push({ file: next, read: r, frameBase, gap: first - last });
    }
  }
  tracker.finish();
  quic.finish();
  for (const w of waiting) conclude(w.c, w.sink, w.captureTime);
  // TCP connections first, then QUIC ones: each numbered from 0.
  records.sort((a, b) => (a.quic ? 1 : 0) - (b.quic ? 1 : 0) || a.id - b.id);
  const warnings = captureWarnings(read, tracker.stats, offload);
  for (const p of keyLog.problems) if (p.source.startsWith('decryption secrets block')) warnings.push(`${p.source}, line ${p.line}: ${p.message}; the line was skipped`);
  const decryption = keyLog.sessionCount > 0 || keyLog.badLines > 0 ? { sessions: keyLog.sessionCount, ...counts } : undefined;
  return { file, read, parts, stats: tracker.stats, connections: records, quicConnections: quic.count, otherConnections: other, warnings, error: read.error, ...(decryption ? { decryption } : {}) };
}

/** What the reader and the tracker have to say about the capture as a whole. */
export function captureWarnings(read: ReadResult, stats: TrackerStats, offload?: Offload): string[] {
  const warnings = [...read.warnings];
  const f = offload?.first;
  if (f) {
    warnings.push(
      `${offload.connections} connection(s) hold frames larger than the MSS their peer announced (first: frame ${f.frame}, ${f.len} bytes against an MSS of ${f.mss}): ` +
        'the capture was taken on an end host, which hands the capture frames before segmentation offload cuts them (TSO/GSO, sending) or after receive offload merges them (GRO/LRO); they are read as the segments they were on the wire',
    );
  }
  for (const [lt, n] of stats.unknownLinkTypes) warnings.push(`${n} packet(s) with link type ${lt}, which tlsdoctor does not read, were skipped`);
  if (stats.fragments > 0) warnings.push(`${stats.fragments} IP fragment(s) were counted but not reassembled`);
  if (stats.evicted > 0) warnings.push(`${stats.evicted} connection(s) were closed early because more than the live-connection cap were open at once`);
  return warnings;
}

/** Frames a sending host's capture holds before segmentation offload cut them (seen in the logged packets). */
interface Offload {
  connections: number;
  first?: { frame: number; len: number; mss: number };
}

function noteOffload(o: Offload, r: ConnectionRecord): void {
  // Each side sends segments no larger than the MSS the other side's SYN announced.
  const mss = [r.tcp.synAck?.mss, r.tcp.syn?.mss];
  const big = r.tcp.packets.find((p) => p.len > 0 && mss[p.dir] !== undefined && p.len > mss[p.dir]!);
  if (!big) return;
  o.connections++;
  o.first ??= { frame: big.frame, len: big.len, mss: mss[big.dir]! };
}
