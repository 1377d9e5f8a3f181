import { TlsParseError } from './errors.js';
import { quicTransportParameterName } from './names.js';
import { ByteReader } from './reader.js';
import { concatBytes } from './writer.js';
import { hkdfExpandLabel, type AeadName, type HandshakeCrypto, type SuiteParams } from './tls13-decrypt.js';

/**
 * QUIC's long-header packets (RFC 9000 section 17, RFC 9369 for version 2) and the protection
 * of Initial packets (RFC 9001 section 5): everything an observer can read of a QUIC handshake
 * without secrets. Initial keys come from the client's Destination Connection ID and a salt
 * each version publishes, so the ClientHello and ServerHello they carry are readable by anyone.
 * As for TLS 1.3 records, the crypto itself comes from the caller.
 */
export interface QuicCrypto extends HandshakeCrypto {
  /**
   * The header-protection mask (RFC 9001 section 5.4): AES-ECB of the 16-byte sample for AES
   * suites; for ChaCha20, its keystream (counter and nonce from the sample) over 5 zero bytes.
   */
  headerMask(cipher: 'aes' | 'chacha20', key: Uint8Array, sample: Uint8Array): Uint8Array;
  /** Seals a plaintext with an AEAD: the ciphertext, then the 16-byte tag (a probe's own Initials). */
  seal(aead: AeadName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plain: Uint8Array): Uint8Array;
}

export type QuicLongKind = 'initial' | '0rtt' | 'handshake' | 'retry';

interface VersionRules {
  salt: Uint8Array;
  /** The prefix of the key, iv and header-protection labels. */
  label: 'quic' | 'quicv2';
  /** The long-header type bits of Initial, 0-RTT, Handshake and Retry packets. */
  kinds: readonly [QuicLongKind, QuicLongKind, QuicLongKind, QuicLongKind];
}

