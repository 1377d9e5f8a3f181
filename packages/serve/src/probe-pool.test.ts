import { describe, expect, it } from 'vitest';
import { diagnoseProbe } from '@tlsdoctor/diagnosis';
import type { ProbeOptions, ProbeRecord, Target } from '@tlsdoctor/probe';
import { probeRecord } from '../../diagnosis/src/facts.fixtures.js';
import { PoolFullError, ProbePool } from './probe-pool.js';
import { parseProbeQuery } from './probe-query.js';

/** A probe the test ends when it chooses: each call is kept with its options and its end. */
function heldProbes() {
  const calls: { target: Target; options: ProbeOptions; end: () => void }[] = [];
  const run = (target: Target, options: ProbeOptions) =>
    new Promise<ProbeRecord[]>((resolve) => {
      calls.push({ target, options, end: () => resolve([probeRecord({ target })]) });
    });
  return { calls, run };
}

const query = (q: string) => parseProbeQuery(new URLSearchParams(q));
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

function pool(over: Partial<ConstructorParameters<typeof ProbePool>[0]> = {}) {
  const held = heldProbes();
  const p = new ProbePool({ probe: { extraCa: [], resolve: new Map(), decoySni: 'example.com', ciphers: false, warnDays: 21, http: false }, concurrency: 2, queue: 1, shareMs: 1000, run: held.run, ...over });
  return { p, ...held };
}

