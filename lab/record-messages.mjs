// Records what real clients print against every host of the failure lab: the error messages
// users paste, exactly as each client writes them. `tlsdoctor explain` is tested against these
// tables, so its catalogue is checked against clients, not memory.
//
// Usage: npm run messages [-- --run A|B] [--clients NAME,...] [HOST ...]
// (root and network namespaces needed). Two runs, for tuning and for measuring:
// - run A (the default) asks each host by its name (good.lab.test) with 4 s client time limits,
//   into test/data/client-messages.json: the rules are tuned on it;
// - run B asks each host by its second name (lab/scenarios.mjs altName: a name that says nothing
//   of the fault) with 7 s limits, into test/data/client-messages-b.json, and adds the held-out
//   clients, which no rule is tuned on: the rules are measured on it.
// With --clients or hosts, only those rows are recorded again and the table's other rows stay
// as they were (`rerecorded` dates what was redone), provided the clients that made the kept
// rows are still the versions the table names.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { labDown, labUnavailable, labUp, labPaths, NS } from './lab.mjs';
import { buildClients, clients, firstClients } from './message-clients.mjs';
import { SCENARIOS, altName } from './scenarios.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The two runs: the file each writes, how hosts are named, the clients' own limit, the recorder's. */
export const RUNS = {
  A: { out: join(ROOT, 'test', 'data', 'client-messages.json'), name: (h) => h, seconds: 4, limitMs: 15_000, heldOut: false },
  B: { out: join(ROOT, 'test', 'data', 'client-messages-b.json'), name: altName, seconds: 7, limitMs: 25_000, heldOut: true },
};

/** How many clients run at once against one host (the machine is shared; Java and Chromium are heavy). */
const PARALLEL = 3;

/**
 * Where a client fails for a reason of its own on a host other clients find healthy: the
 * diagnosis that fits that client, and why.
 */
const CLIENT_OWN = {
  'python weakcipher.lab.test': { diagnosis: 'NO_SHARED_CIPHER', why: "Python's default context (OpenSSL security level 2, no SHA-1 CBC suites) shares no suite with a server that offers only ECDHE-ECDSA-AES128-SHA" },
  'wget h2only.lab.test': { diagnosis: 'ALPN_REQUIRED', why: 'wget offers no ALPN: the handshake completes, and the HTTP/2-only server answers its HTTP/1.1 request with 403' },
  'python h2only.lab.test': { diagnosis: 'ALPN_REQUIRED', why: "urllib's default context offers no ALPN: the handshake completes, and the HTTP/2-only server answers its HTTP/1.1 request with 403" },
  'node-fetch h2only.lab.test': { diagnosis: 'ALPN_MISMATCH', why: 'undici (Node fetch) offers http/1.1 alone in ALPN: the HTTP/2-only server refuses it with no_application_protocol (120)' },
  'chromium weakcipher.lab.test': { diagnosis: 'NO_SHARED_CIPHER', why: 'this Chromium no longer offers the SHA-1 CBC suites: it shares none with a server that offers only ECDHE-ECDSA-AES128-SHA (net_error -113, ERR_SSL_VERSION_OR_CIPHER_MISMATCH)' },
  'rust-rustls weakcipher.lab.test': { diagnosis: 'NO_SHARED_CIPHER', why: 'rustls implements no CBC suite: the server, which offers only ECDHE-ECDSA-AES128-SHA, answers with handshake_failure' },
  ...Object.fromEntries(['java-urlconnection', 'php-stream', 'rust-rustls', 'rust-openssl', 'nginx-proxy', 'npm', 'aria2c', 'lynx', 'ruby-open-uri', 'apt', 'lftp', 'w3m'].map((c) => [`${c} h2only.lab.test`,
    { diagnosis: 'ALPN_REQUIRED', why: `${c} offers no ALPN: the handshake completes, and the HTTP/2-only server answers its HTTP/1.1 request with 403` }])),
  ...Object.fromEntries(['python-requests', 'python-httpx', 'pip', 'httpie', 'python-urllib3'].map((c) => [`${c} h2only.lab.test`,
    { diagnosis: 'ALPN_MISMATCH', why: `${c} (urllib3 or httpcore) offers http/1.1 alone in ALPN: the HTTP/2-only server refuses it with no_application_protocol (120)` }])),
};

