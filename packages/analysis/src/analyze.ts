import type { Readable } from 'node:stream';
import { firstPacketTime, readCaptureFile, readCaptureStream, TcpTracker, type CaptureError, type RawPacket, type ReadResult, type TrackerStats } from '@tlsdoctor/capture';
import type { KeyLog } from '@tlsdoctor/tls-parser-ts';
import { CaptureContext, type DecryptionSummary, type OnRecord, type Offload } from './capture-context.js';
import type { PublicRoots } from './chain-check.js';
import { CaptureResources } from './resources.js';
import { QuicTable } from './quic-table.js';
import type { ConnectionRecord } from './record.js';
import { TlsConnectionSink } from './tls-sink.js';

export interface AnalyzeOptions {
  /** Ports where a connection with no bytes still counts as a TLS attempt (besides those the capture shows TLS on). */
  tlsPorts?: number[];
  onProgress?: (bytesRead: number, fileSize: number) => void;
  maxLive?: number;
  /**
   * Called with each record as soon as its verdict can be made (its connection ended, or the
   * capture did, for the few whose verdict needs the whole capture: see CaptureContext); the
   * records are then not kept, so memory follows the live connections rather than the file.
   */
  onRecord?: OnRecord;
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
   * Node's public roots, for a caller that reads several captures: they are the same for each, so
   * one instance parses them once. Without it a capture parses its own, when a chain is first checked.
   */
  roots?: PublicRoots;
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
  /** Every TCP connection that carried or tried to carry TLS, in order of first packet, then every QUIC connection (without `onRecord`). */
  connections: ConnectionRecord[];
  /** QUIC connections (each also among `connections`). */
  quicConnections: number;
  /** TCP connections that were not TLS (counted only). */
  otherConnections: number;
  warnings: string[];
  /** The error that stopped the first file's reading early (each part has its own in `parts`). */
  error?: CaptureError;
  /** When secrets were at hand: sessions known, and the connections whose handshake records they opened or did not. */
  decryption?: DecryptionSummary & { sessions: number };
}

export const DEFAULT_TLS_PORTS = [443, 8443];

/**
 * Reads a capture and builds a ConnectionRecord for each TLS connection. Errors in the file end
 * the reading, but every connection read before them is still analysed and returned.
 */
export async function analyzeCapture(file: string, opts: AnalyzeOptions = {}): Promise<CaptureAnalysis> {
  const records: ConnectionRecord[] = [];
  const context = new CaptureContext(opts.tlsPorts ?? DEFAULT_TLS_PORTS, opts.onRecord ?? ((r) => records.push(r)));
  const shared = new CaptureResources(opts.keyLog, opts.roots);
  const keyLog = shared.keyLog;
  const quic = new QuicTable({ shared, onRecord: (r, captureTime) => context.quicEnded(r, captureTime) });
  const tracker = new TcpTracker({
    maxLive: opts.maxLive,
    onDatagram: (d, raw, time) => quic.datagram(d, raw, time),
    onDatagramIcmp: (q, facts) => quic.icmpError(q, facts),
    sinkFactory: () => new TlsConnectionSink(shared),
    // A connection that never carried a byte got no sink while it was live; its record needs one.
    onConnection: (c) => context.tcpEnded(c, (c.sink as TlsConnectionSink | undefined) ?? new TlsConnectionSink(shared), tracker.captureTime),
  });
  let blocks = 0;
  // A capture's secrets blocks come before the packets they open (editcap puts them first).
  const onTlsKeyLog = (text: string) => {
    keyLog.begin(`decryption secrets block ${++blocks}`);
    keyLog.add(text);
    keyLog.flush();
  };
  const reading = { tracker, quic, onTlsKeyLog, onProgress: opts.onProgress };
  const parts = opts.stream ? await readLive(file, opts.stream, reading, opts.onFileStart) : await readFiles(file, opts.rotation ?? [], reading, opts.onFileStart);
  tracker.finish();
  quic.finish();
  context.finish();
  // TCP connections first, then QUIC ones: each numbered from 0.
  records.sort((a, b) => (a.transport === 'quic' ? 1 : 0) - (b.transport === 'quic' ? 1 : 0) || a.id - b.id);
  const read = parts[0].read;
  const warnings = captureWarnings(read, tracker.stats, context.offload);
  for (const p of keyLog.problems) if (p.source.startsWith('decryption secrets block')) warnings.push(`${p.source}, line ${p.line}: ${p.message}${p.secretKept ? '' : '; the line was skipped'}`);
  const decryption = keyLog.sessionCount > 0 || keyLog.badLines > 0 ? { sessions: keyLog.sessionCount, ...context.decryption } : undefined;
  return { file, read, parts, stats: tracker.stats, connections: records, quicConnections: quic.count, otherConnections: context.otherConnections, warnings, error: read.error, ...(decryption ? { decryption } : {}) };
}

/** What reading a capture feeds: the TCP tracker, the QUIC table, and the key log's secrets blocks. */
interface Reading {
  tracker: TcpTracker;
  quic: QuicTable;
  onTlsKeyLog: (text: string) => void;
  onProgress?: (bytesRead: number, fileSize: number) => void;
}

/**
 * A capture read from a stream, taken to be live: when no packet comes for a while, its clock
 * moves on with the wall clock, so connections that ended are reported without waiting for the
 * next packet.
 */
async function readLive(file: string, stream: Readable, g: Reading, onFileStart: AnalyzeOptions['onFileStart']): Promise<CapturePart[]> {
  onFileStart?.(file, undefined);
  let lastPacket = 0;
  let lastWall = Date.now();
  const onPacket = (p: RawPacket) => {
    g.tracker.packet(p);
    lastPacket = g.tracker.captureTime;
    lastWall = Date.now();
  };
  const tick = setInterval(() => {
    if (lastPacket === 0) return;
    const now = lastPacket + (Date.now() - lastWall) / 1000;
    g.tracker.advance(now);
    g.quic.advance(now);
  }, LIVE_TICK_MS);
  try {
    const read = await readCaptureStream(file, stream, onPacket, { onProgress: g.onProgress, onTlsKeyLog: g.onTlsKeyLog });
    return [{ file, read, frameBase: 0 }];
  } finally {
    clearInterval(tick);
  }
}

/** A capture file and the files of its rotation that continue it, read as one through one tracker. */
async function readFiles(file: string, rotation: string[], g: Reading, onFileStart: AnalyzeOptions['onFileStart']): Promise<CapturePart[]> {
  let frameBase = 0;
  const onPacket = (p: RawPacket) => {
    p.index += frameBase;
    g.tracker.packet(p);
  };
  const options = { onProgress: g.onProgress, onTlsKeyLog: g.onTlsKeyLog };
  onFileStart?.(file, undefined);
  const parts: CapturePart[] = [{ file, read: await readCaptureFile(file, onPacket, options), frameBase }];
  for (const next of rotation) {
    const last = g.tracker.captureTime;
    const first = await firstPacketTime(next);
    if (first === undefined || first < last || first - last > ROTATION_GAP) break;
    frameBase += parts[parts.length - 1].read.packets;
    onFileStart?.(next, first);
    const read = await readCaptureFile(next, onPacket, options);
    parts.push({ file: next, read, frameBase, gap: first - last });
  }
  return parts;
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
