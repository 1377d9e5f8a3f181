// `npm run bench -- --only serve`: tlsdoctor serve under a real Prometheus, in the lab, with 200
// targets (the lab's hosts, healthy and faulty, each under 20 names) scraped every 15 s for
// 5 minutes. Prints, from Prometheus' own records: each kind of host's scrape durations (does a
// silent host delay the others?), the longest probe beside its timeout, timed-out and failed
// scrapes, the exporter's counters, and its resident memory at the start and the end.
// Options: --serve-minutes N (5), --serve-names N (names per host, 20), --serve-concurrency N
// (the exporter's --concurrency; its default otherwise). Needs root (the lab) and prometheus.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Hosts of lab/scenarios.mjs: healthy, refusing and failing TLS quickly, and silent ones that cost a whole timeout. */
const KINDS = ['good', 'tls13', 'expired', 'wrongname', 'nochain', 'blocked', 'plain', 'refused', 'closed', 'silent'];
const EXPORTER = '127.0.0.1:9219';
/** blackbox_exporter (Debian's prometheus-blackbox-exporter), when installed: the same targets, scraped beside. */
const BLACKBOX = '127.0.0.1:9115';
const PROMETHEUS = '127.0.0.1:9090';
const SCRAPE = { interval: 15, timeout: 10 };

