// The tracker's connection table: entries found by a hash of the 4-tuple either way round, the
// live set in order of creation, the entries of connections closed by FINs and already handed on
// (kept bare for the grace period), and the queue of closed connections waiting to be handed on.
import { ConnectionRows, TABLE_DOUBLES, TABLE_WORDS } from './connection-rows.js';
import type { ConnectionEnd, IcmpFacts, PacketFacts, StreamSink } from './tcp-types.js';

/** The table's numbers in a connection's row. */
const LAST_TIME = TABLE_DOUBLES;
const PREV_TIME = TABLE_DOUBLES + 1;
/** When it joined the queue of closed connections (capture time), -1 if it is not in it. */
const CLOSING_AT = TABLE_DOUBLES + 2;
const RETIRED_AT = TABLE_DOUBLES + 3;
const BITS = TABLE_WORDS;
const CLOSED = 1;
/**
 * Closed by FINs and handed on: the entry stays in the table for the grace period only so that
 * stragglers are not taken for a new connection, and holds nothing of the connection.
 */
const RETIRED = 2;
/**
 * Closed by the client's reset before any SYN-ACK (a reset in SYN-SENT: the answer to its SYN
 * was an ACK for another connection, a stale one the server or a NAT still held). That reset
 * clears the stale state, and the client sends the same SYN again: it waits for it.
 */
const AWAITS_SYN = 4;

/**
 * How long a connection reset in SYN-SENT waits for its SYN again, in seconds of capture time:
 * clients resend at their retransmission timer (Linux at once after such a reset, others after
 * 1 to 3 s, doubling; BSD gives up connecting after 75 s).
 */
const SYN_RETRY_WAIT = 75;

export interface Pending {
  seq: number;
  data: Uint8Array;
  pkt: PacketFacts;
}

/**
 * A table entry: a connection's tuple, its row of numbers (connection-rows.ts) and its lists,
 * most of them the shared empty one. What each part keeps of it is named by that part.
 */
export interface Live {
  /** The 4-tuple as its first packet had it; lookups match it either way round. */
  a: string | number;
  pa: number;
  b: string | number;
  pb: number;
  hash: number;
  /** The next entry in the same hash bucket. */
  next: Live | undefined;
  /** Its row of numbers, in every part's columns, from its first packet until it leaves the table. */
  row: number;
  /** Where its reassembled bytes go, from its first payload byte (reassembler.ts). */
  sink: StreamSink | undefined;
  /** ICMP errors that quote its packets. */
  icmp: IcmpFacts[];
  /**
   * The packets logged after the first ones (the SYNs, SYN-ACKs, RSTs and FINs the record lists),
   * as objects: few connections have many (packet-log.ts). A logged packet's place: below the
   * number of first packets, its place in the packet slab's row; above, in this list after them.
   */
  later: PacketFacts[];
  /** SACK blocks of the first packets, by place; the shared empty list when none had any. */
  sacks: (number[] | undefined)[];
  /**
   * SYN-ACKs with different initial sequence numbers (a middlebox's beside the server's), by
   * place: the server's bytes follow the one the client acknowledges. Empty for nearly all.
   */
  synAcks: number[];
  /** Out-of-order segments of each direction, waiting for the bytes before them (reassembler.ts). */
  pending0: Pending[];
  pending1: Pending[];
}

export function addrHash(x: string | number): number {
  if (typeof x === 'number') return x | 0;
  let v = 0x811c9dc5;
  for (let i = 0; i < x.length; i++) v = Math.imul(v ^ x.charCodeAt(i), 0x01000193);
  return v;
}

/** A symmetric hash of the 4-tuple: the same either way round. */
export function tupleHash(a: string | number, pa: number, b: string | number, pb: number): number {
  const ha = Math.imul(addrHash(a) ^ pa, 0x9e3779b1);
  const hb = Math.imul(addrHash(b) ^ pb, 0x9e3779b1);
  return (ha ^ hb) | 0;
}

export interface TableLimits {
  /** Live connections at most; past it the oldest is handed on. */
  maxLive: number;
  /** Seconds of capture time without a packet after which a connection is handed on. */
  idle: number;
  /** Seconds a closed connection waits for late packets (see waitAfterClose). */
  grace: number;
}

/** Compacts a queue read from `head` once most of it has been read. */
function compacted<T>(q: T[], head: number): T[] | undefined {
  return head > 1024 && head * 2 > q.length ? q.slice(head) : undefined;
}

export class ConnectionTable {
  /** Hash buckets of entries, chained through Live.next; no string key per packet. */
  private readonly buckets = new Map<number, Live>();
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

