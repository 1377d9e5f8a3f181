import { addrKey, formatAddr, formatAddrKey } from './addresses.js';
import { ConnectionRows, TRACKER_DOUBLES, TRACKER_WORDS } from './connection-rows.js';
import { ConnectionSoFar } from './connection-so-far.js';
import { ConnectionTable, tupleHash, type Live } from './connection-table.js';
import { decodePacket } from './decode.js';
import { IpProtocol, newDecodedPacket, type DecodeResult, type IcmpError } from './decoded-packet.js';
import { icmpName } from './icmp.js';
import { appended, NONE } from './lists.js';
import { PacketLog, type LoggedPackets } from './packet-log.js';
import type { RawPacket } from './packet.js';
import { Reassembler } from './reassembler.js';
import { TcpFlag } from './tcp-options.js';

export type { ConnectionEnd, Dir, DirectionStats, Endpoint, IcmpFacts, PacketFacts, StreamSink, TcpConnection, TrackerOptions, TrackerStats } from './tcp-types.js';
import type { ConnectionEnd, Dir, DirectionStats, IcmpFacts, PacketFacts, TcpConnection, TrackerOptions, TrackerStats } from './tcp-types.js';

/** ICMP errors kept per connection. */
const MAX_ICMP = 16;

const SYN_ACK = TcpFlag.SYN | TcpFlag.ACK;
/** Packets between two sweeps of the table for idle connections. */
const SWEEP_EVERY = 65536;

// The tracker's numbers in a connection's row.
const FIRST_TIME = TRACKER_DOUBLES;
const ID = TRACKER_WORDS;
const PACKET_COUNT = TRACKER_WORDS + 1;
/** How client and server were told apart: an index of ROLES. */
const ROLE = TRACKER_WORDS + 2;
/** The directions that sent a FIN (bit 0: client, bit 1: server), and whose FIN was acknowledged. */
const FINS = TRACKER_WORDS + 3;
const FINS_ACKED = TRACKER_WORDS + 4;
/** + dir: the sequence number that acknowledges that direction's FIN. */
const FIN_END = TRACKER_WORDS + 5;

const ROLES = ['syn', 'syn-ack', 'port'] as const;
const BY_SYN = 0;
const BY_SYN_ACK = 1;
const BY_PORT = 2;

/**
 * A bidirectional TCP connection table keyed on the 4-tuple, with in-order reassembly per
 * direction through retransmissions, overlaps, reordering and sequence wrap. Memory grows with
 * live connections, bounded by maxLive, and with buffered handshake bytes, bounded by payloadCap.
 *
 * Its parts: the connection table (connection-table.ts: the entries, the live set, the closed
 * ones waiting), the reassembler (reassembler.ts: each direction's bytes to the sink, its
 * counters) and the packet log (packet-log.ts: the packets the record lists), each keeping its
 * numbers in the connection's row (connection-rows.ts). The tracker reads each packet, tells the
 * parts what it is, follows the connection's close and builds the connection it hands on.
 */
