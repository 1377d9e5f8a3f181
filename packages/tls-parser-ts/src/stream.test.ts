import { describe, expect, it } from 'vitest';
import { buildClientHelloMessage } from './builder.js';
import type { Direction, RecordOpener, StreamEvent, StreamReaderOptions } from './stream-events.js';
import { TlsStreamReader } from './stream.js';

/** Every event of a stream fed in chunks of `size` bytes, in short (an error with its text). */
function events(dir: Direction, bytes: number[], size = bytes.length, opts: StreamReaderOptions = {}): { events: string[]; reader: TlsStreamReader } {
  const r = new TlsStreamReader(dir, opts);
  const out: StreamEvent[] = [];
  const b = Uint8Array.from(bytes);
  for (let p = 0; p < b.length; p += size) out.push(...r.push(b.subarray(p, p + size)));
  out.push(...r.finish());
  return { reader: r, events: out.map(short) };
}

function short(e: StreamEvent): string {
  switch (e.kind) {
    case 'error': return `error@${e.offset}: ${e.error.message}`;
    case 'record': return `record ${e.contentType}${e.encrypted ? ' encrypted' : ''}@${e.offset}`;
    case 'handshake': return `handshake ${e.msgType}${e.decrypted ? ' decrypted' : ''}@${e.offset}`;
    case 'encryption-started': return `encryption-started ${e.reason}@${e.offset}`;
    case 'alert': return `alert ${e.alert.description}${e.decrypted ? ' decrypted' : ''}@${e.offset}`;
    default: return `${e.kind}@${e.offset}`;
  }
}

