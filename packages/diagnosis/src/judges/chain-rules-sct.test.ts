// Which issue time each root program compares with its distrust date: Chrome the earliest SCT
// the leaf embeds (the notBefore standing in where there is none), Mozilla the notBefore.
import { describe, expect, it } from 'vitest';
import type { CertificateInfo, CertificatePath } from '@tlsdoctor/analysis';
import type { EmbeddedSctList, SignedCertificateTimestamp } from '@tlsdoctor/tls-parser-ts';
import { cert } from '../facts.fixtures.js';
import { judgeChainRules, type ChainRuleFacts } from './chain-rules.js';
import { ROOT_DISTRUST } from './root-programs.js';

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();
const profile = { signatureAlgorithm: 'sha256WithRSAEncryption', signatureHash: 'SHA-256' };

const chromeEntrust = ROOT_DISTRUST.find((d) => d.family === 'Chrome' && d.subject.endsWith('CN=Entrust Root Certification Authority'))!;
const mozillaEntrust = ROOT_DISTRUST.find((d) => d.family === 'Mozilla' && d.subject === chromeEntrust.subject)!;
const fp = chromeEntrust.sha256.toUpperCase().match(/../g)!.join(':');
const CHROME_LAST = chromeEntrust.trustedUntil;
const MOZILLA_LAST = mozillaEntrust.trustedUntil;

const LOG_A = 'a1'.repeat(32);
const LOG_B = 'b2'.repeat(32);
const sct = (ms: number, logId = LOG_A): SignedCertificateTimestamp => ({ version: 0, logId, timestamp: ms, time: iso(ms), signatureAlgorithm: 'ecdsa_secp256r1_sha256' });

function leaf(notBefore: number, sctList?: EmbeddedSctList): CertificateInfo {
  return cert({
    subject: 'CN=example.test', issuer: 'CN=Int', sans: ['example.test'], fingerprint256: 'AA:01',
    notBefore: iso(notBefore), notAfter: iso(notBefore + 90 * DAY), keyType: 'rsa', keyBits: 2048,
    profile: { ...profile, extKeyUsage: ['serverAuth'], ...(sctList ? { sctList } : {}) },
  });
}
const ca = (subject: string, issuer: string, o: Partial<CertificateInfo> = {}) =>
  cert({ subject, issuer, sans: [], isCA: true, fingerprint256: `FP:${subject}`, keyType: 'rsa', keyBits: 2048, selfIssued: subject === issuer, selfSigned: subject === issuer, profile: { ...profile, basicConstraints: { ca: true, critical: true }, keyUsage: ['keyCertSign'] }, ...o });
const path: CertificatePath = { order: [0, 1], end: { kind: 'anchored', anchor: ca(chromeEntrust.subject, chromeEntrust.subject, { fingerprint256: fp }), store: 'test', anchorInChain: false }, unused: [], duplicates: [] };

function facts(l: CertificateInfo, client: string): ChainRuleFacts {
  return { chain: [l, ca('CN=Int', chromeEntrust.subject)], path, purpose: 'server', at: Date.UTC(2025, 1, 1), atLabel: 'now', publiclyTrusted: true, client, seen: ['seen'] };
}
const judged = (l: CertificateInfo, client: string) => judgeChainRules(facts(l, client)).filter((x) => x.code === 'CERT_DISTRUSTED');

const BEFORE = CHROME_LAST - 30 * DAY;
const AFTER = CHROME_LAST + DAY;

