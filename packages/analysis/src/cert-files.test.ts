import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derElementLength, looksLikePkcs12, MAX_CERTIFICATES_PER_FILE, parseCertificateFile, pemBlocks, readCertificateFile } from './cert-files.js';
import { certFileError, TestPki } from './test-pki.fixtures.js';

let pki: TestPki;
const pem = (n: string) => pki.pem(n);
const fails = certFileError;

beforeAll(() => {
  pki = new TestPki();
  pki.issue('root', { ca: true });
  pki.issue('leaf', { issuer: 'root', sans: ['a.example.test'] });
}, 30_000);
afterAll(() => pki.dispose());

describe('parseCertificateFile', () => {
  it('reads a PEM bundle in order, noting and skipping what is not a certificate', () => {
    const key = readFileSync(pki.path('leaf.key'), 'latin1');
    const text = `subject=CN = leaf\n${pem('leaf')}${key}-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n${pem('root')}`;
    const r = parseCertificateFile('bundle.pem', Buffer.from(text));
    expect(r.encoding).toBe('pem');
    expect(r.certificates.map((c) => [c.index, c.info.subject])).toEqual([[1, 'CN=leaf'], [2, 'CN=root']]);
    expect(r.privateKeyInside).toBe(true);
    expect(r.notes).toHaveLength(2);
    expect(r.notes[0]).toMatch(/^block 2 \(line \d+\): a private key \(PRIVATE KEY\)/);
    expect(r.notes[1]).toMatch(/^block 3 \(line \d+\): X509 CRL, not a certificate: skipped/);
  });

  it('reads DER, and OpenSSL\'s TRUSTED CERTIFICATE form as its certificate', () => {
    const der = execFileSync('openssl', ['x509', '-in', pki.path('leaf.crt'), '-outform', 'DER']);
    expect(parseCertificateFile('leaf.der', der)).toMatchObject({ encoding: 'der', certificates: [{ index: 1, info: { subject: 'CN=leaf' } }] });
    const trusted = execFileSync('openssl', ['x509', '-in', pki.path('root.crt'), '-trustout', '-addtrust', 'serverAuth'], { encoding: 'latin1' });
    const r = parseCertificateFile('trusted.pem', Buffer.from(trusted));
    expect(r.certificates[0].info.subject).toBe('CN=root');
    expect(r.notes[0]).toMatch(/TRUSTED CERTIFICATE/);
  });

  it.each([
    ['empty', Buffer.alloc(0), 'EMPTY', /the file is empty/],
    ['text', Buffer.from('hello\nworld\n'), 'NOT_CERTIFICATE', /text with no PEM block \(it starts "hello"\)/],
    ['binary', Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2]), 'NOT_CERTIFICATE', /neither PEM nor a DER certificate \(they start deadbeef\)/],
    ['a broken block', Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), 'NOT_CERTIFICATE', /block 1 \(line 1\) is labelled CERTIFICATE but is not a readable certificate/],
    ['a key only', Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'), 'NOT_CERTIFICATE', /only 1 PEM block\(s\) of PRIVATE KEY: is it the private key\?/],
  ])('%s: one error naming the file and what it holds', (_name, bytes, code, message) => {
    const e = fails(() => parseCertificateFile('x.pem', bytes));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(/^x\.pem: /);
    expect(e.message).toMatch(message);
  });

  it('refuses PKCS#12 with the command that converts it', () => {
    execFileSync('openssl', ['pkcs12', '-export', '-in', pki.path('leaf.crt'), '-inkey', pki.path('leaf.key'), '-passout', 'pass:x', '-out', pki.path('leaf.p12')]);
    const bytes = readFileSync(pki.path('leaf.p12'));
    expect(looksLikePkcs12(bytes)).toBe(true);
    expect(looksLikePkcs12(execFileSync('openssl', ['x509', '-in', pki.path('leaf.crt'), '-outform', 'DER']))).toBe(false);
    const e = fails(() => parseCertificateFile('leaf.p12', bytes));
    expect(e.code).toBe('PKCS12');
    expect(e.message).toMatch(/openssl pkcs12 -in leaf\.p12 -nokeys -out fullchain\.pem/);
  });

  it('missing files and directories are named', () => {
    expect(fails(() => readCertificateFile(pki.path('nope.pem'))).code).toBe('NOT_FOUND');
    expect(fails(() => readCertificateFile(pki.dir)).message).toMatch(/a directory, not a file/);
  });

  it('reads a 10 MB bundle in bounded time', () => {
    const one = pem('leaf');
    const file = pki.path('big.pem');
    writeFileSync(file, one.repeat(Math.ceil((10 * 1024 * 1024) / one.length)));
    const t0 = performance.now();
    const r = readCertificateFile(file);
    expect(r.certificates.length).toBe(MAX_CERTIFICATES_PER_FILE);
    expect(r.notes.at(-1)).toMatch(/more certificate\(s\) after the first 1000 were not read/);
    expect(performance.now() - t0).toBeLessThan(10_000);
  }, 60_000);
});

describe('the DER and PEM readers', () => {
  it('measures DER elements in short and long form', () => {
    expect(derElementLength(Uint8Array.from([0x30, 0x03, 1, 2, 3]))).toBe(5);
    expect(derElementLength(Uint8Array.from([0x30, 0x81, 0x80]))).toBe(3 + 0x80);
    expect(derElementLength(Uint8Array.from([0x30, 0x82, 0x01, 0x00]))).toBe(4 + 256);
    expect(() => derElementLength(Uint8Array.from([0x30]))).toThrow(/DER length/);
    expect(() => derElementLength(Uint8Array.from([0x30, 0x85, 1, 1, 1, 1, 1]))).toThrow(/1 to 4 bytes/);
  });

  it('numbers PEM blocks by line, and leaves an unterminated one out', () => {
    const blocks = pemBlocks('a\nb\n-----BEGIN X-----\nAAAA\n-----END X-----\n\n-----BEGIN Y-----\nAA==\n');
    expect(blocks.map((b) => [b.label, b.line])).toEqual([['X', 3]]);
  });
});
