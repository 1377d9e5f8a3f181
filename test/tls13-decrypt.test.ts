// TLS 1.3 and TLS 1.2 handshake decryption, checked against Node's own TLS: a loopback connection whose
// server flight the probe's tap keeps, and whose secrets Node logs, must decrypt to the messages
// Node sent (the certificate bytes themselves), for each suite; HKDF against Node's HKDF.
import tls from 'node:tls';
import { createCipheriv, createHmac, hkdfSync, randomBytes, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHandshakeCrypto } from '@tlsdoctor/analysis';
import { hkdfExpandLabel, KeyLog, parseCertificate, tls12Keys, tls12Opener, tls12SuiteDecryption, Tls13RecordOpener, TLS13_DECRYPTABLE_SUITES, TlsStreamReader } from '@tlsdoctor/tls-parser-ts';
import { TappedConnection } from '../packages/probe/src/own-flight.js';

// A throwaway key and certificate for the loopback server, made by the openssl command line.
const dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-tls13-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-subj', '/CN=loopback.test', '-days', '2'], { stdio: 'ignore' });
const key = readFileSync(join(dir, 'k.pem'));
const cert = readFileSync(join(dir, 'c.pem'));
rmSync(dir, { recursive: true, force: true });

/** A server's flight read as a capture is: the stream reader, with an opener for its secret. */
function serverFlight(secret: Uint8Array, bytes: Uint8Array) {
  const reader = new TlsStreamReader('server', { opener: () => new Tls13RecordOpener(nodeHandshakeCrypto, TLS13_DECRYPTABLE_SUITES[0x1301], secret) });
  const messages = reader.push(bytes).flatMap((e) => (e.kind === 'handshake' && e.decrypted ? [{ type: e.msgType, body: e.body }] : []));
  return { messages, opened: reader.decryptedRecords, records: reader.encryptedRecords, ended: reader.decryption === 'ended' };
}

describe('HKDF-Expand-Label', () => {
  it.each(['sha256', 'sha384'] as const)('agrees with Node\'s HKDF (%s)', (hash) => {
    for (const length of [12, 16, 32, 48, 80]) {
      const ikm = randomBytes(32);
      const salt = randomBytes(16);
      const prk = new Uint8Array(createHmac(hash, salt).update(ikm).digest());
      const label = 'tls13 key';
      const info = Buffer.from([length >> 8, length & 0xff, label.length, ...Buffer.from(label), 0]);
      const theirs = Buffer.from(hkdfSync(hash, ikm, salt, info, length));
      expect(Buffer.from(hkdfExpandLabel(nodeHandshakeCrypto, hash, prk, 'key', new Uint8Array(0), length))).toEqual(theirs);
    }
  });
});

describe('TLS 1.3 drafts: the record protection of each', () => {
  // A record sealed by Node with keys worked out here from the drafts' text (HKDF-Expand with
  // the draft's label prefix; additional data the header from draft 25, none before) opens under
  // its own version's rules and under no other.
  const expandLabel = (secret: Buffer, label: string, length: number) => {
    const info = Buffer.from([length >> 8, length & 0xff, label.length, ...Buffer.from(label), 0, 1]);
    return createHmac('sha256', secret).update(info).digest().subarray(0, length);
  };
  const secret = randomBytes(32);
  const seal = (prefix: string, withHeader: boolean) => {
    const key = expandLabel(secret, `${prefix}key`, 16);
    const iv = expandLabel(secret, `${prefix}iv`, 12);
    const inner = Buffer.from([20, 0, 0, 32, ...randomBytes(32), 22]);
    const header = Buffer.from([23, 3, 3, 0, inner.length + 16]);
    const c = createCipheriv('aes-128-gcm', key, iv);
    if (withHeader) c.setAAD(header);
    const body = Buffer.concat([c.update(inner), c.final(), c.getAuthTag()]);
    return { header, body };
  };
  const sealed = { 18: seal('TLS 1.3, ', false), 23: seal('tls13 ', false), 28: seal('tls13 ', true) } as const;
  it.each([
    [0x7f12, 18],
    [0x7f17, 23],
    [0x7f1c, 28],
    [0x0304, 28],
  ] as const)('version 0x%s opens the record sealed as its rules say, and no other', (version, as) => {
    for (const [draft, r] of Object.entries(sealed)) {
      const opened = new Tls13RecordOpener(nodeHandshakeCrypto, TLS13_DECRYPTABLE_SUITES[0x1301], secret, version).open(r.header, r.body);
      expect(opened?.contentType, `sealed as draft ${draft}`).toBe(Number(draft) === as ? 22 : undefined);
    }
  });
});

