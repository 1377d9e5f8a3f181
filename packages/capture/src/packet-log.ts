// The packets of a connection the diagnosis reads: its first ones, its SYN and the SYN-ACK it
// follows, its first RSTs and FINs, with the TCP options of each.
import type { Live } from './connection-table.js';
import { LOG_WORDS, type ConnectionRows } from './connection-rows.js';
import type { DecodedPacket } from './decoded-packet.js';
import { appended, NONE } from './lists.js';
import { PacketSlab } from './packet-slab.js';
import { readTcpOptions, TcpFlag } from './tcp-options.js';
import type { Dir, PacketFacts } from './tcp-types.js';

const MAX_PACKETS_LOGGED = 10;
const MAX_RSTS = 16;
const MAX_FINS = 4;
const MAX_SYN_ACKS = 4;

const SYN_ACK = TcpFlag.SYN | TcpFlag.ACK;

// The log's numbers in a connection's row: how many first packets are written; where the SYN and
// the SYN-ACK it follows are logged (-1: none); the RSTs and FINs logged; SYNs, SYN-ACKs and
// RSTs seen.
const LOGGED = LOG_WORDS;
const SYN_AT = LOG_WORDS + 1;
const SYN_ACK_AT = LOG_WORDS + 2;
const RSTS_LOGGED = LOG_WORDS + 3;
const FINS_LOGGED = LOG_WORDS + 4;
const SYN_COUNT = LOG_WORDS + 5;
const SYN_ACK_COUNT = LOG_WORDS + 6;
const RST_COUNT = LOG_WORDS + 7;
const NO_OPTIONS: { mss?: number; sack?: number[] } = {};

/** A connection's logged packets as objects, when it is handed on. */
export interface LoggedPackets {
  packets: PacketFacts[];
  syn: PacketFacts | undefined;
  synAck: PacketFacts | undefined;
  rsts: PacketFacts[];
  fins: PacketFacts[];
}

/**
 * Which packets of a connection are logged and where: the first ten in a row of the packet slab
 * (no object per packet while the connection lives), the SYNs, SYN-ACKs, RSTs and FINs the
 * record lists after them as objects; which logged packet is the SYN and which SYN-ACK the
 * connection follows; the counts of SYNs, SYN-ACKs and RSTs.
 */
export class PacketLog {
  private readonly slab = new PacketSlab(MAX_PACKETS_LOGGED);

  constructor(private readonly rows: ConnectionRows) {}

  /** A new connection's row: nothing logged. */
  open(row: number): void {
    const w = this.rows.words(row);
    this.rows.i32[w + SYN_AT] = -1;
    this.rows.i32[w + SYN_ACK_AT] = -1;
  }

  /** Whether a packet with these flags is logged, or counted among the SYNs and RSTs. */
  wants(l: Live, flags: number): boolean {
    return this.rows.i32[this.rows.words(l.row) + LOGGED] < MAX_PACKETS_LOGGED || (flags & (TcpFlag.SYN | TcpFlag.RST | TcpFlag.FIN)) !== 0;
  }

  /**
   * Logs a packet if it is among the first or a listed SYN, SYN-ACK, RST or FIN; notes which
   * logged packet is the SYN and the SYN-ACKs; counts SYNs, SYN-ACKs and RSTs.
   */
  log(l: Live, frame: number, time: number, dir: Dir, d: DecodedPacket): void {
    const flags = d.flags;
    const w = this.rows.words(l.row);
    const i32 = this.rows.i32;
    const first = i32[w + LOGGED] < MAX_PACKETS_LOGGED;
    const synAckNew = (flags & SYN_ACK) === SYN_ACK && l.synAcks.length < MAX_SYN_ACKS && !l.synAcks.some((k) => this.seqOf(l, k) === d.seq);
    const listed =
      (flags & TcpFlag.SYN && (flags & TcpFlag.ACK ? i32[w + SYN_ACK_AT] < 0 || synAckNew : i32[w + SYN_AT] < 0)) ||
      (flags & TcpFlag.RST && i32[w + RSTS_LOGGED] < MAX_RSTS) ||
      (flags & TcpFlag.FIN && i32[w + FINS_LOGGED] < MAX_FINS);
    // Where the packet is logged: its place among the first packets, or after them; -1 if it is not.
    const at = first || listed ? this.write(l, first, frame, time, dir, d) : -1;
    if (flags & TcpFlag.SYN) {
      if (flags & TcpFlag.ACK) {
        i32[w + SYN_ACK_COUNT]++;
        if (i32[w + SYN_ACK_AT] < 0) i32[w + SYN_ACK_AT] = at;
        if (synAckNew) l.synAcks = appended(l.synAcks, at);
      } else {
        i32[w + SYN_COUNT]++;
        if (i32[w + SYN_AT] < 0) i32[w + SYN_AT] = at;
      }
    }
    if (flags & TcpFlag.RST) {
      i32[w + RST_COUNT]++;
      if (at >= 0 && i32[w + RSTS_LOGGED] < MAX_RSTS) i32[w + RSTS_LOGGED]++;
    }
    if (flags & TcpFlag.FIN && at >= 0 && i32[w + FINS_LOGGED] < MAX_FINS) i32[w + FINS_LOGGED]++;
  }

