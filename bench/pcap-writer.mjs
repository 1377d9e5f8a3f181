// A classic-pcap writer for the benchmark's synthetic captures: Ethernet, IPv4, TCP or UDP
// frames, buffered and written in large chunks. Checksums are left zero (no reader checks them).
import { closeSync, openSync, writeSync } from 'node:fs';

export const SYN = 2, ACK = 16, PSH = 8, RST = 4, FIN = 1;

export class PcapWriter {
  constructor(path) {
    this.fd = openSync(path, 'w');
    this.chunks = [];
    this.pending = 0;
    this.bytes = 0;
    this.packets = 0;
    const gh = Buffer.alloc(24);
    gh.writeUInt32LE(0xa1b2c3d4, 0);
    gh.writeUInt16LE(2, 4);
    gh.writeUInt16LE(4, 6);
    gh.writeUInt32LE(262144, 16);
    gh.writeUInt32LE(1, 20);
    this.out(gh);
  }

  out(b) {
    this.chunks.push(b);
    this.pending += b.length;
    this.bytes += b.length;
    if (this.pending > 8 * 1024 * 1024) this.flush();
  }

  flush() {
    if (this.pending === 0) return;
    writeSync(this.fd, Buffer.concat(this.chunks, this.pending));
    this.chunks.length = 0;
    this.pending = 0;
  }

  close() {
    this.flush();
    closeSync(this.fd);
    return { bytes: this.bytes, packets: this.packets };
  }

  /** One IPv4 packet of protocol `proto` from `c`'s client (or server) side, its transport header `l4` then `payload`. */
  ip(c, fromClient, proto, l4, payload, ttl, ts) {
    const len = 14 + 20 + l4.length + payload.length;
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
    b[p + 9] = proto;
    b.writeUInt32BE(fromClient ? c.cip : c.sip, p + 12);
    b.writeUInt32BE(fromClient ? c.sip : c.cip, p + 16);
    p += 20;
    b.set(l4, p);
    b.set(payload, p + l4.length);
    this.out(b);
    this.packets++;
  }

  tcp(c, fromClient, flags, seq, ack, payload, ttl, ts) {
    const t = Buffer.alloc(20);
    t.writeUInt16BE(fromClient ? c.cport : c.sport ?? 443, 0);
    t.writeUInt16BE(fromClient ? c.sport ?? 443 : c.cport, 2);
    t.writeUInt32BE(seq >>> 0, 4);
    t.writeUInt32BE(ack >>> 0, 8);
    t[12] = 5 << 4;
    t[13] = flags;
    t.writeUInt16BE(64240, 14);
    this.ip(c, fromClient, 6, t, payload, ttl, ts);
  }

  udp(c, fromClient, payload, ttl, ts) {
    const u = Buffer.alloc(8);
    u.writeUInt16BE(fromClient ? c.cport : c.sport, 0);
    u.writeUInt16BE(fromClient ? c.sport : c.cport, 2);
    u.writeUInt16BE(8 + payload.length, 4);
    this.ip(c, fromClient, 17, u, payload, ttl, ts);
  }
}
