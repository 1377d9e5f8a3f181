import { addrKey, appended, formatAddr, NONE, type DecodedPacket, type Dir, type IcmpFacts, type IcmpUnreachable, type PacketFacts, type RawPacket } from '@tlsdoctor/capture';
import {
  alertName,
  hex,
  isKnownQuicVersion,
  isQuicLongHeader,
  openQuicLongPacket,
  parseQuicDatagram,
  parseQuicFrames,
  parseQuicTransportParameters,
  QuicCryptoStream,
  quicInitialKeys,
  quicPacketKeys,
  quicTransportErrorName,
  http3ErrorName,
  quicVersionName,
  TLS13_DECRYPTABLE_SUITES,
  TlsParseError,
  type KeyLog,
  type QuicFrames,
  type QuicLongPacket,
  type QuicPacket,
  type QuicPacketKeys,
} from '@tlsdoctor/tls-parser-ts';
import { nodeHandshakeCrypto } from './node-crypto.js';
import { sideOf, type ConnectionRecord, type QuicFacts } from './record.js';
import { TlsConnectionSink } from './tls-sink.js';

const QUIC_TRANSPORT_PARAMETERS = 0x39;
/** Datagrams kept as packet facts per connection (evidence: times, sizes, TTLs). */
const MAX_LOGGED = 12;
/** Client Initials listed as evidence of a retransmitted, unanswered hello. */
const MAX_INITIALS = 8;
const MAX_ERRORS = 8;
/** Seconds without a datagram after which a QUIC connection is reported (QUIC's idle timeouts are 30 s or less). */
const IDLE_TIMEOUT = 60;
/** Live QUIC connections at most; past it the oldest is reported early. */
const MAX_LIVE = 100_000;
/** How often, in datagrams, idle connections are looked for. */
const SWEEP_EVERY = 4096;

/** Packet-number spaces read: Initial (anyone), Handshake (with a key log). */
type Space = 0 | 1;
const INITIAL: Space = 0;
const HANDSHAKE: Space = 1;

/**
 * One QUIC connection seen in a capture (one UDP flow): the packets of its handshake opened as
 * far as an observer can, and the TLS messages they carry read into the same record a TCP
 * connection fills.
 */
class QuicConnection {
  readonly sink: TlsConnectionSink;
  readonly facts: QuicFacts;
  /** Initial keys, from the Destination Connection ID of the client's Initial (a Retry or a new version changes it). */
  private initialKeys?: { client: QuicPacketKeys; server: QuicPacketKeys };
  private keysFor?: { dcid: string; version: number };
  private handshakeKeys?: [QuicPacketKeys | undefined, QuicPacketKeys | undefined] | null;
  private readonly largest: [[number, number], [number, number]] = [[-1, -1], [-1, -1]];
  private readonly streams: [[QuicCryptoStream, QuicCryptoStream], [QuicCryptoStream | undefined, QuicCryptoStream | undefined]];
  private retrySince = false;
  private clientInitialDatagrams = 0;
  private lastInitialFrame = -1;
  firstTime: number;
  lastTime: number;
  readonly packets: PacketFacts[] = [];
  packetCount = 0;
  /** ICMP unreachables that quote this connection's datagrams (a closed port, a firewall's reject). */
  icmp: IcmpFacts[] = NONE;

  constructor(
    readonly id: number,
    readonly ipVersion: 4 | 6,
    readonly client: { ip: string; port: number },
    readonly server: { ip: string; port: number },
    readonly clientKey: string | number,
    time: number,
    private readonly keyLog: KeyLog | undefined,
  ) {
    this.sink = new TlsConnectionSink(keyLog);
    this.firstTime = this.lastTime = time;
    this.streams = [[new QuicCryptoStream(), new QuicCryptoStream()], [undefined, undefined]];
    this.facts = {
      version: 0,
      versionName: '',
      originalDcid: '',
      datagrams: [0, 0],
      bytes: [0, 0],
      initials: [0, 0],
      handshakePackets: [0, 0],
      shortPackets: [0, 0],
      zeroRttPackets: 0,
      unopened: [0, 0],
      clientInitials: [],
      clientInitialDatagrams: 0,
      retries: [],
    };
  }

