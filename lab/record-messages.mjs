// Records what real clients print against every host of the failure lab: the error messages
// users paste, exactly as each client writes them. `tlsdoctor explain` is tested against this
// table (test/explain.test.ts), so its catalogue is checked against clients, not memory.
//
// Usage: npm run messages [-- HOST ...]   (root and network namespaces needed; writes
// test/data/client-messages.json). With hosts, only their rows are recorded again: the others,
// and the date of the full run, stay as they were, and `rerecorded` gives each host's date.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labDown, labUnavailable, labUp, labPaths, NS } from './lab.mjs';
import { SCENARIOS } from './scenarios.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'test', 'data', 'client-messages.json');

/**
 * Where a client fails for a reason of its own on a host other clients find healthy: the
 * diagnosis that fits that client, and why.
 */
const CLIENT_OWN = {
  'python weakcipher.lab.test': { diagnosis: 'NO_SHARED_CIPHER', why: "Python's default context (OpenSSL security level 2, no SHA-1 CBC suites) shares no suite with a server that offers only ECDHE-ECDSA-AES128-SHA" },
  'wget h2only.lab.test': { diagnosis: 'ALPN_REQUIRED', why: 'wget offers no ALPN: the handshake completes, and the HTTP/2-only server answers its HTTP/1.1 request with 403' },
  'python h2only.lab.test': { diagnosis: 'ALPN_REQUIRED', why: "urllib's default context offers no ALPN: the handshake completes, and the HTTP/2-only server answers its HTTP/1.1 request with 403" },
  'node-fetch h2only.lab.test': { diagnosis: 'ALPN_MISMATCH', why: 'undici (Node fetch) offers http/1.1 alone in ALPN: the HTTP/2-only server refuses it with no_application_protocol (120)' },
};

/** Each client: how to run it against a host, and its version. */
function clients(ca) {
  // As most code calls it: no timeout of its own (a silent server makes it hang) and no error handler.
  const nodeHttps = `require('https').get(process.argv[1], (r) => { r.resume(); r.on('end', () => process.exit(0)); })`;
  const nodeFetch = `fetch(process.argv[1], { signal: AbortSignal.timeout(4000) }).then((r) => r.arrayBuffer())`;
  const python = `import ssl, sys, urllib.request\nctx = ssl.create_default_context(cafile=${JSON.stringify(ca)})\nurllib.request.urlopen(sys.argv[1], context=ctx, timeout=4).read()`;
  const env = { NODE_EXTRA_CA_CERTS: ca };
  return [
    { name: 'curl', version: ['curl', ['--version']], run: (h) => ['curl', ['-sS', '-o', '/dev/null', '-m', '4', '--cacert', ca, `https://${h}/`]] },
    { name: 'wget', version: ['wget', ['--version']], run: (h) => ['wget', ['-nv', '-O', '/dev/null', '--tries=1', '--timeout=4', `--ca-certificate=${ca}`, `https://${h}/`]] },
    { name: 'openssl', version: ['openssl', ['version']], run: (h) => ['openssl', ['s_client', '-brief', '-verify_return_error', '-CAfile', ca, '-connect', `${h}:443`, '-servername', h]] },
    { name: 'gnutls-cli', version: ['gnutls-cli', ['--version']], run: (h) => ['gnutls-cli', ['--x509cafile', ca, '-p', '443', h]] },
    { name: 'python', version: ['python3', ['--version']], run: (h) => ['python3', ['-c', python, `https://${h}/`]] },
    { name: 'node-https', version: ['node', ['--version']], env, run: (h) => [process.execPath, ['-e', nodeHttps, `https://${h}/`]] },
    { name: 'node-fetch', version: ['node', ['--version']], env, run: (h) => [process.execPath, ['-e', nodeFetch, `https://${h}/`]] },
  ];
}

