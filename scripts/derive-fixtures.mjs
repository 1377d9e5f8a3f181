#!/usr/bin/env node
// Derives fixtures that the lab cannot record here (the kernel has no netem): from a real
// capture whose ClientHello spans two segments (fixtures/handshake-ok-small-mtu.pcap),
//   derived-reordered.pcap: the two ClientHello segments swapped, and the server's first data
//                           segment sent twice (a retransmission);
//   derived-seq-wrap.pcap:  the client's sequence numbers shifted so that its ClientHello
//                           crosses 2^32;
// and from fixtures/handshake-ok-curl-tls13.pcap
//   derived-midstream.pcap: only what follows the server's first flight, as a capture started
//                           in the middle of a connection holds.
// The TCP checksums are left as they were; tshark and tlsdoctor do not check them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = 'handshake-ok-small-mtu.pcap';
const src = readFileSync(join(ROOT, 'fixtures', SRC));

function records(buf) {
  const out = [];
  for (let p = 24; p + 16 <= buf.length; ) {
    const incl = buf.readUInt32LE(p + 8);
    out.push(Buffer.from(buf.subarray(p, p + 16 + incl)));
    p += 16 + incl;
  }
  return out;
}

// Ethernet + IPv4 (no options in these captures) + TCP.
const tcp = (r) => 16 + 14 + (r[16 + 14] & 0x0f) * 4;
const srcPort = (r) => r.readUInt16BE(tcp(r));
const payloadLen = (r) => r.length - tcp(r) - (r[tcp(r) + 12] >> 4) * 4;

const recs = records(src);
const clientPort = srcPort(recs[0]);
const clientData = recs.map((r, i) => [r, i]).filter(([r]) => srcPort(r) === clientPort && payloadLen(r) > 0).map(([, i]) => i);
const serverData = recs.map((r, i) => [r, i]).filter(([r]) => srcPort(r) !== clientPort && payloadLen(r) > 0).map(([, i]) => i);
if (clientData.length < 2) throw new Error(`${SRC}: expected the ClientHello in two segments`);

const write = (name, list, note) => {
  writeFileSync(join(ROOT, 'fixtures', name), Buffer.concat([src.subarray(0, 24), ...list]));
  const side = JSON.parse(readFileSync(join(ROOT, 'fixtures', `${SRC}.json`), 'utf8'));
  side.note = `derived from ${SRC} by scripts/derive-fixtures.mjs: ${note}`;
  writeFileSync(join(ROOT, 'fixtures', `${name}.json`), JSON.stringify(side, null, 2) + '\n');
};

{
  const list = recs.slice();
  const [a, b] = clientData;
  [list[a], list[b]] = [list[b], list[a]];
  const s = serverData[0];
  list.splice(s + 1, 0, Buffer.from(list[s]));
  write('derived-reordered.pcap', list, 'the two ClientHello segments swapped, the first server data segment retransmitted');
}
{
  // Shift the client's sequence numbers (and the server's acks of them) so that its ISN sits
  // 300 bytes below 2^32: the 517-byte ClientHello crosses the wrap.
  const isn = recs[0].readUInt32BE(tcp(recs[0]) + 4);
  const shift = (0x100000000 - 300 - isn) >>> 0;
  const list = recs.map((r) => {
    const c = Buffer.from(r);
    const t = tcp(c);
    if (srcPort(c) === clientPort) c.writeUInt32BE((c.readUInt32BE(t + 4) + shift) >>> 0, t + 4);
    else if (c[t + 13] & 0x10) c.writeUInt32BE((c.readUInt32BE(t + 8) + shift) >>> 0, t + 8);
    return c;
  });
  write('derived-seq-wrap.pcap', list, 'client sequence numbers shifted so that the ClientHello crosses 2^32');
}
{
  const MID = 'handshake-ok-curl-tls13.pcap';
  const m = readFileSync(join(ROOT, 'fixtures', MID));
  const rs = records(m);
  const port = srcPort(rs[0]);
  // Keep everything after the server's first data segment (ServerHello and its encrypted flight).
  const firstServerData = rs.findIndex((r) => srcPort(r) !== port && payloadLen(r) > 0);
  writeFileSync(join(ROOT, 'fixtures', 'derived-midstream.pcap'), Buffer.concat([m.subarray(0, 24), ...rs.slice(firstServerData + 1)]));
  const side = JSON.parse(readFileSync(join(ROOT, 'fixtures', `${MID}.json`), 'utf8'));
  side.note = `derived from ${MID} by scripts/derive-fixtures.mjs: only the packets after the server's first flight`;
  side.expect = { primary: 'CAPTURE_PARTIAL' };
  writeFileSync(join(ROOT, 'fixtures', 'derived-midstream.pcap.json'), JSON.stringify(side, null, 2) + '\n');
}
console.log('derive-fixtures: wrote fixtures/derived-reordered.pcap, derived-seq-wrap.pcap and derived-midstream.pcap');

