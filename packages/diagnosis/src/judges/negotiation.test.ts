// Versions, ciphers, alerts and how far the handshake got: the judges of what the two ends negotiated.
import { describe, expect, it } from 'vitest';
import { PROFILES } from '@tlsdoctor/probe';
import { HandshakeType, Version } from '@tlsdoctor/tls-parser-ts';
import { alert, clientHello, completedTls12, connection, message, outcome, probeRecord, serverHello, T0, versionProbes } from '../facts.fixtures.js';
import { judgeCaptureAlerts, judgeProbeAlerts } from './alerts.js';
import { judgeCaptureCiphers, judgeProbeCiphers } from './ciphers.js';
import { judgeCaptureHandshake, judgeProbeHandshake } from './handshake.js';
import { clientFinished, decisiveAlert, handshakeComplete } from './handshake-state.js';
import { alertLine } from './hello-line.js';
import { isDeprecated, judgeCaptureVersions, judgeProbeVersions } from './versions.js';

const codes = (fs: { code: string }[]) => fs.map((f) => f.code);
const hello = (over: Parameters<typeof connection>[0] = {}) => connection({ clientHello: clientHello(4, 0.002), sni: 'a.test', ...over });
const fin = (by: 'client' | 'server', t = 0.05) => ({ how: 'fin' as const, by, frame: 20, time: T0 + t, after: 'x' });

describe('versions judge, capture', () => {
  it.each([
    ['a completed TLS 1.2 handshake', completedTls12(), []],
    ['protocol_version from the server', hello({ alerts: [alert('server', 70, 5, 0.003)] }), ['PROTOCOL_VERSION_MISMATCH']],
    ['protocol_version from the client', hello({ serverHello: serverHello(5, 0.003, Version.TLS10), version: Version.TLS10, alerts: [alert('client', 70, 6, 0.004)] }), ['PROTOCOL_VERSION_MISMATCH', 'DEPRECATED_PROTOCOL']],
    ['a version the client did not offer', hello({ serverHello: serverHello(5, 0.003, Version.TLS11), version: Version.TLS11 }), ['PROTOCOL_VERSION_MISMATCH', 'DEPRECATED_PROTOCOL']],
    ['an old version offered, then refused by the client', connection({ clientHello: clientHello(4, 0, { versions: [Version.TLS12, Version.TLS11, Version.TLS10] }), serverHello: serverHello(5, 0.003, Version.TLS10), version: Version.TLS10, alerts: [alert('client', 80, 6, 0.004)] }), ['PROTOCOL_VERSION_MISMATCH', 'DEPRECATED_PROTOCOL']],
    ['TLS 1.2 chosen, then a client alert', connection({ clientHello: clientHello(4, 0), serverHello: serverHello(5, 0.003, Version.TLS12), version: Version.TLS12, alerts: [alert('client', 80, 6, 0.004)] }), []],
    ['TLS 1.0 completed', completedTls12({ clientHello: clientHello(4, 0, { versions: [Version.TLS12, Version.TLS11, Version.TLS10] }), serverHello: serverHello(5, 0.003, Version.TLS10), version: Version.TLS10 }), ['DEPRECATED_PROTOCOL']],
    ['TLS 1.1 completed with a server alert', completedTls12({ clientHello: clientHello(4, 0, { versions: [Version.TLS11] }), serverHello: serverHello(5, 0.003, Version.TLS11), version: Version.TLS11, alerts: [alert('server', 80, 9, 0.06)] }), ['DEPRECATED_PROTOCOL']],
  ])('%s', (_n, r, want) => {
    expect(codes(judgeCaptureVersions(r))).toEqual(want);
  });

  it('evidence: what was offered, chosen, the alert and the end', () => {
    const r = hello({ serverHello: serverHello(5, 0.003, Version.TLS11), version: Version.TLS11, end: fin('client') });
    const [f] = judgeCaptureVersions(r);
    expect(f.evidence).toEqual([
      'the client offered TLS 1.3, TLS 1.2 (ClientHello in frame 4)',
      'the server chose TLS 1.1 (ServerHello in frame 5), which the client did not offer',
      'FIN from the client in frame 20 (+50.0 ms), after x',
    ]);
    const old = connection({ clientHello: clientHello(4, 0, { versions: [Version.TLS12, Version.TLS10] }), serverHello: serverHello(5, 0.003, Version.TLS10), version: Version.TLS10, alerts: [alert('client', 80, 6, 0.004)] });
    expect(judgeCaptureVersions(old)[0].evidence.join('\n')).toMatch(/listed TLS 1\.0 but aborted as soon as the server chose it/);
    expect(judgeCaptureVersions(old)[0].evidence.join('\n')).toMatch(/Internal Error \(80\) from the client/);
    expect(judgeCaptureVersions(old)[1].evidence).toEqual(['negotiated TLS 1.0 in frame 5']);
  });

  it('which versions are deprecated', () => {
    expect([0x0002, Version.SSL3, Version.TLS10, Version.TLS11, Version.TLS12, Version.TLS13].map(isDeprecated)).toEqual([false, true, true, true, false, false]);
  });
});