  /**
   * `handOn` gives a connection that leaves the live set to its consumer; `rows` holds the
   * numbers of every entry, whose row the table takes and gives back.
   */
  constructor(private readonly limits: TableLimits, private readonly rows: ConnectionRows, private readonly handOn: (l: Live, why: ConnectionEnd) => void) {}

  get size(): number {
    return this.live.size;
  }

  get full(): boolean {
    return this.live.size >= this.limits.maxLive;
  }

  /** Whether a closed connection waits in the queue: checked on every packet, so kept cheap. */
  get anyClosing(): boolean {
    return this.closingHead < this.closing.length;
  }

  /** The entry of a packet from (src, sp) to (dst, dp), in either direction: live or retired. */
  find(hash: number, src: string | number, sp: number, dst: string | number, dp: number): Live | undefined {
    for (let l = this.buckets.get(hash); l; l = l.next) {
      if ((l.pa === sp && l.pb === dp && l.a === src && l.b === dst) || (l.pa === dp && l.pb === sp && l.a === dst && l.b === src)) return l;
    }
    return undefined;
  }

  /** A new entry's row, its times set to its first packet's. */
  open(row: number, time: number): void {
    const f = this.rows.doubles(row);
    const f64 = this.rows.f64;
    f64[f + LAST_TIME] = time;
    f64[f + PREV_TIME] = time;
    f64[f + CLOSING_AT] = -1;
  }

  add(l: Live): void {
    l.next = this.buckets.get(l.hash);
    this.buckets.set(l.hash, l);
    this.live.add(l);
  }

  lastTime(l: Live): number {
    return this.rows.f64[this.rows.doubles(l.row) + LAST_TIME];
  }

  /** A packet of the connection at `time`. */
  touch(l: Live, time: number): void {
    const f = this.rows.doubles(l.row);
    const f64 = this.rows.f64;
    f64[f + PREV_TIME] = f64[f + LAST_TIME];
    f64[f + LAST_TIME] = time;
  }

  /** Something about the connection at `time` that is not one of its packets (an ICMP error quoting one). */
  setLastTime(l: Live, time: number): void {
    this.rows.f64[this.rows.doubles(l.row) + LAST_TIME] = time;
  }

  isClosed(l: Live): boolean {
    return (this.rows.u32[this.rows.words(l.row) + BITS] & CLOSED) !== 0;
  }

  isRetired(l: Live): boolean {
    return (this.rows.u32[this.rows.words(l.row) + BITS] & RETIRED) !== 0;
  }

  /** Hands on the oldest live connection; set order is creation order. */
  evictOldest(): void {
    this.end(this.live.values().next().value as Live, 'evicted');
  }

  /**
   * Takes a live connection out of the table and hands it on. Its row is given back: the
   * closing queue may still hold the entry, but reads nothing of an entry no longer live.
   */
  end(l: Live, why: ConnectionEnd): void {
    this.unlink(l);
    this.handOn(l, why);
    this.rows.release(l.row);
  }

  /** Hands every live connection on; at the end of the capture. */
  endAll(): void {
    for (const l of [...this.live]) this.end(l, 'eof');
  }

  /** Whether a packet on a retired entry's tuple is a straggler of its connection, not a new one. */
  absorbs(l: Live, now: number): boolean {
    return now - this.rows.f64[this.rows.doubles(l.row) + RETIRED_AT] <= this.limits.grace;
  }

  /**
   * Takes a retired entry out of the table (a new connection takes its tuple). It stays in the
   * queue of retired entries, no longer retired, and its row is given back when the queue
   * reaches it.
   */
  forget(l: Live): void {
    this.unlink(l);
    this.rows.u32[this.rows.words(l.row) + BITS] &= ~RETIRED;
  }

  private unlink(l: Live): void {
    let head = this.buckets.get(l.hash);
    if (head === l) {
      if (l.next) this.buckets.set(l.hash, l.next);
      else this.buckets.delete(l.hash);
    } else {
      while (head && head.next !== l) head = head.next;
      if (head) head.next = l.next;
    }
    this.live.delete(l);
  }

  /** A connection closed by a RST or FINs both ways joins the queue of closed ones; `awaitsSyn`: see AWAITS_SYN. */
  close(l: Live, now: number, awaitsSyn = false): void {
    const f = this.rows.doubles(l.row);
    this.rows.u32[this.rows.words(l.row) + BITS] |= awaitsSyn ? CLOSED | AWAITS_SYN : CLOSED;
    if (this.rows.f64[f + CLOSING_AT] >= 0) return;
    this.rows.f64[f + CLOSING_AT] = now;
    this.closing.push(l);
  }

  /** Whether the connection was reset in SYN-SENT and waits for its SYN again (AWAITS_SYN). */
  awaitsSyn(l: Live): boolean {
    return (this.rows.u32[this.rows.words(l.row) + BITS] & AWAITS_SYN) !== 0;
  }

