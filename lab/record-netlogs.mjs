// Records Chrome NetLogs (chrome://net-export's format) from Debian's Chromium against the lab's
// faults, each with a packet capture of the same run: the browser's own account of a connection
// beside what the wire shows. `tlsdoctor netlog` reads the first, `tlsdoctor pcap` the second.
//
// Usage: node lab/record-netlogs.mjs [--mode Default|IncludeSensitive|Everything] [--dir DIR] [CASE|HOST ...]
//        node lab/record-netlogs.mjs --fixtures [NAME ...]   (re-records fixtures/netlog/)
// (root and network namespaces needed; the lab is brought up if it is down, and left as it was)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { labDown, labIsUp, labUnavailable, labUp } from './lab.mjs';
import { chromium, startCapture } from './record-fixtures.mjs';
import { SCENARIOS } from './scenarios.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const NETLOG_FIXTURES_DIR = join(ROOT, 'fixtures', 'netlog');

/** Chrome's --net-log-capture-mode values, from least to most recorded. */
export const NETLOG_MODES = ['Default', 'IncludeSensitive', 'Everything'];
/** What the capture beside each NetLog keeps: TCP, QUIC, and the ICMP that explains a failed SYN. */
export const NETLOG_PCAP_FILTER = 'tcp or udp port 443 or icmp or icmp6';

/** A scenario's IPv4 address (lab/scenarios.mjs). */
function v4(host) {
  const a = SCENARIOS.find((s) => s.host === host)?.v4;
  if (!a) throw new Error(`netlogs: ${host} has no IPv4 address in lab/scenarios.mjs`);
  return a;
}

/**
 * One lab fault each: the host, how Chromium is run (`quic`: forced onto QUIC; `pin`: an
 * address it must connect to; `trustLab: false`: without the lab's root; `ms`: how long it may
 * run), and:
 * - `netlog`: the primary diagnosis `tlsdoctor netlog` must give the first item of `kind` (tcp,
 *   quic or request; tcp by default) naming the host;
 * - `pcap`: the primary diagnosis `tlsdoctor pcap` must give Chromium's first connection to that
 *   server in the capture of the same run (none where the capture holds no connection); `why`
 *   says why the two differ;
 * - `chromium`: what Chromium itself logs for that first socket, QUIC session or request: the
 *   step it ended in and its net_error (`pending`: begun, never ended before the browser was
 *   stopped; a QUIC session: OK once its handshake completed, else the QUIC error it closed with);
 * - `netlogByMode`: where a capture mode logs too little for `netlog`, what it allows instead
 *   (`whyByMode` says why);
 * - `note`: how Chromium behaves there, where that is worth saying.
 * Where nothing answers, `ms` leaves the NetLog about 5 s of silence after the last thing sent:
 * `tlsdoctor netlog` calls a wait of 3 s or more no answer, and a shorter one a log stopped early.
 */
