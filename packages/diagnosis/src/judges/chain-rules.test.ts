import { describe, expect, it } from 'vitest';
import type { CertificateInfo, CertificatePath } from '@tlsdoctor/analysis';
import type { CertificateProfile } from '@tlsdoctor/tls-parser-ts';
import { cert } from '../facts.fixtures.js';
import { judgeChainRules, servedPath, type ChainRuleFacts } from './chain-rules.js';
import { dnsWithin, ipWithin } from './name-constraints.js';
import { ROOT_DISTRUST } from './root-programs.js';

const DAY = 86_400_000;
const SEC = 1000;
const ISSUED = Date.UTC(2025, 0, 10);
const iso = (t: number) => new Date(t).toISOString();
const sha256 = { signatureAlgorithm: 'sha256WithRSAEncryption', signatureHash: 'SHA-256' };
const sha1 = { signatureAlgorithm: 'sha1WithRSAEncryption', signatureHash: 'SHA-1' };

/** A leaf issued by "Int", valid 90 days from ISSUED, a 2048-bit RSA key, serverAuth+clientAuth. */
function leaf(o: Partial<CertificateInfo> = {}, p: Partial<CertificateProfile> = {}): CertificateInfo {
  return cert({
    subject: 'CN=example.test', issuer: 'CN=Int', sans: ['example.test'], fingerprint256: 'AA:01',
    notBefore: iso(ISSUED), notAfter: iso(ISSUED + 90 * DAY - SEC), keyType: 'rsa', keyBits: 2048,
    profile: { ...sha256, basicConstraints: { ca: false, critical: true }, keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['serverAuth', 'clientAuth'], ...p },
    ...o,
  });
}
function ca(subject: string, issuer: string, p: Partial<CertificateProfile> = {}, o: Partial<CertificateInfo> = {}): CertificateInfo {
  return cert({
    subject, issuer, sans: [], isCA: true, fingerprint256: `FP:${subject}`, keyType: 'rsa', keyBits: 2048,
    selfIssued: subject === issuer, selfSigned: subject === issuer,
    profile: { ...sha256, basicConstraints: { ca: true, critical: true }, keyUsage: ['keyCertSign', 'cRLSign'], ...p },
    ...o,
  });
}
const int = (p: Partial<CertificateProfile> = {}, o: Partial<CertificateInfo> = {}) => ca('CN=Int', 'CN=Root', p, o);
const root = (p: Partial<CertificateProfile> = {}, o: Partial<CertificateInfo> = {}) => ca('CN=Root', 'CN=Root', p, o);

function facts(o: Partial<ChainRuleFacts> = {}): ChainRuleFacts {
  return { chain: [leaf(), int()], purpose: 'server', at: ISSUED + DAY, atLabel: 'now', publiclyTrusted: true, seen: ['seen'], ...o };
}
const anchoredAt = (anchor: CertificateInfo, order: number[], extra: Partial<CertificatePath> = {}): CertificatePath => ({
  order, end: { kind: 'anchored', anchor, store: 'test', anchorInChain: false }, unused: [], duplicates: [], ...extra,
});
const codes = (f: ChainRuleFacts) => judgeChainRules(f).map((x) => x.code);
const lifetime = (days: number, extraSec = 0, from = ISSUED) => leaf({ notBefore: iso(from), notAfter: iso(from + days * DAY - SEC + extraSec * SEC) });

