import { addrKey, formatAddr, type DecodedPacket, type Dir, type IcmpFacts, type IcmpError, type RawPacket } from '@tlsdoctor/capture';
import { isKnownQuicVersion, isQuicLongHeader } from '@tlsdoctor/tls-parser-ts';
import { CaptureResources } from './resources.js';
import type { QuicRecord } from './record.js';
import { QuicConnection } from './quic-connection.js';

/** Seconds without a datagram after which a QUIC connection is reported (QUIC's idle timeouts are 30 s or less). */
const IDLE_TIMEOUT = 60;
/** Live QUIC connections at most; past it the oldest is reported early. */
const MAX_LIVE = 100_000;
/** How often, in datagrams, idle connections are looked for. */
const SWEEP_EVERY = 4096;
/** The QUIC port: a flow's first Initial sent from it to another port was sent by the server. */
const HTTPS_PORT = 443;

export interface QuicTableOptions {
  /** The capture's key log and roots, shared by its connections (a new set when absent). */
  shared?: CaptureResources;
  onRecord: (r: QuicRecord, captureTime: number) => void;
}

/**
 * The QUIC connections of a capture, one per UDP flow that began with a long-header packet of
 * a known version (connection migration, a new address or port, starts a new one). Other UDP
 * costs one byte test per datagram while no QUIC connection is live.
 */
export class QuicTable {
  private readonly live = new Map<string, QuicConnection>();
  private nextId = 0;
  private sinceSweep = 0;
  private now = 0;
  /** QUIC connections seen. */
  count = 0;

  private readonly shared: CaptureResources;

  constructor(private readonly opts: QuicTableOptions) {
    this.shared = opts.shared ?? new CaptureResources();
  }

  datagram(d: DecodedPacket, raw: RawPacket, time: number): void {
    const len = d.payloadLength;
    if (len < 1) return;
    const b = d.buf;
    const first = b[d.payloadStart];
    if (this.live.size === 0 && !isQuicLongHeader(first)) return;
    if (time > this.now) this.now = time;
    const v = d.ipVersion;
    const sk = addrKey(b, d.srcAddr, v);
    const dk = addrKey(b, d.dstAddr, v);
    const key = flowKey(sk, d.srcPort, dk, d.dstPort);
    let c = this.live.get(key);
    const payload = b.subarray(d.payloadStart, d.payloadStart + len);
    if (!c) {
      if (!startsQuicConnection(payload)) return;
      // The sender of the first Initial is the client, unless it sends from 443 to another port
      // (the capture began after the client's first packets).
      const fromServer = d.srcPort === HTTPS_PORT && d.dstPort !== HTTPS_PORT;
      const src = { ip: formatAddr(b, d.srcAddr, v), port: d.srcPort };
      const dst = { ip: formatAddr(b, d.dstAddr, v), port: d.dstPort };
      c = new QuicConnection(this.nextId++, v, fromServer ? dst : src, fromServer ? src : dst, fromServer ? dk : sk, time, this.shared);
      this.live.set(key, c);
      this.count++;
      if (this.live.size > MAX_LIVE) this.emit(this.live.keys().next().value!);
    }
    const dir: Dir = sk === c.clientKey && d.srcPort === c.client.port ? 0 : 1;
    c.datagram(dir, payload, raw.index, time, d.ttl, d.ipId);
    if (++this.sinceSweep >= SWEEP_EVERY) this.advance(this.now);
  }

  /** An ICMP error quoting a UDP datagram (unreachable, packet too big, time exceeded): noted on the QUIC connection it belongs to, if any. */
  icmpError(q: IcmpError, facts: IcmpFacts): void {
    const c = this.live.get(flowKey(addrKey(q.buf, q.srcAddr, q.ipVersion), q.srcPort, addrKey(q.buf, q.dstAddr, q.ipVersion), q.dstPort));
    c?.icmp(facts);
  }

  /** Reports connections quiet for longer than the idle timeout at capture time `now`. */
  advance(now: number): void {
    this.sinceSweep = 0;
    if (now > this.now) this.now = now;
    for (const [key, c] of this.live) if (now - c.lastTime > IDLE_TIMEOUT) this.emit(key);
  }

  finish(): void {
    for (const key of [...this.live.keys()]) this.emit(key);
  }

  private emit(key: string): void {
    const c = this.live.get(key)!;
    this.live.delete(key);
    const rec = c.toRecord();
    if (rec) this.opts.onRecord(rec, this.now);
  }
}

/** A UDP flow's key, the same either way round. */
function flowKey(src: string | number, sport: number, dst: string | number, dport: number): string {
  const a = `${src}/${sport}`;
  const z = `${dst}/${dport}`;
  return a < z ? `${a}|${z}` : `${z}|${a}`;
}

/** A datagram that can open a QUIC connection: a long-header packet of a version read here (or Version Negotiation). */
function startsQuicConnection(p: Uint8Array): boolean {
  if (p.length < 7 || !isQuicLongHeader(p[0])) return false;
  const version = ((p[1] << 24) >>> 0) + ((p[2] << 16) | (p[3] << 8) | p[4]);
  return isKnownQuicVersion(version);
}
