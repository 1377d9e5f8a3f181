import { addrKey, formatAddr } from './addresses.js';
import { ConnectionTable, tupleHash, type Live } from './connection-table.js';
import { decodePacket } from './decode.js';
import { newDecodedPacket, type DecodeResult } from './decoded-packet.js';
import { appended, NONE } from './lists.js';
import { PacketLog } from './packet-log.js';
import type { RawPacket } from './packet.js';
import { newDirState, Reassembler } from './reassembler.js';
import { TcpFlag } from './tcp-options.js';

export type { ConnectionEnd, Dir, DirectionStats, Endpoint, IcmpFacts, PacketFacts, StreamSink, TcpConnection, TrackerOptions, TrackerStats } from './tcp-types.js';
import type { ConnectionEnd, Dir, DirectionStats, PacketFacts, TcpConnection, TrackerOptions, TrackerStats } from './tcp-types.js';

const SYN_ACK = TcpFlag.SYN | TcpFlag.ACK;
/** Packets between two sweeps of the table for idle connections. */
const SWEEP_EVERY = 65536;

/**
 * A bidirectional TCP connection table keyed on the 4-tuple, with in-order reassembly per
 * direction through retransmissions, overlaps, reordering and sequence wrap. Memory grows with
 * live connections, bounded by maxLive, and with buffered handshake bytes, bounded by payloadCap.
 *
 * Its parts: the connection table (connection-table.ts: the entries, the live set, the closed
 * ones waiting), the reassembler (reassembler.ts: each direction's bytes to the sink) and the
 * packet log (packet-log.ts: the packets the record lists). The tracker reads each packet, tells
 * the parts what it is, and follows the connection's close.
 */
export class TcpTracker {
  readonly stats: TrackerStats = {
    packets: 0, tcpPackets: 0, udpPackets: 0, nonIp: 0, otherIp: 0, fragments: 0, truncated: 0, icmpUnreachable: 0, icmpUnmatched: 0,
    unknownLinkTypes: new Map(), connections: 0, evicted: 0, peakLive: 0, afterClose: 0,
  };
  private readonly table: ConnectionTable;
  private readonly reassembler: Reassembler;
  private readonly log = new PacketLog();
  private readonly d = newDecodedPacket();
  /** The facts of the packet being read, lent to the sink during its calls. */
  private readonly scratch: PacketFacts = newPacketFacts();
  private lastSweep = 0;
  private now = 0;

  /** The latest packet time seen: when a connection is emitted, the capture has gone on at least this far. */
  get captureTime(): number {
    return this.now;
  }

  constructor(private readonly opts: TrackerOptions) {
    const limits = { maxLive: opts.maxLive ?? 200_000, idle: opts.idleTimeout ?? 300, grace: opts.closeGrace ?? 3 };
    this.table = new ConnectionTable(limits, (l, why) => this.handOn(l, why));
    this.reassembler = new Reassembler(opts.payloadCap ?? 256 * 1024, (l) => this.openSink(l));
  }

  packet(raw: RawPacket): void {
    const st = this.stats;
    st.packets++;
    const r = decodePacket(raw, this.d);
    const time = raw.tsSec + raw.tsNsec / 1e9;
    if (time > this.now) this.now = time;
    if (raw.capLen < raw.origLen) st.truncated++;
    if (r === 'tcp') this.tcpPacket(raw, time);
    else this.otherPacket(r, raw, time);
  }

  private otherPacket(r: DecodeResult, raw: RawPacket, time: number): void {
    const st = this.stats;
    if (r === 'udp') {
      st.udpPackets++;
      this.opts.onDatagram?.(this.d, raw, time);
    } else if (r === 'icmp') this.icmp(raw, time);
    else if (r === 'non-ip') st.nonIp++;
    else if (r === 'fragment') st.fragments++;
    else if (r === 'unknown-link') st.unknownLinkTypes.set(raw.linkType, (st.unknownLinkTypes.get(raw.linkType) ?? 0) + 1);
    else st.otherIp++;
    // Any packet moves the capture's clock on, and may end a closed connection's wait.
    if (this.table.anyClosing) this.table.endWaits(this.now);
  }

