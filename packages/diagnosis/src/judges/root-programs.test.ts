// The distrust data names real roots: each entry's fingerprint and subject are checked against the
// certificate itself wherever a real store on this machine holds it (Node's bundled Mozilla list,
// Debian's ca-certificates), described by the same code that describes a path's end, so a typo in
// either field, or a subject written otherwise than Node writes it, fails here and not silently
// in the judge (which needs both to match).
import { existsSync, readFileSync } from 'node:fs';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { describeCertificate, pemBlocks } from '@tlsdoctor/analysis';
import { ROOT_DISTRUST } from './root-programs.js';

const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const hex = (fp: string) => fp.replace(/:/g, '').toLowerCase();

function realRoots(): Map<string, string> {
  const texts = [...tls.rootCertificates, ...(existsSync(SYSTEM_BUNDLE) ? [readFileSync(SYSTEM_BUNDLE, 'latin1')] : [])];
  const out = new Map<string, string>();
  for (const text of texts) {
    for (const b of pemBlocks(text)) {
      if (b.label !== 'CERTIFICATE') continue;
      const { info } = describeCertificate(b.der);
      if (!info.error) out.set(hex(info.fingerprint256), info.subject);
    }
  }
  return out;
}

describe('root programs: the distrust data against the real roots', () => {
  const roots = realRoots();
  const held = ROOT_DISTRUST.filter((d) => roots.has(d.sha256));

  it.each(held.map((d) => [d.family, d.subject, d] as const))('%s: %s has the subject the store\'s certificate has', (_f, _s, d) => {
    expect(roots.get(d.sha256)).toBe(d.subject);
  });

  it('every entry is a SHA-256 in lowercase hex, and its subject is no other root\'s', () => {
    for (const d of ROOT_DISTRUST) {
      expect(d.sha256, d.subject).toMatch(/^[0-9a-f]{64}$/);
      const sameName = [...roots].filter(([fp, s]) => s === d.subject && fp !== d.sha256);
      expect(sameName, `${d.subject}: another root of that name in the store`).toEqual([]);
    }
  });

  it('the real stores hold roots of each distrust the data keeps (so the matching above is exercised)', () => {
    if (!existsSync(SYSTEM_BUNDLE) && held.length === 0) {
      console.log(`skipped: neither Node's bundle nor ${SYSTEM_BUNDLE} holds any distrusted root`);
      return;
    }
    const kinds = new Set(ROOT_DISTRUST.map((d) => `${d.family} ${d.trustedUntil}`));
    const found = new Set(held.map((d) => `${d.family} ${d.trustedUntil}`));
    console.log(`distrust entries held by a real store: ${held.length} of ${ROOT_DISTRUST.length}; kinds ${found.size} of ${kinds.size}`);
    expect(held.length).toBeGreaterThan(0);
  });
});