// TCP corner cases real captures hold, from handshake-ok-curl-tls13.pcap (Ethernet, IPv4, TCP):
//   derived-tcp-fast-open.pcap:  the ClientHello also carried in the SYN, with a Fast Open
//                                cookie (RFC 7413); the server acknowledges the SYN only, and the
//                                client sends the hello again after the handshake, as Linux does.
//   derived-double-syn-ack.pcap: a second SYN-ACK with another initial sequence number (and TTL)
//                                after the server's, as from a middlebox; the client acknowledges
//                                the server's.
{
  const T = 'handshake-ok-curl-tls13.pcap';
  const t = readFileSync(join(ROOT, 'fixtures', T));
  const rs = records(t);
  const ip = 16 + 14;
  const withFrame = (r, frame) => {
    const h = Buffer.from(r.subarray(0, 16));
    h.writeUInt32LE(frame.length - 16, 8);
    h.writeUInt32LE(frame.length - 16, 12);
    frame.set(h.subarray(0, 16), 0);
    return frame;
  };
  const setIpLength = (f) => f.writeUInt16BE(f.length - ip, ip + 2);
  const side = (name, note, extra = {}) => {
    const s = JSON.parse(readFileSync(join(ROOT, 'fixtures', `${T}.json`), 'utf8'));
    s.note = `derived from ${T} by scripts/derive-fixtures.mjs: ${note}`;
    writeFileSync(join(ROOT, 'fixtures', `${name}.json`), JSON.stringify({ ...s, ...extra }, null, 2) + '\n');
  };
  {
    const port = srcPort(rs[0]);
    const hello = rs.find((r) => srcPort(r) === port && payloadLen(r) > 0);
    const payload = hello.subarray(hello.length - payloadLen(hello));
    const syn = rs[0];
    const th = tcp(syn);
    const optsLen = (syn[th + 12] >> 4) * 4 - 20;
    // The SYN's options, then a Fast Open cookie (kind 34, 8 bytes) padded with NOPs to a 4-byte boundary.
    const cookie = Buffer.from([34, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 1]);
    const header = Buffer.concat([syn.subarray(0, th + 20 + optsLen), cookie]);
    header[th + 12] = (((20 + optsLen + cookie.length) / 4) << 4) | (header[th + 12] & 0x0f);
    const f = withFrame(syn, Buffer.concat([header, payload]));
    setIpLength(f);
    writeFileSync(join(ROOT, 'fixtures', 'derived-tcp-fast-open.pcap'), Buffer.concat([t.subarray(0, 24), f, ...rs.slice(1)]));
    side('derived-tcp-fast-open.pcap', 'the ClientHello also in the SYN with a TCP Fast Open cookie; the server acknowledges only the SYN and the client sends the hello again');
  }
  {
    const sa = rs[1];
    const th = tcp(sa);
    const bogus = Buffer.from(sa);
    bogus.writeUInt32BE((bogus.readUInt32BE(th + 4) + 0x46600000) >>> 0, th + 4);
    bogus[ip + 8] = 250;
    // A moment after the server's own and before the client's ACK, as a middlebox's answer would come.
    bogus.writeUInt32LE(bogus.readUInt32LE(4) + 10, 4);
    writeFileSync(join(ROOT, 'fixtures', 'derived-double-syn-ack.pcap'), Buffer.concat([t.subarray(0, 24), rs[0], sa, bogus, ...rs.slice(2)]));
    side('derived-double-syn-ack.pcap', 'a second SYN-ACK with another initial sequence number and TTL 250 after the server\'s; the client acknowledges the server\'s');
  }
}