  private tcpPacket(raw: RawPacket, time: number): void {
    const st = this.stats;
    const d = this.d;
    st.tcpPackets++;
    if (d.fragment) st.fragments++;
    const sk = addrKey(d.buf, d.srcAddr, d.ipVersion);
    const dk = addrKey(d.buf, d.dstAddr, d.ipVersion);
    const l = this.entryOf(sk, dk, time, raw.index);
    if (!l) return;
    const conn = l.conn;
    const dir: Dir = sk === l.clientKey && d.srcPort === l.clientPort ? 0 : 1;
    l.prevTime = conn.lastTime;
    conn.lastTime = time;
    conn.packetCount++;
    const ds = conn.stats[dir];
    ds.packets++;
    ds.payloadBytes += d.payloadLength;
    if (raw.capLen < raw.origLen) ds.truncated++;
    // A connection's first packets, and the SYNs, RSTs and FINs the record lists, are logged; the
    // sink reads a packet's facts from a reused record during the call and keeps no reference;
    // bulk data after the handshake needs neither: the hot path stays allocation-free.
    if (!this.log.wants(l, d.flags) && !(d.payloadLength > 0 && this.reassembler.wants(l, dir))) {
      if (d.payloadLength > 0) this.reassembler.countOnly(l, dir, d);
      if (l.finDirs !== 0) this.finAcks(l, dir, d.flags);
      if (st.packets - this.lastSweep >= SWEEP_EVERY) this.sweep();
      return;
    }
    this.readClosely(l, dir, raw, time);
  }

  /**
   * The live connection of the packet being read, made if there is none; undefined for a
   * straggler of a connection already closed and handed on.
   */
  private entryOf(sk: string | number, dk: string | number, time: number, frame: number): Live | undefined {
    const d = this.d;
    const hash = tupleHash(sk, d.srcPort, dk, d.dstPort);
    let l = this.table.find(hash, sk, d.srcPort, dk, d.dstPort);
    const syn = (d.flags & SYN_ACK) === TcpFlag.SYN;
    if (l?.retired) {
      if (!syn && this.table.absorbs(l, this.now)) {
        this.stats.afterClose++;
        return undefined;
      }
      // A new SYN on the tuple of a finished connection, or a packet past the grace period:
      // a new connection.
      this.table.forget(l);
      l = undefined;
    }
    if (l && syn && this.synStartsAnew(l, sk)) {
      this.table.end(l, 'reused');
      l = undefined;
    }
    return l ?? this.create(hash, sk, dk, time, frame);
  }

  /**
   * A retransmitted SYN (same sender, same ISN) belongs to its connection. Any other SYN on a
   * tuple that has moved on (closed, data, a SYN-ACK, or begun before the capture) starts a new
   * connection.
   */
  private synStartsAnew(l: Live, sk: string | number): boolean {
    const d = this.d;
    const c = l.conn;
    const fromClient = sk === l.clientKey && d.srcPort === l.clientPort;
    const sameSyn = fromClient && this.log.repeatsSyn(l, d.seq);
    const movedOn = l.closed || c.stats[0].payloadBytes + c.stats[1].payloadBytes > 0 || this.log.hasSynAck(l) || !this.log.hasSyn(l);
    return !sameSyn && movedOn;
  }

  /** A packet to log, or whose bytes a sink wants. */
  private readClosely(l: Live, dir: Dir, raw: RawPacket, time: number): void {
    const d = this.d;
    const flags = d.flags;
    const facts = this.scratch;
    facts.frame = raw.index;
    facts.time = time;
    facts.dir = dir;
    facts.flags = flags;
    facts.seq = d.seq;
    facts.ack = d.ack;
    facts.len = d.payloadLength;
    facts.ttl = d.ttl;
    facts.ipId = d.ipId;
    facts.window = d.window;
    this.log.log(l, raw.index, time, dir, d);
    if (flags & TcpFlag.SYN) this.reassembler.startAt(l, dir, (d.seq + 1) >>> 0);
    if (flags & TcpFlag.RST) this.table.close(l, this.now);
    if (flags & TcpFlag.FIN) this.fin(l, dir);
    if (dir === 0 && this.log.synAcksDisagree(l) && flags & TcpFlag.ACK && l.conn.stats[1].payloadBytes === 0 && this.log.followAcknowledgedSynAck(l, d.ack)) {
      this.reassembler.startAt(l, 1, d.ack);
    }
    if (d.payloadLength > 0 && !(flags & TcpFlag.RST)) this.reassembler.segment(l, dir, d, facts, raw.capLen < raw.origLen, flags & TcpFlag.SYN ? 1 : 0);
    if (l.finDirs !== 0) this.finAcks(l, dir, flags);
    if (this.table.size > this.stats.peakLive) this.stats.peakLive = this.table.size;
    if (this.table.anyClosing) this.table.endWaits(this.now);
    if (this.stats.packets - this.lastSweep >= SWEEP_EVERY) this.sweep();
  }

