import { describe, expect, it } from 'vitest';
import { Version } from '@tlsdoctor/tls-parser-ts';
import { diagnoseConnection } from './capture.js';
import { CODES, finding, type Code } from './codes.js';
import { decide } from './engine.js';
import { alert, cert, clientHello, completedTls12, connection, intermediate, NOW_MS, outcome, probeRecord, T0, versionProbes } from './facts.fixtures.js';
import { worst } from './finding.js';
import { PRECEDENCE } from './precedence.js';
import { diagnoseProbe } from './probe.js';

const codes = (fs: { code: string }[]) => fs.map((f) => f.code);
const f = (code: Code, evidence = ['e']) => finding(code, evidence);

describe('engine', () => {
  it('orders findings by precedence', () => {
    expect(codes(decide([f('HSTS_MISSING'), f('CERT_EXPIRED'), f('CERT_HOSTNAME_MISMATCH'), f('TCP_TIMEOUT')]))).toEqual(['TCP_TIMEOUT', 'CERT_HOSTNAME_MISMATCH', 'CERT_EXPIRED', 'HSTS_MISSING']);
  });

  it('lists a code once, with the first evidence', () => {
    const out = decide([f('NO_SHARED_CIPHER', ['first']), f('NO_SHARED_CIPHER', ['second'])]);
    expect(out).toHaveLength(1);
    expect(out[0].evidence).toEqual(['first']);
  });

  it('drops an ok finding beside an error, not beside a warning', () => {
    expect(codes(decide([f('HANDSHAKE_OK'), f('CERT_EXPIRED')]))).toEqual(['CERT_EXPIRED']);
    expect(codes(decide([f('DEPRECATED_PROTOCOL'), f('HANDSHAKE_OK')]))).toEqual(['HANDSHAKE_OK', 'DEPRECATED_PROTOCOL']);
    expect(decide([])).toEqual([]);
  });

  it('refuses a code without a place', () => {
    expect(() => decide([{ ...f('HSTS_MISSING'), code: 'NOT_A_CODE' }, f('HSTS_MISSING')])).toThrow(/NOT_A_CODE has no place/);
  });

  it('every error outranks every non-error except where the order says why', () => {
    const firstNonError = PRECEDENCE.findIndex((p) => CODES[p.code].severity !== 'error');
    const lastError = PRECEDENCE.map((p) => CODES[p.code].severity).lastIndexOf('error');
    expect(lastError).toBeLessThan(firstNonError);
  });

  it('worst severity', () => {
    expect(worst([])).toBe('ok');
    expect(worst(['info', 'warning', 'ok'])).toBe('warning');
    expect(worst(['info', 'error', 'warning'])).toBe('error');
    expect(worst(['ok', 'info'])).toBe('info');
  });
});

