// TCP options a diagnosis reads: the MSS of a SYN and the SACK blocks of an ACK (RFC 793, 2018).
import { describe, expect, it } from 'vitest';
import { readTcpOptions } from './tcp-options.js';

const NOP = 1;
const EOL = 0;
const mss = (v: number) => [2, 4, v >> 8, v & 0xff];
const sack = (...edges: number[]) => [5, 2 + edges.length * 4, ...edges.flatMap((e) => [e >>> 24, (e >>> 16) & 0xff, (e >>> 8) & 0xff, e & 0xff])];
const timestamps = [8, 10, 0, 0, 0, 1, 0, 0, 0, 2];

describe('readTcpOptions', () => {
  it.each([
    // [what, option bytes, result]
    ['a SYN: MSS, SACK permitted, timestamps, window scale', [...mss(1460), 4, 2, ...timestamps, NOP, 3, 3, 7], { mss: 1460 }],
    ['one SACK block after NOPs and timestamps', [NOP, NOP, ...timestamps, NOP, NOP, ...sack(1449, 1927)], { sack: [1449, 1927] }],
    ['two blocks, edges past 2^31', [NOP, NOP, ...sack(0x80000001, 0x80000100, 0xfffffff0, 0x10)], { sack: [0x80000001, 0x80000100, 0xfffffff0, 0x10] }],
    ['end of list stops the walk', [EOL, ...mss(1460)], {}],
    ['a length running past the header: what came before stays', [...mss(536), 5, 18, 0, 0], { mss: 536 }],
    ['a length below 2 is malformed', [NOP, 8, 1, ...mss(1460)], {}],
    ['a SACK whose length is not 2 + 8n is skipped', [5, 6, 0, 0, 0, 1, ...mss(1400)], { mss: 1400 }],
    ['an MSS of the wrong length is skipped', [2, 3, 5, ...mss(1400)], { mss: 1400 }],
    ['a kind byte with no length byte after it', [NOP, 2], {}],
    ['no options', [], {}],
  ] as [string, number[], object][])('%s', (_what, bytes, want) => {
    // Surrounding bytes must not be read: the options sit between two other fields.
    const b = new Uint8Array([0xaa, 0xbb, ...bytes, 2, 4, 0x12, 0x34]);
    expect(readTcpOptions(b, 2, 2 + bytes.length)).toEqual(want);
  });
});
