// Probe parts that need no network: target parsing, --resolve, usage errors, and a probe of
// servers on loopback (Node servers made here, never any other address).
import net from 'node:net';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helloFor, http3Ports, parseResolve, parseTarget, postQuantumHello, probeHello, sendShaped, splitInsideName, TargetError } from '@tlsdoctor/probe';
import { TlsStreamReader, X25519MLKEM768 } from '@tlsdoctor/tls-parser-ts';
import { CLI, runCli } from './helpers/cli.js';
import { ROOT } from './helpers/fixtures.js';

const run = promisify(execFile);

describe('targets', () => {
  it.each([
    ['example.com', 'example.com', 443, '/', false, 'host'],
    ['Example.COM:8443', 'example.com', 8443, '/', false, 'host'],
    ['https://api.example.com:8443/ws?x=1', 'api.example.com', 8443, '/ws?x=1', false, 'https'],
    ['https://example.com', 'example.com', 443, '/', false, 'https'],
    ['203.0.113.7', '203.0.113.7', 443, '/', true, 'host'],
    ['203.0.113.7:993', '203.0.113.7', 993, '/', true, 'host'],
    ['[2001:db8::1]:8443', '2001:db8::1', 8443, '/', true, 'host'],
    ['2001:db8::1', '2001:db8::1', 443, '/', true, 'host'],
    ['https://[2001:db8::1]/', '2001:db8::1', 443, '/', true, 'https'],
    ['bücher.example', 'xn--bcher-kva.example', 443, '/', false, 'host'],
    ['127.1', '127.0.0.1', 443, '/', true, 'host'],
    ['0x7f000001:8443', '127.0.0.1', 8443, '/', true, 'host'],
    ['wss://chat.example.com/socket', 'chat.example.com', 443, '/socket', false, 'wss'],
    ['ws://chat.example.com/socket', 'chat.example.com', 443, '/socket', false, 'wss', true],
    ['ws://chat.example.com:8080/socket', 'chat.example.com', 8080, '/socket', false, 'wss', true],
  ])('%s', (input, host, port, path, isIp, scheme, fromPlainWs?: boolean) => {
    expect(parseTarget(input)).toEqual({ input, host, port, path, isIp, scheme, ...(fromPlainWs ? { fromPlainWs } : {}) });
  });

  it.each([['example.com:0'], ['example.com:70000'], ['example.com:https'], ['http://example.com/'], ['ftp://example.com/'], ['']])('rejects %j', (input) => {
    expect(() => parseTarget(input)).toThrow(TargetError);
  });

  it('--resolve as curl has it', () => {
    expect(parseResolve('example.com:443:203.0.113.7')).toEqual({ host: 'example.com', port: 443, address: '203.0.113.7' });
    expect(parseResolve('example.com:8443:[2001:db8::1]')).toEqual({ host: 'example.com', port: 8443, address: '2001:db8::1' });
    expect(() => parseResolve('example.com:443:not-an-ip')).toThrow(/not an IP address/);
  });
});

