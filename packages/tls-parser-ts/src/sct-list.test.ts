import { describe, expect, it } from 'vitest';
import { TlsParseError } from './errors.js';
import { earliestSct, parseSctList, type SignedCertificateTimestamp } from './sct-list.js';
import { ByteWriter } from './writer.js';

const LOG_A = 'aa'.repeat(32);
const LOG_B = '0b'.repeat(32);
const T1 = Date.UTC(2024, 10, 11, 23, 59, 59);
const T2 = Date.UTC(2025, 0, 2, 3, 4, 5, 678);

/** One v1 SerializedSCT's contents (RFC 6962 3.2): version, log id, u64 timestamp, extensions, DigitallySigned. */
function sct(logId: string, ms: number, hash = 4, sig = 3, ext = 0): Uint8Array {
  return new ByteWriter()
    .u8(0)
    .bytes(Buffer.from(logId, 'hex'))
    .bytes(u64(ms))
    .vec(2, (w) => w.bytes(new Uint8Array(ext)))
    .u8(hash)
    .u8(sig)
    .vec(2, (w) => w.bytes(new Uint8Array(70).fill(0x30)))
    .finish();
}

function u64(ms: number): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(ms));
  return b;
}

const list = (...entries: Uint8Array[]) => new ByteWriter().vec(2, (w) => entries.forEach((e) => w.vec(2, (x) => x.bytes(e)))).finish();
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('parseSctList', () => {
  const READ: { name: string; bytes: Uint8Array; want: SignedCertificateTimestamp[] }[] = [
    {
      name: 'two v1 SCTs, in the order given',
      bytes: list(sct(LOG_B, T2), sct(LOG_A, T1, 4, 1)),
      want: [
        { version: 0, logId: LOG_B, timestamp: T2, time: '2025-01-02T03:04:05.678Z', signatureAlgorithm: 'ecdsa_secp256r1_sha256' },
        { version: 0, logId: LOG_A, timestamp: T1, time: '2024-11-11T23:59:59.000Z', signatureAlgorithm: 'rsa_pkcs1_sha256' },
      ],
    },
    { name: 'extensions are passed over', bytes: list(sct(LOG_A, T1, 5, 3, 5)), want: [{ version: 0, logId: LOG_A, timestamp: T1, time: '2024-11-11T23:59:59.000Z', signatureAlgorithm: 'ecdsa_secp384r1_sha384' }] },
    { name: 'an algorithm pair the registry lacks keeps its code point', bytes: list(sct(LOG_A, T1, 9, 9)), want: [{ version: 0, logId: LOG_A, timestamp: T1, time: '2024-11-11T23:59:59.000Z', signatureAlgorithm: '0x0909' }] },
    { name: 'a later version is kept by its number alone', bytes: list(Uint8Array.from([1, 2, 3]), sct(LOG_A, 0)), want: [{ version: 1 }, { version: 0, logId: LOG_A, timestamp: 0, time: '1970-01-01T00:00:00.000Z', signatureAlgorithm: 'ecdsa_secp256r1_sha256' }] },
    { name: 'the last date a Date holds', bytes: list(sct(LOG_A, 8.64e15)), want: [{ version: 0, logId: LOG_A, timestamp: 8.64e15, time: '+275760-09-13T00:00:00.000Z', signatureAlgorithm: 'ecdsa_secp256r1_sha256' }] },
  ];
  it.each(READ)('$name', ({ bytes, want }) => {
    expect(parseSctList(bytes)).toEqual(want);
  });

  const whole = sct(LOG_A, T1);
  const BAD: { name: string; bytes: Uint8Array; offset: number; says: RegExp }[] = [
    { name: 'nothing', bytes: new Uint8Array(0), offset: 0, says: /SignedCertificateTimestampList length/ },
    { name: 'an empty list', bytes: Uint8Array.from([0, 0]), offset: 2, says: /SerializedSCT \(an empty list\)/ },
    { name: 'an empty entry', bytes: list(new Uint8Array(0)), offset: 4, says: /SerializedSCT \(an empty entry\)/ },
    { name: 'a list longer than its bytes', bytes: Uint8Array.from([0, 9, 0, 1]), offset: 2, says: /SignedCertificateTimestampList.*needs 9/ },
    { name: 'bytes after the list', bytes: concat(list(whole), Uint8Array.from([0])), offset: whole.length + 4, says: /end of SignedCertificateTimestampList/ },
    { name: 'an entry cut in its log id', bytes: list(whole.subarray(0, 20)), offset: 5, says: /SCT log id/ },
    { name: 'an entry cut in its signature', bytes: list(whole.subarray(0, whole.length - 1)), offset: 4 + 1 + 32 + 8 + 2 + 2 + 2, says: /SCT signature \(needs 70 byte\(s\), 69 left\)/ },
    { name: 'bytes after an entry\'s signature', bytes: list(concat(whole, Uint8Array.from([7]))), offset: 4 + whole.length, says: /end of SerializedSCT/ },
    { name: 'a timestamp past any date', bytes: list(sct(LOG_A, 8.64e15 + 1)), offset: 4 + 1 + 32 + 8, says: /SCT timestamp \(8640000000000001 ms is past any date\)/ },
  ];
  it.each(BAD)('$name: one TlsParseError with the offset', ({ bytes, offset, says }) => {
    let error: unknown;
    try {
      parseSctList(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TlsParseError);
    expect((error as TlsParseError).offset).toBe(offset);
    expect((error as TlsParseError).message).toMatch(says);
  });
});

describe('earliestSct', () => {
  const v1 = (ms: number, logId = LOG_A) => ({ version: 0 as const, logId, timestamp: ms, time: new Date(ms).toISOString(), signatureAlgorithm: 'ecdsa_secp256r1_sha256' });
  it.each([
    { name: 'none', scts: [], want: undefined },
    { name: 'only a later version', scts: [{ version: 1 }], want: undefined },
    { name: 'the earlier of two, given second', scts: [v1(T2, LOG_B), v1(T1)], want: v1(T1) },
    { name: 'the earlier of two, given first', scts: [v1(T1), v1(T2, LOG_B)], want: v1(T1) },
    { name: 'the first of two at the same time', scts: [v1(T1, LOG_B), v1(T1)], want: v1(T1, LOG_B) },
    { name: 'past a later version', scts: [{ version: 1 }, v1(T2)], want: v1(T2) },
  ])('$name', ({ scts, want }) => {
    expect(earliestSct(scts)).toEqual(want);
  });
});

describe('parseSctList on damaged lists', () => {
  // A fixed seed: the same 3,000 damaged lists each run (a few milliseconds), bounded in count.
  it('either reads a list or throws the one TlsParseError, whatever the bytes', () => {
    const base = list(sct(LOG_B, T2), sct(LOG_A, T1, 4, 1, 3));
    let seed = 0x5c7;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const outcomes = { read: 0, refused: 0 };
    for (let i = 0; i < 3000; i++) {
      const bytes = Uint8Array.from(base.subarray(0, 1 + Math.floor(next() * base.length)));
      for (let k = 0; k < 3; k++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      try {
        parseSctList(bytes);
        outcomes.read++;
      } catch (e) {
        expect(e).toBeInstanceOf(TlsParseError);
        outcomes.refused++;
      }
    }
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(outcomes.read + outcomes.refused).toBe(3000);
  });
});