describe('chain rules: each rule, and its near miss', () => {
  it.each<[string, Partial<ChainRuleFacts>, string[]]>([
    ['a sound chain', {}, []],
    ['no chain', { chain: [] }, []],
    ['an unreadable leaf', { chain: [leaf({ error: 'bad DER' })] }, []],
    // Key
    ['the key given is not the leaf\'s', { key: { matches: false, what: 'key.pem' } }, ['CERT_KEY_MISMATCH']],
    ['the key given is the leaf\'s', { key: { matches: true, what: 'key.pem' } }, []],
    ['the leaf given second, named by its key: the order, and the pairing nginx makes', { chain: [int(), leaf()], path: anchoredAt(root(), [1, 0]), key: { matches: false, what: 'key.pem' } }, ['CERT_KEY_MISMATCH', 'CERT_CHAIN_ORDER']],
    // Order
    ['served out of order', { chain: [leaf(), root(), int()] }, ['CERT_CHAIN_ORDER']],
    ['a duplicate', { chain: [leaf(), int(), int()] }, ['CERT_CHAIN_ORDER']],
    ['a certificate on no path', { chain: [leaf(), int(), ca('CN=Other', 'CN=Other')] }, ['CERT_CHAIN_ORDER']],
    ['leaf, intermediate, root in turn', { chain: [leaf(), int(), root()] }, []],
    ['a verifier\'s path out of the order given', { chain: [leaf(), root(), int()], path: anchoredAt(root(), [0, 2, 1]) }, ['CERT_CHAIN_ORDER']],
    ['a verifier\'s path with an extra', { path: anchoredAt(root(), [0, 1], { unused: [2] }), chain: [leaf(), int(), ca('CN=X', 'CN=X')] }, ['CERT_CHAIN_ORDER']],
    // Purpose
    ['a leaf for clients only', { chain: [leaf({}, { extKeyUsage: ['clientAuth'] }), int()] }, ['CERT_WRONG_PURPOSE']],
    ['a leaf for servers only, as a client certificate', { chain: [leaf({}, { extKeyUsage: ['serverAuth'] }), int()], purpose: 'client' }, ['CERT_WRONG_PURPOSE']],
    ['both purposes, as a client certificate', { purpose: 'client' }, []],
    ['a leaf with no extendedKeyUsage', { chain: [leaf({}, { extKeyUsage: undefined }), int()] }, []],
    ['anyExtendedKeyUsage', { chain: [leaf({}, { extKeyUsage: ['clientAuth', 'anyExtendedKeyUsage'] }), int()] }, []],
    ['keyEncipherment only', { chain: [leaf({}, { keyUsage: ['keyEncipherment'] }), int()] }, ['CERT_WRONG_PURPOSE']],
    ['digitalSignature only', { chain: [leaf({}, { keyUsage: ['digitalSignature'] }), int()] }, []],
    ['no keyUsage', { chain: [leaf({}, { keyUsage: undefined }), int()] }, []],
    ['an intermediate for clients only', { chain: [leaf(), int({ extKeyUsage: ['clientAuth'] })] }, ['CERT_WRONG_PURPOSE']],
    ['an intermediate for servers', { chain: [leaf(), int({ extKeyUsage: ['serverAuth', 'clientAuth'] })] }, []],
    ['an anchor for clients only', { chain: [leaf(), int()], path: anchoredAt(root({ extKeyUsage: ['emailProtection'] }), [0, 1]) }, ['CERT_WRONG_PURPOSE']],
    // Key size
    ['a 1024-bit RSA leaf', { chain: [leaf({ keyBits: 1024 }), int()] }, ['CERT_WEAK_KEY']],
    ['a 2047-bit RSA-PSS leaf', { chain: [leaf({ keyType: 'rsa-pss', keyBits: 2047 }), int()] }, ['CERT_WEAK_KEY']],
    ['a 2048-bit RSA leaf', { chain: [leaf({ keyBits: 2048 }), int()] }, []],
    ['a 192-bit EC leaf', { chain: [leaf({ keyType: 'ec', keyBits: 192 }), int()] }, ['CERT_WEAK_KEY']],
    ['a P-224 leaf', { chain: [leaf({ keyType: 'ec', keyBits: 224 }), int()] }, []],
    ['a 1024-bit intermediate', { chain: [leaf(), int({}, { keyBits: 1024 })] }, ['CERT_WEAK_KEY']],
    ['a self-signed 1024-bit leaf alone', { chain: [leaf({ keyBits: 1024, selfSigned: true, selfIssued: true, issuer: 'CN=example.test' })], publiclyTrusted: false }, ['CERT_WEAK_KEY']],
    ['a 1024-bit root is the root program\'s affair', { chain: [leaf(), int(), root({}, { keyBits: 1024 })] }, []],
    ['an Ed25519 leaf (no size to judge)', { chain: [leaf({ keyType: 'ed25519', keyBits: undefined }), int()] }, []],
    // Signature
    ['a SHA-1 leaf', { chain: [leaf({}, sha1), int()] }, ['CERT_WEAK_SIGNATURE']],
    ['an MD5 intermediate', { chain: [leaf(), int({ signatureAlgorithm: 'md5WithRSAEncryption', signatureHash: 'MD5' })] }, ['CERT_WEAK_SIGNATURE']],
    ['an MD2 leaf', { chain: [leaf({}, { signatureAlgorithm: 'md2WithRSAEncryption', signatureHash: 'MD2' }), int()] }, ['CERT_WEAK_SIGNATURE']],
    ['a SHA-1 root', { chain: [leaf(), int(), root(sha1)] }, []],
    ['a SHA-1 anchor found in the store', { path: anchoredAt(root(sha1), [0, 1]) }, []],
    ['a SHA-1 intermediate that is the anchor itself', { chain: [leaf(), int(sha1)], path: anchoredAt(int(sha1), [0, 1]) }, []],
    ['a SHA-1 intermediate below an anchored one', { chain: [leaf({ issuer: 'CN=Int2' }), ca('CN=Int2', 'CN=Int', sha1), int()], path: anchoredAt(int(), [0, 1, 2]) }, ['CERT_WEAK_SIGNATURE']],
    ['an anchor given in the chain is judged once', { chain: [leaf(), int({ basicConstraints: { ca: true, pathLen: 0, critical: true } })], path: anchoredAt(int({ basicConstraints: { ca: true, pathLen: 0, critical: true } }), [0, 1]) }, []],
    // CA shape
    ['a CA as the leaf', { chain: [leaf({ isCA: true }, { basicConstraints: { ca: true, critical: true } }), int()] }, ['CERT_CA_AS_LEAF']],
    ['a self-signed CA as the leaf of a longer chain', { chain: [root({ keyUsage: ['digitalSignature', 'keyCertSign'] }, { notBefore: iso(ISSUED), notAfter: iso(ISSUED + 90 * DAY) }), int()], publiclyTrusted: false }, ['CERT_CA_AS_LEAF', 'CERT_CHAIN_ORDER']],
    ['a CA alone, not self-signed', { chain: [int({ keyUsage: ['digitalSignature', 'keyCertSign'] }, { notBefore: iso(ISSUED), notAfter: iso(ISSUED + 90 * DAY) })], publiclyTrusted: false }, ['CERT_CA_AS_LEAF']],
    ['a self-signed CA alone, allowed to sign', { chain: [root({ keyUsage: ['digitalSignature', 'keyCertSign'] }, { notBefore: iso(ISSUED), notAfter: iso(ISSUED + 90 * DAY) })], publiclyTrusted: false }, []],
    ['an issuer without basicConstraints', { chain: [leaf(), int({ basicConstraints: undefined })] }, ['CERT_CA_AS_LEAF']],
    ['an issuer with CA:FALSE', { chain: [leaf(), int({ basicConstraints: { ca: false, critical: true } })] }, ['CERT_CA_AS_LEAF']],
    ['an issuer without keyCertSign', { chain: [leaf(), int({ keyUsage: ['digitalSignature'] })] }, ['CERT_CA_AS_LEAF']],
    ['an issuer without a profile: Node\'s word', { chain: [leaf(), int({}, { profile: undefined, isCA: false })] }, ['CERT_CA_AS_LEAF']],
    ['an issuer without a profile that Node calls a CA', { chain: [leaf(), int({}, { profile: undefined, isCA: true })] }, []],
    // Name constraints
    ['a SAN outside the permitted subtree', { chain: [leaf({ sans: ['example.test', 'other.test'] }), int({ nameConstraints: nc({ permittedDns: ['example.test'] }) })] }, ['CERT_NAME_CONSTRAINTS']],
    ['a SAN just inside the permitted subtree', { chain: [leaf({ sans: ['a.example.test', 'example.test'] }), int({ nameConstraints: nc({ permittedDns: ['example.test'] }) })] }, []],
    ['a SAN in an excluded subtree', { chain: [leaf({ sans: ['a.bad.test'] }), int({ nameConstraints: nc({ excludedDns: ['bad.test'] }) })] }, ['CERT_NAME_CONSTRAINTS']],
    ['an IP SAN outside the permitted range', { chain: [leaf({ sans: ['192.0.3.1'] }), int({ nameConstraints: nc({ permittedIp: ['192.0.2.0/24'] }) })] }, ['CERT_NAME_CONSTRAINTS']],
    ['an IP SAN inside the permitted range', { chain: [leaf({ sans: ['192.0.2.255'] }), int({ nameConstraints: nc({ permittedIp: ['192.0.2.0/24'] }) })] }, []],
    ['a DNS SAN under IP-only constraints', { chain: [leaf(), int({ nameConstraints: nc({ permittedIp: ['192.0.2.0/24'] }) })] }, []],
    ['the anchor\'s constraints', { path: anchoredAt(root({ nameConstraints: nc({ permittedDns: ['.corp.test'] }) }), [0, 1]) }, ['CERT_NAME_CONSTRAINTS']],
    // Path length
    ['a pathLen 0 CA above an intermediate', { chain: [leaf({ issuer: 'CN=Int2' }), ca('CN=Int2', 'CN=Int'), int({ basicConstraints: { ca: true, pathLen: 0, critical: true } })] }, ['CERT_PATH_TOO_LONG']],
    ['a pathLen 1 CA above one intermediate (exactly met)', { chain: [leaf({ issuer: 'CN=Int2' }), ca('CN=Int2', 'CN=Int'), int({ basicConstraints: { ca: true, pathLen: 1, critical: true } })] }, []],
    ['a pathLen 0 CA issuing the leaf', { chain: [leaf(), int({ basicConstraints: { ca: true, pathLen: 0, critical: true } })] }, []],
    ['a self-issued intermediate does not count', {
      chain: [leaf({ issuer: 'CN=Int' }), ca('CN=Int', 'CN=Int', {}, { selfSigned: false, fingerprint256: 'FP:rollover' }), ca('CN=Int', 'CN=Root', { basicConstraints: { ca: true, pathLen: 0, critical: true } }, { selfIssued: false, selfSigned: false })],
      path: { order: [0, 1, 2], end: { kind: 'issuer-missing', issuer: 'CN=Root' }, unused: [], duplicates: [] },
    }, []],
    ['the anchor\'s pathLen', { chain: [leaf({ issuer: 'CN=Int2' }), ca('CN=Int2', 'CN=Int'), int()], path: anchoredAt(root({ basicConstraints: { ca: true, pathLen: 1, critical: true } }), [0, 1, 2]) }, ['CERT_PATH_TOO_LONG']],
  ])('%s', (_n, o, want) => {
    expect(codes(facts(o))).toEqual(want);
  });
});