export const NETLOG_CASES = [
  { name: 'handshake-ok', host: 'good.lab.test', chromium: 'SSL_CONNECT OK', netlog: 'HANDSHAKE_OK', pcap: 'HANDSHAKE_OK' },
  { name: 'sni-reset', host: 'blocked.lab.test', chromium: 'SSL_CONNECT ERR_CONNECTION_RESET', netlog: 'RESET_AFTER_CLIENT_HELLO', pcap: 'RESET_AFTER_CLIENT_HELLO' },
  { name: 'plaintext-http', host: 'plain.lab.test',
    netlogByMode: { Default: 'NOT_TLS', IncludeSensitive: 'NOT_TLS' },
    whyByMode: 'only the Everything capture mode logs the bytes the server sent (SOCKET_BYTES_RECEIVED): below it the log holds ERR_SSL_PROTOCOL_ERROR (BoringSSL reason 247) and a byte count, as for any answer that is not TLS',
    note: 'nginx `listen 443;` without `ssl` answers the ClientHello with HTTP/1.1 400: BoringSSL stops at the record header (ERR_SSL_PROTOCOL_ERROR, error_reason 247, as for garbage.lab.test); Default and IncludeSensitive log only the byte count received, Everything the bytes (SOCKET_BYTES_RECEIVED)',
    chromium: 'SSL_CONNECT ERR_SSL_PROTOCOL_ERROR', netlog: 'PLAINTEXT_HTTP_ON_TLS_PORT', pcap: 'PLAINTEXT_HTTP_ON_TLS_PORT' },
  { name: 'tls10-only', host: 'tls10.lab.test', chromium: 'SSL_CONNECT ERR_SSL_VERSION_OR_CIPHER_MISMATCH', netlog: 'PROTOCOL_VERSION_MISMATCH', pcap: 'PROTOCOL_VERSION_MISMATCH' },
  { name: 'cert-expired', host: 'expired.lab.test', chromium: 'SSL_CONNECT ERR_CERT_DATE_INVALID', netlog: 'CERT_EXPIRED', pcap: 'CERT_EXPIRED' },
  { name: 'cert-expired-tls13', host: 'expired13.lab.test', chromium: 'SSL_CONNECT ERR_CERT_DATE_INVALID', netlog: 'CERT_EXPIRED', pcap: 'CLIENT_ABORTED',
    why: 'TLS 1.3 encrypts the certificate and Chromium\'s alert: the capture sees only the client give up after the server\'s flight, while the browser\'s log holds the certificate and its verdict' },
  { name: 'cert-wrong-name', host: 'wrongname.lab.test', chromium: 'SSL_CONNECT ERR_CERT_COMMON_NAME_INVALID', netlog: 'CERT_HOSTNAME_MISMATCH', pcap: 'CERT_HOSTNAME_MISMATCH' },
  { name: 'cert-self-signed', host: 'selfsigned.lab.test', chromium: 'SSL_CONNECT ERR_CERT_AUTHORITY_INVALID', netlog: 'CERT_SELF_SIGNED', pcap: 'CERT_SELF_SIGNED' },
  { name: 'cert-untrusted', host: 'good.lab.test', trustLab: false, chromium: 'SSL_CONNECT ERR_CERT_AUTHORITY_INVALID', netlog: 'CERT_UNTRUSTED', pcap: 'CLIENT_ABORTED',
    why: 'good.lab.test speaks TLS 1.3: its chain and Chromium\'s rejection are encrypted in the capture, which sees the client give up after the server\'s flight; the browser\'s log holds the chain and the verdict' },
  { name: 'cert-missing-intermediate', host: 'nochain.lab.test', chromium: 'SSL_CONNECT ERR_CERT_AUTHORITY_INVALID', netlog: 'CERT_CHAIN_INCOMPLETE', pcap: 'CERT_CHAIN_INCOMPLETE' },
  { name: 'refused', host: 'refused.lab.test', chromium: 'TCP_CONNECT ERR_CONNECTION_REFUSED', netlog: 'TCP_REFUSED', pcap: 'TCP_REFUSED' },
  { name: 'syn-timeout', host: 'closed.lab.test', ms: 7000,
    note: 'the middlebox drops the SYNs: Chromium\'s own connect timeout is far longer than the recording, so its log holds TCP_CONNECT attempts begun and never ended, their connect jobs ended ERR_ABORTED when the browser stopped', chromium: 'TCP_CONNECT pending', netlog: 'TCP_TIMEOUT', pcap: 'TCP_TIMEOUT' },
  { name: 'icmp-unreachable', host: 'rejected.lab.test', chromium: 'TCP_CONNECT ERR_ADDRESS_UNREACHABLE', netlog: 'TCP_UNREACHABLE', pcap: 'TCP_UNREACHABLE' },
  { name: 'silent-server', host: 'silent.lab.test', ms: 7000, note: 'the server accepts and never answers: SSL_CONNECT begun, never ended before the browser stopped', chromium: 'SSL_CONNECT pending', netlog: 'NO_SERVER_HELLO', pcap: 'NO_SERVER_HELLO' },
  { name: 'garbage-server', host: 'garbage.lab.test', note: 'a server answering binary garbage: ERR_SSL_PROTOCOL_ERROR with error_reason 247, as plain.lab.test; only Everything logs the bytes',
    chromium: 'SSL_CONNECT ERR_SSL_PROTOCOL_ERROR', netlog: 'NOT_TLS', pcap: 'NOT_TLS' },
  { name: 'client-cert-required-tls13', host: 'mtls13.lab.test',
    note: 'Chromium stops at the CertificateRequest (ERR_SSL_CLIENT_AUTH_CERT_NEEDED, the request in its log as a handshake message), has no certificate to offer headless, and connects again without one: that socket completes its handshake and the request fails (ERR_BAD_SSL_CLIENT_AUTH_CERT or ERR_SOCKET_NOT_CONNECTED, as the server\'s certificate_required alert races the request)', chromium: 'SSL_CONNECT ERR_SSL_CLIENT_AUTH_CERT_NEEDED', netlog: 'CLIENT_CERT_REQUIRED', pcap: 'CLIENT_ABORTED',
    why: 'TLS 1.3 encrypts the CertificateRequest: the capture sees Chromium give up after the server\'s flight, and its retry without a certificate complete (the server\'s certificate_required alert is encrypted too); the browser\'s log says a client certificate was asked for' },
  { name: 'client-cert-required-tls12', host: 'mtls12.lab.test',
    note: 'as with TLS 1.3, then the retry without a certificate completes and nginx answers 400 (the request itself succeeds at the network level)', chromium: 'SSL_CONNECT ERR_SSL_CLIENT_AUTH_CERT_NEEDED', netlog: 'CLIENT_CERT_REQUIRED', pcap: 'CLIENT_CERT_REQUIRED' },
  { name: 'mtu-blackhole', host: 'blackhole.lab.test', pin: v4('blackhole.lab.test'), ms: 7000, chromium: 'SSL_CONNECT pending', netlog: 'NO_SERVER_HELLO', pcap: 'MTU_BLACKHOLE',
    why: 'a browser cannot tell a black hole from a silent server: its log says only that no answer came; the capture shows the full-size segment resent while the server acknowledges the rest' },
  { name: 'h3-handshake-ok', host: 'h3.lab.test', quic: true, kind: 'quic', chromium: 'QUIC_SESSION OK', netlog: 'QUIC_HANDSHAKE_OK', pcap: 'QUIC_HANDSHAKE_OK' },
  { name: 'h3-udp-blocked', host: 'h3noudp.lab.test', quic: true, kind: 'quic', ms: 7000,
    note: 'forced onto QUIC (--origin-to-force-quic-on), Chromium opens no TCP connection at all: its Initials go unanswered, the session closes on its 4 s idle timeout (QUIC_NETWORK_IDLE_TIMEOUT) and the request fails with ERR_QUIC_PROTOCOL_ERROR', chromium: 'QUIC_SESSION QUIC_NETWORK_IDLE_TIMEOUT', netlog: 'QUIC_NO_RESPONSE', pcap: 'QUIC_NO_RESPONSE' },
  { name: 'dns-nxdomain', host: 'nxdomain.lab.test', kind: 'request', chromium: 'URL_REQUEST_START_JOB ERR_NAME_NOT_RESOLVED', netlog: 'DNS_NO_ADDRESS' },
];

