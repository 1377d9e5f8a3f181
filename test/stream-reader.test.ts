// The streaming reader gives the same events however the bytes are chunked, and tells where
// encryption begins, on the real handshakes in fixtures/.
import { describe, expect, it } from 'vitest';
import { TlsStreamReader, type StreamEvent } from '@tlsdoctor/tls-parser-ts';
import { fixtureFiles, reassembled } from './helpers/fixtures.js';

function summarize(events: StreamEvent[]): string[] {
  return events.map((e) => {
    switch (e.kind) {
      case 'handshake': return `hs ${e.msgType} ${e.body.length}@${e.offset}`;
      case 'record': return `rec ${e.contentType} ${e.length}@${e.offset}${e.encrypted ? ' enc' : ''}`;
      case 'alert': return `alert ${e.alert.description}`;
      case 'encryption-started': return `enc ${e.reason}@${e.offset}`;
      default: return `${e.kind}@${e.offset}`;
    }
  });
}

function feed(dir: 'client' | 'server', bytes: Uint8Array, sizes: number[]): string[] {
  const r = new TlsStreamReader(dir);
  const out: StreamEvent[] = [];
  let p = 0;
  for (let i = 0; p < bytes.length; i++) {
    const n = sizes[i % sizes.length];
    out.push(...r.push(bytes.subarray(p, p + n)));
    p += n;
  }
  out.push(...r.finish());
  return summarize(out);
}

const cases = fixtureFiles().filter((f) => !f.name.startsWith('syn-') && !f.name.startsWith('icmp'));

describe.each(cases.map((f) => [f.name, f.path]))('%s', (_name, path) => {
  it('same events for every chunking: whole, byte by byte, odd sizes', async () => {
    for (const { client, server } of await reassembled(path)) {
      for (const [dir, bytes] of [['client', client], ['server', server]] as const) {
        const whole = feed(dir, bytes, [bytes.length || 1]);
        expect(feed(dir, bytes, [1])).toEqual(whole);
        expect(feed(dir, bytes, [3, 7, 5, 1000, 2])).toEqual(whole);
      }
    }
  });

  it('with transientChunks, hellos stay whole after the caller reuses its buffer', async () => {
    for (const { client, server } of await reassembled(path)) {
      for (const [dir, bytes] of [['client', client], ['server', server]] as const) {
        const expected = hellosOf(feedHellos(dir, bytes, [bytes.length || 1], false));
        for (const sizes of [[bytes.length || 1], [3, 7, 5, 1000, 2], [1448]]) {
          expect(hellosOf(feedHellos(dir, bytes, sizes, true))).toEqual(expected);
        }
      }
    }
  });
});

/** Feeds bytes through one scratch buffer that is scribbled over after each push, as a capture reader's is. */
function feedHellos(dir: 'client' | 'server', bytes: Uint8Array, sizes: number[], transient: boolean): StreamEvent[] {
  const r = new TlsStreamReader(dir, { transientChunks: transient });
  const scratch = new Uint8Array(Math.max(...sizes));
  const out: StreamEvent[] = [];
  let p = 0;
  for (let i = 0; p < bytes.length; i++) {
    const n = Math.min(sizes[i % sizes.length], bytes.length - p);
    const chunk = transient ? scratch.subarray(0, n) : bytes.subarray(p, p + n);
    if (transient) chunk.set(bytes.subarray(p, p + n));
    out.push(...r.push(chunk));
    if (transient) scratch.fill(0xa5);
    p += n;
  }
  return out;
}

/** What a report reads from each hello, read after the stream is over. */
function hellosOf(events: StreamEvent[]): unknown[] {
  const out: unknown[] = [];
  for (const e of events) {
    if (e.kind !== 'handshake') continue;
    const h = e.clientHello ?? e.serverHello;
    if (!h) continue;
    out.push({
      random: Buffer.from(h.random).toString('hex'),
      session: Buffer.from(h.sessionId).toString('hex'),
      suites: e.clientHello?.cipherSuites ?? e.serverHello?.cipherSuite,
      sni: e.clientHello?.serverNames,
      alpn: h.alpn,
      extensions: h.extensions.map((x) => [x.type, Buffer.from(x.data).toString('hex')]),
    });
  }
  return out;
}