  private fin(l: Live, dir: Dir): void {
    const d = this.d;
    l.finDirs |= 1 << dir;
    if (dir === 0) l.finEnd0 = (d.seq + d.payloadLength + 1) >>> 0;
    else l.finEnd1 = (d.seq + d.payloadLength + 1) >>> 0;
    if (l.finDirs === 3) this.table.close(l, this.now);
  }

  /**
   * Notes the acknowledgement of the other side's FIN. Once both FINs are sent and acknowledged
   * with no RST, nothing later can change what the connection was: it is handed on now rather
   * than held for the grace period.
   */
  private finAcks(l: Live, dir: Dir, flags: number): void {
    const other = dir ^ 1;
    if (flags & TcpFlag.ACK && l.finDirs & (1 << other) && ((this.d.ack - (other === 0 ? l.finEnd0 : l.finEnd1)) | 0) >= 0) l.finAcked |= 1 << other;
    if (l.finAcked === 3 && l.conn.rstCount === 0) this.table.retire(l, this.now);
  }

  /**
   * Moves the capture's clock on to `time` without a packet, and hands on the connections whose
   * wait is over (closed ones past the grace period, idle ones): a capture read while it is
   * being made has quiet moments, and what ended before one should not wait for the next packet.
   */
  advance(time: number): void {
    if (time > this.now) this.now = time;
    this.sweep();
  }

  /** Emits every live connection; call at the end of the capture. */
  finish(): void {
    this.table.endAll();
  }

  private sweep(): void {
    this.lastSweep = this.stats.packets;
    this.table.sweep(this.now);
  }

  private create(hash: number, srcKey: string | number, dstKey: string | number, time: number, frame: number): Live {
    const d = this.d;
    const b = d.buf;
    const v = d.ipVersion;
    const synOnly = (d.flags & SYN_ACK) === TcpFlag.SYN;
    const synAck = (d.flags & SYN_ACK) === SYN_ACK;
    // Without a SYN, the side on the lower (service) port is taken as the server.
    const srcIsClient = synOnly || (!synAck && d.srcPort > d.dstPort) || (!synAck && d.srcPort === d.dstPort);
    const src = { ip: formatAddr(b, d.srcAddr, v), port: d.srcPort };
    const dst = { ip: formatAddr(b, d.dstAddr, v), port: d.dstPort };
    const conn: TcpConnection = {
      id: this.stats.connections++,
      ipVersion: v,
      client: srcIsClient ? src : dst,
      server: srcIsClient ? dst : src,
      roles: synOnly ? 'syn' : synAck ? 'syn-ack' : 'port',
      startCaptured: synOnly,
      firstTime: time,
      lastTime: time,
      // Optional fields are present from the start: one object shape for every connection.
      syn: undefined,
      synCount: 0,
      synAck: undefined,
      synAckCount: 0,
      rsts: NONE,
      rstCount: 0,
      fins: NONE,
      packets: NONE,
      packetCount: 0,
      icmp: NONE,
      stats: [newStats(), newStats()],
      endedBy: 'eof',
      sink: undefined,
    };
    const l: Live = {
      conn,
      a: srcKey,
      pa: d.srcPort,
      b: dstKey,
      pb: d.dstPort,
      hash,
      next: undefined,
      clientKey: srcIsClient ? srcKey : dstKey,
      clientPort: srcIsClient ? d.srcPort : d.dstPort,
      dirs: [newDirState(), newDirState()],
      closed: false,
      closingAt: -1,
      prevTime: time,
      finDirs: 0,
      finAcked: 0,
      finEnd0: 0,
      finEnd1: 0,
      retired: false,
      retiredAt: 0,
      row: this.log.takeRow(),
      firstPackets: 0,
      later: NONE,
      sacks: NONE,
      synAt: -1,
      synAckAt: -1,
      synAcks: NONE,
      rstsLogged: 0,
      finsLogged: 0,
    };
    if (!this.opts.sinkFactory) this.reassembler.stop(l);
    if (this.table.full) {
      this.stats.evicted++;
      this.table.evictOldest();
    }
    this.table.add(l);
    return l;
  }

