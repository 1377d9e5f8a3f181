import type { DecodedPacket, IcmpError, IcmpKind } from './decoded-packet.js';
import type { RawPacket } from './packet.js';
// What the TCP tracker hands on: a connection's facts, its packets and the options that bound it.

export interface Endpoint {
  ip: string;
  port: number;
}

/** 0: client to server; 1: server to client. */
export type Dir = 0 | 1;

/** The per-packet facts the diagnosis reads: flags, sequence numbers, TTL, IP ID, window. */
export interface PacketFacts {
  frame: number;
  time: number;
  dir: Dir;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  ttl: number;
  /** IPv4 identification; -1 on IPv6. */
  ipId: number;
  window: number;
  /** Read for logged packets only: the MSS a SYN announces. */
  mss?: number;
  /** Read for logged packets only: SACK blocks, left and right edge after edge (absolute sequence numbers). */
  sack?: number[];
}

/** An ICMP error that quotes one of a connection's packets (or a UDP flow's datagrams). */
export interface IcmpFacts {
  frame: number;
  time: number;
  type: number;
  code: number;
  /** Who sent the ICMP message (a router or the host itself). */
  from: string;
  ttl: number;
  /** What it says: see IcmpKind (ICMPv4's fragmentation needed is 'packet-too-big'). */
  kind: IcmpKind;
  /** The RFC name of its type and code (icmpName), one wording everywhere. */
  name: string;
  /** For 'packet-too-big': the MTU it names, if it names one. */
  mtu?: number;
}

export interface StreamSink {
  /**
   * Bytes of one direction, in sequence order, each byte once. The array is the sink's to keep
   * (unless keepsBytes said otherwise); `pkt` is valid only during the call. Return false once
   * no more bytes are wanted.
   */
  data(dir: Dir, bytes: Uint8Array, pkt: PacketFacts): boolean;
  /** Bytes that were never captured lie before the next data. */
  gap?(dir: Dir, missing: number, pkt: PacketFacts | undefined): void;
  /**
   * Whether the sink keeps views of the bytes it is given for this direction (default yes). When
   * it does not (it only counts them), the tracker hands on views of its read buffer, uncopied.
   */
  keepsBytes?(dir: Dir): boolean;
}

export interface DirectionStats {
  packets: number;
  payloadBytes: number;
  /** Bytes handed to the sink. */
  delivered: number;
  retransmissions: number;
  outOfOrder: number;
  gaps: number;
  /** Packets cut by the snap length. */
  truncated: number;
}

/**
 * Why a connection was handed on: closed by FIN both ways with both FINs acknowledged, quiet
 * (idle, or past its grace after a RST), its tuple reused by a new SYN, evicted at the live cap,
 * or the end of the capture.
 */
export type ConnectionEnd = 'closed' | 'eof' | 'idle' | 'reused' | 'evicted';

export interface TcpConnection {
  /** Order of the connection's first packet in the capture, from 0. */
  id: number;
  ipVersion: 4 | 6;
  client: Endpoint;
  server: Endpoint;
  /** How client and server were told apart: by the SYN, the SYN-ACK, or (no handshake captured) by port. */
  roles: 'syn' | 'syn-ack' | 'port';
  /** False when the capture began after the connection did: no SYN seen. */
  startCaptured: boolean;
  firstTime: number;
  lastTime: number;
  syn?: PacketFacts;
  synCount: number;
  synAck?: PacketFacts;
  synAckCount: number;
  /** RSTs (up to 16) and FINs (up to 4) in order. Like syn, synAck and packets: set when the connection is handed on. */
  rsts: PacketFacts[];
  rstCount: number;
  fins: PacketFacts[];
  /** The first packets of the connection (up to 10). */
  packets: PacketFacts[];
  packetCount: number;
  /** ICMP errors that quote the connection's packets (unreachable, packet too big, time exceeded). */
  icmp: IcmpFacts[];
  stats: [DirectionStats, DirectionStats];
  endedBy: ConnectionEnd;
  sink?: StreamSink;
}

export interface TrackerOptions {
  /**
   * Each connection once it is over, with its packets. A new object, not the one given to
   * sinkFactory (its `id` and `sink` are the same): while a connection is live the tracker keeps
   * its facts as numbers outside the heap, and builds the object when it hands it on
   * (docs/capture.md).
   */
  onConnection: (c: TcpConnection) => void;
  /**
   * Gives a connection a sink for its reassembled bytes when its first payload byte arrives (a
   * connection that never carries one never has a sink); none means bytes are only counted.
   * The connection it is given is as it is at that byte, and does not follow it afterwards: its
   * counters as they are then, no packets listed yet; `client` and `server` are made when read.
   */
  sinkFactory?: (c: TcpConnection) => StreamSink | undefined;
  /** Live connections at most; past it the oldest is emitted early (endedBy 'evicted'). Default 200,000. */
  maxLive?: number;
  /** Seconds of capture time without a packet after which a connection is emitted. Default 300. */
  idleTimeout?: number;
  /**
   * Seconds of capture time a closed connection (reset, or FINs both ways without the last
   * ACK) is kept after its last packet before it is emitted (an injected reset is often followed
   * by the server's own answer within a round trip or two; one still retransmitting with backoff
   * waits this plus twice the gap before its last packet), and for which the tuple of a
   * connection closed by FINs and acknowledged still absorbs stragglers. Default 3.
   */
  closeGrace?: number;
  /** Bytes per direction handed to the sink at most. Default 256 KiB. */
  payloadCap?: number;
  /**
   * Each UDP datagram (QUIC is read from them); the decoded packet and the raw one are valid
   * only during the call.
   */
  onDatagram?: (d: DecodedPacket, raw: RawPacket, time: number) => void;
  /**
   * An ICMP error that quotes a UDP datagram: a destination unreachable (a closed UDP port, a
   * firewall's reject), a packet too big or a time exceeded (`facts.kind` says which).
   */
  onDatagramIcmp?: (quote: IcmpError, facts: IcmpFacts) => void;
}

export interface TrackerStats {
  packets: number;
  tcpPackets: number;
  udpPackets: number;
  nonIp: number;
  otherIp: number;
  fragments: number;
  truncated: number;
  /** ICMP errors read (every IcmpKind), and of them the destination unreachables (kind 'unreachable'). */
  icmpErrors: number;
  icmpUnreachable: number;
  /** ICMP errors whose quoted packet belongs to no connection (or UDP flow) known. */
  icmpUnmatched: number;
  unknownLinkTypes: Map<number, number>;
  connections: number;
  evicted: number;
  peakLive: number;
  /** Packets of a connection already closed by FINs and handed on (a late ACK, a retransmission, a RST), counted only. */
  afterClose: number;
}
