import { readCaptureFile, TcpTracker, type CaptureError, type ReadResult, type TcpConnection, type TrackerStats } from '@tlsdoctor/capture';
import type { ConnectionRecord } from './record.js';
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
}

export interface CaptureAnalysis {
  file: string;
  read: ReadResult;
  stats: TrackerStats;
  /** Every TCP connection that carried or tried to carry TLS, in order of first packet. */
  connections: ConnectionRecord[];
  /** TCP connections that were not TLS (counted only). */
  otherConnections: number;
  warnings: string[];
  error?: CaptureError;
}

export const DEFAULT_TLS_PORTS = [443, 8443];

/** Byte-less connections to ports of unknown use kept until the end of the capture, at most. */
const MAX_SILENT = 10_000;

/**
 * Reads a capture and builds a ConnectionRecord for each TLS connection. Errors in the file end
 * the reading, but every connection read before them is still analysed and returned.
 */
export async function analyzeCapture(file: string, opts: AnalyzeOptions = {}): Promise<CaptureAnalysis> {
  const tlsPorts = new Set(opts.tlsPorts ?? DEFAULT_TLS_PORTS);
  const sinks = new Map<TcpConnection, TlsConnectionSink>();
  const records: ConnectionRecord[] = [];
  // Connections without bytes wait until the end: the capture may yet show TLS on their port.
  // They hold no payload, only their TCP facts.
  const silent: [TcpConnection, TlsConnectionSink][] = [];
  let other = 0;
  // The capture time at hand-over is how far the capture had gone on when the connection
  // ended, which is what the rules need to tell "no answer" from "capture stopped".
  const keep = opts.onRecord ? (r: ConnectionRecord) => opts.onRecord!(r, tracker.captureTime) : (r: ConnectionRecord) => records.push(r);
  const tracker = new TcpTracker({
    maxLive: opts.maxLive,
    sinkFactory: (c) => {
      const s = new TlsConnectionSink();
      sinks.set(c, s);
      return s;
    },
    onConnection: (c) => {
      const sink = sinks.get(c) as TlsConnectionSink;
      sinks.delete(c);
      // A connection without bytes to a port not (yet) known for TLS waits for the end of the
      // capture, which may show TLS on that port; the wait list is bounded.
      if (!sink.sawBytes[0] && !sink.sawBytes[1] && !tlsPorts.has(c.server.port) && silent.length < MAX_SILENT) {
        silent.push([c, sink]);
        return;
      }
      const rec = sink.toRecord(c, tlsPorts);
      if (rec) {
        keep(rec);
        if (rec.tlsEvidence !== 'tls-port') tlsPorts.add(rec.server.port);
      } else other++;
    },
  });
  const read = await readCaptureFile(file, (p) => tracker.packet(p), { onProgress: opts.onProgress });
  tracker.finish();
  for (const [c, sink] of silent) {
    const rec = sink.toRecord(c, tlsPorts);
    if (rec) keep(rec);
    else other++;
  }
  records.sort((a, b) => a.id - b.id);
  const warnings = [...read.warnings];
  for (const [lt, n] of tracker.stats.unknownLinkTypes) warnings.push(`${n} packet(s) with link type ${lt}, which tlsdoctor does not read, were skipped`);
  if (tracker.stats.fragments > 0) warnings.push(`${tracker.stats.fragments} IP fragment(s) were counted but not reassembled`);
  if (tracker.stats.evicted > 0) warnings.push(`${tracker.stats.evicted} connection(s) were closed early because more than the live-connection cap were open at once`);
  return { file, read, stats: tracker.stats, connections: records, otherConnections: other, warnings, error: read.error };
}
