// The failure lab: three network namespaces (client, middlebox, server) joined by veth pairs,
// nginx and Node servers with one fault each, and iptables in the middle.
//
//   td-client (c0) <--veth--> (m0) td-mbox (m1) <--veth--> (s0) td-server
//
// Usage: node lab/lab.mjs up|down|status. Everything it makes lives in these namespaces,
// under .lab/ and in /etc/netns/td-client-ID/; `down` removes all of it.
//
// Namespace names carry an ID of the checkout (TD_LAB_ID, else a hash of its path), so that
// two checkouts run their labs side by side: addresses repeat, but each namespace is its own
// network. Within one checkout a lock (.lab/lock) makes a second run wait for the first.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { certCaseServers, makeCertCases } from './cert-cases.mjs';
import { makePki } from './pki.mjs';
import { NET, SCENARIOS, SNI_BLOCK_STRING, altName } from './scenarios.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const LAB_DIR = join(ROOT, '.lab');
export const LAB_ID = process.env.TD_LAB_ID ?? createHash('sha256').update(ROOT).digest('hex').slice(0, 6);
export const NS = { client: `td-client-${LAB_ID}`, mbox: `td-mbox-${LAB_ID}`, server: `td-server-${LAB_ID}` };
const LOCK = join(LAB_DIR, 'lock');
/** How long a run waits for another run of the same checkout to give the lab back. */
const LOCK_WAIT_MS = 15 * 60_000;
const HOSTS_DIR = `/etc/netns/${NS.client}`;

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts }).toString();
}
const inNs = (ns, cmd, args) => sh('ip', ['netns', 'exec', ns, cmd, ...args]);

/** Why the lab cannot run here, or undefined when it can. */
export function labUnavailable() {
  if (process.getuid?.() !== 0) return 'the lab needs root (network namespaces, iptables)';
  for (const tool of ['ip', 'iptables', 'ip6tables', 'nginx', 'openssl', 'tcpdump', 'ethtool', 'caddy']) {
    try {
      sh('sh', ['-c', `command -v ${tool}`]);
    } catch {
      return `${tool} is not installed`;
    }
  }
  try {
    sh('ip', ['netns', 'add', `td-check-${LAB_ID}-${process.pid}`]);
    sh('ip', ['netns', 'del', `td-check-${LAB_ID}-${process.pid}`]);
  } catch (e) {
    return `network namespaces are not available: ${String(e.stderr ?? e.message).trim()}`;
  }
  return undefined;
}

export function labIsUp() {
  try {
    return sh('ip', ['netns', 'list']).includes(NS.server) && existsSync(join(LAB_DIR, 'up'));
  } catch {
    return false;
  }
}

