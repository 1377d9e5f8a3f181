import { diagnoseProbe } from '@tlsdoctor/diagnosis';
import { probeTarget, type ProbeOptions, type ProbeRecord, type Target } from '@tlsdoctor/probe';
import type { ProbeResult } from './probe-metrics.js';
import { shareKey, type ProbeQuery } from './probe-query.js';

/** How the pool runs probes: the probe's fixed options and the pool's bounds. */
export interface PoolOptions {
  /** Everything a probe takes but what each scrape chooses (target, profile, ws, http3, time). */
  probe: Omit<ProbeOptions, 'timeoutMs' | 'deadline' | 'profile' | 'ws' | 'http3'>;
  /** Probes running at once, at most. */
  concurrency: number;
  /** Probes waiting for a slot, at most; a scrape past it is refused at once. */
  queue: number;
  /** A finished probe answers scrapes of the same target for this long. */
  shareMs: number;
  /** What runs a probe: `probeTarget`, unless a test gives its own. */
  run?: (target: Target, options: ProbeOptions) => Promise<ProbeRecord[]>;
}

/** The pool is full: the scrape is refused rather than left waiting past its deadline. */
export class PoolFullError extends Error {}

/**
 * A probe started with less time than this is not started: it could only be cut off, and it
 * would hold its slot doing so.
 */
const MIN_PROBE_MS = 200;

interface Shared {
  result: Promise<ProbeResult>;
  /** The time the probe was given: a scrape that would give it more does not share it. */
  budgetMs: number;
  /** When the probe ended (performance.now()), once it has. */
  endedAt?: number;
}

/**
 * Runs probes for scrapes: at most `concurrency` at once, `queue` more waiting; a scrape of a
 * target already being probed (or probed within `shareMs`) with at least the time this scrape
 * would give gets that probe's result rather than a second probe. A probe with less time is
 * never shared with a scrape that would give more: one scrape's short timeout cannot make
 * another's verdict a timeout. Every step of a probe ends by the probe's deadline, so a probe
 * holds its slot no longer than its scrape waits.
 */
export class ProbePool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly shared = new Map<string, Shared>();
  /** Probes started and scrapes shared, timed out or refused since the start, for the exporter's own metrics. */
  readonly counts = { started: 0, shared: 0, refusedFull: 0, timedOut: 0 };

  constructor(private readonly o: PoolOptions) {}

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Targets whose probe is under way or kept for sharing. */
  get remembered(): number {
    return this.shared.size;
  }

  /** The result for one scrape that may take `budgetMs`: a probe's, shared or not, or timed-out. */
  async result(q: ProbeQuery, budgetMs: number): Promise<ProbeResult> {
    const t0 = performance.now();
    const key = shareKey(q);
    let entry = this.shared.get(key);
    if (entry && ((entry.endedAt !== undefined && t0 - entry.endedAt > this.o.shareMs) || entry.budgetMs < budgetMs)) entry = undefined;
    if (entry) this.counts.shared++;
    else {
      if (this.running >= this.o.concurrency && this.waiting.length >= this.o.queue) {
        this.counts.refusedFull++;
        throw new PoolFullError(`${this.running} probes are running and ${this.waiting.length} waiting, the most this exporter takes (--concurrency, --queue): scrape fewer targets at once`);
      }
      entry = this.start(key, q, budgetMs);
    }
    let timer: NodeJS.Timeout | undefined;
    const cutOff = new Promise<ProbeResult>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timed-out', seconds: (performance.now() - t0) / 1000 }), Math.max(0, budgetMs));
    });
    try {
      const r = await Promise.race([entry.result, cutOff]);
      if (r.kind === 'timed-out') this.counts.timedOut++;
      return r;
    } finally {
      clearTimeout(timer);
    }
  }

  private start(key: string, q: ProbeQuery, budgetMs: number): Shared {
    const entry: Shared = { result: this.run(q, performance.now() + budgetMs), budgetMs };
    const forget = () => {
      if (this.shared.get(key) === entry) this.shared.delete(key);
    };
    entry.result.then(
      (r) => {
        entry.endedAt = performance.now();
        // A probe that never ran found nothing to share; one that ran is shared for shareMs.
        if (r.kind === 'timed-out') forget();
        else setTimeout(forget, this.o.shareMs).unref();
      },
      forget,
    );
    this.shared.set(key, entry);
    return entry;
  }

  private async run(q: ProbeQuery, deadline: number): Promise<ProbeResult> {
    const t0 = performance.now();
    const elapsed = () => (performance.now() - t0) / 1000;
    if (!(await this.slot(deadline - MIN_PROBE_MS))) return { kind: 'timed-out', seconds: elapsed() };
    try {
      const left = deadline - performance.now();
      if (left < MIN_PROBE_MS) return { kind: 'timed-out', seconds: elapsed() };
      this.counts.started++;
      // A silent server costs a probe three steps one after another (the hello, then the hellos
      // that compare names, the checks): each gets at most a third of the time left, and none
      // runs past the deadline.
      const options: ProbeOptions = { ...this.o.probe, timeoutMs: Math.floor(left / 3), deadline, profile: q.profile, ws: q.ws, http3: q.http3 };
      const records = await (this.o.run ?? probeTarget)(q.target, options);
      return { kind: 'probed', records: records.map((record) => ({ record, findings: record.address === undefined && record.notPermitted ? [] : diagnoseProbe(record) })), seconds: elapsed() };
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** Waits for a free slot until `until` (performance.now()): true with the slot taken, false when the time came first. */
  private slot(until: number): Promise<boolean> {
    if (this.running < this.o.concurrency) {
      this.running++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const take = () => {
        clearTimeout(timer);
        this.running++;
        resolve(true);
      };
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(take);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(false);
      }, Math.max(0, until - performance.now()));
      this.waiting.push(take);
    });
  }

  /** Resolves when no probe runs or waits any more. */
  async drained(): Promise<void> {
    while (this.running > 0 || this.waiting.length > 0) await new Promise((r) => setTimeout(r, 50));
  }
}