/** The NetLog fixtures in fixtures/netlog/: a case recorded in one capture mode. `cut`: truncated. */
export const NETLOG_FIXTURES = [
  { name: 'cert-expired-tls13', case: 'cert-expired-tls13', mode: 'Default' },
  { name: 'sni-reset', case: 'sni-reset', mode: 'Default' },
  { name: 'tls10-only', case: 'tls10-only', mode: 'IncludeSensitive' },
  { name: 'refused', case: 'refused', mode: 'Default' },
  { name: 'plaintext-http', case: 'plaintext-http', mode: 'Everything' },
  { name: 'handshake-ok-cut', case: 'handshake-ok', mode: 'Default', cut: true },
];

export const netlogCase = (nameOrHost) => NETLOG_CASES.find((c) => c.name === nameOrHost) ?? NETLOG_CASES.find((c) => c.host === nameOrHost);

/**
 * Runs headless Chromium once against https://HOST/ in the client namespace, writing its NetLog
 * in `mode` while tcpdump captures the same run; returns both files (in `dir`). Chromium stops
 * its navigation itself 2 s before `ms` (--timeout, a clean exit that closes the NetLog), is
 * sent SIGTERM at `ms` and SIGKILL 2 s later: the run is bounded by `ms` + 2 s.
 */
