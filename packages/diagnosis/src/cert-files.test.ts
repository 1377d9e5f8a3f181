import type { CertificatePath, PathEnd } from '@tlsdoctor/analysis';
import { describe, expect, it } from 'vitest';
import { diagnoseCertFamily, pathEndLine, pathVerdict, type CertFamilyFacts } from './cert-files.js';
import { cert, intermediate, NOW_MS } from './facts.fixtures.js';

const root = cert({ subject: 'CN=Example Root', issuer: 'CN=Example Root', sans: [], isCA: true, selfIssued: true, selfSigned: true });
const path = (order: number[], end: PathEnd): CertificatePath => ({ order, end, unused: [], duplicates: [] });
const anchored: PathEnd = { kind: 'anchored', anchor: root, store: 's', anchorInChain: false };

function facts(over: Partial<CertFamilyFacts> = {}): CertFamilyFacts {
  return {
    chain: [cert(), intermediate()],
    path: path([0, 1], anchored),
    client: 'mozilla',
    storeName: 'the mozilla store',
    purpose: 'server',
    at: NOW_MS,
    atLabel: 'now',
    publiclyTrusted: false,
    seen: ['2 certificate(s) given'],
    ...over,
  };
}

describe('pathVerdict: the path end as the certificate judge reads a store\'s verdict', () => {
  it.each([
    ['anchored', facts(), { anchored: true, intermediateMissing: false }],
    ['the leaf with no issuer', facts({ chain: [cert()], path: path([0], { kind: 'issuer-missing', issuer: 'CN=Example CA' }) }), { anchored: false, intermediateMissing: true, error: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }],
    ['an intermediate with no root', facts({ path: path([0, 1], { kind: 'issuer-missing', issuer: 'CN=Example Root' }) }), { anchored: false, intermediateMissing: false, error: 'UNABLE_TO_GET_ISSUER_CERT' }],
    ['a self-signed leaf', facts({ chain: [root], path: path([0], { kind: 'issuer-missing', issuer: 'CN=Example Root', selfSigned: true }) }), { anchored: false, intermediateMissing: false, error: 'DEPTH_ZERO_SELF_SIGNED_CERT' }],
    ['a root the store lacks', facts({ chain: [cert(), intermediate(), root], path: path([0, 1, 2], { kind: 'issuer-missing', issuer: 'CN=Example Root', selfSigned: true }) }), { anchored: false, intermediateMissing: false, error: 'SELF_SIGNED_CERT_IN_CHAIN' }],
    ['an intermediate given first, alone', facts({ chain: [intermediate()], path: path([0], { kind: 'issuer-missing', issuer: 'CN=Example Root' }) }), { anchored: false, intermediateMissing: false, error: 'UNABLE_TO_GET_ISSUER_CERT' }],
    ['a loop', facts({ path: path([0, 1], { kind: 'loop' }) }), { anchored: false, intermediateMissing: false, error: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }],
    ['too long', facts({ path: path([0, 1], { kind: 'too-long', limit: 10 }) }), { anchored: false, intermediateMissing: false, error: 'CERT_CHAIN_TOO_LONG' }],
  ])('%s', (_name, f, want) => {
    const v = pathVerdict(f);
    expect(v).toMatchObject({ kind: 'store', storeName: 'the mozilla store', ...want });
    // A verified path has no error at all.
    if (!('error' in want)) expect(v).not.toHaveProperty('error');
  });
});

