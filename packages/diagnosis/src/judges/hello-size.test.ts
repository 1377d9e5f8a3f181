// Hello shapes side by side: losses by size, one-segment readers, refused browser hellos.
import { describe, expect, it } from 'vitest';
import type { HelloOutcome, ShapedHello } from '@tlsdoctor/probe';
import { diagnoseProbe } from '../probe.js';
import { NOW_MS, outcome, probeRecord } from '../facts.fixtures.js';
import { judgeProbeHelloShapes } from './hello-size.js';

const ok = outcome.serverHello;
const shaped = (shape: ShapedHello['shape'], bytes: number, o: HelloOutcome, writes = [bytes]): ShapedHello => ({ shape, bytes, writes, outcome: o });
const pq = (o: HelloOutcome) => shaped('post-quantum', 1883, o);
const split = (o: HelloOutcome) => shaped('split', 517, o, [40, 477]);
const sweep = (...os: HelloOutcome[]) => [705, 1005, 1205, 1405].map((b, i) => shaped('padded', b, os[i]));
const codes = (fs: { code: string }[]) => fs.map((f) => f.code);

describe('hello shapes, probe', () => {
  it.each([
    // [what, shapes, codes]
    ['all answered', { postQuantum: pq(ok()), split: split(ok()) }, []],
    ['a HelloRetryRequest is an answer', { postQuantum: pq({ kind: 'hello-retry', ms: 2, serverHello: (ok() as Extract<HelloOutcome, { kind: 'server-hello' }>).serverHello }), split: split(ok()) }, []],
    ['split reset, one write answered', { postQuantum: pq(outcome.reset()), split: split(outcome.reset()) }, ['SPLIT_CLIENT_HELLO_REJECTED']],
    ['split silent', { postQuantum: pq(ok()), split: split(outcome.silent()) }, ['SPLIT_CLIENT_HELLO_REJECTED']],
    ['split closed', { postQuantum: pq(outcome.silent()), split: split(outcome.closed()) }, ['SPLIT_CLIENT_HELLO_REJECTED']],
    ['split answered with an alert', { postQuantum: pq(ok()), split: split(outcome.alert(50)) }, ['SPLIT_CLIENT_HELLO_REJECTED']],
    ['big lost in silence, sweep stops at 1,205', { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(ok(), ok(), outcome.silent(), outcome.silent()) }, ['MTU_BLACKHOLE']],
    ['big lost, every one-packet size answered (limit near 1,500)', { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(ok(), ok(), ok(), ok()) }, ['MTU_BLACKHOLE']],
    ['big lost, sweep lost from the smallest: no size answered', { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(outcome.silent(), outcome.silent(), outcome.silent(), outcome.silent()) }, ['LARGE_CLIENT_HELLO_REJECTED']],
    ['big lost, a size answered after a lost one: no threshold', { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(ok(), outcome.silent(), ok(), outcome.silent()) }, ['LARGE_CLIENT_HELLO_REJECTED']],
    ['big lost, large sizes reset: refused, not lost', { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(ok(), ok(), outcome.reset(), outcome.reset()) }, ['LARGE_CLIENT_HELLO_REJECTED']],
    ['big reset, sizes fine', { postQuantum: pq(outcome.reset()), split: split(ok()), sweep: sweep(ok(), ok(), ok(), ok()) }, ['LARGE_CLIENT_HELLO_REJECTED']],
    ['big refused by an alert', { postQuantum: pq(outcome.alert(47)), split: split(ok()), sweep: sweep(ok(), ok(), ok(), ok()) }, ['LARGE_CLIENT_HELLO_REJECTED']],
    ['big silent, no sweep run', { postQuantum: pq(outcome.silent()), split: split(ok()) }, ['LARGE_CLIENT_HELLO_REJECTED']],
    ['a shape whose connect failed says nothing', { postQuantum: pq(outcome.silent()), split: split(outcome.connectFailed('timeout')) }, []],
    ['a sweep connect that failed says nothing', { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(ok(), outcome.connectFailed('refused'), ok(), ok()) }, []],
  ] as [string, NonNullable<Parameters<typeof probeRecord>[0]>['shapes'], string[]][])('%s', (_what, shapes, want) => {
    expect(codes(judgeProbeHelloShapes(probeRecord({ shapes })))).toEqual(want);
  });

  it('compares only with a default hello that was answered', () => {
    const shapes = { postQuantum: pq(outcome.reset()), split: split(outcome.reset()) };
    for (const hello of [outcome.alert(40), outcome.reset(), outcome.silent(), outcome.http()]) expect(judgeProbeHelloShapes(probeRecord({ hello, shapes }))).toEqual([]);
    expect(judgeProbeHelloShapes(probeRecord({ hello: undefined, shapes }))).toEqual([]);
    expect(judgeProbeHelloShapes(probeRecord({}))).toEqual([]);
  });

  it('names the sizes that were answered and lost, with packet sizes per IP version', () => {
    const shapes = { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(ok(), ok(), outcome.silent(), outcome.silent()) };
    const [v4] = judgeProbeHelloShapes(probeRecord({ shapes, family: 4 }));
    expect(v4.evidence).toContain('one-packet hellos are answered up to 1005 bytes and lost from 1205 bytes: packets of about 1257 bytes and more do not arrive, those of 1057 do');
    expect(v4.evidence.join('\n')).toMatch(/X25519MLKEM768 key share \(1883 bytes in one write: two segments on a 1,500-byte path, the first full-size\): no answer/);
    expect(v4.evidence.join('\n')).toMatch(/split in two segments \(40 \+ 477 bytes\)/);
    expect(v4.evidence.some((l) => l.includes('no ICMP'))).toBe(true);
    const [v6] = judgeProbeHelloShapes(probeRecord({ shapes, family: 6 }));
    expect(v6.evidence).toContain('one-packet hellos are answered up to 1005 bytes and lost from 1205 bytes: packets of about 1277 bytes and more do not arrive, those of 1077 do');
    const [all] = judgeProbeHelloShapes(probeRecord({ shapes: { ...shapes, sweep: sweep(ok(), ok(), ok(), ok()) } }));
    expect(all.evidence).toContain("every one-packet hello up to 1405 bytes is answered; only the full-size segment of the browser-shaped hello is lost: the path's limit lies between the two");
  });

  it('says which segmenting was refused and that only it differs', () => {
    const [f] = judgeProbeHelloShapes(probeRecord({ shapes: { postQuantum: pq(outcome.reset()), split: split(outcome.reset()) } }));
    expect(f.evidence[0]).toMatch(/^the default ClientHello \(517 bytes in one packet\): ServerHello/);
    expect(f.evidence[1]).toMatch(/split in two segments \(40 \+ 477 bytes\): connection reset/);
    expect(f.evidence).toContain('same address 192.0.2.10:443, same bytes: only the segmenting differs');
  });

  it('is the primary diagnosis before the certificate faults a small hello shows', () => {
    const shapes = { postQuantum: pq(outcome.silent()), split: split(ok()), sweep: sweep(ok(), ok(), ok(), outcome.silent()) };
    const full = { ...probeRecord().full!, chain: [] };
    expect(codes(diagnoseProbe(probeRecord({ shapes, full }), NOW_MS))[0]).toBe('MTU_BLACKHOLE');
    expect(codes(diagnoseProbe(probeRecord({ shapes: { postQuantum: pq(ok()), split: split(ok()) } }), NOW_MS))).toEqual(['HANDSHAKE_OK']);
  });
});
