import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ProfileName } from '@tlsdoctor/probe';
import type { AllowList } from './allow-list.js';
import { probeMetrics, type ProbeResult } from './probe-metrics.js';
import { PoolFullError, ProbePool, type PoolOptions } from './probe-pool.js';
import { parseProbeQuery, QueryError, type ProbeQuery } from './probe-query.js';

export interface ExporterOptions extends Omit<PoolOptions, 'probe'> {
  allow: AllowList;
  /** A probe's deadline when the scrape names none shorter, in seconds. */
  timeoutSeconds: number;
  /** The client's point of view when a scrape names no profile. */
  profile: ProfileName;
  probe: Omit<PoolOptions['probe'], 'permit'>;
}

/**
 * Prometheus sends its scrape timeout in this header; a probe that answers after it is thrown
 * away, so the deadline is taken from it, a little short of it to leave time for the answer.
 */
const SCRAPE_TIMEOUT_HEADER = 'x-prometheus-scrape-timeout-seconds';
const ANSWER_MARGIN_SECONDS = 0.5;

/** What each path answers, for the index page and a 404's message. */
const PATHS = ['/probe?target=HOST[:PORT]', '/metrics', '/-/healthy'];

/** Probes as a Prometheus exporter: GET /probe?target=... answers one probe's metrics, /metrics the exporter's own. */
export class Exporter {
  private readonly pool: ProbePool;
  private readonly own = new Registry();
  private readonly requests: Counter<'path' | 'status'>;
  private readonly server: http.Server;

  constructor(private readonly o: ExporterOptions) {
    this.pool = new ProbePool({ ...o, probe: { ...o.probe, permit: (c) => o.allow.refuseConnection(c) } });
    collectDefaultMetrics({ register: this.own });
    this.requests = new Counter({ name: 'tlsdoctor_exporter_requests_total', help: 'HTTP requests answered, by path and status.', labelNames: ['path', 'status'], registers: [this.own] });
    const pool = this.pool;
    const registers = [this.own];
    new Gauge({ name: 'tlsdoctor_exporter_probes_in_flight', help: 'Probes running now.', registers, collect() { this.set(pool.inFlight); } });
    new Gauge({ name: 'tlsdoctor_exporter_probes_waiting', help: 'Probes waiting for a free slot (--concurrency).', registers, collect() { this.set(pool.queued); } });
    // The pool counts; these counters read its counts when scraped (prom-client counters only add).
    const counter = (name: string, help: string, read: () => number) =>
      new Counter({ name, help, registers, collect() { this.reset(); this.inc(read()); } });
    counter('tlsdoctor_exporter_probes_started_total', 'Probes started.', () => pool.counts.started);
    counter('tlsdoctor_exporter_probes_shared_total', 'Scrapes answered by a probe another scrape had started (same target within the sharing time).', () => pool.counts.shared);
    counter('tlsdoctor_exporter_probes_timed_out_total', 'Scrapes answered at their deadline before the probe ended.', () => pool.counts.timedOut);
    counter('tlsdoctor_exporter_probes_refused_busy_total', 'Scrapes refused (503) because as many probes as allowed were running and waiting.', () => pool.counts.refusedFull);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => this.answer(res, '/probe', 500, `probe failed: ${(e as Error).message}`));
    });
    // A client that sends its head slowly must not hold a connection for ever.
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = (o.timeoutSeconds + 10) * 1000;
  }

  /** Starts listening; resolves with the address bound (port 0 picks a free one). */
  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops taking requests, lets the probes under way end (each is bounded), then closes. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await this.pool.drained();
    this.server.closeAllConnections();
    await closed;
  }

  private answer(res: http.ServerResponse, path: string, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
    this.requests.inc({ path, status: String(status) });
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(text.endsWith('\n') ? text : `${text}\n`);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://exporter');
    const path = url.pathname;
    const known = path === '/probe' || path === '/metrics' || path === '/-/healthy' || path === '/';
    if (!known) return this.answer(res, 'other', 404, `no such path ${JSON.stringify(path.slice(0, 100))}; paths: ${PATHS.join(', ')}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.answer(res, path, 405, `${req.method} is not answered here; use GET`);
    if (path === '/-/healthy') return this.answer(res, path, 200, 'OK');
    if (path === '/') return this.answer(res, path, 200, `tlsdoctor exporter\n${PATHS.map((p) => `GET ${p}`).join('\n')}`);
    if (path === '/metrics') return this.answer(res, path, 200, await this.own.metrics(), this.own.contentType);

    let q: ProbeQuery;
    try {
      q = parseProbeQuery(url.searchParams, this.o.profile);
    } catch (e) {
      if (e instanceof QueryError) return this.answer(res, path, 400, e.message);
      throw e;
    }
    const refused = this.o.allow.refuseTarget(q.target.host, q.target.port);
    if (refused) return this.answer(res, path, 403, refused);
    let result: ProbeResult;
    try {
      result = await this.pool.result(q, this.deadlineSeconds(req, q) * 1000);
    } catch (e) {
      if (e instanceof PoolFullError) return this.answer(res, path, 503, e.message);
      throw e;
    }
    // Every address the name resolved to was refused: as refused as a target outside the list.
    if (result.kind === 'probed' && result.records.every((r) => r.record.address === undefined) && result.records.some((r) => r.record.notPermitted?.length)) {
      return this.answer(res, path, 403, result.records[0].record.notPermitted![0].reason);
    }
    const registry = new Registry();
    probeMetrics(result, registry);
    return this.answer(res, path, 200, await registry.metrics(), registry.contentType);
  }

  /** The scrape's own timeout (less a margin), the query's, and the exporter's: the shortest. */
  private deadlineSeconds(req: http.IncomingMessage, q: ProbeQuery): number {
    const header = Number(req.headers[SCRAPE_TIMEOUT_HEADER]);
    const fromScrape = Number.isFinite(header) && header > 0 ? Math.max(header - ANSWER_MARGIN_SECONDS, header / 2) : Infinity;
    return Math.min(this.o.timeoutSeconds, q.timeoutSeconds ?? Infinity, fromScrape);
  }
}
