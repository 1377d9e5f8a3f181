// Mutation fuzzing over the real handshakes and captures in fixtures/: whatever the bytes, the
// parsers return a result or throw their one typed error; nothing else escapes, nothing hangs.
// FUZZ_CASES sets the number of cases (npm run fuzz runs two million).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ja3,
  ja3s,
  ja4,
  KeyLog,
  openQuicLongPacket,
  parseAlert,
  parseCertificate,
  parseClientHello,
  parseQuicDatagram,
  parseQuicFrames,
  parseServerHello,
  parseServerKeyExchange,
  QuicCryptoStream,
  quicInitialKeys,
  TlsParseError,
  TlsStreamReader,
} from '@tlsdoctor/tls-parser-ts';
import { CaptureError, PcapngParser, PcapParser, readCaptureFile, TcpTracker, detectFormat } from '@tlsdoctor/capture';
import { CaptureResources, nodeHandshakeCrypto, PublicRoots, QuicTable, TlsConnectionSink } from '@tlsdoctor/analysis';
import { join } from 'node:path';
import { FIXTURES, fixtureFiles, reassembled } from './helpers/fixtures.js';

const CASES = Number(process.env.FUZZ_CASES ?? 100_000);

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Flips bytes, sets interesting values (0, 0xff, lengths), truncates, or duplicates a slice. */
function mutate(src: Uint8Array, r: () => number): Uint8Array {
  let b: Uint8Array = Uint8Array.from(src);
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n && b.length > 0; i++) {
    const at = Math.floor(r() * b.length);
    const op = r();
    if (op < 0.4) b[at] ^= 1 << Math.floor(r() * 8);
    else if (op < 0.7) b[at] = [0, 0xff, 0x7f, 0x80, 1, 0x40][Math.floor(r() * 6)];
    else if (op < 0.85) b = b.subarray(0, at);
    else {
      const len = Math.min(b.length - at, 1 + Math.floor(r() * 64));
      const out = new Uint8Array(b.length + len);
      out.set(b.subarray(0, at + len));
      out.set(b.subarray(at, at + len), at + len);
      out.set(b.subarray(at + len), at + 2 * len);
      b = out;
    }
  }
  return b;
}

/** Runs a parse that may throw only TlsParseError; its result, or null when it threw. */
function onlyTyped<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof TlsParseError)) throw e;
    expect(e.offset).toBeGreaterThanOrEqual(0);
    return null;
  }
}

/**
 * Reads every field a parsed hello offers (they are built on first read) and its fingerprints:
 * once the parse has succeeded, nothing may throw.
 */
function readEveryField(hello: object): void {
  for (let proto = Object.getPrototypeOf(hello); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (d.get) JSON.stringify((hello as Record<string, unknown>)[key]);
    }
  }
}

