import { appended, NONE, type Dir, type Endpoint, type IcmpFacts } from '@tlsdoctor/capture';
import {
  alertName,
  cipherSuiteName,
  Ext,
  hex,
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
  type FingerprintCache,
  type KeyLog,
  QuicFrameType,
  quicCryptoErrorAlert,
  type QuicFrames,
  type QuicLongPacket,
  type QuicPacket,
  type QuicPacketKeys,
} from '@tlsdoctor/tls-parser-ts';
import { nodeHandshakeCrypto } from './node-crypto.js';
import { sideOf, type DatagramFacts, type DecryptionMiss, type QuicFacts, type QuicRecord } from './record.js';
import { QuicConnectionRecord } from './records.js';
import type { CaptureResources } from './resources.js';
import { TlsFactsBuilder } from './tls-facts.js';

/** Datagrams kept as packet facts per connection (evidence: times, sizes, TTLs). */
const MAX_LOGGED = 12;
/** Client Initials listed as evidence of a retransmitted, unanswered hello. */
const MAX_INITIALS = 8;
const MAX_ERRORS = 8;
/** ICMP errors kept per connection. */
const MAX_ICMP = 8;

/** Packet-number spaces read: Initial (anyone), Handshake (with a key log). */
type Space = 0 | 1;
const INITIAL: Space = 0;
const HANDSHAKE: Space = 1;

/**
 * One QUIC connection seen in a capture (one UDP flow): the packets of its handshake opened as
 * far as an observer can, and the TLS messages they carry read into the same record a TCP
 * connection fills.
 */
export class QuicConnection {
  readonly tls: TlsFactsBuilder;
  private readonly keyLog: KeyLog;
  private readonly fingerprints: FingerprintCache;
  readonly facts: QuicFacts;
  /** Initial keys, from the Destination Connection ID of the client's Initial (a Retry or a new version changes it). */
  private initialKeys?: { client: QuicPacketKeys; server: QuicPacketKeys };
  private keysFor?: { dcid: string; version: number };
  private handshakeKeys?: [QuicPacketKeys | undefined, QuicPacketKeys | undefined] | null;
  private readonly largest: [[number, number], [number, number]] = [[-1, -1], [-1, -1]];
  private readonly streams: [[QuicCryptoStream, QuicCryptoStream], [QuicCryptoStream | undefined, QuicCryptoStream | undefined]];
  private retrySince = false;
  /** Why the key log's secrets do not open this connection's Handshake packets, when it holds them but the suite does not open. */
  private notOpenable: string | undefined = undefined;
  /** Each side's first Handshake packet (1: its first) that its handshake keys did not open. */
  private readonly handshakeFailedAt: [number | undefined, number | undefined] = [undefined, undefined];
  private clientInitialDatagrams = 0;
  private lastInitialFrame = -1;
  firstTime: number;
  lastTime: number;

