// `tlsdoctor serve` under a real Prometheus (Debian's), both in the lab's client namespace:
// Prometheus scrapes the exporter, blackbox-style, for the lab's faulty hosts; the test asks
// Prometheus' HTTP API what it stored (each host's code label, success, the 403 of a target
// outside --allow), then runs the shipped alerting rules under `promtool test rules` on series
// taken from that real scrape. Needs root, the lab and Prometheus: skips, saying why, where they
// are missing; CI runs it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: the lab is plain ESM JavaScript, shared with `npm run lab` and `npm run fixtures`.
import { labDown, labUnavailable, labUp, labPaths, NS } from '../lab/lab.mjs';
// @ts-expect-error: plain ESM JavaScript.
import { SCENARIOS } from '../lab/scenarios.mjs';
import { CLI } from './helpers/cli.js';
import { ROOT } from './helpers/fixtures.js';

const commandExists = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const why: string | undefined = labUnavailable() ?? (!commandExists('prometheus') || !commandExists('promtool') || !commandExists('curl') ? 'prometheus, promtool or curl is not installed (Debian: apt-get install prometheus curl)' : undefined);
if (why) console.warn(`exporter lab tests skipped: ${why}`);
if (why && process.env.CI) throw new Error(`exporter lab tests must run in CI, but: ${why}`);

/** The hosts scraped: a healthy one and one per kind of fault the issue names, and a few more. */
const HOSTS = ['good.lab.test', 'expired.lab.test', 'blocked.lab.test', 'plain.lab.test', 'refused.lab.test', 'closed.lab.test', 'silent.lab.test', 'wrongname.lab.test', 'nochain.lab.test', 'tls10.lab.test'];
/** A name the allow list does not hold: Prometheus must store the exporter's 403 for it, and the exporter send nothing. */
const OUTSIDE = 'outside.example.test';
const EXPORTER = '127.0.0.1:9219';
const PROMETHEUS = '127.0.0.1:9090';
const SCRAPE = { interval: 5, timeout: 4 };

const expected = new Map((SCENARIOS as { host: string; expect: { probe?: string } }[]).map((s) => [s.host, s.expect.probe]));

/** A GET inside the client namespace (where the exporter and Prometheus listen). */
function get(url: string): { status: number; body: string } {
  const r = spawnSync('ip', ['netns', 'exec', NS.client, 'curl', '-s', '-m', '10', '-w', '\n%{http_code}', url], { encoding: 'utf8', timeout: 15_000 });
  const i = r.stdout.lastIndexOf('\n');
  return { status: Number(r.stdout.slice(i + 1)), body: r.stdout.slice(0, i) };
}

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

