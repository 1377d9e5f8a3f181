import type { TcpConnection } from '@tlsdoctor/capture';
import { helloSegments, unansweredSplitHello, wireSegments } from './hello-segments.js';
import { decryptionMissWords } from './decryption-words.js';
import type { ConnectionRecord, DecryptionMiss, QuicRecord, TcpRecord } from './record.js';
import type { TlsConnectionSink } from './tls-sink.js';

/**
 * Entries of each kind that wait for the end of the capture, at most; past it a connection is
 * handed on at once. Each kind has its own bound, so that many connections waiting for their
 * port cannot crowd out the records waiting for other connections, nor the other way round.
 */
export const MAX_WAITING = 10_000;

/** A record handed on, with how far the capture had gone then (what "no answer yet" is measured against). */
export type OnRecord = (r: ConnectionRecord, captureEnd: number, context: CaptureContext) => void;

/** A connection whose TLS-ness depends on the ports other connections show: it waits for the end of the capture. */
interface WaitingForPorts {
  c: TcpConnection;
  sink: TlsConnectionSink;
  captureTime: number;
}

/** A one-segment ClientHello a server answered. */
export interface OneSegmentAnswer {
  id: number;
  frame: number;
  bytes: number;
  /** Its SNI ('' for none). */
  name: string;
}

/** What the capture showed of one server so far. */
interface ServerHistory {
  /** The first TCP connection to it that got a ServerHello. */
  tcpServerHello: { id: number; frame: number };
  /** The first one-segment ClientHello it answered, whatever its name. */
  oneSegment: OneSegmentAnswer | undefined;
  /**
   * The first for each name, once a second name has one: most servers are only ever asked for
   * one name, and a map for each of them was an eighth of what the history kept.
   */
  byName: Map<string, OneSegmentAnswer> | undefined;
}

/** Frames a sending host's capture holds before segmentation offload cut them (seen in the logged packets). */
export interface Offload {
  connections: number;
  first?: { frame: number; len: number; mss: number };
}

/**
 * What a capture shows across its connections, and the one place records go through on their
 * way out: the ports that carry TLS (learned as connections show it), what each server answered
 * (a split ClientHello refused where one-segment ones pass; a QUIC Initial unanswered where TCP
 * works), the decryption and offload counts; and the two bounded lists of connections whose verdict
 * needs the whole capture, handed on at its end. Owned by whoever reads one capture.
 */
export class CaptureContext {
  readonly tlsPorts: Set<number>;
  /** When secrets are at hand: the connections whose handshake a key log can open, and what it did. */
  readonly decryption: DecryptionSummary = { connections: 0, decrypted: 0, unopened: 0, notOpened: [] };
  readonly offload: Offload = { connections: 0 };
  /** TCP connections that were not TLS (counted only). */
  otherConnections = 0;
  /** By server (address and port): one entry each, so that a connection costs one lookup in a large table. */
  private readonly servers = new Map<string, ServerHistory>();
  /** What waits for the end of the capture: connections whose TLS-ness depends on ports, records whose verdict depends on others. */
  private waitingForPorts: WaitingForPorts[] = [];
  private waitingForOthers: ConnectionRecord[] = [];
  /** How far the capture had gone at the latest hand-over: the end, for what waited for it. */
  private latest = 0;

  constructor(tlsPorts: Iterable<number>, private readonly onRecord: OnRecord) {
    this.tlsPorts = new Set(tlsPorts);
  }

  /**
   * A TCP connection is over. One with no TLS of its own (no bytes, or only a server's non-TLS
   * bytes) counts when its port carries TLS elsewhere in the capture; if that port is not known
   * yet, it waits for the end of the capture, holding only its record and TCP facts, so the
   * verdict does not depend on which connection came first.
   */
  tcpEnded(c: TcpConnection, sink: TlsConnectionSink, captureTime: number): void {
    sink.finishStreams();
    if (!this.tlsPorts.has(c.server.port) && this.waitingForPorts.length < MAX_WAITING && sink.dependsOnPorts(c)) {
      this.waitingForPorts.push({ c, sink, captureTime });
      return;
    }
    this.concludeTcp(c, sink, captureTime);
  }

  /** A QUIC connection is over. */
  quicEnded(r: QuicRecord, captureTime: number): void {
    this.concluded(r, captureTime);
  }

  /** The end of the capture: what waited is handed on, connections that waited for ports first. */
  finish(): void {
    const forPorts = this.waitingForPorts;
    this.waitingForPorts = [];
    // A record that needs the rest of the capture joins the others' queue as it concludes.
    for (const w of forPorts) this.concludeTcp(w.c, w.sink, w.captureTime);
    const forOthers = this.waitingForOthers;
    this.waitingForOthers = [];
    for (const r of forOthers) this.onRecord(r, this.latest, this);
  }

  private concludeTcp(c: TcpConnection, sink: TlsConnectionSink, captureTime: number): void {
    const r = sink.toRecord(c, this.tlsPorts);
    if (!r) {
      this.otherConnections++;
      return;
    }
    if (r.tlsEvidence !== 'tls-port') this.tlsPorts.add(r.server.port);
    this.noteOffload(r);
    this.concluded(r, captureTime);
  }

