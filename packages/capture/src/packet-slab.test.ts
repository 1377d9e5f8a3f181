// The packet slab keeps each logged packet in 32 bytes: every field must come back as it went in.
import { describe, expect, it } from 'vitest';
import { PacketSlab } from './packet-slab.js';
import type { Dir } from './tcp-types.js';

type Fields = { frame: number; time: number; dir: Dir; flags: number; seq: number; ack: number; len: number; ttl: number; ipId: number; window: number; mss: number | undefined };

const base: Fields = { frame: 1, time: 1700000000.123456, dir: 0, flags: 0x12, seq: 1000, ack: 2000, len: 0, ttl: 64, ipId: 4321, window: 64240, mss: undefined };

describe('PacketSlab', () => {
  it.each([
    ['a SYN with its MSS', { flags: 0x02, mss: 1460 }],
    ['IPv6: no IP ID', { ipId: -1 }],
    ['an IP ID of 0 and of 65535', { ipId: 0, mss: 0 }],
    ['the largest IP ID, MSS, window, TTL and flags', { ipId: 0xffff, mss: 0xffff, window: 0xffff, ttl: 255, flags: 0xff }],
    ['sequence and acknowledgement numbers at 0 and past 2^31', { seq: 0, ack: 0xffffffff }],
    ['a server packet of 256 KiB (offload merged it)', { dir: 1, len: 262144 }],
    ['a late frame and a nanosecond time', { frame: 4_000_000_000, time: 1700000000.000000001 }],
  ] as [string, Partial<Fields>][])('%s comes back as written', (_what, change) => {
    const p = { ...base, ...change };
    const slab = new PacketSlab(10, 1);
    // Rows far apart: the slab grows to hold them, keeping what it held.
    slab.write(0, 3, 7, 1.5, 1, 0x10, 5, 6, 7, 8, 9, 10, 11);
    slab.write(5000, 9, p.frame, p.time, p.dir, p.flags, p.seq, p.ack, p.len, p.ttl, p.ipId, p.window, p.mss);
    expect(slab.facts(5000, 9, undefined)).toEqual({ ...p, sack: undefined });
    expect(slab.seq(5000, 9)).toBe(p.seq);
    expect(slab.facts(0, 3, [1, 2])).toEqual({ frame: 7, time: 1.5, dir: 1, flags: 0x10, seq: 5, ack: 6, len: 7, ttl: 8, ipId: 9, window: 10, mss: 11, sack: [1, 2] });
  });
});