describe('versions judge, probe', () => {
  it.each([
    ['TLS 1.2 and 1.3 accepted', {}, []],
    ['TLS 1.3 only, browser profile', { versions: versionProbes([Version.TLS13]) }, []],
    ['TLS 1.3 only, a TLS 1.2 client', { versions: versionProbes([Version.TLS13]), profile: { ...PROFILES.browser, versions: [Version.TLS12] } }, ['PROTOCOL_VERSION_MISMATCH']],
    ['TLS 1.0 only', { versions: versionProbes([Version.TLS10]) }, ['PROTOCOL_VERSION_MISMATCH', 'DEPRECATED_PROTOCOL']],
    ['TLS 1.0 to 1.3', { versions: versionProbes([Version.TLS10, Version.TLS11, Version.TLS12, Version.TLS13]) }, ['DEPRECATED_PROTOCOL']],
    ['nothing probed', { versions: [] }, []],
    ['every version refused with handshake_failure (a cipher problem)', { versions: versionProbes([], () => outcome.alert(40)) }, []],
    ['every version refused with insufficient_security', { versions: versionProbes([], () => outcome.alert(71)) }, []],
    ['every version refused with internal_error', { hello: outcome.alert(80), versions: versionProbes([], () => outcome.alert(80)) }, ['PROTOCOL_VERSION_MISMATCH', 'SERVER_TLS_CONFIG_UNUSABLE']],
    ['internal_error for the versions, but the first hello got another alert', { hello: outcome.alert(70), versions: versionProbes([], () => outcome.alert(80)) }, ['PROTOCOL_VERSION_MISMATCH']],
    ['internal_error for one version, another accepted', { hello: outcome.alert(80), versions: versionProbes([Version.TLS12], () => outcome.alert(80)) }, []],
  ])('%s', (_n, over, want) => {
    expect(codes(judgeProbeVersions(probeRecord(over as never))).sort()).toEqual([...want].sort());
  });

  it('evidence names the profile, what the server accepts, and each version', () => {
    const [f] = judgeProbeVersions(probeRecord({ versions: versionProbes([Version.TLS10]) }));
    expect(f.evidence.slice(0, 3)).toEqual(['a current browser offers TLS 1.3 and TLS 1.2', 'the server accepts TLS 1.0', 'TLS 1.0: accepted (TLS_AES_128_GCM_SHA256)']);
    const [none] = judgeProbeVersions(probeRecord({ versions: versionProbes([], () => outcome.alert(70)) }));
    expect(none.evidence[1]).toBe('the server accepts none of the probed versions');
    const cfg = judgeProbeVersions(probeRecord({ hello: outcome.alert(80), versions: versionProbes([Version.TLS13], () => outcome.alert(80)).map((v) => (v.version === Version.TLS13 ? { ...v, outcome: outcome.alert(80) } : v)) })).find((x) => x.code === 'SERVER_TLS_CONFIG_UNUSABLE')!;
    expect(cfg.evidence[0]).toBe('the server answered the ClientHello offering every version, and the hellos for TLS 1.0, TLS 1.1, TLS 1.2, TLS 1.3, with internal_error (80)');
  });

  it('a ServerHello of another version is a refusal', () => {
    const versions = versionProbes([Version.TLS12], (v) => outcome.serverHello(v === Version.TLS13 ? Version.TLS12 : v));
    expect(codes(judgeProbeVersions(probeRecord({ versions, profile: { ...PROFILES.browser, versions: [Version.TLS13] } })))).toEqual(['PROTOCOL_VERSION_MISMATCH', 'DEPRECATED_PROTOCOL']);
  });
});

