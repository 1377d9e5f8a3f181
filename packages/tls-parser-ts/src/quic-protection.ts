import { hkdfExpandLabel, type AeadName, type HandshakeCrypto, type SuiteParams } from './tls13-decrypt.js';
import type { QuicLongPacket } from './quic-packets.js';
import { rulesOf } from './quic-versions.js';

/**
 * The protection of QUIC's long-header packets (RFC 9001 section 5, RFC 9369 for version 2).
 * Initial keys come from the client's Destination Connection ID and a salt each version
 * publishes, so the ClientHello and ServerHello they carry are readable by anyone; Handshake
 * keys come from a key log. As for TLS 1.3 records, the crypto itself comes from the caller.
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

export function nonceFor(iv: Uint8Array, packetNumber: number): Uint8Array {
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
