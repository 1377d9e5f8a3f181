#!/usr/bin/env node
// Writes fixtures/sslv2-server.pcap: an SSL 2.0 exchange, as no server in the lab can make one
// (OpenSSL removed SSL 2.0 in 1.1.0). Every byte follows the SSL 2.0 specification: the client's
// CLIENT-HELLO (version 2, four cipher kinds, a 16-byte challenge), the server's SERVER-HELLO
// (an X.509 certificate made here with openssl, three cipher kinds, a connection id), the
// client's CLIENT-MASTER-KEY, then FINs, over TCP from 198.18.1.2 to 198.18.2.50:443 (through the
// benchmark's pcap writer). tshark
// decodes it as SSLv2 (test/tshark-oracle.test.ts compares what both read).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACK, FIN, PcapWriter, PSH, SYN } from '../bench/pcap-writer.mjs';

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

// 198.18.1.2:40000 to 198.18.2.50:443, packets half a millisecond apart.
const w = new PcapWriter(join(ROOT, 'fixtures', 'sslv2-server.pcap'));
const c = { cip: 0xc6120102, sip: 0xc6120232, cport: 40000, sport: 443, cid: 1, sid: 1 };
let t = 1_700_000_000;
const tcp = (fromClient, seq, ack, flags, payload = Buffer.alloc(0)) => w.tcp(c, fromClient, flags, seq, ack, payload, fromClient ? 64 : 63, (t += 0.0005));
const ci = 1000, si = 5000;
tcp(true, ci, 0, SYN);
tcp(false, si, ci + 1, SYN | ACK);
tcp(true, ci + 1, si + 1, ACK);
tcp(true, ci + 1, si + 1, PSH | ACK, clientHello);
let cs = ci + 1 + clientHello.length;
tcp(false, si + 1, cs, PSH | ACK, serverHello);
const ss = si + 1 + serverHello.length;
tcp(true, cs, ss, PSH | ACK, masterKey);
cs += masterKey.length;
tcp(false, ss, cs, ACK);
tcp(true, cs, ss, FIN | ACK);
tcp(false, ss, cs + 1, FIN | ACK);
tcp(true, cs + 1, ss + 1, ACK);
w.close();
writeFileSync(join(ROOT, 'fixtures', 'sslv2-server.pcap.json'), JSON.stringify({
  scenario: 'an SSL 2.0 server (written by scripts/write-sslv2-fixture.mjs)',
  note: 'an SSL 2.0 CLIENT-HELLO of version 2 answered with an SSL 2.0 SERVER-HELLO and its certificate; the client goes on with CLIENT-MASTER-KEY',
  client: 'scripts/write-sslv2-fixture.mjs (SSL 2.0 by its specification; OpenSSL no longer speaks it)',
  capture: 'written by scripts/write-sslv2-fixture.mjs; tshark decodes it as SSLv2',
  expect: { primary: 'SSL2_HANDSHAKE' },
}, null, 2) + '\n');
console.log('write-sslv2-fixture: fixtures/sslv2-server.pcap');
