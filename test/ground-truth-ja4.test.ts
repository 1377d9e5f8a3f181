// FoxIO's published expected outputs: every TLS-over-TCP connection they list must get a record
// whose SNI and JA4 (all four forms) equal theirs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '@tlsdoctor/analysis';
import { GROUND_TRUTH, groundTruthAvailable } from './helpers/fixtures.js';

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
