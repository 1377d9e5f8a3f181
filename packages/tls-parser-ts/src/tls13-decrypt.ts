import { tls13Draft } from './names.js';
import type { OpenedRecord, RecordOpener } from './stream-events.js';
import type { CbcCipher, MacHash, Tls12Aead } from './suite-decryption.js';

/**
 * TLS 1.3 handshake decryption (RFC 8446 sections 5.2, 5.3 and 7): from a traffic secret, as a
 * key log gives it, to the plaintext of the records it protects. The codec holds no crypto of
 * its own (its core uses no Node-only API): HMAC and the AEAD come through HandshakeCrypto.
 */
export type HashName = 'sha256' | 'sha384';
export type AeadName = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305' | 'aes-128-ccm';

export interface HandshakeCrypto {
  hmac(hash: MacHash, key: Uint8Array, data: Uint8Array): Uint8Array;
  /**
   * Opens an AEAD ciphertext (the tag last, 16 bytes unless `tagLength` says 8: the CCM_8
   * suites); undefined when the tag does not verify.
   */
  open(aead: AeadName | Tls12Aead, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array, tagLength?: 8 | 16): Uint8Array | undefined;
}

/** What TLS 1.0-1.2's CBC suites need besides: the block cipher itself, and which ciphers the crypto has. */
export interface RecordCrypto extends HandshakeCrypto {
  /** CBC decryption of whole blocks, the padding left in place (TLS checks its own). */
  decryptCbc(cipher: CbcCipher, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  /** Whether this crypto has the cipher (OpenSSL 3 keeps DES, SEED, IDEA and RC4 out of its default provider). */
  has(cipher: CbcCipher | Tls12Aead): boolean;
}

export interface SuiteParams {
  hash: HashName;
  hashLength: number;
  aead: AeadName;
  keyLength: number;
  /** TLS_AES_128_CCM_8_SHA256's 8-byte tag (QUIC does not use that suite); 16 bytes otherwise. */
  tagLength?: 8;
}

/** The TLS 1.3 suites (RFC 8446 appendix B.4): all five. */
export const TLS13_SUITES: Readonly<Record<number, SuiteParams>> = {
  0x1301: { hash: 'sha256', hashLength: 32, aead: 'aes-128-gcm', keyLength: 16 },
  0x1302: { hash: 'sha384', hashLength: 48, aead: 'aes-256-gcm', keyLength: 32 },
  0x1303: { hash: 'sha256', hashLength: 32, aead: 'chacha20-poly1305', keyLength: 32 },
  0x1304: { hash: 'sha256', hashLength: 32, aead: 'aes-128-ccm', keyLength: 16 },
  0x1305: { hash: 'sha256', hashLength: 32, aead: 'aes-128-ccm', keyLength: 16, tagLength: 8 },
};

const IV_LENGTH = 12;
const NO_HEADER = new Uint8Array(0);

/**
 * How a TLS 1.3 draft protects its records where it differs from RFC 8446: drafts before 25
 * give the AEAD no additional data (the record header came in with draft 25), and drafts before
 * 20 label their HKDF expansions "TLS 1.3, " (draft 20 shortened it to "tls13 ").
 */
export function draftRules(version: number): { headerAuthenticated: boolean; labelPrefix: string } {
  const draft = tls13Draft(version);
  return { headerAuthenticated: draft === undefined || draft >= 25, labelPrefix: draft !== undefined && draft < 20 ? 'TLS 1.3, ' : 'tls13 ' };
}
const TAG_LENGTH = 16;

function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

/** HKDF-Expand-Label (RFC 8446 section 7.1) over HKDF-Expand (RFC 5869 section 2.3). */
export function hkdfExpandLabel(c: HandshakeCrypto, hash: HashName, secret: Uint8Array, label: string, context: Uint8Array, length: number, prefix = 'tls13 '): Uint8Array {
  const full = ascii(`${prefix}${label}`);
  const info = new Uint8Array([length >> 8, length & 0xff, full.length, ...full, context.length, ...context]);
  const out = new Uint8Array(length);
  let prev: Uint8Array = new Uint8Array(0);
  for (let i = 1, filled = 0; filled < length; i++) {
    const input = new Uint8Array(prev.length + info.length + 1);
    input.set(prev, 0);
    input.set(info, prev.length);
    input[input.length - 1] = i;
    prev = c.hmac(hash, secret, input);
    out.set(prev.subarray(0, Math.min(prev.length, length - filled)), filled);
    filled += prev.length;
  }
  return out;
}

/**
 * Opens the records one direction protects with one traffic secret, in order: each record's
 * nonce is the IV XOR its sequence number (RFC 8446 section 5.3).
 */
export class Tls13RecordOpener {
  /** TLS 1.3 records all travel as application_data (23), their real type inside. */
  readonly outerTypes = [23] as const;
  private readonly key: Uint8Array;
  private readonly iv: Uint8Array;
  private seq = 0;
  /** Drafts before 25 authenticate a record without its header. */
  private readonly headerAuthenticated: boolean;

