// The exporter over real HTTP, probing real TLS servers made here on loopback (never any other
// address): what a scrape gets for a healthy and an expired server, what the allow list refuses
// before any traffic, how scrapes share probes and wait within their deadlines, bad requests,
// a burst of 1,000 requests, and the shutdown. The lab test runs it under a real Prometheus.
import net from 'node:net';
import tls from 'node:tls';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore } from '@tlsdoctor/probe';
import { AllowList, Exporter, type ExporterOptions } from '@tlsdoctor/serve';
// @ts-expect-error: the lab is plain ESM JavaScript.
import { makePki } from '../lab/pki.mjs';

interface Pki {
  root: string;
  leaf: (name: string) => { chain: string; key: string; cert: string };
}

const dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-serve-'));
let pki: Pki;
const servers: net.Server[] = [];
/** Connections each server accepted: a refused target must leave its count at 0. */
const accepted = new Map<string, number>();
const ports: Record<'good' | 'expired' | 'silent' | 'outside', number> = { good: 0, expired: 0, silent: 0, outside: 0 };
const exporters: Exporter[] = [];

function listen(name: keyof typeof ports, server: net.Server): Promise<void> {
  accepted.set(name, 0);
  server.on('connection', () => accepted.set(name, accepted.get(name)! + 1));
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      ports[name] = (server.address() as net.AddressInfo).port;
      resolve();
    }),
  );
}

function tlsServer(cert: string): tls.Server {
  const leaf = pki.leaf(cert);
  const s = tls.createServer({ cert: readFileSync(leaf.chain), key: readFileSync(leaf.key) }, (socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok'));
  });
  s.on('tlsClientError', () => {});
  return s;
}

/** A server that takes the connection and never answers: the slow target. */
function silentServer(): net.Server {
  const held: net.Socket[] = [];
  const s = net.createServer((socket) => {
    socket.on('error', () => {});
    held.push(socket);
  });
  s.on('close', () => held.forEach((h) => h.destroy()));
  return s;
}

async function startExporter(over: Partial<ExporterOptions> & { allowText?: string } = {}): Promise<string> {
  const allowText = over.allowText ?? `*.lab.test:${ports.good},${ports.expired},${ports.silent}\n127.0.0.1:${ports.good},${ports.expired},${ports.silent}\n`;
  const extraCa = [readFileSync(pki.root, 'utf8')];
  const pin = (name: string, port: number) => [`${name}.lab.test:${port}`, '127.0.0.1'] as const;
  const exporter = new Exporter({
    allow: AllowList.parse(allowText),
    timeoutSeconds: 3,
    profile: 'browser',
    concurrency: 4,
    queue: 16,
    shareMs: 2000,
    ...over,
    probe: {
      extraCa,
      trust: new TrustStore(extraCa),
      // As a hosts file would: the names point at this machine's servers.
      resolve: new Map([pin('good', ports.good), pin('expired', ports.expired), pin('silent', ports.silent), pin('outside', ports.outside), pin('again', ports.good), ...Array.from({ length: 1000 }, (_, i) => pin(`n${i}`, ports.good))]),
      decoySni: 'example.com',
      ciphers: false,
      warnDays: 21,
      http: true,
      ...over.probe,
    },
  });
  exporters.push(exporter);
  const a = await exporter.listen('127.0.0.1', 0);
  return `http://127.0.0.1:${a.port}`;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const r = await fetch(url, { headers, signal: AbortSignal.timeout(20_000) });
  return { status: r.status, text: await r.text() };
}

