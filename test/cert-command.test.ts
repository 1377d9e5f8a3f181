// `tlsdoctor cert` as a user runs it, on certificates openssl makes here: the report (JSON
// against the schema, table, Markdown), exit codes, and one line for each kind of bad input.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestPki } from '../packages/analysis/src/test-pki.fixtures.js';
import { runCli } from './helpers/cli.js';
import { validate } from './helpers/schema.js';
import { ROOT } from './helpers/fixtures.js';

let pki: TestPki;
const p = (f: string) => pki.path(f);
const schema = JSON.parse(readFileSync(join(ROOT, 'docs', 'report.schema.json'), 'utf8'));

beforeAll(() => {
  pki = new TestPki();
  pki.issue('root', { ca: true, days: 3650 });
  pki.issue('inter', { issuer: 'root', ca: true, days: 1000 });
  pki.issue('leaf', { issuer: 'inter', sans: ['www.example.test', 'xn--bcher-kva.example.test', '192.0.2.7'], alg: 'rsa', days: 90 });
  pki.issue('other', { issuer: 'inter', sans: ['other.example.test'] });
  pki.issue('short-inter', { cn: 'short', issuer: 'root', ca: true, days: 10 });
  pki.issue('long-leaf', { issuer: 'short-inter', days: 90 });
  pki.bundle('fullchain.pem', ['leaf', 'inter']);
  pki.bundle('short.pem', ['long-leaf', 'short-inter']);
  pki.bundle('reversed.pem', ['leaf', 'root', 'inter']);
  writeFileSync(p('leaf.der'), execFileSync('openssl', ['x509', '-in', p('leaf.crt'), '-outform', 'DER']));
  writeFileSync(p('junk.pem'), 'this is not a certificate\n');
  writeFileSync(p('empty.pem'), '');
  writeFileSync(p('csr-only.pem'), readFileSync(p('leaf.csr')));
  execFileSync('openssl', ['pkey', '-in', p('leaf.key'), '-aes256', '-passout', 'pass:s3cret', '-out', p('leaf.enc.key')]);
  execFileSync('openssl', ['pkcs12', '-export', '-in', p('leaf.crt'), '-inkey', p('leaf.key'), '-passout', 'pass:x', '-out', p('leaf.p12')]);
  mkdirSync(p('a-dir'));
}, 60_000);

afterAll(() => pki.dispose());

/** The JSON report of a run with these arguments (only the store `none`: no keytool, fast). */
function json(args: string[]) {
  const r = runCli(['cert', ...args, '--format', 'json']);
  const report = JSON.parse(r.stdout);
  return { code: r.code, report, stderr: r.stderr };
}

const codes = (report: { families: { family: string; diagnoses: { code: string }[] }[] }, family: string) => report.families.find((f) => f.family === family)?.diagnoses.map((d) => d.code);