  /** Writes a logged packet, with the options a diagnosis may read (a SYN's MSS, an ACK's SACK blocks); its place. */
  private write(l: Live, first: boolean, frame: number, time: number, dir: Dir, d: DecodedPacket): number {
    const o = d.payloadStart - d.tcpStart > 20 ? readTcpOptions(d.buf, d.tcpStart + 20, d.payloadStart) : NO_OPTIONS;
    if (first) {
      const at = this.rows.i32[this.rows.words(l.row) + LOGGED]++;
      this.slab.write(l.row, at, frame, time, dir, d.flags, d.seq, d.ack, d.payloadLength, d.ttl, d.ipId, d.window, o.mss);
      if (o.sack) l.sacks = withItemAt(l.sacks, at, o.sack);
      return at;
    }
    const at = MAX_PACKETS_LOGGED + l.later.length;
    const p = { frame, time, dir, flags: d.flags, seq: d.seq, ack: d.ack, len: d.payloadLength, ttl: d.ttl, ipId: d.ipId, window: d.window, mss: o.mss, sack: o.sack };
    l.later = appended(l.later, p);
    return at;
  }

  /** The counts of SYNs, SYN-ACKs and RSTs the connection sent, for the connection handed on. */
  synCount(l: Live): number {
    return this.rows.i32[this.rows.words(l.row) + SYN_COUNT];
  }

  synAckCount(l: Live): number {
    return this.rows.i32[this.rows.words(l.row) + SYN_ACK_COUNT];
  }

  rstCount(l: Live): number {
    return this.rows.i32[this.rows.words(l.row) + RST_COUNT];
  }

  /** Whether a SYN with this sequence number repeats the connection's SYN. */
  repeatsSyn(l: Live, seq: number): boolean {
    const synAt = this.rows.i32[this.rows.words(l.row) + SYN_AT];
    return synAt >= 0 && this.seqOf(l, synAt) === seq;
  }

  hasSyn(l: Live): boolean {
    return this.rows.i32[this.rows.words(l.row) + SYN_AT] >= 0;
  }

  hasSynAck(l: Live): boolean {
    return this.rows.i32[this.rows.words(l.row) + SYN_ACK_AT] >= 0;
  }

  /** Whether the connection has seen SYN-ACKs with different initial sequence numbers, none chosen yet. */
  synAcksDisagree(l: Live): boolean {
    return l.synAcks.length > 1;
  }

  /**
   * Two SYN-ACKs that disagree: the client's acknowledgement says which one the server sent.
   * True when `ack` acknowledges one of them, which the connection then follows.
   */
  followAcknowledgedSynAck(l: Live, ack: number): boolean {
    const chosen = l.synAcks.find((k) => ((this.seqOf(l, k) + 1) >>> 0) === ack);
    if (chosen === undefined) return false;
    this.rows.i32[this.rows.words(l.row) + SYN_ACK_AT] = chosen;
    l.synAcks = NONE;
    return true;
  }

  /** The sequence number of a logged packet (its place as in SYN_AT). */
  private seqOf(l: Live, k: number): number {
    return k < MAX_PACKETS_LOGGED ? this.slab.seq(l.row, k) : l.later[k - MAX_PACKETS_LOGGED].seq;
  }

  /**
   * The connection's logged packets as objects: the first ten in order, the SYN and SYN-ACK it
   * was taken to follow, its first RSTs and FINs (one object for a packet in several lists). Its
   * lists are dropped.
   */
  handOn(l: Live): LoggedPackets {
    const w = this.rows.words(l.row);
    const logged = this.rows.i32[w + LOGGED];
    const packets = new Array<PacketFacts>(logged);
    for (let i = 0; i < logged; i++) packets[i] = this.slab.facts(l.row, i, l.sacks[i]);
    const all = l.later.length === 0 ? packets : packets.concat(l.later);
    let rsts: PacketFacts[] = NONE;
    let fins: PacketFacts[] = NONE;
    for (const p of all) {
      if (p.flags & TcpFlag.RST && rsts.length < MAX_RSTS) rsts = appended(rsts, p);
      if (p.flags & TcpFlag.FIN && fins.length < MAX_FINS) fins = appended(fins, p);
    }
    const synAt = this.rows.i32[w + SYN_AT];
    const synAckAt = this.rows.i32[w + SYN_ACK_AT];
    l.later = l.sacks = NONE;
    l.synAcks = NONE;
    // A new object, not one reused: the log lives long, and what an old object points to outlives
    // the next young-generation collection.
    return { packets, syn: synAt >= 0 ? all[synAt] : undefined, synAck: synAckAt >= 0 ? all[synAckAt] : undefined, rsts, fins };
  }
}

/** The list with `item` at index `i` (a copy of the shared empty list grows to it). */
function withItemAt<T>(list: (T | undefined)[], i: number, item: T): (T | undefined)[] {
  const out = list === NONE ? new Array<T | undefined>(i + 1).fill(undefined) : list;
  while (out.length <= i) out.push(undefined);
  out[i] = item;
  return out;
}
