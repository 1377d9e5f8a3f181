// Bad input gets one clear line naming what is wrong and where, a non-zero exit, and nothing
// else lost: what could be read is still reported.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';
import { runCli } from './helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-cli-'));
  const good = readFileSync(join(FIXTURES, 'sni-reset.pcap'));
  writeFileSync(join(dir, 'empty.pcap'), '');
  writeFileSync(join(dir, 'page.pcap'), '<!DOCTYPE html><html><body>Not Found</body></html>');
  writeFileSync(join(dir, 'notes.pcap'), 'tcpdump output pasted as text\n');
  writeFileSync(join(dir, 'truncated.pcap'), good.subarray(0, good.length - 20));
  writeFileSync(join(dir, 'header-only.pcap'), good.subarray(0, 10));
  // A record header that claims 2 GB for the second packet.
  const absurd = Buffer.from(good);
  const second = 24 + 16 + absurd.readUInt32LE(24 + 8);
  absurd.writeUInt32LE(0x7fffffff, second + 8);
  writeFileSync(join(dir, 'absurd.pcap'), absurd);
  mkdirSync(join(dir, 'a-directory.pcap'));
});

describe('tlsdoctor pcap on bad input', () => {
  it.each([
    ['missing.pcap', /missing\.pcap: no such file/],
    ['empty.pcap', /empty\.pcap: the file is empty/],
    ['page.pcap', /page\.pcap: not a pcap or pcapng capture: it starts with an HTML page/],
    ['notes.pcap', /notes\.pcap: not a pcap or pcapng capture: it starts with text \("tcpdump output pasted as text"\)/],
    ['header-only.pcap', /header-only\.pcap: pcap global header cut short: 10 of 24 bytes/],
    ['a-directory.pcap', /is a directory/],
  ])('%s: one line on stderr, exit 2', (file, message) => {
    const r = runCli(['pcap', join(dir, file)]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('a truncated last packet: a warning, and every packet before it is still diagnosed', () => {
    const r = runCli(['pcap', join(dir, 'truncated.pcap'), '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report.input.files[0].warnings.join()).toMatch(/the last packet \(5\) is cut short/);
    expect(report.input.files[0].packets).toBe(4);
    expect(report.connections).toHaveLength(1);
    expect(r.code).not.toBe(2);
  });

  it('an absurd packet length: exit 2 with the byte offset, and the packets before it reported', () => {
    const r = runCli(['pcap', join(dir, 'absurd.pcap'), '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/packet 2 claims 2147483647 captured bytes.*\(at byte \d+\); the 1 packet\(s\) before it are reported/);
    expect(JSON.parse(r.stdout).input.files[0].packets).toBe(1);
  });

  it('several files: the readable ones are reported, the bad one named, exit 2', () => {
    const r = runCli(['pcap', join(FIXTURES, 'sni-reset.pcap'), join(dir, 'empty.pcap'), '--format', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).connections).toHaveLength(1);
    expect(r.stderr).toMatch(/empty\.pcap: the file is empty/);
  });

  it('JSON: connections wait in $TMPDIR and nothing is left there; a $TMPDIR that cannot be written is named', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'tlsdoctor-json-tmp-'));
    const files = [join(FIXTURES, 'sni-reset.pcap'), join(FIXTURES, 'handshake-ok-curl-tls13.pcap')];
    const ok = runCli(['pcap', ...files, '--format', 'json'], { TMPDIR: tmp });
    expect(JSON.parse(ok.stdout).connections.map((c: { source: string }) => c.source)).toEqual(files);
    expect(readdirSync(tmp)).toEqual([]);
    const bad = runCli(['pcap', ...files, '--format', 'json'], { TMPDIR: join(tmp, 'missing') });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`tlsdoctor: cannot create the JSON report's temporary file in ${join(tmp, 'missing')} (ENOENT); set TMPDIR to a writable directory\n`);
    expect(bad.stdout).toBe('');
  });

  it.each([
    [['pcap'], /Not enough non-option arguments|files/],
    [['pcap', 'x.pcap', '--format', 'xml'], /Invalid values/],
    [['pcap', 'x.pcap', '--port', '70000'], /--port must be a port from 1 to 65535/],
    [['frobnicate'], /unknown command "frobnicate": pcap, probe/],
  ])('bad usage %j: exit 2', (args, message) => {
    const r = runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it.each([
    // [arguments, the one line that says what is wrong]
    [['probe', 'example.test', '--timeout', '0'], 'tlsdoctor: --timeout must be a number above 0 and at most 120 (got "0")'],
    [['pcap', 'x.pcap', '--limit', 'abc'], 'tlsdoctor: --limit must be a whole number, 0 for all (got "abc")'],
    [['probe', 'example.test', '--ca', 'nofile'], 'tlsdoctor: --ca nofile: no such file'],
    [['pcap', 'x.pcap', '--bogus-flag'], 'tlsdoctor: unknown option --bogus-flag'],
    [['pcap', 'x.pcap', '--bogus-flag=1', '-Z'], 'tlsdoctor: unknown options --bogus-flag, -Z'],
    [['probe', '-T', 'EMPTY'], 'tlsdoctor: --targets EMPTY: the file holds no target (one host, host:port or https:// URL a line; # starts a comment)'],
  ])('%j: one line naming the option, then where help is', (args, line) => {
    const at = (s: string) => s.replaceAll('EMPTY', join(dir, 'targets-empty.txt'));
    writeFileSync(join(dir, 'targets-empty.txt'), '# nothing yet\n\n');
    const r = runCli(args.map(at));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${at(line)}\nRun 'tlsdoctor --help' for usage.\n`);
  });

  it.each([
    // [command, the files, what stdout holds]: a report of nothing is not printed
    ['pcap', ['missing.pcap'], /^$/],
    ['pcap', ['missing.pcap', 'also-missing.pcap'], /^$/],
    ['pcap', ['missing.pcap', 'GOOD'], /\[1\] error: .*missing\.pcap: no such file[\s\S]*RESET_AFTER_CLIENT_HELLO/],
    ['netlog', ['missing.json'], /^$/],
  ])('%s %j: the error line, and a report only of what could be read', (command, files, stdout) => {
    const r = runCli([command, ...files.map((f) => (f === 'GOOD' ? join(FIXTURES, 'sni-reset.pcap') : join(dir, f)))]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(stdout);
    expect(r.stderr).toMatch(/^tlsdoctor: .*missing\.(pcap|json): no such file\n/);
  });

  it.each([
    // [what the key log holds, the line]
    ['random bytes', () => Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 151 + 7) % 256)), /^tlsdoctor: --keylog \S+noise\.keys: not a key log: it holds binary data, not LABEL CLIENT_RANDOM SECRET lines\n$/],
    ['a capture', () => readFileSync(join(FIXTURES, 'sni-reset.pcap')), /^tlsdoctor: --keylog \S+noise\.keys: not a key log: it holds binary data/],
  ])('--keylog of %s: one line, exit 2', (_what, bytes, line) => {
    writeFileSync(join(dir, 'noise.keys'), bytes());
    const r = runCli(['pcap', join(FIXTURES, 'sni-reset.pcap'), '--keylog', join(dir, 'noise.keys')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(line);
  });
});

describe('tlsdoctor pcap output', () => {
  const file = join(FIXTURES, 'sni-reset.pcap');

  it('never colours output that is not a terminal', () => {
    expect(runCli(['pcap', file]).stdout).not.toMatch(/\x1b\[/);
  });

  it('--redact masks client addresses everywhere; --redact=all also servers and names', () => {
    const clients = runCli(['pcap', file, '--format', 'json', '--redact']).stdout;
    expect(clients).not.toContain('198.18.1.2');
    expect(clients).toContain('client-1');
    expect(clients).toContain('198.18.2.10');
    const all = runCli(['pcap', file, '--format', 'json', '--redact=all']).stdout;
    for (const secret of ['198.18.1.2', '198.18.2.10', 'blocked.lab.test']) expect(all).not.toContain(secret);
    expect(all).toContain('host-1');
  });

  it('--format markdown: summary, a section per failure with evidence and fix, raw facts folded', () => {
    const md = runCli(['pcap', file, '--format', 'markdown']).stdout;
    expect(md).toMatch(/^# tlsdoctor pcap report/m);
    expect(md).toMatch(/\*\*Summary:\*\* 1 TLS connection, 1 error/);
    expect(md).toMatch(/### `RESET_AFTER_CLIENT_HELLO` \(error\)/);
    expect(md).toMatch(/\*\*Fix:\*\*/);
    expect(md).toMatch(/<details><summary>Facts behind the verdict/);
    expect(md).toMatch(/```mermaid\nsequenceDiagram\n/);
  });

  it('filters: --sni, --port, --failures-only', () => {
    const files = [file, join(FIXTURES, 'handshake-ok-curl-tls13.pcap')];
    const count = (extra: string[]) => JSON.parse(runCli(['pcap', ...files, '--format', 'json', ...extra]).stdout).connections.length;
    expect(count([])).toBe(2);
    expect(count(['--sni', 'good.lab.test'])).toBe(1);
    expect(count(['--sni', '*.lab.test'])).toBe(2);
    expect(count(['--port', '8443'])).toBe(0);
    expect(count(['--failures-only'])).toBe(1);
  });

  it('--limit caps the table and says how many were left out; JSON keeps everything', () => {
    const files = [file, join(FIXTURES, 'handshake-ok-curl-tls13.pcap'), join(FIXTURES, 'syn-timeout.pcap')];
    const table = runCli(['pcap', ...files, '--limit', '1']).stdout;
    expect(table).toMatch(/… 2 more; --limit 0 shows all/);
    expect(table.match(/│ \d+:\d+ +│/g)).toHaveLength(1);
    // Details only for the row listed: the other failing connection's are counted, not shown.
    expect(table).toMatch(/… details of 1 more connection\(s\) left out; --limit 0 shows all/);
    expect(table.match(/^#\d+:\d+ /gm)).toHaveLength(1);
    expect(JSON.parse(runCli(['pcap', ...files, '--limit', '1', '--format', 'json']).stdout).connections).toHaveLength(3);
    expect(runCli(['pcap', ...files, '--limit', '-1']).code).toBe(2);
  });

  it.each([
    // [format, fixture]: fingerprints are computed wherever the output prints facts
    ['json', 'handshake-ok-curl-tls13.pcap'],
    ['markdown', 'sni-reset.pcap'],
  ])('%s output carries the fingerprints (%s)', (format, fixture) => {
    const out = runCli(['pcap', join(FIXTURES, fixture), '--format', format]).stdout;
    const facts = format === 'json' ? JSON.parse(out).connections[0] : JSON.parse(/```json\n([\s\S]+?)```/.exec(out)![1]).fingerprints;
    expect(facts.ja3).toMatch(/^[0-9a-f]{32}$/);
    expect(facts.ja4).toMatch(/^t1[23]d/);
  });

  it('--verbose lists every ClientHello field', () => {
    const out = runCli(['pcap', join(FIXTURES, 'handshake-ok-curl-tls13.pcap'), '--verbose']).stdout;
    expect(out).toMatch(/cipherSuites: TLS_AES_256_GCM_SHA384/);
    expect(out).toMatch(/fingerprints: JA3 [0-9a-f]{32}, JA3S [0-9a-f]{32}, JA4 t13d/);
  });
});

describe('tlsdoctor pcap - (standard input)', () => {
  const plain = () => readFileSync(join(FIXTURES, 'sni-reset.pcap'));
  const gzipped = () => readFileSync(join(FIXTURES, 'sni-reset-gzip.pcap.gz'));

  it.each([
    // [what is piped in, exit code, stdout, stderr]
    ['a pcap', plain, 1, /1 TLS connection, 1 error \(RESET_AFTER_CLIENT_HELLO×1\)/, /^$/],
    ['a gzip-compressed pcap', gzipped, 1, /stdin \(pcap, gzip, 5 packets\)[\s\S]*RESET_AFTER_CLIENT_HELLO/, /^$/],
    ['a gzip stream cut short', () => gzipped().subarray(0, 300), 2, /CAPTURE_PARTIAL/, /^tlsdoctor: stdin: the gzip data is damaged or cut short .*; the 3 packet\(s\) before it are reported\n$/],
    ['nothing', () => Buffer.alloc(0), 2, /^$/, /^tlsdoctor: stdin: no data \(the input is empty\)\n$/],
    ['text', () => Buffer.from('hello\n'), 2, /^$/, /^tlsdoctor: stdin: not a pcap or pcapng capture: it starts with text/],
  ] as [string, () => Buffer, number, RegExp, RegExp][])('%s', (_what, input, code, stdout, stderr) => {
    const r = runCli(['pcap', '-'], {}, 60_000, input());
    expect(r.code).toBe(code);
    expect(r.stdout).toMatch(stdout);
    expect(r.stderr).toMatch(stderr);
  });

  it('reads standard input beside files, once', () => {
    const r = runCli(['pcap', join(FIXTURES, 'syn-refused.pcap'), '-'], {}, 60_000, plain());
    expect(r.stdout).toMatch(/\[2\] stdin \(pcap, 5 packets\)/);
    expect(r.stdout).toMatch(/│ 2:0 +│/);
    const twice = runCli(['pcap', '-', '-'], {}, 60_000, plain());
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/standard input \(-\) can be named once/);
  });

  it('--format ndjson: a line per connection, then the report without its list', () => {
    const files = ['sni-reset.pcap', 'handshake-ok-curl-tls13.pcap', 'syn-timeout.pcap'].map((f) => join(FIXTURES, f));
    const r = runCli(['pcap', ...files, '--format', 'ndjson', '--failures-only', '--redact=all']);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    const rows = lines.filter((l) => l.type === 'connection');
    const last = lines.at(-1)!;
    expect(last.type).toBe('report');
    expect(lines.filter((l) => l.type === 'report')).toHaveLength(1);
    // The summary counts every connection; the filter let the failures through.
    expect(last.summary.total).toBe(3);
    expect(last.listed).toMatchObject({ total: 2, filters: ['--failures-only'] });
    expect(rows.map((l) => [l.file, l.diagnoses[0].code])).toEqual([[1, 'RESET_AFTER_CLIENT_HELLO'], [3, 'TCP_TIMEOUT']]);
    expect(rows.map((l) => l.source)).toEqual(['capture-1', 'capture-3']);
    expect(last.input.files.map((f: { path: string }) => f.path)).toEqual(['capture-1', 'capture-2', 'capture-3']);
    expect(r.stdout).not.toMatch(/lab\.test|198\.18\./);
  });
});

describe('tlsdoctor pcap on a rotated capture (tcpdump -C/-G)', () => {
  // One capture of one connection (18 packets), cut into files as a rotation would cut it.
  const whole = () => readFileSync(join(FIXTURES, 'handshake-ok-curl-tls13.pcap'));
  const records = (b: Buffer) => {
    const out: Buffer[] = [];
    for (let p = 24; p + 16 <= b.length; p += 16 + b.readUInt32LE(p + 8)) out.push(b.subarray(p, p + 16 + b.readUInt32LE(p + 8)));
    return out;
  };
  const later = (r: Buffer, s: number) => {
    const c = Buffer.from(r);
    c.writeUInt32LE(c.readUInt32LE(0) + s, 0);
    return c;
  };
  /** Files of the capture cut before the packets at `cuts`, the later ones moved on by `shift` seconds. */
  const rotation = (name: string, cuts: number[], shift = 0) => {
    const b = whole();
    const recs = records(b);
    const edges = [0, ...cuts, recs.length];
    return edges.slice(0, -1).map((from, k) => {
      const f = join(dir, `${name}.pcap${k || ''}`);
      writeFileSync(f, Buffer.concat([b.subarray(0, 24), ...recs.slice(from, edges[k + 1]).map((r) => (k > 0 ? later(r, shift) : r))]));
      return f;
    });
  };

  it.each([
    // [what, cuts, seconds the later files move on, extra options, connections (file, verdict), frames of the first one's ladder]
    // Read whole, the capture's ladder is frames 1, 2, 4, 6, 8, 9, 10.
    ['cut in the handshake: one connection', [5], 0, [], [[1, 'HANDSHAKE_OK']], [1, 2, 4, 6, 8, 9, 10]],
    ['cut in three: one connection, frames numbered on', [3, 12], 0, [], [[1, 'HANDSHAKE_OK']], [1, 2, 4, 6, 8, 9, 10]],
    ['--separate: each file on its own', [5], 0, ['--separate'], [[1, 'CAPTURE_PARTIAL'], [2, 'CAPTURE_PARTIAL']], [1, 2, 4]],
    ['a second file more than the idle timeout later: not a rotation', [5], 400, [], [[1, 'CAPTURE_PARTIAL'], [2, 'CAPTURE_PARTIAL']], [1, 2, 4]],
  ] as const)('%s', (_what, cuts, shift, extra, rows, frames) => {
    const files = rotation(`rot-${cuts.join('-')}-${shift}-${extra.length}`, [...cuts], shift);
    const r = runCli(['pcap', ...files, '--format', 'json', ...extra]);
    const j = JSON.parse(r.stdout);
    const primary = (c: any) => c.diagnoses[0].code;
    expect(j.connections.map((c: any) => [c.file, primary(c)])).toEqual(rows.map((x) => [...x]));
    expect(j.connections[0].facts.ladder.steps.map((s: any) => s.frame)).toEqual([...frames]);
    const joined = rows.length === 1;
    expect(j.input.files.slice(1).map((f: any) => f.continues?.firstFrame)).toEqual(joined ? cuts.map((c) => c + 1) : [undefined]);
    expect(j.input.files.map((f: any) => f.packets).reduce((a: number, b: number) => a + b)).toBe(18);
  });

  it('the same capture twice (two captures of one time, as from both ends) is not a rotation', () => {
    const f = join(FIXTURES, 'handshake-ok-curl-tls13.pcap');
    const r = runCli(['pcap', f, f, '--format', 'json']);
    expect(JSON.parse(r.stdout).connections.map((c: any) => c.file)).toEqual([1, 2]);
  });

  it('the table names the file a rotated one continues', () => {
    const r = runCli(['pcap', ...rotation('rot-table', [5])]);
    expect(r.stdout).toMatch(/\[2\] continues \[1\] \(0\.\d{3} s after its last packet\): read as one capture; its frames are numbered from 6/);
  });
});

describe('several files: each note names its file', () => {
  it.each([
    // [files, extra options, the lines the head must hold]
    [['cert-expired-tls12.pcap', 'cert-untrusted.pcap'], ['--keylog', 'KEYS'], [/^\[1\] key log: /m, /^\[2\] key log: /m]],
    [['cert-expired-tls12.pcap'], ['--keylog', 'KEYS'], [/^key log: /m]],
  ])('%j %j', (files, extra, lines) => {
    const keys = join(FIXTURES, readdirSync(FIXTURES).find((f) => f.endsWith('.keys'))!);
    const out = runCli(['pcap', ...files.map((f) => join(FIXTURES, f)), ...extra.map((a) => (a === 'KEYS' ? keys : a))]).stdout;
    for (const l of lines) expect(out).toMatch(l);
  });
});

describe('honest totals', () => {
  it.each([
    // [options, what the summary line says]
    [['--failures-only'], /^3 TLS connections, 2 errors, 1 healthy .*; 2 listed \(--failures-only\)$/m],
    [['--sni', 'good.lab.test'], /^3 TLS connections, .*; 1 listed \(--sni good\.lab\.test\)$/m],
    [['--limit', '1'], /^3 TLS connections, 2 errors, 1 healthy \([^;]*\)$[\s\S]*… 2 more/m],
  ])('%j', (options, summary) => {
    const files = ['sni-reset.pcap', 'handshake-ok-curl-tls13.pcap', 'syn-timeout.pcap'].map((f) => join(FIXTURES, f));
    expect(runCli(['pcap', ...files, ...options]).stdout).toMatch(summary);
  });
});

describe('a report through a pipe whose reader is slow', () => {
  it.each([['json'], ['ndjson'], ['table']])('--format %s: written whole and in order while the reader waits, the same as to a file', async (format) => {
    const { writeSyntheticCapture } = await import('../bench/synthetic-capture.mjs');
    const capture = join(dir, 'many.pcap');
    // 400 connections: a JSON report of about 2 MB, far more than a pipe holds.
    writeSyntheticCapture(capture, { shape: 'handshake-dense', connections: 400 });
    const args = ['pcap', capture, '--format', format, '--limit', '0'];
    const { spawn, spawnSync } = await import('node:child_process');
    const { CLI } = await import('./helpers/cli.js');
    const whole = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 });
    const toFile = { code: whole.status, stdout: whole.stdout };
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Nothing is read for half a second: the pipe fills and the writer must wait.
    child.stdout.pause();
    await new Promise((r) => setTimeout(r, 500));
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stdout.resume();
    const code = await new Promise<number | null>((r) => child.on('close', r));
    const piped = Buffer.concat(chunks).toString('utf8');
    expect(code).toBe(toFile.code);
    // The report's time of writing differs between two runs; everything else is the same.
    const same = (s: string) => s.replace(/"generatedAt": ?"[^"]*"/g, '');
    expect(same(piped)).toBe(same(toFile.stdout));
    expect(piped.length).toBeGreaterThan(format === 'table' ? 10_000 : 1_000_000);
  }, 60_000);

  it('a reader that stops early (| head) ends the report quietly', async () => {
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('./helpers/cli.js');
    const capture = join(dir, 'many-head.pcap');
    const { writeSyntheticCapture } = await import('../bench/synthetic-capture.mjs');
    writeSyntheticCapture(capture, { shape: 'handshake-dense', connections: 400 });
    const child = spawn(process.execPath, [CLI, 'pcap', capture, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});

describe('--fail-on: which findings fail a CI job', () => {
  // A TLS 1.0 handshake that completed: its worst finding is a warning (DEPRECATED_PROTOCOL).
  const warningOnly = join(FIXTURES, 'openssl-tls10-handshake.pcap');
  const withError = join(FIXTURES, 'cert-expired-tls12.pcap');
  it.each([
    [warningOnly, [], 0],
    [warningOnly, ['--fail-on', 'error'], 0],
    [warningOnly, ['--fail-on', 'warning'], 1],
    [withError, [], 1],
    [withError, ['--fail-on', 'warning'], 1],
  ])('%s %j: exit %i', (file, args, code) => {
    const r = runCli(['pcap', file, '--format', 'json', ...(args as string[])]);
    expect(r.code, r.stderr).toBe(code);
  });

  it('refuses a level it does not know, in one line', () => {
    const r = runCli(['pcap', warningOnly, '--fail-on', 'info']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fail-on/);
  });
});