describe('ciphers judge', () => {
  it.each([
    ['handshake_failure before a ServerHello', hello({ alerts: [alert('server', 40, 5, 0.003)] }), ['NO_SHARED_CIPHER']],
    ['insufficient_security before a ServerHello', hello({ alerts: [alert('server', 71, 5, 0.003)] }), ['NO_SHARED_CIPHER']],
    ['handshake_failure after a ServerHello', hello({ serverHello: serverHello(5, 0.003), alerts: [alert('server', 40, 6, 0.004)] }), []],
    ['handshake_failure from the client', hello({ alerts: [alert('client', 40, 5, 0.003)] }), []],
    ['another server alert', hello({ alerts: [alert('server', 50, 5, 0.003)] }), []],
  ])('capture: %s', (_n, r, want) => {
    expect(codes(judgeCaptureCiphers(r))).toEqual(want);
  });

  it('capture evidence lists the first suites offered', () => {
    const r = hello({ clientHello: clientHello(4, 0, { suites: [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8] }), alerts: [alert('server', 40, 5, 0.003)] });
    const [f] = judgeCaptureCiphers(r);
    expect(f.evidence[0]).toMatch(/^the client offered 9 cipher suites: TLS_AES_128_GCM_SHA256, .*, \.\.\.$/);
    expect(f.evidence[0].split(', ')).toHaveLength(9);
    expect(f.evidence[1]).toBe(alertLine(r, r.alerts[0]));
    const short = hello({ alerts: [alert('server', 40, 5, 0.003)] });
    expect(judgeCaptureCiphers(short)[0].evidence[0]).toBe('the client offered 2 cipher suites: TLS_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
  });

  it.each([
    ['a good server', {}, []],
    ['every profile version refused with handshake_failure', { versions: versionProbes([], () => outcome.alert(40)) }, ['NO_SHARED_CIPHER']],
    ['handshake_failure, but a version accepted', { versions: versionProbes([Version.TLS10], () => outcome.alert(40)) }, []],
    ['handshake_failure only outside the profile', { versions: versionProbes([], (v) => (v < Version.TLS12 ? outcome.alert(40) : outcome.alert(70))) }, []],
    ['the profile\'s hello refused with handshake_failure', { profileHello: outcome.alert(40) }, ['NO_SHARED_CIPHER']],
    ['the profile\'s hello refused with insufficient_security', { profileHello: outcome.alert(71) }, ['NO_SHARED_CIPHER']],
    ['the profile\'s hello closed', { profileHello: outcome.closed() }, ['NO_SHARED_CIPHER']],
    ['the profile\'s hello reset', { profileHello: outcome.reset() }, ['NO_SHARED_CIPHER']],
    ['the profile\'s hello refused for its version', { profileHello: outcome.alert(70) }, []],
    ['the profile\'s hello refused with internal_error', { profileHello: outcome.alert(80) }, []],
    ['the profile\'s hello went unanswered', { profileHello: outcome.silent() }, []],
    ['a HelloRetryRequest for the profile', { profileHello: { kind: 'hello-retry', ms: 1, serverHello: serverHello(0, 0) } }, []],
  ])('probe: %s', (_n, over, want) => {
    expect(codes(judgeProbeCiphers(probeRecord(over as never), 40))).toEqual(want);
  });

  it('probe evidence: the suites offered, the answer and what the server accepts', () => {
    const [f] = judgeProbeCiphers(probeRecord({ profileHello: outcome.alert(40), ciphers: { versions: [{ version: Version.TLS12, suites: [{ suite: 0xc009 }], offered: 300 }, { version: Version.TLS13, suites: [], offered: 5 }], untested: { count: 0, kinds: [] } } }), 40);
    expect(f.evidence[0]).toMatch(/^a current browser offers \d+ suites \(TLS_AES_128_GCM_SHA256, .*, \.\.\.\)$/);
    expect(f.evidence.slice(1)).toEqual(['the server answered: alert Handshake Failure (40) in 2.0 ms', 'the server accepts for TLS 1.2: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'the server accepts for TLS 1.3: none of the registry']);
    const [all] = judgeProbeCiphers(probeRecord({ versions: versionProbes([], () => outcome.alert(40)) }), 40);
    expect(all.evidence[0]).toBe('the server refused every probe, TLS 1.2 and TLS 1.3 with handshake_failure: it finds no suite it accepts among the 40 usual ones');
  });
});

describe('alerts judge', () => {
  it.each([
    ['a fatal alert', hello({ alerts: [alert('server', 50, 5, 0.003)] }), ['TLS_ALERT']],
    ['a warning that is not a close', hello({ alerts: [alert('server', 112, 5, 0.003, 'warning')] }), ['TLS_ALERT']],
    ['close_notify', hello({ alerts: [alert('server', 0, 5, 0.003, 'warning')] }), []],
    ['user_canceled', hello({ alerts: [alert('client', 90, 5, 0.003, 'warning')] }), []],
    ['no alert', hello(), []],
    ['an alert after a completed handshake, at the end', completedTls12({ alerts: [alert('client', 50, 30, 0.06)], end: fin('client', 0.06) }), []],
    ['an alert after a completed handshake, before the end', completedTls12({ alerts: [alert('client', 50, 30, 0.04)], end: fin('client', 0.06) }), ['TLS_ALERT']],
    ['an alert after a completed handshake, the capture still open', completedTls12({ alerts: [alert('client', 50, 30, 0.04)] }), ['TLS_ALERT']],
  ])('capture: %s', (_n, r, want) => {
    expect(codes(judgeCaptureAlerts(r, []))).toEqual(want);
  });

  it('an alert another finding cites is left to it', () => {
    const r = hello({ alerts: [alert('server', 70, 5, 0.003)] });
    expect(judgeCaptureAlerts(r, [{ code: 'PROTOCOL_VERSION_MISMATCH', severity: 'error', title: '', remedy: '', evidence: ['x', alertLine(r, r.alerts[0])] }])).toEqual([]);
    expect(judgeCaptureAlerts(r, [{ code: 'PROTOCOL_VERSION_MISMATCH', severity: 'error', title: '', remedy: '', evidence: ['another line'] }])).toHaveLength(1);
  });

  it('the fatal alert comes before an earlier warning', () => {
    const r = hello({ alerts: [alert('server', 112, 5, 0.003, 'warning'), alert('server', 40, 6, 0.004)] });
    expect(decisiveAlert(r)?.description).toBe(40);
    const [f] = judgeCaptureAlerts(r, []);
    expect(f.title).toBe('Fatal alert Handshake Failure from the server');
  });

  it('names what specific alerts mean', () => {
    const fix = (d: number) => judgeCaptureAlerts(hello({ alerts: [alert('server', d, 5, 0.003)] }), [])[0].remedy;
    expect(fix(80)).toMatch(/ssl_protocols TLSv1;/);
    expect(fix(50)).toMatch(/could not parse/);
    expect(fix(112)).toMatch(/server_name/);
    expect(fix(116)).toMatch(/client certificate/);
    expect(fix(47)).toBe('The alert names what the sender rejected; see its description in the evidence.');
  });

  it('capture evidence: the ClientHello, the alert, the end', () => {
    const r = hello({ alerts: [alert('server', 50, 5, 0.003)], end: fin('server') });
    expect(judgeCaptureAlerts(r, [])[0].evidence).toEqual([
      'ClientHello in frame 4 (+2.00 ms): SNI a.test, versions TLS 1.3, TLS 1.2, 2 cipher suites',
      'fatal alert Decode Error (50) from the server in frame 5 (+3.00 ms)',
      'FIN from the server in frame 20 (+50.0 ms), after x',
    ]);
  });

  it.each([
    ['an alert nobody explained', outcome.alert(80), false, ['TLS_ALERT']],
    ['an alert another judge explained', outcome.alert(80), true, []],
    ['a ServerHello', outcome.serverHello(), false, []],
  ])('probe: %s', (_n, h, explained, want) => {
    const fs = judgeProbeAlerts(probeRecord({ hello: h }), explained);
    expect(codes(fs)).toEqual(want);
    if (fs[0]) expect(fs[0].title).toBe('Fatal alert Internal Error from the server');
  });
});

describe('handshake judge', () => {
  const tls13 = (over = {}) => hello({ serverHello: serverHello(5, 0.003, Version.TLS13, 0x1301), version: Version.TLS13, encryptedRecords: [0, 4], encryptedRecordSizes: [[], [30, 800, 300, 70]], ...over });
  it.each([
    ['TLS 1.2 both Finished', completedTls12(), false, ['HANDSHAKE_OK']],
    ['TLS 1.2 both Finished, a certificate fault', completedTls12(), true, ['HANDSHAKE_OK']],
    ['TLS 1.2 server Finished missing', completedTls12({ encryptedFrom: [{ frame: 7, time: T0 }, undefined] }), false, []],
    ['TLS 1.2 client closed after ServerHelloDone', completedTls12({ encryptedFrom: [undefined, undefined], encryptedRecords: [0, 0], encryptedRecordSizes: [[], []], end: fin('client') }), false, ['CLIENT_ABORTED']],
    ['... but a certificate fault explains it', completedTls12({ encryptedFrom: [undefined, undefined], encryptedRecords: [0, 0], encryptedRecordSizes: [[], []], end: fin('client') }), true, []],
    ['TLS 1.2 server closed first, client sent nothing', completedTls12({ encryptedFrom: [undefined, undefined], encryptedRecords: [0, 0], encryptedRecordSizes: [[], []], end: fin('server') }), false, []],
    ['TLS 1.2 without ServerHelloDone', completedTls12({ messages: [], encryptedFrom: [undefined, undefined], encryptedRecords: [0, 0], encryptedRecordSizes: [[], []], end: fin('client') }), false, []],
    ['TLS 1.2 still open', completedTls12({ encryptedFrom: [undefined, undefined], encryptedRecords: [0, 0], encryptedRecordSizes: [[], []] }), false, []],
    ['TLS 1.3 client Finished', tls13({ encryptedRecords: [1, 4], encryptedRecordSizes: [[74], [30, 800]] }), false, ['HANDSHAKE_OK']],
    ['TLS 1.3 two client records', tls13({ encryptedRecords: [2, 4], encryptedRecordSizes: [[20, 20], [30, 800]] }), false, ['HANDSHAKE_OK']],
    ['TLS 1.3 one alert-sized record, server closes', tls13({ encryptedRecords: [1, 4], encryptedRecordSizes: [[19], [30, 800]], end: fin('server') }), false, ['CLIENT_ABORTED']],
    ['TLS 1.3 a 30-byte record is still an alert', tls13({ encryptedRecords: [1, 4], encryptedRecordSizes: [[30], [30, 800]], end: fin('client') }), false, ['CLIENT_ABORTED']],
    ['TLS 1.3 a 31-byte record is a Finished', tls13({ encryptedRecords: [1, 4], encryptedRecordSizes: [[31], [30, 800]], end: fin('client') }), false, ['HANDSHAKE_OK']],
    ['TLS 1.3 no server records yet', tls13({ encryptedRecords: [0, 0], encryptedRecordSizes: [[], []], end: fin('client') }), false, []],
    ['no ServerHello', hello({ end: fin('client') }), false, []],
  ])('capture: %s', (_n, r, explained, want) => {
    expect(codes(judgeCaptureHandshake(r, explained))).toEqual(want);
  });

  it('capture evidence and fixes that fit the version', () => {
    const [ok] = judgeCaptureHandshake(completedTls12({ alpn: 'h2', helloRetryRequest: { frame: 5, time: T0 } }), false);
    expect(ok.evidence).toEqual(['TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ALPN h2', 'ServerHello 1.00 ms after the ClientHello', 'after a HelloRetryRequest in frame 5']);
    const [a13] = judgeCaptureHandshake(tls13({ encryptedRecords: [1, 4], encryptedRecordSizes: [[19], [30, 800]], end: fin('client') }), false);
    expect(a13.remedy).toMatch(/In TLS 1\.3 the certificate/);
    expect(a13.evidence.slice(1, 3)).toEqual(['the server sent 4 encrypted record(s) (its certificate is among them, encrypted)', 'the client sent 1 encrypted record(s) of 19 bytes: the size of an alert, not a Finished']);
    const [a12] = judgeCaptureHandshake(completedTls12({ encryptedFrom: [undefined, undefined], encryptedRecords: [0, 0], encryptedRecordSizes: [[], []], end: fin('client') }), false);
    expect(a12.remedy).not.toMatch(/TLS 1\.3/);
    expect(a12.evidence.slice(1, 3)).toEqual(['the server finished its flight (ServerHelloDone)', 'the client sent no Finished']);
  });

  it('handshake state', () => {
    expect(clientFinished(hello())).toBe(false);
    expect(handshakeComplete(hello({ serverHello: serverHello(5, 0) }))).toBe(false);
    expect(message('server', HandshakeType.ServerHelloDone, 1, 0).name).toBe('Server Hello Done');
  });

  it.each([
    ['a ServerHello', {}, ['HANDSHAKE_OK']],
    ['an alert', { hello: outcome.alert(40) }, []],
    ['no hello', { hello: undefined }, []],
    ['the profile\'s own hello refused', { profileHello: outcome.alert(40) }, []],
    ['the profile\'s own hello retried', { profileHello: { kind: 'hello-retry', ms: 1, serverHello: serverHello(0, 0) } }, ['HANDSHAKE_OK']],
    ['no profile hello', { profileHello: undefined }, ['HANDSHAKE_OK']],
  ])('probe: %s', (_n, over, want) => {
    expect(codes(judgeProbeHandshake(probeRecord(over as never)))).toEqual(want);
  });

  it('probe evidence: the hello, the full handshake, the leaf, the versions', () => {
    const [f] = judgeProbeHandshake(probeRecord());
    expect(f.evidence[0]).toBe('TLS 1.3, TLS_AES_128_GCM_SHA256 in 2.0 ms');
    expect(f.evidence[1]).toBe("full handshake with Node's TLS: TLS 1.3, TLS_AES_128_GCM_SHA256, ALPN h2 in 5 ms");
    expect(f.evidence[2]).toMatch(/^leaf: subject CN=example\.test;.*SHA-256 AA:BB$/);
    const [failed] = judgeProbeHandshake(probeRecord({ full: { ok: false, ms: 1, chain: [], intermediateMissing: false, anchored: false, error: { message: 'boom' } } }));
    expect(failed.evidence[1]).toBe('full handshake failed: boom');
  });
});

describe('negotiation: edges', () => {
  it('a TLS 1.1 ServerHello the client then refuses is the old-version refusal; TLS 1.2 is not', () => {
    const r = (v: number) => connection({ clientHello: clientHello(4, 0, { versions: [Version.TLS12, Version.TLS11] }), serverHello: serverHello(5, 0.003, v), version: v, alerts: [alert('client', 80, 6, 0.004)] });
    expect(codes(judgeCaptureVersions(r(Version.TLS11)))).toEqual(['PROTOCOL_VERSION_MISMATCH', 'DEPRECATED_PROTOCOL']);
    expect(codes(judgeCaptureVersions(r(Version.TLS12)))).toEqual([]);
  });

  it('a server alert after a TLS 1.0 ServerHello is not the client refusing it', () => {
    const r = connection({ clientHello: clientHello(4, 0, { versions: [Version.TLS12, Version.TLS10] }), serverHello: serverHello(5, 0.003, Version.TLS10), alerts: [alert('server', 80, 6, 0.004)] });
    expect(codes(judgeCaptureVersions(r))).toEqual([]);
  });

  it('probe evidence of the deprecated versions', () => {
    const fs = judgeProbeVersions(probeRecord({ versions: versionProbes([Version.TLS10, Version.TLS12, Version.TLS13]) }));
    expect(fs[0].evidence[0]).toBe('the server accepts TLS 1.0');
    expect(fs[0].evidence).toHaveLength(5);
  });

  it('internal_error for the first hello and none of the versions is not the library refusing its configuration', () => {
    expect(codes(judgeProbeVersions(probeRecord({ hello: outcome.alert(80), versions: versionProbes([], () => outcome.alert(70)) })))).toEqual(['PROTOCOL_VERSION_MISMATCH']);
    expect(codes(judgeProbeVersions(probeRecord({ hello: outcome.silent(), versions: versionProbes([], () => outcome.alert(80)) })))).toEqual(['PROTOCOL_VERSION_MISMATCH']);
    const some = versionProbes([], (v) => (v === Version.TLS10 ? outcome.alert(80) : outcome.alert(70)));
    expect(judgeProbeVersions(probeRecord({ hello: outcome.alert(80), versions: some })).find((f) => f.code === 'SERVER_TLS_CONFIG_UNUSABLE')!.evidence[0]).toMatch(/the hellos for TLS 1\.0, with/);
  });

  it('handshake_failure for a profile version over a ServerHello elsewhere is no cipher refusal', () => {
    const versions = versionProbes([], (v) => (v === Version.TLS12 ? outcome.alert(40) : outcome.silent()));
    expect(codes(judgeProbeCiphers(probeRecord({ versions }), 40))).toEqual(['NO_SHARED_CIPHER']);
    const outside = versionProbes([], (v) => (v === Version.TLS10 ? outcome.alert(40) : outcome.silent()));
    expect(codes(judgeProbeCiphers(probeRecord({ versions: outside }), 40))).toEqual([]);
  });

  it('exactly eight suites are listed without an ellipsis', () => {
    const r = hello({ clientHello: clientHello(4, 0, { suites: [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9] }), alerts: [alert('server', 40, 5, 0.003)] });
    expect(judgeCaptureCiphers(r)[0].evidence[0]).not.toMatch(/\.\.\./);
    expect(judgeCaptureCiphers(r)[0].evidence[2]).toMatch(/^no ServerHello/);
  });

  it('probe alert evidence', () => {
    const [f] = judgeProbeAlerts(probeRecord({ hello: outcome.alert(112), versions: [] }), false);
    expect(f.evidence).toEqual(['the server answered with alert Unrecognized Name (112) in 2.0 ms']);
    expect(judgeProbeAlerts(probeRecord({ hello: undefined }), false)).toEqual([]);
  });

  it('ServerHelloDone must be the server\'s', () => {
    const r = (messages: ReturnType<typeof message>[]) => completedTls12({ messages, encryptedFrom: [undefined, undefined], encryptedRecords: [0, 0], encryptedRecordSizes: [[], []], end: fin('client') });
    expect(judgeCaptureHandshake(r([message('client', HandshakeType.ServerHelloDone, 5, 0)]), false)).toEqual([]);
    expect(judgeCaptureHandshake(r([message('server', HandshakeType.Certificate, 5, 0)]), false)).toEqual([]);
    expect(codes(judgeCaptureHandshake(r([message('server', HandshakeType.Certificate, 5, 0), message('server', HandshakeType.ServerHelloDone, 5, 0)]), false))).toEqual(['CLIENT_ABORTED']);
  });

  it('handshake state at its edges', () => {
    const base = completedTls12();
    expect(clientFinished({ ...base, serverHello: undefined } as never)).toBe(false);
    expect(clientFinished({ ...base, encryptedRecords: [0, 2] } as never)).toBe(false);
    expect(clientFinished({ ...base, encryptedFrom: [undefined, base.encryptedFrom[1]] } as never)).toBe(false);
    expect(clientFinished(base)).toBe(true);
    expect(handshakeComplete({ ...base, encryptedFrom: [base.encryptedFrom[0], undefined] } as never)).toBe(false);
    const tls13 = { ...base, version: Version.TLS13, encryptedRecordSizes: [[74], []] as [number[], number[]] };
    expect(clientFinished({ ...tls13, encryptedRecordSizes: [[], []] } as never)).toBe(false);
    expect(handshakeComplete({ ...tls13, encryptedRecords: [1, 0] } as never)).toBe(false);
    expect(handshakeComplete({ ...tls13, encryptedRecords: [1, 1] } as never)).toBe(true);
    expect(clientFinished({ ...tls13, version: Version.TLS12, encryptedFrom: [undefined, undefined] } as never)).toBe(false);
  });

  it('probe handshake evidence without a full handshake, and a leaf without SANs', () => {
    expect(judgeProbeHandshake(probeRecord({ full: undefined }))[0].evidence[0]).toBe('TLS 1.3, TLS_AES_128_GCM_SHA256 in 2.0 ms');
    expect(judgeProbeHandshake(probeRecord({ full: undefined }))[0].evidence[1]).toMatch(/^TLS 1\.0: refused/);
    const bare = probeRecord({ full: { ok: true, ms: 5, version: 0x0303, cipher: 'C', alpn: false, chain: [{ ...probeRecord().full!.chain[0], sans: [] }], intermediateMissing: false, anchored: true } });
    const ev = judgeProbeHandshake(bare)[0].evidence;
    expect(ev[1]).toBe("full handshake with Node's TLS: TLS 1.2, C in 5 ms");
    expect(ev[2]).toMatch(/SANs \(none\)/);
  });

  it('the abort\'s record sizes and the completed handshake\'s lines', () => {
    const r = hello({ serverHello: serverHello(5, 0.003, Version.TLS13, 0x1301), version: Version.TLS13, encryptedRecords: [1, 4], encryptedRecordSizes: [[19], [30]], end: fin('client') });
    expect(judgeCaptureHandshake(r, false)[0].evidence[0]).toBe('ServerHello in frame 5: TLS 1.3, TLS_AES_128_GCM_SHA256');
    expect(judgeCaptureHandshake(completedTls12({ clientHello: undefined }), false)[0].evidence).toEqual(['TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ServerHello 0.00 ms after the ClientHello']);
  });
});
