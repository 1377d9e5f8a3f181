import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { FIXTURES, ROOT } from './helpers/fixtures.js';
import { occurs } from './helpers/occurs.js';

// `tlsdoctor netlog` on the NetLogs Debian's Chromium wrote in the lab (fixtures/netlog/, each
// with a sidecar naming the scenario and the verdict), on bad input, and under redaction.

const DIR = join(FIXTURES, 'netlog');
const LOGS = readdirSync(DIR).filter((f) => f.endsWith('.json.gz')).sort();

interface NetlogSidecar {
  scenario: string;
  captureMode: string;
  cut?: { bytes: number };
  expect: { host: string; kind: 'tcp' | 'quic' | 'request'; primary: string };
}

const sidecar = (f: string): NetlogSidecar => JSON.parse(readFileSync(join(DIR, f.replace(/\.json\.gz$/, '.sidecar.json')), 'utf8'));
const path = (f: string) => relative(ROOT, join(DIR, f));

function json(args: string[]) {
  const r = runCli(['netlog', ...args, '--format', 'json']);
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined };
}

describe('tlsdoctor netlog on the lab\'s NetLogs', () => {
  it('has NetLogs to read', () => expect(LOGS.length).toBeGreaterThanOrEqual(5));

  it.each(LOGS.map((f) => [f, sidecar(f).expect.primary] as const))('%s: %s', (f, primary) => {
    const s = sidecar(f);
    const { report, code, stderr } = json([path(f), '--host', s.expect.host]);
    const mine = report.connections.filter((c: { facts: { kind: string } }) => c.facts.kind === s.expect.kind);
    expect(mine.length, stderr).toBeGreaterThan(0);
    expect(mine[0].diagnoses[0].code).toBe(primary);
    expect(report.input.files[0].captureMode).toBe(s.captureMode);
    expect(report.input.files[0].client).toMatch(/^Chromium \d+\./);
    // A cut log is reported, and said to be cut: one line, and a status that is not success.
    if (s.cut) {
      expect(report.input.files[0].complete).toBe(false);
      expect(stderr).toMatch(new RegExp(`cut at byte ${s.cut.bytes}: `));
      expect(code).toBe(2);
    } else {
      expect(report.input.files[0].complete).toBe(true);
      expect(code).toBe(report.summary.worst === 'error' ? 1 : 0);
    }
  });

  it('reads the same log plain and gzip-compressed alike', () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-netlog-'));
    const plain = join(dir, 'log.json');
    writeFileSync(plain, gunzipSync(readFileSync(join(DIR, LOGS[0]))));
    const a = json([plain]).report;
    const b = json([path(LOGS[0])]).report;
    const codes = (r: { connections: { diagnoses: { code: string }[] }[] }) => r.connections.map((c) => c.diagnoses[0].code);
    expect(codes(a)).toEqual(codes(b));
    expect(b.input.files[0].gzip).toBe(true);
  });

  it('lists a table with the host and the transport, and the evidence under it', () => {
    const f = LOGS.find((x) => sidecar(x).expect.primary === 'CERT_EXPIRED')!;
    const r = runCli(['netlog', path(f), '--host', sidecar(f).expect.host]);
    expect(r.stdout).toMatch(/CERT_EXPIRED/);
    expect(r.stdout).toMatch(/the browser's verifier said ERR_CERT_DATE_INVALID/);
    expect(r.stdout).toMatch(/TLS 1\.3: encrypted on the wire, read from the browser's log/);
  });
});

describe('tlsdoctor netlog on bad input: one line, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'td-netlog-bad-'));
  const write = (name: string, data: string | Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, data);
    return p;
  };
  it.each([
    ['a missing file', join(dir, 'nope.json'), /nope\.json: no such file/],
    ['an empty file', write('empty.json', ''), /empty\.json: the file is empty/],
    ['a capture', join(FIXTURES, 'sni-reset.pcap'), /not JSON: it begins with the bytes d4 c3 b2 a1/],
    ['JSON that is not a NetLog', write('list.json', '[1, 2, 3]'), /JSON, but not a NetLog/],
    ['an object without events', write('obj.json', '{"constants": {}}'), /without "events"|ends before/],
    ['a gzip file cut short', write('cut.json.gz', readFileSync(join(DIR, LOGS[0])).subarray(0, 20_000)), /\.json\.gz: the file is cut at byte \d+: inside event [\d,]+ \(byte \d+\), whose text is cut; the [\d,]+ event\(s\) before it are reported\n$/],
    ['a gzip file whose data is broken', write('broken.json.gz', Buffer.concat([readFileSync(join(DIR, LOGS[0])).subarray(0, 10), Buffer.alloc(200, 0xff)])), /broken\.json\.gz: gzip: /],
    ['standard input', '-', /not standard input/],
    ['a directory', dir, /is a directory/],
  ])('%s', (_what, file, words) => {
    const r = runCli(['netlog', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(words);
  });

  it('reports the logs it could read beside one it could not', () => {
    const r = runCli(['netlog', join(dir, 'nope.json'), path(LOGS[0]), '--format', 'json']);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.input.files.map((f: { error: string | null }) => f.error === null)).toEqual([false, true]);
    expect(report.connections.length).toBeGreaterThan(0);
  });
});

