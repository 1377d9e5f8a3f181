#!/usr/bin/env node
// Records the key-log fixtures of the suites and flights decryption opens beyond TLS 1.3's and
// TLS 1.2's AEAD handshakes: CBC suites (TLS 1.0 to 1.2, MAC-then-encrypt and encrypt-then-MAC),
// AEAD suites with CCM (TLS 1.2 and 1.3), PSK suites with ChaCha20-Poly1305, and TLS 1.3 0-RTT
// early data. Each is openssl s_server and s_client on loopback (no lab namespaces needed),
// captured by tcpdump on `lo` with a port filter, the client's key log beside it
// (`-keylogfile`), and a sidecar naming what tlsdoctor says. Root only (tcpdump).
// Usage: node lab/record-keylog-fixtures.mjs [name...]
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePki } from './pki.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
const FIXTURES = join(ROOT, 'fixtures');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const work = mkdtempSync(join(tmpdir(), 'tlsdoctor-keylog-'));
const pki = makePki(join(work, 'pki'));
const OPENSSL = execFileSync('openssl', ['version']).toString().trim();
const TCPDUMP = execFileSync('tcpdump', ['--version']).toString().split('\n')[0];
const PSK = '0123456789abcdef0123456789abcdef';

/** An RSA leaf from the lab's intermediate, for the suites that sign with RSA (DHE-RSA). */
function rsaLeaf() {
  const key = join(work, 'rsa.key');
  const csr = join(work, 'rsa.csr');
  const cert = join(work, 'rsa.crt');
  const ext = join(work, 'rsa.ext');
  writeFileSync(ext, 'subjectAltName=DNS:*.lab.test,DNS:lab.test\nbasicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=good.lab.test'], { stdio: 'ignore' });
  execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', pki.intermediate, '-CAkey', join(work, 'pki', 'intermediate.key'), '-CAcreateserial', '-days', '365', '-extfile', ext, '-out', cert], { stdio: 'ignore' });
  return { cert, key, chain: pki.intermediate };
}

const ecdsa = { ...pki.leaf('good'), chain: pki.intermediate };
let rsa;
const certOf = (kind) => (kind === 'rsa' ? (rsa ??= rsaLeaf()) : ecdsa);