describe('where encryption begins', () => {
  it.each([
    ['handshake-ok-curl-tls13.pcap', 'server', 'tls13-server-hello'],
    ['handshake-ok-curl-tls13.pcap', 'client', 'change-cipher-spec'],
    ['openssl-tls12-handshake.pcap', 'server', 'change-cipher-spec'],
    ['openssl-tls12-handshake.pcap', 'client', 'change-cipher-spec'],
  ])('%s, %s side: %s', async (file, dir, reason) => {
    const [conn] = await reassembled(fixtureFiles().find((f) => f.name === file)!.path);
    const events = feed(dir as 'client' | 'server', dir === 'client' ? conn.client : conn.server, [100000]);
    expect(events.find((e) => e.startsWith('enc '))).toMatch(new RegExp(`^enc ${reason}@`));
  });

  it('a HelloRetryRequest: the server\'s CCS before its real ServerHello does not hide it', async () => {
    const [conn] = await reassembled(fixtureFiles().find((f) => f.name === 'openssl-tls13-hello-retry.pcap')!.path);
    const server = feed('server', conn.server, [100000]).filter((e) => e.startsWith('hs '));
    const client = feed('client', conn.client, [100000]).filter((e) => e.startsWith('hs '));
    expect(server.map((e) => e.split(' ')[1])).toEqual(['2', '2']);
    expect(client.map((e) => e.split(' ')[1])).toEqual(['1', '1']);
  });

  it('a large ClientHello arrives in two records and many segments, and is read whole', async () => {
    const [conn] = await reassembled(fixtureFiles().find((f) => f.name === 'openssl-large-client-hello.pcap')!.path);
    const events = feed('client', conn.client, [1448]);
    expect(events.filter((e) => e.startsWith('rec 22')).length).toBeGreaterThanOrEqual(2);
    expect(events.find((e) => e.startsWith('hs 1 '))).toMatch(/^hs 1 \d{5}@5$/);
  });
});

describe('non-TLS streams', () => {
  it.each([
    ['plaintext-http-on-443.pcap', 'http-response', 'HTTP/1.1 400 Bad Request'],
    ['garbage-server.pcap', 'binary', undefined],
  ])('%s: the server side is described as %s', async (file, kind, line) => {
    const { describeNonTls } = await import('@tlsdoctor/tls-parser-ts');
    const [conn] = await reassembled(fixtureFiles().find((f) => f.name === file)!.path);
    const r = new TlsStreamReader('server');
    expect(r.push(conn.server).some((e) => e.kind === 'not-tls')).toBe(true);
    const d = describeNonTls(r.nonTlsBytes);
    expect(d.kind).toBe(kind);
    if (line) expect(d.firstLine).toBe(line);
  });

  it.each([
    ['SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n', 'ssh'],
    ['GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'http-request'],
    ['220 smtp.example.test ESMTP\r\n', 'text'],
  ])('describes %j as %s', async (text, kind) => {
    const { describeNonTls } = await import('@tlsdoctor/tls-parser-ts');
    expect(describeNonTls(new TextEncoder().encode(text)).kind).toBe(kind);
  });

  it.each([
    ['HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Type: text/html\r\n\r\n<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n', '400 The plain HTTP request was sent to HTTPS port'],
    ['HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n', undefined],
  ])('an HTTP answer keeps its page title: %j', async (text, title) => {
    const { describeNonTls } = await import('@tlsdoctor/tls-parser-ts');
    const d = describeNonTls(new TextEncoder().encode(text));
    expect(d.kind).toBe('http-response');
    expect(d.title).toBe(title);
  });

  it.each([
    ['HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n\r\n<html><head><title>400 No required SSL certificate was sent</title>', 'HTTP/1.1 400 Bad Request'],
    ['HTTP/1.0 200 OK\nContent-Length: 0\n\n', 'HTTP/1.0 200 OK'],
    ['HTTP/1.1 496\r\n\r\n', 'HTTP/1.1 496'],
    // Not a status line: a request, HTTP/2's binary preface of frames, a line the record cut, HTTP/2 text, control characters.
    ['GET / HTTP/1.1\r\nHost: x\r\n\r\n', undefined],
    ['\x00\x00\x12\x04\x00\x00\x00\x00\x00', undefined],
    ['HTTP/1.1 400 Bad Request', undefined],
    ['HTTP/2 400\r\n', undefined],
    ['HTTP/1.1 400 Bad\x01Request\r\n', undefined],
    [`HTTP/1.1 400 ${'x'.repeat(300)}\r\n`, undefined],
  ])('the status line of a first application record, and nothing after it: %j', async (text, line) => {
    const { httpStatusLine } = await import('@tlsdoctor/tls-parser-ts');
    expect(httpStatusLine(new Uint8Array(Buffer.from(text, 'latin1')))).toBe(line);
  });
});
