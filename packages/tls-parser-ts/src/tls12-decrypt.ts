import type { RecordOpener } from './stream-events.js';
import { Ext } from './ext-types.js';
import { cipherSuiteName } from './names.js';
import { tls12SuiteDecryption, type Tls12Cipher } from './suite-decryption.js';
import type { HandshakeCrypto, HashName, RecordCrypto } from './tls13-decrypt.js';
import { concatBytes } from './writer.js';

/**
 * TLS 1.0-1.2 record decryption (RFC 2246, 4346, 5246 section 6; RFC 5288, 6655, 7905 for the
 * AEAD suites; RFC 7366 for encrypt-then-MAC): the key block from the master secret a key log
 * gives (`CLIENT_RANDOM`), then the records each side protects after its ChangeCipherSpec: its
 * Finished and any alert. Application data is never opened (the reader stops at the first such
 * record). The ciphers come through the injected crypto.
 */

const MASTER_SECRET_LENGTH = 48;
const TLS12 = 0x0303;
const TLS11 = 0x0302;

/** What tls12Keys needs of a suite (tls12SuiteDecryption gives it). */
export interface Tls12SuiteParams {
  /** The TLS 1.2 PRF's hash; TLS 1.0 and 1.1 use MD5 and SHA-1 together whatever the suite. */
  prf: HashName;
  cipher: Tls12Cipher;
}

export interface Tls12SideKeys {
  macKey: Uint8Array;
  key: Uint8Array;
  /** AEAD: the implicit nonce; CBC: TLS 1.0's first IV (later versions send one in each record). */
  iv: Uint8Array;
}

function asciiBytes(s: string): Uint8Array {
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
}

/** P_hash(secret, seed) to `length` bytes (RFC 5246 section 5). */
function pHash(c: HandshakeCrypto, hash: 'md5' | 'sha1' | HashName, secret: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed;
  for (let filled = 0; filled < length; ) {
    a = c.hmac(hash, secret, a);
    const block = c.hmac(hash, secret, concatBytes(a, seed));
    out.set(block.subarray(0, Math.min(block.length, length - filled)), filled);
    filled += block.length;
  }
  return out;
}

/**
 * The PRF of the negotiated version: TLS 1.2's P_hash with the suite's hash (RFC 5246 section 5);
 * TLS 1.0 and 1.1's P_MD5 of the secret's first half XOR P_SHA-1 of its second (RFC 2246 section 5).
 */
export function tls12Prf(c: HandshakeCrypto, hash: HashName, secret: Uint8Array, label: string, seed: Uint8Array, length: number, version = TLS12): Uint8Array {
  const labelSeed = concatBytes(asciiBytes(label), seed);
  if (version >= TLS12) return pHash(c, hash, secret, labelSeed, length);
  const half = Math.ceil(secret.length / 2);
  const md5 = pHash(c, 'md5', secret.subarray(0, half), labelSeed, length);
  const sha1 = pHash(c, 'sha1', secret.subarray(secret.length - half), labelSeed, length);
  for (let i = 0; i < length; i++) md5[i] ^= sha1[i];
  return md5;
}

/** The write keys of both sides, from the master secret and the two hellos' randoms (RFC 5246 section 6.3). */
export function tls12Keys(c: HandshakeCrypto, suite: Tls12SuiteParams, masterSecret: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, version = TLS12): { client: Tls12SideKeys; server: Tls12SideKeys } {
  if (masterSecret.length !== MASTER_SECRET_LENGTH) throw new RangeError(`a TLS 1.2 master secret has ${MASTER_SECRET_LENGTH} bytes, not ${masterSecret.length}`);
  const x = suite.cipher;
  const m = x.mode === 'aead' ? 0 : x.macLength;
  const k = x.keyLength;
  const iv = x.mode === 'cbc' ? x.blockLength : x.mode === 'aead' ? x.fixedIvLength : 0;
  const block = tls12Prf(c, suite.prf, masterSecret, 'key expansion', concatBytes(serverRandom, clientRandom), 2 * (m + k + iv), version);
  const side = (i: 0 | 1): Tls12SideKeys => ({
    macKey: block.subarray(i * m, (i + 1) * m),
    key: block.subarray(2 * m + i * k, 2 * m + (i + 1) * k),
    iv: block.subarray(2 * (m + k) + i * iv, 2 * (m + k) + (i + 1) * iv),
  });
  return { client: side(0), server: side(1) };
}