// A TLS 1.3 draft handshake, from the same capture: the client's supported_versions offers
// draft 18 (0x7f12) where it offered TLS 1.3, and the ServerHello is rewritten in draft 18's
// layout (the draft in its version field, no session id, no compression method, no
// supported_versions); the server's later sequence numbers, and the client's
// acknowledgements of them, move by the bytes that took out.
//   derived-tls13-draft18.pcap
{
  const T = 'handshake-ok-curl-tls13.pcap';
  const t = readFileSync(join(ROOT, 'fixtures', T));
  const rs = records(t).map((r) => Buffer.from(r));
  const port = srcPort(rs[0]);
  const payloadAt = (r) => r.length - payloadLen(r);
  // Extensions of a hello body: [type, start of data, length], after the fields before them.
  const extensions = (b, at) => {
    const out = [];
    const end = at + 2 + b.readUInt16BE(at);
    for (let p = at + 2; p < end; ) {
      out.push([b.readUInt16BE(p), p + 4, b.readUInt16BE(p + 2)]);
      p += 4 + b.readUInt16BE(p + 2);
    }
    return out;
  };
  // The ClientHello: every 0x0304 in supported_versions becomes 0x7f12 (same length).
  const ch = rs.find((r) => srcPort(r) === port && payloadLen(r) > 0);
  const c = payloadAt(ch) + 5 + 4;
  let q = c + 2 + 32;
  q += 1 + ch[q];
  q += 2 + ch.readUInt16BE(q);
  q += 1 + ch[q];
  const sv = extensions(ch, q).find(([type]) => type === 0x2b);
  for (let p = sv[1] + 1; p < sv[1] + sv[2]; p += 2) if (ch.readUInt16BE(p) === 0x0304) ch.writeUInt16BE(0x7f12, p);
  // The ServerHello, first record of the server's first data segment.
  const si = rs.findIndex((r) => srcPort(r) !== port && payloadLen(r) > 0);
  const seg = rs[si];
  const pa = payloadAt(seg);
  const recLen = seg.readUInt16BE(pa + 3);
  const body = seg.subarray(pa + 9, pa + 5 + recLen);
  const random = body.subarray(2, 34);
  let s = 34;
  s += 1 + body[s];
  const cipher = body.subarray(s, s + 2);
  const exts = extensions(body, s + 3).filter(([type]) => type !== 0x2b).map(([type, at, len]) => body.subarray(at - 4, at + len));
  const extBytes = Buffer.concat(exts);
  const newBody = Buffer.concat([Buffer.from([0x7f, 0x12]), random, cipher, Buffer.from([extBytes.length >> 8, extBytes.length & 0xff]), extBytes]);
  const hs = Buffer.concat([Buffer.from([0x02, 0, newBody.length >> 8, newBody.length & 0xff]), newBody]);
  const rec = Buffer.concat([Buffer.from([0x16, 0x03, 0x03, hs.length >> 8, hs.length & 0xff]), hs]);
  const delta = rec.length - (5 + recLen);
  const newSeg = Buffer.concat([seg.subarray(0, pa), rec, seg.subarray(pa + 5 + recLen)]);
  newSeg.writeUInt32LE(newSeg.length - 16, 8);
  newSeg.writeUInt32LE(newSeg.length - 16, 12);
  newSeg.writeUInt16BE(newSeg.length - 16 - 14, 16 + 14 + 2);
  rs[si] = newSeg;
  const segSeq = seg.readUInt32BE(tcp(seg) + 4);
  for (let i = si + 1; i < rs.length; i++) {
    const r = rs[i];
    const th = tcp(r);
    if (srcPort(r) !== port) r.writeUInt32BE((r.readUInt32BE(th + 4) + delta) >>> 0, th + 4);
    else if (r[th + 13] & 0x10 && ((r.readUInt32BE(th + 8) - segSeq) | 0) > 0) r.writeUInt32BE((r.readUInt32BE(th + 8) + delta) >>> 0, th + 8);
  }
  writeFileSync(join(ROOT, 'fixtures', 'derived-tls13-draft18.pcap'), Buffer.concat([t.subarray(0, 24), ...rs]));
  const side = JSON.parse(readFileSync(join(ROOT, 'fixtures', `${T}.json`), 'utf8'));
  side.note = `derived from ${T} by scripts/derive-fixtures.mjs: the hellos rewritten as TLS 1.3 draft 18 (supported_versions 0x7f12; a ServerHello without session id, compression or supported_versions)`;
  writeFileSync(join(ROOT, 'fixtures', 'derived-tls13-draft18.pcap.json'), JSON.stringify(side, null, 2) + '\n');
}

// A SYN that met a stale connection, its retry 13 s later, from the lab's real reproduction
// (fixtures/curl-syn-challenge-ack.pcap: nginx answers the SYN with a challenge ACK, the client
// resets, and Linux sends the same SYN again 11 ms later). A client that waits for its
// retransmission timeout instead (or whose first retry met the stale state too) sends it
// seconds later: every packet after the client's reset moved 13 s later.
//   derived-syn-challenge-ack-13s.pcap
{
  const T = 'curl-syn-challenge-ack.pcap';
  const t = readFileSync(join(ROOT, 'fixtures', T));
  const rs = records(t).map((r) => Buffer.from(r));
  const rst = rs.findIndex((r) => r[tcp(r) + 13] & 0x04);
  if (rst < 0) throw new Error(`${T}: expected the client's reset of the challenge ACK`);
  const port = srcPort(rs[0]);
  // Another connection of the same client in the gap, as a busy capture holds: the handshake
  // after the reset again, from the next port, 5 s after the first SYN.
  const other = rs.slice(rst + 1).map((r) => {
    const c = Buffer.from(r);
    c.writeUInt16BE(port + 1, tcp(c) + (srcPort(c) === port ? 0 : 2));
    c.writeUInt32LE(c.readUInt32LE(0) + 5, 0);
    return c;
  });
  for (const r of rs.slice(rst + 1)) r.writeUInt32LE(r.readUInt32LE(0) + 13, 0);
  writeFileSync(join(ROOT, 'fixtures', 'derived-syn-challenge-ack-13s.pcap'), Buffer.concat([t.subarray(0, 24), ...rs.slice(0, rst + 1), ...other, ...rs.slice(rst + 1)]));
  const side = JSON.parse(readFileSync(join(ROOT, 'fixtures', `${T}.json`), 'utf8'));
  side.note = `derived from ${T} by scripts/derive-fixtures.mjs: every packet after the client's reset 13 s later, as when the client's SYN is sent again only at its retransmission timeout, and those packets also 5 s after the first SYN from the next client port (another connection in the gap)`;
  side.connections = 2;
  writeFileSync(join(ROOT, 'fixtures', 'derived-syn-challenge-ack-13s.pcap.json'), JSON.stringify(side, null, 2) + '\n');
}
