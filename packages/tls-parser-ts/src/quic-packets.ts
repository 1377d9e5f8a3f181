import { TlsParseError } from './errors.js';
import { ByteReader } from './reader.js';
import { rulesOf, type QuicLongKind } from './quic-versions.js';

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