describe('decrypting the server flight of a real TLS 1.3 handshake', () => {
  let server: tls.Server;
  let port = 0;
  beforeAll(async () => {
    server = tls.createServer({ key, cert, minVersion: 'TLSv1.3', requestCert: true, rejectUnauthorized: false }, (s) => s.end());
    server.on('tlsClientError', () => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server.close());

  const handshake = (suite: string) =>
    new Promise<{ tap: TappedConnection; cipher: string }>((resolve, reject) => {
      const tap = new TappedConnection('127.0.0.1', port);
      const s = tls.connect({ socket: tap.stream, servername: 'loopback.test', rejectUnauthorized: false, ciphers: suite, minVersion: 'TLSv1.3' });
      s.on('keylog', (l) => tap.keylog(l));
      s.once('secureConnect', () => {
        const cipher = s.getCipher().standardName;
        s.destroy();
        resolve({ tap, cipher });
      });
      s.once('error', reject);
      setTimeout(() => reject(new Error('no handshake in 5 s')), 5000).unref();
    });

  it.each(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'])('%s', async (suite) => {
    const { tap, cipher } = await handshake(suite);
    expect(cipher).toBe(suite);
    const flight = tap.serverFlight(cipher)!;
    expect(flight.opened).toBe(true);
    expect(flight.messages).toEqual(['Encrypted Extensions', 'Certificate Request', 'Certificate', 'Certificate Verify', 'Finished']);
    expect(flight.certificateRequest?.signatureAlgorithms?.length).toBeGreaterThan(0);
  });

  it('the Certificate message decrypts to the server\'s own certificate, byte for byte', async () => {
    const { tap, cipher } = await handshake('TLS_AES_128_GCM_SHA256');
    const raw = (tap as unknown as { chunks: Buffer[] }).chunks;
    const secret = (tap as unknown as { secrets: Map<string, Buffer> }).secrets.get('SERVER_HANDSHAKE_TRAFFIC_SECRET')!;
    const out = serverFlight(new Uint8Array(secret), new Uint8Array(Buffer.concat(raw)));
    const msg = out.messages.find((m) => m.type === 11)!;
    const certs = parseCertificate(msg.body, 0x0304).certificates;
    expect(Buffer.from(certs[0])).toEqual(new X509Certificate(cert).raw);
    expect(cipher).toBe('TLS_AES_128_GCM_SHA256');
    // Another secret opens nothing, and says so.
    const wrong = serverFlight(new Uint8Array(32), new Uint8Array(Buffer.concat(raw)));
    expect(wrong.opened).toBe(0);
    expect(wrong.ended).toBe(true);
    expect(wrong.messages).toEqual([]);
    expect(() => new Tls13RecordOpener(nodeHandshakeCrypto, TLS13_DECRYPTABLE_SUITES[0x1302], new Uint8Array(32))).toThrow(RangeError);
  });

  it('bytes cut or mutated never crash or hang: records that do not open end the reading', async () => {
    const { tap } = await handshake('TLS_AES_128_GCM_SHA256');
    const raw = Buffer.concat((tap as unknown as { chunks: Buffer[] }).chunks);
    const secret = new Uint8Array((tap as unknown as { secrets: Map<string, Buffer> }).secrets.get('SERVER_HANDSHAKE_TRAFFIC_SECRET')!);
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0);
    for (let i = 0; i < 300; i++) {
      const b = new Uint8Array(raw.subarray(0, next() % (raw.length + 1)));
      for (let k = 0; k < 3 && b.length > 0; k++) b[next() % b.length] ^= 1 << (next() % 8);
      // The stream reader reports bad bytes as events: nothing may throw.
      const out = serverFlight(secret, b);
      expect(out.opened).toBeLessThanOrEqual(out.records);
    }
  });
});