  constructor(
    readonly id: number,
    readonly ipVersion: 4 | 6,
    readonly client: Endpoint,
    readonly server: Endpoint,
    readonly clientKey: string | number,
    time: number,
    shared: CaptureResources,
  ) {
    this.keyLog = shared.keyLog;
    this.fingerprints = shared.fingerprints;
    this.tls = new TlsFactsBuilder(shared.roots);
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
      log: [],
      icmp: NONE,
    };
  }

  /** An ICMP message quoting one of the connection's datagrams. */
  icmp(facts: IcmpFacts): void {
    if (this.facts.icmp.length < MAX_ICMP) this.facts.icmp = appended(this.facts.icmp, facts);
  }

  datagram(dir: Dir, payload: Uint8Array, frame: number, time: number, ttl: number, ipId: number): void {
    const f = this.facts;
    this.lastTime = time;
    f.datagrams[dir]++;
    f.bytes[dir] += payload.length;
    const logged: DatagramFacts | undefined = f.log.length < MAX_LOGGED ? { frame, time, dir, len: payload.length, ttl, ipId, packets: '' } : undefined;
    if (logged) f.log.push(logged);
    if (dir === 1) f.firstServerDatagram ??= { frame, time };
    let packets;
    try {
      packets = parseQuicDatagram(payload);
    } catch (e) {
      this.error(dir, e, frame);
      return;
    }
    if (logged) logged.packets = packets.map(packetName).join('+');
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
        if (dir === 0 && f.helloDatagrams === undefined && this.tls.facts.clientHello) f.helloDatagrams = this.clientInitialDatagrams;
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
    const r = this.tls.facts;
    if (this.keyLog.sessionCount === 0 || !r.clientHello) return null;
    // Not yet: the ServerHello (in an Initial) may come in a later datagram.
    if (!r.serverHello) return undefined;
    const suite = TLS13_DECRYPTABLE_SUITES[r.serverHello.cipherSuite];
    const random = r.clientHello.random;
    if (!this.keyLog.has(random)) return null;
    // QUIC never uses CCM_8 (RFC 9001 section 5.3): its packets would need a 16-byte tag.
    if (!suite || suite.tagLength) {
      this.notOpenable = `${cipherSuiteName(r.serverHello.cipherSuite)} is not a suite QUIC packets are opened with`;
      return null;
    }
    const side = (label: 'CLIENT_HANDSHAKE_TRAFFIC_SECRET' | 'SERVER_HANDSHAKE_TRAFFIC_SECRET') => {
      const secret = this.keyLog.secret(random, label);
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
      else this.handshakeFailedAt[dir] ??= this.facts.handshakePackets[dir];
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
    // The codec cuts the messages and parses the hellos, as it does for TLS records.
    for (const ev of stream.takeEvents(sideOf(dir), space === HANDSHAKE)) {
      // After a Retry the client sends its ClientHello again, the same hello in a new Initial
      // stream: one hello, listed once (a new one, after Version Negotiation, has a new random).
      if (ev.kind === 'handshake' && ev.clientHello && this.tls.facts.clientHello && sameBytes(ev.clientHello.random, this.tls.facts.clientHello.random)) continue;
      this.tls.event(dir, ev, { frame, time });
    }
  }

  private closed(dir: Dir, space: Space, frames: QuicFrames, frame: number, time: number): void {
    const c = frames.close!;
    const from = sideOf(dir);
    const transport = c.frameType === QuicFrameType.ConnectionClose;
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
    const description = transport ? quicCryptoErrorAlert(c.code) : undefined;
    if (description !== undefined) {
      const r = this.tls.facts;
      r.alerts = appended(r.alerts, { from, level: 'fatal', description, name: alertName(description), frame, time });
    }
  }

  private error(dir: Dir, e: unknown, frame: number): void {
    if (!(e instanceof TlsParseError)) throw e;
    const r = this.tls.facts;
    if (r.parseErrors.length < MAX_ERRORS) r.parseErrors = appended(r.parseErrors, { from: sideOf(dir), message: `QUIC, frame ${frame}: ${e.message}`, offset: e.offset });
  }

  /** What the key log did for the Handshake packets, as a TCP connection's record says it of its records. */
  private decryptionFacts(random: Uint8Array): NonNullable<QuicRecord['decryption']> {
    const f = this.facts;
    const opened: [number, number] = f.handshakeOpened ? [f.handshakeOpened[0], f.handshakeOpened[1]] : [0, 0];
    const secrets = this.keyLog.has(random);
    const failed = ([1, 0] as const).find((dir) => this.handshakeFailedAt[dir] !== undefined && !this.tls.finished(dir));
    const notOpened: DecryptionMiss | undefined = !secrets
      ? { why: 'no-secret' }
      : this.notOpenable
        ? { why: 'not-decryptable', reason: this.notOpenable }
        : failed !== undefined
          ? { why: 'record-failed', from: sideOf(failed), record: this.handshakeFailedAt[failed]! }
          : opened[0] + opened[1] === 0
            ? { why: 'not-decryptable', reason: 'no Handshake packet came after the ServerHello was read' }
            : undefined;
    return { secrets, opened, ...(notOpened ? { notOpened } : {}) };
  }

  /** The record, once the connection is over; undefined for a flow that never showed a readable Initial. */
  toRecord(): QuicRecord | undefined {
    const f = this.facts;
    const r = this.tls.facts;
    if (!r.clientHello && !r.serverHello && f.initials[0] === 0) return undefined;
    const ch = r.clientHello;
    const tp = ch?.extensions.find((e) => e.type === Ext.quic_transport_parameters);
    if (ch && tp) {
      try {
        f.transportParameters = parseQuicTransportParameters(tp.data).map((t) => t.name);
      } catch (e) {
        this.error(0, e, ch.frame);
      }
    }
    // A ClientHello begun in the client's Initials and never finished (an Initial lost or cut).
    const pending = ch ? undefined : this.streams[INITIAL][0]?.pendingMessage();
    if (pending) r.clientHelloCut = { length: pending.length, received: pending.received };
    const startCaptured = f.clientInitials.length > 0;
    if (!startCaptured) r.partialReasons = appended(r.partialReasons, "the capture holds none of the client's Initial packets");
    else if (f.unopened[0] === f.initials[0]) r.partialReasons = appended(r.partialReasons, "the client's Initial packets do not open with the keys of their version");
    f.clientInitialDatagrams = this.clientInitialDatagrams;
    if (this.keyLog.sessionCount > 0 && ch && f.handshakePackets[0] + f.handshakePackets[1] > 0) r.decryption = this.decryptionFacts(ch.random);
    const connection = {
      id: this.id,
      client: this.client,
      server: this.server,
      ipVersion: this.ipVersion,
      tlsEvidence: ch || f.initials[0] > 0 ? ('client-hello' as const) : ('server-tls' as const),
      startCaptured,
      firstTime: this.firstTime,
      lastTime: this.lastTime,
    };
    return new QuicConnectionRecord(connection, this.tls.complete(), f, this.fingerprints);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const KIND_NAMES = { initial: 'Initial', '0rtt': '0-RTT', handshake: 'Handshake', retry: 'Retry' } as const;

function packetName(p: QuicPacket): string {
  if (p.form === 'long') return KIND_NAMES[p.kind];
  if (p.form === 'short') return '1-RTT';
  return p.form === 'version-negotiation' ? 'Version Negotiation' : `version 0x${p.version.toString(16)}`;
}