  datagram(dir: Dir, payload: Uint8Array, frame: number, time: number, ttl: number, ipId: number): void {
    const f = this.facts;
    this.lastTime = time;
    this.packetCount++;
    f.datagrams[dir]++;
    f.bytes[dir] += payload.length;
    const logged: PacketFacts | undefined = this.packets.length < MAX_LOGGED ? { frame, time, dir, flags: 0, seq: 0, ack: 0, len: payload.length, ttl, ipId, window: 0 } : undefined;
    if (logged) this.packets.push(logged);
    if (dir === 1) f.firstServerDatagram ??= { frame, time };
    let packets;
    try {
      packets = parseQuicDatagram(payload);
    } catch (e) {
      this.error(dir, e, frame);
      return;
    }
    if (logged) logged.quic = packets.map(packetName).join('+');
    for (const p of packets) {
      if (p.form === 'short') f.shortPackets[dir]++;
      else if (p.form === 'version-negotiation') {
        if (dir === 1) f.versionNegotiation ??= { frame, time, offered: f.version, versions: p.versions };
      } else if (p.form === 'long') this.longPacket(dir, payload, p, frame, time);
    }
  }

  private longPacket(dir: Dir, d: Uint8Array, p: QuicLongPacket, frame: number, time: number): void {
    const f = this.facts;
    switch (p.kind) {
      case 'retry':
        if (dir === 1 && f.retries.length < MAX_INITIALS) f.retries.push({ frame, time, tokenLength: p.token?.length ?? 0 });
        this.retrySince = true;
        return;
      case '0rtt':
        f.zeroRttPackets++;
        return;
      case 'handshake':
        f.handshakePackets[dir]++;
        this.open(dir, HANDSHAKE, d, p, frame, time);
        return;
      case 'initial':
        f.initials[dir]++;
        if (dir === 0) {
          // One entry per datagram (a datagram may coalesce two Initials).
          if (f.clientInitials.length < MAX_INITIALS && f.clientInitials[f.clientInitials.length - 1]?.frame !== frame) f.clientInitials.push({ frame, time });
          if (this.lastInitialFrame !== frame) this.clientInitialDatagrams++;
          this.lastInitialFrame = frame;
          this.initialKeysFrom(p);
        } else if (!f.serverScid) f.serverScid = hex(p.scid);
        this.open(dir, INITIAL, d, p, frame, time);
        if (dir === 0 && f.helloDatagrams === undefined && this.sink.rec.clientHello) f.helloDatagrams = this.clientInitialDatagrams;
        return;
    }
  }

  /**
   * The client's Initial names the keys: its first one, then the first after a Retry (which
   * gives a new Destination Connection ID) or in another version (after Version Negotiation).
   */
  private initialKeysFrom(p: QuicLongPacket): void {
    const f = this.facts;
    const dcid = hex(p.dcid);
    const k = this.keysFor;
    if (k && k.version === p.version && (k.dcid === dcid || !this.retrySince)) return;
    this.retrySince = false;
    this.initialKeys = quicInitialKeys(nodeHandshakeCrypto, p.version, p.dcid);
    this.keysFor = { dcid, version: p.version };
    if (!f.originalDcid) f.originalDcid = dcid;
    f.version = p.version;
    f.versionName = quicVersionName(p.version);
    // A new key epoch starts its packet numbers and CRYPTO streams over.
    this.largest[INITIAL] = [-1, -1];
    this.streams[INITIAL] = [new QuicCryptoStream(), new QuicCryptoStream()];
  }

  private keysOf(dir: Dir, space: Space): QuicPacketKeys | undefined {
    if (space === INITIAL) return dir === 0 ? this.initialKeys?.client : this.initialKeys?.server;
    if (this.handshakeKeys === undefined) this.handshakeKeys = this.deriveHandshakeKeys();
    return this.handshakeKeys?.[dir];
  }