describe('diagnoseCertFamily', () => {
  it.each([
    ['a whole chain to a root, in date', facts(), []],
    ['the leaf alone', facts({ chain: [cert()], path: path([0], { kind: 'issuer-missing', issuer: 'CN=Example CA' }) }), ['CERT_CHAIN_INCOMPLETE']],
    ['a root the store lacks', facts({ path: path([0, 1], { kind: 'issuer-missing', issuer: 'CN=Example Root' }) }), ['CERT_UNTRUSTED']],
    ['a self-signed leaf', facts({ chain: [cert({ selfIssued: true, selfSigned: true, issuer: 'CN=example.test' })], path: path([0], { kind: 'issuer-missing', issuer: 'CN=example.test', selfSigned: true }) }), ['CERT_SELF_SIGNED']],
    ['judged after the leaf ends', facts({ at: NOW_MS + 2 * 365 * 86_400_000 }), ['CERT_EXPIRED']],
    ['a name the leaf lacks', facts({ name: 'other.test' }), ['CERT_HOSTNAME_MISMATCH']],
    ['a name the leaf has', facts({ name: 'www.example.test' }), []],
    ['a leaf that ends within --warn-days', facts({ warnDays: 400 }), ['CERT_EXPIRING_SOON']],
    ['a leaf that ends after --warn-days', facts({ warnDays: 300 }), []],
    // The judge reads the path: an extra certificate given beside it changes nothing.
    ['a path of the leaf alone, an extra given', facts({ chain: [cert(), cert({ subject: 'CN=stray', issuer: 'CN=stray', selfIssued: true, selfSigned: true })], path: path([0], anchored) }), []],
  ])('%s', (_name, f, codes) => {
    expect(diagnoseCertFamily(f).map((d) => d.code)).toEqual(codes);
  });

  it('names the store and the path end in the evidence', () => {
    const [d] = diagnoseCertFamily(facts({ path: path([0, 1], { kind: 'issuer-missing', issuer: 'CN=Example Root' }) }));
    expect(d.evidence).toContain('2 certificate(s) given');
    expect(d.evidence.join('\n')).toMatch(/verification against the mozilla store: UNABLE_TO_GET_ISSUER_CERT/);
    expect(d.evidence.join('\n')).toMatch(/no certificate given and no root of the store is "CN=Example Root"/);
    const [name] = diagnoseCertFamily(facts({ name: 'other.test' }));
    expect(name.evidence.at(-1)).toBe('--name other.test is not among the SANs');
  });

  it('says which certificates would give a failing family the path another family found', () => {
    const [d] = diagnoseCertFamily(facts({ path: path([0, 1], { kind: 'issuer-missing', issuer: 'CN=Example Root' }), otherPath: { family: 'chrome', certificates: ['a.pem:1', 'a.pem:3'], root: 'CN=R' } }));
    expect(d.evidence.at(-1)).toBe('chrome reaches the root "CN=R" through a.pem:1 ← a.pem:3: this client\'s store does not hold that root, so that chain serves it only where it trusts "CN=R"');
    expect(diagnoseCertFamily(facts({ otherPath: { family: 'chrome', certificates: ['x'], root: 'CN=R' } }))).toEqual([]);
    // A name mismatch listed before the trust finding is not where the other root goes.
    const both = diagnoseCertFamily(facts({ name: 'other.test', chain: [cert()], path: path([0], { kind: 'issuer-missing', issuer: 'CN=Example CA' }), otherPath: { family: 'chrome', certificates: ['x'], root: 'CN=R' } }));
    expect(both.map((d) => [d.code, d.evidence.some((e) => e.startsWith('chrome reaches'))])).toEqual([['CERT_HOSTNAME_MISMATCH', false], ['CERT_CHAIN_INCOMPLETE', true]]);
    const self = cert({ selfIssued: true, selfSigned: true, issuer: 'CN=example.test' });
    const [selfSigned] = diagnoseCertFamily(facts({ chain: [self], path: path([0], { kind: 'issuer-missing', issuer: 'CN=example.test', selfSigned: true }), otherPath: { family: 'chrome', certificates: ['x'], root: 'CN=R' } }));
    expect([selfSigned.code, selfSigned.evidence.at(-1)]).toEqual(['CERT_SELF_SIGNED', expect.stringMatching(/^chrome reaches/)]);
  });
});

describe('pathEndLine', () => {
  it.each([
    [anchored, 'the path ends at the store\'s root "CN=Example Root"'],
    [{ ...anchored, anchorInChain: true }, 'the path ends at the anchor given in the chain "CN=Example Root"'],
    [{ kind: 'issuer-missing', issuer: 'CN=X', selfSigned: true }, 'the path ends at the root "CN=X", which the store does not hold'],
    [{ kind: 'loop' }, 'the path goes round: every issuer found is already on it (cross-signs that sign each other)'],
    [{ kind: 'too-long', limit: 10 }, 'the path reached 10 certificates, where verifiers stop'],
    [{ kind: 'too-long', limit: 2000, work: true }, 'the path builder gave up after 2000 steps (a mesh of cross-signs)'],
  ] as [PathEnd, string][])('%j', (end, line) => {
    expect(pathEndLine(path([0], end))).toBe(line);
  });
});
