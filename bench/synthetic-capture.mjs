// Writes the benchmark's synthetic classic-pcap captures, one per shape of traffic: a figure
// tuned on one shape does not carry over to another, so the benchmark measures them all.
//
//   bulk: ~100,000 TCP connections interleaved 64 at a time, of four kinds: TLS 1.3 handshakes
//     followed by 16 kB of data (60%), resets right after the ClientHello (20%), SYN timeouts
//     (10%) and refusals (10%); about 1.3 GB. Data-heavy: the cost per byte decides.
//   handshake-dense, handshake-dense-interleaved: short connections, each with its own SNI
//     (about 10 kB each): a handshake, a request, a three-segment answer, then FINs whose last
//     ACK never comes; a fifth fail (resets after the ClientHello, handshake_failure alerts,
//     refusals). One connection after another, or 64 at a time. The cost per connection decides.
//     The interleaved shape's hellos are Chrome's kind: GREASE and the extensions in a new order
//     every time, so no two share a JA3 (the other shapes' hellos come in a few kinds).
//   concurrent: many connections open at once (200,000 by default): every handshake first, then
//     one request and answer each (keep-alive traffic), then every close. Memory decides.
//   non-tls: mostly other traffic: plain HTTP on port 80, SSH banners on 22 and DNS over UDP make
//     nine connections in ten; the tenth is a TLS handshake. Finding TLS cheaply decides.
//
// The hellos are built by tls-parser-ts's builder; the server flight is canned bytes shaped like
// a real one. Packets are written in time order (within a batch, to a fraction of a millisecond).
// The same for a given shape and size but for the GREASE values, which the builder draws at random.
import { buildClientHello, wrapInRecords, ByteWriter } from '../packages/tls-parser-ts/dist/index.js';
import { ACK, FIN, PSH, PcapWriter, RST, SYN } from './pcap-writer.mjs';

export const SHAPES = {
  bulk: { connections: 100_000 },
  'handshake-dense': { connections: 100_000 },
  'handshake-dense-interleaved': { connections: 100_000 },
  concurrent: { connections: 200_000 },
  'non-tls': { connections: 100_000 },
};

const SUITES = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030];

function hello(i, serverName, chromeLike = false) {
  const record = Buffer.from(buildClientHello({
    versions: [0x0304, 0x0303], cipherSuites: SUITES, groups: [0x001d, 0x0017], signatureAlgorithms: [0x0403, 0x0804, 0x0401], serverName,
    alpn: ['h2', 'http/1.1'], grease: chromeLike || i % 2 === 0, padTo: 512, random: new Uint8Array(32).fill(i & 0xff), sessionId: new Uint8Array(32).fill(i & 0xff),
  }));
  return chromeLike ? withExtensionsShuffled(record, i) : record;
}

/**
 * The hello record with its extensions in another order (a deterministic one per `i`), padding
 * kept last, as Chrome sends them since version 110.
 */
function withExtensionsShuffled(record, i) {
  const b = Buffer.from(record);
  // Record header (5), handshake header (4), version (2), random (32), then the session id.
  let p = 5 + 4 + 34;
  p += 1 + b[p];
  p += 2 + b.readUInt16BE(p);
  p += 1 + b[p];
  const start = p + 2;
  const end = start + b.readUInt16BE(p);
  const exts = [];
  for (let q = start; q < end; q += 4 + b.readUInt16BE(q + 2)) exts.push(b.subarray(q, q + 4 + b.readUInt16BE(q + 2)));
  const padding = exts.pop();
  let seed = Math.imul(i + 1, 0x9e3779b1) >>> 0;
  for (let k = exts.length - 1; k > 0; k--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (k + 1);
    [exts[k], exts[j]] = [exts[j], exts[k]];
  }
  Buffer.concat([...exts, padding]).copy(b, start);
  return b;
}