/** The sequence number, big-endian, into the first 8 bytes of `out`. */
function putSeq(out: Uint8Array, seq: number): void {
  let s = seq;
  for (let i = 7; i >= 0; i--) {
    out[i] = s & 0xff;
    s = Math.floor(s / 256);
  }
}

/** seq_num, type, version and length, the header every TLS 1.0-1.2 MAC and AEAD covers. */
function pseudoHeader(seq: number, header: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(13);
  putSeq(out, seq);
  out.set(header.subarray(0, 3), 8);
  out[11] = length >> 8;
  out[12] = length & 0xff;
  return out;
}

/**
 * Opens one side's protected records with an AEAD suite, in order. The additional data is the
 * sequence number, the record's type and version, and the plaintext's length (RFC 5246
 * section 6.2.3.3); GCM and CCM carry 8 bytes of the nonce in each record, ChaCha20-Poly1305
 * XORs the sequence number into its 12-byte IV.
 */
export class Tls12RecordOpener implements RecordOpener {
  /** Finished and alerts; application data (23) is never opened. */
  readonly outerTypes = [22, 21] as const;
  private seq = 0;

  constructor(
    private readonly c: HandshakeCrypto,
    private readonly cipher: Extract<Tls12Cipher, { mode: 'aead' }>,
    private readonly key: Uint8Array,
    private readonly iv: Uint8Array,
  ) {}

  open(header: Uint8Array, body: Uint8Array): { contentType: number; content: Uint8Array } | undefined {
    const explicit = this.cipher.fixedIvLength === 4 ? 8 : 0;
    const tag = this.cipher.tagLength;
    if (body.length < explicit + tag) return undefined;
    let nonce: Uint8Array;
    if (explicit) {
      nonce = concatBytes(this.iv, body.subarray(0, 8));
    } else {
      nonce = this.iv.slice();
      const seq = new Uint8Array(8);
      putSeq(seq, this.seq);
      for (let i = 0; i < 8; i++) nonce[4 + i] ^= seq[i];
    }
    const aad = pseudoHeader(this.seq, header, body.length - explicit - tag);
    const plain = this.c.open(this.cipher.name, this.key, nonce, aad, body.subarray(explicit), tag);
    if (!plain) return undefined;
    this.seq++;
    return { contentType: header[0], content: plain };
  }
}

/** Equal bytes, compared in full (a MAC check). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/**
 * Opens one side's protected records with a CBC suite and its HMAC, in order. By default the MAC
 * is over the plaintext and encrypted with it (MAC-then-encrypt, RFC 5246 section 6.2.3.2); with
 * encrypt_then_mac negotiated (RFC 7366) it is over the IV and ciphertext, and checked before
 * anything is decrypted. TLS 1.0 chains its IV from record to record (the last ciphertext block
 * of one is the IV of the next, the first from the key block); TLS 1.1 and later send one in
 * front of each record. A record whose padding or MAC is wrong does not open.
 */
export class Tls12CbcOpener implements RecordOpener {
  readonly outerTypes = [22, 21] as const;
  private seq = 0;
  /** TLS 1.0's IV for the next record; TLS 1.1 and later carry theirs. */
  private chainedIv: Uint8Array | undefined;

  constructor(
    private readonly c: RecordCrypto,
    private readonly cipher: Extract<Tls12Cipher, { mode: 'cbc' }>,
    private readonly keys: Tls12SideKeys,
    version: number,
    private readonly encryptThenMac: boolean,
  ) {
    if (version < TLS11) this.chainedIv = keys.iv;
  }

