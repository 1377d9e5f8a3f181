import { addrKey, formatAddr } from './addresses.js';
import { decodePacket } from './decode.js';
import { newDecodedPacket, type DecodedPacket } from './decoded-packet.js';
import { readTcpOptions, TcpFlag } from './tcp-options.js';
import { appended, NONE } from './lists.js';
import { PacketSlab } from './packet-slab.js';
import type { RawPacket } from './packet.js';

export type { ConnectionEnd, Dir, DirectionStats, Endpoint, IcmpFacts, PacketFacts, StreamSink, TcpConnection, TrackerOptions, TrackerStats } from './tcp-types.js';
import type { ConnectionEnd, Dir, DirectionStats, PacketFacts, TcpConnection, TrackerOptions, TrackerStats } from './tcp-types.js';
import { tupleHash, type DirState, type Live } from './tuple-table.js';

const MAX_PACKETS_LOGGED = 10;
const MAX_RSTS = 16;
const MAX_FINS = 4;
const MAX_PENDING_SEGMENTS = 256;
const MAX_PENDING_BYTES = 256 * 1024;
const MAX_SYN_ACKS = 4;

/**
 * A bidirectional TCP connection table keyed on the 4-tuple, with in-order reassembly per
 * direction through retransmissions, overlaps, reordering and sequence wrap. Memory grows with
 * live connections, bounded by maxLive, and with buffered handshake bytes, bounded by payloadCap.
 */
export class TcpTracker {
  readonly stats: TrackerStats = {
    packets: 0, tcpPackets: 0, udpPackets: 0, nonIp: 0, otherIp: 0, fragments: 0, truncated: 0, icmpUnreachable: 0, icmpUnmatched: 0,
    unknownLinkTypes: new Map(), connections: 0, evicted: 0, peakLive: 0, afterClose: 0,
  };
  /** Hash buckets of live connections, chained through Live.next; no string key per packet. */
  private readonly table = new Map<number, Live>();
  /** Live connections in order of creation, for eviction and sweeps. */
  private readonly live = new Set<Live>();
  /** Retired entries in order of retirement, which is the order they expire in. */
  private retired: Live[] = [];
  private retiredHead = 0;
  /**
   * Connections closed by a RST or by FINs both ways (but not yet handed on: the last ACK may
   * never come), in order of closing, which is nearly the order their waits end in (see
   * waitAfterClose). Checked at its head on every packet: a closed connection leaves when its
   * wait ends instead of at the next sweep, so a capture of many short connections keeps few of
   * them live.
   */
  private closing: Live[] = [];
  private closingHead = 0;
  private readonly d: DecodedPacket = newDecodedPacket();
  private readonly maxLive: number;
  private readonly idle: number;
  private readonly cap: number;
  private readonly grace: number;
  private lastSweep = 0;
  private readonly scratch: PacketFacts = newPacketFacts();
  private readonly slab = new PacketSlab(MAX_PACKETS_LOGGED);
  private now = 0;

  /** The latest packet time seen: when a connection is emitted, the capture has gone on at least this far. */
  get captureTime(): number {
    return this.now;
  }

  constructor(private readonly opts: TrackerOptions) {
    this.maxLive = opts.maxLive ?? 200_000;
    this.idle = opts.idleTimeout ?? 300;
    this.cap = opts.payloadCap ?? 256 * 1024;
    this.grace = opts.closeGrace ?? 3;
  }

  /** The live connection of a packet from (src, sp) to (dst, dp), in either direction. */
  private lookup(hash: number, src: string | number, sp: number, dst: string | number, dp: number): Live | undefined {
    for (let l = this.table.get(hash); l; l = l.next) {
      if ((l.pa === sp && l.pb === dp && l.a === src && l.b === dst) || (l.pa === dp && l.pb === sp && l.a === dst && l.b === src)) return l;
    }
    return undefined;
  }

  private unlink(l: Live): void {
    let head = this.table.get(l.hash);
    if (head === l) {
      if (l.next) this.table.set(l.hash, l.next);
      else this.table.delete(l.hash);
    } else {
      while (head && head.next !== l) head = head.next;
      if (head) head.next = l.next;
    }
    this.live.delete(l);
  }