describe('decrypting the Finished of a real TLS 1.0-1.2 handshake, from the master secret', () => {
  let server: tls.Server;
  let port = 0;
  beforeAll(async () => {
    // The server sends data, then closes: its Finished opens, its data and what follows do not.
    server = tls.createServer({ key, cert, minVersion: 'TLSv1', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-CCM8:@SECLEVEL=0' }, (s) => s.end('application data'));
    server.on('tlsClientError', () => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server.close());

  // OpenSSL negotiates encrypt-then-MAC with the CBC suites unless told not to: MAC-then-encrypt
  // is the fixtures' (-no_etm), these are ETM's; TLS 1.0 chains its IVs, 1.1 sends them.
  it.each([
    ['ECDHE-ECDSA-AES128-GCM-SHA256', 0xc02b, 'TLSv1.2'],
    ['ECDHE-ECDSA-AES256-GCM-SHA384', 0xc02c, 'TLSv1.2'],
    ['ECDHE-ECDSA-CHACHA20-POLY1305', 0xcca9, 'TLSv1.2'],
    ['ECDHE-ECDSA-AES128-CCM8', 0xc0ae, 'TLSv1.2'],
    ['ECDHE-ECDSA-AES128-SHA', 0xc009, 'TLSv1.2'],
    ['ECDHE-ECDSA-AES256-SHA384', 0xc024, 'TLSv1.2'],
    ['ECDHE-ECDSA-AES128-SHA', 0xc009, 'TLSv1.1'],
    ['ECDHE-ECDSA-AES256-SHA', 0xc00a, 'TLSv1'],
  ] as const)('%s (%i) under %s: the server\'s Finished opens; application data is never opened', async (suite, code, version) => {
    const tap = new TappedConnection('127.0.0.1', port);
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const s = tls.connect({ socket: tap.stream, servername: 'loopback.test', rejectUnauthorized: false, ciphers: `${suite}:@SECLEVEL=0`, minVersion: version, maxVersion: version });
      s.on('keylog', (l) => lines.push(l.toString('latin1')));
      s.once('secureConnect', () => {
        s.write('hello');
        setTimeout(() => (s.destroy(), resolve()), 50);
      });
      s.once('error', reject);
    });
    const [, random, master] = lines.find((l) => l.startsWith('CLIENT_RANDOM '))!.trim().split(' ');
    const log = new KeyLog();
    log.begin('node');
    log.add(lines.join(''));
    log.flush();
    const raw = new Uint8Array(Buffer.concat((tap as unknown as { chunks: Buffer[] }).chunks));
    let serverRandom: Uint8Array | undefined;
    const openerWith = (secret: Uint8Array) => (sh: Parameters<typeof tls12Opener>[1] | undefined) => {
      expect(sh!.cipherSuite).toBe(code);
      serverRandom = sh!.random;
      const made = tls12Opener(nodeHandshakeCrypto, sh!, Buffer.from(random, 'hex'), secret, 'server');
      if ('reason' in made) throw new Error(made.reason);
      return made.opener;
    };
    const reader = new TlsStreamReader('server', { opener: openerWith(Buffer.from(master, 'hex')) });
    const events = reader.push(raw);
    expect(serverRandom?.length).toBe(32);
    const finished = events.filter((e) => e.kind === 'handshake' && e.decrypted);
    expect(finished.map((e) => e.kind === 'handshake' && [e.msgType, e.body.length])).toEqual([[20, 12]]);
    expect(events.some((e) => e.kind === 'alert' && e.decrypted)).toBe(false);
    expect(reader.decryptedRecords).toBe(1);
    expect(reader.decryption).toBe('ended');
    expect(reader.encryptedRecords).toBeGreaterThanOrEqual(3);
    expect(log.secret(Buffer.from(random, 'hex'), 'CLIENT_RANDOM')).toEqual(new Uint8Array(Buffer.from(master, 'hex')));
    // A wrong master secret opens nothing, and the reader stops trying.
    const wrong = new TlsStreamReader('server', { opener: openerWith(new Uint8Array(48)) });
    expect(wrong.push(raw).some((e) => e.kind === 'handshake' && e.decrypted)).toBe(false);
    expect(wrong.decryption).toBe('ended');
    expect(wrong.decryptedRecords).toBe(0);
    const params = tls12SuiteDecryption(code, 0x0303);
    if (!params.ok) throw new Error(params.reason);
    expect(() => tls12Keys(nodeHandshakeCrypto, params, new Uint8Array(32), new Uint8Array(32), new Uint8Array(32))).toThrow(RangeError);
  });
});
