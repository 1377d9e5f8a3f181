// Chrome NetLogs recorded now, in the lab, from Debian's Chromium against every fault of
// lab/record-netlogs.mjs's table, in each capture mode, with a packet capture of the same run:
// `tlsdoctor netlog` must name the fault from the browser's log, `tlsdoctor pcap` from the wire,
// and Chromium must log what the table says it does. Needs root, network namespaces and
// Chromium: it skips, saying why, where they are missing; CI runs it.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: the lab is plain ESM JavaScript, shared with `npm run lab` and `npm run fixtures`.
import { labDown, labUnavailable, labUp } from '../lab/lab.mjs';
// @ts-expect-error: plain ESM JavaScript.
import { NETLOG_CASES, NETLOG_MODES, caseAddresses, chromiumSays, netlogExpected, recordCase } from '../lab/record-netlogs.mjs';
// @ts-expect-error: plain ESM JavaScript.
import { SCENARIOS } from '../lab/scenarios.mjs';
import { runCli } from './helpers/cli.js';

type Mode = 'Default' | 'IncludeSensitive' | 'Everything';
interface NetlogCase {
  name: string;
  host: string;
  kind?: 'tcp' | 'quic' | 'request';
  quic?: boolean;
  pin?: string;
  trustLab?: boolean;
  ms?: number;
  chromium: string;
  netlog: string;
  netlogByMode?: Partial<Record<Mode, string>>;
  whyByMode?: string;
  pcap?: string;
  why?: string;
}

const CASES = NETLOG_CASES as NetlogCase[];
const MODES = NETLOG_MODES as Mode[];

function commandExists(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

const why: string | undefined = labUnavailable() ?? (!commandExists('chromium') || !commandExists('certutil') ? 'chromium or certutil is not installed' : undefined);
if (why) console.warn(`NetLog lab tests skipped: ${why}`);
if (why && process.env.CI) throw new Error(`NetLog lab tests must run in CI, but: ${why}`);

/** Report items in id order (numbers, or strings with numbers in them). */
const byId = (a: { id: unknown }, b: { id: unknown }) =>
  typeof a.id === 'number' && typeof b.id === 'number' ? a.id - b.id : String(a.id).localeCompare(String(b.id), undefined, { numeric: true });
/** An item's kind and host: on the item, or in its facts. */
const kindOf = (x: any): string | undefined => x.kind ?? x.facts?.kind;
const hostOf = (x: any): string | null | undefined => x.host ?? x.facts?.host;

const differs = (c: NetlogCase) => c.pcap !== undefined && c.pcap !== c.netlog;
/** Why the NetLog of `mode` and the capture disagree, where they do. */
const whyApart = (c: NetlogCase, mode: Mode): string | undefined => {
  const want: string = netlogExpected(c, mode);
  if (c.pcap === undefined || c.pcap === want) return undefined;
  return want !== c.netlog ? c.whyByMode : c.why;
};

describe('the NetLog cases', () => {
  it('say why wherever the browser\'s log and the capture are expected to disagree', () => {
    for (const c of CASES) if (differs(c)) expect(c.why?.length ?? 0, c.name).toBeGreaterThan(20);
    for (const c of CASES) if (c.netlogByMode) expect(c.whyByMode?.length ?? 0, c.name).toBeGreaterThan(20);
  });
  it('agree with lab/scenarios.mjs\'s expect.netlog, and cover every scenario that has one', () => {
    const scenarios = SCENARIOS as { host: string; expect: { netlog?: string } }[];
    // The lab's own trust: a case without it (`trustLab: false`) is a fault of its own.
    for (const c of CASES.filter((x) => x.trustLab !== false)) expect(scenarios.find((s) => s.host === c.host)?.expect.netlog, c.name).toBe(c.netlog);
    for (const s of scenarios.filter((x) => x.expect.netlog)) expect(CASES.some((c) => c.host === s.host), s.host).toBe(true);
  });
  it('name each case once, and every capture mode', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(MODES).toEqual(['Default', 'IncludeSensitive', 'Everything']);
  });
});