  packet(raw: RawPacket): void {
    const st = this.stats;
    st.packets++;
    const d = this.d;
    const r = decodePacket(raw, d);
    const time = raw.tsSec + raw.tsNsec / 1e9;
    if (time > this.now) this.now = time;
    if (raw.capLen < raw.origLen) st.truncated++;
    if (r !== 'tcp') {
      if (r === 'udp') {
        st.udpPackets++;
        this.opts.onDatagram?.(d, raw, time);
      } else if (r === 'icmp') this.icmp(raw, time);
      else if (r === 'non-ip') st.nonIp++;
      else if (r === 'fragment') st.fragments++;
      else if (r === 'unknown-link') st.unknownLinkTypes.set(raw.linkType, (st.unknownLinkTypes.get(raw.linkType) ?? 0) + 1);
      else st.otherIp++;
      // Any packet moves the capture's clock on, and may end a closed connection's wait.
      if (this.closingHead < this.closing.length) this.endGraces();
      return;
    }
    st.tcpPackets++;
    if (d.fragment) st.fragments++;
    const b = d.buf;
    const v = d.ipVersion;
    const sk = addrKey(b, d.srcAddr, v);
    const dk = addrKey(b, d.dstAddr, v);
    const hash = tupleHash(sk, d.srcPort, dk, d.dstPort);
    let l = this.lookup(hash, sk, d.srcPort, dk, d.dstPort);
    const syn = (d.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN;
    if (l?.retired) {
      if (!syn && this.now - l.retiredAt <= this.grace) {
        st.afterClose++;
        return;
      }
      // A new SYN on the tuple of a finished connection, or a packet past the grace period:
      // a new connection.
      this.unlink(l);
      l.retired = false;
      l = undefined;
    }
    if (l && syn) {
      const c = l.conn;
      const fromClient = sk === l.clientKey && d.srcPort === l.clientPort;
      // A retransmitted SYN (same sender, same ISN) belongs to its connection. Any other SYN on
      // a tuple that has moved on (closed, data, a SYN-ACK, or begun before the capture) starts
      // a new connection.
      const sameSyn = fromClient && l.synAt >= 0 && this.seqOf(l, l.synAt) === d.seq;
      const movedOn = l.closed || c.stats[0].payloadBytes + c.stats[1].payloadBytes > 0 || l.synAckAt >= 0 || l.synAt < 0;
      if (!sameSyn && movedOn) {
        this.emit(l, 'reused');
        l = undefined;
      }
    }
    if (!l) l = this.create(hash, sk, dk, time, raw.index);
    const conn = l.conn;
    const dir: Dir = sk === l.clientKey && d.srcPort === l.clientPort ? 0 : 1;
    const state = l.dirs[dir];
    const flags = d.flags;
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
    const first = l.firstPackets < MAX_PACKETS_LOGGED;
    const flagged = (flags & (TcpFlag.SYN | TcpFlag.RST | TcpFlag.FIN)) !== 0;
    if (!first && !flagged && !(d.payloadLength > 0 && state.wantMore)) {
      if (d.payloadLength > 0) this.countOnly(state, d, ds);
      if (l.finDirs !== 0) this.finAcks(l, dir, flags);
      if (st.packets - this.lastSweep >= 65536) this.sweep();
      return;
    }
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
    const synAckNew = (flags & (TcpFlag.SYN | TcpFlag.ACK)) === (TcpFlag.SYN | TcpFlag.ACK) && l.synAcks.length < MAX_SYN_ACKS && !l.synAcks.some((k) => this.seqOf(l, k) === d.seq);
    const listed =
      (flags & TcpFlag.SYN && (flags & TcpFlag.ACK ? l.synAckAt < 0 || synAckNew : l.synAt < 0)) ||
      (flags & TcpFlag.RST && l.rstsLogged < MAX_RSTS) ||
      (flags & TcpFlag.FIN && l.finsLogged < MAX_FINS);
    // Where the packet is logged: its place among the first packets, or after them; -1 if it is not.
    let at = -1;
    if (first || listed) {
      // Options only for packets a diagnosis may read: a SYN's MSS, an ACK's SACK blocks.
      const o = d.payloadStart - d.tcpStart > 20 ? readTcpOptions(d.buf, d.tcpStart + 20, d.payloadStart) : NO_OPTIONS;
      if (first) {
        at = l.firstPackets++;
        this.slab.write(l.row, at, raw.index, time, dir, flags, d.seq, d.ack, d.payloadLength, d.ttl, d.ipId, d.window, o.mss);
        if (o.sack) l.sacks = withItemAt(l.sacks, at, o.sack);
      } else {
        at = MAX_PACKETS_LOGGED + l.later.length;
        const p = { frame: raw.index, time, dir, flags, seq: d.seq, ack: d.ack, len: d.payloadLength, ttl: d.ttl, ipId: d.ipId, window: d.window, mss: o.mss, sack: o.sack };
        l.later = appended(l.later, p);
      }
    }
    if (flags & TcpFlag.SYN) {
      if (flags & TcpFlag.ACK) {
        conn.synAckCount++;
        if (l.synAckAt < 0) l.synAckAt = at;
        if (synAckNew) l.synAcks = appended(l.synAcks, at);
      } else {
        conn.synCount++;
        if (l.synAt < 0) l.synAt = at;
      }
      state.next = (d.seq + 1) >>> 0;
    }
    if (flags & TcpFlag.RST) {
      conn.rstCount++;
      if (at >= 0 && l.rstsLogged < MAX_RSTS) l.rstsLogged++;
      this.close(l);
    }
    if (flags & TcpFlag.FIN) {
      if (at >= 0 && l.finsLogged < MAX_FINS) l.finsLogged++;
      l.finDirs |= 1 << dir;
      if (dir === 0) l.finEnd0 = (d.seq + d.payloadLength + 1) >>> 0;
      else l.finEnd1 = (d.seq + d.payloadLength + 1) >>> 0;
      if (l.finDirs === 3) this.close(l);
    }
    // Two SYN-ACKs that disagree: the client's acknowledgement says which one the server sent.
    if (dir === 0 && l.synAcks.length > 1 && flags & TcpFlag.ACK && conn.stats[1].payloadBytes === 0) this.followAcknowledgedSynAck(l, d.ack);
    // Data in a SYN (TCP Fast Open, RFC 7413) starts after the SYN's own sequence number.
    if (d.payloadLength > 0 && !(flags & TcpFlag.RST)) this.data(l, dir, state, d, facts, raw.capLen < raw.origLen, flags & TcpFlag.SYN ? 1 : 0);
    if (l.finDirs !== 0) this.finAcks(l, dir, flags);
    if (this.live.size > this.stats.peakLive) this.stats.peakLive = this.live.size;
    if (this.closingHead < this.closing.length) this.endGraces();
    if (st.packets - this.lastSweep >= 65536) this.sweep();
  }

  private close(l: Live): void {
    l.closed = true;
    if (l.closingAt >= 0) return;
    l.closingAt = this.now;
    this.closing.push(l);
  }

  /**
   * How long a closed connection waits for more packets after its last one: the grace period;
   * longer for one whose last packets came far apart, a sender retransmitting with backoff
   * (each wait twice the one before), so that its next repeat still finds it, as tshark's
   * streams do. At most the idle timeout.
   */
  private waitAfterClose(l: Live): number {
    return Math.min(this.idle, this.grace + 2 * (l.conn.lastTime - l.prevTime));
  }

  /**
   * Hands on the closed connections at the head of the queue whose wait has ended. The queue is
   * in order of joining; one that got packets since it joined goes to the back, so that a closed
   * connection still busy (a RST storm) holds up no other, and so does one that waits more than
   * twice the grace period (a sender backing off), once per moment of the capture's clock.
   */
  private endGraces(): void {
    const q = this.closing;
    while (this.closingHead < q.length) {
      const l = q[this.closingHead];
      if (!this.live.has(l)) {
        this.closingHead++;
      } else if (l.conn.lastTime + this.waitAfterClose(l) < this.now) {
        this.closingHead++;
        this.emit(l, 'idle');
      } else if (l.conn.lastTime > l.closingAt || (l.closingAt < this.now && this.waitAfterClose(l) > 2 * this.grace)) {
        this.closingHead++;
        l.closingAt = this.now;
        q.push(l);
      } else {
        break;
      }
    }
    if (this.closingHead > 1024 && this.closingHead * 2 > q.length) {
      this.closing = q.slice(this.closingHead);
      this.closingHead = 0;
    }
  }

  /**
   * Notes the acknowledgement of the other side's FIN. Once both FINs are sent and acknowledged
   * with no RST, nothing later can change what the connection was: it is handed on now rather
   * than held for the grace period.
   */
  private finAcks(l: Live, dir: Dir, flags: number): void {
    const other = dir ^ 1;
    if (flags & TcpFlag.ACK && l.finDirs & (1 << other) && ((this.d.ack - (other === 0 ? l.finEnd0 : l.finEnd1)) | 0) >= 0) l.finAcked |= 1 << other;
    if (l.finAcked === 3 && l.conn.rstCount === 0) this.retire(l);
  }

  /** Sequence bookkeeping for a segment nobody reads: retransmissions still count. */
  private countOnly(s: DirState, d: DecodedPacket, ds: DirectionStats): void {
    if (s.next === undefined) {
      s.next = (d.seq + d.payloadLength) >>> 0;
      return;
    }
    const off = (d.seq - s.next) | 0;
    if (off < 0 && d.payloadLength <= -off) ds.retransmissions++;
    else if (off > 0) ds.outOfOrder++;
    const end = (d.seq + d.payloadLength) >>> 0;
    if (((end - s.next) | 0) > 0) s.next = end;
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
    for (const l of [...this.live]) this.emit(l, 'eof');
  }

  private create(hash: number, srcKey: string | number, dstKey: string | number, time: number, frame: number): Live {
    const d = this.d;
    const b = d.buf;
    const v = d.ipVersion;
    const synOnly = (d.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN;
    const synAck = (d.flags & (TcpFlag.SYN | TcpFlag.ACK)) === (TcpFlag.SYN | TcpFlag.ACK);
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
      next: this.table.get(hash),
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
      row: this.slab.take(),
      firstPackets: 0,
      later: NONE,
      sacks: NONE,
      synAt: -1,
      synAckAt: -1,
      synAcks: NONE,
      rstsLogged: 0,
      finsLogged: 0,
    };
    if (!this.opts.sinkFactory) l.dirs[0].wantMore = l.dirs[1].wantMore = false;
    if (this.live.size >= this.maxLive) {
      // Set order is creation order: the oldest connection goes first.
      const oldest = this.live.values().next().value as Live;
      this.stats.evicted++;
      this.emit(oldest, 'evicted');
      l.next = this.table.get(hash);
    }
    this.table.set(hash, l);
    this.live.add(l);
    return l;
  }

  private followAcknowledgedSynAck(l: Live, ack: number): void {
    const chosen = l.synAcks.find((k) => ((this.seqOf(l, k) + 1) >>> 0) === ack);
    if (chosen === undefined) return;
    l.dirs[1].next = ack;
    l.synAckAt = chosen;
    l.synAcks = NONE;
  }

  private data(l: Live, dir: Dir, s: DirState, d: DecodedPacket, facts: PacketFacts, truncated: boolean, synBytes: number): void {
    const conn = l.conn;
    if (!conn.sink && s.wantMore) {
      // Made on the first byte: the state of a connection that never carries one stays small.
      conn.sink = this.opts.sinkFactory?.(conn);
      if (!conn.sink) l.dirs[0].wantMore = l.dirs[1].wantMore = false;
    }
    const ds = conn.stats[dir];
    let seq = (d.seq + synBytes) >>> 0;
    let start = d.payloadStart;
    let len = d.payloadLength;
    if (s.next === undefined) s.next = seq;
    const off = (seq - s.next) | 0;
    if (off < 0) {
      // Retransmission or overlap: keep only bytes past what was already delivered.
      if (len <= -off) {
        ds.retransmissions++;
        return;
      }
      start += -off;
      len -= -off;
      seq = s.next;
    } else if (off > 0) {
      ds.outOfOrder++;
      if (!s.wantMore) {
        s.next = (seq + len) >>> 0;
        return;
      }
      if (s.pending.length < MAX_PENDING_SEGMENTS && s.pendingBytes + len <= MAX_PENDING_BYTES) {
        // A waiting segment keeps its packet facts: copy them out of the scratch record.
        s.pending = appended(s.pending, { seq, data: d.buf.slice(start, start + len), pkt: { ...facts } });
        s.pendingBytes += len;
        return;
      }
      // Too much is missing to wait for: declare the gap and carry on from here.
      ds.gaps++;
      conn.sink?.gap?.(dir, off, facts);
      s.pending = NONE;
      s.pendingBytes = 0;
      s.next = seq;
    }
    if (truncated && s.wantMore) {
      // Bytes past the snap length were never captured: the stream has a hole here.
      ds.gaps++;
      conn.sink?.gap?.(dir, 0, facts);
      s.wantMore = false;
    }
    this.deliver(conn, dir, s, d.buf, start, len, facts, conn.sink?.keepsBytes?.(dir) ?? true);
    s.next = (seq + len) >>> 0;
    this.drainPending(conn, dir, s);
  }

  /** Hands buf[start, start + len) on: one copy when the sink keeps it, else one view. */
  private deliver(conn: TcpConnection, dir: Dir, s: DirState, buf: Uint8Array, start: number, len: number, facts: PacketFacts, copy: boolean): void {
    if (!s.wantMore || !conn.sink) return;
    const ds = conn.stats[dir];
    const n = Math.min(len, this.cap - ds.delivered);
    ds.delivered += n;
    const bytes = copy ? buf.slice(start, start + n) : buf.subarray(start, start + n);
    if (!conn.sink.data(dir, bytes, facts) || ds.delivered >= this.cap) s.wantMore = false;
  }

  private drainPending(conn: TcpConnection, dir: Dir, s: DirState): void {
    while (s.pending.length > 0) {
      let progressed = false;
      for (let i = 0; i < s.pending.length; i++) {
        const p = s.pending[i];
        const off = (p.seq - (s.next as number)) | 0;
        if (off > 0) continue;
        s.pending.splice(i, 1);
        s.pendingBytes -= p.data.length;
        if (p.data.length > -off) {
          this.deliver(conn, dir, s, p.data, -off, p.data.length + off, p.pkt, false);
          s.next = (p.seq + p.data.length) >>> 0;
        } else {
          conn.stats[dir].retransmissions++;
        }
        progressed = true;
        break;
      }
      if (!progressed) return;
    }
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
    const l = this.lookup(tupleHash(sk, q.srcPort, dk, q.dstPort), sk, q.srcPort, dk, q.dstPort);
    if (!l || l.retired) {
      this.stats.icmpUnmatched++;
      return;
    }
    l.conn.icmp = appended(l.conn.icmp, { frame: raw.index, time, type: q.type, code: q.code, from: formatAddr(d.buf, d.srcAddr, d.ipVersion), ttl: d.ttl });
    l.conn.lastTime = time;
  }

  /**
   * Hands a connection closed by FINs on; its entry stays in the table, bare (see Live.retired),
   * and leaves the live set.
   */
  private retire(l: Live): void {
    this.live.delete(l);
    this.handOn(l, 'closed');
    l.retired = true;
    l.retiredAt = this.now;
    l.conn = RETIRED;
    this.retired.push(l);
    // Retired entries are few (those closed within the grace period), but never unbounded:
    // past the live cap the oldest go.
    if (this.retired.length - this.retiredHead > this.maxLive) this.expireRetired(-Infinity);
  }

  /** Drops the entries retired before `before`, and the oldest beyond the live cap. */
  private expireRetired(before: number): void {
    const q = this.retired;
    while (this.retiredHead < q.length) {
      const l = q[this.retiredHead];
      if (l.retired && l.retiredAt >= before && q.length - this.retiredHead <= this.maxLive) break;
      this.retiredHead++;
      if (l.retired) {
        l.retired = false;
        this.unlink(l);
      }
    }
    if (this.retiredHead > 1024 && this.retiredHead * 2 > q.length) {
      this.retired = q.slice(this.retiredHead);
      this.retiredHead = 0;
    }
  }

  private sweep(): void {
    this.lastSweep = this.stats.packets;
    this.expireRetired(this.now - this.grace);
    const idle = this.now - this.idle;
    // Deleting the element being visited is safe while iterating a Set.
    for (const l of this.live) {
      if (l.conn.lastTime < idle || (l.closed && l.conn.lastTime + this.waitAfterClose(l) < this.now)) this.emit(l, 'idle');
    }
    // Connections handed on by this sweep (or otherwise) must not stay in the closing queue.
    if (this.closingHead < this.closing.length) {
      this.closing = this.closing.slice(this.closingHead).filter((l) => this.live.has(l));
      this.closingHead = 0;
    }
  }

  private emit(l: Live, why: ConnectionEnd): void {
    this.unlink(l);
    this.handOn(l, why);
    // The closing queue may still hold the entry for a while: it must not keep the connection
    // (its record, its packets) alive, or every young-generation collection in that while
    // copies them to the old generation, to be freed only by a full collection.
    l.conn = RETIRED;
  }

  private handOn(l: Live, why: ConnectionEnd): void {
    for (const dir of [0, 1] as const) {
      const s = l.dirs[dir];
      if (s.pending.length > 0 && s.wantMore) {
        // A hole that was never filled: hand on what lies after it, flagged as a gap.
        s.pending.sort((a, b) => ((a.seq - b.seq) | 0));
        const first = s.pending[0];
        l.conn.stats[dir].gaps++;
        l.conn.sink?.gap?.(dir, (first.seq - (s.next as number)) | 0, first.pkt);
        s.wantMore = false;
      }
      s.pending = NONE;
    }
    this.opts.onConnection(this.handedOn(l, why));
  }

  /** The sequence number of a logged packet (its place as in Live.synAt). */
  private seqOf(l: Live, k: number): number {
    return k < MAX_PACKETS_LOGGED ? this.slab.seq(l.row, k) : l.later[k - MAX_PACKETS_LOGGED].seq;
  }

  /**
   * The connection as it is handed on, with its packets as objects; its row goes back to the
   * slab. The first ten packets in order, the SYN and SYN-ACK it was taken to follow, its first
   * RSTs and FINs (one object for a packet in several lists).
   *
   * A new object, not the live one completed: the live one has usually lived long enough to be
   * in the old generation, and new objects stored into an old one stay alive through the next
   * young-generation collection however soon the old one dies, so they are copied out of the
   * young generation, to be freed only by a full collection.
   */
  private handedOn(l: Live, endedBy: ConnectionEnd): TcpConnection {
    const c = l.conn;
    const packets = new Array<PacketFacts>(l.firstPackets);
    for (let i = 0; i < l.firstPackets; i++) packets[i] = this.slab.facts(l.row, i, l.sacks[i]);
    this.slab.release(l.row);
    l.row = -1;
    const all = l.later.length === 0 ? packets : packets.concat(l.later);
    let rsts: PacketFacts[] = NONE;
    let fins: PacketFacts[] = NONE;
    for (const p of all) {
      if (p.flags & TcpFlag.RST && rsts.length < MAX_RSTS) rsts = appended(rsts, p);
      if (p.flags & TcpFlag.FIN && fins.length < MAX_FINS) fins = appended(fins, p);
    }
    const syn = l.synAt >= 0 ? all[l.synAt] : undefined;
    const synAck = l.synAckAt >= 0 ? all[l.synAckAt] : undefined;
    l.later = l.sacks = NONE;
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
      syn,
      synCount: c.synCount,
      synAck,
      synAckCount: c.synAckCount,
      rsts,
      rstCount: c.rstCount,
      fins,
      packets,
      packetCount: c.packetCount,
      icmp: c.icmp,
      stats: c.stats,
      endedBy,
      sink: c.sink,
    };
  }
}

