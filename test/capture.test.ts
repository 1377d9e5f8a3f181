// The capture readers and the TCP layer on real captures in every format and link type, and
// on captures rewritten here into the formats tcpdump and dumpcap did not produce.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { firstPacketTime, readCaptureFile, readCaptureStream, TcpTracker, type RawPacket, type TcpConnection } from '@tlsdoctor/capture';
import { FIXTURES, reassembled } from './helpers/fixtures.js';

interface Pkt {
  tsSec: number;
  tsNsec: number;
  linkType: number;
  data: Buffer;
  origLen: number;
}

async function packets(path: string): Promise<Pkt[]> {
  const out: Pkt[] = [];
  await readCaptureFile(path, (p: RawPacket) => out.push({ tsSec: p.tsSec, tsNsec: p.tsNsec, linkType: p.linkType, origLen: p.origLen, data: Buffer.from(p.buf.subarray(p.start, p.start + p.capLen)) }));
  return out;
}

const tmp = mkdtempSync(join(tmpdir(), 'tlsdoctor-capture-'));
const fx = (n: string) => join(FIXTURES, n);

describe('link types and formats of the recorded fixtures', () => {
  it.each([
    ['handshake-ok-curl-tls13.pcap', 1, 4],
    ['handshake-ok-pcapng.pcapng', 1, 6],
    ['handshake-ok-nano.pcap', 1, 4],
    ['handshake-ok-sll.pcap', 113, 4],
    ['handshake-ok-sll2.pcap', 276, 4],
    ['handshake-ok-ipv6.pcap', 1, 6],
  ])('%s: link type %i, IPv%i, one TLS connection', async (name, linkType, ipVersion) => {
    const ps = await packets(fx(name));
    expect(new Set(ps.map((p) => p.linkType))).toEqual(new Set([linkType]));
    const conns = await reassembled(fx(name));
    expect(conns).toHaveLength(1);
    expect(conns[0].conn.ipVersion).toBe(ipVersion);
    expect(conns[0].client[0]).toBe(22);
    expect(conns[0].server[0]).toBe(22);
  });

  it('nanosecond pcap keeps nanoseconds; microsecond pcap has whole microseconds', async () => {
    expect((await packets(fx('handshake-ok-nano.pcap'))).some((p) => p.tsNsec % 1000 !== 0)).toBe(true);
    expect((await packets(fx('handshake-ok-curl-tls13.pcap'))).every((p) => p.tsNsec % 1000 === 0)).toBe(true);
  });

  it('gzip is read transparently and gives the same packets', async () => {
    expect(await packets(fx('sni-reset-gzip.pcap.gz'))).toEqual(await packets(fx('sni-reset.pcap')));
  });

  it.each([
    ['sni-reset.pcap', false],
    ['sni-reset-gzip.pcap.gz', true],
  ])('a stream (%s) reports its progress in capture bytes read, with no size', async (name, gzip) => {
    const bytes = readFileSync(fx(name));
    // Chunks of 100 bytes: progress is reported after each.
    const chunks = Array.from({ length: Math.ceil(bytes.length / 100) }, (_, i) => bytes.subarray(i * 100, i * 100 + 100));
    const seen: [number, number][] = [];
    await readCaptureStream(name, Readable.from(chunks), () => undefined, { onProgress: (read, size) => seen.push([read, size]) });
    const capture = gzip ? gunzipSync(bytes).length : bytes.length;
    expect(seen.length).toBeGreaterThan(gzip ? 1 : chunks.length - 2);
    expect(seen.every(([, size]) => size === 0)).toBe(true);
    expect(seen.every(([read], i) => i === 0 || read >= seen[i - 1][0])).toBe(true);
    expect(seen[seen.length - 1][0]).toBe(capture);
  });
});

