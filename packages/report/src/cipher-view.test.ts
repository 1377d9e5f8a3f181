import { describe, expect, it } from 'vitest';
import type { ProbeItem, ProbeReport } from './model.js';
import type { CipherFacts, ProbeFacts } from './row-facts.js';
import { renderMarkdown } from './markdown.js';
import { renderTerminal } from './terminal.js';

const ciphers: CipherFacts = {
  versions: {
    'TLS 1.3': { order: 'client', offered: 5, accepted: [{ suite: 'TLS_AES_128_GCM_SHA256', code: '0x1301', keyExchange: 'x25519' }, { suite: 'TLS_AES_256_GCM_SHA384', code: '0x1302', keyExchange: 'x25519' }] },
    'TLS 1.2': { order: null, offered: 282, accepted: [] },
  },
  untested: { count: 132, kinds: ['PSK', 'SRP'] },
};

function item(id: number, ok: boolean): ProbeItem {
  return {
    id, source: `t${id}.example`, server: { ip: `192.0.2.${id}`, port: 443 }, sni: null, version: 'TLS 1.3', versionCode: '0x0304', cipher: null, alpn: null, ja3: null, ja3s: null, ja4: null,
    outcome: ok ? 'ok' : 'error',
    diagnoses: [{ code: ok ? 'HANDSHAKE_OK' : 'TCP_REFUSED', severity: ok ? 'ok' : 'error', title: 't', evidence: [], remedy: 'r' }],
    // Only what the views read of a probe's facts: the --ciphers list.
    facts: { ciphers: ok ? ciphers : null } as ProbeFacts,
  };
}

function report(items: ProbeItem[]): ProbeReport {
  const error = items.filter((i) => i.outcome === 'error').length;
  return { schemaVersion: 2, tool: { name: 'tlsdoctor', version: '0' }, command: 'probe', generatedAt: '', input: { targets: [] }, summary: { total: items.length, bySeverity: { error, warning: 0, info: 0, ok: items.length - error }, byCode: {}, worst: error ? 'error' : 'ok' }, targets: items };
}

describe('--ciphers in table and Markdown reports', () => {
  it('a healthy address shows its suites per version, with order and key exchange', () => {
    const out = renderTerminal(report([item(1, true)]), { color: false, verbose: false });
    expect(out).toContain('TLS 1.3: 2 of 5 registry suites accepted, the server follows the client\'s order');
    expect(out).toContain(' 1. TLS_AES_128_GCM_SHA256 (x25519)');
    expect(out).toContain('TLS 1.2: 0 of 282 registry suites accepted');
    expect(out).toContain('(132 registry suites not offered: PSK, SRP suites need credentials a probe does not have)');
    const md = renderMarkdown(report([item(1, true)]));
    expect(md).toContain('| 2 | TLS_AES_256_GCM_SHA384 | 0x1302 | x25519 |');
  });

  it('a healthy address shown for its suites does not hide a failing one from the count of sections left out', () => {
    // A row limit of 2 lists the healthy address and one failing one, and only their details.
    const items = [item(0, true), ...Array.from({ length: 21 }, (_, i) => item(i + 1, false))];
    const out = renderTerminal(report(items), { color: false, verbose: false, limit: 2 });
    expect(out.match(/^t\d+\.example 192\.0\.2\.\d+:443$/gm)).toHaveLength(2);
    expect(out).toMatch(/details of 20 more address\(s\) left out/);
    expect(renderMarkdown(report(items), 2)).toMatch(/Sections for 20 more failing addresses left out/);
  });
});
