// Table-driven: every handshake message type the codec decodes, on the real handshakes in
// fixtures/, against tshark's reading of the same bytes.
import { describe, expect, it } from 'vitest';
import {
  parseCertificate,
  parseCertificateRequest,
  parseNewSessionTicket,
  parseServerKeyExchange,
  TlsStreamReader,
  type ClientHello,
  type ServerHello,
} from '@tlsdoctor/tls-parser-ts';
import { fixtureFiles, reassembled } from './helpers/fixtures.js';
import { tsharkAvailable, tsharkFields } from './helpers/tshark.js';

const haveTshark = tsharkAvailable();

interface Seen {
  clientHellos: ClientHello[];
  serverHellos: ServerHello[];
  bodies: Map<number, Uint8Array[]>;
}

async function messages(path: string): Promise<Seen> {
  const out: Seen = { clientHellos: [], serverHellos: [], bodies: new Map() };
  for (const c of await reassembled(path)) {
    for (const [dir, bytes] of [['client', c.client], ['server', c.server]] as const) {
      const r = new TlsStreamReader(dir);
      for (const ev of [...r.push(bytes), ...r.finish()]) {
        if (ev.kind !== 'handshake') continue;
        if (ev.clientHello) out.clientHellos.push(ev.clientHello);
        if (ev.serverHello) out.serverHellos.push(ev.serverHello);
        out.bodies.set(ev.msgType, [...(out.bodies.get(ev.msgType) ?? []), ev.body]);
      }
    }
  }
  return out;
}

const path = (n: string) => fixtureFiles().find((f) => f.name === n)!.path;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const first = (v: string) => v.split(',')[0];