describe('TCP reassembly', () => {
  it('a ClientHello over two segments (MTU 400) is joined', async () => {
    const [c] = await reassembled(fx('handshake-ok-small-mtu.pcap'));
    expect(c.conn.stats[0].packets).toBeGreaterThan(3);
    expect(c.client.length).toBeGreaterThan(517);
  });

  it('swapped segments and a retransmission give the same bytes as the original', async () => {
    const [orig] = await reassembled(fx('handshake-ok-small-mtu.pcap'));
    const [re] = await reassembled(fx('derived-reordered.pcap'));
    expect(Buffer.compare(re.client, orig.client)).toBe(0);
    expect(Buffer.compare(re.server, orig.server)).toBe(0);
    expect(re.conn.stats[0].outOfOrder).toBe(1);
    expect(re.conn.stats[1].retransmissions).toBe(1);
  });

  it('a ClientHello across the 2^32 sequence wrap gives the same bytes', async () => {
    const [orig] = await reassembled(fx('handshake-ok-small-mtu.pcap'));
    const [w] = await reassembled(fx('derived-seq-wrap.pcap'));
    expect(w.conn.syn!.seq).toBeGreaterThan(0xfffffe00);
    expect(Buffer.compare(w.client, orig.client)).toBe(0);
  });

  it('a new SYN on a closed 4-tuple starts a new connection; a retransmitted SYN does not', async () => {
    const src = readFileSync(fx('sni-reset.pcap'));
    // The same connection again 5 s later with a new ISN (client seq and server ack shifted).
    const again: Buffer[] = [];
    for (let p = 24; p + 16 <= src.length; ) {
      const incl = src.readUInt32LE(p + 8);
      const r = Buffer.from(src.subarray(p, p + 16 + incl));
      r.writeUInt32LE(r.readUInt32LE(0) + 5, 0);
      const tcp = 16 + 14 + (r[16 + 14] & 0x0f) * 4;
      const fromClient = r.readUInt16BE(tcp) === 44352;
      if (fromClient) r.writeUInt32BE((r.readUInt32BE(tcp + 4) + 1000) >>> 0, tcp + 4);
      else if (r[tcp + 13] & 0x10) r.writeUInt32BE((r.readUInt32BE(tcp + 8) + 1000) >>> 0, tcp + 8);
      again.push(r);
      p += 16 + incl;
    }
    const file = join(tmp, 'reused.pcap');
    writeFileSync(file, Buffer.concat([src, ...again]));
    const conns = await reassembled(file);
    expect(conns.map((c) => c.conn.endedBy)).toEqual(['reused', 'eof']);
    expect(conns.every((c) => c.conn.synCount === 1 && c.client.length === 517)).toBe(true);
    // The first SYN repeated right after itself is a retransmission, not a connection.
    const retrans = join(tmp, 'syn-retrans.pcap');
    const first = 24 + 16 + src.readUInt32LE(24 + 8);
    writeFileSync(retrans, Buffer.concat([src.subarray(0, first), src.subarray(24, first), src.subarray(first)]));
    const [one, ...rest] = await reassembled(retrans);
    expect(rest).toHaveLength(0);
    expect(one.conn.synCount).toBe(2);
  });

  it.each([
    // [what is appended to a capture of one connection closed by FINs, connections, ends, stragglers counted]
    ['nothing', 0, [], ['closed'], 0],
    ['its last packet again 1 s later (a late ACK)', 1, 'last', ['closed'], 1],
    ['its last packet again 5 s later, past the grace period', 5, 'last', ['closed', 'eof'], 0],
    ['the whole connection again 1 s later, same ISN: a new SYN is a new connection', 1, 'all', ['closed', 'closed'], 0],
  ] as const)('closed by FINs and handed on at the last ACK; appended %s', async (_what, delay, append, ends, after) => {
    const src = readFileSync(fx('handshake-ok-curl-tls13.pcap'));
    const recs = pcapRecords(src);
    const extra = append === 'last' ? [recs[recs.length - 1]] : append === 'all' ? recs : [];
    const file = join(tmp, `closed-${delay}-${append}.pcap`);
    writeFileSync(file, Buffer.concat([src, ...extra.map((r) => later(r, delay))]));
    const conns: TcpConnection[] = [];
    const tracker = new TcpTracker({ onConnection: (c) => conns.push(c) });
    await readCaptureFile(file, (p) => tracker.packet(p));
    tracker.finish();
    expect(conns.map((c) => c.endedBy)).toEqual(ends);
    // The first is complete when handed on: every packet of the capture, both FINs.
    expect(conns[0].packetCount).toBe(recs.length);
    expect(conns[0].fins.map((f) => f.dir).sort()).toEqual([0, 1]);
    expect(tracker.stats.afterClose).toBe(after);
  });

  it.each([
    // [live cap, ends, stragglers absorbed]: two closed connections and then a straggler of each
    [undefined, ['closed', 'closed'], 2],
    // With room for one, the second retirement drops the first's entry, and the first's
    // straggler is then taken for a connection whose start was not captured.
    [1, ['closed', 'closed', 'eof'], 1],
  ] as const)('retired entries are bounded by the live cap (%s)', async (maxLive, ends, after) => {
    const a = pcapRecords(readFileSync(fx('handshake-ok-curl-tls13.pcap')));
    const bRecs = pcapRecords(readFileSync(fx('handshake-ok-node.pcap')));
    // The second connection moved to the first one's time, so that no grace period runs out.
    const shift = a[0].readUInt32LE(0) - bRecs[0].readUInt32LE(0);
    const b = bRecs.map((r) => later(r, shift));
    const file = join(tmp, `retired-cap-${maxLive}.pcap`);
    const header = readFileSync(fx('handshake-ok-curl-tls13.pcap')).subarray(0, 24);
    writeFileSync(file, Buffer.concat([header, ...a, ...b, later(a[a.length - 1], 1), later(b[b.length - 1], 1)]));
    const conns: TcpConnection[] = [];
    const tracker = new TcpTracker({ maxLive, onConnection: (c) => conns.push(c) });
    await readCaptureFile(file, (p) => tracker.packet(p));
    tracker.finish();
    expect(conns.map((c) => c.endedBy)).toEqual(ends);
    expect(tracker.stats.afterClose).toBe(after);
  });

  it.each([
    // [seconds between a reset connection and the next one, packets read when the first is handed on]
    [1, 'at the end'],
    [5, 'at the first packet past its grace'],
  ] as const)('a reset connection is handed on when its grace ends, not at the next sweep (next one %s s later)', async (gap, when) => {
    const a = pcapRecords(readFileSync(fx('sni-reset.pcap')));
    const whole = readFileSync(fx('handshake-ok-curl-tls13.pcap'));
    const b = pcapRecords(whole);
    const shift = a[a.length - 1].readUInt32LE(0) - b[0].readUInt32LE(0) + gap;
    const file = join(tmp, `grace-${gap}.pcap`);
    writeFileSync(file, Buffer.concat([whole.subarray(0, 24), ...a, ...b.map((r) => later(r, shift))]));
    const handedOn: number[] = [];
    const tracker = new TcpTracker({ onConnection: () => handedOn.push(tracker.stats.packets) });
    await readCaptureFile(file, (p) => tracker.packet(p));
    tracker.finish();
    // Within the grace the reset connection waits (its server's late answer is evidence); past
    // it, the first packet that moves the clock on hands it over.
    expect(handedOn[0]).toBe(when === 'at the end' ? a.length + b.length : a.length + 1);
  });

  it('a reset connection that keeps getting packets holds up no other one closed after it', async () => {
    const a = pcapRecords(readFileSync(fx('sni-reset.pcap')));
    const whole = readFileSync(fx('syn-refused.pcap'));
    const t0 = a[a.length - 1].readUInt32LE(0);
    const b = pcapRecords(whole).map((r) => later(r, t0 + 1 - r.readUInt32LE(0)));
    // The reset again every second for ten seconds, after the other connection was refused.
    const storm = Array.from({ length: 10 }, (_, k) => later(a[a.length - 1], k + 2));
    const file = join(tmp, 'rst-storm.pcap');
    writeFileSync(file, Buffer.concat([whole.subarray(0, 24), ...a, ...b, ...storm]));
    const handedOn: [number, number][] = [];
    const tracker = new TcpTracker({ onConnection: (c) => handedOn.push([c.client.port, tracker.stats.packets]) });
    await readCaptureFile(file, (p) => tracker.packet(p));
    tracker.finish();
    const refusedPort = handedOn.find(([port]) => port !== 44352)![0];
    // The refused connection's grace ends 3 s after its last packet: at the first packet of the
    // storm past that, not at the end of the capture.
    const time = (r: Buffer) => r.readUInt32LE(0) + r.readUInt32LE(4) / 1e6;
    const graceEnds = time(b[b.length - 1]) + 3;
    const firstPast = storm.findIndex((r) => time(r) > graceEnds);
    expect(firstPast).toBeGreaterThan(0);
    expect(handedOn).toEqual([[refusedPort, a.length + b.length + firstPast + 1], [44352, a.length + b.length + storm.length]]);
  });

  it.each([
    // [the client's SYN sent again after its reset, s; packets of the first connection]
    [13, 20],
    [70, 20],
    // Past the 75-s wait the reset attempt is handed on, and the same SYN starts a new connection.
    [80, 3],
  ] as const)('a SYN reset in SYN-SENT (a stale connection\'s ACK) waits for its SYN again: sent %i s later', async (after, packets) => {
    const whole = readFileSync(fx('curl-syn-challenge-ack.pcap'));
    const recs = pcapRecords(whole);
    // SYN, challenge ACK, RST; then another connection of the lab 2 s before the SYN comes again,
    // which moves the clock past the 3-s grace of other closed connections; then the rest.
    const other = pcapRecords(readFileSync(fx('handshake-ok-curl-tls13.pcap')));
    const t = (r: Buffer) => r.readUInt32LE(0);
    const file = join(tmp, `stale-syn-${after}.pcap`);
    writeFileSync(file, Buffer.concat([whole.subarray(0, 24), ...recs.slice(0, 3), ...other.map((r) => later(r, t(recs[0]) - t(other[0]) + after - 2)), ...recs.slice(3).map((r) => later(r, after))]));
    const conns: TcpConnection[] = [];
    const tracker = new TcpTracker({ onConnection: (c) => conns.push(c) });
    await readCaptureFile(file, (p) => tracker.packet(p));
    tracker.finish();
    const attempts = conns.filter((c) => c.client.port === 44605);
    expect(attempts[0].packetCount).toBe(packets);
    expect(attempts).toHaveLength(after < 75 ? 1 : 2);
    if (after < 75) expect(attempts[0].synCount).toBe(2);
  });

  it('a closed connection still repeating its FIN with backoff stays one connection, as a tshark stream does', async () => {
    const whole = readFileSync(fx('handshake-ok-curl-tls13.pcap'));
    // Through both FINs (frames 1-16), the last ACKs never captured; the server's FIN (frame 16)
    // repeated 1, 3, 7 and 15 s later: each wait twice the one before, past the 3-s grace.
    const recs = pcapRecords(whole).slice(0, 16);
    const fin = recs[15];
    /** A copy of record r at `s` seconds after the server's FIN. */
    const at = (r: Buffer, s: number) => {
      const c = Buffer.from(r);
      const us = fin.readUInt32LE(4) + Math.round((s % 1) * 1e6);
      c.writeUInt32LE(fin.readUInt32LE(0) + Math.floor(s) + Math.floor(us / 1e6), 0);
      c.writeUInt32LE(us % 1e6, 4);
      return c;
    };
    // Other traffic moves the capture's clock on between the repeats: a UDP datagram (a QUIC
    // Initial of another capture) now and then.
    const udp = pcapRecords(readFileSync(fx('chromium-h3-udp-blocked.pcap')))[19];
    const timeline = [...[1, 3].map((s) => at(fin, s)), at(udp, 5.5), at(udp, 6.5), at(fin, 7), ...[9.5, 11.5, 13.5].map((s) => at(udp, s)), at(fin, 15)];
    const other = pcapRecords(readFileSync(fx('syn-refused.pcap'))).map((r, k) => at(r, 40 + k / 1000));
    const file = join(tmp, 'fin-backoff.pcap');
    writeFileSync(file, Buffer.concat([whole.subarray(0, 24), ...recs, ...timeline, ...other]));
    const conns: [number, number, string][] = [];
    const tracker = new TcpTracker({ onConnection: (c) => conns.push([c.client.port, c.packetCount, c.endedBy]) });
    await readCaptureFile(file, (p) => tracker.packet(p));
    tracker.finish();
    // With the grace alone it would have been handed on at the datagram 6.5 s in, and the repeat
    // at 7 s taken for a connection begun before the capture. Quiet for 3 s + twice its last gap
    // (8 s), it is handed on when the clock passes that: at the next connection, 40 s in.
    expect(conns).toEqual([[44338, 20, 'idle'], [55084, 2, 'eof']]);
  });

  it.each([
    // [connections open at once, waves one after another]: rows of the tracker's packet store
    // are given out, the store grows past its first 1,024 rows, and rows given back are reused.
    [3, 2],
    [1500, 2],
  ])('%i connections open at once, %i waves: each keeps its own packets, SYN, SYN-ACK and FINs', async (n, waves) => {
    const whole = readFileSync(fx('handshake-ok-curl-tls13.pcap'));
    const recs = pcapRecords(whole);
    const one: TcpConnection[] = [];
    const single = new TcpTracker({ onConnection: (c) => one.push(c) });
    await readCaptureFile(fx('handshake-ok-curl-tls13.pcap'), (p) => single.packet(p));
    single.finish();
    const clientPort = one[0].client.port;
    /** Record r as connection k of wave w: its own client port, 60 s after the wave before. */
    const copy = (r: Buffer, k: number, w: number) => {
      const c = later(r, w * 60);
      const tcp = 16 + 14 + (c[16 + 14] & 0x0f) * 4;
      c.writeUInt16BE(20000 + w * n + k, c.readUInt16BE(tcp) === clientPort ? tcp : tcp + 2);
      return c;
    };
    const out: Buffer[] = [whole.subarray(0, 24)];
    for (let w = 0; w < waves; w++) for (const r of recs) for (let k = 0; k < n; k++) out.push(copy(r, k, w));
    const file = join(tmp, `open-at-once-${n}.pcap`);
    writeFileSync(file, Buffer.concat(out));
    const conns: TcpConnection[] = [];
    const tracker = new TcpTracker({ onConnection: (c) => conns.push(c) });
    await readCaptureFile(file, (p) => tracker.packet(p));
    tracker.finish();
    expect(conns).toHaveLength(n * waves);
    // Packet j of connection k in wave w is frame w·n·len + j·n + k + 1; every other fact is the original's.
    const shifted = (c: TcpConnection, p: (typeof one)[0]['packets'][0] | undefined) => {
      if (!p) return p;
      const w = Math.floor((c.client.port - 20000) / n);
      const k = (c.client.port - 20000) % n;
      return { ...p, frame: w * n * recs.length + (p.frame - 1) * n + k + 1, time: p.time + w * 60 };
    };
    // Times to the microsecond: a time shifted here and one read from a shifted record may differ in the last bit.
    const norm = (p: (typeof one)[0]['packets'][0] | undefined) => p && { ...p, time: Math.round(p.time * 1e6) };
    const facts = (x: TcpConnection, f: (p: (typeof one)[0]['packets'][0] | undefined) => (typeof one)[0]['packets'][0] | undefined) => ({
      packets: x.packets.map((p) => norm(f(p))),
      syn: norm(f(x.syn)),
      synAck: norm(f(x.synAck)),
      fins: x.fins.map((p) => norm(f(p))),
      rsts: x.rsts.map((p) => norm(f(p))),
    });
    for (const c of conns) {
      expect(facts(c, (p) => p)).toEqual(facts(one[0], (p) => shifted(c, p)));
      // One object for a packet in two lists.
      expect(c.syn).toBe(c.packets[0]);
    }
    expect(tracker.stats.peakLive).toBe(n);
  });

  it('firstPacketTime: the first packet of a pcap, a gzip-compressed one, a pcapng; none of an empty or missing file', async () => {
    const src = readFileSync(fx('sni-reset.pcap'));
    const first = src.readUInt32LE(24) + src.readUInt32LE(28) / 1e6;
    const headerOnly = join(tmp, 'header-only.pcap');
    writeFileSync(headerOnly, src.subarray(0, 24));
    let ng: number | undefined;
    await readCaptureFile(fx('chromium-cert-expired-tls13-secrets.pcapng'), (p) => void (ng ??= p.tsSec + p.tsNsec / 1e9));
    expect(await firstPacketTime(fx('sni-reset.pcap'))).toBeCloseTo(first, 6);
    expect(await firstPacketTime(fx('sni-reset-gzip.pcap.gz'))).toBeCloseTo(first, 6);
    expect(await firstPacketTime(fx('chromium-cert-expired-tls13-secrets.pcapng'))).toBe(ng);
    expect(await firstPacketTime(headerOnly)).toBeUndefined();
    expect(await firstPacketTime(join(tmp, 'missing.pcap'))).toBeUndefined();
  });

  it('connection boundaries: a capture with several connections keeps them apart', async () => {
    const both = join(tmp, 'two.pcap');
    const a = readFileSync(fx('sni-reset.pcap'));
    const b = readFileSync(fx('handshake-ok-curl-tls13.pcap'));
    writeFileSync(both, Buffer.concat([a, b.subarray(24)]));
    const conns = await reassembled(both);
    expect(conns.map((c) => c.conn.client.port)).toEqual([44352, 44338]);
    expect(conns.map((c) => c.conn.startCaptured)).toEqual([true, true]);
  });
});