  /** Its SYN came again after a reset in SYN-SENT: the connection goes on, out of the closing queue. */
  reopen(l: Live): void {
    this.rows.u32[this.rows.words(l.row) + BITS] &= ~(CLOSED | AWAITS_SYN);
    this.rows.f64[this.rows.doubles(l.row) + CLOSING_AT] = -1;
  }

  /**
   * How long a closed connection waits for more packets after its last one: the grace period;
   * longer for one whose last packets came far apart, a sender retransmitting with backoff
   * (each wait twice the one before), so that its next repeat still finds it, as tshark's
   * streams do; SYN_RETRY_WAIT for one reset in SYN-SENT. At most the idle timeout.
   */
  private waitAfterClose(l: Live): number {
    const f = this.rows.doubles(l.row);
    const f64 = this.rows.f64;
    const wait = this.awaitsSyn(l) ? SYN_RETRY_WAIT : this.limits.grace + 2 * (f64[f + LAST_TIME] - f64[f + PREV_TIME]);
    return Math.min(this.limits.idle, wait);
  }

  /**
   * Hands on the closed connections at the head of the queue whose wait has ended. The queue is
   * in order of joining; one that got packets since it joined goes to the back, so that a closed
   * connection still busy (a RST storm) holds up no other, and so does one that waits more than
   * twice the grace period (a sender backing off), once per moment of the capture's clock.
   */
  endWaits(now: number): void {
    const q = this.closing;
    while (this.closingHead < q.length) {
      const l = q[this.closingHead];
      // Handed on already, or reopened (its SYN came again): no longer waiting.
      if (!this.live.has(l) || !this.isClosed(l)) {
        this.closingHead++;
        continue;
      }
      const f = this.rows.doubles(l.row);
      const f64 = this.rows.f64;
      if (f64[f + LAST_TIME] + this.waitAfterClose(l) < now) {
        this.closingHead++;
        this.end(l, 'idle');
      } else if (f64[f + LAST_TIME] > f64[f + CLOSING_AT] || (f64[f + CLOSING_AT] < now && this.waitAfterClose(l) > 2 * this.limits.grace)) {
        this.closingHead++;
        f64[f + CLOSING_AT] = now;
        q.push(l);
      } else {
        break;
      }
    }
    const rest = compacted(q, this.closingHead);
    if (rest) {
      this.closing = rest;
      this.closingHead = 0;
    }
  }

  /**
   * Hands a connection closed by FINs on; its entry stays in the table, bare (see RETIRED), and
   * leaves the live set.
   */
  retire(l: Live, now: number): void {
    this.live.delete(l);
    this.handOn(l, 'closed');
    this.rows.u32[this.rows.words(l.row) + BITS] |= RETIRED;
    this.rows.f64[this.rows.doubles(l.row) + RETIRED_AT] = now;
    this.retired.push(l);
    // Retired entries are few (those closed within the grace period), but never unbounded:
    // past the live cap the oldest go.
    if (this.retired.length - this.retiredHead > this.limits.maxLive) this.expireRetired(-Infinity);
  }

  /** Drops the entries retired before `before`, and the oldest beyond the live cap. */
  private expireRetired(before: number): void {
    const q = this.retired;
    while (this.retiredHead < q.length) {
      const l = q[this.retiredHead];
      // An entry whose tuple a new connection took has left the table already (forget).
      const still = this.isRetired(l);
      if (still && this.rows.f64[this.rows.doubles(l.row) + RETIRED_AT] >= before && q.length - this.retiredHead <= this.limits.maxLive) break;
      this.retiredHead++;
      if (still) this.unlink(l);
      this.rows.release(l.row);
    }
    const rest = compacted(q, this.retiredHead);
    if (rest) {
      this.retired = rest;
      this.retiredHead = 0;
    }
  }

  /** Hands on every connection idle too long or closed and past its wait; drops expired retired entries. */
  sweep(now: number): void {
    this.expireRetired(now - this.limits.grace);
    const idle = now - this.limits.idle;
    // Deleting the element being visited is safe while iterating a Set.
    for (const l of this.live) {
      const f = this.rows.doubles(l.row);
      const last = this.rows.f64[f + LAST_TIME];
      if (last < idle || (this.isClosed(l) && last + this.waitAfterClose(l) < now)) this.end(l, 'idle');
    }
    // Connections handed on by this sweep (or otherwise) must not stay in the closing queue.
    if (this.closingHead < this.closing.length) {
      this.closing = this.closing.slice(this.closingHead).filter((l) => this.live.has(l));
      this.closingHead = 0;
    }
  }
}