/** One s_server for one connection; `args` after the certificate. Resolves once it listens. */
async function server(port, args, accept = 1) {
  const p = spawn('openssl', ['s_server', '-naccept', String(accept), '-accept', `127.0.0.1:${port}`, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  for (let i = 0; i < 50; i++) {
    if (execFileSync('ss', ['-ltn']).toString().includes(`127.0.0.1:${port} `)) return { p, err: () => err };
    await sleep(100);
  }
  p.kill('SIGKILL');
  throw new Error(`s_server on ${port} did not listen: ${err}`);
}

/** s_client: connects, waits for the server's tickets, then quits ('Q'). */
async function client(port, args, keys) {
  const p = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'good.lab.test', '-CAfile', pki.root, '-keylogfile', keys, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (out += d));
  await sleep(700);
  p.stdin.write('Q\n');
  const done = new Promise((r) => p.on('exit', r));
  await Promise.race([done, sleep(3000)]);
  p.kill('SIGKILL');
  return out;
}

/** A server with `serverArgs` (certificate `cert`: ecdsa, rsa or none) for `accept` connections. */
function serverFor(port, c, accept = 1) {
  const cert = c.cert === 'none' ? ['-nocert'] : ['-cert', certOf(c.cert ?? 'ecdsa').cert, '-key', certOf(c.cert ?? 'ecdsa').key, '-cert_chain', certOf(c.cert ?? 'ecdsa').chain];
  return server(port, [...cert, ...(c.serverArgs ?? [])], accept);
}

/** One connection from a client with `clientArgs`, to its own server unless one is given (a resumption needs the same server's ticket keys). */
async function connection(port, c, keys, shared) {
  const s = shared ?? (await serverFor(port, c));
  try {
    const out = await client(port, c.clientArgs, keys);
    if (c.expectOut && !c.expectOut.test(out)) throw new Error(`client output lacks ${c.expectOut}:\n${out}\n${s.err()}`);
  } finally {
    if (!shared) s.p.kill('SIGKILL');
  }
}

const tls12 = (cipher, extra = []) => ({ serverArgs: ['-cipher', `${cipher}:@SECLEVEL=0`, ...extra], clientArgs: ['-tls1_2', '-cipher', `${cipher}:@SECLEVEL=0`, ...extra] });
const older = (flag, cipher, extra = []) => ({ serverArgs: ['-cipher', `${cipher}:@SECLEVEL=0`, ...extra], clientArgs: [flag, '-cipher', `${cipher}:@SECLEVEL=0`, ...extra] });
const psk = (cipher, extra = []) => ({ cert: cipher.startsWith('RSA-') ? 'rsa' : 'none', serverArgs: ['-psk', PSK, '-cipher', `${cipher}:@SECLEVEL=0`, ...extra], clientArgs: ['-tls1_2', '-psk', PSK, '-cipher', `${cipher}:@SECLEVEL=0`, ...extra] });

/** The fixtures: each a capture of several connections, one per suite or flight. */
const RECORDINGS = [
  {
    name: 'openssl-tls12-cbc-keylog', expect: 'HANDSHAKE_OK',
    note: 'TLS 1.2 CBC suites with HMAC-SHA1, SHA-256 and SHA-384, encrypt-then-MAC (OpenSSL\'s default) and MAC-then-encrypt (-no_etm), ECDSA and RSA, AES and Camellia; then AES-CCM and AES-CCM_8, and a NULL suite (the content in clear, its HMAC checked): every Finished opened with the master secret',
    connections: [
      tls12('ECDHE-ECDSA-AES128-SHA'),
      tls12('ECDHE-ECDSA-AES128-SHA', ['-no_etm']),
      tls12('ECDHE-ECDSA-AES256-SHA384'),
      tls12('ECDHE-ECDSA-AES256-SHA384', ['-no_etm']),
      tls12('ECDHE-ECDSA-AES128-SHA256', ['-no_etm']),
      { cert: 'rsa', ...tls12('DHE-RSA-AES256-SHA') },
      { cert: 'rsa', ...tls12('DHE-RSA-AES256-SHA', ['-no_etm']) },
      tls12('ECDHE-ECDSA-CAMELLIA128-SHA256'),
      tls12('ECDHE-ECDSA-AES128-CCM'),
      tls12('ECDHE-ECDSA-AES256-CCM8'),
      tls12('ECDHE-ECDSA-NULL-SHA'),
    ],
  },
  {
    name: 'openssl-tls10-tls11-cbc-keylog', expect: 'HANDSHAKE_OK', also: ['DEPRECATED_PROTOCOL'],
    note: 'TLS 1.0 (its IV chained from the previous record) and TLS 1.1 (an IV in each record) with CBC suites, encrypt-then-MAC and MAC-then-encrypt: the PRF of MD5 and SHA-1',
    connections: [
      older('-tls1', 'ECDHE-ECDSA-AES128-SHA'),
      older('-tls1', 'ECDHE-ECDSA-AES256-SHA', ['-no_etm']),
      older('-tls1_1', 'ECDHE-ECDSA-AES128-SHA'),
      older('-tls1_1', 'ECDHE-ECDSA-AES256-SHA', ['-no_etm']),
    ],
  },
  {
    name: 'openssl-tls12-psk-keylog', expect: 'HANDSHAKE_OK',
    note: 'TLS 1.2 pre-shared-key suites (openssl -psk): ChaCha20-Poly1305 with PSK, ECDHE-PSK, DHE-PSK and RSA-PSK, and a PSK CBC suite; no certificate but RSA-PSK\'s',
    connections: [psk('PSK-CHACHA20-POLY1305'), psk('ECDHE-PSK-CHACHA20-POLY1305'), psk('DHE-PSK-CHACHA20-POLY1305'), psk('RSA-PSK-CHACHA20-POLY1305'), psk('ECDHE-PSK-AES128-CBC-SHA256', ['-no_etm'])],
  },
  {
    name: 'openssl-tls13-ccm-keylog', expect: 'HANDSHAKE_OK',
    note: 'TLS 1.3 with the AES-CCM suites (-ciphersuites): TLS_AES_128_CCM_SHA256 and TLS_AES_128_CCM_8_SHA256, whose records carry an 8-byte tag',
    connections: ['TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'].map((suite) => ({ serverArgs: ['-ciphersuites', suite], clientArgs: ['-tls1_3', '-ciphersuites', suite] })),
  },
  {
    name: 'openssl-tls13-early-data-keylog', expect: 'HANDSHAKE_OK', oneServer: true,
    note: 'TLS 1.3 0-RTT: a first connection keeps its session (-sess_out), a second resumes it and sends early data (-early_data), which the server accepts; the client\'s early data, EndOfEarlyData and Finished opened with CLIENT_EARLY_TRAFFIC_SECRET and the handshake secret',
    connections: [
      { serverArgs: ['-early_data'], clientArgs: ['-tls1_3', '-sess_out', join(work, 'session.pem')] },
      { serverArgs: ['-early_data'], clientArgs: ['-tls1_3', '-sess_in', join(work, 'session.pem'), '-early_data', join(work, 'early.txt')], expectOut: /Early data was accepted/ },
    ],
  },
];

async function record(r, port) {
  const file = join(FIXTURES, `${r.name}.pcap`);
  const keys = join(FIXTURES, `${r.name}.keys`);
  for (const f of [file, keys]) rmSync(f, { force: true });
  writeFileSync(join(work, 'early.txt'), 'GET / HTTP/1.0\r\n\r\n');
  const dump = spawn('tcpdump', ['-i', 'lo', '-U', '-n', '-s', '0', '-w', file, `tcp port ${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let ready = '';
  dump.stderr.on('data', (d) => (ready += d));
  for (let i = 0; i < 50 && !ready.includes('listening'); i++) await sleep(100);
  const shared = r.oneServer ? await serverFor(port, r.connections[0], r.connections.length) : undefined;
  try {
    for (const c of r.connections) {
      const one = join(work, 'one.keys');
      rmSync(one, { force: true });
      await connection(port, c, one, shared);
      if (existsSync(one)) appendFileSync(keys, readFileSync(one));
      await sleep(300);
    }
  } finally {
    shared?.p.kill('SIGKILL');
    await sleep(500);
    dump.kill('SIGINT');
    await new Promise((res) => dump.on('exit', res));
  }
  const sidecar = {
    scenario: 'openssl s_server on loopback',
    keylog: `${r.name}.keys`,
    withoutKeylog: r.expect,
    note: r.note,
    client: `${OPENSSL} (-keylogfile)`,
    capture: `${TCPDUMP} on lo, filter 'tcp port ${port}'`,
    connections: r.connections.length,
    recorded: new Date().toISOString(),
    expect: { primary: r.expect, ...(r.also ? { also: r.also } : {}) },
  };
  writeFileSync(`${file}.json`, JSON.stringify(sidecar, null, 2) + '\n');
  console.log(`recorded ${file} (${r.connections.length} connections)`);
}

const only = process.argv.slice(2);
let port = 44330;
try {
  for (const r of RECORDINGS) {
    port++;
    if (only.length === 0 || only.includes(r.name)) await record(r, port);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