export async function recordNetlog(host, { mode = 'Default', dir, quic = false, pin, ms = 6000, trustLab = true, name } = {}) {
  if (!NETLOG_MODES.includes(mode)) throw new Error(`netlogs: capture mode ${mode} is not one of ${NETLOG_MODES.join(', ')}`);
  if (!dir) throw new Error('netlogs: no output directory');
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${name ?? host.split('.')[0]}-${mode}`);
  const netlog = `${base}.json`;
  const pcap = `${base}.pcap`;
  rmSync(netlog, { force: true });
  const stop = await startCapture(pcap, 'tcpdump', 'c0', [], NETLOG_PCAP_FILTER);
  try {
    await chromium(`https://${host}/`, ms, undefined, trustLab, quic ? host : undefined, pin, { file: netlog, mode, stopAfter: Math.max(1000, ms - 2000) });
  } finally {
    await stop();
  }
  if (!existsSync(netlog)) throw new Error(`netlogs: Chromium wrote no NetLog for ${host} (${mode})`);
  return { netlog, pcap };
}

/** Records one case of NETLOG_CASES. */
export function recordCase(c, mode, dir) {
  return recordNetlog(c.host, { mode, dir, quic: c.quic, pin: c.pin, ms: c.ms, trustLab: c.trustLab ?? true, name: c.name });
}

/**
 * A NetLog as Chromium wrote it: parsed whole, or, where the browser died before closing it
 * (`closed` false), its events up to the last whole one.
 */
export function readNetlog(file) {
  const text = readFileSync(file, 'utf8');
  try {
    return { ...JSON.parse(text), closed: true };
  } catch {}
  // Chromium writes `{"constants":…,\n"events": [` and then one event a line, each followed by `,`.
  const body = text.replace(/,?\s*$/, '');
  for (const t of [`${body}]}`, `${body.slice(0, body.lastIndexOf('\n{')).replace(/,\s*$/, '')}]}`]) {
    try {
      return { ...JSON.parse(t), closed: false };
    } catch {}
  }
  throw new Error(`netlogs: ${file} is not a NetLog`);
}

/**
 * Chromium's own account of each socket, QUIC session and request for one host: where it
 * ended (the step and its net_error, `pending` if never ended), in source-id order. A socket is
 * the host's when it connects to one of `addresses`; a QUIC session and a request name the host.
 */
export function chromiumOutcomes(file, host, addresses) {
  const j = readNetlog(file);
  const byValue = (m) => Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [v, k]));
  const types = byValue(j.constants.logEventTypes);
  const phases = byValue(j.constants.logEventPhase);
  const errors = byValue(j.constants.netError);
  const quicErrors = byValue(j.constants.quicError);
  const sources = new Map();
  const src = (e) => {
    if (!sources.has(e.source.id)) sources.set(e.source.id, { id: e.source.id, steps: new Map(), events: new Set() });
    return sources.get(e.source.id);
  };
  const bare = (a) => a.replace(/^\[|\]?:\d+$/g, '');
  for (const e of j.events) {
    const type = types[e.type];
    const phase = phases[e.phase];
    if (!['TCP_CONNECT', 'SSL_CONNECT', 'QUIC_SESSION', 'QUIC_SESSION_CLOSED', 'QUIC_SESSION_CRYPTO_HANDSHAKE_COMPLETE', 'URL_REQUEST_START_JOB'].includes(type)) continue;
    const s = src(e);
    s.events.add(type);
    if (type === 'TCP_CONNECT' && phase === 'PHASE_BEGIN') s.tcp = (e.params?.address_list ?? []).some((a) => addresses.includes(bare(a)));
    if (type === 'QUIC_SESSION' && phase === 'PHASE_BEGIN') s.quic = e.params?.host === host;
    if (type === 'URL_REQUEST_START_JOB' && phase === 'PHASE_BEGIN') s.request ??= new URL(e.params?.url ?? 'about:blank').hostname === host;
    if (type === 'QUIC_SESSION_CLOSED') s.quicError ??= e.params?.quic_error;
    if (phase === 'PHASE_BEGIN' && !s.steps.has(type)) s.steps.set(type, undefined);
    if (phase === 'PHASE_END' && s.steps.has(type) && s.steps.get(type) === undefined) s.steps.set(type, e.params?.net_error ?? 0);
  }
  const said = (step, err) => `${step} ${err === undefined ? 'pending' : err === 0 ? 'OK' : errors[err] ?? err}`;
  const out = [];
  for (const s of [...sources.values()].sort((a, b) => a.id - b.id)) {
    if (s.tcp) {
      const tcp = s.steps.get('TCP_CONNECT');
      out.push({ id: s.id, kind: 'tcp', said: tcp !== 0 || !s.steps.has('SSL_CONNECT') ? said('TCP_CONNECT', tcp) : said('SSL_CONNECT', s.steps.get('SSL_CONNECT')) });
    } else if (s.quic) {
      const err = s.events.has('QUIC_SESSION_CRYPTO_HANDSHAKE_COMPLETE') ? 'OK' : s.quicError !== undefined ? quicErrors[s.quicError] ?? `quic_error ${s.quicError}` : 'pending';
      out.push({ id: s.id, kind: 'quic', said: `QUIC_SESSION ${err}` });
    } else if (s.request) {
      out.push({ id: s.id, kind: 'request', said: said('URL_REQUEST_START_JOB', s.steps.get('URL_REQUEST_START_JOB')) });
    }
  }
  return { closed: j.closed, events: j.events.length, outcomes: out };
}