  /** Gives a connection its sink at its first payload byte; without one its bytes are only counted. */
  private openSink(l: Live): void {
    const sink = this.opts.sinkFactory?.(l.conn);
    l.conn.sink = sink;
    if (!sink) this.reassembler.stop(l);
  }

  private icmp(raw: RawPacket, time: number): void {
    const d = this.d;
    const q = d.icmp;
    if (!q) return;
    this.stats.icmpUnreachable++;
    if (q.protocol === 17) {
      if (this.opts.onDatagramUnreachable) this.opts.onDatagramUnreachable(q, { frame: raw.index, time, type: q.type, code: q.code, from: formatAddr(d.buf, d.srcAddr, d.ipVersion), ttl: d.ttl });
      else this.stats.icmpUnmatched++;
      return;
    }
    const b = q.buf;
    const sk = addrKey(b, q.srcAddr, q.ipVersion);
    const dk = addrKey(b, q.dstAddr, q.ipVersion);
    const l = this.table.find(tupleHash(sk, q.srcPort, dk, q.dstPort), sk, q.srcPort, dk, q.dstPort);
    if (!l || l.retired) {
      this.stats.icmpUnmatched++;
      return;
    }
    l.conn.icmp = appended(l.conn.icmp, { frame: raw.index, time, type: q.type, code: q.code, from: formatAddr(d.buf, d.srcAddr, d.ipVersion), ttl: d.ttl });
    l.conn.lastTime = time;
  }

  /**
   * Hands a connection on, as the table says; what the table keeps of it (the closing queue
   * for a while, a retired entry for the grace period) must not keep the connection (its record,
   * its packets) alive, or every young-generation collection in that while copies them to the
   * old generation, to be freed only by a full collection.
   */
  private handOn(l: Live, why: ConnectionEnd): void {
    this.reassembler.flush(l);
    this.opts.onConnection(this.handedOn(l, why));
    l.conn = RETIRED;
  }

  /**
   * The connection as it is handed on, with its packets as objects (see PacketLog.handOn).
   *
   * A new object, not the live one completed: the live one has usually lived long enough to be
   * in the old generation, and new objects stored into an old one stay alive through the next
   * young-generation collection however soon the old one dies, so they are copied out of the
   * young generation, to be freed only by a full collection.
   */
  private handedOn(l: Live, endedBy: ConnectionEnd): TcpConnection {
    const c = l.conn;
    const p = this.log.handOn(l);
    // The fields in the order create() sets them: one object shape.
    return {
      id: c.id,
      ipVersion: c.ipVersion,
      client: c.client,
      server: c.server,
      roles: c.roles,
      startCaptured: c.startCaptured,
      firstTime: c.firstTime,
      lastTime: c.lastTime,
      syn: p.syn,
      synCount: c.synCount,
      synAck: p.synAck,
      synAckCount: c.synAckCount,
      rsts: p.rsts,
      rstCount: c.rstCount,
      fins: p.fins,
      packets: p.packets,
      packetCount: c.packetCount,
      icmp: c.icmp,
      stats: c.stats,
      endedBy,
      sink: c.sink,
    };
  }
}

function newPacketFacts(): PacketFacts {
  return { frame: 0, time: 0, dir: 0, flags: 0, seq: 0, ack: 0, len: 0, ttl: 0, ipId: 0, window: 0, mss: undefined, sack: undefined };
}

function newStats(): DirectionStats {
  return { packets: 0, payloadBytes: 0, delivered: 0, retransmissions: 0, outOfOrder: 0, gaps: 0, truncated: 0 };
}

/** What a retired entry points to instead of its connection, which it must not keep alive. */
const RETIRED: TcpConnection = {
  id: -1, ipVersion: 4, client: { ip: '', port: 0 }, server: { ip: '', port: 0 }, roles: 'port', startCaptured: false,
  firstTime: 0, lastTime: 0, syn: undefined, synCount: 0, synAck: undefined, synAckCount: 0,
  rsts: NONE, rstCount: 0, fins: NONE, packets: NONE, packetCount: 0, icmp: NONE, stats: [newStats(), newStats()], endedBy: 'closed', sink: undefined,
};