describe.skipIf(!haveTshark)('handshake messages against tshark', () => {
  it.each([
    ['openssl-tls10-handshake.pcap', 0x0301],
    ['openssl-tls11-handshake.pcap', 0x0302],
    ['openssl-tls12-handshake.pcap', 0x0303],
    ['handshake-ok-curl-tls13.pcap', 0x0304],
    ['openssl-tls13-hello-retry.pcap', 0x0304],
  ])('ServerHello of %s: version %i, suite, HelloRetryRequest', async (name, version) => {
    const m = await messages(path(name));
    const rows = tsharkFields(path(name), ['tls.handshake.ciphersuite', 'tls.handshake.extensions.supported_version', 'tls.handshake.version'], 'tls.handshake.type == 2');
    expect(m.serverHellos.map((s) => s.cipherSuite)).toEqual(rows.map((r) => parseInt(first(r['tls.handshake.ciphersuite']), 16)));
    expect(m.serverHellos.at(-1)!.version).toBe(version);
    for (const [i, s] of m.serverHellos.entries()) {
      const sv = rows[i]['tls.handshake.extensions.supported_version'];
      expect(s.version).toBe(sv ? parseInt(first(sv), 16) : parseInt(first(rows[i]['tls.handshake.version']), 16));
    }
    expect(m.serverHellos.map((s) => s.isHelloRetryRequest)).toEqual(name.includes('hello-retry') ? [true, false] : [false]);
  });

  it.each([
    ['openssl-tls12-handshake.pcap', 0x0303],
    ['openssl-tls10-handshake.pcap', 0x0301],
    ['cert-expired-tls12.pcap', 0x0303],
    ['cert-missing-intermediate.pcap', 0x0303],
    ['cert-self-signed.pcap', 0x0303],
  ])('Certificate of %s: the DER list', async (name, version) => {
    const m = await messages(path(name));
    const certs = parseCertificate(m.bodies.get(11)![0], version).certificates;
    const rows = tsharkFields(path(name), ['tls.handshake.certificate'], 'tls.handshake.type == 11');
    expect(certs.map(hex)).toEqual(rows[0]['tls.handshake.certificate'].split(',').map((h) => h.replace(/:/g, '')));
  });

  it.each([['openssl-tls12-handshake.pcap'], ['openssl-tls12-client-auth.pcap'], ['openssl-tls10-handshake.pcap'], ['cert-expired-tls12.pcap']])(
    'ServerKeyExchange of %s: named curve, key length, signature scheme',
    async (name) => {
      const m = await messages(path(name));
      const version = m.serverHellos[0].version;
      const ske = parseServerKeyExchange(m.bodies.get(12)![0], version);
      const [row] = tsharkFields(path(name), ['tls.handshake.server_named_curve', 'tls.handshake.server_point_len', 'tls.handshake.sig_hash_alg'], 'tls.handshake.type == 12');
      expect(ske.kind).toBe('ecdhe');
      expect(ske.group).toBe(parseInt(row['tls.handshake.server_named_curve'], 16));
      expect(ske.publicKeyLength).toBe(Number(row['tls.handshake.server_point_len']));
      if (version >= 0x0303) expect(ske.signatureScheme).toBe(parseInt(first(row['tls.handshake.sig_hash_alg']), 16));
    },
  );

  it('CertificateRequest: certificate types, signature algorithms, CA names', async () => {
    const name = 'openssl-tls12-client-auth.pcap';
    const m = await messages(path(name));
    const cr = parseCertificateRequest(m.bodies.get(13)![0], 0x0303);
    const [row] = tsharkFields(path(name), ['tls.handshake.cert_type', 'tls.handshake.sig_hash_alg_len', 'tls.handshake.dname_len'], 'tls.handshake.type == 13');
    expect(cr.certificateTypes).toEqual(row['tls.handshake.cert_type'].split(',').map(Number));
    expect(cr.signatureAlgorithms!.length * 2).toBe(Number(row['tls.handshake.sig_hash_alg_len']));
    expect(cr.certificateAuthorities).toBe(row['tls.handshake.dname_len'].split(',').filter(Boolean).length);
  });

  it.each([['openssl-tls12-handshake.pcap'], ['openssl-tls12-client-auth.pcap'], ['openssl-tls11-handshake.pcap']])('NewSessionTicket of %s: lifetime hint and ticket length', async (name) => {
    const m = await messages(path(name));
    const t = parseNewSessionTicket(m.bodies.get(4)![0]);
    const [row] = tsharkFields(path(name), ['tls.handshake.session_ticket_lifetime_hint', 'tls.handshake.session_ticket_length'], 'tls.handshake.type == 4');
    expect(t.lifetimeHint).toBe(Number(row['tls.handshake.session_ticket_lifetime_hint']));
    expect(t.ticketLength).toBe(Number(row['tls.handshake.session_ticket_length']));
  });

  it.each(fixtureFiles().filter((f) => !/^(syn|icmp|derived-mid)/.test(f.name)).map((f) => [f.name]))('ClientHello of %s: groups, key shares, signature algorithms, ALPN, versions', async (name) => {
    const m = await messages(path(name));
    const rows = tsharkFields(path(name), ['tls.handshake.extensions_supported_group', 'tls.handshake.extensions_key_share_group', 'tls.handshake.extensions_alpn_str', 'tls.handshake.extensions.supported_version'], 'tcp && tls.handshake.type == 1');
    expect(m.clientHellos.length).toBe(rows.length);
    for (const [i, ch] of m.clientHellos.entries()) {
      const r = rows[i];
      const nums = (v: string) => (v ? v.split(',').map((x) => parseInt(x, x.startsWith('0x') ? 16 : 10)) : []);
      expect(ch.supportedGroups ?? []).toEqual(nums(r['tls.handshake.extensions_supported_group']));
      expect((ch.keyShares ?? []).map((k) => k.group)).toEqual(nums(r['tls.handshake.extensions_key_share_group']));
      expect((ch.alpn ?? []).join(',')).toBe(r['tls.handshake.extensions_alpn_str']);
      expect(ch.supportedVersions ?? []).toEqual(nums(r['tls.handshake.extensions.supported_version']));
    }
  });
});
