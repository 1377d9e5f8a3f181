import { quicVarint } from './quic-frames.js';
import { nonceFor, type QuicCrypto, type QuicPacketKeys } from './quic-protection.js';
import { rulesOf } from './quic-versions.js';
import { concatBytes } from './writer.js';

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