function query(promql: string): Sample[] {
  const r = get(`http://${PROMETHEUS}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const j = JSON.parse(r.body);
  if (j.status !== 'success') throw new Error(`query ${promql}: ${r.body}`);
  return j.data.result;
}

describe.skipIf(!!why)('tlsdoctor serve scraped by Prometheus, in the lab', () => {
  let dir = '';
  const children: ChildProcess[] = [];
  let diagnoses: Sample[] = [];
  let success: Sample[] = [];
  let series: Sample[] = [];

  beforeAll(async () => {
    labUp();
    dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-serve-lab-'));
    // The lab's hosts by name, and the lab's addresses: RFC 2544 and ULA space, special-purpose,
    // which no name entry reaches without an address entry.
    writeFileSync(join(dir, 'allow.txt'), '*.lab.test\n198.18.0.0/15\nfd7d::/16\n');
    const exporter = spawn('ip', ['netns', 'exec', NS.client, process.execPath, CLI, 'serve', '--listen', EXPORTER, '--allow', join(dir, 'allow.txt'), '--ca', labPaths().root, '--timeout', '10'], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(exporter);
    let exporterLog = '';
    exporter.stderr!.on('data', (d) => (exporterLog += d));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:
  scrape_interval: ${SCRAPE.interval}s
  scrape_timeout: ${SCRAPE.timeout}s
  evaluation_interval: ${SCRAPE.interval}s
rule_files:
  - ${join(ROOT, 'monitoring', 'tlsdoctor.rules.yml')}
scrape_configs:
  - job_name: tlsdoctor
    metrics_path: /probe
    static_configs:
      - targets: [${[...HOSTS, OUTSIDE].join(', ')}]
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: ${EXPORTER}
  - job_name: tlsdoctor-exporter
    static_configs:
      - targets: ['${EXPORTER}']
`,
    );
    const prometheus = spawn('ip', ['netns', 'exec', NS.client, 'prometheus', `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=${PROMETHEUS}`], { stdio: 'ignore' });
    children.push(prometheus);
    // Until every host has a scrape stored (two rounds, so each probe ran at least once): bounded.
    for (let i = 0; i < 60; i++) {
      await sleep(1000);
      try {
        success = query('tlsdoctor_probe_success');
        if (success.length >= HOSTS.length && query('count_over_time(tlsdoctor_probe_success[1m])').every((s) => Number(s.value[1]) >= 2)) break;
      } catch {
        // Prometheus is still starting.
      }
    }
    if (success.length < HOSTS.length) throw new Error(`Prometheus stored ${success.length} of ${HOSTS.length} hosts in 60 s; exporter said: ${exporterLog}`);
    diagnoses = query('tlsdoctor_diagnosis');
    series = query('{job="tlsdoctor", __name__=~"tlsdoctor_.*"}');
  }, 180_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    await sleep(500);
    rmSync(dir, { recursive: true, force: true });
    labDown();
  });

  const codesOf = (host: string) => diagnoses.filter((s) => s.metric.instance === host).map((s) => s.metric.code);
  const successOf = (host: string) => Number(success.find((s) => s.metric.instance === host)?.value[1]);

  it('the healthy host: success 1 and no error-level code', () => {
    expect(successOf('good.lab.test')).toBe(1);
    expect(diagnoses.filter((s) => s.metric.instance === 'good.lab.test' && s.metric.severity === 'error')).toEqual([]);
    expect(codesOf('good.lab.test')).toContain('HANDSHAKE_OK');
  });

  it.each(HOSTS.filter((h) => h !== 'good.lab.test'))('%s: its code as a label, and success 0', (host) => {
    const code = expected.get(host)!;
    expect(codesOf(host), JSON.stringify(diagnoses.filter((s) => s.metric.instance === host))).toContain(code);
    expect(diagnoses.find((s) => s.metric.instance === host && s.metric.code === code)?.metric.severity).toBe('error');
    expect(successOf(host)).toBe(0);
  });

  it('every probe ended within the scrape timeout, and Prometheus stored every scrape of an allowed host', () => {
    for (const s of query('tlsdoctor_probe_duration_seconds')) expect(Number(s.value[1]), s.metric.instance).toBeLessThan(SCRAPE.timeout);
    for (const s of query('tlsdoctor_probe_timed_out')) expect(s.value[1], s.metric.instance).toBe('0');
    const up = query('up{job="tlsdoctor"}');
    for (const host of HOSTS) expect(up.find((s) => s.metric.instance === host)?.value[1], host).toBe('1');
  });

  it('a target outside --allow: Prometheus stores the 403, and the exporter never probed it', () => {
    const targets = JSON.parse(get(`http://${PROMETHEUS}/api/v1/targets`).body).data.activeTargets as { labels: Record<string, string>; health: string; lastError: string }[];
    const outside = targets.find((t) => t.labels.instance === OUTSIDE)!;
    expect(outside.health).toBe('down');
    expect(outside.lastError).toContain('403');
    expect(query(`tlsdoctor_probe_success{instance="${OUTSIDE}"}`)).toEqual([]);
    const direct = get(`http://${EXPORTER}/probe?target=${OUTSIDE}`);
    expect(direct.status).toBe(403);
    expect(direct.body).toBe(`${OUTSIDE}:443 is not in the allow list\n`);
  });

  it('the exporter\'s own metrics are scraped too', () => {
    const started = query('tlsdoctor_exporter_probes_started_total');
    expect(Number(started[0]?.value[1])).toBeGreaterThanOrEqual(HOSTS.length);
    expect(query('process_resident_memory_bytes{job="tlsdoctor-exporter"}')).toHaveLength(1);
  });

  it('the shipped rules fire on series from this scrape (promtool test rules)', () => {
    // Each stored series, held for 15 minutes at one sample a minute: what 15 minutes of this
    // state would look like to the rules.
    const input = series.map((s) => {
      const { __name__, ...labels } = s.metric;
      const sel = `${__name__}{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
      return `      - series: '${sel}'\n        values: '${s.value[1]}x15'`;
    });
    const rules = readFileSync(join(ROOT, 'monitoring', 'tlsdoctor.rules.yml'), 'utf8');
    const block = rules.slice(rules.indexOf('- alert: TLSHandshakeDiagnosis'), rules.indexOf('- alert: TLSProbeFailing'));
    const template = (key: string) => JSON.parse(new RegExp(`${key}: (".*")`).exec(block)![1]) as string;
    const expand = (t: string, labels: Record<string, string>) => t.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, k: string) => labels[k]);
    const errors = diagnoses.filter((s) => s.metric.severity === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(HOSTS.length - 1);
    const alerts = errors.map((s) => {
      const labels = { job: s.metric.job, instance: s.metric.instance, code: s.metric.code, severity: 'critical' };
      return `          - exp_labels: ${JSON.stringify(labels)}\n            exp_annotations: ${JSON.stringify({ summary: expand(template('summary'), labels), description: expand(template('description'), labels) })}`;
    });
    const test = `rule_files:\n  - ${join(ROOT, 'monitoring', 'tlsdoctor.rules.yml')}\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n${input.join('\n')}\n    alert_rule_test:\n      - eval_time: 6m\n        alertname: TLSHandshakeDiagnosis\n        exp_alerts:\n${alerts.join('\n')}\n      - eval_time: 6m\n        alertname: TLSProbeFailing\n        exp_alerts: []\n`;
    writeFileSync(join(dir, 'scraped.test.yml'), test);
    const r = spawnSync('promtool', ['test', 'rules', join(dir, 'scraped.test.yml')], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});