  /** Handshake-space keys from a key log's handshake traffic secrets, once the ServerHello is known. */
  private deriveHandshakeKeys(): [QuicPacketKeys | undefined, QuicPacketKeys | undefined] | null | undefined {
    const r = this.sink.rec;
    if (!this.keyLog || this.keyLog.sessionCount === 0 || !r.clientHello) return null;
    // Not yet: the ServerHello (in an Initial) may come in a later datagram.
    if (!r.serverHello) return undefined;
    const suite = TLS13_DECRYPTABLE_SUITES[r.serverHello.cipherSuite];
    const random = r.clientHello.random;
    if (!suite || !this.keyLog.has(random)) return null;
    const side = (label: 'CLIENT_HANDSHAKE_TRAFFIC_SECRET' | 'SERVER_HANDSHAKE_TRAFFIC_SECRET') => {
      const secret = this.keyLog!.secret(random, label);
      return secret && secret.length === suite.hashLength ? quicPacketKeys(nodeHandshakeCrypto, suite, secret, this.facts.version) : undefined;
    };
    this.facts.handshakeOpened = [0, 0];
    return [side('CLIENT_HANDSHAKE_TRAFFIC_SECRET'), side('SERVER_HANDSHAKE_TRAFFIC_SECRET')];
  }

  private open(dir: Dir, space: Space, d: Uint8Array, p: QuicLongPacket, frame: number, time: number): void {
    const keys = this.keysOf(dir, space);
    if (!keys) {
      if (space === INITIAL) this.facts.unopened[dir]++;
      return;
    }
    const opened = openQuicLongPacket(nodeHandshakeCrypto, keys, d, p, this.largest[space][dir]);
    if (!opened) {
      if (space === INITIAL) this.facts.unopened[dir]++;
      return;
    }
    if (opened.packetNumber > this.largest[space][dir]) this.largest[space][dir] = opened.packetNumber;
    if (space === HANDSHAKE && this.facts.handshakeOpened) this.facts.handshakeOpened[dir]++;
    let frames: QuicFrames;
    try {
      frames = parseQuicFrames(opened.payload);
    } catch (e) {
      this.error(dir, e, frame);
      return;
    }
    if (frames.close && !this.facts.close) this.closed(dir, space, frames, frame, time);
    if (frames.crypto.length === 0) return;
    const stream = (this.streams[space][dir] ??= new QuicCryptoStream());
    for (const c of frames.crypto) stream.add(c.offset, c.data);
    for (const m of stream.takeMessages()) this.sink.handshakeMessage(dir, m.type, m.body, m.offset, { frame, time }, space === HANDSHAKE);
  }

  private closed(dir: Dir, space: Space, frames: QuicFrames, frame: number, time: number): void {
    const c = frames.close!;
    const from = sideOf(dir);
    const transport = c.frameType === 0x1c;
    this.facts.close = {
      from,
      frame,
      time,
      packet: space === INITIAL ? 'initial' : 'handshake',
      application: !transport,
      code: c.code,
      codeName: transport ? quicTransportErrorName(c.code) : http3ErrorName(c.code),
      ...(c.triggeringFrame ? { triggeringFrame: c.triggeringFrame } : {}),
      reason: c.reason,
    };
    // A crypto error carries the TLS alert the stack would have sent over TCP (RFC 9001 section 4.8).
    if (transport && c.code >= 0x100 && c.code <= 0x1ff) {
      const r = this.sink.rec;
      const description = c.code - 0x100;
      r.alerts = appended(r.alerts, { from, level: 'fatal', description, name: alertName(description), frame, time });
    }
  }

  private error(dir: Dir, e: unknown, frame: number): void {
    if (!(e instanceof TlsParseError)) throw e;
    const r = this.sink.rec;
    if (r.parseErrors.length < MAX_ERRORS) r.parseErrors = appended(r.parseErrors, { from: sideOf(dir), message: `QUIC, frame ${frame}: ${e.message}`, offset: e.offset });
  }

