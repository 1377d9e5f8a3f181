import { ByteReader } from './reader.js';
import { QuicFrameType } from './registry.generated.js';
import { concatBytes } from './writer.js';

export interface QuicConnectionClose {
  /** ConnectionClose: a transport error (crypto errors among them); ConnectionCloseApp: the application's (RFC 9000 section 19.19). */
  frameType: typeof QuicFrameType.ConnectionClose | typeof QuicFrameType.ConnectionCloseApp;
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
const { Padding: PADDING, Ping: PING, Ack: ACK, AckEcn: ACK_ECN, Crypto: CRYPTO, NewToken: NEW_TOKEN, ConnectionClose: CLOSE, ConnectionCloseApp: CLOSE_APP, HandshakeDone: HANDSHAKE_DONE } = QuicFrameType;

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
