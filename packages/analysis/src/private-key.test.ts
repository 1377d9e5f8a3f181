import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyMatches, parsePrivateKey, readPrivateKey } from './private-key.js';
import { certFileError, TestPki } from './test-pki.fixtures.js';

let pki: TestPki;
const cert = (n: string) => new X509Certificate(pki.pem(n));
const error = certFileError;

beforeAll(() => {
  pki = new TestPki();
  pki.issue('ec', { alg: 'ec' });
  pki.issue('rsa', { alg: 'rsa' });
  pki.issue('ed', { alg: 'ed25519' });
  execFileSync('openssl', ['pkey', '-in', pki.path('ec.key'), '-aes256', '-passout', 'pass:pw', '-out', pki.path('ec.enc.key')]);
  execFileSync('openssl', ['pkey', '-in', pki.path('rsa.key'), '-outform', 'DER', '-out', pki.path('rsa.der')]);
  execFileSync('openssl', ['rsa', '-in', pki.path('rsa.key'), '-traditional', '-out', pki.path('rsa.pkcs1.key')], { stdio: 'ignore' });
}, 30_000);
afterAll(() => pki.dispose());

describe('readPrivateKey and keyMatches', () => {
  it.each([
    ['ec.key', 'EC P-256', 'ec'],
    ['rsa.key', 'RSA 2048-bit', 'rsa'],
    ['rsa.pkcs1.key', 'RSA 2048-bit', 'rsa'],
    ['rsa.der', 'RSA 2048-bit', 'rsa'],
    ['ed.key', 'Ed25519', 'ed'],
  ])('%s is %s and matches its certificate only', (file, words, owner) => {
    const k = readPrivateKey(pki.path(file));
    expect(k.description).toBe(words);
    for (const c of ['ec', 'rsa', 'ed']) expect(keyMatches(k, cert(c))).toBe(c === owner);
  });

  it('opens an encrypted key with its password, and says so without one or with a wrong one', () => {
    expect(readPrivateKey(pki.path('ec.enc.key'), 'pw').description).toBe('EC P-256');
    expect(error(() => readPrivateKey(pki.path('ec.enc.key')))).toMatchObject({ code: 'KEY_ENCRYPTED', message: expect.stringMatching(/the key is encrypted: give --password/) });
    expect(error(() => readPrivateKey(pki.path('ec.enc.key'), 'nope'))).toMatchObject({ code: 'KEY_ENCRYPTED', message: expect.stringMatching(/the password does not open the key/) });
  });

  it.each([
    ['a certificate', () => Buffer.from(pki.pem('ec')), 'NOT_KEY', /holds a certificate, not a private key/],
    ['a CSR', () => readFileSync(pki.path('ec.csr')), 'NOT_KEY', /holds only CERTIFICATE REQUEST, not a private key/],
    ['junk', () => Buffer.from('not a key'), 'NOT_KEY', /holds no private key/],
    ['empty', () => Buffer.alloc(0), 'EMPTY', /the file is empty/],
    ['a broken key block', () => Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'), 'BAD_KEY', /the PRIVATE KEY block \(line 1\) is not a readable key/],
  ])('%s as --key: one line naming the file', (_n, bytes, code, message) => {
    const e = error(() => parsePrivateKey('k.pem', bytes()));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(/^--key k\.pem: /);
    expect(e.message).toMatch(message);
  });
});