  /** The record, once the connection is over; undefined for a flow that never showed a readable Initial. */
  toRecord(): ConnectionRecord | undefined {
    const f = this.facts;
    const r = this.sink.rec;
    if (!r.clientHello && !r.serverHello && f.initials[0] === 0) return undefined;
    const ch = r.clientHello;
    if (ch) {
      const tp = ch.extensions.find((e) => e.type === QUIC_TRANSPORT_PARAMETERS);
      if (tp) {
        try {
          f.transportParameters = parseQuicTransportParameters(tp.data).map((t) => t.name);
        } catch (e) {
          this.error(0, e, ch.frame);
        }
      }
    }
    // A ClientHello begun in the client's Initials and never finished (an Initial lost or cut).
    const pending = ch ? undefined : this.streams[INITIAL][0]?.pendingMessage();
    if (pending) r.clientHelloCut = { length: pending.length, received: pending.received };
    const startCaptured = f.clientInitials.length > 0;
    if (!startCaptured) r.partialReasons = appended(r.partialReasons, "the capture holds none of the client's Initial packets");
    else if (f.unopened[0] === f.initials[0]) r.partialReasons = appended(r.partialReasons, "the client's Initial packets do not open with the keys of their version");
    f.clientInitialDatagrams = this.clientInitialDatagrams;
    r.quic = f;
    return r.completeWith({
      id: this.id,
      client: this.client,
      server: this.server,
      ipVersion: this.ipVersion,
      tlsEvidence: ch || f.initials[0] > 0 ? 'client-hello' : 'server-tls',
      startCaptured,
      firstTime: this.firstTime,
      lastTime: this.lastTime,
      tcp: {
        syn: undefined,
        synCount: 0,
        synAck: undefined,
        synAckCount: 0,
        rsts: NONE,
        rstCount: 0,
        fins: NONE,
        icmp: this.icmp,
        packets: this.packets,
        packetCount: this.packetCount,
        bytes: f.bytes,
        retransmissions: [0, 0],
        gaps: [0, 0],
        history: '',
        roles: startCaptured ? 'syn' : 'port',
      },
      end: undefined,
    });
  }
}

export interface QuicTableOptions {
  keyLog?: KeyLog;
  onRecord: (r: ConnectionRecord, captureTime: number) => void;
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

  constructor(private readonly opts: QuicTableOptions) {}

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
      const fromServer = d.srcPort === 443 && d.dstPort !== 443;
      const src = { ip: formatAddr(b, d.srcAddr, v), port: d.srcPort };
      const dst = { ip: formatAddr(b, d.dstAddr, v), port: d.dstPort };
      c = new QuicConnection(this.nextId++, v, fromServer ? dst : src, fromServer ? src : dst, fromServer ? dk : sk, time, this.opts.keyLog);
      this.live.set(key, c);
      this.count++;
      if (this.live.size > MAX_LIVE) this.emit(this.live.keys().next().value!);
    }
    const dir: Dir = sk === c.clientKey && d.srcPort === c.client.port ? 0 : 1;
    c.datagram(dir, payload, raw.index, time, d.ttl, d.ipId);
    if (++this.sinceSweep >= SWEEP_EVERY) this.advance(this.now);
  }

  /** An ICMP unreachable quoting a UDP datagram: noted on the QUIC connection it belongs to, if any. */
  unreachable(q: IcmpUnreachable, facts: IcmpFacts): void {
    const c = this.live.get(flowKey(addrKey(q.buf, q.srcAddr, q.ipVersion), q.srcPort, addrKey(q.buf, q.dstAddr, q.ipVersion), q.dstPort));
    if (c && c.icmp.length < MAX_INITIALS) c.icmp = appended(c.icmp, facts);
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

const KIND_NAMES = { initial: 'Initial', '0rtt': '0-RTT', handshake: 'Handshake', retry: 'Retry' } as const;

function packetName(p: QuicPacket): string {
  if (p.form === 'long') return KIND_NAMES[p.kind];
  if (p.form === 'short') return '1-RTT';
  return p.form === 'version-negotiation' ? 'Version Negotiation' : `version 0x${p.version.toString(16)}`;
}

/** A datagram that can open a QUIC connection: a long-header packet of a version read here (or Version Negotiation). */
function startsQuicConnection(p: Uint8Array): boolean {
  if (p.length < 7 || !isQuicLongHeader(p[0])) return false;
  const version = ((p[1] << 24) >>> 0) + ((p[2] << 16) | (p[3] << 8) | p[4]);
  return isKnownQuicVersion(version);
}