/** The addresses Chromium may connect to for a case: its pin, else the scenario's. */
export function caseAddresses(c) {
  if (c.pin) return [c.pin];
  const s = SCENARIOS.find((x) => x.host === c.host);
  return [s?.v4, s?.v6].filter(Boolean);
}

/** What Chromium logged for the first socket, QUIC session or request of the case's kind. */
export function chromiumSays(file, c) {
  const r = chromiumOutcomes(file, c.host, caseAddresses(c));
  return { ...r, first: r.outcomes.find((o) => o.kind === (c.kind ?? 'tcp'))?.said };
}

/** Chromium's version line (Debian's launcher prints a shell warning on a later line). */
function chromiumVersion() {
  try {
    return execFileSync('chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\n')[0].trim();
  } catch {
    return 'chromium';
  }
}

/**
 * Cuts a NetLog in the middle of the event after the first end of an SSL_CONNECT (the
 * connection's handshake is whole in what is left, what follows is lost, the closing bracket
 * too), as a browser killed while writing leaves it. Returns the text kept and where it was cut.
 */
export function cutNetlog(text) {
  const lines = text.split('\n');
  const j = JSON.parse(text);
  const sslConnect = j.constants.logEventTypes.SSL_CONNECT;
  const end = j.constants.logEventPhase.PHASE_END;
  const at = lines.findIndex((l) => {
    if (!l.startsWith('{') || l.startsWith('{"constants"')) return false;
    try {
      const e = JSON.parse(l.replace(/,$/, ''));
      return e.type === sslConnect && e.phase === end;
    } catch {
      return false;
    }
  });
  if (at < 0 || at + 1 >= lines.length) throw new Error('netlogs: no SSL_CONNECT end to cut after');
  const next = lines[at + 1];
  const kept = `${lines.slice(0, at + 1).join('\n')}\n${next.slice(0, Math.floor(next.length / 2))}`;
  return { text: kept, line: at + 2, bytes: Buffer.byteLength(kept), of: Buffer.byteLength(text) };
}