const u24 = (n: number) => [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const record = (type: number, body: number[]) => [type, 3, 3, body.length >> 8, body.length & 0xff, ...body];
const CLIENT_HELLO = Array.from(buildClientHelloMessage({ versions: [0x0304, 0x0303], cipherSuites: [0x1301], groups: [0x1d], serverName: 'x.test' }));
/** A ServerHello body: TLS 1.3 (supported_versions, key_share), or a HelloRetryRequest (its fixed random, key_share naming a group). */
const SH13 = [3, 3, ...new Array(32).fill(5), 0, 0x13, 0x01, 0, 0, 16, 0, 0x2b, 0, 2, 3, 4, 0, 0x33, 0, 6, 0, 0x1d, 0, 2, 1, 2];
const HRR_RANDOM = [0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c];
const HRR = [3, 3, ...HRR_RANDOM, 0, 0x13, 0x01, 0, 0, 12, 0, 0x2b, 0, 2, 3, 4, 0, 0x33, 0, 2, 0, 0x17];
const message = (type: number, body: number[]) => [type, ...u24(body.length), ...body];
const HANDSHAKE = 22, CCS = 20, ALERT = 21, DATA = 23;
/** SSL 2.0 CLIENT-HELLO of this version: one cipher spec, no session id, a 16-byte challenge. */
const sslv2Hello = (v: number) => [0x80, 28, 1, v >> 8, v & 0xff, 0, 3, 0, 0, 0, 16, 0, 0, 0x2f, ...new Array(16).fill(7)];

describe('the reader follows its transition table', () => {
  it.each<[string, Direction, number[], string, boolean, string[]]>([
    ['a ClientHello, then a ChangeCipherSpec: the keys change after it', 'client', [...record(HANDSHAKE, CLIENT_HELLO), ...record(CCS, [1])],
      'records', true, ['record 22@0', 'handshake 1@5', `record 20@${CLIENT_HELLO.length + 5}`, `change-cipher-spec@${CLIENT_HELLO.length + 5}`, `encryption-started change-cipher-spec@${CLIENT_HELLO.length + 11}`]],
    ['a TLS 1.3 ServerHello: the rest of its record is under keys', 'server', record(HANDSHAKE, [...message(2, SH13), ...message(8, [0, 0])]),
      'records', true, ['record 22@0', 'handshake 2@5', `encryption-started tls13-server-hello@${SH13.length + 9}`]],
    ['a HelloRetryRequest: the compatibility ChangeCipherSpec changes no keys, the ServerHello does', 'server', [...record(HANDSHAKE, message(2, HRR)), ...record(CCS, [1]), ...record(HANDSHAKE, message(2, SH13))],
      'records', true, ['record 22@0', 'handshake 2@5', `record 20@${HRR.length + 9}`, `change-cipher-spec@${HRR.length + 9}`, `record 22@${HRR.length + 15}`, `handshake 2@${HRR.length + 20}`, `encryption-started tls13-server-hello@${HRR.length + SH13.length + 24}`]],
    ['a second ClientHello after the compatibility ChangeCipherSpec is read in clear', 'client', [...record(CCS, [1]), ...record(HANDSHAKE, CLIENT_HELLO)],
      'records', false, ['record 20@0', 'change-cipher-spec@0', 'encryption-started change-cipher-spec@6', 'record 22@6', 'handshake 1@11']],
    ['application data first: keys we did not see change', 'server', record(DATA, [1, 2, 3]), 'records', true, ['encryption-started application-data@0', 'record 23 encrypted@0']],
    ['an alert that is not two bytes in clear', 'server', record(ALERT, [7, 7, 7]), 'records', true, ['encryption-started encrypted-alert@0', 'record 21 encrypted@0']],
    ['an alert in clear', 'server', record(ALERT, [2, 40]), 'records', false, ['record 21@0', 'alert 40@5']],
    ['an SSL 2.0 hello offering TLS: TLS records follow', 'client', [...sslv2Hello(0x0301), ...record(HANDSHAKE, CLIENT_HELLO)], 'records', false, ['record 22@0', 'handshake 1@2', 'record 22@30', 'handshake 1@35']],
    ['an SSL 2.0 hello offering SSL 2.0 alone: its next SSL 2.0 record ends the reading', 'client', [...sslv2Hello(0x0002), 0x80, 3, 2, 9, 9, 1, 2, 3], 'sslv2', false, ['record 22@0', 'handshake 1@2', 'sslv2-message@30']],
    ['not TLS: an HTTP answer', 'server', Array.from(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')), 'not-tls', false, ['not-tls@0']],
    ['TLS after a CONNECT preamble', 'client', [...Buffer.from('CONNECT x.test:443 HTTP/1.1\r\n\r\n'), ...record(HANDSHAKE, CLIENT_HELLO)], 'records', false, ['not-tls@0', 'tls-after-preamble@31', 'record 22@31', 'handshake 1@36']],
    ['a record header that is not TLS ends the reading', 'server', [...record(ALERT, [2, 40]), 0x30, 3, 3, 0, 1, 0], 'failed', false, ['record 21@0', 'alert 40@5', 'error@7: at byte 7: expected a TLS record header (content type 48, version major 3)']],
    ['a handshake message longer than allowed ends the reading', 'client', record(HANDSHAKE, [1, ...u24(300000)]), 'failed', false, ['record 22@0', 'error@6: at byte 6: expected a handshake message of at most 262144 bytes (300000)']],
  ])('%s', (_name, dir, bytes, state, encrypted, expected) => {
    for (const size of [bytes.length, 1, 7]) {
      const { reader, events: got } = events(dir, bytes, size);
      expect(got).toEqual(expected);
      expect([reader.state, reader.encrypted]).toEqual([state, encrypted]);
    }
  });
});

describe('records opened with keys', () => {
  // An opener that takes a record's body as its plaintext, its last byte the inner type (as in TLS 1.3); an empty body does not open.
  const opener: RecordOpener = { outerTypes: [DATA], open: (_h, b) => (b.length === 0 ? undefined : { contentType: b[b.length - 1], content: b.slice(0, -1) }) };
  const start = record(HANDSHAKE, message(2, SH13));
  const at = start.length;
  const certificate = message(11, new Array(30).fill(1));
  it.each<[string, number[], string, number, string[]]>([
    ['messages split over records are joined, and placed at the record that completed them', [...record(DATA, [...certificate.slice(0, 10), HANDSHAKE]), ...record(DATA, [...certificate.slice(10), ...message(15, [1]), HANDSHAKE])],
      'reading', 2, [`record 23 encrypted@${at}`, `record 23 encrypted@${at + 16}`, `handshake 11 decrypted@${at + 21}`, `handshake 15 decrypted@${at + 21 + 34}`]],
    ['an alert inside', record(DATA, [2, 40, ALERT]), 'reading', 1, [`record 23 encrypted@${at}`, `alert 40 decrypted@${at + 5}`]],
    ['application data inside ends the decryption', [...record(DATA, [1, DATA]), ...record(DATA, [...message(15, [1]), HANDSHAKE])], 'ended', 1, [`record 23 encrypted@${at}`, `record 23 encrypted@${at + 7}`]],
    ['a record that does not open ends it', [...record(DATA, []), ...record(DATA, [...message(15, [1]), HANDSHAKE])], 'ended', 0, [`record 23 encrypted@${at}`, `record 23 encrypted@${at + 5}`]],
    ['a message longer than allowed ends it', record(DATA, [11, ...u24(300000), HANDSHAKE]), 'ended', 1, [`record 23 encrypted@${at}`, `error@${at + 6}: at byte ${at + 6}: expected a handshake message of at most 262144 bytes (300000)`]],
  ])('%s', (_name, bytes, decryption, opened, expected) => {
    for (const size of [start.length + bytes.length, 1, 9]) {
      const { reader, events: got } = events('server', [...start, ...bytes], size, { opener: () => opener });
      expect(got.slice(3)).toEqual(expected);
      expect([reader.decryption, reader.decryptedRecords]).toEqual([decryption, opened]);
    }
  });

  it('the opener is asked once, at the first protected record, with the ServerHello read', () => {
    const asked: unknown[] = [];
    events('server', [...start, ...record(DATA, [1, DATA]), ...record(DATA, [2, DATA])], undefined, { opener: (sh) => (asked.push(sh?.cipherSuite), undefined) });
    expect(asked).toEqual([0x1301]);
  });
});

describe('SSL 2.0 records', () => {
  it.each([
    // A CLIENT-HELLO record whose length (1) ends before the five bytes read to classify it.
    ['client', [0x80, 0x01, 0x01, 0x00, 0x02], ['error@3: at byte 3: expected SSLv2 version (needs 2 byte(s), 0 left)']],
    ['client', [0x80, 0x01, 0x01, 0x00, 0x02, 0x16, 0x03], ['error@3: at byte 3: expected SSLv2 version (needs 2 byte(s), 0 left)']],
    // A SERVER-HELLO record of two bytes.
    ['server', [0x80, 0x02, 0x04, 0x00, 0x01], ['error@4: at byte 4: expected certificate_type (needs 1 byte(s), 0 left)']],
  ] as const)('%s side, %j: a record shorter than its header is an error, not a crash', (dir, bytes, expected) => {
    for (const size of [bytes.length, 1]) expect(events(dir, [...bytes], size).events).toEqual(expected);
  });
});
