// Re-records the capture fixtures in fixtures/ with real clients against the lab's servers,
// under tcpdump and dumpcap in the client namespace. Each capture gets a sidecar NAME.json
// naming the scenario, how it was recorded, and the diagnosis tlsdoctor must give.
//
// Usage: npm run fixtures [-- NAME ...]   (root and network namespaces needed)
// Also the Chrome NetLogs of fixtures/netlog/ (lab/record-netlogs.mjs), named netlog/NAME.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeOddCertificates } from './odd-certs.mjs';
import { clientFirewall, forgetPathMtu, labDown, labUnavailable, labUp, labPaths, setClientMtu, setClientOffload, NS, LAB_DIR } from './lab.mjs';
import { SCENARIOS } from './scenarios.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'fixtures');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function version(cmd, args) {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString().split('\n')[0].trim();
  } catch (e) {
    return String(e.stdout ?? '').split('\n')[0].trim();
  }
}

/** Starts a capture in the client namespace and resolves once it is listening. */
export async function startCapture(file, tool, iface, extra, filter = 'tcp or icmp or icmp6') {
  const args = tool === 'dumpcap'
    ? ['netns', 'exec', NS.client, 'dumpcap', '-q', '-i', iface, '-f', filter, '-w', file, ...extra]
    : ['netns', 'exec', NS.client, 'tcpdump', '--immediate-mode', '-U', '-n', '-i', iface, '-w', file, ...extra, filter];
  const p = spawn('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${tool} did not start: ${err}`)), 10_000);
    p.stderr.on('data', (d) => {
      err += d;
      if (/listening on|Capturing on/.test(err)) {
        clearTimeout(t);
        // dumpcap says so a moment before its capture is live.
        setTimeout(resolve, tool === 'dumpcap' ? 500 : 0);
      }
    });
    p.on('exit', (code) => reject(new Error(`${tool} exited ${code}: ${err}`)));
  });
  return async () => {
    await sleep(300);
    p.kill('SIGINT');
    await new Promise((r) => p.on('exit', r));
  };
}

/** Runs a client in the client namespace; failures are the point of most scenarios. */
function client(cmd, args, input) {
  try {
    execFileSync('ip', ['netns', 'exec', NS.client, cmd, ...args], { input: input ?? '', stdio: ['pipe', 'pipe', 'pipe'], timeout: 15_000 });
  } catch {
    /* the failing handshake is what we record */
  }
}