describe('the probe pool', () => {
  it('runs at most `concurrency` probes, queues `queue` more, and refuses past that', async () => {
    const { p, calls } = pool();
    const a = p.result(query('target=a.example'), 5000);
    const b = p.result(query('target=b.example'), 5000);
    const c = p.result(query('target=c.example'), 5000);
    await tick();
    expect(calls.map((x) => x.target.host)).toEqual(['a.example', 'b.example']);
    expect([p.inFlight, p.queued]).toEqual([2, 1]);
    await expect(p.result(query('target=d.example'), 5000)).rejects.toThrow(PoolFullError);
    expect(p.counts.refusedFull).toBe(1);
    calls[0].end();
    await a;
    await tick();
    // The waiting one took the freed slot.
    expect(calls.map((x) => x.target.host)).toEqual(['a.example', 'b.example', 'c.example']);
    calls[1].end();
    calls[2].end();
    expect((await b).kind).toBe('probed');
    expect((await c).kind).toBe('probed');
    expect([p.inFlight, p.queued]).toEqual([0, 0]);
  });

  it('gives the probe the deadline and a third of the time per step', async () => {
    const { p, calls } = pool();
    const before = performance.now();
    const r = p.result(query('target=a.example&profile=modern&ws=/ws&http3=1'), 3000);
    await tick();
    const o = calls[0].options;
    expect(o.deadline! - before).toBeGreaterThan(2900);
    expect(o.deadline! - before).toBeLessThanOrEqual(3000 + 50);
    expect(o.timeoutMs).toBeLessThanOrEqual(1000);
    expect(o.timeoutMs).toBeGreaterThan(900);
    expect([o.profile, o.ws, o.http3]).toEqual(['modern', '/ws', true]);
    calls[0].end();
    await r;
  });

  it('a scrape that waits past its deadline for a slot is answered timed-out, and its probe never starts', async () => {
    const { p, calls } = pool({ concurrency: 1, queue: 4 });
    const a = p.result(query('target=a.example'), 5000);
    const late = await p.result(query('target=b.example'), 300);
    expect(late.kind).toBe('timed-out');
    expect(calls).toHaveLength(1);
    expect(p.queued).toBe(0);
    expect(p.counts.timedOut).toBe(1);
    calls[0].end();
    await a;
    // The timed-out probe is not kept for sharing: the next scrape of b starts one.
    const b = p.result(query('target=b.example'), 5000);
    await tick();
    expect(calls.map((x) => x.target.host)).toEqual(['a.example', 'b.example']);
    calls[1].end();
    await b;
  });

  it('too little time for a probe: none is started', async () => {
    const { p, calls } = pool();
    expect((await p.result(query('target=a.example'), 100)).kind).toBe('timed-out');
    expect(calls).toHaveLength(0);
    expect(p.inFlight).toBe(0);
  });

  it('shares a probe with a scrape that gives no more time, not with one that gives more', async () => {
    const { p, calls } = pool({ concurrency: 4 });
    const first = p.result(query('target=a.example'), 5000);
    const same = p.result(query('target=https://a.example/'), 5000);
    const shorter = p.result(query('target=a.example'), 2000);
    await tick();
    expect(calls).toHaveLength(1);
    expect(p.counts.shared).toBe(2);
    // More time than the probe under way was given: a probe of its own.
    const longer = p.result(query('target=a.example'), 9000);
    await tick();
    expect(calls).toHaveLength(2);
    for (const c of calls) c.end();
    expect((await Promise.all([first, same, shorter, longer])).map((r) => r.kind)).toEqual(['probed', 'probed', 'probed', 'probed']);
    expect([p.counts.started, p.counts.shared, p.counts.timedOut]).toEqual([2, 2, 0]);
  });

  it('a short scrape cannot make a longer one share its probe', async () => {
    const { p, calls } = pool({ concurrency: 4 });
    const short = p.result(query('target=a.example&timeout=0.5'), 500);
    await tick();
    const prometheus = p.result(query('target=a.example'), 9500);
    await tick();
    expect(calls).toHaveLength(2);
    expect(calls[1].options.timeoutMs).toBeGreaterThan(3000);
    for (const c of calls) c.end();
    await Promise.all([short, prometheus]);
  });

  it('keeps a finished probe for shareMs, then forgets it', async () => {
    const { p, calls } = pool({ shareMs: 100 });
    const a = p.result(query('target=a.example'), 5000);
    await tick();
    calls[0].end();
    await a;
    expect(p.remembered).toBe(1);
    await p.result(query('target=a.example'), 5000);
    expect(calls).toHaveLength(1);
    await tick(200);
    expect(p.remembered).toBe(0);
    const again = p.result(query('target=a.example'), 5000);
    await tick();
    expect(calls).toHaveLength(2);
    calls[1].end();
    await again;
  });

  it('a probe that outlasts the scrape: the scrape is answered timed-out at its deadline, the probe keeps its slot to its end', async () => {
    const { p, calls } = pool();
    const r = await p.result(query('target=a.example'), 300);
    expect(r.kind).toBe('timed-out');
    expect(r.seconds).toBeGreaterThanOrEqual(0.29);
    expect(r.seconds).toBeLessThan(5);
    expect([p.inFlight, p.counts.started, p.counts.timedOut]).toEqual([1, 1, 1]);
    calls[0].end();
    await tick();
    expect(p.inFlight).toBe(0);
  });

  it('a probe that throws: the scrape gets the error, nothing is kept, the slot is freed', async () => {
    const p = new ProbePool({ probe: { extraCa: [], resolve: new Map(), decoySni: 'x', ciphers: false, warnDays: 21, http: false }, concurrency: 1, queue: 0, shareMs: 1000, run: () => Promise.reject(new Error('boom')) });
    await expect(p.result(query('target=a.example'), 5000)).rejects.toThrow('boom');
    await tick();
    expect([p.inFlight, p.remembered]).toEqual([0, 0]);
  });

  it('diagnoses each record it gets, and none that the allow list kept from being probed', async () => {
    const refused = probeRecord({ address: undefined, hello: undefined, full: undefined, notPermitted: [{ check: 'address', address: '127.0.0.1', port: 443, reason: 'no' }] });
    const p = new ProbePool({ probe: { extraCa: [], resolve: new Map(), decoySni: 'x', ciphers: false, warnDays: 21, http: false }, concurrency: 1, queue: 0, shareMs: 1000, run: async () => [probeRecord(), refused] });
    const r = await p.result(query('target=a.example'), 5000);
    if (r.kind !== 'probed') throw new Error(r.kind);
    expect(r.records[0].findings.map((f) => f.code)).toEqual(diagnoseProbe(probeRecord()).map((f) => f.code));
    expect(r.records[0].findings.length).toBeGreaterThan(0);
    expect(r.records[1].findings).toEqual([]);
    expect(r.seconds).toBeLessThan(5);
  });

  it('drained() waits for the probes under way', async () => {
    const { p, calls } = pool();
    const a = p.result(query('target=a.example'), 5000);
    let drained = false;
    const d = p.drained().then(() => (drained = true));
    await tick(80);
    expect(drained).toBe(false);
    calls[0].end();
    await a;
    await d;
    expect(drained).toBe(true);
  });
});