describe.skipIf(!!why)('tlsdoctor netlog on Chromium\'s NetLogs, recorded now', () => {
  let dir = '';
  const timings: { name: string; mode: Mode; ms: number; closed: boolean; kB: number }[] = [];
  beforeAll(() => {
    labUp();
    dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-netlog-'));
  }, 180_000);
  afterAll(() => {
    if (timings.length) console.log(`NetLog recordings (ms, NetLog kB, closed):\n${timings.map((t) => `  ${t.name} ${t.mode}: ${t.ms} ms, ${t.kB} kB${t.closed ? '' : ', not closed'}`).join('\n')}`);
    if (dir) rmSync(dir, { recursive: true, force: true });
    labDown();
  });

  const runs = CASES.flatMap((c) => MODES.map((mode) => [c.name, mode, c] as const));
  describe.each(runs)('%s, %s mode', (name, mode, c) => {
    let rec: { netlog: string; pcap: string } | undefined;
    const kind = c.kind ?? 'tcp';
    const want: string = netlogExpected(c, mode);
    const apart = whyApart(c, mode);
    beforeAll(async () => {
      const t0 = Date.now();
      rec = await recordCase(c, mode, dir);
      const says = chromiumSays(rec!.netlog, c);
      timings.push({ name, mode, ms: Date.now() - t0, closed: says.closed, kB: Math.round(statSync(rec!.netlog).size / 1024) });
    }, (c.ms ?? 6000) + 30_000);

    it(`Chromium logs ${c.chromium}`, () => {
      const says = chromiumSays(rec!.netlog, c);
      expect(says.first, `${name} (${mode}): ${JSON.stringify(says.outcomes)}`).toBe(c.chromium);
    });

    it(`tlsdoctor netlog: ${want}${apart ? ` (the capture: ${c.pcap}, as ${apart})` : ''}`, () => {
      const r = runCli(['netlog', rec!.netlog, '--host', c.host, '--format', 'json']);
      expect(r.code, r.stderr).not.toBe(2);
      expect(r.stdout, `exit ${r.code}: ${r.stderr}`).not.toBe('');
      const report = JSON.parse(r.stdout);
      expect(report.command).toBe('netlog');
      expect(report.input.files.length).toBe(1);
      const mine = (report.connections as any[]).filter((x) => hostOf(x) === c.host);
      expect(mine.length, `no item names ${c.host}: ${JSON.stringify(report.connections.map((x: any) => [x.id, kindOf(x), hostOf(x)]))}`).toBeGreaterThan(0);
      const first = mine.filter((x) => kindOf(x) === kind).sort(byId)[0];
      expect(first, `no ${kind} item for ${c.host}: ${JSON.stringify(mine.map((x) => [x.id, kindOf(x)]))}`).toBeDefined();
      for (const d of first.diagnoses) expect(Array.isArray(d.evidence), d.code).toBe(true);
      expect(first.diagnoses[0].code, `${name} (${mode}): ${JSON.stringify(first.diagnoses[0])}${apart ? `; the capture says ${c.pcap}: ${apart}` : ''}`).toBe(want);
      // The item's server is one Chromium was meant to reach.
      if (first.server) expect(caseAddresses(c)).toContain(first.server.ip);
      // Exit status: 1 when the report holds an error, else 0. Its summary counts every item of
      // the log, Chromium's own background requests too, not only the host's shown here.
      expect(r.code, r.stderr).toBe(report.summary.worst === 'error' ? 1 : 0);
      if ((report.connections as any[]).some((x) => x.diagnoses.some((d: any) => d.severity === 'error'))) expect(r.code).toBe(1);
    });

    if (c.pcap) {
      it(`tlsdoctor pcap on the same run: ${c.pcap}${apart ? ` (not ${want}: ${apart})` : ''}`, () => {
        const r = runCli(['pcap', rec!.pcap, '--format', 'json']);
        expect(r.stdout, `exit ${r.code}: ${r.stderr}`).not.toBe('');
        const report = JSON.parse(r.stdout);
        const addresses: string[] = caseAddresses(c);
        // Chromium's connections to the case's server, TCP or QUIC as the case's kind.
        const theirs = (report.connections as any[])
          .filter((x) => (x.sni === c.host || addresses.includes(x.server.ip)) && (x.transport === 'quic') === (kind === 'quic'))
          .sort(byId);
        expect(theirs.length, `${name} (${mode}): no ${kind} connection to ${addresses.join(' or ')} in ${JSON.stringify(report.connections.map((x: any) => [x.server.ip, x.sni]))}`).toBeGreaterThan(0);
        expect(theirs[0].diagnoses[0].code, `${name} (${mode}): ${JSON.stringify(theirs[0].diagnoses[0])}${apart ? `; the NetLog says ${want}: ${apart}` : ''}`).toBe(c.pcap);
      });
    }
  });
});
