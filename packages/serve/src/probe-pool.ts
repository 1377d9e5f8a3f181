import { diagnoseProbe } from '@tlsdoctor/diagnosis';
import { probeTarget, type ProbeOptions } from '@tlsdoctor/probe';
import type { ProbeResult } from './probe-metrics.js';
import { shareKey, type ProbeQuery } from './probe-query.js';

/** How the pool runs probes: the probe's fixed options and the pool's bounds. */
export interface PoolOptions {
  /** Everything a probe takes but what each scrape chooses (target, profile, ws, http3, timeout). */
  probe: Omit<ProbeOptions, 'timeoutMs' | 'profile' | 'ws' | 'http3'>;
  /** Probes running at once, at most. */
  concurrency: number;
  /** Probes waiting for a slot, at most; a scrape past it is refused at once. */
  queue: number;
  /** A finished probe answers scrapes of the same target for this long. */
  shareMs: number;
}

/** The pool is full: the scrape is refused rather than left waiting past its deadline. */
export class PoolFullError extends Error {}

interface Shared {
  result: Promise<ProbeResult>;
  /** When the probe ended (performance.now()), once it has. */
  endedAt?: number;
}

/**
 * Runs probes for scrapes: at most `concurrency` at once, `queue` more waiting; a scrape of a
 * target already being probed (or probed within `shareMs`) gets that probe's result rather than a
 * second probe. Each scrape waits no longer than its own deadline; a probe cut off there goes on
 * to its end (every step of a probe is bounded by its own timeout) holding its slot, so the bound
 * on probes running is real, not only on answers.
 */
export class ProbePool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly shared = new Map<string, Shared>();
  /** Probes started, shared and refused since the start, for the exporter's own metrics. */
  readonly counts = { started: 0, shared: 0, refusedFull: 0, timedOut: 0 };

  constructor(private readonly o: PoolOptions) {}

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** The result for one scrape: a probe's, shared or not, or timed-out at `deadlineMs` from now. */
  async result(q: ProbeQuery, deadlineMs: number): Promise<ProbeResult> {
    const t0 = performance.now();
    const key = shareKey(q);
    let entry = this.shared.get(key);
    if (entry && entry.endedAt !== undefined && t0 - entry.endedAt > this.o.shareMs) entry = undefined;
    if (entry) this.counts.shared++;
    else {
      if (this.running >= this.o.concurrency && this.waiting.length >= this.o.queue) {
        this.counts.refusedFull++;
        throw new PoolFullError(`${this.running} probes are running and ${this.waiting.length} waiting, the most this exporter takes (--concurrency): scrape fewer targets at once`);
      }
      entry = this.start(key, q, deadlineMs);
    }
    let timer: NodeJS.Timeout | undefined;
    const cutOff = new Promise<ProbeResult>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timed-out', seconds: (performance.now() - t0) / 1000 }), Math.max(0, deadlineMs));
    });
    try {
      const r = await Promise.race([entry.result, cutOff]);
      if (r.kind === 'timed-out') this.counts.timedOut++;
      return r;
    } finally {
      clearTimeout(timer);
    }
  }

  private start(key: string, q: ProbeQuery, deadlineMs: number): Shared {
    const entry: Shared = { result: this.run(q, deadlineMs) };
    const forget = () => {
      if (this.shared.get(key) === entry) this.shared.delete(key);
    };
    entry.result.then(
      (r) => {
        entry.endedAt = performance.now();
        // A probe that never got a slot found nothing to share; one that ran is shared for shareMs.
        if (r.kind === 'timed-out') forget();
        else setTimeout(forget, this.o.shareMs).unref();
      },
      forget,
    );
    this.shared.set(key, entry);
    return entry;
  }

  private async run(q: ProbeQuery, deadlineMs: number): Promise<ProbeResult> {
    const t0 = performance.now();
    const got = await this.slot(deadlineMs);
    if (!got) return { kind: 'timed-out', seconds: (performance.now() - t0) / 1000 };
    try {
      this.counts.started++;
      const left = deadlineMs - (performance.now() - t0);
      // A silent server costs a probe three steps one after another (the hello, then the hellos
      // that compare names): each gets a third of the time left, so the whole fits the deadline.
      const timeoutMs = Math.max(250, Math.floor(left / 3));
      const records = await probeTarget(q.target, { ...this.o.probe, timeoutMs, profile: q.profile, ws: q.ws, http3: q.http3 });
      return { kind: 'probed', records: records.map((record) => ({ record, findings: record.address === undefined && record.notPermitted ? [] : diagnoseProbe(record) })), seconds: (performance.now() - t0) / 1000 };
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** Waits for a free slot until the deadline: true with the slot taken, false when the deadline came first. */
  private slot(deadlineMs: number): Promise<boolean> {
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
      }, deadlineMs);
      this.waiting.push(take);
    });
  }

  /** Resolves when no probe runs or waits any more. */
  async drained(): Promise<void> {
    while (this.running > 0 || this.waiting.length > 0) await new Promise((r) => setTimeout(r, 50));
  }
}