const unhex = (s: string) => Uint8Array.from(s.match(/../g)!, (h) => parseInt(h, 16));
const V1_KINDS = ['initial', '0rtt', 'handshake', 'retry'] as const;
const V1: VersionRules = { salt: unhex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a'), label: 'quic', kinds: V1_KINDS };
const V2: VersionRules = { salt: unhex('0dede3def700a6db819381be6e269dcbf9bd2ed9'), label: 'quicv2', kinds: ['retry', 'initial', '0rtt', 'handshake'] };
// The IETF drafts kept version 1's layout; their Initial salts changed twice.
const DRAFT_29: VersionRules = { salt: unhex('afbfec289993d24c9e9786f19c6111e04390a899'), label: 'quic', kinds: V1_KINDS };
const DRAFT_23: VersionRules = { salt: unhex('c3eef712c72ebb5a11a7d2432bb46365bef9f502'), label: 'quic', kinds: V1_KINDS };

export const QuicVersion = { V1: 0x00000001, V2: 0x6b3343cf } as const;

function rulesOf(version: number): VersionRules | undefined {
  if (version === QuicVersion.V1) return V1;
  if (version === QuicVersion.V2) return V2;
  if (version >= 0xff00001d && version <= 0xff000022) return DRAFT_29;
  if (version >= 0xff000017 && version <= 0xff00001c) return DRAFT_23;
  return undefined;
}

/** Whether this reader knows the packet layout and Initial salt of a QUIC version. */
export function isKnownQuicVersion(version: number): boolean {
  return rulesOf(version) !== undefined;
}

/** RFC 9000 section 17.2: the first byte of a long header has its two top bits set (the second, the fixed bit, may be greased). */
export function isQuicLongHeader(firstByte: number): boolean {
  return (firstByte & 0x80) !== 0;
}

interface PacketBase {
  /** Where the packet starts and ends in the datagram. */
  start: number;
  end: number;
}

export interface QuicLongPacket extends PacketBase {
  form: 'long';
  kind: QuicLongKind;
  version: number;
  dcid: Uint8Array;
  scid: Uint8Array;
  /** Initial packets: the token (empty unless a Retry or a NEW_TOKEN gave one). Retry packets: the token offered. */
  token?: Uint8Array;
  /** Where the protected packet number starts (not for Retry). */
  pnOffset: number;
}

export interface QuicVersionNegotiation extends PacketBase {
  form: 'version-negotiation';
  dcid: Uint8Array;
  scid: Uint8Array;
  versions: number[];
}

/** A long header of a version this reader does not know: its length is unknown, so it runs to the datagram's end. */
export interface QuicUnknownVersion extends PacketBase {
  form: 'unknown-version';
  version: number;
  dcid: Uint8Array;
  scid: Uint8Array;
}

/** A short-header (1-RTT) packet: it has no length, so it runs to the datagram's end. */
export interface QuicShortPacket extends PacketBase {
  form: 'short';
}

export type QuicPacket = QuicLongPacket | QuicVersionNegotiation | QuicUnknownVersion | QuicShortPacket;

/** RFC 9000 section 17.2: version 1 caps connection IDs at 20 bytes; later versions may not. */
const MAX_CID_V1 = 20;

/**
 * Splits a UDP datagram into its QUIC packets: long-header packets coalesced one after another
 * (RFC 9000 section 12.2), then possibly one short-header packet. Zero bytes after the last
 * packet are padding. Throws TlsParseError (offsets from `origin`) where a header breaks.
 */
export function parseQuicDatagram(d: Uint8Array, origin = 0): QuicPacket[] {
  const out: QuicPacket[] = [];
  const r = new ByteReader(d, 0, d.length, origin);
  while (r.remaining > 0) {
    const start = r.pos;
    const first = d[start];
    if (out.length > 0 && first === 0) break;
    if (!isQuicLongHeader(first)) {
      out.push({ form: 'short', start, end: d.length });
      break;
    }
    r.skip(1, 'QUIC long header');
    const version = r.u32('QUIC version');
    const dcid = r.bytes(r.u8('destination connection ID length'), 'destination connection ID');
    const scid = r.bytes(r.u8('source connection ID length'), 'source connection ID');
    if (version === 0) {
      const versions: number[] = [];
      while (r.remaining >= 4) versions.push(r.u32('supported version'));
      if (r.remaining > 0 || versions.length === 0) r.fail('version list of whole 32-bit versions', `${r.remaining} trailing byte(s)`);
      out.push({ form: 'version-negotiation', start, end: d.length, dcid, scid, versions });
      break;
    }
    const rules = rulesOf(version);
    if (!rules) {
      out.push({ form: 'unknown-version', start, end: d.length, version, dcid, scid });
      break;
    }
    if (dcid.length > MAX_CID_V1 || scid.length > MAX_CID_V1) throw new TlsParseError(origin + start + 5, 'connection IDs of at most 20 bytes', `${dcid.length} and ${scid.length}`);
    const kind = rules.kinds[(first >> 4) & 3];
    if (kind === 'retry') {
      // The token runs to the 16-byte integrity tag at the end of the datagram.
      if (r.remaining < 16) r.fail('Retry integrity tag', `needs 16 bytes, ${r.remaining} left`);
      const token = r.bytes(r.remaining - 16, 'Retry token');
      r.skip(16, 'Retry integrity tag');
      out.push({ form: 'long', kind, version, dcid, scid, token, start, end: d.length, pnOffset: r.pos });
      break;
    }
    const token = kind === 'initial' ? r.bytes(r.varint('token length'), 'token') : undefined;
    const length = r.varint('packet length');
    const pnOffset = r.pos;
    r.skip(length, 'packet number and payload');
    out.push({ form: 'long', kind, version, dcid, scid, ...(token ? { token } : {}), start, end: r.pos, pnOffset });
  }
  return out;
}

export interface QuicPacketKeys {
  aead: AeadName;
  key: Uint8Array;
  iv: Uint8Array;
  hp: Uint8Array;
}

/** The packet keys of one TLS secret (RFC 9001 section 5.1): an Initial secret, or a handshake traffic secret from a key log. */
export function quicPacketKeys(c: QuicCrypto, suite: SuiteParams, secret: Uint8Array, version: number): QuicPacketKeys {
  const label = rulesOf(version)?.label ?? 'quic';
  const none = new Uint8Array(0);
  return {
    aead: suite.aead,
    key: hkdfExpandLabel(c, suite.hash, secret, `${label} key`, none, suite.keyLength),
    iv: hkdfExpandLabel(c, suite.hash, secret, `${label} iv`, none, 12),
    hp: hkdfExpandLabel(c, suite.hash, secret, `${label} hp`, none, suite.keyLength),
  };
}

const INITIAL_SUITE: SuiteParams = { hash: 'sha256', hashLength: 32, aead: 'aes-128-gcm', keyLength: 16 };

/** RFC 9001 section 5.2 (RFC 9369 section 3.3.1 for version 2): both sides' Initial keys, from the client's first Destination Connection ID. */
export function quicInitialKeys(c: QuicCrypto, version: number, clientDcid: Uint8Array): { client: QuicPacketKeys; server: QuicPacketKeys } | undefined {
  const rules = rulesOf(version);
  if (!rules) return undefined;
  const initial = c.hmac('sha256', rules.salt, clientDcid);
  const side = (label: string) => quicPacketKeys(c, INITIAL_SUITE, hkdfExpandLabel(c, 'sha256', initial, label, new Uint8Array(0), 32), version);
  return { client: side('client in'), server: side('server in') };
}

/** RFC 9000 appendix A.3: the full packet number nearest the one after the largest seen. */
export function decodePacketNumber(largest: number, truncated: number, bits: number): number {
  const expected = largest + 1;
  const win = 2 ** bits;
  const half = win / 2;
  const candidate = expected - (expected % win) + truncated;
  if (candidate <= expected - half && candidate < 2 ** 62 - win) return candidate + win;
  if (candidate > expected + half && candidate >= win) return candidate - win;
  return candidate;
}

function nonceFor(iv: Uint8Array, packetNumber: number): Uint8Array {
  const nonce = iv.slice();
  let n = packetNumber;
  for (let i = 11; i >= 4 && n > 0; i--) {
    nonce[i] ^= n % 256;
    n = Math.floor(n / 256);
  }
  return nonce;
}

export interface OpenedQuicPacket {
  packetNumber: number;
  payload: Uint8Array;
}

/**
 * Removes header protection and opens the payload of an Initial, 0-RTT or Handshake packet.
 * Undefined when it does not open: other keys, or not a packet at all. The datagram is not
 * modified.
 */
export function openQuicLongPacket(c: QuicCrypto, keys: QuicPacketKeys, d: Uint8Array, p: QuicLongPacket, largestPacketNumber = -1): OpenedQuicPacket | undefined {
  const sample = p.pnOffset + 4;
  if (p.kind === 'retry' || sample + 16 > p.end) return undefined;
  const mask = c.headerMask(keys.aead === 'chacha20-poly1305' ? 'chacha20' : 'aes', keys.hp, d.subarray(sample, sample + 16));
  const first = d[p.start] ^ (mask[0] & 0x0f);
  const pnLength = (first & 3) + 1;
  const header = d.slice(p.start, p.pnOffset + pnLength);
  header[0] = first;
  let truncated = 0;
  for (let i = 0, at = p.pnOffset - p.start; i < pnLength; i++, at++) {
    header[at] ^= mask[1 + i];
    truncated = truncated * 256 + header[at];
  }
  const packetNumber = decodePacketNumber(largestPacketNumber, truncated, pnLength * 8);
  const payload = c.open(keys.aead, keys.key, nonceFor(keys.iv, packetNumber), header, d.subarray(p.pnOffset + pnLength, p.end));
  return payload ? { packetNumber, payload } : undefined;
}

export interface QuicConnectionClose {
  /** 0x1c: a transport error (crypto errors among them); 0x1d: the application's. */
  frameType: 0x1c | 0x1d;
  code: number;
  /** The frame type that caused a transport error (0 when unknown). */
  triggeringFrame?: number;
  reason: string;
}

/** What the frames of a decrypted Initial or Handshake packet say. */
export interface QuicFrames {
  /** Frame types in order; a run of PADDING counts once. */
  types: number[];
  crypto: { offset: number; data: Uint8Array }[];
  /** The largest packet number an ACK frame acknowledges. */
  largestAcked?: number;
  close?: QuicConnectionClose;
}

/** Frame types an Initial or Handshake packet may carry (RFC 9000 section 12.4), and those a decoder can skip over. */
const PADDING = 0x00, PING = 0x01, ACK = 0x02, ACK_ECN = 0x03, CRYPTO = 0x06, NEW_TOKEN = 0x07, CLOSE = 0x1c, CLOSE_APP = 0x1d, HANDSHAKE_DONE = 0x1e;

// In every runtime the codec targets (browsers, Node, Deno), though not in the ES typings it builds with.
declare const TextDecoder: { new (label: 'utf-8'): { decode(b: Uint8Array): string } };

/** Reads the frames of a decrypted long-header packet. Throws TlsParseError at a frame it cannot read past. */
export function parseQuicFrames(payload: Uint8Array, origin = 0): QuicFrames {
  const out: QuicFrames = { types: [], crypto: [] };
  const r = new ByteReader(payload, 0, payload.length, origin);
  while (r.remaining > 0) {
    const type = r.varint('frame type');
    if (type !== PADDING || out.types[out.types.length - 1] !== PADDING) out.types.push(type);
    switch (type) {
      case PADDING:
      case PING:
      case HANDSHAKE_DONE:
        break;
      case ACK:
      case ACK_ECN: {
        const largest = r.varint('largest acknowledged');
        out.largestAcked = Math.max(out.largestAcked ?? 0, largest);
        r.varint('ACK delay');
        const ranges = r.varint('ACK range count');
        r.varint('first ACK range');
        for (let i = 0; i < ranges; i++) {
          r.varint('ACK gap');
          r.varint('ACK range length');
        }
        if (type === ACK_ECN) for (let i = 0; i < 3; i++) r.varint('ECN count');
        break;
      }
      case CRYPTO: {
        const offset = r.varint('CRYPTO offset');
        const data = r.bytes(r.varint('CRYPTO length'), 'CRYPTO data');
        out.crypto.push({ offset, data });
        break;
      }
      case NEW_TOKEN:
        r.skip(r.varint('token length'), 'token');
        break;
      case CLOSE:
      case CLOSE_APP: {
        const code = r.varint('error code');
        const triggeringFrame = type === CLOSE ? r.varint('frame type') : undefined;
        const reason = r.bytes(r.varint('reason phrase length'), 'reason phrase');
        out.close = { frameType: type, code, ...(triggeringFrame !== undefined ? { triggeringFrame } : {}), reason: new TextDecoder('utf-8').decode(reason) };
        break;
      }
      default:
        r.fail('a frame type allowed in Initial and Handshake packets', `type 0x${type.toString(16)}`);
    }
  }
  return out;
}

/** A handshake message taken whole from a CRYPTO stream. */
export interface CryptoMessage {
  type: number;
  /** The body, without the 4-byte header (a copy: the stream's buffer moves on). */
  body: Uint8Array;
  /** Where the message starts in the stream. */
  offset: number;
}

/**
 * One packet-number space's CRYPTO stream of one side, put back in order: frames arrive out of
 * order, overlap, repeat (retransmissions) and span packets and datagrams (a post-quantum
 * ClientHello takes two Initials). Bytes past `limit` are dropped and counted.
 */
export class QuicCryptoStream {
  private buf = new Uint8Array(0);
  /** Filled ranges, sorted and disjoint: start, end, start, end... */
  private filled: number[] = [];
  private taken = 0;
  /** Bytes offered past the limit. */
  dropped = 0;

  constructor(readonly limit = 256 * 1024) {}

  /** Bytes in order from the stream's start. */
  get contiguous(): number {
    return this.filled.length > 0 && this.filled[0] === 0 ? this.filled[1] : 0;
  }

  /** Bytes received anywhere in the stream. */
  get received(): number {
    let n = 0;
    for (let i = 0; i < this.filled.length; i += 2) n += this.filled[i + 1] - this.filled[i];
    return n;
  }

  add(offset: number, data: Uint8Array): void {
    let end = offset + data.length;
    if (end > this.limit) {
      this.dropped += end - Math.max(offset, this.limit);
      end = this.limit;
      if (offset >= end) return;
      data = data.subarray(0, end - offset);
    }
    if (end > this.buf.length) {
      const grown = new Uint8Array(Math.min(this.limit, Math.max(end, this.buf.length * 2, 2048)));
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf.set(data, offset);
    // Merge [offset, end) into the sorted range list.
    const f = this.filled;
    const merged: number[] = [];
    let s = offset, e = end, placed = false;
    for (let i = 0; i < f.length; i += 2) {
      if (f[i + 1] < s) merged.push(f[i], f[i + 1]);
      else if (f[i] > e) {
        if (!placed) merged.push(s, e);
        placed = true;
        merged.push(f[i], f[i + 1]);
      } else {
        s = Math.min(s, f[i]);
        e = Math.max(e, f[i + 1]);
      }
    }
    if (!placed) merged.push(s, e);
    this.filled = merged;
  }

  /** Handshake messages complete in the contiguous bytes and not returned before. */
  takeMessages(): CryptoMessage[] {
    const out: CryptoMessage[] = [];
    const have = this.contiguous;
    const b = this.buf;
    while (this.taken + 4 <= have) {
      const at = this.taken;
      const len = (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
      if (at + 4 + len > have) break;
      out.push({ type: b[at], body: b.slice(at + 4, at + 4 + len), offset: at });
      this.taken = at + 4 + len;
    }
    return out;
  }

  /** The message begun at the first byte not yet taken: its declared size (header included), when its header is in. */
  pendingMessage(): { type: number; length: number; received: number } | undefined {
    const at = this.taken;
    if (this.contiguous < at + 4) return undefined;
    const b = this.buf;
    return { type: b[at], length: 4 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]), received: this.received - at };
  }
}

export interface QuicTransportParameter {
  /** Exact, as a bigint, when past 2^53 (GREASE ids often are). */
  id: number | bigint;
  name: string;
  value: Uint8Array;
}

/** A varint read exactly: a Number when it fits, a bigint past 2^53. */
function exactVarint(r: ByteReader, what: string): number | bigint {
  const at = r.pos;
  const v = r.varint(what);
  if (v <= Number.MAX_SAFE_INTEGER) return v;
  let big = BigInt(r.buf[at] & 0x3f);
  for (let i = at + 1; i < r.pos; i++) big = (big << 8n) | BigInt(r.buf[i]);
  return big;
}

/** The quic_transport_parameters extension (RFC 9000 section 18): id, length, value, as varints. */
export function parseQuicTransportParameters(data: Uint8Array, origin = 0): QuicTransportParameter[] {
  const r = new ByteReader(data, 0, data.length, origin);
  const out: QuicTransportParameter[] = [];
  while (r.remaining > 0) {
    const id = exactVarint(r, 'transport parameter id');
    const value = r.bytes(r.varint('transport parameter length'), 'transport parameter value');
    out.push({ id, name: quicTransportParameterName(id), value });
  }
  return out;
}

/** A QUIC variable-length integer in its shortest form (RFC 9000 section 16); up to 2^30 - 1 here. */
export function quicVarint(v: number): Uint8Array {
  if (v < 0x40) return Uint8Array.of(v);
  if (v < 0x4000) return Uint8Array.of(0x40 | (v >> 8), v & 0xff);
  if (v < 0x40000000) return Uint8Array.of(0x80 | (v >>> 24), (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
  throw new RangeError(`quicVarint: ${v} needs 8 bytes`);
}


/** A CRYPTO frame carrying `data` at `offset` of its stream. */
export function quicCryptoFrame(offset: number, data: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(CRYPTO), quicVarint(offset), quicVarint(data.length), data);
}

/** A CONNECTION_CLOSE frame of the transport (0x1c) with no reason: how a probe says it is done. */
export function quicCloseFrame(code = 0): Uint8Array {
  return concatBytes(Uint8Array.of(CLOSE), quicVarint(code), quicVarint(0), quicVarint(0));
}

export interface QuicInitialSpec {
  version: number;
  dcid: Uint8Array;
  scid: Uint8Array;
  /** From a Retry (empty otherwise). */
  token?: Uint8Array;
  packetNumber: number;
  frames: Uint8Array;
  /** Datagram size to pad to: a client's Initial datagrams carry at least 1,200 bytes (RFC 9000 section 14.1). */
  minDatagram?: number;
}

/**
 * A client Initial packet, protected (RFC 9001 section 5): a 4-byte packet number, the frames
 * padded with PADDING to the datagram size, sealed, then header protection applied.
 */
export function sealQuicInitial(c: QuicCrypto, keys: QuicPacketKeys, spec: QuicInitialSpec): Uint8Array {
  const rules = rulesOf(spec.version);
  if (!rules) throw new RangeError(`sealQuicInitial: QUIC version 0x${spec.version.toString(16)} is not one this codec writes`);
  const token = spec.token ?? new Uint8Array(0);
  const typeBits = rules.kinds.indexOf('initial');
  const PN_LENGTH = 4;
  const fixed = concatBytes(
    Uint8Array.of(0xc0 | (typeBits << 4) | (PN_LENGTH - 1), spec.version >>> 24, (spec.version >> 16) & 0xff, (spec.version >> 8) & 0xff, spec.version & 0xff),
    Uint8Array.of(spec.dcid.length), spec.dcid, Uint8Array.of(spec.scid.length), spec.scid, quicVarint(token.length), token,
  );
  // The Length field is written in 2 bytes (up to 16,383): the payload of an Initial is far smaller.
  const minimum = spec.minDatagram ?? 1200;
  const payloadLength = Math.max(spec.frames.length, minimum - fixed.length - 2 - PN_LENGTH - 16);
  const payload = new Uint8Array(payloadLength);
  payload.set(spec.frames);
  const length = PN_LENGTH + payloadLength + 16;
  if (length >= 0x4000) throw new RangeError('sealQuicInitial: frames too large for one Initial');
  const pn = spec.packetNumber;
  const header = concatBytes(fixed, Uint8Array.of(0x40 | (length >> 8), length & 0xff, (pn >>> 24) & 0xff, (pn >> 16) & 0xff, (pn >> 8) & 0xff, pn & 0xff));
  const sealed = c.seal(keys.aead, keys.key, nonceFor(keys.iv, pn), header, payload);
  const out = concatBytes(header, sealed);
  const pnOffset = header.length - PN_LENGTH;
  const mask = c.headerMask(keys.aead === 'chacha20-poly1305' ? 'chacha20' : 'aes', keys.hp, out.subarray(pnOffset + 4, pnOffset + 20));
  out[0] ^= mask[0] & 0x0f;
  for (let i = 0; i < PN_LENGTH; i++) out[pnOffset + i] ^= mask[1 + i];
  return out;
}