  /** `version`: the ServerHello's; a draft's records and labels differ from RFC 8446's (see draftRules). */
  constructor(
    private readonly c: HandshakeCrypto,
    readonly suite: SuiteParams,
    secret: Uint8Array,
    version = 0x0304,
  ) {
    if (secret.length !== suite.hashLength) throw new RangeError(`a ${suite.hash} traffic secret has ${suite.hashLength} bytes, not ${secret.length}`);
    const none = new Uint8Array(0);
    const rules = draftRules(version);
    this.headerAuthenticated = rules.headerAuthenticated;
    this.key = hkdfExpandLabel(c, suite.hash, secret, 'key', none, suite.keyLength, rules.labelPrefix);
    this.iv = hkdfExpandLabel(c, suite.hash, secret, 'iv', none, IV_LENGTH, rules.labelPrefix);
  }

  /**
   * The inner content type and content of one protected record (`header`: its 5 bytes, the
   * additional data), or undefined when it does not open (wrong secret, or not its record).
   */
  open(header: Uint8Array, body: Uint8Array): { contentType: number; content: Uint8Array } | undefined {
    const tag = this.suite.tagLength ?? TAG_LENGTH;
    if (body.length < tag + 1) return undefined;
    const nonce = this.iv.slice();
    let s = this.seq;
    for (let i = IV_LENGTH - 1; i >= IV_LENGTH - 8 && s > 0; i--) {
      nonce[i] ^= s & 0xff;
      s = Math.floor(s / 256);
    }
    const plain = this.c.open(this.suite.aead, this.key, nonce, this.headerAuthenticated ? header : NO_HEADER, body, tag);
    if (!plain) return undefined;
    this.seq++;
    // TLSInnerPlaintext: content, the real type, then zero padding.
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    if (end < 0) return undefined;
    return { contentType: plain[end], content: plain.subarray(0, end) };
  }
}

/**
 * Opens one side's records under the keys TLS 1.3's schedule gives it in turn: the client's
 * 0-RTT data and EndOfEarlyData under its early traffic secret, then its handshake records under
 * its handshake traffic secret, then (where asked) its records past the handshake under its
 * first application traffic secret. A record that does not open under the current key is tried
 * under each later one (made when first needed), and the first that opens it becomes current:
 * keys never go back, so a record costs at most one try per key left. Application data under the
 * early key (0-RTT) is marked `earlyData`, a record under an application key `afterHandshake`,
 * and reading goes on past them. When the client sent 0-RTT data and no early key is at hand,
 * records that open under no key before the first of its handshake are passed over (`passOver`
 * of them at most): its early flight, closed.
 */
export class Tls13ScheduleOpener implements RecordOpener {
  readonly outerTypes = [23] as const;
  private current = 0;
  private readonly made: (RecordOpener | null | undefined)[];
  /** Records passed over as 0-RTT data no key opens. */
  passedOver = 0;
  private handshakeOpened = false;

  /**
   * `stages`: in the schedule's order, each making its opener when first tried (null: not yet,
   * asked again at the next record); `early`: how many of them are early keys; `application`:
   * the index of the first application key (none: past the last stage).
   */
  constructor(
    private readonly stages: readonly (() => RecordOpener | null)[],
    private readonly early: number,
    private readonly passOver = 0,
    private readonly application = stages.length,
  ) {
    this.made = stages.map(() => undefined);
  }

  open(header: Uint8Array, body: Uint8Array): OpenedRecord | 'passed-over' | undefined {
    for (let i = this.current; i < this.stages.length; i++) {
      const opener = (this.made[i] ??= this.stages[i]());
      const inner = opener?.open(header, body);
      if (!inner || inner === 'passed-over') continue;
      this.current = i;
      if (i >= this.early) this.handshakeOpened = true;
      if (i >= this.application) return { ...inner, afterHandshake: true };
      return i < this.early && inner.contentType === APPLICATION_DATA ? { ...inner, earlyData: true } : inner;
    }
    if (!this.handshakeOpened && this.passedOver < this.passOver) {
      this.passedOver++;
      return 'passed-over';
    }
    return undefined;
  }
}

const APPLICATION_DATA = 23;