  /** The capture time at hand-over is how far the capture had gone on when the connection ended. */
  private concluded(r: ConnectionRecord, captureTime: number): void {
    if (captureTime > this.latest) this.latest = captureTime;
    this.countDecryption(r);
    this.note(r);
    if (this.dependsOnOthers(r) && this.waitingForOthers.length < MAX_WAITING) this.waitingForOthers.push(r);
    else this.onRecord(r, captureTime, this);
  }

  /**
   * Whether what other connections of the capture show may change this one's verdict: a
   * ClientHello over several segments, or one cut short after its first segment, that got no TLS
   * answer; a QUIC Initial that got none.
   */
  dependsOnOthers(r: ConnectionRecord): boolean {
    return r.transport === 'quic' ? r.quic.datagrams[1] === 0 : unansweredSplitHello(r);
  }

  /** What a TCP connection that got a ServerHello shows of its server. */
  note(r: ConnectionRecord): void {
    if (r.transport !== 'tcp' || !r.serverHello || !r.clientHello) return;
    const key = serverKey(r);
    let s = this.servers.get(key);
    if (!s) {
      s = { tcpServerHello: { id: r.id, frame: r.serverHello.frame }, oneSegment: undefined, byName: undefined };
      this.servers.set(key, s);
    }
    // Every connection of a capture passes here: the segments are looked at only when there is
    // something to learn (no one-segment hello of this server, or none with this name).
    const name = r.sni ?? '';
    if (answerFor(s, name)) return;
    const segs = helloSegments(r);
    if (segs.length !== 1 || wireSegments(r, segs).count !== 1) return;
    const seen = { id: r.id, frame: r.serverHello.frame, bytes: segs[0].len, name };
    if (!s.oneSegment) s.oneSegment = seen;
    else (s.byName ??= new Map([[s.oneSegment.name, s.oneSegment]])).set(name, seen);
  }

  /** A TCP connection to the same address and port number that got a ServerHello: is TLS over TCP fine where QUIC got no answer? */
  tcpAnswered(r: QuicRecord): { id: number; frame: number } | undefined {
    return this.servers.get(serverKey(r))?.tcpServerHello;
  }

  /**
   * A one-segment hello answered by the same server, with the same name when this hello's name
   * is known: a filter on the name (another name on a shared address) must not pass for a
   * device that reads one segment. A hello cut before its name can only be compared by server.
   */
  answeredInOneSegment(r: TcpRecord): OneSegmentAnswer | undefined {
    const s = this.servers.get(serverKey(r));
    if (!s) return undefined;
    return r.clientHello ? answerFor(s, r.sni ?? '') : s.oneSegment;
  }

  private countDecryption(r: ConnectionRecord): void {
    const d = r.decryption;
    if (!d) return;
    const sum = this.decryption;
    sum.connections++;
    if (d.opened[0] + d.opened[1] === 0 && d.secrets) sum.unopened++;
    if (!d.notOpened) {
      sum.decrypted++;
      return;
    }
    const reason = decryptionMissWords(d.notOpened, r.transport);
    const entry = sum.notOpened.find((e) => e.why === d.notOpened!.why && e.reason === reason);
    if (entry) entry.connections++;
    else if (sum.notOpened.length < MAX_MISS_REASONS) sum.notOpened.push({ why: d.notOpened.why, reason, connections: 1, first: `${r.transport === 'quic' ? 'q' : ''}${r.id}` });
  }

  private noteOffload(r: TcpRecord): void {
    // Each side sends segments no larger than the MSS the other side's SYN announced.
    const mss = [r.tcp.synAck?.mss, r.tcp.syn?.mss];
    const big = r.tcp.packets.find((p) => p.len > 0 && mss[p.dir] !== undefined && p.len > mss[p.dir]!);
    if (!big) return;
    this.offload.connections++;
    this.offload.first ??= { frame: big.frame, len: big.len, mss: mss[big.dir]! };
  }
}

/** Distinct reasons kept in a file's summary: beyond them, connections are still counted in `connections`. */
const MAX_MISS_REASONS = 16;

/**
 * What a key log did for a capture's connections that had protected handshake records while it
 * was at hand (TCP and QUIC): how many it opened in full, and why each other one was not.
 */
export interface DecryptionSummary {
  connections: number;
  decrypted: number;
  /** Of those not opened, the ones whose secrets it held but which opened no record at all. */
  unopened: number;
  /** Why the others were not, one entry per reason, with the connections it held for and the first of them (`q` before a QUIC one's number). */
  notOpened: { why: DecryptionMiss['why']; reason: string; connections: number; first: string }[];
}

const serverKey = (r: ConnectionRecord) => `${r.server.ip}|${r.server.port}`;

/** The first one-segment hello with this name that the server answered. */
function answerFor(s: ServerHistory, name: string): OneSegmentAnswer | undefined {
  if (s.byName) return s.byName.get(name);
  return s.oneSegment?.name === name ? s.oneSegment : undefined;
}
