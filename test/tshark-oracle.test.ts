// tshark is the oracle: packet counts, TCP connections, bytes per direction, the cleartext
// handshake messages, SNI, versions, alerts and JA3 must agree on every fixture and every
// ground-truth capture.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture, type CaptureAnalysis, type QuicRecord, type TcpRecord } from '@tlsdoctor/analysis';
import { fixtureFiles, GROUND_TRUTH, groundTruthAvailable } from './helpers/fixtures.js';
import { tsharkAvailable, tsharkFields as tsharkFieldsOf } from './helpers/tshark.js';
import { KeyLog } from '@tlsdoctor/tls-parser-ts';

const haveTshark = tsharkAvailable();
if (!haveTshark) console.warn('tshark-oracle: tshark is not installed; these comparisons are skipped (CI installs it)');
if (!groundTruthAvailable()) console.warn(`tshark-oracle: ${GROUND_TRUTH} is absent; only fixtures/ are compared`);

/** Captures with embedded TLS secrets: tshark decrypts and sees messages after encryption that we, without keys, only count. */
const DECRYPTED_BY_TSHARK = new Set(['chrome-cloudflare-quic-with-secrets.pcapng']);

/**
 * tshark options per capture. A second SYN-ACK with another initial sequence number makes
 * tshark's sequence analysis take the server's ServerHello for a retransmission and drop it;
 * without that analysis tshark reads the server's stream, as tlsdoctor does by following the
 * SYN-ACK the client acknowledged.
 */
const TSHARK_OPTIONS: Record<string, string[]> = { 'derived-double-syn-ack.pcap': ['-o', 'tcp.analyze_sequence_numbers:FALSE'] };

const files = [
  ...fixtureFiles().map((f) => f.path),
  ...(groundTruthAvailable() ? readdirSync(GROUND_TRUTH).filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => join(GROUND_TRUTH, f)) : []),
];

const key = (ip: string, port: string | number) => `${ip}|${port}`;
/** The innermost source address of a row (tunnels list the outer header's first); an IPv6 one wins. */
const innerSrc = (r: Record<string, string>) => (r['ipv6.src'] ? r['ipv6.src'] : r['ip.src']).split(',').pop() ?? '';
const tcpConnections = (a: CaptureAnalysis) => a.connections.filter((c): c is TcpRecord => c.transport === 'tcp');

/**
 * A fixture's key log, cut to the secrets of the handshake tlsdoctor uses (TLS 1.3's handshake
 * and early traffic secrets, TLS 1.0-1.2's master secrets): tshark then opens what we open.
 */
function handshakeKeys(file: string): { keyLog: KeyLog; tsharkOptions: string[] } | undefined {
  const side = fixtureFiles().find((f) => f.path === file)?.sidecar.keylog;
  if (!side) return undefined;
  const lines = readFileSync(join(dirname(file), side), 'latin1').split('\n').filter((l) => /^((CLIENT|SERVER)_HANDSHAKE_TRAFFIC_SECRET|CLIENT_EARLY_TRAFFIC_SECRET|CLIENT_RANDOM) /.test(l));
  const tmp = join(mkdtempSync(join(tmpdir(), 'tlsdoctor-keys-')), 'handshake.keys');
  writeFileSync(tmp, lines.join('\n') + '\n');
  const keyLog = new KeyLog();
  keyLog.begin(tmp);
  keyLog.add(lines.join('\n'));
  keyLog.flush();
  return { keyLog, tsharkOptions: ['-o', `tls.keylog_file:${tmp}`] };
}

