import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPath, PATH_DEPTH_LIMIT, type GivenCertificate } from './chain-path.js';
import { describeCertificate } from './certificate.js';
import { checkChain, PublicRoots } from './chain-check.js';
import { TrustAnchors } from './trust-anchors.js';
import { TestPki } from './test-pki.fixtures.js';

let pki: TestPki;
const given = (...names: string[]): GivenCertificate[] => names.map((n) => describeCertificate(new X509Certificate(pki.pem(n)).raw));
const store = (...names: string[]) => new TrustAnchors('test', names.map((n) => new X509Certificate(pki.pem(n))));
const DAY = 86_400_000;

beforeAll(() => {
  pki = new TestPki();
  pki.issue('root', { ca: true, days: 3650 });
  pki.issue('inter', { issuer: 'root', ca: true, days: 3650 });
  pki.issue('leaf', { issuer: 'inter', sans: ['example.test'] });
  pki.issue('stray', { ca: true });
  // A second intermediate of the same name: one short-lived, one with another key (not the issuer).
  pki.issue('inter-short', { cn: 'inter', keyOf: 'inter', issuer: 'root', ca: true, days: 2 });
  pki.issue('inter-wrongkey', { cn: 'inter', issuer: 'root', ca: true, days: 3650 });
  // Cross-signs: X and Y sign each other; the leaf hangs under X; neither is in the store.
  pki.issue('X', { ca: true });
  pki.issue('Y', { ca: true });
  pki.issue('X-by-Y', { cn: 'X', keyOf: 'X', issuer: 'Y', ca: true });
  pki.issue('Y-by-X', { cn: 'Y', keyOf: 'Y', issuer: 'X', ca: true });
  pki.issue('xleaf', { issuer: 'X' });
  // Old root cross-signs the new one: a path to either reaches an anchor.
  pki.issue('newroot', { ca: true, days: 3650 });
  pki.issue('newroot-by-root', { cn: 'newroot', keyOf: 'newroot', issuer: 'root', ca: true, days: 3650 });
  pki.issue('nleaf', { issuer: 'newroot' });
}, 60_000);

afterAll(() => pki.dispose());