/** A TLS 1.3 server flight: ServerHello, the compatibility CCS, 2.4 kB of encrypted records. */
function serverFlight13() {
  const w = new ByteWriter();
  w.u8(2).vec(3, (b) => {
    b.u16(0x0303).bytes(new Uint8Array(32).fill(7)).vec(1, (s) => s.bytes(new Uint8Array(32).fill(1))).u16(0x1301).u8(0);
    b.vec(2, (e) => { e.u16(0x002b).vec(2, (d) => d.u16(0x0304)); e.u16(0x0033).vec(2, (d) => d.u16(0x001d).vec(2, (k) => k.bytes(new Uint8Array(32).fill(9)))); });
  });
  return Buffer.concat([wrapInRecords(22, w.finish(), 0x0303), new Uint8Array([20, 3, 3, 0, 1, 1]), wrapInRecords(23, new Uint8Array(2400).fill(0x5a), 0x0303)]);
}

const CLIENT_FINISHED = Buffer.concat([Buffer.from([20, 3, 3, 0, 1, 1]), wrapInRecords(23, new Uint8Array(53).fill(0x33), 0x0303)]);
const BULK = Buffer.concat([Buffer.from([23, 3, 3, 0x05, 0xa3]), Buffer.alloc(1448 - 5, 0x42)]);
const REQUEST = wrapInRecords(23, new Uint8Array(280).fill(0x21), 0x0303);
const HANDSHAKE_FAILURE = Buffer.from([21, 3, 3, 0, 2, 2, 40]);
const HTTP_REQUEST = Buffer.from('GET /index.html HTTP/1.1\r\nHost: intranet.example\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n');
const HTTP_ANSWER = Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 4000\r\n\r\n'), Buffer.alloc(1400, 0x61)]);
const SSH_SERVER = Buffer.from('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
const SSH_CLIENT = Buffer.from('SSH-2.0-OpenSSH_9.2p1\r\n');
const DNS_QUERY = Buffer.from('12340100000100000000000003777777076578616d706c6503636f6d0000010001', 'hex');
const DNS_ANSWER = Buffer.from('12348180000100010000000003777777076578616d706c6503636f6d0000010001c00c000100010000012c00045db8d822', 'hex');

export function writeSyntheticCapture(path, { shape = 'bulk', connections = SHAPES[shape].connections, bulkSegments = 11 } = {}) {
  if (!SHAPES[shape]) throw new Error(`unknown shape ${shape}: ${Object.keys(SHAPES).join(', ')}`);
  const w = new PcapWriter(path);
  let seed = 1;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const flight = serverFlight13();
  const hellos = Array.from({ length: 16 }, (_, i) => hello(i, `host${i}.bench.test`));
  const endpoint = (i, sport = 443) => ({
    cip: ((10 << 24) | ((i >>> 8) & 0xffff) << 8 | (i & 0xff)) >>> 0, sip: (0xc6120000 | (i % 4096)) >>> 0, cport: 1024 + (i % 60000), sport,
    cid: (rnd() * 65535) | 0, sid: (rnd() * 65535) | 0, cs: (rnd() * 2 ** 32) >>> 0, ss: (rnd() * 2 ** 32) >>> 0,
  });
  // Packets due later than the batch that made them (bulk's SYN retransmissions 1 s and 3 s on),
  // one queue per delay: each is in time order, and they are merged as they are written.
  const later = [[], []];
  const writeDue = (until) => {
    for (;;) {
      const [a, b] = later;
      const q = a.length > 0 && (b.length === 0 || a[0].time <= b[0].time) ? a : b;
      if (q.length === 0 || q[0].time > until) return;
      q.shift().write();
    }
  };

  /** SYN, SYN-ACK, ACK; then the client's payload. Yields between packets. */
  function* open(c, step) {
    yield w.tcp(c, true, SYN, c.cs, 0, Buffer.alloc(0), 64, step());
    yield w.tcp(c, false, SYN | ACK, c.ss, c.cs + 1, Buffer.alloc(0), 63, step());
    c.cs++;
    c.ss++;
    yield w.tcp(c, true, ACK, c.cs, c.ss, Buffer.alloc(0), 64, step());
  }
  function* send(c, fromClient, bytes, step, flags = PSH | ACK) {
    for (let p = 0; p < bytes.length; p += 1448) {
      const seg = bytes.subarray(p, p + 1448);
      if (fromClient) {
        yield w.tcp(c, true, flags, c.cs, c.ss, seg, 64, step());
        c.cs += seg.length;
      } else {
        yield w.tcp(c, false, flags, c.ss, c.cs, seg, 63, step());
        c.ss += seg.length;
      }
    }
  }
  function* tlsHandshake(c, ch, step) {
    yield* open(c, step);
    yield* send(c, true, ch, step);
    yield* send(c, false, flight, step);
    yield* send(c, true, CLIENT_FINISHED, step);
  }
  /** FIN from the client, FIN-ACK from the server; the last ACK only when `acked`. */
  function* close(c, step, acked) {
    yield w.tcp(c, true, FIN | ACK, c.cs, c.ss, Buffer.alloc(0), 64, step());
    yield w.tcp(c, false, FIN | ACK, c.ss, c.cs + 1, Buffer.alloc(0), 63, step());
    if (acked) yield w.tcp(c, true, ACK, c.cs + 1, c.ss + 1, Buffer.alloc(0), 64, step());
  }
  const stepper = (t0) => {
    let t = t0;
    return () => (t += 0.0002);
  };

  function* bulkConn(i, t0) {
    const kind = i % 10 < 6 ? 'ok' : i % 10 < 8 ? 'reset' : i % 10 < 9 ? 'timeout' : 'refused';
    const c = endpoint(i);
    const step = stepper(t0);
    if (kind === 'timeout') {
      // The retransmissions go out 1 s and 3 s later, so they are written when the capture's
      // clock gets there, among later batches, as a capture would hold them.
      for (const [q, d] of [[0, 1], [1, 3]]) later[q].push({ time: t0 + d, write: () => w.tcp(c, true, SYN, c.cs, 0, Buffer.alloc(0), 64, t0 + d) });
      yield w.tcp(c, true, SYN, c.cs, 0, Buffer.alloc(0), 64, t0);
      return;
    }
    if (kind === 'refused') {
      yield w.tcp(c, true, SYN, c.cs, 0, Buffer.alloc(0), 64, step());
      yield w.tcp(c, false, RST | ACK, 0, c.cs + 1, Buffer.alloc(0), 63, step());
      return;
    }
    yield* open(c, step);
    yield* send(c, true, hellos[i % hellos.length], step);
    if (kind === 'reset') {
      yield w.tcp(c, false, RST | ACK, c.ss, c.cs, Buffer.alloc(0), 64, step());
      return;
    }
    yield* send(c, false, flight, step);
    yield* send(c, true, CLIENT_FINISHED, step);
    for (let k = 0; k < bulkSegments; k++) {
      yield w.tcp(c, false, ACK, c.ss, c.cs, BULK, 63, step());
      c.ss += BULK.length;
      if (k % 4 === 0) yield w.tcp(c, true, ACK, c.cs, c.ss, Buffer.alloc(0), 64, step());
    }
    yield* close(c, step, true);
  }

  // A fifth of the dense shape's connections fail: 8% reset after the hello, 6% refused by a
  // handshake_failure alert, 6% refused at TCP.
  function* denseConn(i, t0, chromeLike) {
    const k = i % 50;
    const kind = k < 40 ? 'ok' : k < 44 ? 'reset' : k < 47 ? 'alert' : 'refused';
    const c = endpoint(i);
    const step = stepper(t0);
    if (kind === 'refused') {
      yield w.tcp(c, true, SYN, c.cs, 0, Buffer.alloc(0), 64, step());
      yield w.tcp(c, false, RST | ACK, 0, c.cs + 1, Buffer.alloc(0), 63, step());
      return;
    }
    yield* open(c, step);
    // Each connection names its own service: about as many SNIs as connections.
    yield* send(c, true, hello(i, `svc${i}.dense.test`, chromeLike), step);
    if (kind === 'reset') {
      yield w.tcp(c, false, RST | ACK, c.ss, c.cs, Buffer.alloc(0), 64, step());
      return;
    }
    if (kind === 'alert') {
      yield* send(c, false, HANDSHAKE_FAILURE, step);
      yield* close(c, step, false);
      return;
    }
    yield* send(c, false, flight, step);
    yield* send(c, true, CLIENT_FINISHED, step);
    yield* send(c, true, REQUEST, step);
    for (let s = 0; s < 3; s++) yield* send(c, false, BULK, step);
    yield w.tcp(c, true, ACK, c.cs, c.ss, Buffer.alloc(0), 64, step());
    yield* close(c, step, false);
  }

  function* nonTlsConn(i, t0) {
    const step = stepper(t0);
    const k = i % 10;
    if (k === 0) {
      const c = endpoint(i);
      yield* tlsHandshake(c, hellos[i % hellos.length], step);
      yield* close(c, step, true);
    } else if (k <= 5) {
      const c = endpoint(i, 80);
      yield* open(c, step);
      yield* send(c, true, HTTP_REQUEST, step);
      for (let s = 0; s < 3; s++) yield* send(c, false, HTTP_ANSWER, step);
      yield w.tcp(c, true, ACK, c.cs, c.ss, Buffer.alloc(0), 64, step());
      yield* close(c, step, true);
    } else if (k <= 7) {
      const c = endpoint(i, 22);
      yield* open(c, step);
      yield* send(c, false, SSH_SERVER, step);
      yield* send(c, true, SSH_CLIENT, step);
      yield* send(c, true, Buffer.alloc(1000, 0x14), step);
      yield* send(c, false, Buffer.alloc(1100, 0x14), step);
      yield* close(c, step, true);
    } else {
      // Two lookups over UDP 53.
      const c = endpoint(i, 53);
      for (let q = 0; q < 2; q++) {
        yield w.udp(c, true, DNS_QUERY, 64, step());
        yield w.udp(c, false, DNS_ANSWER, 63, step());
      }
    }
  }

  const run = (gen, batch, spacing = 0.05) => {
    let t = 1_700_000_000;
    for (let i = 0; i < connections; i += batch) {
      writeDue(t);
      const live = [];
      for (let j = i; j < Math.min(connections, i + batch); j++) live.push(gen(j, t + (j - i) * 0.00001));
      while (live.length > 0) {
        for (let k = live.length - 1; k >= 0; k--) if (live[k].next().done) live.splice(k, 1);
      }
      t += batch === 1 ? 0.004 : spacing;
    }
    writeDue(Infinity);
  };

  if (shape === 'bulk') run(bulkConn, 64);
  else if (shape === 'handshake-dense') run(denseConn, 1);
  else if (shape === 'handshake-dense-interleaved') run((i, t0) => denseConn(i, t0, true), 64);
  else if (shape === 'non-tls') run(nonTlsConn, 64);
  else {
    // concurrent: every handshake, then a request and answer on each, then every close, all
    // within the tracker's idle timeout, so that every connection is live at once.
    const cs = [];
    let t = 1_700_000_000;
    const step = () => (t += 0.000_05);
    for (let i = 0; i < connections; i++) {
      const c = endpoint(i);
      for (const _ of tlsHandshake(c, hellos[i % hellos.length], step));
      cs.push(c);
    }
    for (const c of cs) {
      for (const _ of send(c, true, REQUEST, step));
      for (const _ of send(c, false, REQUEST, step));
    }
    for (const c of cs) for (const _ of close(c, step, true));
  }
  const { bytes, packets } = w.close();
  return { bytes, packets, connections };
}