describe('tlsdoctor probe usage errors: one line, exit 2, no traffic', () => {
  it.each([
    [['probe'], /name at least one target/],
    [['probe', 'example.com:70000'], /the port must be a number from 1 to 65535/],
    [['probe', 'http://example.com/'], /only https:\/\//],
    [['probe', 'example.com', '--resolve', 'bad'], /expected HOST:PORT:ADDRESS/],
    [['probe', 'example.com', '--timeout', '0'], /--timeout must be/],
    [['probe', 'example.com', '--targets', '/nonexistent/targets.txt'], /--targets \/nonexistent\/targets\.txt: no such file/],
    [['probe', 'example.com', '--profile', 'netscape'], /Invalid values/],
    [['probe', 'example.com', '--timeout', 'abc'], /--timeout must be a number above 0 and at most 120 \(got "abc"\)/],
    [['probe', 'example.com', '--concurrency', '2.5'], /--concurrency must be a whole number from 1 to 64 \(got "2\.5"\)/],
    [['probe', 'example.com', '--warn-days', 'soon'], /--warn-days must be a number from 0 to 3650 \(got "soon"\)/],
    [['probe', 'example.com', '--allow-list', join(ROOT, 'README.md')], /--allow-list applies to --profile wechat-miniprogram only/],
    [['probe', 'example.com', '--ca', join(ROOT, 'README.md')], /--ca \S*README\.md: holds no PEM certificate and is not a DER certificate/],
  ])('%j', (args, message) => {
    const r = runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('--ca takes PEM or DER', () => {
  it('a DER certificate is converted, and the probe runs (to a closed port on loopback)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-ca-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'ca.pem'), '-subj', '/CN=test CA', '-days', '1'], { stdio: 'ignore' });
      execFileSync('openssl', ['x509', '-in', join(dir, 'ca.pem'), '-outform', 'DER', '-out', join(dir, 'ca.der')], { stdio: 'ignore' });
      const r = runCli(['probe', '127.0.0.1:1', '--ca', join(dir, 'ca.der'), '--timeout', '1', '--no-http', '--format', 'json']);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout).targets[0].diagnoses[0].code).toBe('TCP_REFUSED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an IP target is checked against the IP SANs', () => {
  // Each server on loopback holds a self-signed certificate (trusted with --ca) naming 127.0.0.1
  // one way: as an IP SAN (a match), or as the DNS name localhost only (no match for an IP).
  it.each([
    ['IP:127.0.0.1', false],
    ['DNS:localhost', true],
  ])('a certificate with %s: hostname mismatch %s', async (san, mismatch) => {
    const dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-ipsan-'));
    const server = tls.createServer({});
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'),
        '-subj', '/CN=ip san test', '-days', '1', '-addext', `subjectAltName=${san}`], { stdio: 'ignore' });
      server.setSecureContext({ cert: readFileSync(join(dir, 'c.pem')), key: readFileSync(join(dir, 'k.pem')) });
      server.on('secureConnection', (s) => s.end());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as net.AddressInfo).port;
      // Run asynchronously: this process serves the handshakes.
      const { stdout } = await run(process.execPath, [CLI, 'probe', `127.0.0.1:${port}`, '--ca', join(dir, 'c.pem'), '--timeout', '2', '--no-http', '--format', 'json'], { timeout: 30_000 })
        .catch((e: { stdout: string }) => e);
      const codes = JSON.parse(stdout).targets[0].diagnoses.map((d: { code: string }) => d.code);
      expect(codes.includes('CERT_HOSTNAME_MISMATCH'), codes.join(', ')).toBe(mismatch);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('raw hello probes against hostile servers on loopback', () => {
  const servers: net.Server[] = [];
  const ports: Record<string, number> = {};
  const serve = (name: string, onData: (s: net.Socket) => void) =>
    new Promise<void>((resolve) => {
      const srv = net.createServer((s) => {
        s.on('error', () => {});
        s.once('data', () => onData(s));
      });
      srv.listen(0, '127.0.0.1', () => {
        ports[name] = (srv.address() as net.AddressInfo).port;
        resolve();
      });
      servers.push(srv);
    });

  beforeAll(async () => {
    await serve('silent', () => {});
    await serve('ssh', (s) => s.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'));
    await serve('reset', (s) => s.resetAndDestroy());
    await serve('http', (s) => s.end('HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n\r\n'));
    await serve('alert', (s) => s.end(Buffer.from([21, 3, 3, 0, 2, 2, 40])));
    await serve('flood', (s) => {
      // Endless bytes that look like records: the probe must stop on its own.
      const chunk = Buffer.alloc(64 * 1024, 0x16);
      const pump = () => {
        while (s.writable && s.write(chunk)) {
          /* fill the socket */
        }
      };
      s.on('drain', pump);
      pump();
    });
  });
  afterAll(() => servers.forEach((s) => s.close()));

  it.each([
    ['silent', 'silent'],
    ['ssh', 'not-tls'],
    ['reset', 'reset'],
    ['http', 'not-tls'],
    ['alert', 'alert'],
    ['flood', 'not-tls'],
  ])('%s server: %s, within the time limit', async (name, kind) => {
    const t0 = Date.now();
    const r = await probeHello({ address: '127.0.0.1', port: ports[name], serverName: 'x.test', versions: [0x0304, 0x0303], timeoutMs: 700 });
    expect(r.kind).toBe(kind);
    expect(Date.now() - t0).toBeLessThan(3000);
    if (name === 'ssh' && r.kind === 'not-tls') expect(r.description.kind).toBe('ssh');
    if (name === 'http' && r.kind === 'not-tls') expect(r.description.status).toBe(400);
  });

  it('a closed port on loopback is refused', async () => {
    const srv = net.createServer();
    await new Promise<void>((res) => srv.listen(0, '127.0.0.1', () => res()));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((res) => srv.close(() => res()));
    const r = await probeHello({ address: '127.0.0.1', port, versions: [0x0304], timeoutMs: 1000 });
    expect(r.kind).toBe('connect-failed');
    if (r.kind === 'connect-failed') expect(r.connect.kind).toBe('refused');
  });
});

describe('hello shapes', () => {
  it('the browser-shaped hello is as large as a browser\'s and offers what the default one offers', () => {
    const base = { serverName: 'shapes.example.test', versions: [0x0304, 0x0303, 0x0302, 0x0301], alpn: ['h2', 'http/1.1'] };
    const pq = postQuantumHello(base);
    expect(pq.length).toBeGreaterThan(1700);
    expect(pq.length).toBeLessThan(2300);
    const events = new TlsStreamReader('client').push(pq);
    const ch = events.find((e) => e.kind === 'handshake')!;
    if (ch.kind !== 'handshake' || !ch.clientHello) throw new Error('no ClientHello');
    const hello = ch.clientHello;
    expect(hello.offeredVersions).toEqual(base.versions);
    expect(hello.serverNames).toEqual(['shapes.example.test']);
    const share = hello.keyShares!.find((k) => k.group === X25519MLKEM768)!;
    expect(share.keyLength).toBe(1216);
    expect(hello.keyShares!.map((k) => k.group)).toContain(0x001d);
    expect(hello.encryptedClientHello).toMatchObject({ type: 0, kdf: 1, aead: 1, encLength: 32, payloadLength: 240 });
    expect(hello.extensions.some((e) => e.grease)).toBe(true);
  });

  it('cuts a hello inside the name, and at a fixed place when the name is absent', () => {
    const named = helloFor({ serverName: 'blocked.example.test', versions: [0x0304] });
    const at = splitInsideName(named, 'blocked.example.test');
    const text = Buffer.from(named).toString('latin1');
    expect(text.slice(0, at).endsWith('blocked.ex')).toBe(true);
    expect(text.slice(at).startsWith('ample.test')).toBe(true);
    expect(splitInsideName(named, 'other.test')).toBe(40);
  });

  it('a split hello goes out in two segments, the second after the pause', async () => {
    const chunks: { at: number; bytes: number }[] = [];
    const srv = net.createServer((s) => {
      s.on('error', () => {});
      const t0 = Date.now();
      s.on('data', (d) => chunks.push({ at: Date.now() - t0, bytes: d.length }));
    });
    await new Promise<void>((res) => srv.listen(0, '127.0.0.1', () => res()));
    const port = (srv.address() as net.AddressInfo).port;
    const r = await sendShaped({ address: '127.0.0.1', port, serverName: 'x.test', versions: [0x0304], timeoutMs: 400 }, 'split', helloFor({ serverName: 'x.test', versions: [0x0304] }), 40);
    srv.close();
    expect(r.writes[0]).toBe(40);
    expect(r.writes[0] + r.writes[1]).toBe(r.bytes);
    expect(chunks[0].bytes).toBe(40);
    expect(chunks.slice(1).reduce((n, c) => n + c.bytes, 0)).toBe(r.bytes - 40);
    expect(r.outcome.kind).toBe('silent');
  });
});

describe('Alt-Svc: where HTTP/3 is advertised', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['clear', []],
    ['h3=":443"; ma=86400', [443]],
    ['h3=":443"; ma=86400, h3-29=":443"; ma=86400', [443]],
    ['h2=":443", h3=":8443"', [8443]],
    ['h3-29=":4433"', [4433]],
    ['h3="alt.example:443"', [443]],
    ['h2=":443"', []],
    ['h3=":0", h3=":70000", h3=":abc"', []],
    ['xh3=":443"', []],
  ])('%j gives %j', (altSvc, ports) => {
    expect(http3Ports(altSvc)).toEqual(ports);
  });
});
