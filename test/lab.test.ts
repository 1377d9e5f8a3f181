// The lab: real nginx, Node and openssl servers behind an iptables middlebox, in network
// namespaces made for this run. Each scenario is probed live with `tlsdoctor probe`, and
// recorded with real clients under tcpdump and diagnosed with `tlsdoctor pcap`.
// Needs root: it skips, saying why, where namespaces cannot be made; CI runs it as root.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: the lab is plain ESM JavaScript, shared with `npm run lab` and `npm run fixtures`.
import { labDown, labUnavailable, labUp, labPaths, NS } from '../lab/lab.mjs';
// @ts-expect-error: plain ESM JavaScript.
import { SCENARIOS } from '../lab/scenarios.mjs';
// @ts-expect-error: plain ESM JavaScript.
import { RECORDINGS, recordOne } from '../lab/record-fixtures.mjs';
import { CLI, runCli } from './helpers/cli.js';
import { occurs } from './helpers/occurs.js';

const why: string | undefined = labUnavailable();
if (why) console.warn(`lab tests skipped: ${why}`);
if (why && process.env.CI) throw new Error(`lab tests must run in CI, but: ${why}`);

const HELLO_SHAPE_CODES = ['MTU_BLACKHOLE', 'SPLIT_CLIENT_HELLO_REJECTED', 'LARGE_CLIENT_HELLO_REJECTED'];