describe('Chrome: the earliest SCT is the issue time', () => {
  it.each<[string, CertificateInfo, boolean, RegExp]>([
    ['a back-dated notBefore, an SCT after the date', leaf(BEFORE, { scts: [sct(AFTER)] }), true, /the leaf's earliest embedded SCT is dated 2024-11-12T23:59:59.000Z \(log a1a1.*\), its notBefore 2024-10-12T23:59:59.000Z/],
    ['a notBefore after the date, its SCT before it', leaf(AFTER, { scts: [sct(BEFORE)] }), false, /^$/],
    ['an SCT at the last trusted second', leaf(AFTER, { scts: [sct(CHROME_LAST)] }), false, /^$/],
    ['an SCT a millisecond later', leaf(BEFORE, { scts: [sct(CHROME_LAST + 1)] }), true, /earliest embedded SCT is dated 2024-11-11T23:59:59.001Z/],
    ['the earliest of two counts, given second', leaf(AFTER, { scts: [sct(AFTER, LOG_B), sct(BEFORE)] }), false, /^$/],
    ['the earliest of two counts, given first', leaf(BEFORE, { scts: [sct(AFTER), sct(AFTER + DAY, LOG_B)] }), true, /dated 2024-11-12T23:59:59.000Z \(log a1a1/],
    ['no SCT: the notBefore stands in, after the date', leaf(AFTER), true, /the leaf embeds no SCT, so its notBefore 2024-11-12T23:59:59.000Z stands in for the earliest SCT \(Chrome compares the earliest SCT; source: https/],
    ['no SCT: the notBefore stands in, before the date', leaf(BEFORE), false, /^$/],
    ['an unreadable list: the notBefore stands in, and the evidence says why', leaf(AFTER, { malformed: 'at byte 812: expected SCT log id (needs 32 byte(s), 3 left)' }), true, /the leaf's SCT list cannot be read \(at byte 812: expected SCT log id \(needs 32 byte\(s\), 3 left\)\), so its notBefore 2024-11-12T23:59:59.000Z stands in/],
    ['an unreadable list and a notBefore before the date', leaf(BEFORE, { malformed: 'at byte 812: bad' }), false, /^$/],
    ['a leaf whose profile the codec could not read: the notBefore stands in', { ...leaf(AFTER), profile: undefined }, true, /the leaf's extensions cannot be read, so its notBefore 2024-11-12T23:59:59.000Z stands in/],
    ['only SCTs of a later version: the notBefore stands in', leaf(AFTER, { scts: [{ version: 1 }] }), true, /the leaf embeds no SCT of a version read here \(v1\), so its notBefore/],
    ['an SCT of a later version beside a v1 one after the date', leaf(BEFORE, { scts: [{ version: 1 }, sct(AFTER)] }), true, /earliest embedded SCT is dated 2024-11-12T23:59:59.000Z/],
  ])('%s', (_n, l, distrusted, says) => {
    const found = judged(l, 'Chrome');
    expect(found.map((x) => x.code)).toEqual(distrusted ? ['CERT_DISTRUSTED'] : []);
    if (distrusted) {
      expect(found[0].evidence).toHaveLength(2);
      expect(found[0].evidence[1]).toMatch(/^Chrome distrusts the root C=US, O=Entrust\\, Inc\., .* for certificates issued after 2024-11-11T23:59:59.000Z; /);
      expect(found[0].evidence[1]).toMatch(says);
    }
  });
});

describe('Mozilla: the notBefore, whatever the SCTs', () => {
  it.each<[string, CertificateInfo, boolean]>([
    ['an SCT before its date, a notBefore after', leaf(MOZILLA_LAST + DAY, { scts: [sct(BEFORE)] }), true],
    ['an SCT after its date, a notBefore before', leaf(MOZILLA_LAST - DAY, { scts: [sct(MOZILLA_LAST + DAY)] }), false],
    ['a notBefore at the last trusted second', leaf(MOZILLA_LAST, { scts: [sct(MOZILLA_LAST + DAY)] }), false],
  ])('%s', (_n, l, distrusted) => {
    const found = judged(l, 'Mozilla');
    expect(found.map((x) => x.code)).toEqual(distrusted ? ['CERT_DISTRUSTED'] : []);
    if (distrusted) expect(found[0].evidence[1]).toMatch(/; the leaf's notBefore is 2024-12-01T23:59:59.000Z \(Mozilla compares the notBefore; source: https:\/\/wiki.mozilla.org/);
  });
});

it('every family at once: each compares its own time', () => {
  const [f] = judged(leaf(MOZILLA_LAST + DAY, { scts: [sct(AFTER)] }), undefined as unknown as string);
  expect(f.evidence.slice(1)).toEqual([
    expect.stringMatching(/^Chrome distrusts .*; the leaf's earliest embedded SCT is dated 2024-11-12T23:59:59.000Z .*\(Chrome compares the earliest SCT; /),
    expect.stringMatching(/^Mozilla distrusts .*; the leaf's notBefore is 2024-12-01T23:59:59.000Z \(Mozilla compares the notBefore; /),
  ]);
});

it('the data says what each family compares', () => {
  expect(new Set(ROOT_DISTRUST.filter((d) => d.family === 'Chrome').map((d) => d.compares))).toEqual(new Set(['earliest SCT']));
  expect(new Set(ROOT_DISTRUST.filter((d) => d.family === 'Mozilla').map((d) => d.compares))).toEqual(new Set(['notBefore']));
});