describe('tlsdoctor cert: the report', () => {
  it('a whole chain with its key and name: trusted, exit 0, the schema holds', () => {
    const { code, report } = json([p('fullchain.pem'), '--key', p('leaf.key'), '--name', 'www.example.test', '--ca', p('root.crt'), '--store', 'none']);
    expect(validate(report, schema)).toEqual([]);
    expect(code).toBe(0);
    expect(report.command).toBe('cert');
    expect(report.input.key).toMatchObject({ key: 'RSA 2048-bit', matchesLeaf: true });
    expect(report.families.map((f: { family: string; verdict: string }) => [f.family, f.verdict])).toEqual([['none', 'trusted']]);
    expect(report.families[0].facts.path.map((s: { from: string }) => s.from)).toEqual([`${p('fullchain.pem')}:1`, `${p('fullchain.pem')}:2`, 'store']);
    expect(report.input.validity.firstFailure.families).toEqual(['none']);
    expect(report.input.validity.leafUntil).toBe(report.input.chain[0].notAfter);
  });

  it('out of order with the root: the path is rebuilt, nothing is missing', () => {
    const { code, report } = json([p('reversed.pem'), '--ca', p('root.crt'), '--store', 'none']);
    expect(code).toBe(0);
    expect(report.families[0].facts.path.map((s: { from: string }) => s.from.replace(/.*:/, ''))).toEqual(['1', '3', '2']);
  });

  it('the leaf alone: the intermediate is missing, exit 1', () => {
    const { code, report } = json([p('leaf.crt'), '--ca', p('root.crt'), '--store', 'none']);
    expect(code).toBe(1);
    expect(codes(report, 'none')).toContain('CERT_CHAIN_INCOMPLETE');
  });

  it('a private root no store holds: untrusted by the public families', () => {
    const { code, report } = json([p('fullchain.pem'), '--store', 'default']);
    expect(code).toBe(1);
    expect(report.families.map((f: { family: string }) => f.family)).toEqual(['chrome', 'mozilla']);
    expect(codes(report, 'chrome')?.[0]).toMatch(/^CERT_(UNTRUSTED|CHAIN_INCOMPLETE)$/);
  });

  it('--at after the leaf expires: CERT_EXPIRED; --at +30d within it: none', () => {
    expect(codes(json([p('fullchain.pem'), '--ca', p('root.crt'), '--store', 'none', '--at', '+120d']).report, 'none')).toContain('CERT_EXPIRED');
    expect(json([p('fullchain.pem'), '--ca', p('root.crt'), '--store', 'none', '--at', '+30d']).code).toBe(0);
  });

  it('an intermediate that ends before the leaf: the family stops on its date, and is expired after it', () => {
    const now = json([p('short.pem'), '--ca', p('root.crt'), '--store', 'none']).report;
    const inter = now.input.chain[1].notAfter;
    expect(now.families[0]).toMatchObject({ verdict: 'trusted', validUntil: inter });
    expect(now.input.validity).toEqual({ leafUntil: now.input.chain[0].notAfter, firstFailure: { at: inter, families: ['none'] } });
    expect(json([p('short.pem'), '--ca', p('root.crt'), '--store', 'none', '--at', '+20d']).report.families[0].verdict).toBe('expired');
  });

  it('--warn-days: a leaf that ends within them is a warning, which --fail-on warning fails', () => {
    const args = [p('fullchain.pem'), '--ca', p('root.crt'), '--store', 'none', '--warn-days', '100'];
    const warned = json(args);
    expect(codes(warned.report, 'none')).toEqual(['CERT_EXPIRING_SOON']);
    expect(warned.code).toBe(0);
    expect(json([...args, '--fail-on', 'warning']).code).toBe(1);
    expect(codes(json([p('fullchain.pem'), '--ca', p('root.crt'), '--store', 'none']).report, 'none')).toEqual([]);
  });

  it('every store this machine has, by default', () => {
    const { report } = json([p('fullchain.pem')]);
    const families = report.families.map((f: { family: string }) => f.family);
    expect(families.slice(0, 2)).toEqual(['chrome', 'mozilla']);
    const skipped = report.input.skippedStores.map((s: { store: string }) => s.store);
    for (const store of ['system', 'java']) expect(families.includes(store) !== skipped.includes(store)).toBe(true);
    for (const f of report.families) expect(f.verdict).toBe('untrusted');
  }, 60_000);

  it.each([
    ['www.example.test', false],
    ['bücher.example.test', false],
    ['192.0.2.7', false],
    ['other.example.test', true],
  ])('--name %s: mismatch %s', (name, mismatch) => {
    const { report } = json([p('fullchain.pem'), '--ca', p('root.crt'), '--store', 'none', '--name', name]);
    expect(codes(report, 'none')?.includes('CERT_HOSTNAME_MISMATCH')).toBe(mismatch);
  });

  it('without --name, the report says names were not checked', () => {
    const r = runCli(['cert', p('fullchain.pem'), '--ca', p('root.crt'), '--store', 'none']);
    expect(r.stdout).toMatch(/no --name: the certificate's names are not checked/);
    expect(r.stdout).toMatch(/tlsdoctor cert .*fullchain\.pem/);
  });

  it('a key that is not the leaf\'s is said in the report', () => {
    const { report } = json([p('fullchain.pem'), '--key', p('other.key'), '--ca', p('root.crt'), '--store', 'none']);
    expect(report.input.key.matchesLeaf).toBe(false);
  });

  it('an encrypted key opens with --password env:VAR', () => {
    const r = runCli(['cert', p('fullchain.pem'), '--key', p('leaf.enc.key'), '--password', 'env:TLSDOCTOR_TEST_PASS', '--store', 'none', '--format', 'json'], { TLSDOCTOR_TEST_PASS: 's3cret' });
    expect(JSON.parse(r.stdout).input.key.matchesLeaf).toBe(true);
  });

  it('DER and PEM files together are one chain, in the order given', () => {
    const { report } = json([p('leaf.der'), p('inter.crt'), '--ca', p('root.crt'), '--store', 'none']);
    expect(report.input.chain.map((c: { from: string }) => c.from)).toEqual([`${p('leaf.der')}:1`, `${p('inter.crt')}:1`]);
    expect(report.families[0].verdict).toBe('trusted');
  });

  it('Markdown and --redact=all: the names are masked in the head too', () => {
    const r = runCli(['cert', p('fullchain.pem'), '--ca', p('root.crt'), '--store', 'none', '--name', 'other.example.test', '--format', 'markdown', '--redact=all']);
    expect(r.stdout).toMatch(/^# tlsdoctor cert report/);
    expect(r.stdout).not.toMatch(/www\.example\.test/);
    // The files' paths are masked like a capture's: a path may name a customer.
    expect(r.stdout).not.toContain(pki.dir);
    expect(r.stdout).toMatch(/capture-1:1/);
  });
});

describe('tlsdoctor cert: large and tangled input gives a verdict in bounded time', () => {
  // Each bound leaves room for a loaded machine; an idle one takes a second or two.
  const timed = (args: string[]) => {
    const t0 = performance.now();
    const r = json([...args, '--store', 'none']);
    return { ...r, ms: performance.now() - t0 };
  };

  it('a 10 MB bundle: the first 1,000 certificates judged, the rest counted', () => {
    const one = readFileSync(p('fullchain.pem'), 'utf8');
    writeFileSync(p('big.pem'), one.repeat(Math.ceil((10 * 1024 * 1024) / one.length)));
    const r = timed([p('big.pem'), '--ca', p('root.crt')]);
    expect(r.ms).toBeLessThan(30_000);
    expect(r.report.input.chain).toHaveLength(1000);
    expect(r.report.families[0].verdict).toBe('trusted');
    expect(codes(r.report, 'none')).toContain('CERT_CHAIN_ORDER');
  }, 60_000);

  it('a chain of 50 certificates: the path stops where verifiers stop', () => {
    const many = new TestPki();
    try {
      many.issue('c0', { ca: true, days: 30 });
      for (let i = 1; i < 50; i++) many.issue(`c${i}`, { issuer: `c${i - 1}`, ca: true, days: 30 });
      many.issue('deep', { issuer: 'c49', sans: ['deep.example.test'], days: 30 });
      const file = many.bundle('deep.pem', ['deep', ...Array.from({ length: 50 }, (_, i) => `c${49 - i}`)]);
      const r = timed([file, '--ca', many.path('c0.crt')]);
      expect(r.ms).toBeLessThan(30_000);
      expect(r.report.families[0].verdict).toBe('untrusted');
      expect(JSON.stringify(r.report.families[0])).toMatch(/where verifiers stop/);
    } finally {
      many.dispose();
    }
  }, 180_000);

  it('cross-signs that sign each other: a loop, said as one, at once', () => {
    pki.issue('X', { ca: true });
    pki.issue('Y', { ca: true });
    pki.issue('X-by-Y', { cn: 'X', keyOf: 'X', issuer: 'Y', ca: true });
    pki.issue('Y-by-X', { cn: 'Y', keyOf: 'Y', issuer: 'X', ca: true });
    pki.issue('xleaf', { issuer: 'X', sans: ['x.example.test'] });
    const r = timed([pki.bundle('loop.pem', ['xleaf', 'X-by-Y', 'Y-by-X']), '--ca', p('root.crt')]);
    expect(r.ms).toBeLessThan(30_000);
    expect(r.report.families[0].verdict).toBe('untrusted');
    expect(JSON.stringify(r.report.families[0])).toMatch(/the path goes round/);
  }, 60_000);
});

describe('tlsdoctor cert: bad input is one line and exit 2', () => {
  it.each([
    [['missing.pem'], /missing\.pem: no such file/],
    [['empty.pem'], /empty\.pem: the file is empty/],
    [['junk.pem'], /junk\.pem: holds no certificate: text with no PEM block/],
    [['csr-only.pem'], /csr-only\.pem: holds no certificate, only 1 PEM block\(s\) of CERTIFICATE REQUEST/],
    [['leaf.key'], /leaf\.key: holds no certificate, only .*PRIVATE KEY.*--key/],
    [['leaf.p12'], /leaf\.p12: a PKCS#12 .*`openssl pkcs12 -in .*leaf\.p12 -nokeys/],
    [['a-dir'], /a-dir: a directory/],
    [['fullchain.pem', '--key', 'leaf.crt'], /--key .*leaf\.crt: holds a certificate, not a private key/],
    [['fullchain.pem', '--key', 'leaf.enc.key'], /--key .*leaf\.enc\.key: the key is encrypted: give --password/],
    [['fullchain.pem', '--key', 'leaf.enc.key', '--password', 'pass:wrong'], /the password does not open the key/],
    [['fullchain.pem', '--ca', 'junk.pem'], /--ca .*junk\.pem: holds no certificate/],
  ])('%j', (args, message) => {
    const r = runCli(['cert', ...args.map((a) => (a.startsWith('--') || a.startsWith('pass:') ? a : p(a))), '--store', 'none']);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('a key without a certificate: one line naming what is missing', () => {
    const r = runCli(['cert', '--key', p('leaf.key')]);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/name the certificate file\(s\)/);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it.each([
    [['--at', 'tomorrow'], /--at must be a date/],
    [['--name', 'bad name!'], /--name "bad name!" is not a host name/],
    [['--store', 'windows'], /--store must be one of default, system, java, none/],
    [['--password', 'x'], /--password opens the --key file/],
  ])('%j', (args, message) => {
    const r = runCli(['cert', p('fullchain.pem'), ...args]);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });
});