function commandExists(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

interface Scenario {
  host: string;
  kind: string;
  expect: { probe?: string; probeAlso?: string[]; probeNot?: string[]; pcap?: string };
}

function probe(args: string[]): { code: number; report: any; stderr: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync('ip', ['netns', 'exec', NS.client, process.execPath, CLI, 'probe', '--ca', labPaths().root, '--timeout', '2', '--format', 'json', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, report: r.stdout ? JSON.parse(r.stdout) : undefined, stderr: r.stderr, ms: Date.now() - t0 };
}

describe.skipIf(!!why)('failure lab', () => {
  beforeAll(() => labUp(), 120_000);
  afterAll(() => labDown());

  describe('tlsdoctor probe names each scenario', () => {
    const cases = (SCENARIOS as Scenario[]).filter((s) => s.expect.probe);
    it.each(cases.map((s) => [s.host, s.expect.probe, s] as const))('%s: %s', (host, code, s) => {
      const r = probe([host]);
      expect(r.report, r.stderr).toBeDefined();
      for (const t of r.report.targets) {
        const codes = t.diagnoses.map((d: any) => d.code);
        expect(codes[0], `${t.server.ip}: ${JSON.stringify(t.diagnoses[0])}`).toBe(code);
        for (const also of s.expect.probeAlso ?? []) expect(codes).toContain(also);
        for (const not of s.expect.probeNot ?? []) expect(codes).not.toContain(not);
        // Only the hosts built for them lose or refuse today's browsers' hellos.
        for (const shape of HELLO_SHAPE_CODES) if (code !== shape) expect(codes, t.server.ip).not.toContain(shape);
      }
      const errors = r.report.targets.some((t: any) => t.outcome === 'error');
      expect(r.code).toBe(errors ? 1 : 0);
    });
  });

  describe('key evidence', () => {
    it('MTU_BLACKHOLE names the sizes answered and lost', () => {
      const r = probe(['blackhole.lab.test']);
      const t = r.report.targets[0];
      const ev = t.diagnoses[0].evidence.join('\n');
      expect(ev).toMatch(/split in two segments \(40 \+ \d+ bytes\): ServerHello/);
      expect(ev).toMatch(/X25519MLKEM768 key share \(1[78]\d\d bytes in one write: two segments[^)]*\): no answer/);
      // The lab drops packets over 1,000 bytes: 757-byte packets pass, 1,057-byte ones do not.
      expect(ev).toMatch(/answered up to 705 bytes and lost from 1005 bytes/);
      expect(t.facts.helloShapes.sweep.map((x: any) => x.outcome)).toEqual(['server-hello', 'silent', 'silent', 'silent']);
    });

    it('SPLIT_CLIENT_HELLO_REJECTED: the split hello reset, the same bytes in one write answered', () => {
      const t = probe(['onesegment.lab.test']).report.targets[0];
      const ev = t.diagnoses[0].evidence.join('\n');
      expect(ev).toMatch(/default ClientHello \(\d+ bytes in one packet\): ServerHello/);
      expect(ev).toMatch(/split in two segments \(40 \+ \d+ bytes\): connection reset/);
      expect(t.facts.helloShapes.split.writes[0]).toBe(40);
      expect(t.facts.helloShapes.sweep).not.toBeNull();
    });

    it('SNI_FILTERED: the real name cut in two segments passes a filter that reads one packet', () => {
      const t = probe(['blocked.lab.test']).report.targets[0];
      expect(t.diagnoses[0].evidence.join('\n')).toMatch(/cut inside the name \(\d+ \+ \d+ bytes, two segments\): ServerHello .*the filter matches the name only within one packet \(a hello whose first segment holds the whole name, as a browser.s large hello does, is still filtered\)/);
      expect(t.facts.sniDifferential.splitName.outcome).toBe('server-hello');
    });

    it('TLS 1.3 client certificates: the probe reads the CertificateRequest in its own decrypted flight', () => {
      for (const host of ['mtls.lab.test', 'mtls13.lab.test']) {
        const t = probe([host]).report.targets[0];
        const ev = t.diagnoses[0].evidence.join('\n');
        expect(t.diagnoses[0].code).toBe('CLIENT_CERT_REQUIRED');
        expect(ev).toMatch(/TLS 1\.3 flight, decrypted with the key log of the probe's own handshake, carries a CertificateRequest \(Encrypted Extensions, Certificate Request, Certificate, Certificate Verify, Finished\)/);
        expect(ev).toMatch(/acceptable client certificate CA names: CN=tlsdoctor Lab Root CA/);
        expect(t.facts.handshake.serverFlight.certificateRequest.caNames).toContain('CN=tlsdoctor Lab Root CA');
      }
      // nginx says it over HTTP; Node's TLS (OpenSSL) with an alert after the client's Finished.
      expect(probe(['mtls.lab.test']).report.targets[0].diagnoses[0].evidence.join('\n')).toMatch(/HTTP 400 "No required SSL certificate was sent"/);
      expect(probe(['mtls13.lab.test']).report.targets[0].diagnoses[0].evidence.join('\n')).toMatch(/the server sent the alert Certificate Required \(116\)/);
    });

    it('--cert and --key: a certificate from the lab CA is accepted, a stranger\'s refused, TLS 1.2 and 1.3', () => {
      const pki = labPaths().pki;
      const withCert = (host: string, who: 'client' | 'stranger') =>
        probe([host, '--cert', join(pki, who === 'client' ? 'client.chain.crt' : 'stranger.crt'), '--key', join(pki, `${who}.key`)]).report.targets[0];
      for (const host of ['mtls12.lab.test', 'mtls.lab.test', 'mtls13.lab.test']) {
        const ok = withCert(host, 'client');
        expect(ok.diagnoses.map((d: any) => d.code), host).toContain('CLIENT_CERT_ACCEPTED');
        expect(ok.diagnoses.map((d: any) => d.code), host).not.toContain('CLIENT_CERT_REQUIRED');
        expect(ok.facts.clientCertificate).toBe('CN=lab client');
        const refused = withCert(host, 'stranger');
        expect(refused.diagnoses[0].code, host).toBe('CLIENT_CERT_REJECTED');
        expect(refused.diagnoses[0].evidence.join('\n')).toMatch(/presented the client certificate CN=stranger client/);
        expect(refused.diagnoses[0].evidence).toContain('issued by CN=stranger client: none is among the acceptable CA names; the server wants a certificate from one of them');
      }
    });

    it('a healthy host answers every shape, and no sweep runs', () => {
      const t = probe(['198.18.2.10', '--no-http']).report.targets[0];
      expect(t.facts.helloShapes.postQuantum.outcome).toBe('server-hello');
      expect(t.facts.helloShapes.postQuantum.bytes).toBeGreaterThan(1700);
      expect(t.facts.helloShapes.split.outcome).toBe('server-hello');
      expect(t.facts.helloShapes.sweep).toBeNull();
    });

    it('SNI_FILTERED shows the three outcomes side by side', () => {
      const ev = probe(['blocked.lab.test']).report.targets[0].diagnoses[0].evidence.join('\n');
      expect(ev).toMatch(/SNI blocked\.lab\.test: connection reset/);
      expect(ev).toMatch(/no SNI: ServerHello/);
      expect(ev).toMatch(/SNI example\.com: ServerHello/);
      expect(probe(['blocked.lab.test']).report.targets[0].diagnoses[0].remedy).toMatch(/ICP filing.*corporate firewall, secure web gateway or IPS/);
    });

    it('PLAINTEXT_HTTP_ON_TLS_PORT quotes the status line', () => {
      expect(probe(['plain.lab.test']).report.targets[0].diagnoses[0].evidence.join('\n')).toMatch(/HTTP\/1\.1 400 Bad Request/);
    });

    it('a TLS 1.3-only expired server: the chain is read although a capture could not see it', () => {
      const t = probe(['expired13.lab.test']).report.targets[0];
      expect([t.version, t.versionCode]).toEqual(['TLS 1.3', '0x0304']);
      expect(t.diagnoses[0].evidence.join('\n')).toMatch(/expired 2024-01-01T00:00:00\.000Z/);
    });

    it('CERT_CHAIN_INCOMPLETE names the missing issuer', () => {
      expect(probe(['nochain.lab.test']).report.targets[0].diagnoses[0].evidence.join('\n')).toMatch(/issuer "CN=tlsdoctor Lab Intermediate CA" is neither in the chain sent nor a trusted root/);
    });

    it('TCP_TIMEOUT comes within the timeout, never later', () => {
      const r = probe(['closed.lab.test']);
      expect(r.report.targets[0].diagnoses[0].code).toBe('TCP_TIMEOUT');
      expect(r.ms).toBeLessThan(2000 * 2 + 3000);
    });

    it('hostile servers (silent, endless records) end in a named verdict within the limits', () => {
      for (const host of ['silent.lab.test', 'endless.lab.test']) {
        const r = probe([host]);
        expect(r.report.targets[0].diagnoses[0].code).toBe('NO_SERVER_HELLO');
        expect(r.ms).toBeLessThan(15_000);
      }
    });

    it('an IPv6 literal target: the certificate has no IP SAN, so the name does not match', () => {
      const t = probe(['[fd7d:2::10]']).report.targets[0];
      expect(t.sni).toBeNull();
      expect(t.diagnoses[0].code).toBe('CERT_HOSTNAME_MISMATCH');
      expect(t.diagnoses[0].evidence.join('\n')).toMatch(/no such IP address among its SANs/);
    });

    it('every address of a name is probed (IPv4 and IPv6)', () => {
      const ips = probe(['good.lab.test']).report.targets.map((t: any) => t.server.ip).sort();
      expect(ips).toEqual(['198.18.2.10', 'fd7d:2::10']);
    });
  });

  describe('WebSocket through nginx', () => {
    it('with the Upgrade headers passed: WEBSOCKET_UPGRADE_OK, in JSON, the table and Markdown', () => {
      const t = probe(['ws.lab.test', '--ws', '/ws']).report.targets[0];
      const codes = t.diagnoses.map((d: any) => d.code);
      expect(codes).not.toContain('WEBSOCKET_UPGRADE_FAILED');
      expect(codes).toContain('WEBSOCKET_UPGRADE_OK');
      expect(t.diagnoses.find((d: any) => d.code === 'WEBSOCKET_UPGRADE_OK').evidence).toEqual(['GET /ws with Upgrade: websocket got "HTTP/1.1 101 Switching Protocols"']);
      expect(t.facts.http.websocket.status).toBe(101);
      for (const format of ['table', 'markdown']) {
        const out = spawnSync('ip', ['netns', 'exec', NS.client, process.execPath, CLI, 'probe', '--ca', labPaths().root, '--timeout', '2', '--no-http', '--format', format, 'ws.lab.test', '--ws', '/ws'], { encoding: 'utf8', timeout: 60_000 });
        expect(out.stdout, format).toMatch(/WEBSOCKET_UPGRADE_OK/);
        expect(out.stdout, format).toMatch(/101 Switching Protocols/);
      }
    });

    it('without them: WEBSOCKET_UPGRADE_FAILED with the status, the backend\'s words and the proxy remedy', () => {
      const t = probe(['ws.lab.test', '--ws', '/ws-broken']).report.targets[0];
      const d = t.diagnoses[0];
      expect(d.code).toBe('WEBSOCKET_UPGRADE_FAILED');
      expect(d.evidence.join('\n')).toMatch(/HTTP\/1\.1 400.*body: "websocket upgrade expected"/);
      expect(d.remedy).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
    });

    it('a path that is no endpoint (200 to a plain GET): WEBSOCKET_NOT_AN_ENDPOINT, no proxy fix', () => {
      const t = probe(['ws.lab.test', '--ws', '/socket']).report.targets[0];
      const d = t.diagnoses[0];
      expect(d.code).toBe('WEBSOCKET_NOT_AN_ENDPOINT');
      expect(d.evidence).toEqual([
        'GET /socket with Upgrade: websocket got "HTTP/1.1 200 OK" (body: "ws.lab.test ok")',
        'a plain GET /socket got "HTTP/1.1 200 OK" (body: "ws.lab.test ok")',
        'the same answer with and without the upgrade: /socket is not a WebSocket endpoint',
      ]);
      expect(d.remedy).not.toMatch(/proxy_set_header/);
      expect(t.facts.http.websocket.plain.status).toBe(200);
    });

    it('a path without its leading slash is one line and exit 2, before anything is sent', () => {
      const r = spawnSync('ip', ['netns', 'exec', NS.client, process.execPath, CLI, 'probe', 'ws.lab.test', '--ws', 'noslash'], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')[0]).toBe('tlsdoctor: --ws "noslash": a WebSocket path starts with / (for example /noslash)');
    });
  });

  describe('after the handshake: redirects, 421, ALPN, default certificates', () => {
    const diag = (host: string, code: string) => probe([host]).report.targets[0].diagnoses.find((d: any) => d.code === code);
    it('a loop from port 80 through https shows the chain', () => {
      expect(diag('loop.lab.test', 'HTTP_REDIRECT_LOOP').evidence).toEqual([
        'http://loop.lab.test/ answered 301 with Location https://loop.lab.test/',
        'https://loop.lab.test/ answered 301 with Location http://loop.lab.test/',
        'http://loop.lab.test/ was requested before: a loop',
      ]);
    });

    it('a downgrade names the https answer that sends the client to http://', () => {
      expect(diag('downgrade.lab.test', 'HTTPS_DOWNGRADE').evidence[0]).toBe('https://downgrade.lab.test/ answered 301 with Location http://downgrade.lab.test/');
    });

    it('a redirect to a refused port names the target and why it failed', () => {
      expect(diag('brokenport.lab.test', 'HTTP_REDIRECT_TARGET_FAILED').evidence.at(-1)).toMatch(/^https:\/\/brokenport\.lab\.test:8443\/: connect ECONNREFUSED .*\(ECONNREFUSED\)$/);
    });

    it('redirects to another host show the target, which answered; HSTS is judged where they end', () => {
      expect(diag('elsewhere.lab.test', 'HTTP_REDIRECT_ELSEWHERE').evidence).toEqual([
        'redirected to https://good.lab.test/',
        'http://elsewhere.lab.test/ answered 301 with Location https://elsewhere.lab.test/',
        'https://elsewhere.lab.test/ answered 301 with Location https://good.lab.test/',
        'https://good.lab.test/ answered 200',
      ]);
      expect(diag('www80.lab.test', 'HTTP_REDIRECT_ELSEWHERE').evidence[0]).toBe('redirected to https://good.lab.test/');
    });

    it('421 names the SNI and Host sent', () => {
      expect(diag('misdirected.lab.test', 'HTTP_MISDIRECTED_REQUEST').evidence).toEqual([
        'https://misdirected.lab.test/ answered 421',
        'SNI misdirected.lab.test and Host misdirected.lab.test were sent on a connection of their own',
      ]);
    });

    it('an HTTP/2-only server: h2 taken alone, http/1.1 alone refused with alert 120', () => {
      const t = probe(['h2only.lab.test']).report.targets[0];
      expect(t.facts.alpnAlone.map((a: any) => [a.offered, a.hello.outcome, a.hello.code ?? null])).toEqual([['h2', 'server-hello', null], ['http/1.1', 'alert', 120]]);
      expect(t.diagnoses.find((d: any) => d.code === 'ALPN_REQUIRED').evidence.at(-1)).toBe('offered both, the server chose h2');
      // nginx without http2 refuses h2 alone (since 1.21.4): in the facts, not a finding.
      const g = probe(['good.lab.test']).report.targets[0];
      expect(g.diagnoses.map((d: any) => d.code)).not.toContain('ALPN_REQUIRED');
    });

    it('the default certificates are named by their proxy', () => {
      expect(diag('ingress.lab.test', 'CERT_PROXY_DEFAULT').title).toBe('The server has no certificate configured for this name: Kubernetes ingress-nginx served its default');
      expect(diag('traefik.lab.test', 'CERT_PROXY_DEFAULT').title).toBe('The server has no certificate configured for this name: Traefik served its default');
    });
  });

  describe('WebSocket URLs', () => {
    it('wss://host/path runs the upgrade on that path', () => {
      const t = probe(['wss://ws.lab.test/ws']).report.targets[0];
      expect(t.facts.http.websocket.path).toBe('/ws');
      expect(t.facts.http.websocket.status).toBe(101);
      expect(t.diagnoses[0].code).toBe('HANDSHAKE_OK');
    });

    it('ws://host/path is probed as its TLS form', () => {
      const t = probe(['ws://ws.lab.test/ws']).report.targets[0];
      expect(t.server.port).toBe(443);
      expect(t.facts.http.websocket.status).toBe(101);
    });

    it('a redirect (nginx sends /chat to /chat/) names the Location, not the Upgrade headers', () => {
      const d = probe(['wss://ws.lab.test/chat']).report.targets[0].diagnoses[0];
      expect(d.code).toBe('WEBSOCKET_UPGRADE_FAILED');
      expect(d.title).toBe('The WebSocket URL is redirected');
      expect(d.evidence.join('\n')).toMatch(/HTTP\/1\.1 301/);
      expect(d.evidence.join('\n')).toMatch(/Location: https:\/\/ws\.lab\.test\/chat\//);
      expect(d.remedy).not.toMatch(/proxy_set_header Upgrade/);
      expect(probe(['wss://ws.lab.test/chat/']).report.targets[0].facts.http.websocket.status).toBe(101);
    });
  });

  it('a probe of the plain-HTTP port says so and points to 443', () => {
    for (const t of probe(['good.lab.test:80']).report.targets) {
      const d = t.diagnoses[0];
      expect(d.code).toBe('PLAIN_HTTP_PORT');
      // nginx answers a ClientHello on its plain port with 400.
      expect(d.evidence.join('\n')).toMatch(/plain HTTP response "HTTP\/1\.1 400 Bad Request"/);
      expect(d.evidence.join('\n')).toContain(`port 443 on ${t.server.ip}: answers TLS`);
      expect(d.evidence.join('\n')).toMatch(/probe https:\/\/good\.lab\.test\/ instead/);
      expect(d.remedy).not.toMatch(/listen 443 ssl/);
    }
  });

  it('a server whose TLS library refuses ssl_protocols TLSv1 says why beside the version finding', () => {
    const t = probe(['tls10strict.lab.test']).report.targets[0];
    const cfg = t.diagnoses.find((d: any) => d.code === 'SERVER_TLS_CONFIG_UNUSABLE');
    expect(cfg.evidence.join('\n')).toMatch(/internal_error \(80\)/);
    expect(t.diagnoses.map((d: any) => d.code)).not.toContain('TLS_ALERT');
  });

  describe('client profiles', () => {
    it.each([
      ['weakcipher.lab.test', 'intermediate', 'NO_SHARED_CIPHER'],
      ['weakcipher.lab.test', 'browser', 'HANDSHAKE_OK'],
      ['tls13.lab.test', 'modern', 'HANDSHAKE_OK'],
      ['expired.lab.test', 'modern', 'PROTOCOL_VERSION_MISMATCH'],
      ['tls10.lab.test', 'wechat-miniprogram', 'PROTOCOL_VERSION_MISMATCH'],
    ])('%s as %s: %s', (host, profile, code) => {
      expect(probe([host, '--profile', profile]).report.targets[0].diagnoses[0].code).toBe(code);
    });

    it('wechat-miniprogram: an IP address, or a name missing from the allow list, is DOMAIN_NOT_ALLOWED', () => {
      const dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-allow-'));
      const list = join(dir, 'domains.txt');
      writeFileSync(list, '# request domains\ntls13.lab.test\n');
      try {
        const byIp = probe(['198.18.2.10', '--profile', 'wechat-miniprogram', '--no-http']).report.targets[0];
        // The mini-program refuses an IP address before it connects: that is its headline.
        expect(byIp.diagnoses[0].code).toBe('DOMAIN_NOT_ALLOWED');
        const missing = probe(['good.lab.test', '--profile', 'wechat-miniprogram', '--allow-list', list]).report.targets[0];
        expect(missing.diagnoses[0].code).toBe('DOMAIN_NOT_ALLOWED');
        const listed = probe(['tls13.lab.test', '--profile', 'wechat-miniprogram', '--allow-list', list]).report.targets[0];
        expect(listed.diagnoses[0].code).toBe('HANDSHAKE_OK');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('--ciphers lists what the server accepts per version', () => {
    const t = probe(['weakcipher.lab.test', '--ciphers', '--no-http']).report.targets[0];
    expect(t.facts.ciphers.versions['TLS 1.2'].accepted.map((s: any) => s.suite)).toEqual(['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA']);
  });

  it('--ciphers agrees with openssl s_client, suite by suite, on the healthy host', () => {
    // The oracle: every TLS 1.2 suite this OpenSSL knows, offered alone by s_client.
    const known = spawnSync('openssl', ['ciphers', '-V', '-tls1_2', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'], { encoding: 'utf8' }).stdout
      .split('\n').map((l) => /0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+TLSv1\.2/.exec(l)).filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ code: `0x${m[1]}${m[2]}`.toLowerCase(), name: m[3] }));
    expect(known.length).toBeGreaterThan(50);
    const acceptedByOpenssl = known.filter(({ name }) => {
      const r = spawnSync('ip', ['netns', 'exec', NS.client, 'openssl', 's_client', '-tls1_2', '-cipher', `${name}:@SECLEVEL=0`, '-connect', 'good.lab.test:443', '-servername', 'good.lab.test'], { input: '', encoding: 'utf8', timeout: 10_000 });
      return /^\s*Cipher\s*: (?!0000|\(NONE\))/m.test(r.stdout);
    }).map((k) => k.code);
    const t = probe(['good.lab.test', '--ciphers', '--no-http']).report.targets[0];
    const ours = t.facts.ciphers.versions['TLS 1.2'].accepted.map((s: any) => s.code);
    expect(acceptedByOpenssl.length).toBeGreaterThan(5);
    expect(ours.filter((c: string) => known.some((k) => k.code === c)).sort()).toEqual([...acceptedByOpenssl].sort());
    expect(t.facts.ciphers.versions['TLS 1.3'].accepted.map((s: any) => s.keyExchange)).toContain('x25519');
  }, 120_000);

  it('several targets, --resolve, a targets file and bounded concurrency', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-targets-'));
    const file = join(dir, 'targets.txt');
    writeFileSync(file, 'tls13.lab.test\nhttps://refused.lab.test/\n');
    try {
      const r = probe(['plain.lab.test', 'pinned.example.test', '--resolve', 'pinned.example.test:443:198.18.2.13', '--targets', file, '--concurrency', '2']);
      const got = r.report.targets.map((t: any) => `${t.source} ${t.server.ip} ${t.diagnoses[0].code}`);
      expect(got).toEqual([
        'plain.lab.test 198.18.2.11 PLAINTEXT_HTTP_ON_TLS_PORT',
        'pinned.example.test 198.18.2.13 CERT_HOSTNAME_MISMATCH',
        'tls13.lab.test 198.18.2.13 HANDSHAKE_OK',
        'https://refused.lab.test/ 198.18.2.22 TCP_REFUSED',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a live capture piped in: tcpdump -U -w - | tlsdoctor pcap - --format ndjson reports each connection as it ends', async () => {
    // `ip netns exec` execs tcpdump: its pid is tcpdump's, to stop it as Ctrl-C would.
    // good.lab.test and blocked.lab.test share their addresses; other tests' traffic stays out.
    const tcpdump = spawn('ip', ['netns', 'exec', NS.client, 'tcpdump', '--immediate-mode', '-U', '-n', '-i', 'c0', '-w', '-', '(tcp port 443 and (host 198.18.2.10 or host fd7d:2::10)) or icmp'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const pipe = spawn(process.execPath, [CLI, 'pcap', '-', '--format', 'ndjson', '--redact'], { stdio: ['pipe', 'pipe', 'pipe'] });
    tcpdump.stdout.pipe(pipe.stdin);
    let tcpdumpSays = '';
    tcpdump.stderr.on('data', (d) => (tcpdumpSays += d));
    const lines: { at: number; json: any }[] = [];
    let buffered = '';
    pipe.stdout.on('data', (d) => {
      buffered += d;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        lines.push({ at: Date.now(), json: JSON.parse(buffered.slice(0, nl)) });
        buffered = buffered.slice(nl + 1);
      }
    });
    const until = async (what: string, ok: () => boolean, ms: number) => {
      for (const end = Date.now() + ms; !ok(); await sleep(50)) if (Date.now() > end) throw new Error(`${what} within ${ms} ms`);
    };
    try {
      await until('tcpdump listening', () => /listening on/.test(tcpdumpSays), 10_000);
      const curl = (host: string) => spawnSync('ip', ['netns', 'exec', NS.client, 'curl', '-sS', '-m', '3', '--cacert', labPaths().root, `https://${host}/`], { timeout: 10_000 });
      curl('good.lab.test');
      // A connection closed by FINs both ways is reported at its last ACK, while the capture runs.
      await until('a line for the healthy connection', () => lines.length >= 1, 5_000);
      curl('blocked.lab.test');
      // A reset one waits out its grace period (3 s), measured by the wall clock between packets.
      await until('a line for the reset connection', () => lines.length >= 2, 8_000);
      expect(lines.map((l) => [l.json.type, l.json.sni, l.json.diagnoses[0].code])).toEqual([
        ['connection', 'good.lab.test', 'HANDSHAKE_OK'],
        ['connection', 'blocked.lab.test', 'RESET_AFTER_CLIENT_HELLO'],
      ]);
      expect(lines.every((l) => /^client-\d+$/.test(l.json.client.ip))).toBe(true);
      tcpdump.kill('SIGINT');
      await until('the report line once tcpdump stops', () => lines.at(-1)?.json.type === 'report', 10_000);
      expect(lines.at(-1)!.json.summary).toMatchObject({ total: 2, bySeverity: { error: 1, ok: 1 } });
      expect(lines.at(-1)!.json.input.files[0]).toMatchObject({ path: 'stdin', format: 'pcap' });
    } finally {
      tcpdump.kill('SIGKILL');
      pipe.kill('SIGKILL');
    }
  }, 60_000);

  it('--redact=all leaves no lab name, address or certificate in any format of a probe report', () => {
    // The oracle is the lab's own definition (its hosts file) and its certificates as openssl reads them.
    const hostsFile = readFileSync(`/etc/netns/${NS.client}/hosts`, 'utf8');
    const oracle = new Map<string, Set<string>>([['address', new Set()], ['name', new Set()], ['certificate', new Set()]]);
    for (const line of hostsFile.split('\n')) {
      const [address, name] = line.trim().split(/\s+/);
      if (!name || name === 'localhost') continue;
      oracle.get('address')!.add(address);
      oracle.get('name')!.add(name);
    }
    const pki = labPaths().pki;
    for (const f of readdirSync(pki).filter((n: string) => n.endsWith('.crt') && !n.includes('chain'))) {
      const text = spawnSync('openssl', ['x509', '-in', join(pki, f), '-noout', '-subject', '-issuer', '-serial', '-fingerprint', '-sha256', '-ext', 'subjectAltName', '-nameopt', 'RFC2253'], { encoding: 'utf8' }).stdout;
      for (const m of text.matchAll(/(?:^|,)(?:CN|O|OU)=([^,\n]+)/gm)) oracle.get('name')!.add(m[1]);
      for (const m of text.matchAll(/DNS:([^,\s]+)/g)) oracle.get('name')!.add(m[1]);
      oracle.get('certificate')!.add(/serial=(\w+)/.exec(text)![1]);
      oracle.get('certificate')!.add(/Fingerprint=([\w:]+)/.exec(text)![1]);
    }
    const targets = ['good.lab.test', 'wrongname.lab.test', 'expiredwrong.lab.test', 'selfsigned.lab.test', 'nochain.lab.test', 'https://ws.lab.test/chat', 'plain.lab.test', 'rejected.lab.test'];
    const run = (format: string, redact: string[]) => {
      const r = spawnSync('ip', ['netns', 'exec', NS.client, process.execPath, CLI, 'probe', ...targets, '--ws', '/chat', '--ca', labPaths().root, '--timeout', '2', '--format', format, '--verbose', '--limit', '0', ...redact], { encoding: 'utf8', timeout: 120_000 });
      return r.stdout;
    };
    for (const format of ['json', 'markdown', 'table', 'ndjson']) {
      const plain = run(format, []);
      const redacted = run(format, ['--redact=all']);
      for (const [kind, values] of oracle) {
        // Only Markdown and JSON print serials and fingerprints.
        if (kind !== 'certificate' || format === 'json' || format === 'markdown' || format === 'ndjson') expect([...values].some((v) => occurs(plain, v)), `${format}: some ${kind} unredacted`).toBe(true);
        expect([...values].filter((v) => occurs(redacted, v)), `${format}: ${kind} left after --redact=all`).toEqual([]);
      }
    }
  }, 240_000);

  it.each([
    // [message, target, the cause the probe must confirm, first]
    ['curl: (35) Recv failure: Connection reset by peer', 'blocked.lab.test', 'SNI_FILTERED'],
    ['curl: (60) SSL certificate problem: certificate has expired', 'https://expiredwrong.lab.test/', 'CERT_HOSTNAME_MISMATCH'],
    ["curl: (7) Failed to connect to rejected.lab.test port 443 after 0 ms: Couldn't connect to server", 'rejected.lab.test', 'TCP_UNREACHABLE'],
  ])('explain %j --probe %s confirms %s', (message, target, cause) => {
    const r = spawnSync('ip', ['netns', 'exec', NS.client, process.execPath, CLI, 'explain', message, '--probe', target, '--ca', labPaths().root, '--timeout', '2', '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
    const j = JSON.parse(r.stdout);
    expect(j.probe.confirmed).toContain(cause);
    expect(j.candidates.map((c: any) => c.code)).toContain(cause);
  });

  describe('TLS 1.3 captures read with the client\'s key log, made now', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-keylog-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const noChromium = !commandExists('chromium') || !commandExists('certutil');
    const clients = ['curl', 'node', ...(noChromium ? [] : ['chromium'])];
    const hosts: [string, string, boolean][] = [
      ['expired13.lab.test', 'CERT_EXPIRED', false],
      ['wrongname13.lab.test', 'CERT_HOSTNAME_MISMATCH', false],
      ['selfsigned13.lab.test', 'CERT_SELF_SIGNED', false],
      ['tls13.lab.test', 'CERT_UNTRUSTED', true],
      ['mtls13.lab.test', 'CLIENT_CERT_REQUIRED', false],
    ];
    const cases = clients.flatMap((c) => hosts.map(([host, code, untrusted]) => [c, host, code, untrusted] as const));
    it.each(cases)('%s against %s: %s, the same from the injected secrets, and tshark agrees', async (client, host, code, untrusted) => {
      const name = `${client}-${host.split('.')[0]}`;
      const file: string = await recordOne({ name, scenario: host, client, expect: code, keylog: client, host, untrusted, withoutKeylog: code }, dir);
      const keys = join(dir, `${name}.keys`);
      const withKeys = JSON.parse(runCli(['pcap', file, '--keylog', keys, '--format', 'json']).stdout);
      const primaries = withKeys.connections.map((c: any) => c.diagnoses[0].code);
      expect(primaries.length, name).toBeGreaterThan(0);
      // Chromium may open a second connection it never uses: every one that spoke TLS 1.3 says the same.
      for (const c of withKeys.connections.filter((x: any) => x.version === 'TLS 1.3')) expect(c.diagnoses[0].code, `${name}: ${JSON.stringify(c.diagnoses[0])}`).toBe(code);
      expect(withKeys.input.files[0].decryption.decrypted, name).toBeGreaterThan(0);
      // An alert the client encrypted is named as read with the key log.
      for (const c of withKeys.connections) {
        const encrypted = c.facts.alerts.filter((a: any) => a.decrypted);
        for (const a of encrypted) expect(c.diagnoses[0].evidence.join("\n")).toContain(`${a.description} (${a.code}) from the client`);
      }
      const injected = JSON.parse(runCli(['pcap', file.replace(/\.pcap$/, '-secrets.pcapng'), '--format', 'json']).stdout);
      expect(injected.connections.map((c: any) => c.diagnoses.map((d: any) => d.code))).toEqual(withKeys.connections.map((c: any) => c.diagnoses.map((d: any) => d.code)));
      // tshark, given the same handshake secrets, reads the same messages and alerts.
      const hsKeys = join(dir, `${name}.hs.keys`);
      writeFileSync(hsKeys, readFileSync(keys, 'latin1').split('\n').filter((l) => /_HANDSHAKE_TRAFFIC_SECRET /.test(l)).join('\n') + '\n');
      const t = spawnSync('tshark', ['-r', file, '-o', `tls.keylog_file:${hsKeys}`, '-Y', 'tls', '-T', 'fields', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tls.handshake.type', '-e', 'tls.alert_message.desc'], { encoding: 'utf8' });
      for (const c of withKeys.connections) {
        const rows = t.stdout.split('\n').filter(Boolean).map((l) => l.split('\t'));
        // One direction of this connection: from one port to the other.
        const theirs = (from: number, to: number) => rows.filter((r) => Number(r[0]) === from && Number(r[1]) === to);
        const types = (from: number, to: number) => theirs(from, to).flatMap((r) => (r[2] ? r[2].split(',') : []));
        const alerts = (from: number, to: number) => theirs(from, to).flatMap((r) => (r[3] ? r[3].split(',') : []));
        const ours = (side: string) => c.facts.messages.filter((m: string) => m.startsWith(side));
        expect(ours('client').length, `${name} client messages`).toBe(types(c.client.port, c.server.port).length);
        expect(ours('server').length, `${name} server messages`).toBe(types(c.server.port, c.client.port).length);
        expect(c.facts.alerts.map((a: any) => String(a.code)).sort()).toEqual([...alerts(c.client.port, c.server.port), ...alerts(c.server.port, c.client.port)].sort());
      }
    }, 60_000);
  });

  describe('tlsdoctor pcap on the lab\'s own recordings, made now', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-rec-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const all = (RECORDINGS as { name: string; client: string; expect: string; also?: string[] }[]).filter((r) => !r.name.startsWith('openssl-large'));
    // Chromium records the browser fixtures; CI installs it, a machine without it skips those.
    const browser = (r: { name: string }) => r.name.startsWith('chromium-');
    const noChromium = !commandExists('chromium') || !commandExists('certutil');
    if (noChromium && process.env.CI) throw new Error('the browser recordings must run in CI, but chromium or certutil is not installed');
    if (noChromium) console.warn('lab: chromium or certutil is not installed: the browser recordings are skipped');
    const recordings = all.filter((r) => !(noChromium && browser(r)));
    it.each(recordings.map((r) => [r.name, r.expect, r] as const))('%s: %s', async (_name, code, r) => {
      const file: string = await recordOne(r, dir);
      // A recording made with the client's key log is read with it.
      const keys = (r as { keylog?: string }).keylog ? ['--keylog', file.replace(/\.pcap$/, '.keys')] : [];
      const out = runCli(['pcap', file, '--format', 'json', ...keys]);
      const report = JSON.parse(out.stdout);
      expect(report.connections.length).toBeGreaterThanOrEqual(1);
      const codes = report.connections[0].diagnoses.map((d: any) => d.code);
      // A known gap (`gap`): what tlsdoctor says today, until it is closed.
      expect(codes[0], JSON.stringify(report.connections[0].diagnoses[0])).toBe((r as { gap?: { primary: string } }).gap?.primary ?? code);
      for (const also of r.also ?? []) expect(codes).toContain(also);
    });
  });
});
