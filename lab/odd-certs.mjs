// Certificates real servers send and most tools mangle: one with an empty subject and issuer,
// and one whose names hold NUL bytes (the "null prefix" of 2009: CN=evil.example.com\0good...).
// OpenSSL will not write a NUL into a name, so the second is made with an X that is then turned
// into a NUL in the to-be-signed part, and signed again with its own key (Node's crypto): a
// valid self-signed certificate whose names really hold the byte.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A DER length field. */
function derLength(n) {
  if (n < 0x80) return Buffer.from([n]);
  const bytes = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** The element at `at`: where its content starts and ends. */
function element(b, at) {
  let len = b[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[at + 2 + i];
    start += n;
  }
  return { start, end: start + len };
}

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: 'ignore' });
}

/** Writes empty-names.{crt,key} and nul-names.{crt,key} into `dir`; returns their paths. */
export function makeOddCertificates(dir) {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'empty-names.key', '-subj', '/', '-days', '3650', '-out', 'empty-names.crt'], dir);
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'nul-names.key', '-subj', '/CN=evil.lab.testXgood.lab.test/O=OddlabXNames',
    '-addext', 'subjectAltName=DNS:good.lab.testXevil.lab.test', '-days', '3650', '-outform', 'DER', '-out', 'nul-names.der'], dir);
  const der = readFileSync(join(dir, 'nul-names.der'));
  const outer = element(der, 0);
  const tbsEl = element(der, outer.start);
  const tbs = Buffer.from(der.subarray(outer.start, tbsEl.end));
  for (const pat of ['lab.testXgood', 'OddlabXNames', 'lab.testXevil']) {
    // Subject and issuer are the same name: each pattern is there once or twice.
    for (let i = tbs.indexOf(pat); i >= 0; i = tbs.indexOf(pat, i + 1)) tbs[i + pat.indexOf('X')] = 0;
  }
  const algEl = element(der, tbsEl.end);
  const alg = der.subarray(tbsEl.end, algEl.end);
  const signature = sign('sha256', tbs, createPrivateKey(readFileSync(join(dir, 'nul-names.key'))));
  const bitString = Buffer.concat([Buffer.from([0x03]), derLength(signature.length + 1), Buffer.from([0]), signature]);
  const body = Buffer.concat([tbs, alg, bitString]);
  const cert = Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
  writeFileSync(join(dir, 'nul-names.crt'), `-----BEGIN CERTIFICATE-----\n${cert.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`);
  return { empty: { cert: join(dir, 'empty-names.crt'), key: join(dir, 'empty-names.key') }, nul: { cert: join(dir, 'nul-names.crt'), key: join(dir, 'nul-names.key') } };
}