function nginxConfig(pki, certServers) {
  const prefix = join(LAB_DIR, 'nginx');
  let servers = '';
  for (const s of [...SCENARIOS.filter((x) => x.kind === 'nginx'), ...certServers]) {
    const listens = [s.v4, ...(s.v6 ? [`[${s.v6}]`] : [])];
    const leaf = s.cert ? pki.leaf(s.cert) : undefined;
    const tls = s.plain
      ? ''
      : `
    ssl_certificate ${s.chainFile ?? (s.leafOnly ? leaf.cert : leaf.chain)};
    ssl_certificate_key ${s.keyFile ?? leaf.key};
    ssl_protocols ${s.protocols};
    ssl_ciphers ${s.ciphers ?? (s.protocols === 'TLSv1' ? 'DEFAULT:@SECLEVEL=0' : 'HIGH:!aNULL')};
    ${s.hsts ? 'add_header Strict-Transport-Security "max-age=31536000" always;' : ''}${s.clientCert ? `
    ssl_verify_client on;
    ssl_verify_depth 2;
    ssl_client_certificate ${pki.root};` : ''}`;
    const ws = s.websocket
      ? `
    location /ws { proxy_pass http://127.0.0.1:9001; proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade; }
    location /ws-broken { proxy_pass http://127.0.0.1:9001; }
    location /chat/ { proxy_pass http://127.0.0.1:9001; proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade; }`
      : '';
    // What https://host/ answers: the page, a redirect (a loop, a downgrade, another host or port) or 421.
    const page = s.httpsRedirect ? `return 301 ${s.httpsRedirect};` : s.status421 ? 'return 421;' : `return 200 "${s.host} ok\\n";`;
    servers += `
  server {
    ${listens.map((l) => `listen ${l}:443${s.plain ? '' : ' ssl'}${s.defaultServer ? ' default_server' : ''};`).join(' ')}
    server_name ${s.host} ${altName(s.host)};${tls}
    location / { ${page} }${ws}
  }`;
    // A scenario without port 80 has nothing listening there: connections to it are refused.
    if (s.port80 === false) continue;
    servers += `
  server {
    ${listens.map((l) => `listen ${l}:80;`).join(' ')}
    server_name ${s.host} ${altName(s.host)};
    location / { ${s.port80Redirect ? `return 301 ${s.port80Redirect};` : s.redirect ? 'return 301 https://$host$request_uri;' : `return 200 "${s.host} over http\\n";`} }
  }`;
  }
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  return `user root;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
${servers}
}
`;
}

/**
 * Caddy for the HTTP/3 hosts: each site bound to its own address, the lab's certificate, no
 * admin endpoint, no redirect listener on port 80 (nginx holds it), state under .lab/caddy.
 */
function caddyConfig(pki) {
  let out = `{
  admin off
  auto_https disable_redirects
  skip_install_trust
  storage file_system ${join(LAB_DIR, 'caddy', 'data')}
}
`;
  for (const s of SCENARIOS.filter((x) => x.kind === 'caddy')) {
    const leaf = pki.leaf(s.cert);
    out += `
${s.host}:443, ${altName(s.host)}:443 {
  bind ${s.v4}
  tls ${leaf.chain} ${leaf.key}
  respond "${s.host} ok" 200
}
`;
  }
  return out;
}

function hostsFile(certServers) {
  let out = '127.0.0.1 localhost\n::1 localhost\n';
  for (const s of SCENARIOS.filter((x) => x.v4)) {
    out += `${s.v4} ${s.host} ${altName(s.host)}\n`;
    if (s.v6) out += `${s.v6} ${s.host} ${altName(s.host)}\n`;
  }
  for (const s of certServers.filter((x) => x.host !== x.v4)) out += `${s.v4} ${s.host}\n`;
  return out;
}

/**
 * Takes the checkout's lab for this process (mkdir is atomic), waiting, bounded, while another
 * live process holds it; a lock whose holder is gone is taken over.
 */
function takeLock() {
  mkdirSync(LAB_DIR, { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let holder = 0;
    try {
      holder = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
    } catch {
      // Just made by another process, which has not written its pid yet: give it a moment.
      if (Date.now() - statSync(LOCK).mtimeMs > 5000) holder = -1;
    }
    if (holder === process.pid) return;
    if (holder !== 0 && !alive(holder)) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`lab: another run (pid ${holder}) has held ${LOCK} for ${LOCK_WAIT_MS / 60000} minutes`);
    sh('sleep', ['0.5']);
  }
}