/** Lines that are frames of a stack or a client's chatter, not its message. */
const CHATTER = [
  /^Traceback \(most recent call last\)/, /^During handling of the above exception/, /^The above exception was/,
  /^node:/, /^Emitted 'error' event/, /^Node\.js v\d/, /^\}$/,
  /^More details here:/, /^curl failed to verify/, /^establish a secure connection/, /^how to fix it/,
  /^Processed \d+ CA/, /^Resolving '/, /^Connecting to '/, /^- (?!Status)/,
  // openssl s_client -brief's summary of a handshake that completed (its error, if any, follows).
  /^CONNECTION ESTABLISHED$/, /^Protocol version: /, /^Ciphersuite: /, /^Requested Signature Algorithms: /, /^Peer certificate: /, /^Hash used: /,
  /^Signature type: /, /^Verification: /, /^Supported Elliptic Curve/, /^Server Temp Key: /, /^Peer signing digest: /, /^Peer signature type: /, /^Verified peername: /, /^DONE$/,
];

/**
 * What a user would paste: the client's error lines, without stack frames, source lines or
 * progress chatter. Indented lines are frames or code, except the fields an error prints
 * (`code: 'CERT_HAS_EXPIRED'`, `[cause]: ...`) and gnutls-cli's `- Status:` verdict.
 */
function message(out) {
  return out
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l && (!/^\s/.test(l) || /^\s+(code|errno|syscall|reason|\[cause\]):/.test(l) || /^\s*- Status/.test(l)))
    .filter((l) => !CHATTER.some((re) => re.test(l)))
    .slice(0, 8)
    .join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const why = labUnavailable();
  if (why) {
    console.error(`messages: cannot start the lab: ${why}`);
    process.exit(2);
  }
  const only = process.argv.slice(2);
  const unknown = only.filter((h) => !SCENARIOS.some((s) => s.host === h));
  if (unknown.length > 0) {
    console.error(`messages: not a lab host: ${unknown.join(', ')}`);
    process.exit(2);
  }
  const before = only.length > 0 ? JSON.parse(readFileSync(OUT, 'utf8')) : undefined;
  labUp();
  try {
    const ca = labPaths().root;
    const list = clients(ca);
    const versions = Object.fromEntries(list.map((c) => [c.name, spawnSync(c.version[0], c.version[1], { encoding: 'utf8' }).stdout.split('\n')[0].trim()]));
    if (before) {
      // Rows of one table come from one set of clients.
      const changed = Object.keys(versions).filter((c) => before.clients[c] !== versions[c]);
      if (changed.length > 0) throw new Error(`messages: ${changed.map((c) => `${c} is ${versions[c]}, the table's is ${before.clients[c]}`).join('; ')}: record every host (npm run messages)`);
    }
    const records = [];
    for (const s of SCENARIOS) {
      if (before && !only.includes(s.host)) {
        records.push(...before.records.filter((r) => r.host === s.host));
        continue;
      }
      for (const c of list) {
        const [cmd, args] = c.run(s.host);
        // Bounded: every client has its own 4 s limit, and this one stops it at 15 s.
        const r = spawnSync('ip', ['netns', 'exec', NS.client, cmd, ...args], { input: '', encoding: 'utf8', timeout: 15_000, env: { ...process.env, ...(c.env ?? {}) } });
        const text = message(`${r.stderr ?? ''}\n${r.status === 0 ? '' : r.stdout ?? ''}`);
        // A client stopped by the limit without a word (openssl on a silent server) is recorded as hanging.
        const outcome = r.status === 0 ? { message: null } : text ? { message: text } : { message: null, hung: true };
        const own = CLIENT_OWN[`${c.name} ${s.host}`];
        records.push({ client: c.name, host: s.host, diagnosis: own?.diagnosis ?? s.expect?.probe ?? null, ...(own ? { why: own.why } : {}), exit: r.status, ...outcome });
        process.stdout.write(`${c.name} ${s.host}: ${r.status === 0 ? 'ok' : text.split('\n')[0]}\n`);
      }
    }
    const now = new Date().toISOString();
    const table = before
      ? { recorded: before.recorded, rerecorded: { ...before.rerecorded, ...Object.fromEntries(only.map((h) => [h, now])) }, clients: versions, records }
      : { recorded: now, clients: versions, records };
    writeFileSync(OUT, JSON.stringify(table, null, 2) + '\n');
    console.log(`wrote ${OUT}: ${records.length} runs${before ? ` (${only.join(', ')} recorded, the other hosts' rows kept)` : ''}`);
  } finally {
    labDown();
  }
}