/** The packet records (header and data) of a little-endian classic pcap. */
function pcapRecords(le: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let p = 24; p + 16 <= le.length; p += 16 + le.readUInt32LE(p + 8)) out.push(le.subarray(p, p + 16 + le.readUInt32LE(p + 8)));
  return out;
}

/** A copy of a little-endian pcap record stamped `seconds` later. */
function later(rec: Buffer, seconds: number): Buffer {
  const r = Buffer.from(rec);
  r.writeUInt32LE(r.readUInt32LE(0) + seconds, 0);
  return r;
}

/** Rewrites a little-endian microsecond pcap as big-endian. */
function toBigEndian(le: Buffer): Buffer {
  const be = Buffer.from(le);
  be.writeUInt32BE(0xa1b2c3d4, 0);
  be.writeUInt16BE(le.readUInt16LE(4), 4);
  be.writeUInt16BE(le.readUInt16LE(6), 6);
  for (const o of [8, 12, 16, 20]) be.writeUInt32BE(le.readUInt32LE(o), o);
  for (let p = 24; p + 16 <= le.length; ) {
    const incl = le.readUInt32LE(p + 8);
    for (let k = 0; k < 16; k += 4) be.writeUInt32BE(le.readUInt32LE(p + k), p + k);
    p += 16 + incl;
  }
  return be;
}