/** Lines that are frames of a stack or a client's chatter, not its message. */
const CHATTER = [
  /^Traceback \(most recent call last\)/, /^During handling of the above exception/, /^The above exception was/,
  /^node:/, /^Emitted 'error' event/, /^Node\.js v\d/, /^\}$/,
  /^More details here:/, /^curl failed to verify/, /^establish a secure connection/, /^how to fix it/,
  // npm's notice of what it is about to do, and where it left its log.
  /^npm notice/, /A complete log of this run can be found in/,
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
export function message(out, keep = () => true, frames = /$^/) {
  const said = new Set();
  return out
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l && (!/^\s/.test(l) || /^\s+(code|errno|syscall|reason|\[cause\]):/.test(l) || /^\s*- Status/.test(l) || frames.test(l)))
    .filter((l) => !CHATTER.some((re) => re.test(l)) && keep(l))
    // A line said again under another log prefix (Chromium's pid and time) is said once, so
    // that repeats do not push the line that names the error out of the eight kept.
    .filter((l) => {
      const text = l.replace(/^\[[^\]]*\]\s*/, '');
      return !said.has(text) && said.add(text);
    })
    .slice(0, 8)
    .join('\n');
}

/**
 * This machine's own trust and index settings, which clients read before or instead of what
 * they are told (requests prefers REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE to a session's CA, pip
 * reads PIP_*): left out, so that each client trusts the lab's root the one way it is given.
 */
const MACHINE_TRUST = /^(SSL_CERT_(FILE|DIR)|NIX_SSL_CERT_FILE|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE|NODE_EXTRA_CA_CERTS|GIT_SSL_\w+|PIP_\w+|npm_config_\w+)$/i;

/** Runs one command in the client namespace, bounded: SIGKILL to its process group at `limitMs`. */
function runBounded(cmd, args, env, limitMs) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !MACHINE_TRUST.test(k)));
  return new Promise((done) => {
    const p = spawn('ip', ['netns', 'exec', NS.client, cmd, ...args], { env: { ...base, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      try {
        process.kill(-p.pid, 'SIGKILL');
      } catch {}
    }, limitMs);
    p.on('close', (status, signal) => {
      clearTimeout(timer);
      done({ status: killed ? null : status, signal, stdout, stderr });
    });
  });
}

/** One client against one host: its record. */
async function recordOne(c, s, run, ctx) {
  const dir = mkdtempSync(join(ctx.tmp, `${c.name}-`));
  const asked = run.name(s.host);
  const [cmd, args] = c.run(`https://${asked}/`, run.seconds, { dir, ca: ctx.ca, home: ctx.home, port: 18_000 + ctx.next++ });
  const r = await runBounded(cmd, args, c.env ?? {}, run.limitMs);
  rmSync(dir, { recursive: true, force: true });
  const failed = c.failed ? c.failed(r) : r.status !== 0;
  const text = message(`${r.stderr}\n${failed ? r.stdout : ''}`, c.keep, c.frames);
  // A client stopped by the limit without a word (openssl on a silent server) is recorded as hanging.
  const outcome = !failed ? { message: null } : c.served?.(text) ? { message: null, served: text } : text ? { message: text } : { message: null, hung: true };
  const own = CLIENT_OWN[`${c.name} ${s.host}`];
  const row = { client: c.name, host: s.host, ...(asked !== s.host ? { asked } : {}), diagnosis: own?.diagnosis ?? s.expect?.probe ?? null, ...(own ? { why: own.why } : {}), exit: r.status, ...outcome };
  if (c.heldOut) row.heldOut = true;
  process.stdout.write(`${c.name} ${asked}: ${!failed ? 'ok' : outcome.served ? 'served' : (text.split('\n')[0] || 'hung')}\n`);
  return row;
}

/** Runs `jobs` (functions returning promises) `n` at a time, results in the jobs' order. */
async function pool(jobs, n) {
  const out = new Array(jobs.length);
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, async () => {
    while (i < jobs.length) {
      const k = i++;
      out[k] = await jobs[k]();
    }
  }));
  return out;
}

/** A throwaway NSS database in a HOME of its own, trusting the lab's root, for Chromium. */
function chromiumHome(tmp, ca) {
  const home = join(tmp, 'chromium-home');
  const db = `sql:${join(home, '.pki', 'nssdb')}`;
  mkdirSync(join(home, '.pki', 'nssdb'), { recursive: true });
  execFileSync('certutil', ['-N', '--empty-password', '-d', db]);
  execFileSync('certutil', ['-A', '-d', db, '-t', 'C,,', '-n', 'tlsdoctor-lab', '-i', ca]);
  return home;
}

function parseArgs(argv) {
  const opts = { run: 'A', clients: undefined, hosts: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--run') opts.run = argv[++i];
    else if (argv[i] === '--clients') opts.clients = (argv[++i] ?? '').split(',').filter(Boolean);
    else opts.hosts.push(argv[i]);
  }
  return opts;
}