function alive(pid) {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function releaseLock() {
  try {
    if (Number(readFileSync(join(LOCK, 'pid'), 'utf8')) !== process.pid) return;
  } catch {
    return;
  }
  rmSync(LOCK, { recursive: true, force: true });
}

export function labUp() {
  takeLock();
  if (labIsUp()) return;
  labDown({ keepLock: true });
  mkdirSync(LAB_DIR, { recursive: true });
  const pki = makePki(join(LAB_DIR, 'pki'));
  const certServers = makeLabCertCases(pki);
  for (const ns of Object.values(NS)) sh('ip', ['netns', 'add', ns]);
  sh('ip', ['link', 'add', 'c0', 'netns', NS.client, 'type', 'veth', 'peer', 'name', 'm0', 'netns', NS.mbox]);
  sh('ip', ['link', 'add', 'm1', 'netns', NS.mbox, 'type', 'veth', 'peer', 'name', 's0', 'netns', NS.server]);
  const cfg = [
    [NS.client, 'c0', [`${NET.clientV4}/24`], [`${NET.clientV6}/64`]],
    [NS.mbox, 'm0', [`${NET.mboxClientV4}/24`], [`${NET.mboxClientV6}/64`]],
    [NS.mbox, 'm1', [`${NET.mboxServerV4}/24`], [`${NET.mboxServerV6}/64`]],
    [NS.server, "s0", [...SCENARIOS, ...certServers].filter((s) => s.v4).map((s) => `${s.v4}/24`).filter((v, i, a) => a.indexOf(v) === i), ['fd7d:2::2/64', ...SCENARIOS.filter((s) => s.v6).map((s) => `${s.v6}/64`)]],
  ];
  for (const [ns, dev, v4s, v6s] of cfg) {
    // IPv6 duplicate address detection would hold new addresses back for a second or two.
    inNs(ns, 'sysctl', ['-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
    inNs(ns, 'ip', ['link', 'set', 'lo', 'up']);
    for (const a of v4s) inNs(ns, 'ip', ['addr', 'add', a, 'dev', dev]);
    for (const a of v6s) inNs(ns, 'ip', ['-6', 'addr', 'add', a, 'dev', dev, 'nodad']);
    inNs(ns, 'ip', ['link', 'set', dev, 'up']);
  }
  // Real segments on the client's link, as a NIC puts them on the wire: with segmentation
  // offload a two-segment hello would cross the veth (and the middlebox's length rule) as one
  // oversized packet, and captures on c0 would show it so.
  setClientOffload(false);
  inNs(NS.client, 'ip', ['route', 'add', 'default', 'via', NET.mboxClientV4]);
  inNs(NS.client, 'ip', ['-6', 'route', 'add', 'default', 'via', NET.mboxClientV6]);
  inNs(NS.server, 'ip', ['route', 'add', 'default', 'via', NET.mboxServerV4]);
  inNs(NS.server, 'ip', ['-6', 'route', 'add', 'default', 'via', NET.mboxServerV6]);
  inNs(NS.mbox, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1']);

  // The middlebox: an SNI string match that answers with a reset (ICP-filing enforcement),
  // a DROP (a closed security group) and a REJECT with ICMP unreachable (a host firewall).
  for (const s of SCENARIOS) {
    if (s.kind === 'middlebox-drop') inNs(NS.mbox, 'iptables', ['-A', 'FORWARD', '-d', s.v4, '-p', 'tcp', '-j', 'DROP']);
    // Silent loss by size: no ICMP "fragmentation needed" (IPv6: "packet too big") goes back (an
    // MTU black hole). The length match counts the whole IP packet, header included, both families.
    if (s.dropAbove) {
      inNs(NS.mbox, 'iptables', ['-A', 'FORWARD', '-d', s.v4, '-p', 'tcp', '-m', 'length', '--length', `${s.dropAbove + 1}:65535`, '-j', 'DROP']);
      if (s.v6) inNs(NS.mbox, 'ip6tables', ['-A', 'FORWARD', '-d', s.v6, '-p', 'tcp', '-m', 'length', '--length', `${s.dropAbove + 1}:65535`, '-j', 'DROP']);
    }
    // A narrow link that says so: a route toward the server with a small MTU. The kernel answers
    // a larger packet (TCP sets DF; IPv6 routers never fragment) with ICMP "fragmentation needed"
    // or ICMPv6 "packet too big" naming that MTU, and does not forward it.
    if (s.pathMtu) {
      inNs(NS.mbox, 'ip', ['route', 'add', `${s.v4}/32`, 'dev', 'm1', 'mtu', String(s.pathMtu.v4)]);
      if (s.v6) inNs(NS.mbox, 'ip', ['-6', 'route', 'add', `${s.v6}/128`, 'dev', 'm1', 'mtu', String(s.pathMtu.v6)]);
    }
    // A security group that opened TCP 443 and not UDP 443: HTTP/3's datagrams vanish.
    if (s.dropUdp443) inNs(NS.mbox, 'iptables', ['-A', 'FORWARD', '-d', s.v4, '-p', 'udp', '--dport', '443', '-j', 'DROP']);
    if (s.kind === 'middlebox-icmp') inNs(NS.mbox, 'iptables', ['-A', 'FORWARD', '-d', s.v4, '-p', 'tcp', '-j', 'REJECT', '--reject-with', 'icmp-admin-prohibited']);
  }
  for (const name of [SNI_BLOCK_STRING, altName(SNI_BLOCK_STRING)]) {
    inNs(NS.mbox, 'iptables', ['-A', 'FORWARD', '-p', 'tcp', '--dport', '443', '-m', 'string', '--string', name, '--algo', 'bm', '-j', 'REJECT', '--reject-with', 'tcp-reset']);
  }

  mkdirSync(HOSTS_DIR, { recursive: true });
  writeFileSync(join(HOSTS_DIR, 'hosts'), hostsFile(certServers));
  // The client's resolver is the middlebox, where a tiny server answers NXDOMAIN: names not in
  // the hosts file fail fast and no query ever leaves the lab.
  writeFileSync(join(HOSTS_DIR, 'resolv.conf'), `nameserver ${NET.mboxClientV4}\noptions timeout:1 attempts:1\n`);
  const dns = spawn('ip', ['netns', 'exec', NS.mbox, process.execPath, join(ROOT, 'lab', 'hostile.mjs'), `${NET.mboxClientV4}=nxdomain-dns`], { detached: true, stdio: 'ignore' });
  dns.unref();
  writeFileSync(join(LAB_DIR, 'dns.pid'), String(dns.pid));

  const conf = join(LAB_DIR, 'nginx', 'nginx.conf');
  mkdirSync(dirname(conf), { recursive: true });
  writeFileSync(conf, nginxConfig(pki, certServers));
  inNs(NS.server, 'nginx', ['-e', join(LAB_DIR, 'nginx', 'error.log'), '-c', conf]);

  const caddyDir = join(LAB_DIR, 'caddy');
  mkdirSync(join(caddyDir, 'data'), { recursive: true });
  writeFileSync(join(caddyDir, 'Caddyfile'), caddyConfig(pki));
  const caddy = spawn('ip', ['netns', 'exec', NS.server, 'env', `HOME=${caddyDir}`, `XDG_DATA_HOME=${caddyDir}`, `XDG_CONFIG_HOME=${caddyDir}`,
    'caddy', 'run', '--adapter', 'caddyfile', '--config', join(caddyDir, 'Caddyfile')], { detached: true, stdio: ['ignore', 'ignore', openSync(join(caddyDir, 'caddy.log'), 'w')] });
  caddy.unref();
  writeFileSync(join(LAB_DIR, 'caddy.pid'), String(caddy.pid));

  const hostile = SCENARIOS.filter((s) => s.kind === 'hostile').map((s) => `${s.v4}=${s.behaviour.replace('{pki}', join(LAB_DIR, 'pki'))}`);
  const child = spawn('ip', ['netns', 'exec', NS.server, process.execPath, join(ROOT, 'lab', 'hostile.mjs'), ...hostile, '9001=websocket'], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  writeFileSync(join(LAB_DIR, 'hostile.pid'), String(child.pid));
  waitForListeners();
  warmPaths();
  writeFileSync(join(LAB_DIR, 'up'), new Date().toISOString());
}

/**
 * The certificate cases (lab/cert-cases.mjs), made afresh at each start from the lab PKI and
 * written to cert-cases/cases.json for the tests; returns the nginx servers of those served.
 */
function makeLabCertCases(pki) {
  const dir = join(LAB_DIR, 'cert-cases');
  rmSync(dir, { recursive: true, force: true });
  const cases = makeCertCases(dir, pki);
  writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases, null, 2) + '\n');
  return certCaseServers(cases);
}

/** The certificate cases the running lab serves, as makeCertCases returned them. */
export function labCertCases() {
  return JSON.parse(readFileSync(join(LAB_DIR, 'cert-cases', 'cases.json'), 'utf8'));
}

/**
 * Connects once through the middlebox to each nginx address, IPv4 and IPv6, so that neighbour
 * discovery is done before any test measures a connect (a fresh IPv6 path can take seconds).
 * Bounded: 20 tries of 0.5 s per address.
 */
function warmPaths() {
  const addrs = [...new Set(SCENARIOS.filter((s) => s.kind === 'nginx').flatMap((s) => [s.v4, s.v6].filter(Boolean)))];
  const script = `
    const net = require('net');
    const one = (a) => new Promise((res) => { let n = 0; const go = () => { const s = net.connect({ host: a, port: 443, timeout: 500 });
      s.once('connect', () => { s.destroy(); res(true); });
      const retry = () => { s.destroy(); if (++n >= 20) res(false); else setTimeout(go, 50); };
      s.once('timeout', retry); s.once('error', retry); }; go(); });
    Promise.all(${JSON.stringify(addrs)}.map(one)).then((ok) => process.exit(ok.every(Boolean) ? 0 : 1));`;
  execFileSync('ip', ['netns', 'exec', NS.client, process.execPath, '-e', script], { stdio: 'ignore', timeout: 30_000 });
}

/** Waits (bounded) until the Node servers in the server namespace listen. */
function waitForListeners() {
  const want = SCENARIOS.filter((s) => s.kind === 'hostile' || s.kind === 'caddy').map((s) => `${s.v4}:443`);
  const wantUdp = SCENARIOS.filter((s) => s.kind === 'caddy').map((s) => `${s.v4}:443`);
  for (let i = 0; i < 100; i++) {
    const ss = inNs(NS.server, 'ss', ['-ltn']);
    const serverUdp = inNs(NS.server, 'ss', ['-lun']);
    const udp = inNs(NS.mbox, 'ss', ['-lun']);
    if (want.every((w) => ss.includes(w)) && wantUdp.every((w) => serverUdp.includes(w)) && ss.includes('127.0.0.1:9001') && udp.includes(`${NET.mboxClientV4}:53`)) return;
    sh('sleep', ['0.1']);
  }
  throw new Error(`lab: the Node servers and Caddy in the server namespace did not start listening within 10 s (Caddy's log: ${join(LAB_DIR, 'caddy', 'caddy.log')})`);
}

export function labDown({ keepLock = false } = {}) {
  for (const name of ['hostile.pid', 'dns.pid', 'caddy.pid']) {
    const pidFile = join(LAB_DIR, name);
    if (!existsSync(pidFile)) continue;
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
    } catch {}
    rmSync(pidFile, { force: true });
  }
  const ngPid = join(LAB_DIR, 'nginx', 'nginx.pid');
  if (existsSync(ngPid)) {
    try {
      process.kill(Number(readFileSync(ngPid, 'utf8')), 'SIGTERM');
    } catch {}
  }
  // Anything still running in the namespaces (nginx workers, servers, captures) ends with them.
  for (const ns of Object.values(NS)) {
    try {
      const pids = sh('ip', ['netns', 'pids', ns]).split('\n').filter(Boolean);
      for (const p of pids) {
        try {
          process.kill(Number(p), 'SIGKILL');
        } catch {}
      }
    } catch {}
    try {
      sh('ip', ['netns', 'del', ns]);
    } catch {}
  }
  rmSync(HOSTS_DIR, { recursive: true, force: true });
  rmSync(join(LAB_DIR, 'up'), { force: true });
  if (!keepLock) releaseLock();
}

/**
 * Sets the client link's MTU. Below 1280 the kernel drops the link's IPv6 addresses, so going
 * back up restores them and the IPv6 default route.
 */
export function setClientMtu(mtu) {
  inNs(NS.client, 'ip', ['link', 'set', 'c0', 'mtu', String(mtu)]);
  if (mtu >= 1280) {
    inNs(NS.client, 'ip', ['-6', 'addr', 'replace', `${NET.clientV6}/64`, 'dev', 'c0', 'nodad']);
    inNs(NS.client, 'ip', ['-6', 'route', 'replace', 'default', 'via', NET.mboxClientV6]);
  }
}

/**
 * Makes the client forget the path MTUs it has learnt (from ICMP "fragmentation needed" and
 * ICMPv6 "packet too big", which it keeps for ten minutes), so that its next connection meets a
 * narrow path afresh and the ICMP comes back again.
 */
export function forgetPathMtu() {
  inNs(NS.client, 'ip', ['-4', 'route', 'flush', 'cache']);
  inNs(NS.client, 'ip', ['-6', 'route', 'flush', 'cache']);
}

/**
 * Adds (`on`) or removes firewall rules in the client namespace: the client host's own firewall,
 * behind which the path may answer correctly and the client still never hears it (an ICMP
 * "fragmentation needed" or "packet too big" dropped on INPUT). Each rule is
 * `{ family: 4 | 6, chain, rule: [match and target arguments] }`, appended with `-A` and deleted
 * with `-D` and the same arguments, so rules that were there before stay as they were. Removing
 * goes on past a rule that is not there (a recording that failed half-way through adding them).
 */
export function clientFirewall(rules, on) {
  for (const r of on ? rules : [...rules].reverse()) {
    const tool = r.family === 6 ? 'ip6tables' : 'iptables';
    try {
      inNs(NS.client, tool, [on ? '-A' : '-D', r.chain ?? 'INPUT', ...r.rule]);
    } catch (e) {
      if (on) throw e;
    }
  }
}

/**
 * Segmentation offload on the client link: off, the client's packets are the wire's segments.
 * Receive offload stays on: libpcap sizes its capture ring by the MTU when a link has no offload
 * at all, and would cut the server's larger forwarded frames short.
 */
export function setClientOffload(on) {
  inNs(NS.client, 'ethtool', ['-K', 'c0', 'tso', on ? 'on' : 'off', 'gso', on ? 'on' : 'off', 'gro', 'on']);
}

/** Runs a command in the client namespace (it sees the lab's hosts file). */
export function inClient(cmd, args, opts = {}) {
  return execFileSync('ip', ['netns', 'exec', NS.client, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

export function labPaths() {
  return { pki: join(LAB_DIR, 'pki'), root: join(LAB_DIR, 'pki', 'root.crt') };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cmd = process.argv[2];
  if (cmd === 'up') {
    const why = labUnavailable();
    if (why) {
      console.error(`lab: cannot start: ${why}`);
      process.exit(2);
    }
    labUp();
    console.log(`lab is up: client namespace ${NS.client}; try: ip netns exec ${NS.client} curl --cacert ${labPaths().root} https://good.lab.test/`);
  } else if (cmd === 'down') {
    labDown();
    console.log('lab is down');
  } else if (cmd === 'status') {
    console.log(`${labIsUp() ? 'up' : 'down'}: namespaces ${Object.values(NS).join(', ')}`);
  } else {
    console.error('usage: node lab/lab.mjs up|down|status');
    process.exit(2);
  }
}