describe('one captured connection, every finding', () => {
  const chain = (leaf = cert()) => ({ certificates: [leaf, intermediate()], certificatesFrame: 6, certificatesTime: NOW_MS / 1000 });
  const expiredLeaf = cert({ notAfter: new Date(NOW_MS - 86_400_000).toISOString() });

  it('an expired leaf that does not cover the name: both, the name first', () => {
    const r = completedTls12({ ...chain(expiredLeaf), sni: 'other.test', alerts: [alert('client', 45, 8, 0.01)], encryptedFrom: [undefined, undefined], encryptedRecords: [0, 0], end: { how: 'fin', by: 'client', frame: 9, time: T0 + 0.02, after: 'alert' } });
    const fs = diagnoseConnection(r, { captureEnd: T0 + 5 });
    expect(codes(fs)).toEqual(['CERT_HOSTNAME_MISMATCH', 'CERT_EXPIRED']);
    expect(fs[1].evidence[0]).toMatch(/Certificate Expired \(45\) from the client/);
  });

  it('an alert cited by the certificate judge is not a TLS_ALERT too; an uncited one is', () => {
    const r = (d: number) => completedTls12({ ...chain(), encryptedFrom: [undefined, undefined], encryptedRecords: [0, 0], alerts: [alert('client', d, 8, 0.01)] });
    expect(codes(diagnoseConnection(r(48), { captureEnd: T0 + 5 }))).toEqual(['CERT_UNTRUSTED']);
    expect(codes(diagnoseConnection(r(44), { captureEnd: T0 + 5 }))).toEqual(['TLS_ALERT']);
  });

  it('a version mismatch cites its alert; the alert is not listed twice', () => {
    const r = connection({ clientHello: clientHello(4, 0.002), alerts: [alert('server', 70, 5, 0.003)], end: { how: 'fin', by: 'server', frame: 6, time: T0 + 0.004, after: 'alert' } });
    expect(codes(diagnoseConnection(r, { captureEnd: T0 + 5 }))).toEqual(['PROTOCOL_VERSION_MISMATCH']);
  });

  it('an abort a certificate fault explains is not CLIENT_ABORTED; one without is', () => {
    const aborted = (leaf = cert()) => completedTls12({ ...chain(leaf), encryptedFrom: [undefined, undefined], encryptedRecords: [0, 0], encryptedRecordSizes: [[], []], end: { how: 'fin', by: 'client', frame: 9, time: T0 + 0.02, after: 'ServerHelloDone' } });
    expect(codes(diagnoseConnection(aborted(expiredLeaf), { captureEnd: T0 + 5 }))).toEqual(['CERT_EXPIRED']);
    expect(codes(diagnoseConnection(aborted(), { captureEnd: T0 + 5 }))).toEqual(['CLIENT_ABORTED']);
  });

  it('a handshake that completed with a deprecated version: ok, then the warning', () => {
    const r = completedTls12({ serverHello: { ...completedTls12().serverHello!, version: Version.TLS10 }, version: Version.TLS10, clientHello: clientHello(4, 0.002, { versions: [Version.TLS12, Version.TLS10] }) });
    expect(codes(diagnoseConnection(r, { captureEnd: T0 + 5 }))).toEqual(['HANDSHAKE_OK', 'DEPRECATED_PROTOCOL']);
  });

  it('the gate: nothing but CAPTURE_PARTIAL without SYN and ClientHello', () => {
    const r = connection({ startCaptured: false, nonTls: { from: 'server', frame: 3, time: T0, description: { kind: 'binary', summary: 'x', hexPrefix: '00' } } as never });
    expect(codes(diagnoseConnection(r, { captureEnd: T0 + 5 }))).toEqual(['CAPTURE_PARTIAL']);
  });

  it('nothing found: the handshake was cut short', () => {
    const r = connection({ clientHello: clientHello(4, 0.002), serverHello: completedTls12().serverHello, version: Version.TLS12 });
    const fs = diagnoseConnection(r, { captureEnd: T0 + 5 });
    expect(codes(fs)).toEqual(['CAPTURE_PARTIAL']);
    expect(fs[0].evidence).toContain('the capture ends before the handshake does');
  });
});

describe('one probed address, every finding', () => {
  it('an expired leaf that does not cover the name: both, and the fix is not just "renew"', () => {
    const full = { ok: true, ms: 5, chain: [cert({ notAfter: new Date(NOW_MS - 86_400_000).toISOString(), sans: ['other.test'] }), intermediate()], authorizationError: 'CERT_HAS_EXPIRED', hostnameError: 'no match', intermediateMissing: false, anchored: true };
    const fs = diagnoseProbe(probeRecord({ full }), NOW_MS);
    expect(codes(fs)).toEqual(['CERT_HOSTNAME_MISMATCH', 'CERT_EXPIRED']);
    expect(fs[0].remedy).toMatch(/renewal with the same names will not fix it/);
  });

  it('NO_SHARED_CIPHER and PROTOCOL_VERSION_MISMATCH are told apart', () => {
    expect(codes(diagnoseProbe(probeRecord({ hello: outcome.alert(40), profileHello: outcome.alert(40), versions: versionProbes([], () => outcome.alert(40)) }), NOW_MS))).toEqual(['NO_SHARED_CIPHER']);
    expect(codes(diagnoseProbe(probeRecord({ hello: outcome.alert(70), profileHello: outcome.alert(70), versions: versionProbes([], () => outcome.alert(70)) }), NOW_MS))).toEqual(['PROTOCOL_VERSION_MISMATCH']);
  });

  it('a server whose library refuses its configuration: the mismatch, and why', () => {
    const r = probeRecord({ hello: outcome.alert(80), profileHello: outcome.alert(80), versions: versionProbes([], () => outcome.alert(80)) });
    expect(codes(diagnoseProbe(r, NOW_MS))).toEqual(['PROTOCOL_VERSION_MISMATCH', 'SERVER_TLS_CONFIG_UNUSABLE']);
  });

  it('an alert nothing else explains is TLS_ALERT', () => {
    expect(codes(diagnoseProbe(probeRecord({ hello: outcome.alert(112), profileHello: undefined, versions: [] }), NOW_MS))).toEqual(['TLS_ALERT']);
  });

  it('a healthy server with warnings: ok first', () => {
    const r = probeRecord({ versions: versionProbes([Version.TLS11, Version.TLS12, Version.TLS13]), hsts: { status: 200 }, redirect: { hops: [{ url: 'http://example.test/', error: 'refused', errorCode: 'ECONNREFUSED' }] } });
    expect(codes(diagnoseProbe(r, NOW_MS))).toEqual(['HANDSHAKE_OK', 'DEPRECATED_PROTOCOL', 'HTTP_PORT_CLOSED', 'HSTS_MISSING']);
  });
});