/** The value of one series (name and labels as printed), or undefined when the scrape has none. */
function series(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

const codes = (text: string) => [...text.matchAll(/^tlsdoctor_diagnosis\{code="([A-Z0-9_]+)",severity="(\w+)"\} 1$/gm)].map((m) => `${m[1]}:${m[2]}`);

beforeAll(async () => {
  pki = makePki(join(dir, 'pki'));
  await listen('good', tlsServer('good'));
  await listen('expired', tlsServer('expired'));
  await listen('silent', silentServer());
  await listen('outside', tlsServer('good'));
}, 60_000);

afterAll(async () => {
  await Promise.all(exporters.map((e) => e.close()));
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tlsdoctor serve: one probe per scrape, as metrics', () => {
  let base: string;
  beforeAll(async () => {
    base = await startExporter();
  });

  it('a healthy server: success 1, no error code, the version, suite and the leaf\'s dates', async () => {
    const r = await get(`${base}/probe?target=good.lab.test:${ports.good}`);
    expect(r.status, r.text).toBe(200);
    expect(series(r.text, 'tlsdoctor_probe_success'), r.text).toBe(1);
    expect(codes(r.text).filter((c) => c.endsWith(':error'))).toEqual([]);
    expect(r.text).toMatch(/^tlsdoctor_tls_info\{version="TLS 1\.3",cipher="TLS_[A-Z0-9_]+",alpn="[^"]*"\} 1$/m);
    const leaf = new (await import('node:crypto')).X509Certificate(readFileSync(pki.leaf('good').cert));
    expect(series(r.text, 'tlsdoctor_cert_not_after_timestamp_seconds')).toBe(Date.parse(leaf.validTo) / 1000);
    expect(series(r.text, 'tlsdoctor_cert_not_before_timestamp_seconds')).toBe(Date.parse(leaf.validFrom) / 1000);
    expect(series(r.text, "tlsdoctor_http_status_code"), r.text).toBe(200);
    for (const step of ['tcp', 'tls', 'http']) expect(r.text, step).toMatch(new RegExp(`^tlsdoctor_probe_step_duration_seconds\\{step="${step}"\\} \\d`, 'm'));
    // The name is pinned to the address, as a hosts file or --resolve would: nothing was looked up.
    expect(r.text).not.toContain('step="dns"');
    // The target is not on port 443, so no port-80 check is asked for (docs/probe.md): nothing is
    // refused, and no HTTP verdict about port 80 is made.
    expect(series(r.text, 'tlsdoctor_probe_not_permitted')).toBe(0);
    expect(codes(r.text).some((c) => c.startsWith('HTTP_'))).toBe(false);
  });

  it('an expired certificate: success 0 and CERT_EXPIRED as a label', async () => {
    const r = await get(`${base}/probe?target=expired.lab.test:${ports.expired}`);
    expect(r.status).toBe(200);
    expect(series(r.text, 'tlsdoctor_probe_success')).toBe(0);
    expect(codes(r.text)).toContain('CERT_EXPIRED:error');
    expect(series(r.text, 'tlsdoctor_cert_not_after_timestamp_seconds')).toBe(Date.parse('2024-01-01T00:00:00Z') / 1000);
  });

  it('a target outside the list: 403 with its reason, and no connection made', async () => {
    const before = accepted.get('outside');
    for (const target of [`outside.lab.test:${ports.outside}`, `127.0.0.1:${ports.outside}`, `good.example.com:${ports.good}`]) {
      const r = await get(`${base}/probe?target=${target}`);
      expect(r.status, target).toBe(403);
      expect(r.text).toMatch(/^[^\n]+ is not in the allow list\n$/);
    }
    expect(accepted.get('outside')).toBe(before);
  });

  it('bad requests: one line each, and the exporter goes on serving', async () => {
    const cases: [string, number, RegExp][] = [
      ['/probe', 400, /"target" parameter is missing/],
      ['/probe?target=good.lab.test&module=tls', 400, /unknown parameter "module"/],
      [`/probe?target=good.lab.test:0`, 400, /port must be a number from 1 to 65535/],
      [`/probe?target=https://user:pw@good.lab.test:${ports.good}/`, 400, /holds credentials/],
      ['/nothing', 404, /no such path/],
    ];
    for (const [path, status, words] of cases) {
      const r = await get(base + path);
      expect(r.status, path).toBe(status);
      expect(r.text, path).toMatch(words);
      expect(r.text.trimEnd().split('\n'), path).toHaveLength(1);
      expect(r.text, path).not.toContain('pw');
    }
    const post = await fetch(`${base}/probe?target=good.lab.test`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect((await get(`${base}/-/healthy`)).status).toBe(200);
  });

  it('a slow target: /metrics answers while its probe runs, and the scrape is answered by its deadline', async () => {
    const slow = get(`${base}/probe?target=silent.lab.test:${ports.silent}`, { 'X-Prometheus-Scrape-Timeout-Seconds': '2' });
    // Wait until the exporter has the silent server's connection, then ask for its own metrics.
    for (let i = 0; i < 100 && accepted.get('silent') === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const own = await get(`${base}/metrics`);
    expect(own.status).toBe(200);
    expect(series(own.text, 'tlsdoctor_exporter_probes_in_flight')).toBe(1);
    expect(own.text).toContain('process_resident_memory_bytes');
    const r = await slow;
    expect(r.status).toBe(200);
    expect(series(r.text, 'tlsdoctor_probe_success')).toBe(0);
    // Either the probe ended in time and named the silence, or the deadline cut it off and says so.
    const timedOut = series(r.text, 'tlsdoctor_probe_timed_out') === 1;
    if (!timedOut) expect(codes(r.text)).toContain('NO_SERVER_HELLO:error');
  });

  it('two scrapes of one target share one probe', async () => {
    const own = async () => (await get(`${base}/metrics`)).text;
    const started = series(await own(), 'tlsdoctor_exporter_probes_started_total')!;
    const shared = series(await own(), 'tlsdoctor_exporter_scrapes_shared_total')!;
    const [a, b] = await Promise.all([get(`${base}/probe?target=again.lab.test:${ports.good}`), get(`${base}/probe?target=https://again.lab.test:${ports.good}/`)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(codes(a.text)).toEqual(codes(b.text));
    const after = await own();
    expect(series(after, 'tlsdoctor_exporter_probes_started_total')).toBe(started + 1);
    expect(series(after, 'tlsdoctor_exporter_scrapes_shared_total')).toBe(shared + 1);
  });
});

describe('what the allow list binds', () => {
  it('an allowed name that resolves to loopback is refused unless an address entry allows loopback', async () => {
    const base = await startExporter({ allowText: `*.lab.test:${ports.good},${ports.outside}\n` });
    const before = accepted.get('outside');
    const r = await get(`${base}/probe?target=outside.lab.test:${ports.outside}`);
    expect(r.status).toBe(403);
    expect(r.text).toBe(`outside.lab.test:${ports.outside} resolves only to addresses the allow list does not hold\n`);
    // The caller is not told where an allowed name points: it could map an inside network with it.
    expect(r.text).not.toContain('127.0.0.1');
    expect(accepted.get('outside')).toBe(before);
  });
});

describe('under load', () => {
  it('1,000 requests at once: each gets an answer (200, 400, 403 or 503), and the exporter serves on', async () => {
    const base = await startExporter({ concurrency: 2, queue: 2 });
    const paths = Array.from({ length: 1000 }, (_, i) => {
      switch (i % 5) {
        case 0: return `/probe?target=good.lab.test:${ports.good}`;
        case 1: return `/probe?target=outside.lab.test:${ports.outside}`;
        case 2: return '/probe?target=good.lab.test:0';
        case 3: return `/probe?target=n${i}.lab.test:${ports.good}&timeout=1`;
        default: return '/metrics';
      }
    });
    const answers = await Promise.all(paths.map((p) => get(base + p).then((r) => r.status, (e: Error) => e.message)));
    const tally = new Map<string | number, number>();
    for (const a of answers) tally.set(a, (tally.get(a) ?? 0) + 1);
    expect([...tally.keys()].every((k) => [200, 400, 403, 503].includes(k as number)), JSON.stringify([...tally])).toBe(true);
    expect(tally.get(400)).toBe(200);
    expect(tally.get(403)).toBe(200);
    // Many distinct targets at once: beyond 2 running and 2 waiting, scrapes are refused, not queued.
    expect(tally.get(503)).toBeGreaterThan(0);
    expect((await get(`${base}/probe?target=good.lab.test:${ports.good}`)).status).toBe(200);
  }, 120_000);
});

describe('shutdown', () => {
  it('close() lets the probe under way end, then stops', async () => {
    const base = await startExporter();
    const e = exporters[exporters.length - 1];
    const slow = get(`${base}/probe?target=silent.lab.test:${ports.silent}&timeout=1`);
    await new Promise((r) => setTimeout(r, 100));
    await e.close();
    expect((await slow).status).toBe(200);
    await expect(fetch(`${base}/-/healthy`)).rejects.toThrow();
  });
});

describe('tlsdoctor serve on the command line', () => {
  const cli = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'tlsdoctor.js');
  it.each([
    [[], /--allow FILE/],
    [['--allow', '/nonexistent/allow.txt'], /--allow \/nonexistent\/allow\.txt: no such file/],
    [['--allow-any', '--allow', '/etc/hosts'], /exclude each other/],
    [['--allow-any', '--listen', 'localhost'], /--listen must be ADDRESS:PORT/],
    [['--allow-any', '--listen', '127.0.0.1:70000'], /--listen must be ADDRESS:PORT/],
    [['--allow-any', '--listen', 'example.com:9219'], /is not an IP address/],
    [['--allow-any', '--concurrency', '0'], /--concurrency must be a whole number from 1 to 256/],
  ])('usage %j: one line, exit 2', async (args, words) => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [cli, 'serve', ...args], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(words);
    expect(r.stderr.split('\n')[0]).toMatch(words);
  });

  it('a bad allow-list line is named with its line number', async () => {
    const { spawnSync } = await import('node:child_process');
    const { writeFileSync } = await import('node:fs');
    const file = join(dir, 'bad-allow.txt');
    writeFileSync(file, 'example.com\n10.0.0.0/40\n');
    const r = spawnSync(process.execPath, [cli, 'serve', '--allow', file], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--allow ${file} line 2: "10.0.0.0/40": an IPv4 prefix is at most /32`);
  });

  it('answers on the port it printed, and exits 0 on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [cli, 'serve', '--allow-any', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    for (let i = 0; i < 100 && !/listening on (http:\S+)/.test(err); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /listening on (http:\/\/\S+?)\/ /.exec(err)?.[1];
    expect(url, err).toBeDefined();
    expect((await get(`${url}/-/healthy`)).text).toBe('OK\n');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('a probe asks permit before each connection it makes', () => {
  it('the HTTP/3 port Alt-Svc names: refused, recorded, and no packet sent', async () => {
    const dgram = await import('node:dgram');
    const { probeTarget, parseTarget } = await import('@tlsdoctor/probe');
    // A UDP socket on the port the answer advertises for HTTP/3, counting what arrives.
    const udp = dgram.createSocket('udp4');
    let datagrams = 0;
    udp.on('message', () => datagrams++);
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    const h3Port = udp.address().port;
    const leaf = pki.leaf('good');
    const server = tls.createServer({ cert: readFileSync(leaf.chain), key: readFileSync(leaf.key) }, (socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.end(`HTTP/1.1 200 OK\r\nalt-svc: h3=":${h3Port}"\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok`));
    });
    server.on('tlsClientError', () => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    const asked: number[] = [];
    const extraCa = [readFileSync(pki.root, 'utf8')];
    try {
      const [rec] = await probeTarget(parseTarget(`h3.lab.test:${port}`), {
        timeoutMs: 2000, profile: 'browser', decoySni: 'example.com', extraCa, trust: new TrustStore(extraCa), resolve: new Map([[`h3.lab.test:${port}`, '127.0.0.1']]),
        ciphers: false, warnDays: 21, http: true,
        permit: (c) => {
          asked.push(c.port);
          return c.port === port ? undefined : `port ${c.port} is not allowed here`;
        },
      });
      expect(rec.hsts?.altSvc).toContain(`:${h3Port}`);
      expect(rec.notPermitted?.map((n) => [n.check, n.port])).toEqual([['http3', h3Port]]);
      expect(rec.http3).toBeUndefined();
      expect(asked).toEqual(expect.arrayContaining([port, h3Port]));
      await new Promise((r) => setTimeout(r, 100));
      expect(datagrams).toBe(0);
    } finally {
      server.close();
      udp.close();
    }
  });
});