describe('buildPath', () => {
  const cases: { name: string; chain: string[]; anchors: string[]; order: number[]; end: string; unused?: number[]; duplicates?: number[] }[] = [
    { name: 'in order', chain: ['leaf', 'inter'], anchors: ['root'], order: [0, 1], end: 'anchored' },
    { name: 'out of order with an extra', chain: ['leaf', 'stray', 'inter'], anchors: ['root'], order: [0, 2], end: 'anchored', unused: [1] },
    { name: 'a duplicate', chain: ['leaf', 'inter', 'inter'], anchors: ['root'], order: [0, 1], end: 'anchored', duplicates: [2] },
    { name: 'the root sent too', chain: ['leaf', 'inter', 'root'], anchors: ['root'], order: [0, 1, 2], end: 'anchored' },
    { name: 'the intermediate missing', chain: ['leaf'], anchors: ['root'], order: [0], end: 'issuer-missing' },
    { name: 'no anchor', chain: ['leaf', 'inter', 'root'], anchors: [], order: [0, 1, 2], end: 'issuer-missing' },
    { name: 'the wrong key first', chain: ['leaf', 'inter-wrongkey', 'inter'], anchors: ['root'], order: [0, 2], end: 'anchored', unused: [1] },
    { name: 'only the wrong key', chain: ['leaf', 'inter-wrongkey'], anchors: ['root'], order: [0], end: 'issuer-missing', unused: [1] },
    { name: 'cross-signs that sign each other', chain: ['xleaf', 'X-by-Y', 'Y-by-X'], anchors: ['root'], order: [0, 1, 2], end: 'loop' },
    { name: 'a cross-sign to the old root', chain: ['nleaf', 'newroot-by-root'], anchors: ['root'], order: [0, 1], end: 'anchored' },
    { name: 'the new root in the store: shorter', chain: ['nleaf', 'newroot-by-root'], anchors: ['root', 'newroot'], order: [0], end: 'anchored', unused: [1] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = buildPath(given(...c.chain), store(...c.anchors));
      expect(p.order).toEqual(c.order);
      expect(p.end.kind).toBe(c.end);
      expect(p.unused).toEqual(c.unused ?? []);
      expect(p.duplicates).toEqual(c.duplicates ?? []);
    });
  }

  it('names the issuer it misses, and the anchor it reached', () => {
    const missing = buildPath(given('leaf'), store('root'));
    expect(missing.end).toEqual({ kind: 'issuer-missing', issuer: 'CN=inter' });
    const found = buildPath(given('leaf', 'inter'), store('root'));
    expect(found.end).toMatchObject({ kind: 'anchored', store: 'test', anchorInChain: false, anchor: { subject: 'CN=root' } });
    expect(buildPath(given('leaf', 'inter', 'root'), store('root')).end).toMatchObject({ anchorInChain: true });
    expect(buildPath(given('leaf', 'inter', 'root'), store()).end).toEqual({ kind: 'issuer-missing', issuer: 'CN=root', selfSigned: true });
  });

  it('prefers an issuer valid at the time judged over a shorter-lived twin', () => {
    const later = Date.now() + 10 * DAY;
    expect(buildPath(given('leaf', 'inter-short', 'inter'), store('root'), later).order).toEqual([0, 2]);
    // Today both are valid: the first found, of equal length, is kept.
    expect(buildPath(given('leaf', 'inter-short', 'inter'), store('root')).order).toEqual([0, 1]);
  });

  it('stops a chain of 50 at the depth limit, fast', () => {
    const long = new TestPki();
    try {
      long.issue('c0', { ca: true, days: 30 });
      for (let i = 1; i < 50; i++) long.issue(`c${i}`, { issuer: `c${i - 1}`, ca: true, days: 30 });
      const chain = Array.from({ length: 50 }, (_, i) => describeCertificate(new X509Certificate(long.pem(`c${49 - i}`)).raw));
      const t0 = performance.now();
      const p = buildPath(chain, new TrustAnchors('test', [new X509Certificate(long.pem('c0'))]));
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(p.end).toEqual({ kind: 'too-long', limit: PATH_DEPTH_LIMIT });
      expect(p.order).toHaveLength(PATH_DEPTH_LIMIT);
    } finally {
      long.dispose();
    }
  }, 120_000);

  it('gives up on a mesh of cross-signs fast, with paths in the tens of thousands', () => {
    const mesh = new TestPki();
    try {
      const names = Array.from({ length: 8 }, (_, i) => `M${i}`);
      for (const n of names) mesh.issue(n, { ca: true, days: 30 });
      const certs: string[] = [];
      for (const n of names) for (const by of names) if (n !== by) certs.push(mesh.issue(`${n}-by-${by}`, { cn: n, keyOf: n, issuer: by, ca: true, days: 30 }) && `${n}-by-${by}`);
      mesh.issue('mleaf', { issuer: 'M0', days: 30 });
      const chain = ['mleaf', ...certs].map((n) => describeCertificate(new X509Certificate(mesh.pem(n)).raw));
      const t0 = performance.now();
      const p = buildPath(chain, new TrustAnchors('test', []));
      expect(performance.now() - t0).toBeLessThan(3000);
      expect(p.end).toMatchObject({ kind: 'too-long', work: true });
    } finally {
      mesh.dispose();
    }
  }, 120_000);

  it('builds nothing from an empty list', () => {
    expect(buildPath([], store('root'))).toEqual({ order: [], end: { kind: 'issuer-missing', issuer: '' }, unused: [], duplicates: [] });
  });
});

describe('checkChain: the links of a chain as sent', () => {
  const sent = (...names: string[]) => checkChain(names.map((n) => describeCertificate(new X509Certificate(pki.pem(n)).raw)), new PublicRoots());
  it.each<[string, string[], number | undefined, number[] | undefined]>([
    ['in order: no break, nothing rebuilt', ['leaf', 'inter'], undefined, undefined],
    ['swapped: relinked past the leaf', ['leaf', 'root', 'inter'], 0, [0, 2, 1]],
    ['a duplicate', ['leaf', 'inter', 'inter'], 1, [0, 1]],
    ['an extra sent last', ['leaf', 'inter', 'stray'], 1, [0, 1]],
    ['the same name under another key is no issuer', ['leaf', 'inter-wrongkey'], 0, [0]],
    ['the leaf\'s issuer not sent: the leaf alone', ['leaf', 'root'], 0, [0]],
  ])('%s', (_n, names, brokenAt, linkedOrder) => {
    const c = sent(...names);
    expect(c.brokenAt).toBe(brokenAt);
    expect(c.linkedOrder).toEqual(linkedOrder);
  });
});