/** The primary code `tlsdoctor pcap` gives each connection of a capture (the CLI must be built). */
export function pcapPrimaries(pcap) {
  const cli = join(ROOT, 'packages', 'cli', 'bin', 'tlsdoctor.js');
  if (!existsSync(cli)) return [];
  const r = spawnSync(process.execPath, [cli, 'pcap', pcap, '--format', 'json'], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  try {
    return JSON.parse(r.stdout).connections.map((c) => `${c.transport === 'quic' ? 'QUIC' : 'TCP'} ${c.server.ip}: ${c.diagnoses[0]?.code}`);
  } catch {
    return [];
  }
}

/** The primary diagnosis `tlsdoctor netlog` must give a case's NetLog recorded in `mode`. */
export const netlogExpected = (c, mode) => c.netlogByMode?.[mode] ?? c.netlog;

/** Re-records fixtures/netlog/ (all, or those named): NAME.json.gz and NAME.sidecar.json. */
export async function recordNetlogFixtures(only = [], out = NETLOG_FIXTURES_DIR) {
  mkdirSync(out, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'td-netlog-fixtures-'));
  const written = [];
  try {
    for (const f of NETLOG_FIXTURES) {
      if (only.length > 0 && !only.includes(f.name) && !only.includes(`netlog/${f.name}`)) continue;
      const c = netlogCase(f.case);
      const { netlog, pcap } = await recordCase(c, f.mode, tmp);
      const recorded = chromiumSays(netlog, c);
      if (recorded.first !== c.chromium) throw new Error(`netlogs: ${f.name}: Chromium logged ${recorded.first ?? 'nothing'} for ${c.host}, not ${c.chromium}`);
      let text = readFileSync(netlog, 'utf8');
      // The recording's own paths (its temporary profile and output file) stay out of the fixture.
      text = text.split(tmp).join('/tmp/netlog');
      let cut;
      if (f.cut) {
        ({ text, ...cut } = cutNetlog(text));
        writeFileSync(netlog, text);
      }
      // What is in the file kept: a cut one has lost the ends of what followed the cut.
      const says = f.cut ? chromiumSays(netlog, c) : recorded;
      const gz = join(out, `${f.name}.json.gz`);
      writeFileSync(gz, gzipSync(text, { level: 9 }));
      const sidecar = {
        scenario: c.host,
        ...(c.trustLab === false ? { untrusted: true } : {}),
        note: f.cut
          ? `the ${c.name} NetLog cut in the middle of its event line ${cut.line} (${cut.bytes} of ${cut.of} bytes kept): the first connection's handshake is whole, what follows and the closing bracket are gone, as when a browser is killed while writing`
          : [c.note ?? `headless Chromium against ${c.host}${c.trustLab === false ? ' without the lab\'s root' : ''}${c.quic ? ', forced onto QUIC' : ''}`, c.why && `the capture of the same run says ${c.pcap}: ${c.why}`].filter(Boolean).join('; '),
        client: chromiumVersion(),
        capture: `chromium --log-net-log --net-log-capture-mode=${f.mode}${f.cut ? ', then cut' : ''}, in the client namespace`,
        captureMode: f.mode,
        recorded: new Date().toISOString(),
        ...(cut ? { cut: { line: cut.line, bytes: cut.bytes, of: cut.of } } : {}),
        // What Chromium logged for each of its sockets, QUIC sessions and requests to the host
        // (`pending`: begun and not ended in the file).
        chromium: says.outcomes.map((o) => `${o.kind} #${o.id}: ${o.said}`),
        // What a capture of the same run said (the capture is not kept).
        pcap: pcapPrimaries(pcap),
        expect: { host: c.host, kind: c.kind ?? 'tcp', primary: netlogExpected(c, f.mode) },
      };
      writeFileSync(join(out, `${f.name}.sidecar.json`), JSON.stringify(sidecar, null, 2) + '\n');
      written.push({ name: f.name, file: gz, bytes: statSync(gz).size });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return written;
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (flag) => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const fixtures = args.includes('--fixtures');
  if (fixtures) args.splice(args.indexOf('--fixtures'), 1);
  const mode = opt('--mode') ?? 'Default';
  const dir = opt('--dir') ?? mkdtempSync(join(tmpdir(), 'td-netlogs-'));
  const why = labUnavailable();
  if (why) {
    console.error(`netlogs: cannot record: ${why}`);
    process.exit(2);
  }
  const wasUp = labIsUp();
  labUp();
  try {
    if (fixtures) {
      for (const w of await recordNetlogFixtures(args)) console.log(`netlogs: fixtures/netlog/${w.name}.json.gz (${w.bytes} bytes)`);
      return;
    }
    const cases = args.length ? args.map((a) => netlogCase(a) ?? { name: a.split('.')[0], host: a }) : NETLOG_CASES;
    for (const c of cases) {
      const t0 = Date.now();
      const { netlog, pcap } = await recordCase(c, mode, dir);
      const says = chromiumSays(netlog, c);
      const mark = c.chromium && says.first !== c.chromium ? ` (expected ${c.chromium})` : '';
      console.log(`${c.name} ${c.host} ${mode}: ${Date.now() - t0} ms${says.closed ? '' : ', NetLog not closed'}\n  netlog ${netlog}\n  pcap   ${pcap}`);
      for (const o of says.outcomes) console.log(`    ${o.kind} #${o.id}: ${o.said}`);
      console.log(`    first: ${says.first ?? 'none'}${mark}`);
      for (const p of pcapPrimaries(pcap)) console.log(`    pcap ${p}`);
    }
  } finally {
    // Left as it was found: up if it was up (another run's, or the user's), else down.
    if (!wasUp && !process.env.KEEP_LAB) labDown();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`netlogs: ${e.stack ?? e.message}`);
    process.exit(1);
  });
}
