#!/usr/bin/env node
// Derives tunnel fixtures from a real capture (fixtures/handshake-ok-curl-tls13.pcap: Ethernet,
// IPv4, TCP): every packet wrapped as the tunnel or link carries it, so that the inner TLS
// connection must read exactly as the original does. tshark decodes each one (test/tshark-oracle
// compares them field by field):
//   tunnel-pppoe.pcap        PPPoE session (RFC 2516) over Ethernet
//   tunnel-pppoe-qinq.pcap   the same inside 802.1ad and 802.1Q tags
//   tunnel-mpls.pcap         two MPLS labels (RFC 3032)
//   tunnel-geneve.pcap       Geneve (RFC 8926, UDP 6081) with 8 bytes of options, carrying Ethernet
//   tunnel-gtpu.pcap         GTP-U v1 (UDP 2152) with a sequence number, carrying IP
//   tunnel-ipip.pcap         IPv4 in IPv4 (RFC 2003)
//   link-ppp.pcap            link type PPP (9), HDLC address and control bytes first
//   link-ppp-ether.pcap      link type PPP_ETHER (51): PPPoE without Ethernet
//   link-ppp-with-dir.pcap   link type PPP_WITH_DIR (204), a direction byte then compressed-protocol PPP
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = 'handshake-ok-curl-tls13.pcap';
const src = readFileSync(join(ROOT, 'fixtures', SRC));

function records(buf) {
  const out = [];
  for (let p = 24; p + 16 <= buf.length; ) {
    const incl = buf.readUInt32LE(p + 8);
    out.push({ header: Buffer.from(buf.subarray(p, p + 16)), frame: Buffer.from(buf.subarray(p + 16, p + 16 + incl)) });
    p += 16 + incl;
  }
  return out;
}

function ipv4Checksum(h) {
  let sum = 0;
  for (let i = 0; i < h.length; i += 2) sum += (h[i] << 8) | h[i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

/** An outer IPv4 header from 10.99.0.1 to 10.99.0.2 around `payload`. */
function outerIpv4(proto, payload) {
  const h = Buffer.from([0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, proto, 0, 0, 10, 99, 0, 1, 10, 99, 0, 2]);
  h.writeUInt16BE(20 + payload.length, 2);
  h.writeUInt16BE(ipv4Checksum(h), 10);
  return Buffer.concat([h, payload]);
}

function udp(sport, dport, payload) {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([h, payload]);
}

const ETH_SRC_DST = Buffer.from('020000000001020000000002', 'hex');
const eth = (type, payload) => Buffer.concat([ETH_SRC_DST, Buffer.from([type >> 8, type & 0xff]), payload]);
const ip = (frame) => frame.subarray(14);

function pppoe(payload) {
  const h = Buffer.from([0x11, 0x00, 0x12, 0x34, 0, 0, 0x00, 0x21]);
  h.writeUInt16BE(payload.length + 2, 4);
  return Buffer.concat([h, payload]);
}

const VARIANTS = {
  'tunnel-pppoe.pcap': { note: 'every packet in a PPPoE session over Ethernet', wrap: (f) => eth(0x8864, pppoe(ip(f))) },
  'tunnel-pppoe-qinq.pcap': {
    note: 'every packet in a PPPoE session inside an 802.1ad tag (VLAN 100) and an 802.1Q tag (VLAN 200)',
    wrap: (f) => Buffer.concat([ETH_SRC_DST, Buffer.from([0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0x00, 0xc8, 0x88, 0x64]), pppoe(ip(f))]),
  },
  'tunnel-mpls.pcap': { note: 'every packet under two MPLS labels (16, then 17 with the bottom-of-stack bit)', wrap: (f) => eth(0x8847, Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x40, 0x00, 0x01, 0x11, 0x40]), ip(f)])) },
  'tunnel-geneve.pcap': {
    note: 'every Ethernet frame in Geneve (UDP 6081, VNI 0x123456, 8 bytes of options) between 10.99.0.1 and 10.99.0.2',
    wrap: (f) => eth(0x0800, outerIpv4(17, udp(40000, 6081, Buffer.concat([Buffer.from([0x02, 0x00, 0x65, 0x58, 0x12, 0x34, 0x56, 0x00, 0x01, 0x02, 0x80, 0x01, 0xaa, 0xbb, 0xcc, 0xdd]), f])))),
  },
  'tunnel-gtpu.pcap': {
    note: 'every IP packet in GTP-U v1 (UDP 2152, TEID 0x01020304, with a sequence number) between 10.99.0.1 and 10.99.0.2',
    wrap: (f) => {
      const g = Buffer.from([0x32, 0xff, 0, 0, 0x01, 0x02, 0x03, 0x04, 0x00, 0x07, 0x00, 0x00]);
      g.writeUInt16BE(4 + ip(f).length, 2);
      return eth(0x0800, outerIpv4(17, udp(2152, 2152, Buffer.concat([g, ip(f)]))));
    },
  },
  'tunnel-ipip.pcap': { note: 'every IPv4 packet inside an outer IPv4 header (protocol 4) from 10.99.0.1 to 10.99.0.2', wrap: (f) => eth(0x0800, outerIpv4(4, ip(f))) },
  'link-ppp.pcap': { note: 'link type PPP (9): each IP packet after the HDLC address and control bytes and protocol 0x0021', linkType: 9, wrap: (f) => Buffer.concat([Buffer.from([0xff, 0x03, 0x00, 0x21]), ip(f)]) },
  'link-ppp-ether.pcap': { note: 'link type PPP_ETHER (51): each IP packet in a PPPoE session header without Ethernet', linkType: 51, wrap: (f) => pppoe(ip(f)) },
  'link-ppp-with-dir.pcap': { note: 'link type PPP_WITH_DIR (204): a direction byte, then PPP with a compressed one-byte protocol field (0x21)', linkType: 204, wrap: (f) => Buffer.concat([Buffer.from([0x01, 0x21]), ip(f)]) },
};

const recs = records(src);
for (const [name, v] of Object.entries(VARIANTS)) {
  const header = Buffer.from(src.subarray(0, 24));
  if (v.linkType) header.writeUInt32LE(v.linkType, 20);
  const out = [header];
  for (const r of recs) {
    const frame = v.wrap(r.frame);
    const h = Buffer.from(r.header);
    h.writeUInt32LE(frame.length, 8);
    h.writeUInt32LE(frame.length + (r.header.readUInt32LE(12) - r.header.readUInt32LE(8)), 12);
    out.push(h, frame);
  }
  writeFileSync(join(ROOT, 'fixtures', name), Buffer.concat(out));
  const side = JSON.parse(readFileSync(join(ROOT, 'fixtures', `${SRC}.json`), 'utf8'));
  side.note = `derived from ${SRC} by scripts/derive-tunnels.mjs: ${v.note}`;
  writeFileSync(join(ROOT, 'fixtures', `${name}.json`), JSON.stringify(side, null, 2) + '\n');
  console.log(`derive-tunnels: ${name}`);
}
