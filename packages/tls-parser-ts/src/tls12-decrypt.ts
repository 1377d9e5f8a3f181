import type { RecordOpener } from './stream-events.js';
import type { AeadName, HandshakeCrypto, HashName } from './tls13-decrypt.js';
import { concatBytes } from './writer.js';

/**
 * TLS 1.2 record decryption for the AEAD suites (RFC 5246 section 6.3, RFC 5288, RFC 7905): the
 * key block from the master secret a key log gives (`CLIENT_RANDOM`), then the records each side
 * protects after its ChangeCipherSpec: its Finished and any alert. Application data is never
 * opened (the reader stops at the first such record). The cipher comes through HandshakeCrypto.
 */
export interface Tls12SuiteParams {
  /** The PRF's hash (SHA-384 for the _SHA384 suites, else SHA-256). */
  hash: HashName;
  aead: AeadName;
  keyLength: number;
  /** GCM: a 4-byte salt and an 8-byte explicit nonce in each record; ChaCha20-Poly1305: a 12-byte IV. */
  ivLength: 4 | 12;
}

const GCM128: Tls12SuiteParams = { hash: 'sha256', aead: 'aes-128-gcm', keyLength: 16, ivLength: 4 };
const GCM256: Tls12SuiteParams = { hash: 'sha384', aead: 'aes-256-gcm', keyLength: 32, ivLength: 4 };
const CHACHA: Tls12SuiteParams = { hash: 'sha256', aead: 'chacha20-poly1305', keyLength: 32, ivLength: 12 };

/** The TLS 1.2 AEAD suites with ECDHE, DHE or RSA key exchange that servers use. */
export const TLS12_AEAD_SUITES: Readonly<Record<number, Tls12SuiteParams>> = {
  0xc02b: GCM128, 0xc02f: GCM128, 0x009e: GCM128, 0x009c: GCM128,
  0xc02c: GCM256, 0xc030: GCM256, 0x009f: GCM256, 0x009d: GCM256,
  0xcca8: CHACHA, 0xcca9: CHACHA, 0xccaa: CHACHA,
};

const MASTER_SECRET_LENGTH = 48;
const TAG = 16;


/** The TLS 1.2 PRF: P_hash(secret, label + seed), RFC 5246 section 5. */
export function tls12Prf(c: HandshakeCrypto, hash: HashName, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const labelSeed = concatBytes(Uint8Array.from(label, (ch) => ch.charCodeAt(0)), seed);
  const out = new Uint8Array(length);
  let a = labelSeed;
  for (let filled = 0; filled < length; ) {
    a = c.hmac(hash, secret, a);
    const block = c.hmac(hash, secret, concatBytes(a, labelSeed));
    out.set(block.subarray(0, Math.min(block.length, length - filled)), filled);
    filled += block.length;
  }
  return out;
}

/** The write keys of both sides, from the master secret and the two hellos' randoms. */
export function tls12Keys(c: HandshakeCrypto, suite: Tls12SuiteParams, masterSecret: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array) {
  if (masterSecret.length !== MASTER_SECRET_LENGTH) throw new RangeError(`a TLS 1.2 master secret has ${MASTER_SECRET_LENGTH} bytes, not ${masterSecret.length}`);
  const k = suite.keyLength;
  const iv = suite.ivLength;
  const block = tls12Prf(c, suite.hash, masterSecret, 'key expansion', concatBytes(serverRandom, clientRandom), 2 * k + 2 * iv);
  return {
    client: { key: block.subarray(0, k), iv: block.subarray(2 * k, 2 * k + iv) },
    server: { key: block.subarray(k, 2 * k), iv: block.subarray(2 * k + iv, 2 * k + 2 * iv) },
  };
}

/**
 * Opens one side's protected TLS 1.2 records in order. The additional data is the sequence
 * number, the record's type and version, and the plaintext's length (RFC 5246 section 6.2.3.3).
 */
export class Tls12RecordOpener implements RecordOpener {
  /** Finished and alerts; application data (23) is never opened. */
  readonly outerTypes = [22, 21] as const;
  private seq = 0;

  constructor(
    private readonly c: HandshakeCrypto,
    private readonly suite: Tls12SuiteParams,
    private readonly key: Uint8Array,
    private readonly iv: Uint8Array,
  ) {}

  open(header: Uint8Array, body: Uint8Array): { contentType: number; content: Uint8Array } | undefined {
    const explicit = this.suite.ivLength === 4 ? 8 : 0;
    if (body.length < explicit + TAG) return undefined;
    let nonce: Uint8Array;
    if (explicit) {
      nonce = concatBytes(this.iv, body.subarray(0, 8));
    } else {
      nonce = this.iv.slice();
      let s = this.seq;
      for (let i = 11; i >= 4 && s > 0; i--) {
        nonce[i] ^= s & 0xff;
        s = Math.floor(s / 256);
      }
    }
    const length = body.length - explicit - TAG;
    const aad = new Uint8Array(13);
    let s = this.seq;
    for (let i = 7; i >= 0 && s > 0; i--) {
      aad[i] = s & 0xff;
      s = Math.floor(s / 256);
    }
    aad.set(header.subarray(0, 3), 8);
    aad[11] = length >> 8;
    aad[12] = length & 0xff;
    const plain = this.c.open(this.suite.aead, this.key, nonce, aad, body.subarray(explicit));
    if (!plain) return undefined;
    this.seq++;
    return { contentType: header[0], content: plain };
  }
}
