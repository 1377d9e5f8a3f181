// The tracker's table entries, keyed on the 4-tuple either way round, and the hash of that key.
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
  /**
   * Its row of the tracker's packet slab (packet-slab.ts), which holds its first packets until it
   * is handed on; -1 once handed on.
   */
  row: number;
  firstPackets: number;
  /**
   * The packets logged after the first ones (the SYNs, SYN-ACKs, RSTs and FINs the record lists),
   * as objects: few connections have any. A logged packet's place: below the number of first
   * packets, its place in the row; above, in this list after them.
   */
  later: PacketFacts[];
  /** SACK blocks of the first packets, by place; the shared empty list when none had any. */
  sacks: (number[] | undefined)[];
  /** Where the SYN and the SYN-ACK the connection follows are logged; -1 for none. */
  synAt: number;
  synAckAt: number;
  /**
   * SYN-ACKs with different initial sequence numbers (a middlebox's beside the server's), by
   * place: the server's bytes follow the one the client acknowledges. Empty (the shared NONE) for
   * nearly all.
   */
  synAcks: number[];
  /** Logged RSTs and FINs, up to the number the record lists. */
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