/** The list with `item` at index `i` (a copy of the shared empty list grows to it). */
function withItemAt<T>(list: (T | undefined)[], i: number, item: T): (T | undefined)[] {
  const out = list === NONE ? new Array<T | undefined>(i + 1).fill(undefined) : list;
  while (out.length <= i) out.push(undefined);
  out[i] = item;
  return out;
}

const NO_OPTIONS: { mss?: number; sack?: number[] } = {};

function newPacketFacts(): PacketFacts {
  return { frame: 0, time: 0, dir: 0, flags: 0, seq: 0, ack: 0, len: 0, ttl: 0, ipId: 0, window: 0, mss: undefined, sack: undefined };
}

function newStats(): DirectionStats {
  return { packets: 0, payloadBytes: 0, delivered: 0, retransmissions: 0, outOfOrder: 0, gaps: 0, truncated: 0 };
}

function newDirState(): DirState {
  return { next: undefined, pending: NONE, pendingBytes: 0, wantMore: true };
}

/** What a retired entry points to instead of its connection, which it must not keep alive. */
const RETIRED: TcpConnection = {
  id: -1, ipVersion: 4, client: { ip: '', port: 0 }, server: { ip: '', port: 0 }, roles: 'port', startCaptured: false,
  firstTime: 0, lastTime: 0, syn: undefined, synCount: 0, synAck: undefined, synAckCount: 0,
  rsts: NONE, rstCount: 0, fins: NONE, packets: NONE, packetCount: 0, icmp: NONE, stats: [newStats(), newStats()], endedBy: 'closed', sink: undefined,
};