describe.skipIf(!haveTshark).each(files.map((f) => [basename(f), f]))('%s agrees with tshark', (name, file) => {
  let ours: CaptureAnalysis;
  const keys = handshakeKeys(file);
  const get = async () => (ours ??= await analyzeCapture(file, { keyLog: keys?.keyLog }));
  const tsharkFields = (f: string, fields: string[], filter?: string, options: string[] = []) => tsharkFieldsOf(f, fields, filter, [...options, ...(TSHARK_OPTIONS[name] ?? []), ...(keys?.tsharkOptions ?? [])]);

  it('packet count', async () => {
    const a = await get();
    expect(a.read.packets).toBe(tsharkFields(file, ['frame.number']).length);
  });

  it('TCP connections and payload bytes per direction', async () => {
    const a = await get();
    const rows = tsharkFields(file, ['tcp.stream', 'ip.src', 'ipv6.src', 'ip.dst', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.len'], 'tcp && !icmp && !icmpv6');
    const streams = new Map<string, { bytes: Map<string, number> }>();
    const last = (v: string) => v.split(',').pop() ?? '';
    for (const r of rows) {
      const src = key(last(r['ip.src']) || last(r['ipv6.src']), last(r['tcp.srcport']));
      const dst = key(last(r['ip.dst']) || last(r['ipv6.dst']), last(r['tcp.dstport']));
      const s = streams.get(r['tcp.stream']) ?? { bytes: new Map([[src, 0], [dst, 0]]) };
      s.bytes.set(src, (s.bytes.get(src) ?? 0) + Number(last(r['tcp.len']) || 0));
      streams.set(r['tcp.stream'], s);
    }
    expect(a.stats.connections).toBe(streams.size);
    // Every TLS connection we report matches a tshark stream with the same bytes each way.
    const byEndpoints = new Map([...streams.values()].map((s) => [[...s.bytes.keys()].sort().join('>'), s]));
    for (const c of tcpConnections(a)) {
      const cl = key(c.client.ip, c.client.port);
      const sv = key(c.server.ip, c.server.port);
      const s = byEndpoints.get([cl, sv].sort().join('>'));
      expect(s, `${cl} -> ${sv}`).toBeDefined();
      expect(c.tcp.bytes[0]).toBe(s!.bytes.get(cl) ?? 0);
      expect(c.tcp.bytes[1]).toBe(s!.bytes.get(sv) ?? 0);
    }
  });

  it('the MSS of each SYN and the SACK blocks of each logged packet', async () => {
    const a = await get();
    const rows = tsharkFields(file, ['frame.number', 'tcp.options.mss_val', 'tcp.options.sack_le', 'tcp.options.sack_re'], 'tcp && !icmp && !icmpv6', ['-o', 'tcp.relative_sequence_numbers:FALSE']);
    const byFrame = new Map(rows.map((r) => [Number(r['frame.number']), r]));
    let compared = 0;
    for (const c of tcpConnections(a)) {
      for (const p of [...c.tcp.packets, c.tcp.syn, c.tcp.synAck]) {
        const t = p && byFrame.get(p.frame);
        if (!p || !t) continue;
        compared++;
        expect(p.mss, `frame ${p.frame}`).toBe(t['tcp.options.mss_val'] ? Number(t['tcp.options.mss_val']) : undefined);
        const le = t['tcp.options.sack_le'] ? t['tcp.options.sack_le'].split(',').map(Number) : [];
        const re = t['tcp.options.sack_re'] ? t['tcp.options.sack_re'].split(',').map(Number) : [];
        expect(p.sack ?? [], `frame ${p.frame}`).toEqual(le.flatMap((l, i) => [l, re[i]]));
      }
    }
    if (tcpConnections(a).length > 0) expect(compared).toBeGreaterThan(0);
  });

  it('the DNS names of each chain the server sent (TLS 1.3: read with the secrets, compressed or not)', async () => {
    const a = await get();
    const rows = tsharkFields(file, ['tcp.stream', 'tls.handshake.type', 'x509ce.dNSName'], '(tls.handshake.type == 11 || tls.handshake.type == 25) && x509ce.dNSName');
    let compared = 0;
    for (const row of rows) {
      // tshark's stream numbers follow connections as ours do.
      const c = tcpConnections(a).find((x) => x.id === Number(row['tcp.stream'].split(',')[0]));
      if (!c || c.tunnel || c.incomplete || c.server.port === Number.NaN) continue;
      // A chain the client sent (mutual TLS) is not the server's.
      if (c.certificates.length === 0 && c.clientCertificates?.length) continue;
      const ours = c.certificates.flatMap((x) => x.sans).filter((n) => !/^\d+\.\d+\.\d+\.\d+$|:/.test(n));
      // tshark cuts a name at its first NUL byte; tlsdoctor shows all of it, the NUL as \00.
      expect(ours.map((n) => n.split('\\00')[0]), `certificates of connection ${c.id}`).toEqual(row['x509ce.dNSName'].split(','));
      compared++;
    }
    if (name.includes('secrets') || keys) expect(compared, 'a chain read with the secrets').toBeGreaterThan(0);
  });

  it('the certificates of each chain the server sent, byte for byte (TLS 1.3: read with the secrets)', async () => {
    const a = await get();
    const rows = tsharkFields(file, ['tcp.stream', 'tcp.srcport', 'tls.handshake.type', 'tls.handshake.certificate'], 'tcp && tls.handshake.type == 11');
    let compared = 0;
    for (const row of rows) {
      const c = tcpConnections(a).find((x) => x.id === Number(row['tcp.stream'].split(',')[0]));
      // The server's chain only (a client's, in mutual TLS, comes from the other port); one chain per frame.
      if (!c || c.tunnel || c.incomplete || Number(row['tcp.srcport'].split(',')[0]) !== c.server.port || row['tls.handshake.type'].split(',').filter((t) => t === '11').length !== 1) continue;
      const theirs = row['tls.handshake.certificate'].split(',').map((h) => createHash('sha256').update(Buffer.from(h, 'hex')).digest('hex'));
      expect(c.certificates.map((x) => x.fingerprint256.replace(/:/g, '').toLowerCase()), `certificates of connection ${c.id}`).toEqual(theirs);
      compared++;
    }
    if (keys) expect(compared, 'a chain read with the secrets').toBeGreaterThan(0);
  });

  it('the certificates of each chain the client sent (mutual TLS), byte for byte (TLS 1.3: read with the secrets)', async () => {
    const a = await get();
    const rows = tsharkFields(file, ['tcp.stream', 'tcp.srcport', 'tls.handshake.type', 'tls.handshake.certificate'], 'tcp && tls.handshake.type == 11');
    let compared = 0;
    for (const row of rows) {
      const c = tcpConnections(a).find((x) => x.id === Number(row['tcp.stream'].split(',')[0]));
      if (!c || c.tunnel || c.incomplete || Number(row['tcp.srcport'].split(',')[0]) !== c.client.port || row['tls.handshake.type'].split(',').filter((t) => t === '11').length !== 1) continue;
      // An empty Certificate (a client with none) has no certificate field.
      const theirs = row['tls.handshake.certificate'] ? row['tls.handshake.certificate'].split(',').map((h) => createHash('sha256').update(Buffer.from(h, 'hex')).digest('hex')) : [];
      expect(c.clientCertificates?.map((x) => x.fingerprint256.replace(/:/g, '').toLowerCase()), `client certificates of connection ${c.id}`).toEqual(theirs);
      compared++;
    }
    if (name.startsWith('curl-client-cert-wrong-purpose') || name.startsWith('curl-client-cert-accepted')) expect(compared, 'the client\'s chain').toBeGreaterThan(0);
  });

  it('first ClientHello of each connection: SNI, versions, ciphers, extensions, JA3', async () => {
    const a = await get();
    const rows = tsharkFields(
      file,
      ['ip.src', 'ipv6.src', 'tcp.srcport', 'tls.handshake.type', 'tls.handshake.extensions_server_name', 'tls.handshake.ciphersuite', 'tls.handshake.extension.type', 'tls.handshake.ja3_full', 'tls.handshake.ja3'],
      'tcp && tls.handshake.type == 1',
    );
    const firstByClient = new Map<string, Record<string, string>>();
    for (const r of rows) {
      const k = key(innerSrc(r), r['tcp.srcport'].split(',')[0]);
      if (!firstByClient.has(k)) firstByClient.set(k, r);
    }
    let compared = 0;
    for (const c of tcpConnections(a)) {
      const r = firstByClient.get(key(c.client.ip, c.client.port));
      if (!r || !c.clientHello || c.clientHello.sslv2Format) continue;
      // A frame may hold several hellos (rare); the first of each field belongs to the first hello.
      const hellos = r['tls.handshake.type'].split(',').filter((t) => t === '1').length;
      if (hellos !== 1) continue;
      compared++;
      expect(c.sni ?? '').toBe(r['tls.handshake.extensions_server_name']);
      expect(c.clientHello.cipherSuites.join(',')).toBe(r['tls.handshake.ciphersuite'].split(',').map((x) => parseInt(x, 16)).join(','));
      expect(c.clientHello.extensions.map((e) => String(e.type)).join(',')).toBe(r['tls.handshake.extension.type']);
      expect(c.ja3?.string).toBe(r['tls.handshake.ja3_full']);
      expect(c.ja3?.hash).toBe(r['tls.handshake.ja3']);
    }
    expect(compared).toBe([...firstByClient.keys()].filter((k) => tcpConnections(a).some((c) => key(c.client.ip, c.client.port) === k && c.clientHello && !c.clientHello.sslv2Format)).length);
  });

  it('cleartext handshake messages and alerts, in order, per connection', async () => {
    const a = await get();
    const rows = tsharkFields(file, ['ip.src', 'ipv6.src', 'tcp.srcport', 'tcp.dstport', 'tls.handshake.type', 'tls.alert_message.desc', 'tls.record.content_type'], 'tcp && tls');
    const seen = new Map<string, { hs: string[]; alerts: string[] }>();
    for (const r of rows) {
      const src = key(innerSrc(r), r['tcp.srcport'].split(',')[0]);
      const s = seen.get(src + '>' + r['tcp.dstport'].split(',')[0]) ?? { hs: [], alerts: [] };
      if (r['tls.handshake.type']) s.hs.push(...r['tls.handshake.type'].split(','));
      if (r['tls.alert_message.desc']) s.alerts.push(...r['tls.alert_message.desc'].split(','));
      seen.set(src + '>' + r['tcp.dstport'].split(',')[0], s);
    }
    for (const c of tcpConnections(a)) {
      if (c.tunnel || c.incomplete) continue;
      const fromClient = seen.get(key(c.client.ip, c.client.port) + '>' + c.server.port) ?? { hs: [], alerts: [] };
      const fromServer = seen.get(key(c.server.ip, c.server.port) + '>' + c.client.port) ?? { hs: [], alerts: [] };
      const ours = (side: 'client' | 'server') => c.messages.filter((m) => m.from === side).map((m) => String(m.type));
      // With secrets tshark reads past the point where we only count records: ours is its prefix,
      // and holds at least every message that travels in clear (TLS 1.3: the hellos; below: all
      // before Finished).
      const upTo = (list: string[], side: 'client' | 'server') => {
        if (!DECRYPTED_BY_TSHARK.has(name)) return list.slice(0, 48);
        const clear = c.version === 0x0304 ? list.findIndex((t) => t !== '1' && t !== '2') : list.indexOf('20');
        expect(ours(side).length, `${side} messages of ${c.client.port} in clear`).toBeGreaterThanOrEqual(clear < 0 ? list.length : clear);
        return list.slice(0, ours(side).length);
      };
      expect(ours('client'), `client messages of ${c.client.port}`).toEqual(upTo(fromClient.hs, 'client'));
      expect(ours('server'), `server messages of ${c.client.port}`).toEqual(upTo(fromServer.hs, 'server'));
      expect(c.alerts.filter((x) => x.from === 'client').map((x) => String(x.description))).toEqual(fromClient.alerts.slice(0, 16));
      expect(c.alerts.filter((x) => x.from === 'server').map((x) => String(x.description))).toEqual(fromServer.alerts.slice(0, 16));
    }
  });

  it('QUIC connections: count, QUIC version, SNI, ALPN, TLS version, cipher and the handshake messages of each side', async () => {
    const a = await get();
    const rows = tsharkFields(
      file,
      ['quic.connection.number', 'ip.src', 'ipv6.src', 'udp.srcport', 'quic.version', 'tls.handshake.type', 'tls.handshake.extensions_server_name', 'tls.handshake.extensions_alpn_str', 'tls.handshake.ciphersuite', 'tls.handshake.extensions.supported_version'],
      'quic',
    );
    type Seen = { client?: string; version?: string; sni?: string; alpn?: string; cipher?: string; tls?: string; hs: Map<string, string[]> };
    const conns = new Map<string, Seen>();
    for (const r of rows) {
      const n = r['quic.connection.number'].split(',')[0];
      const c: Seen = conns.get(n) ?? { hs: new Map() };
      const src = key(innerSrc(r), r['udp.srcport'].split(',').pop() ?? '');
      const types = r['tls.handshake.type'] ? r['tls.handshake.type'].split(',') : [];
      c.version ??= r['quic.version'].split(',')[0] || undefined;
      // The first packet of a connection is the client's Initial (or an ICMP error quoting it).
      c.client ??= src;
      if (types[0] === '1') c.sni ??= r['tls.handshake.extensions_server_name'];
      if (types[0] === '2') {
        c.cipher ??= r['tls.handshake.ciphersuite'];
        c.tls ??= r['tls.handshake.extensions.supported_version'];
      }
      if (r['tls.handshake.extensions_alpn_str'] && types.includes('8')) c.alpn = r['tls.handshake.extensions_alpn_str'];
      else if (types[0] === '1' && c.alpn === undefined) c.alpn = r['tls.handshake.extensions_alpn_str'].split(',')[0];
      c.hs.set(src, [...(c.hs.get(src) ?? []), ...types]);
      conns.set(n, c);
    }
    const quic = a.connections.filter((c): c is QuicRecord => c.transport === 'quic');
    expect(quic.length).toBe(conns.size);
    expect(a.quicConnections).toBe(conns.size);
    for (const t of conns.values()) {
      const c = quic.find((q) => key(q.client.ip, q.client.port) === t.client);
      expect(c, `QUIC connection from ${t.client}`).toBeDefined();
      expect(c!.quic.version).toBe(parseInt(t.version!, 16));
      expect(c!.sni ?? '').toBe(t.sni ?? '');
      expect(c!.alpn ?? c!.clientHello?.alpn?.[0] ?? '').toBe(t.alpn ?? '');
      expect(c!.cipher === undefined ? '' : `0x${c!.cipher.toString(16).padStart(4, '0')}`).toBe(t.cipher ?? '');
      expect(c!.version === undefined ? '' : `0x${c!.version.toString(16).padStart(4, '0')}`).toBe(t.tls ?? '');
      // tshark opens 1-RTT packets too with the secrets (a NewSessionTicket): ours is the handshake's prefix.
      for (const side of ['client', 'server'] as const) {
        const ep = side === 'client' ? key(c!.client.ip, c!.client.port) : key(c!.server.ip, c!.server.port);
        const ours = c!.messages.filter((m) => m.from === side).map((m) => String(m.type));
        expect(ours, `${side} messages`).toEqual((t.hs.get(ep) ?? []).slice(0, ours.length));
        expect(ours.length, `${side} messages read`).toBeGreaterThanOrEqual(Math.min(1, t.hs.get(ep)?.length ?? 0));
      }
    }
  });
});
