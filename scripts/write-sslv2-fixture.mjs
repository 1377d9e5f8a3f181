#!/usr/bin/env node
// Writes fixtures/sslv2-server.pcap: an SSL 2.0 exchange, as no server in the lab can make one
// (OpenSSL removed SSL 2.0 in 1.1.0). Every byte follows the SSL 2.0 specification: the client's
// CLIENT-HELLO (version 2, four cipher kinds, a 16-byte challenge), the server's SERVER-HELLO
// (an X.509 certificate made here with openssl, three cipher kinds, a connection id), the
// client's CLIENT-MASTER-KEY, then FINs, over TCP from 198.18.1.2 to 198.18.2.50:443. tshark
// decodes it as SSLv2 (test/tshark-oracle.test.ts compares what both read).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'td-sslv2-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(tmp, 'k.pem'), '-subj', '/CN=sslv2.lab.test', '-days', '3650', '-outform', 'DER', '-out', join(tmp, 'c.der')], { stdio: 'ignore' });
const cert = readFileSync(join(tmp, 'c.der'));
rmSync(tmp, { recursive: true, force: true });

const bytes = (n, v) => Buffer.alloc(n, v);
const u16 = (v) => Buffer.from([v >> 8, v & 0xff]);
const sslv2 = (body) => Buffer.concat([Buffer.from([0x80 | (body.length >> 8), body.length & 0xff]), body]);
const specs = (...k) => Buffer.concat(k.map((v) => Buffer.from([v >> 16, (v >> 8) & 0xff, v & 0xff])));
const clientSpecs = specs(0x010080, 0x020080, 0x030080, 0x0700c0);
const clientHello = sslv2(Buffer.concat([Buffer.from([0x01]), u16(0x0002), u16(clientSpecs.length), u16(0), u16(16), clientSpecs, bytes(16, 0x5a)]));
const serverSpecs = specs(0x010080, 0x030080, 0x0700c0);
const serverHello = sslv2(Buffer.concat([Buffer.from([0x04, 0x00, 0x01]), u16(0x0002), u16(cert.length), u16(serverSpecs.length), u16(16), cert, serverSpecs, bytes(16, 0x33)]));
const masterKey = sslv2(Buffer.concat([Buffer.from([0x02, 0x01, 0x00, 0x80]), u16(0), u16(64), u16(0), bytes(64, 0x77)]));

const C = [198, 18, 1, 2], S = [198, 18, 2, 50], CP = 40000, SP = 443;
const SYN = 0x02, ACK = 0x10, PSH = 0x08, FIN = 0x01;
let t = 0;
const packets = [];
function checksum(h) {
  let sum = 0;
  for (let i = 0; i < h.length; i += 2) sum += (h[i] << 8) | (h[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}
function tcp(fromClient, seq, ack, flags, payload = Buffer.alloc(0)) {
  const th = Buffer.alloc(20);
  th.writeUInt16BE(fromClient ? CP : SP, 0);
  th.writeUInt16BE(fromClient ? SP : CP, 2);
  th.writeUInt32BE(seq >>> 0, 4);
  th.writeUInt32BE(ack >>> 0, 8);
  th[12] = 5 << 4;
  th[13] = flags;
  th.writeUInt16BE(64240, 14);
  const ip = Buffer.from([0x45, 0, 0, 0, 0, 1, 0x40, 0, fromClient ? 64 : 63, 6, 0, 0, ...(fromClient ? C : S), ...(fromClient ? S : C)]);
  ip.writeUInt16BE(20 + 20 + payload.length, 2);
  ip.writeUInt16BE(checksum(ip), 10);
  const pseudo = Buffer.concat([ip.subarray(12, 20), Buffer.from([0, 6]), u16(20 + payload.length), th, payload]);
  th.writeUInt16BE(checksum(pseudo), 16);
  const frame = Buffer.concat([Buffer.from('020000000002020000000001', 'hex'), u16(0x0800), ip, th, payload]);
  const rec = Buffer.alloc(16);
  t += 0.0005;
  rec.writeUInt32LE(1_700_000_000 + Math.floor(t), 0);
  rec.writeUInt32LE(Math.round((t % 1) * 1e6), 4);
  rec.writeUInt32LE(frame.length, 8);
  rec.writeUInt32LE(frame.length, 12);
  packets.push(rec, frame);
}
const ci = 1000, si = 5000;
tcp(true, ci, 0, SYN);
tcp(false, si, ci + 1, SYN | ACK);
tcp(true, ci + 1, si + 1, ACK);
tcp(true, ci + 1, si + 1, PSH | ACK, clientHello);
let c = ci + 1 + clientHello.length;
tcp(false, si + 1, c, PSH | ACK, serverHello);
let s = si + 1 + serverHello.length;
tcp(true, c, s, PSH | ACK, masterKey);
c += masterKey.length;
tcp(false, s, c, ACK);
tcp(true, c, s, FIN | ACK);
tcp(false, s, c + 1, FIN | ACK);
tcp(true, c + 1, s + 1, ACK);

const header = Buffer.alloc(24);
header.writeUInt32LE(0xa1b2c3d4, 0);
header.writeUInt16LE(2, 4);
header.writeUInt16LE(4, 6);
header.writeUInt32LE(262144, 16);
header.writeUInt32LE(1, 20);
writeFileSync(join(ROOT, 'fixtures', 'sslv2-server.pcap'), Buffer.concat([header, ...packets]));
writeFileSync(join(ROOT, 'fixtures', 'sslv2-server.pcap.json'), JSON.stringify({
  scenario: 'an SSL 2.0 server (written by scripts/write-sslv2-fixture.mjs)',
  note: 'an SSL 2.0 CLIENT-HELLO of version 2 answered with an SSL 2.0 SERVER-HELLO and its certificate; the client goes on with CLIENT-MASTER-KEY',
  client: 'scripts/write-sslv2-fixture.mjs (SSL 2.0 by its specification; OpenSSL no longer speaks it)',
  capture: 'written by scripts/write-sslv2-fixture.mjs; tshark decodes it as SSLv2',
  expect: { primary: 'SSL2_HANDSHAKE' },
}, null, 2) + '\n');
console.log('write-sslv2-fixture: fixtures/sslv2-server.pcap');