/** pcapng blocks in either byte order. */
function block(type: number, body: Buffer, le: boolean): Buffer {
  const len = 12 + body.length + ((4 - (body.length % 4)) % 4);
  const b = Buffer.alloc(len);
  const w = (v: number, o: number) => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  w(type, 0);
  w(len, 4);
  body.copy(b, 8);
  w(len, len - 4);
  return b;
}

function u32(v: number, le: boolean): Buffer {
  const b = Buffer.alloc(4);
  le ? b.writeUInt32LE(v >>> 0) : b.writeUInt32BE(v >>> 0);
  return b;
}

function u16(v: number, le: boolean): Buffer {
  const b = Buffer.alloc(2);
  le ? b.writeUInt16LE(v) : b.writeUInt16BE(v);
  return b;
}

/**
 * Two sections: the first big-endian with nanosecond timestamps and a 1000 s offset, an unknown
 * block and enhanced packet blocks; the second little-endian with obsolete packet blocks.
 */
function toPcapng(ps: Pkt[]): Buffer {
  const shb = (le: boolean) => block(0x0a0d0d0a, Buffer.concat([u32(0x1a2b3c4d, le), u16(1, le), u16(0, le), Buffer.alloc(8, 0xff)]), le);
  const idb = (le: boolean, nano: boolean) =>
    block(1, Buffer.concat([u16(1, le), u16(0, le), u32(262144, le), ...(nano ? [u16(9, le), u16(1, le), Buffer.from([9, 0, 0, 0]), u16(14, le), u16(8, le), ...(le ? [u32(-1000 >>> 0, le), u32(0xffffffff, le)] : [u32(0xffffffff, le), u32(-1000 >>> 0, le)]), u16(0, le), u16(0, le)] : [])]), le);
  const half = Math.ceil(ps.length / 2);
  const out: Buffer[] = [shb(false), idb(false, true), block(0xabcd, Buffer.from('skip me!'), false)];
  for (const p of ps.slice(0, half)) {
    // Nanoseconds since the epoch, minus the -1000 s offset the interface declares.
    const ns = BigInt(p.tsSec + 1000) * 1_000_000_000n + BigInt(p.tsNsec);
    out.push(block(6, Buffer.concat([u32(0, false), u32(Number(ns >> 32n), false), u32(Number(ns & 0xffffffffn), false), u32(p.data.length, false), u32(p.origLen, false), p.data]), false));
  }
  out.push(shb(true), idb(true, false));
  for (const p of ps.slice(half)) {
    const us = BigInt(p.tsSec) * 1_000_000n + BigInt(Math.floor(p.tsNsec / 1000));
    out.push(block(2, Buffer.concat([u16(0, true), u16(0, true), u32(Number(us >> 32n), true), u32(Number(us & 0xffffffffn), true), u32(p.data.length, true), u32(p.origLen, true), p.data]), true));
  }
  return Buffer.concat(out);
}