function nc(o: Partial<NonNullable<CertificateProfile['nameConstraints']>>): NonNullable<CertificateProfile['nameConstraints']> {
  return { permittedDns: [], excludedDns: [], permittedIp: [], excludedIp: [], otherKinds: [], critical: true, ...o };
}

describe('lifetime caps for publicly trusted certificates', () => {
  const at = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);
  it.each<[string, CertificateInfo, boolean, string[]]>([
    ['397 days from 2020-09-01', lifetime(397, 0, at(2020, 9, 1)), true, []],
    ['398 days exactly (notAfter included)', lifetime(398, 0, at(2020, 9, 1)), true, []],
    ['398 days and a second', lifetime(398, 1, at(2020, 9, 1)), true, ['CERT_VALIDITY_TOO_LONG']],
    ['399 days, privately trusted', lifetime(399, 0, at(2020, 9, 1)), false, []],
    ['825 days on 2020-08-31', lifetime(825, 0, at(2020, 8, 31)), true, []],
    ['826 days on 2020-08-31', lifetime(826, 0, at(2020, 8, 31)), true, ['CERT_VALIDITY_TOO_LONG']],
    ['five years before 2018-03-01', lifetime(5 * 365, 0, at(2018, 2, 28)), true, []],
    ['398 days on 2026-03-14', lifetime(398, 0, at(2026, 3, 14)), true, []],
    ['201 days on 2026-03-15', lifetime(201, 0, at(2026, 3, 15)), true, ['CERT_VALIDITY_TOO_LONG']],
    ['200 days on 2026-03-15', lifetime(200, 0, at(2026, 3, 15)), true, []],
    ['101 days on 2027-03-15', lifetime(101, 0, at(2027, 3, 15)), true, ['CERT_VALIDITY_TOO_LONG']],
    ['100 days on 2027-03-15', lifetime(100, 0, at(2027, 3, 15)), true, []],
    ['48 days on 2029-03-15', lifetime(48, 0, at(2029, 3, 15)), true, ['CERT_VALIDITY_TOO_LONG']],
    ['47 days on 2029-03-15', lifetime(47, 0, at(2029, 3, 15)), true, []],
  ])('%s', (_n, l, publiclyTrusted, want) => {
    expect(codes(facts({ chain: [l, int()], publiclyTrusted }))).toEqual(want);
  });

  it('evidence: the lifetime and the cap with its source', () => {
    const [f] = judgeChainRules(facts({ chain: [lifetime(398, 1, Date.UTC(2020, 8, 1)), int()] }));
    expect(f.evidence).toEqual([
      'seen',
      'valid 2020-09-01T00:00:00.000Z to 2021-10-04T00:00:00.000Z: 399 days (notAfter included)',
      'issued on or after 2020-09-01, a publicly trusted certificate may live 398 days at most (Apple and Chrome root program policies (BR 6.3.2 since ballot SC-31))',
    ]);
  });
});

