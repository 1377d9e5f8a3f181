// FoxIO's published expected outputs: every TLS-over-TCP connection they list must get a record
// whose SNI and JA4 (all four forms) equal theirs.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '@tlsdoctor/analysis';
import { GROUND_TRUTH, groundTruthAvailable } from './helpers/fixtures.js';
import { tsharkAvailable, tsharkFields } from './helpers/tshark.js';

interface Expected {
  stream: number;
  src: string;
  dst: string;
  srcport: string;
  dstport: string;
  domain?: string;
  'JA4.1'?: string;
  'JA4_r.1'?: string;
  'JA4_o.1'?: string;
  'JA4_ro.1'?: string;
}

const available = groundTruthAvailable();
if (!available) console.warn(`ground-truth-ja4: skipped: ${GROUND_TRUTH} is absent (it sits in ../shared beside the repository)`);

const cases = available
  ? readdirSync(GROUND_TRUTH)
      .filter((f) => /\.pcap(ng)?$/.test(f) && !f.startsWith('quic') && !f.includes('quic'))
      .map((f) => [f, (JSON.parse(readFileSync(join(GROUND_TRUTH, `${f}.json`), 'utf8')) as Expected[]).filter((e) => e['JA4.1'])] as const)
      .filter(([, exp]) => exp.length > 0)
  : [];

describe.skipIf(!available)('FoxIO JA4 vectors', () => {
  it('cover a meaningful set of connections', () => {
    expect(cases.reduce((n, [, e]) => n + e.length, 0)).toBeGreaterThanOrEqual(100);
  });

  it.each(cases)('%s: SNI and JA4, JA4_r, JA4_o, JA4_ro of every listed connection', async (file, expected) => {
    const a = await analyzeCapture(join(GROUND_TRUTH, file));
    for (const e of expected) {
      const c = a.connections.find((x) => x.client.ip === e.src && String(x.client.port) === e.srcport && x.server.ip === e.dst && String(x.server.port) === e.dstport);
      expect(c, `stream ${e.stream} ${e.src}:${e.srcport} -> ${e.dst}:${e.dstport}`).toBeDefined();
      expect(c!.sni ?? '').toBe(e.domain ?? '');
      expect({ ja4: c!.ja4?.fingerprint, r: c!.ja4?.raw, o: c!.ja4?.original, ro: c!.ja4?.rawOriginal }).toEqual({ ja4: e['JA4.1'], r: e['JA4_r.1'], o: e['JA4_o.1'], ro: e['JA4_ro.1'] });
    }
  });
});

// FoxIO's expected outputs cover TCP only. A QUIC fingerprint worked by hand from tshark's fields
// of Chromium's Initial, following JA4.md step by step with its own hashing, must equal ours and
// the value FoxIO's Rust implementation publishes for this capture.
describe.skipIf(!available || !tsharkAvailable())('JA4 of a QUIC ClientHello, by hand', () => {
  it('quic-tls-handshake.pcapng', async () => {
    const file = join(GROUND_TRUTH, 'quic-tls-handshake.pcapng');
    const [f] = tsharkFields(file, ['tls.handshake.ciphersuite', 'tls.handshake.extension.type', 'tls.handshake.sig_hash_alg', 'tls.handshake.extensions_alpn_str', 'tls.handshake.extensions.supported_version', 'tls.handshake.extensions_server_name'], 'quic && tls.handshake.type == 1');
    const grease = (v: number) => (v & 0x0f0f) === 0x0a0a;
    const hex4 = (v: number) => v.toString(16).padStart(4, '0');
    const ciphers = f['tls.handshake.ciphersuite'].split(',').map((x) => parseInt(x, 16)).filter((v) => !grease(v));
    const exts = f['tls.handshake.extension.type'].split(',').map(Number).filter((v) => !grease(v));
    const sigs = f['tls.handshake.sig_hash_alg'].split(',').map((x) => hex4(parseInt(x, 16)));
    const alpn = f['tls.handshake.extensions_alpn_str'].split(',')[0];
    const version = Math.max(...f['tls.handshake.extensions.supported_version'].split(',').map((x) => parseInt(x, 16)).filter((v) => !grease(v)));
    // a: q for QUIC, the version, d (an SNI is present), counts, the ALPN's first and last characters.
    const a = `q${version === 0x0304 ? '13' : '??'}${f['tls.handshake.extensions_server_name'] ? 'd' : 'i'}${String(ciphers.length).padStart(2, '0')}${String(exts.length).padStart(2, '0')}${alpn[0]}${alpn.at(-1)}`;
    const sha12 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);
    // b: the sorted ciphers; c: the sorted extensions without SNI and ALPN, then the signature algorithms in order.
    const b = sha12(ciphers.map(hex4).sort().join(','));
    const c = sha12(`${exts.filter((e) => e !== 0 && e !== 16).map(hex4).sort().join(',')}_${sigs.join(',')}`);
    const byHand = `${a}_${b}_${c}`;
    expect(byHand).toBe('q13d0310h3_55b375c5d22e_cd85d2d88918');
    const ours = (await analyzeCapture(file)).connections.filter((x) => x.transport === 'quic');
    expect(ours.map((x) => x.ja4?.fingerprint)).toEqual([byHand]);
  });
});