// The oracle: every URL, host, address, cookie and certificate identity in the NetLogs, found in
// their text (regular expressions over the JSON, certificates by Node's X509Certificate), not
// by tlsdoctor. A redacted report must hold none; the report unredacted must hold some of each
// kind it can show, or the check would prove nothing.
type Kind = 'url' | 'host' | 'address' | 'cookie' | 'certificate name' | 'certificate serial' | 'certificate fingerprint' | 'file name';

function oracle(): Map<Kind, Set<string>> {
  const found = new Map<Kind, Set<string>>();
  const add = (kind: Kind, v: string | undefined) => {
    if (!v || v.length < 3) return;
    if (!found.has(kind)) found.set(kind, new Set());
    found.get(kind)!.add(v);
  };
  for (const f of LOGS) {
    add('file name', path(f));
    const text = gunzipSync(readFileSync(join(DIR, f))).toString('utf8');
    for (const m of text.matchAll(/"(?:url|destination|logical_destination|group_id|host)":"([^"]+)"/g)) {
      for (const u of m[1].matchAll(/\b[a-z][a-z0-9+.-]*:\/\/([^/\s<>"?:]+)[^\s<>"]*/gi)) {
        add('url', u[0]);
        add('host', u[1]);
      }
      if (!m[1].includes('://')) add('host', m[1]);
    }
    for (const m of text.matchAll(/"(?:address|remote_address|local_address|peer_address|self_address)":"\[?([0-9a-f.:]+?)\]?:\d+"/gi)) add('address', m[1]);
    for (const m of text.matchAll(/"address_list":\[([^\]]*)\]/g)) for (const a of m[1].matchAll(/"\[?([0-9a-f.:]+?)\]?:\d+"/gi)) add('address', a[1]);
    for (const m of text.matchAll(/"(?:[Cc]ookie|[Ss]et-[Cc]ookie): ([^"]+)"/g)) add('cookie', m[1]);
    for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----(?:\\n|[A-Za-z0-9+/=])+?-----END CERTIFICATE-----/g)) {
      const cert = new X509Certificate(m[0].replace(/\\n/g, '\n'));
      for (const line of [...cert.subject.split('\n'), ...cert.issuer.split('\n')]) add('certificate name', line.slice(line.indexOf('=') + 1));
      for (const san of (cert.subjectAltName ?? '').split(', ')) add('host', san.replace(/^DNS:|^IP Address:/, ''));
      add('certificate serial', cert.serialNumber);
      add('certificate fingerprint', cert.fingerprint256);
    }
  }
  return found;
}

describe('redaction of NetLog reports against every identity in the logs', () => {
  const values = oracle();
  const FORMATS = [['--format', 'table', '--verbose'], ['--format', 'markdown'], ['--format', 'json'], ['--format', 'ndjson']];
  const report = (format: string[], redact: string[]) => runCli(['netlog', ...LOGS.map(path), '--limit', '0', ...format, ...redact], {}, 120_000).stdout;

  it('the oracle has hosts, addresses, URLs and certificate identities', () => {
    for (const kind of ['url', 'host', 'address', 'certificate name', 'certificate serial', 'certificate fingerprint', 'file name'] as Kind[]) expect(values.get(kind)?.size ?? 0, kind).toBeGreaterThan(0);
  });

  it.each(FORMATS.map((f) => [f.join(' '), f] as const))('%s: --redact=all leaves none; unredacted, hosts, addresses and certificates are there', (_n, format) => {
    const plain = report(format, []);
    const redacted = report(format, ['--redact=all']);
    for (const kind of ['host', 'address', 'certificate name', 'file name'] as Kind[]) expect([...values.get(kind)!].some((v) => occurs(plain, v)), `${kind} unredacted`).toBe(true);
    for (const [kind, set] of values) {
      const left = [...set].filter((v) => occurs(redacted, v));
      expect(left, `${kind} left in the redacted report`).toEqual([]);
    }
    // URLs are never printed, redacted or not: a report names hosts, never paths or queries.
    for (const u of values.get('url') ?? []) if (u.includes('?')) expect(plain.includes(u), u).toBe(false);
  });
});