  open(header: Uint8Array, body: Uint8Array): { contentType: number; content: Uint8Array } | undefined {
    const { blockLength: bl, macLength: ml } = this.cipher;
    const ivLength = this.chainedIv ? 0 : bl;
    const sealed = this.encryptThenMac ? body.subarray(0, body.length - ml) : body;
    // At least one block of ciphertext past the IV, in whole blocks.
    if (body.length < ivLength + bl + (this.encryptThenMac ? ml : 0) || (sealed.length - ivLength) % bl !== 0) return undefined;
    if (this.encryptThenMac && !sameBytes(this.mac(header, sealed), body.subarray(sealed.length))) return undefined;
    const iv = this.chainedIv ?? sealed.subarray(0, bl);
    const blocks = sealed.subarray(ivLength);
    const plain = this.c.decryptCbc(this.cipher.name, this.keys.key, iv, blocks);
    // Padding: its length in the last byte, and that many bytes before it of the same value.
    const pad = plain[plain.length - 1];
    const end = plain.length - 1 - pad - (this.encryptThenMac ? 0 : ml);
    if (end < 0) return undefined;
    for (let i = plain.length - 1 - pad; i < plain.length - 1; i++) if (plain[i] !== pad) return undefined;
    const content = plain.subarray(0, end);
    if (!this.encryptThenMac && !sameBytes(this.mac(header, content), plain.subarray(end, end + ml))) return undefined;
    if (this.chainedIv) this.chainedIv = blocks.slice(blocks.length - bl);
    this.seq++;
    return { contentType: header[0], content };
  }

  /** HMAC over the sequence number, type, version, length and `data`. */
  private mac(header: Uint8Array, data: Uint8Array): Uint8Array {
    return this.c.hmac(this.cipher.mac, this.keys.macKey, concatBytes(pseudoHeader(this.seq, header, data.length), data));
  }
}

/** A NULL suite's records: the content in clear, its HMAC after it, checked as MAC-then-encrypt's is. */
export class Tls12NullOpener implements RecordOpener {
  readonly outerTypes = [22, 21] as const;
  private seq = 0;

  constructor(
    private readonly c: HandshakeCrypto,
    private readonly cipher: Extract<Tls12Cipher, { mode: 'null' }>,
    private readonly macKey: Uint8Array,
  ) {}

  open(header: Uint8Array, body: Uint8Array): { contentType: number; content: Uint8Array } | undefined {
    const end = body.length - this.cipher.macLength;
    if (end < 0) return undefined;
    const content = body.subarray(0, end);
    const mac = this.c.hmac(this.cipher.mac, this.macKey, concatBytes(pseudoHeader(this.seq, header, end), content));
    if (!sameBytes(mac, body.subarray(end))) return undefined;
    this.seq++;
    return { contentType: header[0], content };
  }
}

/**
 * The opener of one side's records of a TLS 1.0-1.2 handshake from its master secret, or why
 * there is none: a suite whose cipher the crypto lacks or that tlsdoctor does not open.
 */
export function tls12Opener(
  c: RecordCrypto,
  hello: { version: number; cipherSuite: number; random: Uint8Array; extensionTypes: readonly number[] },
  clientRandom: Uint8Array,
  masterSecret: Uint8Array,
  side: 'client' | 'server',
): { opener: RecordOpener } | { reason: string } {
  const d = tls12SuiteDecryption(hello.cipherSuite, hello.version);
  if (!d.ok) return { reason: d.reason };
  if (d.cipher.mode !== 'null' && !c.has(d.cipher.name)) return { reason: `${cipherSuiteName(hello.cipherSuite)}: its cipher (${d.cipher.name}) is not in Node's crypto` };
  if (masterSecret.length !== MASTER_SECRET_LENGTH) return { reason: `the key log's secret has ${masterSecret.length} bytes, not the ${MASTER_SECRET_LENGTH} of a master secret` };
  const keys = tls12Keys(c, d, masterSecret, clientRandom, hello.random, hello.version)[side];
  if (d.cipher.mode === 'aead') return { opener: new Tls12RecordOpener(c, d.cipher, keys.key, keys.iv) };
  if (d.cipher.mode === 'null') return { opener: new Tls12NullOpener(c, d.cipher, keys.macKey) };
  // encrypt_then_mac (RFC 7366) is in effect when the server echoes it with a CBC suite.
  return { opener: new Tls12CbcOpener(c, d.cipher, keys, hello.version, hello.extensionTypes.includes(Ext.encrypt_then_mac)) };
}