describe('fuzz', async () => {
  const streams: { client: Uint8Array; server: Uint8Array }[] = [];
  for (const f of fixtureFiles()) for (const c of await reassembled(f.path)) if (c.client.length > 0) streams.push(c);
  // Hello bodies: what follows the record and handshake headers of the first record.
  const clientHellos = streams.map((s) => s.client.subarray(9, 5 + ((s.client[3] << 8) | s.client[4]))).filter((b) => b.length > 40 && b.length < 16000);
  const serverFlights = streams.map((s) => s.server).filter((b) => b.length > 0 && b[0] === 22);

  it(`${CASES} mutated ClientHellos, ServerHellos and messages: only TlsParseError`, () => {
    const r = rng(12345);
    for (let i = 0; i < CASES; i++) {
      const ch = mutate(clientHellos[i % clientHellos.length], r);
      const hello = onlyTyped(() => parseClientHello(ch));
      if (hello && i % 8 === 0) {
        readEveryField(hello);
        ja3(hello);
        ja4(hello);
      }
      if (i % 4 === 0) {
        const sf = mutate(serverFlights[i % serverFlights.length].subarray(9), r);
        const sh = onlyTyped(() => parseServerHello(sf));
        if (sh) {
          readEveryField(sh);
          ja3s(sh);
        }
        onlyTyped(() => parseCertificate(sf, 0x0303));
        onlyTyped(() => parseCertificate(sf, 0x0304));
        onlyTyped(() => parseServerKeyExchange(sf, 0x0303));
        onlyTyped(() => parseAlert(sf.subarray(0, 2)));
      }
    }
  });

  it(`${Math.ceil(CASES / 10)} mutated streams through the stream reader in random chunks: no throw at all`, () => {
    const r = rng(777);
    for (let i = 0; i < Math.ceil(CASES / 10); i++) {
      const s = streams[i % streams.length];
      const dir = i % 2 === 0 ? 'client' : 'server';
      const bytes = mutate(dir === 'client' ? s.client : s.server, r);
      const reader = new TlsStreamReader(dir);
      let p = 0;
      const offsets: number[] = [];
      while (p < bytes.length) {
        const n = 1 + Math.floor(r() * 700);
        for (const ev of reader.push(bytes.subarray(p, p + n))) if ('offset' in ev) offsets.push(ev.offset);
        p += n;
      }
      reader.finish();
      // Every event points into the stream it came from.
      for (const o of offsets) if (!(o >= 0 && o <= bytes.length)) expect.fail(`event offset ${o} in a ${bytes.length}-byte stream`);
    }
  });

  it(`${Math.ceil(CASES / 50)} mutated capture files through readers, TCP and TLS analysis: only CaptureError`, () => {
    const r = rng(4242);
    const files = fixtureFiles().filter((f) => !f.name.endsWith('.gz')).map((f) => readFileSync(f.path));
    for (let i = 0; i < Math.ceil(CASES / 50); i++) {
      const bytes = mutate(files[i % files.length], r);
      const tracker = new TcpTracker({ sinkFactory: () => new TlsConnectionSink(), onConnection: (c) => ((c.sink as TlsConnectionSink | undefined) ?? new TlsConnectionSink()).toRecord(c, new Set([443])) });
      const format = detectFormat(bytes);
      if (!format) continue;
      const parser = format === 'pcap' ? new PcapParser((p) => tracker.packet(p)) : new PcapngParser((p) => tracker.packet(p));
      try {
        parser.feed(bytes, bytes.length, true, 0);
      } catch (e) {
        if (!(e instanceof CaptureError)) throw e;
      }
      tracker.finish();
    }
  });

  // With keys: the key-log fixtures' streams, mutated, through readers that open records with
  // the real secrets, and through the whole analysis; the key logs themselves, mutated.
  it(`${Math.ceil(CASES / 20)} mutated key-log captures and key logs: decryption neither throws nor hangs`, () => {
    const r = rng(9001);
    const keyed = fixtureFiles().filter((f) => f.sidecar.keylog);
    expect(keyed.length).toBeGreaterThan(0);
    const logs = keyed.map((f) => readFileSync(join(FIXTURES, f.sidecar.keylog!), 'latin1'));
    const roots = new PublicRoots();
    const captures = keyed.map((f) => readFileSync(f.path));
    for (let i = 0; i < Math.ceil(CASES / 20); i++) {
      const k = i % keyed.length;
      const log = new KeyLog();
      log.begin('fuzz');
      log.add(i % 3 === 0 ? Buffer.from(mutate(Buffer.from(logs[k], 'latin1'), r)).toString('latin1') : logs[k]);
      log.flush();
      const bytes = mutate(captures[k], r);
      // The roots are parsed once for every case (tens of milliseconds each time otherwise).
      const shared = new CaptureResources(log, roots);
      const tracker = new TcpTracker({ sinkFactory: () => new TlsConnectionSink(shared), onConnection: (c) => ((c.sink as TlsConnectionSink | undefined) ?? new TlsConnectionSink(shared)).toRecord(c, new Set([443])) });
      const parser = new PcapParser((p) => tracker.packet(p));
      try {
        parser.feed(bytes, bytes.length, true, 0);
      } catch (e) {
        if (!(e instanceof CaptureError)) throw e;
      }
      tracker.finish();
    }
  });

  // The protected records themselves: each side of every key-log fixture's connection (CBC
  // suites with MAC-then-encrypt and encrypt-then-MAC, TLS 1.0's chained IVs, CCM, NULL, PSK,
  // TLS 1.3 with its 0-RTT flight), mutated only past its hellos, so that the mutations land in
  // padding, MACs, IVs, tags and the early-data records, read in two chunks through the sink
  // with the real key log. Nothing throws; each side's decryption ends or goes on, never loops.
  it(`${Math.ceil(CASES / 20)} mutated protected flights (CBC padding and MACs, AEAD tags, 0-RTT) opened with their key logs: no throw, no hang`, async () => {
    const r = rng(4242);
    const sides: { log: string; client: Uint8Array; server: Uint8Array }[] = [];
    for (const f of fixtureFiles().filter((x) => x.sidecar.keylog)) {
      const log = readFileSync(join(FIXTURES, f.sidecar.keylog!), 'latin1');
      for (const c of await reassembled(f.path)) if (c.client.length > 0 && c.server.length > 0) sides.push({ log, client: c.client, server: c.server });
    }
    expect(sides.length).toBeGreaterThan(20);
    const logs = new Map<string, KeyLog>();
    const roots = new PublicRoots();
    const pkt = { frame: 1, time: 0, dir: 0, flags: 0, seq: 0, ack: 0, len: 0, ttl: 64, ipId: 0, window: 0 } as const;
    let opened = 0;
    for (let i = 0; i < Math.ceil(CASES / 20); i++) {
      const s = sides[i % sides.length];
      let log = logs.get(s.log);
      if (!log) {
        log = new KeyLog();
        log.begin('fuzz');
        log.add(s.log);
        log.flush();
        logs.set(s.log, log);
      }
      // The client's stream up to past its ClientHello and the server's past its hellos stay whole.
      const mutated = (b: Uint8Array, keep: number) => {
        const tail = mutate(b.subarray(keep), r);
        const out = new Uint8Array(keep + tail.length);
        out.set(b.subarray(0, keep));
        out.set(tail, keep);
        return out;
      };
      const mutateServer = i % 2 === 0;
      const client = mutateServer ? s.client : mutated(s.client, Math.min(s.client.length, 5 + ((s.client[3] << 8) | s.client[4])));
      const server = mutateServer ? mutated(s.server, Math.min(s.server.length, Math.floor(s.server.length * 0.3))) : s.server;
      const sink = new TlsConnectionSink(new CaptureResources(log, roots));
      const cut = (b: Uint8Array) => Math.floor(r() * (b.length + 1));
      // The client's hello first (the server's keys need it), then both sides in two chunks each.
      const c1 = cut(client);
      const s1 = cut(server);
      for (const [dir, part] of [[0, client.subarray(0, c1)], [1, server.subarray(0, s1)], [0, client.subarray(c1)], [1, server.subarray(s1)]] as const) {
        if (part.length > 0) sink.data(dir, part, { ...pkt, dir });
      }
      sink.finishStreams();
      const d = sink.rec.decryption;
      if (d && d.opened[0] + d.opened[1] > 0) opened++;
    }
    // The mutations are after the hellos: most cases still open records before or around them.
    expect(opened).toBeGreaterThan(Math.ceil(CASES / 20) / 4);
  });

  // QUIC: the Initial datagrams of the Chromium fixtures, mutated, through the packet parser,
  // Initial decryption (with the keys of each datagram's own DCID, so that mutations past the
  // header reach the frames), the frame reader and CRYPTO reassembly; and whole mutated
  // captures through the UDP path of the analysis. Memory stays bounded: no CRYPTO stream keeps
  // more than its limit, whatever offsets a packet claims.
  const quicFiles = fixtureFiles().filter((f) => f.name.startsWith('chromium-h3'));
  const datagrams: Uint8Array[] = [];
  for (const f of quicFiles) {
    const tracker = new TcpTracker({ onConnection: () => {}, onDatagram: (d) => datagrams.push(d.buf.slice(d.payloadStart, d.payloadStart + d.payloadLength)) });
    await readCaptureFile(f.path, (p) => tracker.packet(p));
  }

  it(`${Math.ceil(CASES / 10)} mutated QUIC datagrams: only TlsParseError, bounded CRYPTO streams`, () => {
    expect(datagrams.length).toBeGreaterThan(10);
    const r = rng(31337);
    const stream = new QuicCryptoStream(64 * 1024);
    for (let i = 0; i < Math.ceil(CASES / 10); i++) {
      const d = mutate(datagrams[i % datagrams.length], r);
      const packets = onlyTyped(() => parseQuicDatagram(d));
      for (const p of packets ?? []) {
        if (p.form !== 'long' || p.kind === 'retry') continue;
        const keys = quicInitialKeys(nodeHandshakeCrypto, p.version, p.dcid);
        if (!keys) continue;
        const opened = openQuicLongPacket(nodeHandshakeCrypto, i % 2 ? keys.server : keys.client, d, p);
        if (!opened) continue;
        const frames = onlyTyped(() => parseQuicFrames(opened.payload));
        for (const c of frames?.crypto ?? []) stream.add(c.offset, c.data);
        // Either side's taking, hellos parsed or (opened with keys) not.
        stream.takeEvents(i % 2 === 1 ? 'client' : 'server', i % 5 === 0);
      }
    }
    expect(stream.received).toBeLessThanOrEqual(64 * 1024);
    // The AEAD turns away nearly every mutated packet: the frames of opened ones are mutated too.
    const payloads: Uint8Array[] = [];
    for (const d of datagrams) {
      for (const p of parseQuicDatagram(d)) {
        if (p.form !== 'long' || p.kind !== 'initial') continue;
        const keys = quicInitialKeys(nodeHandshakeCrypto, p.version, p.dcid)!;
        const opened = openQuicLongPacket(nodeHandshakeCrypto, keys.client, d, p);
        if (opened) payloads.push(opened.payload);
      }
    }
    expect(payloads.length).toBeGreaterThan(0);
    for (let i = 0; i < Math.ceil(CASES / 10); i++) {
      const frames = onlyTyped(() => parseQuicFrames(mutate(payloads[i % payloads.length], r)));
      for (const c of frames?.crypto ?? []) stream.add(c.offset, c.data);
      stream.takeEvents('client');
    }
    expect(stream.received + stream.dropped).toBeGreaterThan(0);
    expect(stream.received).toBeLessThanOrEqual(64 * 1024);
  });

  it(`${Math.ceil(CASES / 50)} mutated QUIC captures through the UDP path of the analysis: only CaptureError`, () => {
    const r = rng(8080);
    const files = quicFiles.map((f) => readFileSync(f.path));
    expect(files.length).toBeGreaterThan(0);
    for (let i = 0; i < Math.ceil(CASES / 50); i++) {
      const bytes = mutate(files[i % files.length], r);
      const quic = new QuicTable({ onRecord: () => {} });
      const tracker = new TcpTracker({ onConnection: () => {}, onDatagram: (d, raw, time) => quic.datagram(d, raw, time) });
      try {
        new PcapParser((p) => tracker.packet(p)).feed(bytes, bytes.length, true, 0);
      } catch (e) {
        if (!(e instanceof CaptureError)) throw e;
      }
      tracker.finish();
      quic.finish();
    }
  });
});
