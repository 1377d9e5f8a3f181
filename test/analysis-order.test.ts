// Whether a connection without TLS of its own counts as a TLS attempt depends on its port
// carrying TLS elsewhere in the capture. The verdict must not depend on which connection
// came first: here a connection where only the server spoke (non-TLS bytes) comes before or
// after a TLS handshake on the same port, with no port known for TLS in advance.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '@tlsdoctor/analysis';
import { FIXTURES } from './helpers/fixtures.js';

interface Rec {
  header: Buffer;
  data: Buffer;
}

/** The records of a little-endian microsecond pcap of Ethernet frames. */
function records(file: string): { global: Buffer; recs: Rec[] } {
  const b = readFileSync(join(FIXTURES, file));
  const recs: Rec[] = [];
  for (let p = 24; p + 16 <= b.length; ) {
    const incl = b.readUInt32LE(p + 8);
    recs.push({ header: Buffer.from(b.subarray(p, p + 16)), data: Buffer.from(b.subarray(p + 16, p + 16 + incl)) });
    p += 16 + incl;
  }
  return { global: b.subarray(0, 24), recs };
}

/** TCP payload length and source port of an Ethernet/IPv4 frame. */
function tcp(frame: Buffer): { srcPort: number; payload: number } {
  const ip = 14;
  const ihl = (frame[ip] & 0x0f) * 4;
  const total = frame.readUInt16BE(ip + 2);
  const t = ip + ihl;
  return { srcPort: frame.readUInt16BE(t), payload: total - ihl - ((frame[t + 12] >> 4) * 4) };
}

/** Moves every timestamp by whole seconds. */
function shifted(recs: Rec[], seconds: number): Rec[] {
  return recs.map((r) => {
    const header = Buffer.from(r.header);
    header.writeUInt32LE(header.readUInt32LE(0) + seconds, 0);
    return { header, data: r.data };
  });
}

describe('connections waiting for their port to show TLS', () => {
  const garbage = records('garbage-server.pcap');
  // Only the server speaks: the client's ClientHello is left out.
  const serverOnly = garbage.recs.filter((r) => !(tcp(r.data).srcPort !== 443 && tcp(r.data).payload > 0));
  const tls = records('handshake-ok-curl-tls13.pcap').recs;
  const tmp = mkdtempSync(join(tmpdir(), 'tlsdoctor-order-'));
  const write = (name: string, recs: Rec[]) => {
    const path = join(tmp, name);
    writeFileSync(path, Buffer.concat([garbage.global, ...recs.flatMap((r) => [r.header, r.data])]));
    return path;
  };
  const t0 = (r: Rec[]) => r[0].header.readUInt32LE(0);

  it.each([
    ['server-only connection first', () => write('first.pcap', [...shifted(serverOnly, 0), ...shifted(tls, t0(serverOnly) - t0(tls) + 60)])],
    ['server-only connection last', () => write('last.pcap', [...tls, ...shifted(serverOnly, t0(tls) - t0(serverOnly) + 60)])],
  ])('%s: it counts, on the port the handshake showed TLS on', async (_name, make) => {
    const a = await analyzeCapture(make(), { tlsPorts: [] });
    const evidence = a.connections.map((c) => c.tlsEvidence).sort();
    expect(evidence).toEqual(['client-hello', 'tls-port']);
    const waited = a.connections.find((c) => c.tlsEvidence === 'tls-port');
    expect(waited?.transport === 'tcp' && waited.nonTls?.from).toBe('server');
  });
});