/** An openssl s_server in the server namespace for one connection. */
async function withServer(args, fn) {
  const p = spawn('ip', ['netns', 'exec', NS.server, 'openssl', 's_server', '-naccept', '1', '-quiet', ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  // s_server prints nothing reliable when ready; wait until the port listens (bounded).
  const port = args[args.indexOf('-accept') + 1].split(':').pop();
  for (let i = 0; i < 50; i++) {
    const ss = execFileSync('ip', ['netns', 'exec', NS.server, 'ss', '-ltn']).toString();
    if (ss.includes(`:${port} `)) break;
    await sleep(100);
  }
  try {
    await fn();
  } finally {
    p.kill('SIGKILL');
  }
}

const pki = () => labPaths();
let odd;
/** The odd certificates, made once per run under .lab/. */
const oddCerts = () => {
  if (!odd) {
    const dir = join(LAB_DIR, 'odd-certs');
    mkdirSync(dir, { recursive: true });
    odd = makeOddCertificates(dir);
  }
  return odd;
};
/** A scenario's address of one family (4 or 6). */
function addressOf(host, family) {
  const s = SCENARIOS.find((x) => x.host === host);
  const a = family === 6 ? s?.v6 : s?.v4;
  if (!a) throw new Error(`fixtures: ${host} has no IPv${family} address in lab/scenarios.mjs`);
  return a;
}
const leaf = (n) => ({ cert: join(LAB_DIR, 'pki', `${n}.crt`), key: join(LAB_DIR, 'pki', `${n}.key`), chain: join(LAB_DIR, 'pki', 'intermediate.crt') });
const curl = (host, extra = []) => client('curl', ['-sS', '-m', '4', '--cacert', pki().root, ...extra, `https://${host}/`]);
/** curl presenting the lab leaf `name` as its client certificate (its chain file: leaf and intermediate), with a key log when `keys` is given. */
const curlWithCert = (name, extra, url, keys) => {
  const c = { chain: join(LAB_DIR, 'pki', `${name}.chain.crt`), key: join(LAB_DIR, 'pki', `${name}.key`) };
  return client('env', [...(keys ? [`SSLKEYLOGFILE=${keys}`] : []), 'curl', '-sS', '-m', '4', '--cacert', pki().root, '--cert', c.chain, '--key', c.key, ...extra, url]);
};

/**
 * Debian's Chromium, headless, in the client namespace: it sends the X25519MLKEM768 hello of
 * today's browsers. It trusts the lab CA through a throwaway NSS database (its HOME), and its
 * background networking is off so that it talks to the lab only. `ms` bounds its run: against a
 * black hole it would wait far longer. `pin`, an address, makes it connect there (the URL's name
 * still goes in the SNI): where a host has both families Chromium takes IPv6 first. `netlog`,
 * `{ file, mode, stopAfter }`, makes it write a Chrome NetLog in that capture mode; `stopAfter`
 * (ms) has it stop the navigation itself then (--timeout), a clean exit that closes the file.
 */
export async function chromium(url, ms = 8000, keylog, trustLab = true, quicHost = undefined, pin = undefined, netlog = undefined) {
  const home = mkdtempSync(join(tmpdir(), 'td-chromium-'));
  try {
    const db = `sql:${join(home, '.pki', 'nssdb')}`;
    mkdirSync(join(home, '.pki', 'nssdb'), { recursive: true });
    execFileSync('certutil', ['-N', '--empty-password', '-d', db]);
    if (trustLab) execFileSync('certutil', ['-A', '-d', db, '-t', 'C,,', '-n', 'tlsdoctor-lab', '-i', labPaths().root]);
    const p = spawn('ip', ['netns', 'exec', NS.client, 'env', `HOME=${home}`, 'chromium', '--headless=new', '--no-sandbox', '--disable-gpu',
      // QUIC only where a recording asks for it, and then at once (no wait for Alt-Svc).
      ...(quicHost ? ['--enable-quic', `--origin-to-force-quic-on=${quicHost}:443`] : ['--disable-quic']),
      ...(pin ? [`--host-resolver-rules=MAP ${new URL(url).hostname} ${pin.includes(':') ? `[${pin}]` : pin}`] : []),
      '--no-first-run', '--disable-background-networking', '--disable-component-update', '--no-pings', '--dns-prefetch-disable', '--disable-sync',
      `--user-data-dir=${join(home, 'profile')}`, ...(keylog ? [`--ssl-key-log-file=${keylog}`] : []),
      ...(netlog ? [`--log-net-log=${netlog.file}`, `--net-log-capture-mode=${netlog.mode ?? 'Default'}`, ...(netlog.stopAfter ? [`--timeout=${netlog.stopAfter}`] : [])] : []), '--dump-dom', url], { stdio: 'ignore' });
    const exited = new Promise((r) => p.on('exit', r));
    // A NetLog is written as it goes and closed (its final `]}` and polled data) on a clean
    // exit: a recording that keeps one asks Chromium to stop (SIGTERM) at `ms` if --timeout has
    // not ended it, and kills it 2 s later. The others kill it outright, as their captures were
    // recorded.
    let hard;
    const timer = setTimeout(() => {
      if (!netlog) return p.kill('SIGKILL');
      p.kill('SIGTERM');
      hard = setTimeout(() => p.kill('SIGKILL'), 2000);
    }, ms);
    await exited;
    clearTimeout(timer);
    clearTimeout(hard);
    // Its renderer and network processes share the namespace; none may outlive the recording.
    try {
      execFileSync('pkill', ['-KILL', '-f', `user-data-dir=${join(home, 'profile')}`]);
    } catch {}
    // Sockets it left with unacknowledged data (a black hole's) go on retransmitting after it
    // dies, into the next recording: close every TCP socket of the client namespace (its UDP
    // sockets died with it).
    try {
      execFileSync('ip', ['netns', 'exec', NS.client, 'ss', '-K', '-t'], { stdio: 'ignore' });
    } catch {}
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
const CHROMIUM = version('chromium', ['--version']);

const CURL = version('curl', ['--version']);

/** Clients that write their TLS secrets to a key log (NSS format) while they fail. */
// `untrusted`: the client is not given the lab's CA (a chain it cannot anchor).
export const KEYLOG_CLIENTS = {
  curl: (host, keylog, untrusted = false) => client('env', [`SSLKEYLOGFILE=${keylog}`, 'curl', '-sS', '-m', '4', ...(untrusted ? [] : ['--cacert', labPaths().root]), `https://${host}/`]),
  node: (host, keylog, untrusted = false) => client(process.execPath, ['--tls-keylog', keylog, '-e',
    `const t=require('tls');const s=t.connect({host:${JSON.stringify(host)},port:443,servername:${JSON.stringify(host)},${untrusted ? '' : `ca:require('fs').readFileSync(${JSON.stringify(labPaths().root)}),`}minVersion:'TLSv1.3'},()=>s.end());s.on('error',()=>{});s.resume();setTimeout(()=>process.exit(0),3000).unref()`]),
  chromium: (host, keylog, untrusted = false) => chromium(`https://${host}/`, 6000, keylog, !untrusted),
};
const OPENSSL = version('openssl', ['version']);
const NODE = process.version;

/**
 * name, what it shows, how it is captured, the client, the expected primary diagnosis.
 * `clientFirewall`: rules of the client host's firewall for this recording only (lab.mjs
 * clientFirewall), written into the sidecar. `gap`: what tlsdoctor says today where that is not
 * yet `expect` (a known gap, with why); the tests hold it to that until the gap is closed.
 */
export const RECORDINGS = [
  { name: 'handshake-ok-curl-tls13', scenario: 'good.lab.test', client: CURL, expect: 'HANDSHAKE_OK', run: () => curl('good.lab.test') },
  { name: 'sni-reset', scenario: 'blocked.lab.test', client: CURL, expect: 'RESET_AFTER_CLIENT_HELLO',
    note: 'iptables string match on the SNI in the middlebox answers the ClientHello with a TCP reset', run: () => curl('blocked.lab.test') },
  { name: 'plaintext-http-on-443', scenario: 'plain.lab.test', client: CURL, expect: 'PLAINTEXT_HTTP_ON_TLS_PORT',
    note: 'nginx `listen 443;` without `ssl`', run: () => curl('plain.lab.test') },
  { name: 'curl-http-to-tls-port', scenario: 'good.lab.test', client: CURL, expect: 'HTTP_TO_TLS_PORT',
    note: 'curl http://good.lab.test:443/: plain HTTP where a ClientHello belongs; nginx answers 400 with its page "The plain HTTP request was sent to HTTPS port" and closes',
    run: () => client('curl', ['-sS', '-m', '4', 'http://good.lab.test:443/']) },
  // A 4-tuple the server still holds (the client forgot it: a reboot, a NAT that reused the port):
  // the server answers the new SYN with a challenge ACK for the old connection (RFC 5961 4.2), the
  // client resets it (RFC 793: an unacceptable ACK in SYN-SENT), and its SYN, sent again with the
  // same ISN after its retransmission timeout, opens the connection.
  { name: 'curl-syn-challenge-ack', scenario: 'good.lab.test', client: CURL, expect: 'HANDSHAKE_OK', also: ['TCP_STALE_CONNECTION'],
    note: 'before the capture, a connection from one client port to nginx is opened and forgotten by the client (its socket destroyed while an iptables OUTPUT rule drops what it sends, so nginx keeps it ESTABLISHED); curl --local-port with that port then connects: nginx answers its SYN with a challenge ACK, the client resets, and its SYN, sent again at once (Linux does so after such a reset), is answered',
    prepare: () => staleConnection(STALE_PORT, addressOf('good.lab.test', 4)),
    run: () => curl('good.lab.test', ['-4', '--local-port', String(STALE_PORT)]) },
  { name: 'tls10-only-server', scenario: 'tls10.lab.test', client: CURL, expect: 'PROTOCOL_VERSION_MISMATCH', also: ['DEPRECATED_PROTOCOL'], run: () => curl('tls10.lab.test') },
  { name: 'tls13-only-vs-tls12-client', scenario: 'tls13.lab.test', client: OPENSSL, expect: 'PROTOCOL_VERSION_MISMATCH',
    run: () => client('openssl', ['s_client', '-tls1_2', '-connect', 'tls13.lab.test:443', '-servername', 'tls13.lab.test']) },
  { name: 'cert-expired-tls12', scenario: 'expired.lab.test', client: CURL, expect: 'CERT_EXPIRED', run: () => curl('expired.lab.test') },
  { name: 'cert-expired-tls13', scenario: 'expired13.lab.test', client: CURL, expect: 'CERT_EXPIRED',
    note: 'TLS 1.3 encrypts the certificate, but OpenSSL clients send their certificate_expired alert before switching to handshake keys, so the alert is readable', run: () => curl('expired13.lab.test') },
  { name: 'cert-wrong-name', scenario: 'wrongname.lab.test', client: CURL, expect: 'CERT_HOSTNAME_MISMATCH', run: () => curl('wrongname.lab.test') },
  { name: 'cert-expired-wrong-name', scenario: 'expiredwrong.lab.test', client: CURL, expect: 'CERT_HOSTNAME_MISMATCH', also: ['CERT_EXPIRED'],
    note: 'one leaf with two faults: expired, and issued for other.example.test', run: () => curl('expiredwrong.lab.test') },
  { name: 'cert-self-signed', scenario: 'selfsigned.lab.test', client: CURL, expect: 'CERT_SELF_SIGNED', run: () => curl('selfsigned.lab.test') },
  { name: 'cert-missing-intermediate', scenario: 'nochain.lab.test', client: CURL, expect: 'CERT_CHAIN_INCOMPLETE', run: () => curl('nochain.lab.test') },
  { name: 'cert-not-yet-valid', scenario: 'future.lab.test', client: CURL, expect: 'CERT_NOT_YET_VALID', run: () => curl('future.lab.test') },
  { name: 'cert-untrusted', scenario: 'good.lab.test', client: CURL, expect: 'CERT_UNTRUSTED',
    note: 'curl without the lab CA: the chain is complete but its root is unknown to the client (alert unknown_ca)',
    run: () => client('curl', ['-sS', '-m', '4', '--tlsv1.2', '--tls-max', '1.2', 'https://good.lab.test/']) },
  { name: 'client-aborted-tls13', scenario: 'tls13.lab.test', client: `node ${NODE} (lab/raw-client.mjs abort-after-flight)`, expect: 'CLIENT_ABORTED',
    note: 'a TLS 1.3 client that reads the server flight, sends one encrypted-alert-sized record and closes, as browsers do when they reject a certificate',
    run: () => client(process.execPath, [join(ROOT, 'lab', 'raw-client.mjs'), 'abort-after-flight', 'tls13.lab.test']) },
  { name: 'tls-alert-decode-error', scenario: 'good.lab.test', client: `node ${NODE} (lab/raw-client.mjs malformed-hello)`, expect: 'TLS_ALERT',
    note: 'a ClientHello with a malformed supported_versions extension: nginx (OpenSSL) answers decode_error',
    run: () => client(process.execPath, [join(ROOT, 'lab', 'raw-client.mjs'), 'malformed-hello', 'good.lab.test']) },
  { name: 'alpn-http11-vs-h2-only', scenario: 'h2only.lab.test', client: CURL, expect: 'ALPN_MISMATCH',
    note: 'curl --http1.1 offers ALPN http/1.1 alone; the HTTP/2-only server (Node, as gRPC servers are) answers no_application_protocol (120)',
    run: () => curl('h2only.lab.test', ['--http1.1']) },
  { name: 'syn-timeout', scenario: 'closed.lab.test', client: CURL, expect: 'TCP_TIMEOUT',
    note: 'iptables DROP in the middlebox: a security group that never opened 443', run: () => curl('closed.lab.test') },
  { name: 'icmp-unreachable', scenario: 'rejected.lab.test', client: CURL, expect: 'TCP_UNREACHABLE', run: () => curl('rejected.lab.test') },
  { name: 'icmp-filtered-out', scenario: 'rejected.lab.test', client: CURL, expect: 'CAPTURE_PARTIAL', filter: 'tcp port 443 or tcp port 80',
    note: 'the capture filter keeps TCP only, as `tcpdump port 443` does: the ICMP admin-prohibited that ended the connection is not in the file; a plain-HTTP request 1.5 s later keeps the capture going',
    run: async () => {
      curl('rejected.lab.test');
      await sleep(1500);
      client('curl', ['-sS', '-m', '4', 'http://good.lab.test/']);
    } },
  { name: 'syn-refused', scenario: 'refused.lab.test', client: CURL, expect: 'TCP_REFUSED', run: () => curl('refused.lab.test') },
  { name: 'silent-server', scenario: 'silent.lab.test', client: CURL, expect: 'NO_SERVER_HELLO', run: () => curl('silent.lab.test', ['-m', '2']) },
  { name: 'garbage-server', scenario: 'garbage.lab.test', client: CURL, expect: 'NOT_TLS', run: () => curl('garbage.lab.test') },
  { name: 'no-shared-cipher', scenario: 'weakcipher.lab.test', client: OPENSSL, expect: 'NO_SHARED_CIPHER',
    run: () => client('openssl', ['s_client', '-tls1_2', '-cipher', 'ECDHE-ECDSA-AES256-GCM-SHA384', '-connect', 'weakcipher.lab.test:443', '-servername', 'weakcipher.lab.test']) },
  // Today's browser hello: X25519MLKEM768, about 1.8 kB, two TCP segments.
  { name: 'chromium-handshake-ok', scenario: 'good.lab.test', client: CHROMIUM, expect: 'HANDSHAKE_OK',
    note: 'headless Chromium (post-quantum X25519MLKEM768 key share): the ClientHello spans two TCP segments, the first full-size, and is answered',
    run: () => chromium('https://good.lab.test/') },
  { name: 'chromium-mtu-blackhole', scenario: 'blackhole.lab.test', client: CHROMIUM, expect: 'MTU_BLACKHOLE',
    note: 'the middlebox drops packets over 1,000 bytes toward the server, without ICMP: the hello\'s full-size first segment is retransmitted unacknowledged while the server SACKs the second',
    run: () => chromium('https://blackhole.lab.test/', 6000, undefined, true, undefined, addressOf('blackhole.lab.test', 4)) },
  { name: 'chromium-mtu-blackhole-ipv6', scenario: 'blackhole.lab.test', client: CHROMIUM, expect: 'MTU_BLACKHOLE', icmp: [],
    note: 'IPv6: the middlebox drops packets over 1,000 bytes toward the server (ip6tables), without ICMPv6 "packet too big": the hello\'s full-size first segment (1,428 bytes of TCP payload) is retransmitted unacknowledged while the server SACKs the second; no ICMPv6 error is in the capture',
    run: () => chromium('https://blackhole.lab.test/', 6000, undefined, true, undefined, addressOf('blackhole.lab.test', 6)) },
  // The same narrow path where the middlebox says so (a route with a small MTU): path-MTU
  // discovery works, the client resends smaller and the handshake completes. `freshPath`: the
  // client forgets what earlier connections taught it, so that the ICMP comes back in this one.
  { name: 'chromium-frag-needed-handshake-ok', scenario: 'ptb.lab.test', client: CHROMIUM, expect: 'HANDSHAKE_OK', freshPath: true,
    icmp: [{ protocol: 'ICMP', type: 3, code: 4, mtu: 1000 }],
    note: 'the middlebox\'s route toward the server has MTU 1000: it answers the hello\'s 1,500-byte first segment with ICMP "fragmentation needed" (type 3 code 4, next-hop MTU 1000); the client resends the hello in 948-byte segments and the handshake completes (path-MTU discovery working). A connection Chromium opens after the ICMP announces MSS 960, from the lowered path MTU; server frames larger than that are packets of the server\'s segmentation offload, which cross the lab\'s veths uncut (tlsdoctor warns so)',
    run: () => chromium('https://ptb.lab.test/', 8000, undefined, true, undefined, addressOf('ptb.lab.test', 4)) },
  { name: 'chromium-packet-too-big-ipv6-handshake-ok', scenario: 'ptb.lab.test', client: CHROMIUM, expect: 'HANDSHAKE_OK', freshPath: true,
    icmp: [{ protocol: 'ICMPv6', type: 2, code: 0, mtu: 1280 }],
    note: 'IPv6: the middlebox\'s route toward the server has MTU 1280 (IPv6\'s minimum): it answers the hello\'s 1,500-byte first segment with ICMPv6 "packet too big" (type 2, MTU 1280); the client resends the hello in 1,208-byte segments and the handshake completes (path-MTU discovery working). A connection Chromium opens after the ICMP announces MSS 1220, from the lowered path MTU; server frames larger than that are packets of the server\'s segmentation offload, which cross the lab\'s veths uncut (tlsdoctor warns so)',
    run: () => chromium('https://ptb.lab.test/', 8000, undefined, true, undefined, addressOf('ptb.lab.test', 6)) },
  // The same narrow path answering, and a client that never hears it: its host firewall drops
  // the ICMP on INPUT (a rule that drops all ICMP, or a policy that forgot these types), for this
  // recording only. tcpdump on c0 sees the ICMP arrive; TCP never learns the smaller MTU, resends
  // the full-size segment, and the handshake hangs as in the black hole: MTU_BLACKHOLE with the
  // ICMP in the capture.
  { name: 'chromium-mtu-blackhole-ptb-dropped-ipv6', scenario: 'ptb.lab.test', client: CHROMIUM, expect: 'MTU_BLACKHOLE', freshPath: true,
    clientFirewall: [{ family: 6, chain: 'INPUT', rule: ['-p', 'icmpv6', '--icmpv6-type', 'packet-too-big', '-j', 'DROP'] }],
    icmp: [{ protocol: 'ICMPv6', type: 2, code: 0, mtu: 1280 }],
    note: 'IPv6: the middlebox\'s route toward the server has MTU 1280 and it answers each of the hello\'s 1,500-byte first segments with ICMPv6 "packet too big" (type 2, MTU 1280), which reach the client\'s interface (they are in the capture) but its host firewall drops them (ip6tables -A INPUT -p icmpv6 --icmpv6-type packet-too-big -j DROP, for this recording only): the client never lowers its path MTU, resends the full-size segment (1,428 bytes of TCP payload) unacknowledged while the server SACKs the second, and the handshake never completes',
    run: () => chromium('https://ptb.lab.test/', 6000, undefined, true, undefined, addressOf('ptb.lab.test', 6)) },
  { name: 'chromium-mtu-blackhole-frag-needed-dropped', scenario: 'ptb.lab.test', client: CHROMIUM, expect: 'MTU_BLACKHOLE', freshPath: true,
    clientFirewall: [{ family: 4, chain: 'INPUT', rule: ['-p', 'icmp', '--icmp-type', 'fragmentation-needed', '-j', 'DROP'] }],
    icmp: [{ protocol: 'ICMP', type: 3, code: 4, mtu: 1000 }],
    note: 'IPv4: the middlebox\'s route toward the server has MTU 1000 and it answers each of the hello\'s 1,500-byte first segments with ICMP "fragmentation needed" (type 3 code 4, next-hop MTU 1000), which reach the client\'s interface (they are in the capture) but its host firewall drops them (iptables -A INPUT -p icmp --icmp-type fragmentation-needed -j DROP, for this recording only): the client never lowers its path MTU, resends the full-size segment (1,448 bytes of TCP payload) unacknowledged while the server SACKs the second, and the handshake never completes',
    run: () => chromium('https://ptb.lab.test/', 6000, undefined, true, undefined, addressOf('ptb.lab.test', 4)) },
  { name: 'chromium-tso-handshake-ok', scenario: 'good.lab.test', client: CHROMIUM, expect: 'HANDSHAKE_OK', offload: true,
    note: 'segmentation offload left on for the client veth: the capture shows the ClientHello as one frame larger than the link MTU, as captures on a sending host do',
    run: () => chromium('https://good.lab.test/') },
  // HTTP/3 from today's browser: QUIC v1 Initials carrying a post-quantum ClientHello (two
  // Initial packets), against Caddy; then the same against a server whose UDP 443 is dropped on
  // the path while TCP 443 passes (curl's TCP handshake first, in the same capture).
  { name: 'chromium-h3-handshake-ok', scenario: 'h3.lab.test', client: CHROMIUM, expect: 'QUIC_HANDSHAKE_OK', filter: 'tcp or udp port 443 or icmp or icmp6',
    note: 'headless Chromium forced onto QUIC (--origin-to-force-quic-on) against Caddy\'s HTTP/3: Initials, Handshake and 1-RTT packets',
    run: () => chromium('https://h3.lab.test/', 6000, undefined, true, 'h3.lab.test') },
  { name: 'chromium-h3-udp-blocked', scenario: 'h3noudp.lab.test', client: `${CURL}, then ${CHROMIUM}`, expect: 'HANDSHAKE_OK', others: 'QUIC_NO_RESPONSE', filter: 'tcp or udp port 443 or icmp or icmp6',
    note: 'the middlebox drops UDP 443 toward the server and passes TCP 443: curl\'s TCP handshake is answered, Chromium\'s QUIC Initials (forced onto QUIC) are not',
    run: async () => {
      curl('h3noudp.lab.test');
      await sleep(100);
      await chromium('https://h3noudp.lab.test/', 4000, undefined, true, 'h3noudp.lab.test');
    } },
  { name: 'chromium-h3-no-listener', scenario: 'good.lab.test', client: CHROMIUM, expect: 'QUIC_NO_RESPONSE', filter: 'tcp or udp port 443 or icmp or icmp6',
    note: 'Chromium forced onto QUIC against nginx, which has no UDP listener: the server\'s kernel answers the Initial with ICMP port unreachable',
    run: () => chromium('https://good.lab.test/', 4000, undefined, true, 'good.lab.test') },
  { name: 'split-hello-rejected', scenario: 'onesegment.lab.test', client: `node ${NODE} (lab/raw-client.mjs split-hello), then ${CURL}`, expect: 'SPLIT_CLIENT_HELLO_REJECTED', also: ['RESET_AFTER_CLIENT_HELLO'], others: 'HANDSHAKE_OK',
    note: 'a front end that resets a ClientHello not whole in its first read: a hello sent as 40 bytes and then the rest is reset after the first segment; curl\'s hello in one segment, to the same server, is answered',
    run: async () => {
      client(process.execPath, [join(ROOT, 'lab', 'raw-client.mjs'), 'split-hello', 'onesegment.lab.test']);
      await sleep(200);
      curl('onesegment.lab.test');
    } },
  // TLS 1.3 with the client's key log beside the capture (fixtures/NAME.keys), and the same
  // capture with the secrets inside it (editcap --inject-secrets): the encrypted certificate,
  // CertificateRequest and alerts are read.
  { name: 'chromium-cert-expired-tls13', scenario: 'expired13.lab.test', client: CHROMIUM, expect: 'CERT_EXPIRED', keylog: 'chromium', withoutKeylog: 'CLIENT_ABORTED',
    note: 'Chromium rejects the expired leaf with an encrypted alert; its key log (--ssl-key-log-file) opens the certificate and the alert', host: 'expired13.lab.test' },
  { name: 'node-wrong-name-tls13', scenario: 'wrongname13.lab.test', client: `node ${NODE} (--tls-keylog)`, expect: 'CERT_HOSTNAME_MISMATCH', keylog: 'node', withoutKeylog: 'CLIENT_ABORTED', host: 'wrongname13.lab.test' },
  { name: 'curl-client-cert-required-tls13', scenario: 'mtls13.lab.test', client: CURL, expect: 'CLIENT_CERT_REQUIRED', keylog: 'curl', withoutKeylog: 'HANDSHAKE_OK',
    note: 'Node\'s TLS 1.3 server requires a client certificate: its CertificateRequest and curl\'s empty Certificate are encrypted; the key log opens them', host: 'mtls13.lab.test' },
  { name: 'curl-client-cert-required-nginx-tls13', scenario: 'mtls.lab.test', client: CURL, expect: 'CLIENT_CERT_REQUIRED', keylog: 'curl', withoutKeylog: 'HANDSHAKE_OK', inject: false,
    note: 'nginx ssl_verify_client on, TLS 1.3: the handshake completes after curl\'s empty Certificate, and nginx answers the request with 400 "No required SSL certificate was sent" in its first application record, which the key log opens (no -secrets.pcapng: it would hold the handshake secrets only)', host: 'mtls.lab.test' },
  { name: 'openssl-tls13-hello-retry-keylog', scenario: 'openssl s_server', client: `${OPENSSL} (-keylogfile)`, expect: 'HANDSHAKE_OK', keylog: 'openssl',
    note: 'a HelloRetryRequest, then the second ClientHello and the server\'s encrypted flight, opened with the client\'s key log; the session tickets after it (application keys) stay closed',
    run: (keys) => withServer(['-accept', '198.18.2.10:4433', '-cert', leaf('good').cert, '-key', leaf('good').key, '-cert_chain', leaf('good').chain, '-groups', 'X25519'],
      async () => client('openssl', ['s_client', '-tls1_3', '-groups', 'P-256:X25519', '-keylogfile', keys, '-connect', '198.18.2.10:4433', '-servername', 'good.lab.test', '-CAfile', labPaths().root], 'Q\n')) },
  // The same healthy handshake through each capture format and link type.
  { name: 'handshake-ok-pcapng', scenario: 'good.lab.test', tool: 'dumpcap', ext: 'pcapng', client: CURL, expect: 'HANDSHAKE_OK', run: () => curl('good.lab.test') },
  { name: 'handshake-ok-nano', scenario: 'good.lab.test', extra: ['--time-stamp-precision=nano'], client: CURL, expect: 'HANDSHAKE_OK', run: () => curl('good.lab.test') },
  { name: 'handshake-ok-sll', scenario: 'good.lab.test', iface: 'any', extra: ['-y', 'LINUX_SLL'], client: CURL, expect: 'HANDSHAKE_OK', run: () => curl('good.lab.test') },
  { name: 'handshake-ok-sll2', scenario: 'good.lab.test', iface: 'any', extra: ['-y', 'LINUX_SLL2'], client: CURL, expect: 'HANDSHAKE_OK', run: () => curl('good.lab.test') },
  { name: 'handshake-ok-ipv6', scenario: 'good.lab.test', client: CURL, expect: 'HANDSHAKE_OK', run: () => curl('good.lab.test', ['-6']) },
  { name: 'handshake-ok-small-mtu', scenario: 'good.lab.test', client: CURL, expect: 'HANDSHAKE_OK', mtu: 400,
    note: 'MTU 400 on the client veth: the ClientHello spans two TCP segments', run: () => curl('good.lab.test') },
  { name: 'handshake-ok-node', scenario: 'good.lab.test', client: `node ${NODE}`, expect: 'HANDSHAKE_OK',
    run: () => client(process.execPath, ['-e', `const t=require('tls');const s=t.connect({host:'good.lab.test',port:443,servername:'good.lab.test',ca:require('fs').readFileSync(${JSON.stringify(labPaths().root)}),ALPNProtocols:['h2','http/1.1']},()=>{s.end()});s.on('error',()=>{});setTimeout(()=>process.exit(0),3000).unref()`]) },
  // Codec fixtures: every version, a HelloRetryRequest, a ClientHello over several records.
  ...[['tls10', '-tls1'], ['tls11', '-tls1_1'], ['tls12', '-tls1_2']].map(([v, flag]) => ({
    name: `openssl-${v}-handshake`, scenario: 'openssl s_server', client: OPENSSL, expect: 'HANDSHAKE_OK', also: v === 'tls12' ? undefined : ['DEPRECATED_PROTOCOL'],
    run: () => withServer(['-accept', '198.18.2.10:4433', '-cert', leaf('good').cert, '-key', leaf('good').key, '-cert_chain', leaf('good').chain, flag, '-cipher', 'DEFAULT:@SECLEVEL=0'],
      async () => client('openssl', ['s_client', flag, '-cipher', 'DEFAULT:@SECLEVEL=0', '-connect', '198.18.2.10:4433', '-servername', 'good.lab.test', '-CAfile', labPaths().root], 'Q\n')),
  })),
  { name: 'openssl-tls12-client-auth', scenario: 'openssl s_server', client: OPENSSL, expect: 'HANDSHAKE_OK',
    note: 's_server -verify 1 asks for an optional client certificate (CertificateRequest in clear); the client sends none',
    run: () => withServer(['-accept', '198.18.2.10:4433', '-cert', leaf('good').cert, '-key', leaf('good').key, '-cert_chain', leaf('good').chain, '-tls1_2', '-verify', '1', '-CAfile', labPaths().root],
      async () => client('openssl', ['s_client', '-tls1_2', '-connect', '198.18.2.10:4433', '-servername', 'good.lab.test', '-CAfile', labPaths().root], 'Q\n')) },
  { name: 'client-cert-requested-nginx', scenario: 'mtls12.lab.test', client: CURL, expect: 'HANDSHAKE_OK', also: ['CLIENT_CERT_REQUESTED'],
    note: 'nginx ssl_verify_client on (TLS 1.2): CertificateRequest in clear, curl answers with an empty Certificate, the handshake completes and nginx answers 400 inside the encrypted stream',
    run: () => curl('mtls12.lab.test') },
  { name: 'client-cert-required-tls12', scenario: 'openssl s_server', client: OPENSSL, expect: 'CLIENT_CERT_REQUIRED',
    note: 's_server -Verify 1 requires a client certificate; the client has none and the server ends the handshake with an alert',
    run: () => withServer(['-accept', '198.18.2.10:4433', '-cert', leaf('good').cert, '-key', leaf('good').key, '-cert_chain', leaf('good').chain, '-tls1_2', '-Verify', '1', '-CAfile', labPaths().root],
      async () => client('openssl', ['s_client', '-tls1_2', '-connect', '198.18.2.10:4433', '-servername', 'good.lab.test', '-CAfile', labPaths().root], 'Q\n')) },
  // Mutual TLS with a certificate given: the lab's server leaf ("good", extendedKeyUsage
  // serverAuth only, as public CAs now issue them) presented as a client certificate, and the
  // lab's client certificate (clientAuth) as the near miss. curl sends the chain (leaf and
  // intermediate) from --cert; the servers trust the lab root for clients.
  { name: 'curl-client-cert-wrong-purpose-tls12', scenario: 'openssl s_server', client: CURL, expect: 'CERT_WRONG_PURPOSE', also: ['CLIENT_CERT_REJECTED'],
    note: 's_server -Verify 1 -verify_return_error (TLS 1.2) checks the client certificate\'s purpose as OpenSSL servers do and ends the handshake with unsupported_certificate (43), in clear after curl\'s Certificate, which holds a serverAuth-only leaf',
    run: () => withServer(['-accept', '198.18.2.10:4433', '-cert', leaf('good').cert, '-key', leaf('good').key, '-cert_chain', leaf('good').chain, '-tls1_2', '-Verify', '1', '-verify_return_error', '-CAfile', labPaths().root, '-www'],
      async () => curlWithCert('good', ['--tls-max', '1.2', '--resolve', 'good.lab.test:4433:198.18.2.10'], 'https://good.lab.test:4433/')) },
  { name: 'curl-client-cert-accepted-tls12', scenario: 'openssl s_server', client: CURL, expect: 'HANDSHAKE_OK', not: ['CERT_WRONG_PURPOSE', 'CLIENT_CERT_REJECTED'],
    note: 'the near miss of curl-client-cert-wrong-purpose-tls12: the same server, and a client certificate whose extendedKeyUsage is clientAuth; the handshake completes',
    run: () => withServer(['-accept', '198.18.2.10:4433', '-cert', leaf('good').cert, '-key', leaf('good').key, '-cert_chain', leaf('good').chain, '-tls1_2', '-Verify', '1', '-verify_return_error', '-CAfile', labPaths().root, '-www'],
      async () => curlWithCert('client', ['--tls-max', '1.2', '--resolve', 'good.lab.test:4433:198.18.2.10'], 'https://good.lab.test:4433/')) },
  { name: 'curl-client-cert-wrong-purpose-nginx-tls12', scenario: 'mtls12.lab.test', client: CURL, expect: 'CERT_WRONG_PURPOSE', also: ['HANDSHAKE_OK'],
    note: 'nginx ssl_verify_client on (TLS 1.2) completes the handshake with a serverAuth-only client certificate and refuses the request with 400 "The SSL certificate error" inside the encrypted stream, which a TLS 1.2 capture does not open: the wrong purpose is a warning, the refusal unseen',
    run: () => curlWithCert('good', [], 'https://mtls12.lab.test/') },
  { name: 'curl-client-cert-wrong-purpose-nginx-tls13', scenario: 'mtls.lab.test', client: CURL, expect: 'CERT_WRONG_PURPOSE', also: ['CLIENT_CERT_REJECTED'], keylog: 'curl', withoutKeylog: 'HANDSHAKE_OK', inject: false,
    note: 'nginx ssl_verify_client on, TLS 1.3: curl\'s Certificate (a serverAuth-only leaf) is opened with the key log, and nginx\'s first application record, 400 "The SSL certificate error", with its application secret (no -secrets.pcapng: it would hold the handshake secrets only)',
    run: (keys) => curlWithCert('good', ['--tlsv1.3'], 'https://mtls.lab.test/', keys) },
  { name: 'curl-client-cert-accepted-nginx-tls13', scenario: 'mtls.lab.test', client: CURL, expect: 'HANDSHAKE_OK', also: ['CLIENT_CERT_ACCEPTED'], not: ['CERT_WRONG_PURPOSE', 'CLIENT_CERT_REJECTED'], keylog: 'curl', withoutKeylog: 'HANDSHAKE_OK', inject: false,
    note: 'the near miss of curl-client-cert-wrong-purpose-nginx-tls13: a clientAuth certificate, which nginx takes (its first application record begins "HTTP/1.1 200 OK")',
    run: (keys) => curlWithCert('client', ['--tlsv1.3'], 'https://mtls.lab.test/', keys) },
  { name: 'openssl-tls13-hello-retry', scenario: 'openssl s_server', client: OPENSSL, expect: 'HANDSHAKE_OK',
    note: 'the client offers a P-256 key share; the server wants X25519 and sends a HelloRetryRequest',
    run: () => withServer(['-accept', '198.18.2.10:4433', '-cert', leaf('good').cert, '-key', leaf('good').key, '-cert_chain', leaf('good').chain, '-groups', 'X25519'],
      async () => client('openssl', ['s_client', '-tls1_3', '-groups', 'P-256:X25519', '-connect', '198.18.2.10:4433', '-servername', 'good.lab.test', '-CAfile', labPaths().root], 'Q\n')) },
  // Names most tools mangle: an empty subject and issuer; NUL bytes inside the CN, O and a
  // DNS name (a valid self-signed certificate: lab/odd-certs.mjs). TLS 1.2, so that they are in clear.
  { name: 'cert-empty-names', scenario: 'openssl s_server', client: OPENSSL, expect: 'CERT_SELF_SIGNED',
    note: 'a self-signed certificate with an empty subject and issuer',
    run: () => { const c = oddCerts().empty; return withServer(['-accept', '198.18.2.10:4433', '-cert', c.cert, '-key', c.key, '-tls1_2'],
      async () => client('openssl', ['s_client', '-connect', '198.18.2.10:4433', '-servername', 'good.lab.test'], 'Q\n')); } },
  { name: 'cert-nul-in-names', scenario: 'openssl s_server', client: OPENSSL, expect: 'CERT_SELF_SIGNED',
    note: 'a self-signed certificate whose CN, O and DNS name hold NUL bytes (CN=evil.lab.test\\0good.lab.test)',
    run: () => { const c = oddCerts().nul; return withServer(['-accept', '198.18.2.10:4433', '-cert', c.cert, '-key', c.key, '-tls1_2'],
      async () => client('openssl', ['s_client', '-connect', '198.18.2.10:4433', '-servername', 'good.lab.test'], 'Q\n')); } },
  { name: 'openssl-large-client-hello', scenario: 'openssl s_server', client: OPENSSL, expect: 'HANDSHAKE_OK',
    note: 'a 20 kB ALPN list makes the ClientHello span two TLS records and many TCP segments',
    run: () => withServer(['-accept', '198.18.2.10:4433', '-cert', leaf('good').cert, '-key', leaf('good').key],
      async () => client('openssl', ['s_client', '-alpn', Array.from({ length: 1500 }, (_, i) => `proto-${String(i).padStart(5, '0')}`).join(','), '-connect', '198.18.2.10:4433', '-servername', 'good.lab.test', '-CAfile', labPaths().root], 'Q\n')) },
];

/** A client port of its own per run: a run's stale connection outlives it by a minute on the server. */
const STALE_PORT = 41000 + Math.floor(Math.random() * 8000);

/**
 * Leaves the server holding a connection from `port` that the client has forgotten: opened, then
 * the client's socket destroyed while its host firewall drops what it sends (no FIN, no RST goes
 * out). nginx keeps such a connection until its handshake timeout (60 s).
 */
async function staleConnection(port, server) {
  const holder = spawn('ip', ['netns', 'exec', NS.client, process.execPath, '-e',
    `const s=require('net').connect({host:${JSON.stringify(server)},port:443,localPort:${port}},()=>console.log('open'));s.on('error',()=>{});setTimeout(()=>process.exit(0),20000)`], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error('fixtures: the stale connection did not open')), 5000);
    holder.stdout.on('data', () => (clearTimeout(t), res()));
  });
  const drop = [{ family: 4, chain: 'OUTPUT', rule: ['-p', 'tcp', '--sport', String(port), '-j', 'DROP'] }];
  clientFirewall(drop, true);
  try {
    execFileSync('ip', ['netns', 'exec', NS.client, 'ss', '-K', '-t', `sport = :${port}`], { stdio: 'ignore' });
    holder.kill('SIGKILL');
    await sleep(300);
  } finally {
    clientFirewall(drop, false);
  }
}

/** Records one capture into `outDir` with its sidecar; the lab must be up. Returns the file. */
export async function recordOne(r, outDir) {
  const ext = r.ext ?? 'pcap';
  const file = join(outDir, `${r.name}.${ext}`);
  if (r.mtu) setClientMtu(r.mtu);
  if (r.offload) setClientOffload(true);
  if (r.freshPath) forgetPathMtu();
  // What must be so before the capture starts (and stay out of it).
  if (r.prepare) await r.prepare();
  const tool = r.tool ?? 'tcpdump';
  const stop = await startCapture(file, tool, r.iface ?? 'c0', r.extra ?? [], r.filter);
  const keys = r.keylog ? `${file.replace(/\.pcap(ng)?$/, '')}.keys` : undefined;
  if (keys) rmSync(keys, { force: true });
  try {
    // The client host's firewall, for this recording only; tcpdump on c0 still sees what it drops.
    if (r.clientFirewall) clientFirewall(r.clientFirewall, true);
    if (r.keylog) await (r.run ? r.run(keys) : KEYLOG_CLIENTS[r.keylog](r.host, keys, r.untrusted));
    else await r.run();
  } finally {
    await stop();
    if (r.clientFirewall) clientFirewall(r.clientFirewall, false);
    if (r.mtu) setClientMtu(1500);
    if (r.offload) setClientOffload(false);
  }
  // How many TCP and QUIC connections the file holds, counted by tshark: a browser may open more than one.
  const count = (field, filter) => new Set(execFileSync('tshark', ['-r', file, '-Y', filter, '-T', 'fields', '-e', field], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\n').filter(Boolean)).size;
  const streams = count('tcp.stream', 'tcp') + count('quic.connection.number', 'quic');
  const icmp = r.icmp ? checkedIcmp(file, r) : undefined;
  const sidecar = {
    scenario: r.scenario,
    ...(streams > 1 ? { connections: streams } : {}),
    ...(icmp ? { icmp } : {}),
    ...(r.clientFirewall ? { clientFirewall: r.clientFirewall.map((f) => [f.family === 6 ? 'ip6tables' : 'iptables', '-A', f.chain ?? 'INPUT', ...f.rule].join(' ')) } : {}),
    ...(keys ? { keylog: keys.split('/').pop(), withoutKeylog: r.withoutKeylog ?? r.expect } : {}),
    note: r.note,
    client: r.client,
    capture: `${tool} ${version(tool, tool === 'tcpdump' ? ['--version'] : ['-v'])} on ${r.iface ?? 'c0'} in the client namespace${r.extra ? ` (${r.extra.join(' ')})` : ''}${r.filter ? `, filter '${r.filter}'` : ''}`,
    recorded: new Date().toISOString(),
    expect: { primary: r.expect, ...(r.also ? { also: r.also } : {}), ...(r.not ? { not: r.not } : {}), ...(r.others ? { others: r.others } : {}) },
    ...(r.gap ? { gap: r.gap } : {}),
  };
  writeFileSync(`${file}.json`, JSON.stringify(sidecar, null, 2) + '\n');
  if (keys && r.inject !== false) {
    // The same capture with the key log inside it, as Wireshark's users share them. Only the
    // handshake secrets go in: tshark, the oracle, then opens what tlsdoctor opens and no more.
    const injected = file.replace(/\.pcap(ng)?$/, '-secrets.pcapng');
    const handshakeOnly = `${keys}.handshake`;
    writeFileSync(handshakeOnly, readFileSync(keys, 'latin1').split('\n').filter((l) => /^(CLIENT|SERVER)_HANDSHAKE_TRAFFIC_SECRET /.test(l)).join('\n') + '\n');
    try {
      execFileSync('editcap', ['--inject-secrets', `tls,${handshakeOnly}`, file, injected], { stdio: 'ignore' });
    } finally {
      rmSync(handshakeOnly, { force: true });
    }
    const { keylog: _k, withoutKeylog: _w, ...rest } = sidecar;
    writeFileSync(`${injected}.json`, JSON.stringify({ ...rest, note: `${r.name}.pcap with the handshake secrets of its key log injected by editcap --inject-secrets (a Decryption Secrets Block)`, capture: `${sidecar.capture}; editcap --inject-secrets tls` }, null, 2) + '\n');
  }
  return file;
}

/**
 * The ICMP and ICMPv6 error messages in a capture (not echo, nor IPv6 neighbour discovery), as
 * tshark reads them: frame, sender, protocol, type, code and the MTU a "fragmentation needed" or
 * "packet too big" carries.
 */
export function icmpErrors(file) {
  const out = execFileSync('tshark', ['-r', file, '-n', '-Y', '(icmp && icmp.type in {3,4,5,11,12}) || (icmpv6 && icmpv6.type < 128)', '-T', 'fields', '-E', 'occurrence=f',
    '-e', 'frame.number', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'icmp.type', '-e', 'icmp.code', '-e', 'icmp.mtu', '-e', 'icmpv6.type', '-e', 'icmpv6.code', '-e', 'icmpv6.mtu'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  return out.split('\n').filter(Boolean).map((l) => {
    const [frame, src4, src6, t4, c4, m4, t6, c6, m6] = l.split('\t');
    const v6 = t6 !== '';
    const mtu = v6 ? m6 : m4;
    return { frame: Number(frame), from: v6 ? src6 : src4, protocol: v6 ? 'ICMPv6' : 'ICMP', type: Number(v6 ? t6 : t4), code: Number(v6 ? c6 : c4), ...(mtu ? { mtu: Number(mtu) } : {}) };
  });
}

/**
 * A recording that names the ICMP errors its capture must hold (none, for `icmp: []`): each kind
 * named at least once and no other. A capture that misses them is no fixture of what it claims
 * (a path MTU the client already knew, say), so the recording fails.
 */
function checkedIcmp(file, r) {
  const got = icmpErrors(file);
  const same = (a, b) => a.protocol === b.protocol && a.type === b.type && a.code === b.code && a.mtu === b.mtu;
  const show = (x) => `${x.protocol} type ${x.type} code ${x.code}${x.mtu ? ` MTU ${x.mtu}` : ''}`;
  const missing = r.icmp.filter((want) => !got.some((g) => same(g, want)));
  const extra = got.filter((g) => !r.icmp.some((want) => same(g, want)));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`fixtures: ${r.name}: the capture ${missing.length ? `lacks ${missing.map(show).join(', ')}` : ''}${missing.length && extra.length ? ' and ' : ''}${extra.length ? `holds ${extra.map((x) => `${show(x)} (frame ${x.frame})`).join(', ')}` : ''}`);
  }
  return got;
}

async function main() {
  const why = labUnavailable();
  if (why) {
    console.error(`fixtures: cannot record: ${why}`);
    process.exit(2);
  }
  const only = process.argv.slice(2);
  labUp();
  mkdirSync(OUT, { recursive: true });
  try {
    for (const r of RECORDINGS) {
      if (only.length > 0 && !only.includes(r.name)) continue;
      const file = await recordOne(r, OUT);
      console.log(`fixtures: ${r.name} (${statSync(file).size} bytes)`);
    }
    // The Chrome NetLogs in fixtures/netlog/ (lab/record-netlogs.mjs), named here netlog/NAME.
    const netlogs = only.filter((n) => n.startsWith('netlog/'));
    if (only.length === 0 || netlogs.length > 0) {
      const { recordNetlogFixtures } = await import('./record-netlogs.mjs');
      for (const w of await recordNetlogFixtures(netlogs)) console.log(`fixtures: netlog/${w.name}.json.gz (${w.bytes} bytes)`);
    }
    // One capture gzip-compressed, to show that compressed input reads the same.
    const src = join(OUT, 'sni-reset.pcap');
    if (existsSync(src) && (only.length === 0 || only.includes('sni-reset'))) {
      writeFileSync(join(OUT, 'sni-reset-gzip.pcap.gz'), gzipSync(readFileSync(src)));
      const side = JSON.parse(readFileSync(`${src}.json`, 'utf8'));
      side.note = 'sni-reset.pcap, gzip-compressed';
      writeFileSync(join(OUT, 'sni-reset-gzip.pcap.gz.json'), JSON.stringify(side, null, 2) + '\n');
    }
  } finally {
    if (!process.env.KEEP_LAB) labDown();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`fixtures: ${e.message}`);
    process.exit(1);
  });
}