export async function serveBench(ROOT, args) {
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const minutes = opt('--serve-minutes', 5);
  const perHost = opt('--serve-names', 20);
  const concurrency = opt('--serve-concurrency', undefined);
  const { labUnavailable, labUp, labDown, labPaths, NS } = await import('../lab/lab.mjs');
  const { SCENARIOS } = await import('../lab/scenarios.mjs');
  const blackbox = spawnSync('sh', ['-c', 'command -v prometheus-blackbox-exporter']).status === 0;
  const why = labUnavailable() ?? (spawnSync('sh', ['-c', 'command -v prometheus']).status !== 0 ? 'prometheus is not installed' : undefined);
  if (why) {
    console.log(`serve: skipped: ${why}`);
    return;
  }
  labUp();
  const hostsFile = `/etc/netns/${NS.client}/hosts`;
  const hostsBefore = readFileSync(hostsFile, 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-serve-bench-'));
  const children = [];
  const get = (url) => spawnSync('ip', ['netns', 'exec', NS.client, 'curl', '-s', '-m', '20', url], { encoding: 'utf8', timeout: 30_000 }).stdout;
  const query = (q) => JSON.parse(get(`http://${PROMETHEUS}/api/v1/query?query=${encodeURIComponent(q)}`)).data.result;
  try {
    // The lab's hosts under more names, in the client namespace's hosts file (restored below).
    const targets = [];
    const extra = [];
    for (const kind of KINDS) {
      const s = SCENARIOS.find((x) => x.host === `${kind}.lab.test`);
      for (let i = 0; i < perHost; i++) {
        const name = `n${i}-${kind}.lab.test`;
        targets.push(name);
        extra.push(`${s.v4} ${name}`);
      }
    }
    writeFileSync(hostsFile, `${hostsBefore.trimEnd()}\n${extra.join('\n')}\n`);
    writeFileSync(join(dir, 'allow.txt'), '*.lab.test\n198.18.0.0/15\nfd7d::/16\n');
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: ${SCRAPE.interval}s, scrape_timeout: ${SCRAPE.timeout}s, evaluation_interval: ${SCRAPE.interval}s }
scrape_configs:
  - job_name: tlsdoctor
    metrics_path: /probe
    static_configs: [{ targets: [${targets.join(', ')}] }]
    relabel_configs:
      - { source_labels: [__address__], target_label: __param_target }
      - { source_labels: [__param_target], target_label: instance }
      - { target_label: __address__, replacement: '${EXPORTER}' }
  - job_name: tlsdoctor-exporter
    scrape_interval: 5s
    static_configs: [{ targets: ['${EXPORTER}'] }]
${
  blackbox
    ? `  - job_name: blackbox
    metrics_path: /probe
    params: { module: [tls] }
    static_configs: [{ targets: [${targets.map((t) => `'${t}:443'`).join(', ')}] }]
    relabel_configs:
      - { source_labels: [__address__], target_label: __param_target }
      - { source_labels: [__param_target], regex: '(.*):443', target_label: instance }
      - { target_label: __address__, replacement: '${BLACKBOX}' }
  - job_name: blackbox-exporter
    scrape_interval: 5s
    static_configs: [{ targets: ['${BLACKBOX}'] }]
`
    : ''
}`,
    );
    if (blackbox) {
      // A TLS connection with the lab's root trusted: what blackbox users configure for "is TLS up".
      writeFileSync(join(dir, 'blackbox.yml'), `modules:\n  tls:\n    prober: tcp\n    timeout: ${SCRAPE.timeout - 0.5}s\n    tcp:\n      tls: true\n      tls_config:\n        ca_file: ${labPaths().root}\n`);
      children.push(spawn('ip', ['netns', 'exec', NS.client, 'prometheus-blackbox-exporter', `--config.file=${join(dir, 'blackbox.yml')}`, `--web.listen-address=${BLACKBOX}`], { stdio: 'ignore' }));
    }
    const exporterArgs = ['serve', '--listen', EXPORTER, '--allow', join(dir, 'allow.txt'), '--ca', labPaths().root, ...(concurrency ? ['--concurrency', String(concurrency)] : [])];
    children.push(spawn('ip', ['netns', 'exec', NS.client, process.execPath, join(ROOT, 'packages', 'cli', 'bin', 'tlsdoctor.js'), ...exporterArgs], { stdio: 'ignore' }));
    await sleep(1000);
    children.push(spawn('ip', ['netns', 'exec', NS.client, 'prometheus', `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=${PROMETHEUS}`], { stdio: 'ignore' }));
    console.log(`serve: ${targets.length} targets (${KINDS.length} lab hosts x ${perHost} names), scraped every ${SCRAPE.interval} s (timeout ${SCRAPE.timeout} s) for ${minutes} min; exporter ${exporterArgs.slice(1).filter((a) => !a.includes('/')).join(' ')}`);
    await sleep(minutes * 60_000 + 5_000);

    const range = `${minutes}m`;
    const byKind = (samples) => {
      const m = new Map(KINDS.map((k) => [k, []]));
      for (const s of samples) m.get(/^n\d+-(\w+)\./.exec(s.metric.instance)[1]).push(Number(s.value[1]));
      return m;
    };
    const sorted = (xs) => [...xs].sort((a, b) => a - b);
    const q = (xs, p) => sorted(xs)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
    // Every scrape's duration of every target, from Prometheus' own record of it.
    const samples = query(`scrape_duration_seconds{job="tlsdoctor"}[${range}]`);
    const start = Math.min(...samples.map((s) => s.values[0][0]));
    const durations = byKind(samples.flatMap((s) => s.values.map((v) => ({ metric: s.metric, value: v }))));
    // The first round also pays for starting up (the trust store's roots, compiling the probe).
    const steady = byKind(samples.flatMap((s) => s.values.filter((v) => v[0] - start >= 2 * SCRAPE.interval).map((v) => ({ metric: s.metric, value: v }))));
    const probeMax = byKind(query(`max_over_time(tlsdoctor_probe_duration_seconds[${range}])`));
    const scrapes = query(`count_over_time(up{job="tlsdoctor"}[${range}])`).reduce((a, s) => a + Number(s.value[1]), 0);
    const down = query(`count_over_time((up{job="tlsdoctor"} == 0)[${range}:${SCRAPE.interval}s])`).reduce((a, s) => a + Number(s.value[1]), 0);
    const timedOut = query(`sum_over_time(tlsdoctor_probe_timed_out[${range}])`).reduce((a, s) => a + Number(s.value[1]), 0);
    console.log(`  scrapes stored: ${scrapes}; failed (up 0): ${down}; probes cut off at the deadline: ${timedOut}`);
    console.log('  scrape duration by kind of host, seconds: median / p99 / max over every scrape; the same after the first two rounds; the longest probe:');
    const row = (d) => `${q(d, 0.5).toFixed(3)} / ${q(d, 0.99).toFixed(3)} / ${Math.max(...d).toFixed(3)}`;
    for (const kind of KINDS) {
      const d = durations.get(kind);
      if (d.length === 0) continue;
      console.log(`    ${kind.padEnd(10)} ${row(d)}   after: ${row(steady.get(kind))}   probe max ${Math.max(...probeMax.get(kind)).toFixed(3)}   (${d.length} scrapes)`);
    }
    const counter = (name) => Number(query(name)[0]?.value[1] ?? NaN);
    console.log(`  exporter: probes started ${counter('tlsdoctor_exporter_probes_started_total')}, shared ${counter('tlsdoctor_exporter_probes_shared_total')}, timed out ${counter('tlsdoctor_exporter_probes_timed_out_total')}, refused busy ${counter('tlsdoctor_exporter_probes_refused_busy_total')}`);
    // A silent host holds a slot for its whole timeout: if the slots ran out, other scrapes waited.
    const peak = (name) => Math.max(...query(`max_over_time(${name}{job="tlsdoctor-exporter"}[${range}])`).map((x) => Number(x.value[1])));
    console.log(`  exporter: at most ${peak('tlsdoctor_exporter_probes_in_flight')} probes running at once and ${peak('tlsdoctor_exporter_probes_waiting')} waiting for a slot (sampled every 5 s)`);
    const rss = query(`process_resident_memory_bytes{job="tlsdoctor-exporter"}[${range}]`)[0]?.values ?? [];
    if (rss.length > 0) {
      const mb = (v) => (Number(v[1]) / 1048576).toFixed(1);
      const afterFirstRound = rss.find((v) => v[0] - rss[0][0] >= SCRAPE.interval) ?? rss[0];
      console.log(`  exporter RSS: ${mb(rss[0])} MB at the first sample, ${mb(afterFirstRound)} MB after the first round, ${mb(rss[rss.length - 1])} MB at the end; max ${(Math.max(...rss.map((v) => Number(v[1]))) / 1048576).toFixed(1)} MB`);
      // Minute by minute: the most it held in each (a collection lowers it between samples).
      const perMinute = [];
      for (const v of rss) {
        const m = Math.floor((v[0] - rss[0][0]) / 60);
        perMinute[m] = Math.max(perMinute[m] ?? 0, Number(v[1]));
      }
      console.log(`  exporter RSS, the most in each minute: ${perMinute.map((b) => (b / 1048576).toFixed(0)).join(', ')} MB`);
      const heap = query(`nodejs_heap_size_used_bytes{job="tlsdoctor-exporter"}[${range}]`)[0]?.values ?? [];
      if (heap.length > 0) console.log(`  exporter JavaScript heap used: ${mb(heap[0])} MB at the first sample, ${mb(heap[heap.length - 1])} MB at the end; max ${(Math.max(...heap.map((v) => Number(v[1]))) / 1048576).toFixed(1)} MB`);
    }
    if (blackbox) {
      const bb = byKind(query(`scrape_duration_seconds{job="blackbox"}[${range}]`).flatMap((x) => x.values.map((v) => ({ metric: x.metric, value: v }))));
      const ok = byKind(query(`avg_over_time(probe_success{job="blackbox"}[${range}])`));
      console.log('  blackbox_exporter (module tcp with tls, the lab root trusted), the same targets in the same run: scrape seconds (median / p99 / max), and probe_success (the share of scrapes at 1):');
      for (const kind of KINDS) {
        const d = bb.get(kind);
        if (d.length === 0) continue;
        const share = ok.get(kind).reduce((a, b) => a + b, 0) / Math.max(1, ok.get(kind).length);
        console.log(`    ${kind.padEnd(10)} ${row(d)}   probe_success ${share.toFixed(2)}   (${d.length} scrapes)`);
      }
      const bbRss = query(`process_resident_memory_bytes{job="blackbox-exporter"}[${range}]`)[0]?.values ?? [];
      if (bbRss.length > 0) console.log(`  blackbox_exporter RSS: ${(Number(bbRss[0][1]) / 1048576).toFixed(1)} MB at the first sample, ${(Number(bbRss[bbRss.length - 1][1]) / 1048576).toFixed(1)} MB at the end`);
    }
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await sleep(1000);
    writeFileSync(hostsFile, hostsBefore);
    rmSync(dir, { recursive: true, force: true });
    labDown();
  }
}