describe('root programs\' distrust by issue date', () => {
  const entrust = ROOT_DISTRUST.find((d) => d.family === 'Chrome' && d.subject.endsWith('CN=Entrust Root Certification Authority'))!;
  const fp = entrust.sha256.toUpperCase().match(/../g)!.join(':');
  const entrustRoot = () => ca(entrust.subject, entrust.subject, {}, { fingerprint256: fp });
  const issued = (t: number) => leaf({ notBefore: iso(t), notAfter: iso(t + 90 * DAY) });
  const chain = (t: number) => [issued(t), int({}, { issuer: entrust.subject })];
  const path = anchoredAt(entrustRoot(), [0, 1]);
  const nov12 = Date.UTC(2024, 10, 12);

  it.each<[string, Partial<ChainRuleFacts>, string[]]>([
    ['Chrome: issued on 2024-11-12', { chain: chain(nov12), path, client: 'chrome' }, ['CERT_DISTRUSTED']],
    ['Chrome: issued on 2024-11-11', { chain: chain(nov12 - DAY), path, client: 'Chrome' }, []],
    ['Mozilla: issued on 2024-11-12 (before its 2024-11-30)', { chain: chain(nov12), path, client: 'mozilla' }, []],
    ['Mozilla: issued on 2024-12-01', { chain: chain(Date.UTC(2024, 11, 1)), path, client: 'mozilla' }, ['CERT_DISTRUSTED']],
    ['a family without decisions', { chain: chain(Date.UTC(2025, 0, 1)), path, client: 'curl' }, []],
    ['the root not sent: by name, when the chain is public', { chain: chain(nov12) }, ['CERT_DISTRUSTED']],
    ['the root not sent and the chain not public', { chain: chain(nov12), publiclyTrusted: false }, []],
    ['the same subject with another key is another root', { chain: chain(nov12), path: anchoredAt(ca(entrust.subject, entrust.subject, {}, { fingerprint256: 'AB:CD' }), [0, 1]) }, []],
    ['the root sent in the chain', { chain: [...chain(nov12), entrustRoot()] }, ['CERT_DISTRUSTED']],
    ['the fingerprint with another subject is not the root', { chain: chain(nov12), path: anchoredAt(ca('CN=Other', 'CN=Other', {}, { fingerprint256: fp }), [0, 1]) }, []],
    ['an anchor that is not self-signed (a cross-signed root in the store)', { chain: chain(nov12), path: anchoredAt(ca(entrust.subject, entrust.subject, {}, { fingerprint256: fp, selfSigned: false }), [0, 1]), client: 'Chrome', publiclyTrusted: false }, ['CERT_DISTRUSTED']],
    ['issued at the last trusted second', { chain: chain(entrust.trustedUntil), path, client: 'Chrome' }, []],
  ])('%s', (_n, o, want) => {
    expect(codes(facts(o))).toEqual(want);
  });

  it('every family at once names each', () => {
    const [f] = judgeChainRules(facts({ chain: chain(Date.UTC(2025, 0, 1)), path }));
    expect(f.title).toBe('Chrome and Mozilla distrust the certificate\'s root for certificates issued after a date');
    expect(f.evidence).toHaveLength(3);
    expect(f.evidence[1]).toMatch(/^Chrome distrusts the root C=US, O=Entrust\\, Inc\., .* \(SHA-256 73c17643.*\) for certificates issued after 2024-11-11T23:59:59.000Z; the leaf embeds no SCT, so its notBefore 2025-01-01T00:00:00.000Z stands in for the earliest SCT \(Chrome compares the earliest SCT/);
    expect(f.evidence[2]).toMatch(/^Mozilla distrusts .* after 2024-11-30T23:59:59.000Z/);
  });

  it('one family names itself', () => {
    const [f] = judgeChainRules(facts({ chain: chain(nov12), client: 'Chrome' }));
    expect(f.title).toBe('Chrome distrusts the certificate\'s root for certificates issued after a date');
    expect(f.evidence[1]).toMatch(/, by name \(the root was not sent\) for certificates/);
  });

  it('the data names each root by fingerprint and subject, with its source and the day it was read', () => {
    for (const d of ROOT_DISTRUST) {
      expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(d.subject).toMatch(/(CN|OU)=/);
      expect(d.source).toMatch(/https:\/\//);
      expect(d.read).toMatch(/^\d{4}-\d\d-\d\d$/);
    }
  });
});

describe('evidence names each certificate and why', () => {
  it.each<[string, Partial<ChainRuleFacts>, string[]]>([
    ['key', { key: { matches: false, what: 'the key file key.pem' } }, ['seen', 'the key file key.pem does not hold the private key of the leaf (CN=example.test, SHA-256 AA:01): the server cannot prove it owns the certificate']],
    ['order', { chain: [leaf(), root(), int(), int()] }, [
      'seen',
      'the path from the leaf takes the certificates given in the order 1, 3, 2: each is not followed by its issuer',
      'certificate 4 (CN=Int) repeats certificate 3 (CN=Int)',
    ]],
    ['unused', { chain: [leaf(), int(), ca('CN=X', 'CN=X')] }, ['seen', 'certificate 3 (CN=X) lies on no path from the leaf']],
    ['purpose', { chain: [leaf({}, { extKeyUsage: ['clientAuth', 'codeSigning'], keyUsage: ['keyEncipherment', 'dataEncipherment'] }), int({ extKeyUsage: ['emailProtection', 'clientAuth'] })] }, [
      'seen',
      'the leaf\'s extendedKeyUsage is clientAuth, codeSigning: no serverAuth, so it is not a server certificate',
      'the leaf\'s keyUsage is keyEncipherment, dataEncipherment: without digitalSignature the key cannot sign the handshake (TLS 1.3, ECDHE); only TLS 1.2\'s RSA key exchange could use it, which today\'s browsers no longer offer',
      'the CA CN=Int limits what it issues to emailProtection, clientAuth: no serverAuth (verifiers carry a CA\'s extendedKeyUsage down the chain)',
    ]],
    ['client purpose, keyEncipherment only', { purpose: 'client', chain: [leaf({}, { keyUsage: ['keyEncipherment'] }), int()] }, [
      'seen',
      'the leaf\'s keyUsage is keyEncipherment: without digitalSignature the key cannot sign the handshake (TLS 1.3, ECDHE)',
    ]],
    ['an excluded empty subtree', { chain: [leaf(), int({ nameConstraints: nc({ excludedDns: [''] }) })] }, ['seen', 'the leaf\'s example.test is inside the excluded subtree (every name) of the CA CN=Int (RFC 5280 4.2.1.10)']],
    ['an empty subject', { chain: [leaf({ subject: '', keyBits: 1024 }), int()] }, ['seen', 'the leaf (empty subject) has an RSA key of 1024 bits (2048 at least)']],
    ['an empty subject on no path', { chain: [leaf(), int(), ca('', '', {}, { fingerprint256: 'FP:empty' })] }, ['seen', 'certificate 3 (empty subject) lies on no path from the leaf']],
    ['client purpose', { purpose: 'client', chain: [leaf({}, { extKeyUsage: ['serverAuth'], keyUsage: [] }), int()] }, [
      'seen',
      'the leaf\'s extendedKeyUsage is serverAuth: no clientAuth, so it is not a client certificate',
      'the leaf\'s keyUsage is (empty): without digitalSignature the key cannot sign the handshake (TLS 1.3, ECDHE)',
    ]],
    ['key size', { chain: [leaf({ keyBits: 1024 }), int({}, { keyType: 'ec', keyBits: 160 })] }, ['seen', 'the leaf CN=example.test has an RSA key of 1024 bits (2048 at least)', 'the intermediate CN=Int has an EC key of 160 bits (P-256 or P-224 at least)']],
    ['signature', { chain: [leaf({}, sha1), int(sha1)] }, ['seen', 'the leaf CN=example.test is signed with sha1WithRSAEncryption (SHA-1)', 'the intermediate CN=Int is signed with sha1WithRSAEncryption (SHA-1)']],
    ['CA shapes', { chain: [leaf({ isCA: true }, { basicConstraints: { ca: true, critical: true } }), int({ basicConstraints: { ca: false, critical: false } }), root({ basicConstraints: undefined })] }, [
      'seen',
      'the leaf CN=example.test is a CA certificate (basicConstraints CA:TRUE): clients want the server\'s own certificate first',
      'CN=Int issues CN=example.test but is not a CA (basicConstraints CA:FALSE)',
      'CN=Root issues CN=Int but is not a CA (no basicConstraints)',
    ]],
    ['keyCertSign', { chain: [leaf(), int({ keyUsage: ['digitalSignature', 'cRLSign'] })] }, ['seen', 'CN=Int issues CN=example.test but its keyUsage (digitalSignature, cRLSign) lacks keyCertSign']],
    ['name constraints', { chain: [leaf({ sans: ['a.example.test', 'x.bad.test', '192.0.3.1'] }), int({ nameConstraints: nc({ permittedDns: ['example.test', '.bad.test'], excludedDns: ['bad.test'], permittedIp: ['192.0.2.0/24', '198.51.100.0/24'] }) })] }, [
      'seen',
      'the leaf\'s x.bad.test is inside the excluded subtree bad.test of the CA CN=Int (RFC 5280 4.2.1.10)',
      'the leaf\'s 192.0.3.1 is outside the permitted subtrees 192.0.2.0/24, 198.51.100.0/24 of the CA CN=Int (RFC 5280 4.2.1.10)',
    ]],
    ['path length', { chain: [leaf({ issuer: 'CN=Int3' }), ca('CN=Int3', 'CN=Int2'), ca('CN=Int2', 'CN=Int'), int({ basicConstraints: { ca: true, pathLen: 1, critical: true } })] }, [
      'seen',
      'the CA CN=Int allows 1 intermediate below it (pathLenConstraint 1); the path has 2: CN=Int3 ← CN=Int2',
    ]],
  ])('%s', (_n, o, want) => {
    const found = judgeChainRules(facts(o));
    expect(found).toHaveLength(1);
    expect(found[0].evidence).toEqual(want);
  });

  it('a key that is a later certificate\'s: that one is the leaf, and the first takes its place in the server', () => {
    const found = judgeChainRules(facts({ chain: [int(), leaf()], path: anchoredAt(root(), [1, 0]), key: { matches: false, what: 'the key file key.pem' } }));
    expect(found.map((x) => x.code)).toEqual(['CERT_KEY_MISMATCH', 'CERT_CHAIN_ORDER']);
    expect(found[0].evidence).toEqual([
      'seen',
      'the key file key.pem is the key of certificate 2 (CN=example.test), the leaf, but certificate 1 (CN=Int) comes first: a server pairs the key with the first certificate (nginx refuses to start with "key values mismatch") and a client takes the first as the leaf; put the leaf first',
    ]);
  });

  it('every fault, each once, in the judge\'s order', () => {
    const bad = leaf({ keyBits: 1024, isCA: true, notAfter: iso(ISSUED + 500 * DAY) }, { ...sha1, basicConstraints: { ca: true, critical: true }, extKeyUsage: ['clientAuth'] });
    expect(codes(facts({ chain: [bad, int(), int()], key: { matches: false, what: 'k' } }))).toEqual([
      'CERT_KEY_MISMATCH', 'CERT_CA_AS_LEAF', 'CERT_WRONG_PURPOSE', 'CERT_WEAK_SIGNATURE', 'CERT_WEAK_KEY', 'CERT_VALIDITY_TOO_LONG', 'CERT_CHAIN_ORDER',
    ]);
    const f = judgeChainRules(facts({ chain: [bad, int()] }));
    expect(f.map((x) => x.severity)).toEqual(['error', 'error', 'error', 'error', 'error']);
  });
});

describe('the served path, linked by name', () => {
  it.each<[string, CertificateInfo[], Pick<CertificatePath, 'order' | 'unused' | 'duplicates'>]>([
    ['in order', [leaf(), int(), root()], { order: [0, 1, 2], unused: [], duplicates: [] }],
    ['out of order', [leaf(), root(), int()], { order: [0, 2, 1], unused: [], duplicates: [] }],
    ['a duplicate and a stranger', [leaf(), int(), int(), ca('CN=X', 'CN=X')], { order: [0, 1], unused: [3], duplicates: [2] }],
    ['a leaf alone', [leaf()], { order: [0], unused: [], duplicates: [] }],
    ['a self-issued leaf stops the path', [leaf({ selfIssued: true }), int()], { order: [0], unused: [1], duplicates: [] }],
    ['cross-signs that sign each other: each once', [leaf({ issuer: 'CN=A' }), ca('CN=A', 'CN=B'), ca('CN=B', 'CN=A'), ca('CN=X', 'CN=X')], { order: [0, 1, 2], unused: [3], duplicates: [] }],
    ['nothing', [], { order: [], unused: [], duplicates: [] }],
  ])('%s', (_n, chain, want) => {
    expect(servedPath(chain)).toMatchObject(want);
  });
});

describe('name constraint matching (RFC 5280 4.2.1.10, as OpenSSL and Chrome)', () => {
  it.each([
    ['example.test', 'example.test', true],
    ['a.example.test', 'example.test', true],
    ['A.Example.Test.', 'example.test', true],
    ['badexample.test', 'example.test', false],
    ['example.test', '.example.test', false],
    ['a.example.test', '.example.test', true],
    ['anything.test', '', true],
    ['a.example.test', 'example.test.', true],
  ])('%s within %j: %s', (name, c, want) => {
    expect(dnsWithin(name, c)).toBe(want);
  });

  it.each([
    ['192.0.2.1', '192.0.2.0/24', true],
    ['192.0.3.1', '192.0.2.0/24', false],
    ['192.0.2.129', '192.0.2.128/25', true],
    ['192.0.2.127', '192.0.2.128/25', false],
    ['10.1.2.3', '0.0.0.0/0', true],
    ['2001:db8::1', '2001:db8:0:0:0:0:0:0/32', true],
    ['2001:db9::1', '2001:db8:0:0:0:0:0:0/32', false],
    ['192.0.2.1', '2001:db8:0:0:0:0:0:0/32', false],
    ['192.0.2.1', '192.0.2.0/x', false],
    ['192.0.2.1', '0:0:0:0:0:0:0:0/0', false],
    ['2001:db8::1', '0.0.0.0/0', false],
    ['example.test', '192.0.2.0/24', false],
  ])('%s within %s: %s', (a, r, want) => {
    expect(ipWithin(a, r)).toBe(want);
  });
});
