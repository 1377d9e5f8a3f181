import { describe, expect, it } from 'vitest';
import { TlsStreamReader, type Direction, type StreamEvent } from './stream.js';

/** Every event of a stream fed in chunks of `size` bytes, as `kind@offset` (and an error's text). */
function events(dir: Direction, bytes: number[], size = bytes.length): string[] {
  const r = new TlsStreamReader(dir);
  const out: StreamEvent[] = [];
  const b = Uint8Array.from(bytes);
  for (let p = 0; p < b.length; p += size) out.push(...r.push(b.subarray(p, p + size)));
  out.push(...r.finish());
  return out.map((e) => (e.kind === 'error' ? `error@${e.offset}: ${e.error.message}` : `${e.kind}@${e.offset}`));
}

describe('SSL 2.0 records', () => {
  it.each([
    // A CLIENT-HELLO record whose length (1) ends before the five bytes read to classify it.
    ['client', [0x80, 0x01, 0x01, 0x00, 0x02], ['error@3: at byte 3: expected SSLv2 version (needs 2 byte(s), 0 left)']],
    ['client', [0x80, 0x01, 0x01, 0x00, 0x02, 0x16, 0x03], ['error@3: at byte 3: expected SSLv2 version (needs 2 byte(s), 0 left)']],
    // A SERVER-HELLO record of two bytes.
    ['server', [0x80, 0x02, 0x04, 0x00, 0x01], ['error@4: at byte 4: expected certificate_type (needs 1 byte(s), 0 left)']],
  ] as const)('%s side, %j: a record shorter than its header is an error, not a crash', (dir, bytes, expected) => {
    for (const size of [bytes.length, 1]) expect(events(dir, [...bytes], size)).toEqual(expected);
  });
});
