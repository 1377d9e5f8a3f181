// Writes a synthetic classic-pcap capture of about 1 GB: ~100,000 TCP connections on Ethernet
// and IPv4, interleaved in batches, of four kinds: full TLS 1.3 handshakes followed by bulk
// data (60%), resets right after the ClientHello (20%), SYN timeouts (10%) and refusals (10%).
// The hellos are built by tls-parser-ts's builder; the server flight is canned bytes shaped
// like a real one. Packets are written in time order (within a batch, to a fraction of a
// millisecond), and a handshake closes as TCP does: FIN, FIN, last ACK. Deterministic for a
// given seed.
import { closeSync, openSync, writeSync } from 'node:fs';
import { buildClientHello, wrapInRecords, ByteWriter } from '../packages/tls-parser-ts/dist/index.js';

export function writeSyntheticCapture(path, { connections = 100_000, bulkSegments = 11 } = {}) {
  const fd = openSync(path, 'w');
  const chunks = [];
  let pending = 0;
  let total = 0;
  let packets = 0;
  const flush = () => {
    if (pending === 0) return;
    writeSync(fd, Buffer.concat(chunks, pending));
    chunks.length = 0;
    pending = 0;
  };
  const out = (b) => {
    chunks.push(b);
    pending += b.length;
    total += b.length;
    if (pending > 8 * 1024 * 1024) flush();
  };
  const gh = Buffer.alloc(24);
  gh.writeUInt32LE(0xa1b2c3d4, 0);
  gh.writeUInt16LE(2, 4);
  gh.writeUInt16LE(4, 6);
  gh.writeUInt32LE(262144, 16);
  gh.writeUInt32LE(1, 20);
  out(gh);

  let seed = 1;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const hellos = Array.from({ length: 16 }, (_, i) => Buffer.from(buildClientHello({
    versions: [0x0304, 0x0303], cipherSuites: [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030], groups: [0x001d, 0x0017],
    signatureAlgorithms: [0x0403, 0x0804, 0x0401], serverName: `host${i}.bench.test`, alpn: ['h2', 'http/1.1'], grease: i % 2 === 0, padTo: 512,
    random: new Uint8Array(32).fill(i), sessionId: new Uint8Array(32).fill(i),
  })));
  const serverHello13 = (() => {
    const w = new ByteWriter();
    w.u8(2).vec(3, (b) => {
      b.u16(0x0303).bytes(new Uint8Array(32).fill(7)).vec(1, (s) => s.bytes(new Uint8Array(32).fill(1))).u16(0x1301).u8(0);
      b.vec(2, (e) => { e.u16(0x002b).vec(2, (d) => d.u16(0x0304)); e.u16(0x0033).vec(2, (d) => d.u16(0x001d).vec(2, (k) => k.bytes(new Uint8Array(32).fill(9)))); });
    });
    const hs = wrapInRecords(22, w.finish(), 0x0303);
    const ccs = new Uint8Array([20, 3, 3, 0, 1, 1]);
    const enc = wrapInRecords(23, new Uint8Array(2400).fill(0x5a), 0x0303);
    return Buffer.concat([hs, ccs, enc]);
  })();
  const clientFinished = Buffer.concat([Buffer.from([20, 3, 3, 0, 1, 1]), wrapInRecords(23, new Uint8Array(53).fill(0x33), 0x0303)]);
  const bulk = Buffer.concat([Buffer.from([23, 3, 3, 0x05, 0xa3]), Buffer.alloc(1448 - 5, 0x42)]);

  const frame = (c, fromClient, flags, seq, ack, payload, ttl, ts) => {
    const len = 14 + 20 + 20 + payload.length;
    const b = Buffer.alloc(16 + len);
    b.writeUInt32LE(Math.floor(ts), 0);
    b.writeUInt32LE(Math.floor((ts % 1) * 1e6), 4);
    b.writeUInt32LE(len, 8);
    b.writeUInt32LE(len, 12);
    let p = 16;
    b.writeUInt16BE(0x0800, p + 12);
    p += 14;
    b[p] = 0x45;
    b.writeUInt16BE(len - 14, p + 2);
    b.writeUInt16BE(fromClient ? c.cid++ & 0xffff : c.sid++ & 0xffff, p + 4);
    b[p + 8] = ttl;
    b[p + 9] = 6;
    b.writeUInt32BE(fromClient ? c.cip : c.sip, p + 12);
    b.writeUInt32BE(fromClient ? c.sip : c.cip, p + 16);
    p += 20;
    b.writeUInt16BE(fromClient ? c.cport : 443, p);
    b.writeUInt16BE(fromClient ? 443 : c.cport, p + 2);
    b.writeUInt32BE(seq >>> 0, p + 4);
    b.writeUInt32BE(ack >>> 0, p + 8);
    b[p + 12] = 5 << 4;
    b[p + 13] = flags;
    b.writeUInt16BE(64240, p + 14);
    payload.copy(b, p + 20);
    out(b);
    packets++;
  };
  const SYN = 2, ACK = 16, PSH = 8, RST = 4, FIN = 1;

  // Each connection is a generator of packets; a batch runs interleaved.
  function* conn(i, t0) {
    const kind = i % 10 < 6 ? 'ok' : i % 10 < 8 ? 'reset' : i % 10 < 9 ? 'timeout' : 'refused';
    const c = { cip: ((10 << 24) | ((i >>> 8) & 0xffff) << 8 | (i & 0xff)) >>> 0, sip: (0xc6120000 | (i % 4096)) >>> 0, cport: 1024 + (i % 60000), cid: (rnd() * 65535) | 0, sid: (rnd() * 65535) | 0 };
    let cs = (rnd() * 2 ** 32) >>> 0;
    let ss = (rnd() * 2 ** 32) >>> 0;
    let t = t0;
    const step = () => (t += 0.0002);
    if (kind === 'timeout') {
      // The retransmissions go out 1 s and 3 s later, so they are written when the capture's
      // clock gets there, among later batches, as a capture would hold them.
      for (const [q, d] of [[0, 1], [1, 3]]) later[q].push({ time: t0 + d, write: () => frame(c, true, SYN, cs, 0, Buffer.alloc(0), 64, t0 + d) });
      yield frame(c, true, SYN, cs, 0, Buffer.alloc(0), 64, t0);
      return;
    }
    yield frame(c, true, SYN, cs, 0, Buffer.alloc(0), 64, step());
    if (kind === 'refused') {
      yield frame(c, false, RST | ACK, 0, cs + 1, Buffer.alloc(0), 63, step());
      return;
    }
    yield frame(c, false, SYN | ACK, ss, cs + 1, Buffer.alloc(0), 63, step());
    cs++; ss++;
    yield frame(c, true, ACK, cs, ss, Buffer.alloc(0), 64, step());
    const ch = hellos[i % hellos.length];
    yield frame(c, true, PSH | ACK, cs, ss, ch, 64, step());
    cs += ch.length;
    if (kind === 'reset') {
      yield frame(c, false, RST | ACK, ss, cs, Buffer.alloc(0), 64, step());
      return;
    }
    for (let p = 0; p < serverHello13.length; p += 1448) {
      const seg = serverHello13.subarray(p, p + 1448);
      yield frame(c, false, PSH | ACK, ss, cs, seg, 63, step());
      ss += seg.length;
    }
    yield frame(c, true, PSH | ACK, cs, ss, clientFinished, 64, step());
    cs += clientFinished.length;
    for (let k = 0; k < bulkSegments; k++) {
      yield frame(c, false, ACK, ss, cs, bulk, 63, step());
      ss += bulk.length;
      if (k % 4 === 0) yield frame(c, true, ACK, cs, ss, Buffer.alloc(0), 64, step());
    }
    yield frame(c, true, FIN | ACK, cs, ss, Buffer.alloc(0), 64, step());
    yield frame(c, false, FIN | ACK, ss, cs + 1, Buffer.alloc(0), 63, step());
    yield frame(c, true, ACK, cs + 1, ss + 1, Buffer.alloc(0), 64, step());
  }

  // Packets due later than the batch that made them (the SYN retransmissions 1 s and 3 s on),
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
  const BATCH = 64;
  let t = 1_700_000_000;
  for (let i = 0; i < connections; i += BATCH) {
    writeDue(t);
    const live = [];
    for (let j = i; j < Math.min(connections, i + BATCH); j++) live.push(conn(j, t + (j - i) * 0.00001));
    while (live.length > 0) {
      for (let k = live.length - 1; k >= 0; k--) if (live[k].next().done) live.splice(k, 1);
    }
    t += 0.05;
  }
  writeDue(Infinity);
  flush();
  closeSync(fd);
  return { bytes: total, packets, connections };
}
