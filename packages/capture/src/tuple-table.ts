// The tracker's table entries, keyed on the 4-tuple either way round, and the hash of that key.
import type { PacketLog } from './packet-log.js';
import type { PacketFacts, TcpConnection } from './tcp-types.js';

export interface Pending {
  seq: number;
  data: Uint8Array;
  pkt: PacketFacts;
}

export interface DirState {
  next: number | undefined;
  pending: Pending[];
  pendingBytes: number;
  wantMore: boolean;
}

export interface Live {
  conn: TcpConnection;
  /** The 4-tuple as its first packet had it; lookups match it either way round. */
  a: string | number;
  pa: number;
  b: string | number;
  pb: number;
  hash: number;
  /** The next connection in the same hash bucket. */
  next: Live | undefined;
  clientKey: string | number;
  clientPort: number;
  dirs: [DirState, DirState];
  closed: boolean;
  /** When it joined the tracker's queue of closed connections (capture time), -1 if it is not in it. */
  closingAt: number;
  /** The time of the packet before its last one. */
  prevTime: number;
  /** The directions that sent a FIN (bit 0: client, bit 1: server), and whose FIN was acknowledged. */
  finDirs: number;
  finAcked: number;
  /** The sequence numbers that acknowledge the client's and the server's FIN. */
  finEnd0: number;
  finEnd1: number;
  /**
   * Closed by FINs and handed on: the entry stays in the table for the grace period only so
   * that stragglers are not taken for a new connection, and holds nothing of the connection.
   */
  retired: boolean;
  retiredAt: number;
  /** The packets it keeps, packed (packet-log.ts): made into the record's objects when it is handed on. */
  log: PacketLog;
  /** How many of the log's entries are the connection's first packets (the rest: later SYNs, RSTs, FINs). */
  firstPackets: number;
  /** Where the SYN and the SYN-ACK the connection follows start in the log; -1 for none. */
  synAt: number;
  synAckAt: number;
  /**
   * SYN-ACKs with different initial sequence numbers (a middlebox's beside the server's), as
   * places in the log: the server's bytes follow the one the client acknowledges. Empty (the
   * shared NONE) for nearly all.
   */
  synAcks: number[];
  /** RSTs and FINs in the log, up to the number the record lists. */
  rstsLogged: number;
  finsLogged: number;
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