/** Checks the command line against the runs, the clients and the lab's hosts: the first thing wrong, or undefined. */
function badArgs(opts, names) {
  if (!RUNS[opts.run]) return `--run ${opts.run}: the runs are ${Object.keys(RUNS).join(', ')}`;
  const unknownClients = (opts.clients ?? []).filter((c) => !names.includes(c));
  if (opts.clients && (opts.clients.length === 0 || unknownClients.length > 0)) return `--clients: not a client: ${unknownClients.join(', ') || '(none given)'} (the clients: ${names.join(', ')})`;
  const unknown = opts.hosts.filter((h) => !SCENARIOS.some((s) => s.host === h));
  if (unknown.length > 0) return `not a lab host: ${unknown.join(', ')}`;
  return undefined;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const run = RUNS[opts.run];
  const why = run ? labUnavailable() : undefined;
  if (why) {
    console.error(`messages: cannot start the lab: ${why}`);
    process.exit(2);
  }
  labUp();
  const tmp = mkdtempSync(join(tmpdir(), 'td-messages-'));
  try {
    const ca = labPaths().root;
    const built = { dir: join(tmp, 'built'), ...buildClients(join(tmp, 'built'), ca) };
    const all = [...firstClients({ ca, t: run.seconds }), ...clients({ ca, built, t: run.seconds })].filter((c) => run.heldOut || !c.heldOut);
    const bad = badArgs(opts, all.map((c) => c.name));
    if (bad) {
      console.error(`messages: ${bad}`);
      process.exitCode = 2;
      return;
    }
    const partial = opts.clients !== undefined || opts.hosts.length > 0;
    const before = partial && existsSync(run.out) ? JSON.parse(readFileSync(run.out, 'utf8')) : undefined;
    const redo = (c, h) => (!opts.clients || opts.clients.includes(c)) && (opts.hosts.length === 0 || opts.hosts.includes(h));
    const list = all.filter((c) => !before || !opts.clients || opts.clients.includes(c.name));
    if (before) {
      // Rows of one table come from one set of clients: a kept row must come from the version named.
      const changed = list.filter((c) => before.clients[c.name] !== undefined && before.clients[c.name] !== c.version && SCENARIOS.some((s) => !redo(c.name, s.host)));
      if (changed.length > 0) throw new Error(`messages: ${changed.map((c) => `${c.name} is ${c.version}, the table's is ${before.clients[c.name]}`).join('; ')}: record every host for it (--clients ${changed.map((c) => c.name).join(',')})`);
    }
    const ctx = { ca, tmp, home: chromiumHome(tmp, ca), next: 0 };
    const records = [];
    for (const s of SCENARIOS) {
      const kept = before ? before.records.filter((r) => r.host === s.host && !(redo(r.client, s.host) && list.some((c) => c.name === r.client))) : [];
      const fresh = await pool(list.filter((c) => redo(c.name, s.host)).map((c) => () => recordOne(c, s, run, ctx)), PARALLEL);
      // The table's order: clients as `all` lists them, whichever run recorded the row.
      const order = (r) => all.findIndex((c) => c.name === r.client);
      records.push(...[...kept, ...fresh].sort((a, b) => order(a) - order(b)));
    }
    writeTable(run, opts, before, all, records);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    labDown();
  }
}

/** Writes the table: the clients' versions and libraries, which are held out, and the rows. */
function writeTable(run, opts, before, all, records) {
  const now = new Date().toISOString();
  const present = all.filter((c) => records.some((r) => r.client === c.name));
  const versions = Object.fromEntries(present.map((c) => [c.name, before?.clients?.[c.name] !== undefined && opts.clients && !opts.clients.includes(c.name) ? before.clients[c.name] : c.version]));
  // Dated by what was asked: clients, hosts, or each client on each host when both were named.
  const redone = opts.clients && opts.hosts.length > 0 ? opts.clients.flatMap((c) => opts.hosts.map((h) => [`${c} ${h}`, now]))
    : opts.clients ? opts.clients.map((c) => [c, now]) : opts.hosts.map((h) => [h, now]);
  // Held out is the client's standing now, not when its row was made: a program moved into
  // tuning keeps its run B rows, no longer flagged.
  const held = new Set(all.filter((c) => c.heldOut).map((c) => c.name));
  const rows = records.map(({ heldOut, ...r }) => (held.has(r.client) ? { ...r, heldOut: true } : r));
  const table = {
    recorded: before?.recorded ?? now,
    ...(before ? { rerecorded: { ...before.rerecorded, ...Object.fromEntries(redone) } } : {}),
    run: { hosts: opts.run === 'A' ? 'the scenario names (good.lab.test)' : 'second names, lab/scenarios.mjs altName (asked)', clientSeconds: run.seconds },
    clients: versions,
    libraries: Object.fromEntries(present.map((c) => [c.name, c.library])),
    ...(run.heldOut ? { heldOut: present.filter((c) => c.heldOut).map((c) => c.name) } : {}),
    records: rows,
  };
  writeFileSync(run.out, JSON.stringify(table, null, 2) + '\n');
  console.log(`wrote ${run.out}: ${records.length} runs${before ? ' (the rows not asked for kept)' : ''}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