describe('formats rewritten from real captures', () => {
  it('big-endian pcap reads as the little-endian original', async () => {
    const file = join(tmp, 'be.pcap');
    writeFileSync(file, toBigEndian(readFileSync(fx('handshake-ok-curl-tls13.pcap'))));
    expect(await packets(file)).toEqual(await packets(fx('handshake-ok-curl-tls13.pcap')));
  });

  it('pcapng with two sections of either byte order, if_tsresol, if_tsoffset, unknown and obsolete blocks', async () => {
    const orig = await packets(fx('handshake-ok-curl-tls13.pcap'));
    const file = join(tmp, 'two-sections.pcapng');
    writeFileSync(file, toPcapng(orig));
    expect(await packets(file)).toEqual(orig);
    const conns = await reassembled(file);
    expect(conns).toHaveLength(1);
    expect(conns[0].conn.startCaptured).toBe(true);
  });

  it('a gzip-compressed pcapng', async () => {
    const orig = await packets(fx('handshake-ok-pcapng.pcapng'));
    const file = join(tmp, 'x.pcapng.gz');
    writeFileSync(file, gzipSync(readFileSync(fx('handshake-ok-pcapng.pcapng'))));
    expect(await packets(file)).toEqual(orig);
  });

  it('packets longer than the snap length are marked, never misread', async () => {
    const src = readFileSync(fx('handshake-ok-curl-tls13.pcap'));
    // Cut every packet to 96 bytes as `tcpdump -s 96` would: headers whole, payload cut.
    const parts: Buffer[] = [Buffer.from(src.subarray(0, 24))];
    parts[0].writeUInt32LE(96, 16);
    for (let p = 24; p + 16 <= src.length; ) {
      const incl = src.readUInt32LE(p + 8);
      const h = Buffer.from(src.subarray(p, p + 16));
      const keep = Math.min(incl, 96);
      h.writeUInt32LE(keep, 8);
      parts.push(h, src.subarray(p + 16, p + 16 + keep));
      p += 16 + incl;
    }
    const file = join(tmp, 'snap96.pcap');
    writeFileSync(file, Buffer.concat(parts));
    const ps = await packets(file);
    expect(ps.every((p) => p.data.length <= 96)).toBe(true);
    expect(ps.some((p) => p.origLen > 96)).toBe(true);
    const [c] = await reassembled(file);
    expect(c.conn.stats[0].truncated).toBeGreaterThan(0);
  });
});