export class TcpTracker {
  readonly stats: TrackerStats = {
    packets: 0, tcpPackets: 0, udpPackets: 0, nonIp: 0, otherIp: 0, fragments: 0, truncated: 0, icmpErrors: 0, icmpUnreachable: 0, icmpUnmatched: 0,
    unknownLinkTypes: new Map(), connections: 0, evicted: 0, peakLive: 0, afterClose: 0,
  };
  private readonly rows = new ConnectionRows();
  private readonly table: ConnectionTable;
  private readonly reassembler: Reassembler;
  private readonly log = new PacketLog(this.rows);
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
    this.table = new ConnectionTable(limits, this.rows, (l, why) => this.handOn(l, why));
    this.reassembler = new Reassembler(this.rows, opts.payloadCap ?? 256 * 1024, (l) => this.openSink(l));
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
    const l = this.entryOf(sk, dk, time);
    if (!l) return;
    // An entry's first side (a, pa) is its client.
    const dir: Dir = sk === l.a && d.srcPort === l.pa ? 0 : 1;
    this.table.touch(l, time);
    this.rows.u32[this.rows.words(l.row) + PACKET_COUNT]++;
    this.reassembler.count(l, dir, d.payloadLength, raw.capLen < raw.origLen);
    // A connection's first packets, and the SYNs, RSTs and FINs the record lists, are logged; the
    // sink reads a packet's facts from a reused record during the call and keeps no reference;
    // bulk data after the handshake needs neither: the hot path stays allocation-free.
    if (!this.log.wants(l, d.flags) && !(d.payloadLength > 0 && this.reassembler.wants(l, dir))) {
      if (d.payloadLength > 0) this.reassembler.countOnly(l, dir, d);
      this.finAcks(l, dir, d.flags);
      if (st.packets - this.lastSweep >= SWEEP_EVERY) this.sweep();
      return;
    }
    this.readClosely(l, dir, raw, time);
  }

  /**
   * The live connection of the packet being read, made if there is none; undefined for a
   * straggler of a connection already closed and handed on.
   */
  private entryOf(sk: string | number, dk: string | number, time: number): Live | undefined {
    const d = this.d;
    const hash = tupleHash(sk, d.srcPort, dk, d.dstPort);
    let l = this.table.find(hash, sk, d.srcPort, dk, d.dstPort);
    const syn = (d.flags & SYN_ACK) === TcpFlag.SYN;
    if (l && this.table.isRetired(l)) {
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
    // The same SYN after the client's reset of a stale connection's ACK: the same attempt goes on.
    if (l && syn && this.table.awaitsSyn(l)) this.table.reopen(l);
    return l ?? this.create(hash, sk, dk, time);
  }

  /**
   * A retransmitted SYN (same sender, same ISN) belongs to its connection. Any other SYN on a
   * tuple that has moved on (closed, data, a SYN-ACK, or begun before the capture) starts a new
   * connection.
   */
  private synStartsAnew(l: Live, sk: string | number): boolean {
    const d = this.d;
    const fromClient = sk === l.a && d.srcPort === l.pa;
    const sameSyn = fromClient && this.log.repeatsSyn(l, d.seq);
    const data = this.reassembler.payloadBytes(l, 0) + this.reassembler.payloadBytes(l, 1) > 0;
    const movedOn = this.table.isClosed(l) || data || this.log.hasSynAck(l) || !this.log.hasSyn(l);
    return !sameSyn && movedOn;
  }

  /**
   * A client's reset before any SYN-ACK or byte: TCP's answer, in SYN-SENT, to an ACK for another
   * connection (RFC 9293 section 3.10.7.3), after which the client sends its SYN again.
   */
  private resetInSynSent(l: Live, dir: Dir): boolean {
    return dir === 0 && this.log.hasSyn(l) && !this.log.hasSynAck(l) && this.reassembler.payloadBytes(l, 0) + this.reassembler.payloadBytes(l, 1) === 0;
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
    if (flags & TcpFlag.RST) this.table.close(l, this.now, this.resetInSynSent(l, dir));
    if (flags & TcpFlag.FIN) this.fin(l, dir);
    if (dir === 0 && this.log.synAcksDisagree(l) && flags & TcpFlag.ACK && this.reassembler.payloadBytes(l, 1) === 0 && this.log.followAcknowledgedSynAck(l, d.ack)) {
      this.reassembler.startAt(l, 1, d.ack);
    }
    if (d.payloadLength > 0 && !(flags & TcpFlag.RST)) this.reassembler.segment(l, dir, d, facts, raw.capLen < raw.origLen, flags & TcpFlag.SYN ? 1 : 0);
    this.finAcks(l, dir, flags);
    if (this.table.size > this.stats.peakLive) this.stats.peakLive = this.table.size;
    if (this.table.anyClosing) this.table.endWaits(this.now);
    if (this.stats.packets - this.lastSweep >= SWEEP_EVERY) this.sweep();
  }

  private fin(l: Live, dir: Dir): void {
    const d = this.d;
    const w = this.rows.words(l.row);
    const u32 = this.rows.u32;
    u32[w + FINS] |= 1 << dir;
    u32[w + FIN_END + dir] = (d.seq + d.payloadLength + 1) >>> 0;
    if (u32[w + FINS] === 3) this.table.close(l, this.now);
  }

  /**
   * Notes the acknowledgement of the other side's FIN. Once both FINs are sent and acknowledged
   * with no RST, nothing later can change what the connection was: it is handed on now rather
   * than held for the grace period.
   */
  private finAcks(l: Live, dir: Dir, flags: number): void {
    const w = this.rows.words(l.row);
    const u32 = this.rows.u32;
    if (u32[w + FINS] === 0) return;
    const other = dir ^ 1;
    if (flags & TcpFlag.ACK && u32[w + FINS] & (1 << other) && ((this.d.ack - u32[w + FIN_END + other]) | 0) >= 0) u32[w + FINS_ACKED] |= 1 << other;
    if (u32[w + FINS_ACKED] === 3 && this.log.rstCount(l) === 0) this.table.retire(l, this.now);
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

  private create(hash: number, srcKey: string | number, dstKey: string | number, time: number): Live {
    const d = this.d;
    const synOnly = (d.flags & SYN_ACK) === TcpFlag.SYN;
    const synAck = (d.flags & SYN_ACK) === SYN_ACK;
    // Without a SYN, the side on the lower (service) port is taken as the server.
    const srcIsClient = synOnly || (!synAck && d.srcPort > d.dstPort) || (!synAck && d.srcPort === d.dstPort);
    const row = this.rows.take();
    // The fields in this order for every entry: one object shape.
    const l: Live = {
      a: srcIsClient ? srcKey : dstKey,
      pa: srcIsClient ? d.srcPort : d.dstPort,
      b: srcIsClient ? dstKey : srcKey,
      pb: srcIsClient ? d.dstPort : d.srcPort,
      hash,
      next: undefined,
      row,
      sink: undefined,
      icmp: NONE,
      later: NONE,
      sacks: NONE,
      synAcks: NONE,
      pending0: NONE,
      pending1: NONE,
    };
    const w = this.rows.words(row);
    this.rows.u32[w + ID] = this.stats.connections++;
    this.rows.u32[w + ROLE] = synOnly ? BY_SYN : synAck ? BY_SYN_ACK : BY_PORT;
    this.rows.f64[this.rows.doubles(row) + FIRST_TIME] = time;
    this.table.open(row, time);
    this.log.open(row);
    this.reassembler.open(row, this.opts.sinkFactory !== undefined);
    if (this.table.full) {
      this.stats.evicted++;
      this.table.evictOldest();
    }
    this.table.add(l);
    return l;
  }

  /**
   * Gives a connection its sink at its first payload byte; without one its bytes are only
   * counted. The factory sees the connection as it is at that moment (see TrackerOptions).
   */
  private openSink(l: Live): void {
    const factory = this.opts.sinkFactory;
    if (factory) {
      const w = this.rows.words(l.row);
      const u32 = this.rows.u32;
      const role = ROLES[u32[w + ROLE]];
      const stats: [DirectionStats, DirectionStats] = [this.reassembler.stats(l, 0), this.reassembler.stats(l, 1)];
      const c = new ConnectionSoFar(u32[w + ID], l.a, l.pa, l.b, l.pb, role, this.rows.f64[this.rows.doubles(l.row) + FIRST_TIME], this.table.lastTime(l), this.log.synCount(l), this.log.synAckCount(l), this.log.rstCount(l), u32[w + PACKET_COUNT], l.icmp, stats);
      l.sink = c.sink = factory(c);
    }
    if (!l.sink) this.reassembler.stop(l);
  }

  /** An ICMP error: tied to the connection (or handed on with the UDP flow) whose packet it quotes. */
  private icmp(raw: RawPacket, time: number): void {
    const d = this.d;
    const q = d.icmp;
    if (!q) return;
    this.stats.icmpErrors++;
    if (q.kind === 'unreachable') this.stats.icmpUnreachable++;
    if (q.protocol === IpProtocol.UDP) {
      if (this.opts.onDatagramIcmp) this.opts.onDatagramIcmp(q, this.icmpFacts(q, raw, time));
      else this.stats.icmpUnmatched++;
      return;
    }
    const b = q.buf;
    const sk = addrKey(b, q.srcAddr, q.ipVersion);
    const dk = addrKey(b, q.dstAddr, q.ipVersion);
    const l = this.table.find(tupleHash(sk, q.srcPort, dk, q.dstPort), sk, q.srcPort, dk, q.dstPort);
    if (!l || this.table.isRetired(l)) {
      this.stats.icmpUnmatched++;
      return;
    }
    // Bounded as a connection's RSTs are: a flood of ICMP quoting one connection adds nothing after the first few.
    if (l.icmp.length < MAX_ICMP) l.icmp = appended(l.icmp, this.icmpFacts(q, raw, time));
    this.table.setLastTime(l, time);
  }

  private icmpFacts(q: IcmpError, raw: RawPacket, time: number): IcmpFacts {
    const d = this.d;
    return {
      frame: raw.index, time, type: q.type, code: q.code, from: formatAddr(d.buf, d.srcAddr, d.ipVersion), ttl: d.ttl,
      kind: q.kind, name: icmpName(d.ipVersion, q.type, q.code), mtu: q.mtu,
    };
  }

  /**
   * Hands a connection on, as the table says. What the table keeps of its entry (in the closing
   * queue for a while, retired for the grace period) must not keep its sink and lists alive, or
   * every young-generation collection in that while copies them to the old generation, to be
   * freed only by a full collection.
   */
  private handOn(l: Live, why: ConnectionEnd): void {
    this.reassembler.flush(l);
    this.opts.onConnection(this.connection(l, why, this.log.handOn(l)));
    l.sink = undefined;
    l.icmp = NONE;
  }

  /**
   * The connection as it is handed on, with its packets as objects (see PacketLog.handOn); its
   * addresses as text, made from the entry's keys.
   *
   * A new object every time, made from the row: an object kept while the connection lives would
   * be in the old generation by its end, and new objects stored into an old one stay alive
   * through the next young-generation collection however soon the old one dies.
   */
  private connection(l: Live, endedBy: ConnectionEnd, p: LoggedPackets): TcpConnection {
    const w = this.rows.words(l.row);
    const u32 = this.rows.u32;
    const role = ROLES[u32[w + ROLE]];
    return {
      id: u32[w + ID],
      ipVersion: typeof l.a === 'number' ? 4 : 6,
      client: { ip: formatAddrKey(l.a), port: l.pa },
      server: { ip: formatAddrKey(l.b), port: l.pb },
      roles: role,
      startCaptured: role === 'syn',
      firstTime: this.rows.f64[this.rows.doubles(l.row) + FIRST_TIME],
      lastTime: this.table.lastTime(l),
      syn: p.syn,
      synCount: this.log.synCount(l),
      synAck: p.synAck,
      synAckCount: this.log.synAckCount(l),
      rsts: p.rsts,
      rstCount: this.log.rstCount(l),
      fins: p.fins,
      packets: p.packets,
      packetCount: u32[w + PACKET_COUNT],
      icmp: l.icmp,
      stats: [this.reassembler.stats(l, 0), this.reassembler.stats(l, 1)],
      endedBy,
      sink: l.sink,
    };
  }
}

function newPacketFacts(): PacketFacts {
  return { frame: 0, time: 0, dir: 0, flags: 0, seq: 0, ack: 0, len: 0, ttl: 0, ipId: 0, window: 0, mss: undefined, sack: undefined };
}
