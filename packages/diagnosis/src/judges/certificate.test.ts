import { describe, expect, it } from 'vitest';
import { Version } from '@tlsdoctor/tls-parser-ts';
import { alert, cert, clientHello, completedTls12, connection, intermediate, NOW_MS, probeRecord, serverHello, T0 } from '../facts.fixtures.js';
import { judgeCaptureCertificate, judgeCertificate, judgeProbeCertificate, span, type CertificateFacts } from './certificate.js';

const DAY = 86_400_000;
const codes = (fs: { code: string }[]) => fs.map((f) => f.code);
const at = (days: number) => new Date(NOW_MS + days * DAY).toISOString();
const expired = () => cert({ notBefore: at(-400), notAfter: at(-1) });
const store = (o: Partial<{ error: string; intermediateMissing: boolean; anchored: boolean }> = {}) => ({ kind: 'store' as const, intermediateMissing: false, anchored: true, ...o });

function facts(o: Partial<CertificateFacts> = {}): CertificateFacts {
  return { chain: [cert(), intermediate()], at: NOW_MS, atLabel: 'now', name: 'example.test', nameLabel: 'the target name', trust: store(), seen: ['seen'], ...o };
}

describe('certificate judge: every fault of the chain', () => {
  it.each([
    ['a good chain', {}, []],
    ['an expired leaf', { chain: [expired(), intermediate()] }, ['CERT_EXPIRED']],
    ['a leaf valid from tomorrow', { chain: [cert({ notBefore: at(1) }), intermediate()] }, ['CERT_NOT_YET_VALID']],
    ['a wrong name', { name: 'other.test' }, ['CERT_HOSTNAME_MISMATCH']],
    ['a wildcard that covers one label', { name: 'www.example.test' }, []],
    ['a wildcard does not cover two labels', { name: 'a.b.example.test' }, ['CERT_HOSTNAME_MISMATCH']],
    ['no name to check', { name: undefined }, []],
    ['expired and the wrong name', { chain: [expired(), intermediate()], name: 'other.test' }, ['CERT_EXPIRED', 'CERT_HOSTNAME_MISMATCH']],
    ['expired and untrusted', { chain: [expired(), intermediate()], trust: store({ error: 'CERT_HAS_EXPIRED', anchored: false }) }, ['CERT_EXPIRED', 'CERT_UNTRUSTED']],
    ['expired and trusted', { chain: [expired(), intermediate()], trust: store({ error: 'CERT_HAS_EXPIRED' }) }, ['CERT_EXPIRED']],
    ['the verifier says expired although the dates do not', { trust: store({ error: 'CERT_HAS_EXPIRED' }) }, ['CERT_EXPIRED']],
    ['the verifier says not yet valid', { trust: store({ error: 'CERT_NOT_YET_VALID' }) }, ['CERT_NOT_YET_VALID']],
    ['a verifier trust error', { trust: store({ error: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', anchored: false }) }, ['CERT_UNTRUSTED']],
    ['a verifier trust error with an anchor', { trust: store({ error: 'SELF_SIGNED_CERT_IN_CHAIN' }) }, ['CERT_UNTRUSTED']],
    ['no anchor but no error either', { trust: store({ anchored: false }) }, []],
    ['a missing intermediate', { chain: [cert()], trust: store({ error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', intermediateMissing: true, anchored: false }) }, ['CERT_CHAIN_INCOMPLETE']],
    ['a self-signed leaf alone', { chain: [cert({ selfSigned: true, selfIssued: true })], trust: store({ error: 'DEPTH_ZERO_SELF_SIGNED_CERT', anchored: false }) }, ['CERT_SELF_SIGNED']],
    ['the verifier says self-signed', { trust: store({ error: 'DEPTH_ZERO_SELF_SIGNED_CERT', anchored: false }) }, ['CERT_SELF_SIGNED']],
    ['a self-signed leaf with more sent is judged by the verifier', { chain: [cert({ selfSigned: true, selfIssued: true }), intermediate()] }, []],
    ['an unreadable leaf', { chain: [cert({ error: 'bad DER' })] }, []],
    ['no chain', { chain: [] }, []],
  ])('%s', (_n, o, want) => {
    expect(codes(judgeCertificate(facts(o as never)))).toEqual(want);
  });

  it('an IP target: only the verifier\'s own name check counts', () => {
    const ip = { name: '192.0.2.10', nameIsIp: true };
    expect(codes(judgeCertificate(facts({ ...ip, trust: store({ error: 'ERR_TLS_CERT_ALTNAME_INVALID' }) })))).toEqual(['CERT_HOSTNAME_MISMATCH']);
    expect(judgeCertificate(facts({ ...ip, trust: store({ error: 'ERR_TLS_CERT_ALTNAME_INVALID' }) }))[0].evidence.at(-1)).toBe('192.0.2.10: the certificate lists no such IP address among its SANs');
    expect(judgeCertificate(facts(ip))).toEqual([]);
  });

  it('the verifier\'s word on the name wins over our own matching', () => {
    const [f] = judgeCertificate(facts({ nameError: "Hostname/IP does not match certificate's altnames" }));
    expect(f.code).toBe('CERT_HOSTNAME_MISMATCH');
    expect(f.evidence.at(-1)).toBe("example.test: Hostname/IP does not match certificate's altnames");
  });

  it.each([
    [-1, []],
    [0.5, ['CERT_EXPIRING_SOON']],
    [20.9, ['CERT_EXPIRING_SOON']],
    [21, []],
  ])('expiring in %s days with a 21-day warning: %j', (days, want) => {
    const leaf = cert({ notAfter: at(days) });
    const fs = judgeCertificate(facts({ chain: [leaf, intermediate()], warnDays: 21 })).filter((f) => f.severity !== 'error');
    expect(codes(fs)).toEqual(want);
  });

  it('no expiry warning without --warn-days (captures)', () => {
    expect(judgeCertificate(facts({ chain: [cert({ notAfter: at(1) }), intermediate()], trust: { kind: 'client-alert' } }))).toEqual([]);
  });

  it('judges at the given time, not the clock', () => {
    const leaf = cert({ notBefore: new Date(Date.UTC(2020, 0, 1)).toISOString(), notAfter: new Date(Date.UTC(2021, 0, 1)).toISOString() });
    expect(judgeCertificate(facts({ chain: [leaf, intermediate()], at: Date.UTC(2020, 6, 1) }))).toEqual([]);
    expect(codes(judgeCertificate(facts({ chain: [leaf, intermediate()], at: Date.UTC(2021, 6, 1) })))).toEqual(['CERT_EXPIRED']);
    expect(codes(judgeCertificate(facts({ chain: [leaf, intermediate()], at: Date.UTC(2019, 6, 1) })))).toEqual(['CERT_NOT_YET_VALID']);
  });

  it('evidence: where the chain was seen, the leaf, and the fault at the time of judgement', () => {
    const [f] = judgeCertificate(facts({ chain: [expired(), intermediate()], atLabel: 'the capture time' }));
    expect(f.evidence).toEqual(['seen', `leaf: subject CN=example.test; issuer CN=Example CA; SANs example.test, *.example.test; valid ${at(-400)} to ${at(-1)}`, `expired ${at(-1)}, before the capture time ${at(0)}`]);
    expect(judgeCertificate(facts({ chain: [cert({ sans: [] })], name: 'x.test' }))[0].evidence[1]).toContain('SANs (none)');
  });

  it('a renewal alone would not fix a wrong name, and the fix says so', () => {
    expect(judgeCertificate(facts({ name: 'other.test' }))[0].remedy).toMatch(/renewal with the same names will not fix it/);
  });
});

describe('certificate judge: the client\'s alert (captures)', () => {
  const withAlert = (description: number, o: Partial<CertificateFacts> = {}) =>
    facts({ trust: { kind: 'client-alert', alert: { description, line: `ALERT ${description}` } }, nameLabel: 'the SNI', ...o });
  it.each([
    ['certificate_expired with an expired leaf', 45, { chain: [expired(), intermediate()] }, ['CERT_EXPIRED']],
    ['certificate_expired with a leaf we think valid (client clock)', 45, {}, ['CERT_EXPIRED']],
    ['unknown_ca with a good-looking chain', 48, {}, ['CERT_UNTRUSTED']],
    ['unknown_ca with an expired leaf', 48, { chain: [expired(), intermediate()] }, ['CERT_EXPIRED', 'CERT_UNTRUSTED']],
    ['bad_certificate with a leaf not valid yet', 42, { chain: [cert({ notBefore: at(3) }), intermediate()] }, ['CERT_NOT_YET_VALID']],
    ['bad_certificate alone', 42, {}, []],
    ['unknown_ca, a self-signed leaf alone', 48, { chain: [cert({ selfSigned: true, selfIssued: true })] }, ['CERT_SELF_SIGNED']],
    ['unknown_ca, only the leaf sent', 48, { chain: [cert()] }, ['CERT_CHAIN_INCOMPLETE']],
    ['a self-issued leaf alone that does not verify', 48, { chain: [cert({ selfIssued: true })] }, ['CERT_UNTRUSTED']],
    ['unknown_ca, a broken link', 48, { chain: [cert(), intermediate(), cert({ subject: 'CN=Root' })], trust: { kind: 'client-alert', alert: { description: 48, line: 'ALERT 48' }, links: { links: [], brokenAt: 1, endsInRoot: false } } }, ['CERT_CHAIN_INCOMPLETE']],
  ])('%s', (_n, d, o, want) => {
    expect(codes(judgeCertificate(withAlert(d, o as never)))).toEqual(want);
  });

  it('the alert is the first evidence of the finding it supports', () => {
    const [e, u] = judgeCertificate(withAlert(48, { chain: [expired(), intermediate()] }));
    // unknown_ca speaks of the issuer, not of the date.
    expect(e.evidence[0]).toBe('seen');
    expect(u.evidence[0]).toBe('ALERT 48');
    expect(judgeCertificate(withAlert(45))[0].evidence[0]).toBe('ALERT 45');
    expect(judgeCertificate(withAlert(42, { chain: [cert({ notBefore: at(3) })] }))[0].evidence[0]).toBe('ALERT 42');
    const [broken] = judgeCertificate(withAlert(48, { chain: [cert(), intermediate(), cert({ subject: 'CN=Root' })], trust: { kind: 'client-alert', alert: { description: 48, line: 'ALERT 48' }, links: { links: [], brokenAt: 1, endsInRoot: false } } }));
    expect(broken.evidence.at(-1)).toBe('certificate 2 (CN=Example CA) is not issued by certificate 3 (CN=Root): the chain is out of order or misses an intermediate');
    expect(broken.evidence[0]).toBe('ALERT 48');
  });

  it('without a readable leaf the alert still speaks', () => {
    expect(judgeCertificate(withAlert(45, { chain: [] }))[0]).toMatchObject({ code: 'CERT_EXPIRED', evidence: ['ALERT 45', 'seen'] });
    // Only the capture's wrapper knows the version: it names a generic alert's distrust.
    expect(judgeCertificate(withAlert(46, { chain: [] }))).toEqual([]);
    expect(codes(judgeCertificate(withAlert(45, { chain: [cert({ error: 'x' })] })))).toEqual(['CERT_EXPIRED']);
  });
});

describe('certificate judge: edges', () => {
  it('expires at the instant of judgement: expired; valid from that instant: valid', () => {
    expect(codes(judgeCertificate(facts({ chain: [cert({ notAfter: at(0) }), intermediate()] })))).toEqual([]);
    expect(codes(judgeCertificate(facts({ chain: [cert({ notAfter: new Date(NOW_MS - 1).toISOString() }), intermediate()] })))).toEqual(['CERT_EXPIRED']);
    expect(codes(judgeCertificate(facts({ chain: [cert({ notBefore: at(0) }), intermediate()] })))).toEqual([]);
    expect(codes(judgeCertificate(facts({ chain: [cert({ notBefore: new Date(NOW_MS + 1).toISOString() }), intermediate()] })))).toEqual(['CERT_NOT_YET_VALID']);
  });

  it('says how many days are left', () => {
    const [f] = judgeCertificate(facts({ chain: [cert({ notAfter: at(2.5) }), intermediate()], warnDays: 21 }));
    expect(f.evidence.at(-1)).toBe(`expires in 2.5 days (${at(2.5)}); the warning starts at 21 days`);
  });

  it('an alert that names the issuer is not the evidence of a date or a name', () => {
    const fs = judgeCertificate(facts({ name: 'other.test', trust: { kind: 'client-alert', alert: { description: 48, line: 'ALERT 48' } }, chain: [cert({ notBefore: at(2) }), intermediate()] }));
    expect(codes(fs)).toEqual(['CERT_NOT_YET_VALID', 'CERT_HOSTNAME_MISMATCH', 'CERT_UNTRUSTED']);
    expect(fs.map((x) => x.evidence[0])).toEqual(['seen', 'seen', 'ALERT 48']);
  });

  it('a generic alert goes to the first error, not to a warning', () => {
    const fs = judgeCertificate(facts({ name: 'other.test', warnDays: 30, chain: [cert({ notAfter: at(3) }), intermediate()], trust: { kind: 'client-alert', alert: { description: 42, line: 'ALERT 42' } } }));
    expect(codes(fs)).toEqual(['CERT_EXPIRING_SOON', 'CERT_HOSTNAME_MISMATCH']);
    expect(fs[0].evidence[0]).toBe('seen');
    expect(fs[1].evidence[0]).toBe('ALERT 42');
  });

  it('names the verifier\'s error in the trust findings', () => {
    expect(judgeCertificate(facts({ chain: [cert()], trust: store({ intermediateMissing: true, anchored: false }) }))[0].evidence.at(-1)).toBe('the issuer "CN=Example CA" is neither in the chain sent nor a trusted root: the intermediate is missing (verification: n/a)');
    expect(judgeCertificate(facts({ chain: [cert()], trust: store({ error: 'X', intermediateMissing: true }) }))[0].evidence.at(-1)).toMatch(/\(verification: X\)$/);
    expect(judgeCertificate(facts({ trust: store({ error: 'UNABLE_TO_GET_ISSUER_CERT' }) }))[0].evidence.at(-1)).toBe("verification against Node's CA store and --ca: UNABLE_TO_GET_ISSUER_CERT");
    expect(judgeCertificate(facts({ trust: store({ error: 'CERT_HAS_EXPIRED', anchored: false }) }))[1].evidence.at(-1)).toBe("verification against Node's CA store and --ca: no certificate of the chain is issued by a trusted root");
    expect(judgeCertificate(facts({ chain: [cert({ selfSigned: true, selfIssued: true })] }))[0].evidence.at(-1)).toBe('the leaf is its own issuer and its signature verifies with its own key');
    expect(judgeCertificate(facts({ trust: store({ error: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) }))[0].evidence.at(-1)).toBe('the certificate is its own issuer');
  });
});

describe('certificate judge on a captured connection', () => {
  const good = () => ({ certificates: [cert({ notBefore: at(-1000), notAfter: at(1000) }), intermediate()], certificatesFrame: 6, certificatesTime: T0 });
  it.each([
    ['unknown_ca and a fault: both, once each', 48, { certificates: [cert({ notAfter: at(-1000 * 365) }), intermediate()] }, ['CERT_EXPIRED', 'CERT_UNTRUSTED']],
    ['certificate_expired, chain fine by our clock', 45, {}, ['CERT_EXPIRED']],
    ['bad_certificate, nothing in the chain', 42, {}, ['CERT_UNTRUSTED']],
    ['certificate_unknown, nothing in the chain', 46, {}, ['CERT_UNTRUSTED']],
    ['bad_certificate and a wrong name', 42, { sni: 'other.test' }, ['CERT_HOSTNAME_MISMATCH']],
    // An issuer that is no CA: OpenSSL refuses the chain for it, and the alert is that refusal.
    ['unknown_ca and an issuer that is no CA: the fault alone', 48, { certificates: [cert({ notBefore: at(-1000), notAfter: at(1000) }), cert({ subject: 'CN=Example CA', issuer: 'CN=Example Root', fingerprint256: 'CC:DD', isCA: false })] }, ['CERT_CA_AS_LEAF']],
    ['bad_certificate and an issuer that is no CA: the fault alone', 42, { certificates: [cert({ notBefore: at(-1000), notAfter: at(1000) }), cert({ subject: 'CN=Example CA', issuer: 'CN=Example Root', fingerprint256: 'CC:DD', isCA: false })] }, ['CERT_CA_AS_LEAF']],
  ])('%s', (_n, d, over, want) => {
    const r = completedTls12({ ...good(), alerts: [alert('client', d, 8, 0.01)], ...over });
    expect(codes(judgeCaptureCertificate(r))).toEqual(want);
  });

  it('the client\'s alert is the evidence of the fault it refused', () => {
    const notCa = cert({ subject: 'CN=Example CA', issuer: 'CN=Example Root', fingerprint256: 'CC:DD', isCA: false });
    for (const d of [42, 48]) {
      const r = completedTls12({ ...good(), certificates: [cert({ notBefore: at(-1000), notAfter: at(1000) }), notCa], alerts: [alert('client', d, 8, 0.01)] });
      const [f] = judgeCaptureCertificate(r);
      expect(f.evidence.some((line) => /alert/.test(line)), f.evidence.join(' | ')).toBe(true);
    }
  });

  it('the TLS 1.3 hint only where the chain was not seen', () => {
    const tls13 = connection({ version: 0x0304, alerts: [alert('client', 46, 7, 0.01)] });
    expect(judgeCaptureCertificate(tls13)[0].evidence).toEqual(['fatal alert Certificate Unknown (46) from the client in frame 7 (+10.00 ms)', 'TLS 1.3: the chain is encrypted; `tlsdoctor probe` shows it']);
    const tls12 = connection({ version: 0x0303, alerts: [alert('client', 46, 7, 0.01)] });
    expect(judgeCaptureCertificate(tls12)[0].evidence).toEqual(['fatal alert Certificate Unknown (46) from the client in frame 7 (+10.00 ms)']);
  });

  it('judges the chain at the time of its packet', () => {
    const leaf = cert({ notBefore: new Date((T0 - 100) * 1000).toISOString(), notAfter: new Date((T0 + 100) * 1000).toISOString() });
    const r = (time: number) => completedTls12({ certificates: [leaf, intermediate()], certificatesFrame: 6, certificatesTime: time });
    expect(judgeCaptureCertificate(r(T0))).toEqual([]);
    expect(codes(judgeCaptureCertificate(r(T0 + 200)))).toEqual(['CERT_EXPIRED']);
    expect(codes(judgeCaptureCertificate(r(T0 - 200)))).toEqual(['CERT_NOT_YET_VALID']);
    expect(judgeCaptureCertificate(r(T0 + 200))[0].evidence[0]).toBe('chain of 2 certificate(s) in frame 6');
  });

  it('falls back to the first packet\'s time', () => {
    const leaf = cert({ notAfter: new Date((T0 - 1) * 1000).toISOString() });
    expect(codes(judgeCaptureCertificate(completedTls12({ certificates: [leaf, intermediate()] })))).toEqual(['CERT_EXPIRED']);
  });

  it('checks the SNI, and no name without one', () => {
    const chain = { certificates: [cert({ notBefore: at(-1000), notAfter: at(1000) }), intermediate()], certificatesTime: T0 };
    const [f] = judgeCaptureCertificate(completedTls12({ ...chain, sni: 'wrong.test' }));
    expect(f.code).toBe('CERT_HOSTNAME_MISMATCH');
    expect(f.evidence.at(-1)).toBe('the SNI wrong.test is not among the SANs');
    expect(judgeCaptureCertificate(completedTls12({ ...chain, sni: undefined }))).toEqual([]);
  });

  it('reads only the client\'s certificate alerts', () => {
    const server48 = connection({ alerts: [alert('server', 48, 6, 0.01)] });
    expect(judgeCaptureCertificate(server48)).toEqual([]);
    const client40 = connection({ alerts: [alert('client', 40, 6, 0.01)] });
    expect(judgeCaptureCertificate(client40)).toEqual([]);
  });

  it('a TLS 1.3 certificate_unknown with the chain encrypted points to the probe', () => {
    const r = connection({ version: 0x0304, alerts: [alert('client', 46, 7, 0.01)] });
    const [f] = judgeCaptureCertificate(r);
    expect(f.code).toBe('CERT_UNTRUSTED');
    expect(f.evidence.join('\n')).toMatch(/fatal alert Certificate Unknown \(46\) from the client/);
  });

  it('a generic alert the chain does not explain is distrust, with the issuer named', () => {
    const r = completedTls12({ certificates: [cert({ notBefore: at(-1000), notAfter: at(1000) }), intermediate()], certificatesTime: T0, alerts: [alert('client', 42, 7, 0.01)] });
    const [f] = judgeCaptureCertificate(r);
    expect(f.code).toBe('CERT_UNTRUSTED');
    expect(f.evidence).toEqual(['fatal alert Bad Certificate (42) from the client in frame 7 (+10.00 ms)', 'leaf issuer: CN=Example CA']);
  });

  it('a revoked-certificate alert is not this judge\'s', () => {
    expect(judgeCaptureCertificate(connection({ alerts: [alert('client', 44, 7, 0.01)] }))).toEqual([]);
  });
});

describe('certificate judge: a capture\'s chain whose order breaks', () => {
  const links = (brokenAt: number, linkedOrder?: number[]) => ({ kind: 'client-alert' as const, links: { links: [], brokenAt, endsInRoot: false, ...(linkedOrder ? { linkedOrder } : {}) } });
  const chain = [cert(), cert({ subject: 'CN=Other', issuer: 'CN=Other', fingerprint256: '11:22' }), intermediate()];
  it.each<[string, ReturnType<typeof links>, string[]]>([
    ['the certificates relink past the leaf: an order fault, not a missing one', links(0, [0, 2]), []],
    ['the leaf\'s issuer is not sent at all: incomplete', links(0, [0]), ['CERT_CHAIN_INCOMPLETE']],
    ['links not rebuilt (older records): incomplete, as before', links(0), ['CERT_CHAIN_INCOMPLETE']],
  ])('%s', (_n, trust, want) => {
    expect(codes(judgeCertificate(facts({ chain, trust })))).toEqual(want);
  });

  it('says which it is', () => {
    const [f] = judgeCertificate(facts({ chain, trust: links(0, [0]) }));
    expect(f.evidence.at(-1)).toBe('certificate 1 (CN=example.test) is not issued by certificate 2 (CN=Other): nor by any other certificate sent: its intermediate is missing');
  });
});

describe('certificate judge on a probe', () => {
  it.each([
    ['a good chain', {}, []],
    ['no full handshake', { full: undefined }, []],
    ['a failed full handshake', { full: { ok: false, ms: 1, chain: [], intermediateMissing: false, anchored: false } }, []],
  ])('%s', (_n, over, want) => {
    expect(codes(judgeProbeCertificate(probeRecord(over as never), NOW_MS))).toEqual(want);
  });

  it('judges now, with the verifier\'s words, the target name and --warn-days', () => {
    const full = { ok: true, ms: 5, chain: [cert({ notAfter: at(-2) }), intermediate()], authorizationError: 'CERT_HAS_EXPIRED', hostnameError: 'bad name', intermediateMissing: false, anchored: false, trustAnchor: 'CN=Example Root' };
    const fs = judgeProbeCertificate(probeRecord({ full }), NOW_MS);
    expect(codes(fs)).toEqual(['CERT_EXPIRED', 'CERT_HOSTNAME_MISMATCH', 'CERT_UNTRUSTED']);
    expect(fs[0].evidence[0]).toBe('the server sent 2 certificate(s): CN=example.test ← CN=Example CA, ending at the trusted root CN=Example Root');
    expect(fs[0].evidence[1]).toBe('leaf SHA-256 AA:BB');
    const soon = judgeProbeCertificate(probeRecord({ full: { ...full, chain: [cert({ notAfter: at(3) })], authorizationError: undefined, hostnameError: undefined, anchored: true }, warnDays: 5 }), NOW_MS);
    expect(codes(soon)).toEqual(['CERT_EXPIRING_SOON']);
  });
});

describe('certificate judge on a probe: the order as sent, from its TLS 1.2 hello', () => {
  const withServed = (served: ReturnType<typeof cert>[] | undefined, full = probeRecord().full) => {
    const r = probeRecord({ full });
    const versions = r.versions.map((v) => (v.version === Version.TLS12 && v.outcome.kind === 'server-hello' && served ? { ...v, outcome: { ...v.outcome, servedChain: served } } : v));
    return judgeProbeCertificate({ ...r, versions }, NOW_MS);
  };
  const stranger = () => cert({ subject: 'CN=Stranger', issuer: 'CN=Stranger', isCA: true, fingerprint256: 'EE:FF' });
  it.each<[string, ReturnType<typeof cert>[] | undefined, string[]]>([
    ['sent in order', [cert(), intermediate()], []],
    ['no Certificate read (TLS 1.3 only): the built path alone', undefined, []],
    ['sent with the intermediate twice', [cert(), intermediate(), intermediate()], ['CERT_CHAIN_ORDER']],
    ['sent with a certificate on no path', [cert(), intermediate(), stranger()], ['CERT_CHAIN_ORDER']],
    ['another leaf on that hello (another backend): not this chain\'s order', [cert({ fingerprint256: '11:22' }), stranger()], []],
  ])('%s', (_n, served, want) => {
    expect(codes(withServed(served))).toEqual(want);
  });

  it('a TLS 1.3 handshake\'s own Certificate, decrypted with the probe\'s key log, comes first', () => {
    const base = probeRecord().full!;
    const full = { ...base, serverFlight: { messages: ['EncryptedExtensions', 'Certificate'], opened: true, servedChain: [cert(), intermediate(), intermediate()] } };
    const [order] = withServed(undefined, full);
    expect(order.code).toBe('CERT_CHAIN_ORDER');
    expect(order.evidence).toContain("the Certificate message of the probe's TLS 1.3 handshake, as sent: CN=example.test, CN=Example CA, CN=Example CA");
    // Sent in order there, the TLS 1.2 hello's chain is not read.
    expect(codes(withServed([cert(), intermediate(), intermediate()], { ...full, serverFlight: { ...full.serverFlight, servedChain: [cert(), intermediate()] } }))).toEqual([]);
  });

  it('beside the order as sent, the verified chain\'s other faults stand', () => {
    const weak = probeRecord().full!;
    const full = { ...weak, chain: [cert({ keyType: 'rsa', keyBits: 1024 }), intermediate()] };
    expect(codes(withServed([cert({ keyType: 'rsa', keyBits: 1024 }), intermediate(), intermediate()], full)).sort()).toEqual(['CERT_CHAIN_ORDER', 'CERT_WEAK_KEY']);
  });

  it('says where the order was seen', () => {
    const [order] = withServed([cert(), intermediate(), intermediate()]);
    expect(order.evidence).toContain("the Certificate message of the probe's TLS 1.2 hello, as sent: CN=example.test, CN=Example CA, CN=Example CA");
  });

  it('a fault the store refused for is not also untrust; a store that found no path still is', () => {
    // The intermediate is no CA: OpenSSL refuses it with INVALID_CA.
    const notCa = cert({ subject: 'CN=Example CA', issuer: 'CN=Example Root', fingerprint256: 'CC:DD', isCA: false });
    const bad = (authorizationError: string) =>
      codes(judgeProbeCertificate(probeRecord({ full: { ok: true, ms: 5, chain: [cert(), notCa], authorizationError, intermediateMissing: false, anchored: true } }), NOW_MS));
    expect(bad('INVALID_CA')).toEqual(['CERT_CA_AS_LEAF']);
    expect(bad('UNABLE_TO_GET_ISSUER_CERT_LOCALLY')).toEqual(['CERT_UNTRUSTED', 'CERT_CA_AS_LEAF']);
  });
});

describe('certificate, a client that left without a word', () => {
  const chain = [cert({ subject: 'CN=example.test', issuer: 'CN=Private CA', notBefore: at(-30), notAfter: at(60) }), cert({ subject: 'CN=Private CA', issuer: 'CN=Private Root', isCA: true, fingerprint256: 'CC:DD' })];
  const left = (over: Parameters<typeof connection>[0] = {}) =>
    connection({
      clientHello: clientHello(4, 0.002), serverHello: serverHello(6, 0.003, Version.TLS13, 0x1301), version: Version.TLS13, sni: 'example.test',
      certificates: chain, certificatesFrame: 6, certificatesTime: T0 + 0.003, chain: { links: [{ from: 0, to: 1, ok: true }], endsInRoot: false },
      encryptedRecords: [0, 4], encryptedRecordSizes: [[], [40, 800, 100, 69]],
      end: { frame: 9, time: T0 + 0.05, how: 'fin', by: 'client', after: 'Finished' },
      ...over,
    });
  it.each([
    // [what, record, codes]
    ['a private chain, the client gone without Finished or alert', left(), ['CERT_UNTRUSTED']],
    ['the chain ends in a public root', left({ chain: { links: [{ from: 0, to: 1, ok: true }], endsInRoot: false, publicRoot: 'CN=Public Root' } }), []],
    ['the server ended it', left({ end: { frame: 9, time: T0 + 0.05, how: 'fin', by: 'server', after: 'Finished' } }), []],
    ['the client sent an alert (the alert judge names it)', left({ alerts: [alert('client', 90, 8, 0.004)] }), []],
    ['the client finished', left({ encryptedRecords: [2, 4], encryptedRecordSizes: [[40, 53], [40, 800, 100, 69]] }), []],
    ['the server asked for a client certificate', left({ certificateRequested: true }), []],
    ['no chain was read', left({ certificates: [], chain: undefined }), []],
    ['another fault explains it', left({ sni: 'other.test' }), ['CERT_HOSTNAME_MISMATCH']],
  ] as [string, ReturnType<typeof connection>, string[]][])('%s', (_what, r, want) => {
    expect(judgeCaptureCertificate(r).map((f) => f.code)).toEqual(want);
  });

  it('names the root the chain ends at and how the client left', () => {
    expect(judgeCaptureCertificate(left())[0].evidence).toEqual([
      'chain of 2 certificate(s) in frame 6, ending at "CN=Private Root", which is not one of the public roots (Node\'s bundled list, Mozilla\'s)',
      'the client read it and left without its Finished and without an alert: FIN from the client in frame 9 (+50.0 ms), after Finished',
      'a client that has not been given that private root cannot verify the chain; one that has it would have gone on',
    ]);
    expect(judgeCaptureCertificate(left({ chain: { links: [{ from: 0, to: 1, ok: true }], endsInRoot: true } }))[0].evidence[0]).toMatch(/ending at "CN=Private CA"/);
  });
});

describe('certificate judge: the default certificates of ingresses and proxies', () => {
  const selfSigned = (subject: string) => cert({ subject, issuer: subject, sans: ['ingress.local'], selfSigned: true, selfIssued: true });
  const lone = (subject: string) => facts({ chain: [selfSigned(subject)], trust: store({ error: 'DEPTH_ZERO_SELF_SIGNED_CERT', anchored: false }) });
  it.each([
    ['ingress-nginx', 'O=Acme Co, CN=Kubernetes Ingress Controller Fake Certificate', 'Kubernetes ingress-nginx'],
    ['Traefik', 'CN=TRAEFIK DEFAULT CERT', 'Traefik'],
    ['Kong', 'C=US, ST=California, L=San Francisco, O=Kong, OU=IT Department, CN=localhost', 'Kong'],
  ])('%s: named beside the name and trust findings, first', (_n, subject, proxy) => {
    const found = judgeCertificate(lone(subject));
    expect(codes(found)).toEqual(['CERT_HOSTNAME_MISMATCH', 'CERT_SELF_SIGNED', 'CERT_PROXY_DEFAULT']);
    const d = found[2];
    expect(d.title).toBe(`The server has no certificate configured for this name: ${proxy} served its default`);
    expect(d.evidence).toEqual([`leaf subject ${subject}: the default certificate of ${proxy}`, 'it is served for a name the proxy has no certificate for: the name and trust findings beside this one follow from it']);
    expect(d.remedy).toContain(proxy === 'Kubernetes ingress-nginx' ? 'tls.hosts' : proxy === 'Traefik' ? 'certResolver' : 'snis');
  });

  it.each([
    ['a CN that only contains the words', 'CN=Not the Kubernetes Ingress Controller Fake Certificate'],
    ['another attribute holding the words', 'O=TRAEFIK DEFAULT CERT, CN=example.test'],
    ['localhost from another organisation', 'O=Kongo, CN=localhost'],
    ['Kong with another name', 'O=Kong, CN=api.example.test'],
    ['an ordinary certificate', 'CN=example.test'],
  ])('not a default: %s', (_n, subject) => {
    expect(codes(judgeCertificate(lone(subject)))).not.toContain('CERT_PROXY_DEFAULT');
  });

  it('the probe puts it first', async () => {
    const { diagnoseProbe } = await import('../probe.js');
    const leaf = selfSigned('O=Acme Co, CN=Kubernetes Ingress Controller Fake Certificate');
    const r = probeRecord({ full: { ok: true, ms: 5, version: 0x0304, cipher: 'TLS_AES_128_GCM_SHA256', alpn: 'h2', chain: [leaf], intermediateMissing: false, anchored: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' } });
    expect(codes(diagnoseProbe(r, NOW_MS)).slice(0, 3)).toEqual(['CERT_PROXY_DEFAULT', 'CERT_SELF_SIGNED', 'CERT_HOSTNAME_MISMATCH']);
  });
});

describe('certificate judge: how far, and which names', () => {
  it.each([
    [0, '0 s'],
    [42_000, '42 s'],
    [60_000, '1 min'],
    [303_000, '5 min 3 s'],
    [(3 * 3600 + 12 * 60 + 5) * 1000, '3 h 12 min'],
    [3600_000, '1 h'],
    [(2 * 86_400 + 3 * 3600) * 1000, '2 d 3 h'],
    [86_400_000, '1 d'],
  ])('span(%d) is %s', (ms, want) => {
    expect(span(ms)).toBe(want);
  });

  it('CERT_NOT_YET_VALID says how far ahead notBefore is, and what that means', () => {
    const leaf = cert({ notBefore: new Date(NOW_MS + (3 * 3600 + 12 * 60) * 1000).toISOString() });
    const [f] = judgeCertificate(facts({ chain: [leaf, intermediate()], atLabel: 'the capture time' }));
    expect(f.code).toBe('CERT_NOT_YET_VALID');
    expect(f.evidence.at(-1)).toBe(`notBefore ${leaf.notBefore} is 3 h 12 min after the capture time ${at(0)}: a client clock that far behind, or a certificate issued with a future start`);
  });

  it('a leaf without SANs: clients ignore its CN', () => {
    const [f] = judgeCertificate(facts({ chain: [cert({ subject: 'CN=example.test', sans: [] }), intermediate()], name: 'example.test' }));
    expect(f.code).toBe('CERT_HOSTNAME_MISMATCH');
    expect(f.evidence.at(-1)).toBe('the target name example.test: the leaf has no SANs, and clients ignore the CN');
  });

  it.each([
    ['a Unicode name matches its punycode SAN', 'bücher.example.test', ['xn--bcher-kva.example.test'], []],
    ['a partial wildcard covers nothing', 'www.example.test', ['w*.example.test'], ['CERT_HOSTNAME_MISMATCH']],
  ])('%s', (_n, name, sans, want) => {
    expect(codes(judgeCertificate(facts({ chain: [cert({ sans }), intermediate()], name })))).toEqual(want);
  });
});

describe('certificate judge: the chain rules on every source', () => {
  const weak = () => cert({ keyType: 'rsa', keyBits: 1024, notBefore: at(-30), notAfter: at(60) });
  it('a capture: the rules after the judge\'s own findings, public by the chain\'s root', () => {
    const r = connection({ certificates: [weak(), intermediate()], certificatesFrame: 6, certificatesTime: T0 + 0.003, chain: { links: [{ from: 0, to: 1, ok: true }], endsInRoot: false, publicRoot: 'CN=Example Root' } });
    const fs = judgeCaptureCertificate(r);
    expect(codes(fs)).toEqual(['CERT_WEAK_KEY']);
    expect(fs[0].evidence).toEqual(['chain of 2 certificate(s) in frame 6', 'the leaf CN=example.test has an RSA key of 1024 bits (2048 at least)']);
  });

  it('a capture judges the server purpose', () => {
    const clientOnly = cert({ notBefore: at(-30), notAfter: at(60), profile: { signatureAlgorithm: 'ecdsa-with-SHA256', extKeyUsage: ['clientAuth'] } });
    const r = connection({ certificates: [clientOnly, intermediate()], certificatesFrame: 6, certificatesTime: T0 + 0.003, chain: { links: [{ from: 0, to: 1, ok: true }], endsInRoot: false } });
    expect(codes(judgeCaptureCertificate(r))).toEqual(['CERT_WRONG_PURPOSE']);
  });

  it('the verifier\'s word alone that the leaf is not valid yet', () => {
    const [f] = judgeCertificate(facts({ trust: store({ error: 'CERT_NOT_YET_VALID' }) }));
    expect(f.evidence.at(-1)).toMatch(/^valid only from .*, after now /);
  });

  it('a probe: public only when anchored in the bundled roots', () => {
    const long = cert({ notBefore: at(-30), notAfter: at(500) });
    const full = { ok: true, ms: 5, chain: [long, intermediate()], intermediateMissing: false, anchored: true };
    expect(codes(judgeProbeCertificate(probeRecord({ full: { ...full, publiclyAnchored: true } }), NOW_MS))).toEqual(['CERT_VALIDITY_TOO_LONG']);
    expect(codes(judgeProbeCertificate(probeRecord({ full: { ...full, publiclyAnchored: false } }), NOW_MS))).toEqual([]);
  });
});
