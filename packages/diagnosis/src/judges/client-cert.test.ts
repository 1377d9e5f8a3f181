// Client certificates: asked for and refused (required), or asked for and done without (requested).
import { describe, expect, it } from 'vitest';
import { AlertDescription as A, HandshakeType as H, Version } from '@tlsdoctor/tls-parser-ts';
import { diagnoseConnection } from '../capture.js';
import { diagnoseProbe } from '../probe.js';
import { alert, cert, completedTls12, connection, clientHello, message, NOW_MS, outcome, probeRecord, serverHello, T0, versionProbes } from '../facts.fixtures.js';
import { judgeCaptureClientCert, judgeProbeClientCert } from './client-cert.js';

const codes = (fs: { code: string }[]) => fs.map((f) => f.code);
// A TLS 1.2 exchange as a capture lists it: the client's hello, then the server's whole flight
// (its own Certificate among it), so that a judge must pick each message by sender and type.
const asked = [
  message('client', H.ClientHello, 4, 0.002),
  message('server', H.ServerHello, 5, 0.003),
  message('server', H.Certificate, 5, 0.003),
  message('server', H.CertificateRequest, 5, 0.003),
  message('server', H.ServerHelloDone, 5, 0.003),
];
/** A client's chain of `n` certificates (its leaf a client certificate by its extendedKeyUsage). */
const chainOf = (n: number) => Array.from({ length: n }, (_x, i) => cert({ subject: i === 0 ? 'CN=lab client' : `CN=Lab CA ${i}`, issuer: `CN=Lab CA ${i + 1}`, fingerprint256: `0${i}`, profile: { signatureAlgorithm: 'ecdsa-with-SHA256', extKeyUsage: i === 0 ? ['clientAuth'] : undefined } }));
const withClientCert = (n: number | undefined) => (n === undefined ? {} : { clientCertificates: chainOf(n) });
const answered = (n: number | undefined) => (n === undefined ? [] : [message('client', H.Certificate, 7, 0.004), message('client', H.ClientKeyExchange, 7, 0.004)]);

/** A TLS 1.2 handshake that stopped at the server's alert after the client's answer. */
function refused(description: number, clientCerts: number | undefined, from: 'server' | 'client' = 'server') {
  return connection({
    clientHello: clientHello(4, 0.002),
    serverHello: serverHello(5, 0.003),
    version: Version.TLS12,
    certificateRequested: true,
    ...withClientCert(clientCerts),
    messages: [...asked, ...answered(clientCerts)],
    alerts: [alert(from, description, 8, 0.005)],
  });
}

describe('client certificate, capture', () => {
  it.each([
    // [what, record, codes]
    ['not asked', completedTls12(), []],
    ['asked, an empty Certificate, handshake_failure', refused(A.HandshakeFailure, 0), ['CLIENT_CERT_REQUIRED']],
    ['asked, no Certificate at all, certificate_required', refused(A.CertificateRequired, undefined), ['CLIENT_CERT_REQUIRED']],
    ['asked, one certificate, unknown_ca: that certificate refused', refused(A.UnknownCA, 1), ['CLIENT_CERT_REJECTED']],
    ['asked, bad_certificate', refused(A.BadCertificate, 1), ['CLIENT_CERT_REJECTED']],
    ['asked, access_denied', refused(A.AccessDenied, 0), ['CLIENT_CERT_REQUIRED']],
    ['asked, unsupported_certificate', refused(A.UnsupportedCertificate, 1), ['CLIENT_CERT_REJECTED']],
    ['asked, certificate_unknown', refused(A.CertificateUnknown, 1), ['CLIENT_CERT_REJECTED']],
    ['asked, an alert of another kind is not this', refused(A.DecodeError, 0), []],
    ['asked, the client\'s own alert is not the server\'s refusal', refused(A.HandshakeFailure, 0, 'client'), []],
    ['asked, a warning is not a refusal', connection({ ...refused(A.HandshakeFailure, 0), alerts: [alert('server', A.HandshakeFailure, 8, 0.005, 'warning')] }), []],
    ['asked, completed with an empty Certificate', completedTls12({ certificateRequested: true, ...withClientCert(0), messages: [...asked, ...answered(0)] }), ['CLIENT_CERT_REQUESTED']],
    ['asked, completed without a Certificate message', completedTls12({ certificateRequested: true, messages: asked }), ['CLIENT_CERT_REQUESTED']],
    ['asked, completed with a certificate: nothing to say', completedTls12({ certificateRequested: true, ...withClientCert(1), messages: [...asked, ...answered(1)] }), []],
    ['asked, not completed and no alert: nothing yet', connection({ clientHello: clientHello(4, 0.002), serverHello: serverHello(5, 0.003), version: Version.TLS12, certificateRequested: true, messages: asked }), []],
  ])('%s', (_what, r, want) => {
    expect(codes(judgeCaptureClientCert(r))).toEqual(want);
  });

  it('an alert before the CertificateRequest is not the answer to it', () => {
    const r = refused(A.HandshakeFailure, 0);
    r.messages = [message('server', H.ServerHello, 5, 0.003), message('server', H.CertificateRequest, 9, 0.006)];
    expect(judgeCaptureClientCert(r)).toEqual([]);
  });

  it('evidence: the request, the answer, the alert; the alert is not also TLS_ALERT', () => {
    const [f] = judgeCaptureClientCert(refused(A.HandshakeFailure, 0));
    expect(f.evidence).toEqual([
      'CertificateRequest from the server in frame 5 (+3.00 ms)',
      'the client answered with an empty Certificate in frame 7: it has none to give',
      'fatal alert Handshake Failure (40) from the server in frame 8 (+5.00 ms)',
    ]);
    expect(judgeCaptureClientCert(refused(A.UnknownCA, 2)).at(0)?.evidence[1]).toBe('the client sent 2 certificate(s) in frame 7: CN=lab client, issued by CN=Lab CA 1');
    expect(judgeCaptureClientCert(refused(A.CertificateRequired, undefined)).at(0)?.evidence[1]).toBe('the client sent no Certificate message');
    // A Certificate message seen that did not parse (its parse error is the record's): neither none nor empty.
    const unread = connection({ ...refused(A.BadCertificate, undefined), messages: [...asked, ...answered(1)] });
    expect(judgeCaptureClientCert(unread).map((f) => [f.code, f.evidence[1]])).toEqual([['CLIENT_CERT_REJECTED', "the client's Certificate in frame 7 could not be read"]]);
    expect(codes(diagnoseConnection(refused(A.HandshakeFailure, 0), { captureEnd: T0 + 10 }))).toEqual(['CLIENT_CERT_REQUIRED']);
  });

  it('requested only: the handshake is still the primary verdict', () => {
    const r = completedTls12({ certificateRequested: true, ...withClientCert(0), messages: [...asked, ...answered(0)] });
    expect(codes(diagnoseConnection(r, { captureEnd: T0 + 10 }))).toEqual(['HANDSHAKE_OK', 'CLIENT_CERT_REQUESTED']);
  });
});

const status = (line: string) => ({ serverStatusLine: { frame: 12, time: T0 + 0.0057, line } });

describe('client certificate, TLS 1.3 capture opened with a key log', () => {
  /** The server's flight (4 records opened) then `after`, the sizes of its records under application keys. */
  const tls13 = (after: number[], end: 'server' | 'client' | null = 'server', over: Parameters<typeof connection>[0] = {}) =>
    connection({
      clientHello: clientHello(4, 0.002),
      serverHello: serverHello(6, 0.003, Version.TLS13, 0x1302),
      version: Version.TLS13,
      certificateRequested: true,
      ...withClientCert(0),
      messages: [message('server', H.CertificateRequest, 6, 0.003), message('client', H.Certificate, 8, 0.004)],
      decryption: { secrets: true, opened: [2, 4] },
      encryptedRecords: [2, 4 + after.length],
      encryptedRecordSizes: [[40, 53], [40, 800, 100, 69, ...after]],
      ...(end ? { end: { frame: 10, time: T0 + 0.006, how: 'fin' as const, by: end, after: 'encrypted records' } } : {}),
      ...over,
    });
  it.each([
    // [what, record, codes]
    ['an alert-sized record, then the server ends it: refused', tls13([19]), ['CLIENT_CERT_REQUIRED']],
    ['the largest record an alert can be', tls13([30]), ['CLIENT_CERT_REQUIRED']],
    ['a session ticket instead: taken (nginx refuses later, over HTTP)', tls13([250]), ['CLIENT_CERT_REQUESTED']],
    ['the client ended it (its close_notify after its Finished): the record still is the refusal', tls13([19], 'client'), ['CLIENT_CERT_REQUIRED']],
    ['still open: the handshake is done, the refusal not yet seen', tls13([19], null), ['CLIENT_CERT_REQUESTED']],
    ['nothing after the flight', tls13([]), ['CLIENT_CERT_REQUESTED']],
    ['the client gave a certificate: that certificate refused', tls13([19], 'server', withClientCert(1)), ['CLIENT_CERT_REJECTED']],
    ['no key log: nothing is known of the records', tls13([19], 'server', { decryption: undefined }), ['CLIENT_CERT_REQUESTED']],
    ['the client\'s flight opened but no Certificate in it: refused all the same', tls13([19], 'server', { clientCertificates: undefined, messages: [message('server', H.CertificateRequest, 6, 0.003)] }), ['CLIENT_CERT_REQUIRED']],
    ['TLS 1.2 has its refusal in clear: a record alone is not one', tls13([19], 'server', { version: Version.TLS12 }), []],
    // The status line of the server's first answer, opened with its application secret.
    ['tickets, then nginx\'s 400: refused at the HTTP level', tls13([250, 250, 400], 'server', status('HTTP/1.1 400 Bad Request')), ['CLIENT_CERT_REQUIRED']],
    ['IIS\'s 403 (403.7)', tls13([250, 400], 'server', status('HTTP/1.1 403 Forbidden')), ['CLIENT_CERT_REQUIRED']],
    ['495 sent as it is', tls13([250, 400], null, status('HTTP/1.1 495 SSL Certificate Error')), ['CLIENT_CERT_REQUIRED']],
    ['496 sent as it is, the connection still open', tls13([250, 400], null, status('HTTP/1.1 496')), ['CLIENT_CERT_REQUIRED']],
    ['a 200: it went on without one', tls13([250, 400], 'server', status('HTTP/1.1 200 OK')), ['CLIENT_CERT_REQUESTED']],
    ['a 404 is not a refusal of the client', tls13([250, 400], 'server', status('HTTP/1.1 404 Not Found')), ['CLIENT_CERT_REQUESTED']],
    ['a 401 is not either', tls13([250, 400], 'server', status('HTTP/1.1 401 Unauthorized')), ['CLIENT_CERT_REQUESTED']],
    ['a 400 to a client that gave a certificate: nginx refusing that certificate ("The SSL certificate error")', tls13([250, 400], 'server', { ...status('HTTP/1.1 400 Bad Request'), ...withClientCert(1) }), ['CLIENT_CERT_REJECTED']],
    ['a 200 to a client that gave a client certificate: taken', tls13([250, 400], 'server', { ...status('HTTP/1.1 200 OK'), ...withClientCert(1) }), ['CLIENT_CERT_ACCEPTED']],
  ] as [string, ReturnType<typeof connection>, string[]][])('%s', (_what, r, want) => {
    expect(codes(judgeCaptureClientCert(r))).toEqual(want);
  });

  it('a browser with no certificate to offer leaves at the request: required', () => {
    const left = (over: Parameters<typeof connection>[0]) =>
      connection({ clientHello: clientHello(4, 0.002), serverHello: serverHello(6, 0.003, Version.TLS13, 0x1301), version: Version.TLS13, certificateRequested: true, messages: [message('client', H.ClientHello, 4, 0.002), message('server', H.CertificateRequest, 6, 0.003)], encryptedRecords: [0, 4], encryptedRecordSizes: [[], [40, 800, 100, 69]], ...over });
    const fin = (by: 'client' | 'server') => ({ end: { frame: 9, time: T0 + 0.05, how: 'fin' as const, by, after: 'Finished' } });
    const [f] = judgeCaptureClientCert(left(fin('client')));
    expect(f.code).toBe('CLIENT_CERT_REQUIRED');
    expect(f.evidence).toEqual(['CertificateRequest from the server in frame 6 (+3.00 ms)', 'the client left without answering it: no Certificate and no Finished', 'FIN from the client in frame 9 (+50.0 ms), after Finished: browsers stop here when they have no certificate to offer (Chromium: ERR_SSL_CLIENT_AUTH_CERT_NEEDED)']);
    expect(judgeCaptureClientCert(left(fin('server')))).toEqual([]);
    expect(judgeCaptureClientCert(left({}))).toEqual([]);
    expect(judgeCaptureClientCert(left({ ...fin('client'), messages: [message('server', H.CertificateRequest, 6, 0.003), message('client', H.Certificate, 8, 0.004)] }))).toEqual([]);
  });

  it('quotes the status line, says where it was read and that nothing else was', () => {
    const line = "the server's first application data record (frame 12, +5.70 ms), opened with the key log's SERVER_TRAFFIC_SECRET_0, begins \"HTTP/1.1 400 Bad Request\" (only this line of the application data is read)";
    const asked = ['CertificateRequest from the server in frame 6 (+3.00 ms)', 'the client answered with an empty Certificate in frame 8: it has none to give', 'the handshake completed without a client certificate'];
    expect(judgeCaptureClientCert(tls13([250, 400], 'server', status('HTTP/1.1 400 Bad Request')))[0].evidence).toEqual([...asked, line]);
    expect(judgeCaptureClientCert(tls13([250, 400], 'server', status('HTTP/1.1 200 OK')))[0].evidence).toEqual([...asked, `${line.replace('400 Bad Request', '200 OK')}: it went on without one`]);
  });

  it('says what it read and what it inferred', () => {
    expect(judgeCaptureClientCert(tls13([19]))[0].evidence).toEqual([
      'CertificateRequest from the server in frame 6 (+3.00 ms)',
      'the client answered with an empty Certificate in frame 8: it has none to give',
      "after the client's answer the server's first record under its application keys, which tlsdoctor opens for an HTTP status line only, has 19 bytes: the size of an alert (a TLS 1.3 server refuses with certificate_required, 116), not of the session tickets a server that goes on sends first; FIN from the server in frame 10 (+6.00 ms), after encrypted records",
    ]);
  });
});

describe('client certificate, capture: its purpose', () => {
  const profile = (extKeyUsage?: string[], keyUsage?: string[]) => ({ signatureAlgorithm: 'ecdsa-with-SHA256', ...(extKeyUsage ? { extKeyUsage } : {}), ...(keyUsage ? { keyUsage } : {}) });
  const leaf = (p: ReturnType<typeof profile>) => cert({ subject: 'CN=good.lab.test', issuer: 'CN=Lab Intermediate', fingerprint256: '01', profile: p });
  const ca = (p: ReturnType<typeof profile>) => cert({ subject: 'CN=Lab Intermediate', issuer: 'CN=Lab Root', isCA: true, fingerprint256: '02', profile: p });
  const serverOnly = [leaf(profile(['serverAuth']))];
  const clientOnly = [leaf(profile(['clientAuth']))];
  const tls12 = (chain: ReturnType<typeof cert>[], alertDescription?: number) =>
    alertDescription === undefined
      ? completedTls12({ certificateRequested: true, clientCertificates: chain, messages: [...asked, ...answered(1)] })
      : connection({ ...refused(alertDescription, 1), clientCertificates: chain });
  const tls13 = (chain: ReturnType<typeof cert>[], line?: string, after: number[] = [250, 400]) =>
    connection({
      clientHello: clientHello(4, 0.002),
      serverHello: serverHello(6, 0.003, Version.TLS13, 0x1302),
      version: Version.TLS13,
      certificateRequested: true,
      clientCertificates: chain,
      messages: [message('server', H.CertificateRequest, 6, 0.003), message('client', H.Certificate, 8, 0.004)],
      decryption: { secrets: true, opened: [3, 4] },
      encryptedRecords: [3, 4 + after.length],
      encryptedRecordSizes: [[900, 100, 53], [40, 800, 100, 69, ...after]],
      end: { frame: 10, time: T0 + 0.006, how: 'fin' as const, by: 'server' as const, after: 'encrypted records' },
      ...(line ? status(line) : {}),
    });
  it.each([
    // [what, record, [code, severity] of each finding]
    ['TLS 1.2, serverAuth only, bad_certificate (42)', tls12(serverOnly, A.BadCertificate), [['CLIENT_CERT_REJECTED', 'error'], ['CERT_WRONG_PURPOSE', 'error']]],
    ['TLS 1.2, serverAuth only, unsupported_certificate (43)', tls12(serverOnly, A.UnsupportedCertificate), [['CLIENT_CERT_REJECTED', 'error'], ['CERT_WRONG_PURPOSE', 'error']]],
    ['TLS 1.2, serverAuth only, certificate_unknown (46)', tls12(serverOnly, A.CertificateUnknown), [['CLIENT_CERT_REJECTED', 'error'], ['CERT_WRONG_PURPOSE', 'error']]],
    ['TLS 1.2, clientAuth, unknown_ca: refused for another reason', tls12(clientOnly, A.UnknownCA), [['CLIENT_CERT_REJECTED', 'error']]],
    ['TLS 1.2, serverAuth only, unknown_ca: the path failed first, the purpose a warning', tls12(serverOnly, A.UnknownCA), [['CLIENT_CERT_REJECTED', 'error'], ['CERT_WRONG_PURPOSE', 'warning']]],
    ['TLS 1.2, serverAuth only, access_denied: not the purpose\'s refusal', tls12(serverOnly, A.AccessDenied), [['CLIENT_CERT_REJECTED', 'error'], ['CERT_WRONG_PURPOSE', 'warning']]],
    ['TLS 1.2, serverAuth only, handshake_failure: too generic to blame the purpose', tls12(serverOnly, A.HandshakeFailure), [['CLIENT_CERT_REJECTED', 'error'], ['CERT_WRONG_PURPOSE', 'warning']]],
    ['TLS 1.2, both purposes, refused: not the purpose', tls12([leaf(profile(['serverAuth', 'clientAuth']))], A.BadCertificate), [['CLIENT_CERT_REJECTED', 'error']]],
    ['TLS 1.2, anyExtendedKeyUsage counts as clientAuth', tls12([leaf(profile(['anyExtendedKeyUsage']))], A.BadCertificate), [['CLIENT_CERT_REJECTED', 'error']]],
    ['TLS 1.2, no extendedKeyUsage: no limit', tls12([leaf(profile())], A.BadCertificate), [['CLIENT_CERT_REJECTED', 'error']]],
    ['TLS 1.2, no profile read: the rule passes over it', tls12([cert({ subject: 'CN=x', issuer: 'CN=y' })], A.BadCertificate), [['CLIENT_CERT_REJECTED', 'error']]],
    ['TLS 1.2, the CA limits its leaves to serverAuth', tls12([leaf(profile()), ca(profile(['serverAuth']))], A.UnsupportedCertificate), [['CLIENT_CERT_REJECTED', 'error'], ['CERT_WRONG_PURPOSE', 'error']]],
    ['TLS 1.2, keyUsage without digitalSignature', tls12([leaf(profile(['clientAuth'], ['keyEncipherment']))], A.BadCertificate), [['CLIENT_CERT_REJECTED', 'error'], ['CERT_WRONG_PURPOSE', 'error']]],
    ['TLS 1.2, serverAuth only, completed: the refusal not seen, a warning', tls12(serverOnly), [['CERT_WRONG_PURPOSE', 'warning']]],
    ['TLS 1.2, clientAuth, completed: nothing to say', tls12(clientOnly), []],
    ['TLS 1.2, an empty Certificate: the purpose of nothing', connection({ ...refused(A.BadCertificate, 0) }), [['CLIENT_CERT_REQUIRED', 'error']]],
    ['TLS 1.3 key log, serverAuth only, nginx\'s 400', tls13(serverOnly, 'HTTP/1.1 400 Bad Request'), [['CLIENT_CERT_REJECTED', 'error'], ['CERT_WRONG_PURPOSE', 'error']]],
    ['TLS 1.3 key log, serverAuth only, an alert-sized record and the end', tls13(serverOnly, undefined, [24]), [['CLIENT_CERT_REJECTED', 'error'], ['CERT_WRONG_PURPOSE', 'error']]],
    ['TLS 1.3 key log, serverAuth only, a 200: taken, a warning', tls13(serverOnly, 'HTTP/1.1 200 OK'), [['CLIENT_CERT_ACCEPTED', 'info'], ['CERT_WRONG_PURPOSE', 'warning']]],
    ['TLS 1.3 key log, serverAuth only, a 404: taken (the path is not the certificate\'s fault)', tls13(serverOnly, 'HTTP/1.1 404 Not Found'), [['CLIENT_CERT_ACCEPTED', 'info'], ['CERT_WRONG_PURPOSE', 'warning']]],
    ['TLS 1.3 key log, serverAuth only, tickets and no status line: a warning', tls13(serverOnly), [['CERT_WRONG_PURPOSE', 'warning']]],
    ['TLS 1.3 key log, clientAuth, a 200', tls13(clientOnly, 'HTTP/1.1 200 OK'), [['CLIENT_CERT_ACCEPTED', 'info']]],
  ] as [string, ReturnType<typeof connection>, [string, string][]][])('%s', (_what, r, want) => {
    expect(judgeCaptureClientCert(r).map((f) => [f.code, f.severity])).toEqual(want);
  });

  it('says where the certificate was read, what it lacks, and why a certificate taken is only a warning', () => {
    const [rejected, purpose] = judgeCaptureClientCert(tls12(serverOnly, A.UnsupportedCertificate));
    const sent = 'the client sent 1 certificate(s) in frame 7: CN=good.lab.test, issued by CN=Lab Intermediate';
    expect(rejected.evidence).toEqual(['CertificateRequest from the server in frame 5 (+3.00 ms)', sent, 'fatal alert Unsupported Certificate (43) from the server in frame 8 (+5.00 ms)']);
    expect(purpose.evidence).toEqual([sent, "the leaf's extendedKeyUsage is serverAuth: no clientAuth, so it is not a client certificate"]);
    expect(judgeCaptureClientCert(tls13(serverOnly, 'HTTP/1.1 400 Bad Request'))[1].evidence[0]).toBe('the client sent 1 certificate(s) in frame 8 (opened with the key log): CN=good.lab.test, issued by CN=Lab Intermediate');
    expect(judgeCaptureClientCert(tls12(serverOnly))[0].evidence.at(-1)).toBe(
      "the handshake completed; a refusal after it (nginx answers 400 \"The SSL certificate error\") would be in TLS 1.2's application data, which a capture does not open; servers that check the purpose (nginx and other OpenSSL-based servers, Go's crypto/tls) refuse it",
    );
    expect(judgeCaptureClientCert(tls13(serverOnly))[0].evidence.at(-1)).toBe("the handshake completed and the capture shows no refusal; servers that check the purpose (nginx and other OpenSSL-based servers, Go's crypto/tls) refuse it");
    expect(judgeCaptureClientCert(tls12(serverOnly, A.UnknownCA))[1].evidence.at(-1)).toMatch(/Unknown CA \(48\).*: refused for another reason \(a verifier builds the path before it reads the purpose\); servers that check the purpose/);
    expect(judgeCaptureClientCert(tls13(clientOnly, 'HTTP/1.1 200 OK'))[0].evidence).toEqual([
      'CertificateRequest from the server in frame 6 (+3.00 ms)',
      'the client sent 1 certificate(s) in frame 8 (opened with the key log): CN=good.lab.test, issued by CN=Lab Intermediate',
      "the server's first application data record (frame 12, +5.70 ms), opened with the key log's SERVER_TRAFFIC_SECRET_0, begins \"HTTP/1.1 200 OK\" (only this line of the application data is read): the server went on with it",
    ]);
    expect(judgeCaptureClientCert(tls13(serverOnly, 'HTTP/1.1 200 OK'))[1].evidence.at(-1)).toMatch(/begins "HTTP\/1.1 200 OK" \(only this line of the application data is read\): the server went on with it; servers that check the purpose/);
    expect(judgeCaptureClientCert(tls13(serverOnly, undefined, [24]))[0].evidence.at(-1)).toMatch(/has 24 bytes: the size of an alert \(a TLS 1\.3 server refuses a certificate it does not accept with bad_certificate, 42, or unsupported_certificate, 43\), not of the session tickets/);
    const cut = connection({ ...tls12(serverOnly), encryptedRecords: [0, 0], messages: [...asked, ...answered(1)] });
    expect(judgeCaptureClientCert(cut)[0].evidence.at(-1)).toMatch(/^the capture shows no refusal from the server; servers that check/);
  });

  it('the refusal is the purpose\'s evidence in the whole diagnosis: the alert is not also TLS_ALERT, and the purpose comes first', () => {
    expect(codes(diagnoseConnection(tls12(serverOnly, A.UnsupportedCertificate), { captureEnd: T0 + 10 }))).toEqual(['CERT_WRONG_PURPOSE', 'CLIENT_CERT_REJECTED']);
    // A warning ranks above the handshake that succeeded: the row says what to fix before it breaks.
    expect(codes(diagnoseConnection(tls12(serverOnly), { captureEnd: T0 + 10 }))).toEqual(['CERT_WRONG_PURPOSE', 'HANDSHAKE_OK']);
  });
});

describe('client certificate, probe', () => {
  const request = { certificateTypes: [64], signatureAlgorithms: [0x0403, 0x0804], certificateAuthorities: 1, caNames: ['CN=tlsdoctor Lab Root CA'] };
  const requesting = versionProbes([Version.TLS12, Version.TLS13]).map((v) =>
    v.version === Version.TLS12 && v.outcome.kind === 'server-hello' ? { ...v, outcome: { ...v.outcome, certificateRequested: true, certificateRequest: request } } : v,
  );
  const nginx400 = { status: 400, clientCertRefusal: 'HTTP 400 "No required SSL certificate was sent"' };
  const full = probeRecord().full!;
  const flight13 = { messages: ['EncryptedExtensions', 'CertificateRequest', 'Certificate', 'CertificateVerify', 'Finished'], opened: true, certificateRequest: { ...request, certificateTypes: [] } };
  const tls13 = (after?: NonNullable<typeof full.afterClientCertificate>, flight: typeof flight13 | undefined = flight13) => ({ ...full, serverFlight: flight, ...(after ? { afterClientCertificate: after } : {}) });
  const alert116 = { outcome: 'alert' as const, code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', message: 'error:0A00045C:SSL routines::tlsv13 alert certificate required:SSL alert number 116', alert: 116 };
  const failed12 = (code: string) => ({ ok: false, ms: 3, chain: [], intermediateMissing: false, anchored: false, error: { code, message: `handshake: ${code}` } });
  const given = 'CN=lab client';
  it.each([
    // [what, record, codes]
    ['nothing asked', probeRecord(), []],
    ['asked in the TLS 1.2 flight, refused over HTTP', probeRecord({ versions: requesting, hsts: nginx400 }), ['CLIENT_CERT_REQUIRED']],
    ['asked in the TLS 1.2 flight only', probeRecord({ versions: requesting, hsts: { status: 200, header: 'max-age=1' } }), ['CLIENT_CERT_REQUESTED']],
    ['TLS 1.3 only, refused over HTTP, flight not read', probeRecord({ versions: versionProbes([Version.TLS13]), hsts: nginx400 }), ['CLIENT_CERT_REQUIRED']],
    ['a request is refused for other reasons', probeRecord({ hsts: { status: 400 } }), []],
    ['TLS 1.3 flight decrypted: asked, then certificate_required', probeRecord({ full: tls13(alert116) }), ['CLIENT_CERT_REQUIRED']],
    ['TLS 1.3 flight decrypted: asked, then the server closed', probeRecord({ full: tls13({ outcome: 'closed' }) }), ['CLIENT_CERT_REQUIRED']],
    ['TLS 1.3 flight decrypted: asked, a ticket followed', probeRecord({ full: tls13({ outcome: 'ticket' }) }), ['CLIENT_CERT_REQUESTED']],
    ['TLS 1.3 flight decrypted: asked, nothing followed', probeRecord({ full: tls13({ outcome: 'nothing' }) }), ['CLIENT_CERT_REQUESTED']],
    ['TLS 1.3 flight decrypted, no request', probeRecord({ full: tls13(undefined, { ...flight13, messages: ['EncryptedExtensions', 'Certificate', 'CertificateVerify', 'Finished'], certificateRequest: undefined as never }) }), []],
    ['TLS 1.2: asked, the handshake ended with handshake_failure', probeRecord({ versions: requesting, full: failed12('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE') }), ['CLIENT_CERT_REQUIRED']],
    ['TLS 1.2: not asked, a handshake_failure is not about a certificate', probeRecord({ full: failed12('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE') }), []],
    ['TLS 1.2: asked, a timeout is not a refusal', probeRecord({ versions: requesting, full: failed12('ETIMEDOUT') }), ['CLIENT_CERT_REQUESTED']],
    ['--cert, TLS 1.3: asked, a ticket followed', probeRecord({ clientCertificate: given, full: tls13({ outcome: 'ticket' }) }), ['CLIENT_CERT_ACCEPTED']],
    ['--cert, TLS 1.3: asked, unknown_ca followed', probeRecord({ clientCertificate: given, full: tls13({ outcome: 'alert', code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', message: 'tlsv1 alert unknown ca' }) }), ['CLIENT_CERT_REJECTED']],
    ['--cert, TLS 1.2: asked, refused in the handshake', probeRecord({ clientCertificate: given, versions: requesting, full: failed12('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA') }), ['CLIENT_CERT_REJECTED']],
    ['--cert, TLS 1.2: asked, nginx says the certificate is bad', probeRecord({ clientCertificate: given, versions: requesting, hsts: { status: 400, clientCertRefusal: 'HTTP 400 "The SSL certificate error"' } }), ['CLIENT_CERT_REJECTED']],
    ['--cert, TLS 1.2: asked, HTTP 200', probeRecord({ clientCertificate: given, versions: requesting, hsts: { status: 200 } }), ['CLIENT_CERT_ACCEPTED']],
    ['--cert, never asked: nothing to say', probeRecord({ clientCertificate: given }), []],
  ] as [string, ReturnType<typeof probeRecord>, string[]][])('%s', (_what, r, want) => {
    expect(codes(judgeProbeClientCert(r))).toEqual(want);
  });

  it('a refused certificate that is no client certificate: CERT_WRONG_PURPOSE beside the refusal, naming its extendedKeyUsage', () => {
    const serverOnly = cert({ subject: 'CN=client.test', profile: { signatureAlgorithm: 'ecdsa-with-SHA256', extKeyUsage: ['serverAuth'] } });
    const refused = (chain: ReturnType<typeof cert>[] | undefined, full: NonNullable<Parameters<typeof probeRecord>[0]>['full'] = failed12('ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE')) =>
      judgeProbeClientCert(probeRecord({ clientCertificate: given, clientCertificateChain: chain, versions: requesting, full }));
    const fs = refused([serverOnly]);
    expect(fs.map((f) => [f.code, f.severity])).toEqual([['CLIENT_CERT_REJECTED', 'error'], ['CERT_WRONG_PURPOSE', 'error']]);
    // Refusals decided before the purpose is read (the path, an access rule): the purpose a warning beside them.
    for (const full of [failed12('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'), failed12('ERR_SSL_TLSV1_ALERT_ACCESS_DENIED'), tls13({ outcome: 'alert', alert: 48 }), tls13({ outcome: 'alert', code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', message: 'tlsv1 alert unknown ca' })]) {
      const other = refused([serverOnly], full);
      expect(other.map((f) => [f.code, f.severity])).toEqual([['CLIENT_CERT_REJECTED', 'error'], ['CERT_WRONG_PURPOSE', 'warning']]);
      expect(other[1].evidence.at(-1)).toMatch(/: refused for another reason \(a verifier builds the path before it reads the purpose\); servers that check the purpose/);
    }
    // Those that fit a wrong purpose, or an answer that may be it (nginx's 400 covers any certificate it did not take): an error.
    for (const full of [failed12('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE'), tls13({ outcome: 'alert', alert: 43 }), tls13({ outcome: 'closed' })]) {
      expect(refused([serverOnly], full).map((f) => f.severity)).toEqual(['error', 'error']);
    }
    const nginx = judgeProbeClientCert(probeRecord({ clientCertificate: given, clientCertificateChain: [serverOnly], versions: requesting, full: failed12('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'), hsts: { status: 400, clientCertRefusal: 'HTTP 400 "The SSL certificate error"' } }));
    expect(nginx.map((f) => f.severity)).toEqual(['error', 'error']);
    expect(fs[1].evidence).toEqual([`the probe presented the client certificate ${given}`, 'the leaf\'s extendedKeyUsage is serverAuth: no clientAuth, so it is not a client certificate']);
    expect(codes(refused([cert({ profile: { signatureAlgorithm: 'ecdsa-with-SHA256', extKeyUsage: ['clientAuth'] } })]))).toEqual(['CLIENT_CERT_REJECTED']);
    expect(codes(refused(undefined))).toEqual(['CLIENT_CERT_REJECTED']);
    expect(codes(refused([]))).toEqual(['CLIENT_CERT_REJECTED']);
    // Accepted: the server's word stands, and the wrong purpose is a warning (the next server that checks it refuses).
    const taken = judgeProbeClientCert(probeRecord({ clientCertificate: given, clientCertificateChain: [serverOnly], full: tls13({ outcome: 'ticket' }) }));
    expect(taken.map((f) => [f.code, f.severity])).toEqual([['CLIENT_CERT_ACCEPTED', 'info'], ['CERT_WRONG_PURPOSE', 'warning']]);
    expect(taken[1].evidence.at(-1)).toBe("the server went on and sent a session ticket: this server did not check the purpose; servers that check the purpose (nginx and other OpenSSL-based servers, Go's crypto/tls) refuse it");
    expect(codes(judgeProbeClientCert(probeRecord({ clientCertificate: given, clientCertificateChain: [cert({ profile: { signatureAlgorithm: 'ecdsa-with-SHA256', extKeyUsage: ['clientAuth'] } })], full: tls13({ outcome: 'ticket' }) })))).toEqual(['CLIENT_CERT_ACCEPTED']);
  });

  it('a refused certificate: its issuers compared with the acceptable CA names', () => {
    const refusedWith = (issuers: string[] | undefined, caNames?: string[]) => {
      const versions = caNames === undefined ? requesting : requesting.map((v) => (v.outcome.kind === 'server-hello' && v.outcome.certificateRequest ? { ...v, outcome: { ...v.outcome, certificateRequest: { ...v.outcome.certificateRequest, caNames } } } : v));
      return judgeProbeClientCert(probeRecord({ clientCertificate: given, clientCertificateIssuers: issuers, versions, full: failed12('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA') }))[0];
    };
    const stranger = refusedWith(['CN=stranger client']);
    expect(stranger.code).toBe('CLIENT_CERT_REJECTED');
    expect(stranger.evidence).toContain('issued by CN=stranger client: none is among the acceptable CA names; the server wants a certificate from one of them');
    const chained = refusedWith(['CN=tlsdoctor Lab Intermediate CA', 'CN=tlsdoctor Lab Root CA']);
    expect(chained.evidence).toContain('it chains to CN=tlsdoctor Lab Root CA, one of the acceptable CA names: the server refused it for another reason (expired, revoked, a chain it cannot verify, or an access rule)');
    // The same name written another way (attribute order, spaces, case) is the same CA.
    expect(refusedWith(['o=Lab,CN=Root'], ['CN=Root, O=Lab']).evidence.join('\n')).toMatch(/it chains to o=Lab,CN=Root, one of the acceptable/);
    expect(refusedWith(['O = Lab ,CN = Root'], ['CN=Root, O=Lab']).evidence.join('\n')).toMatch(/it chains to O = Lab ,CN = Root, one of the acceptable/);
    expect(refusedWith(['CN=Sub', 'CN=Other Root']).evidence).toContain('issued by CN=Sub ← CN=Other Root: none is among the acceptable CA names; the server wants a certificate from one of them');
    for (const [issuers, caNames] of [[undefined, undefined], [[], undefined], [['CN=x'], []]] as [string[] | undefined, string[] | undefined][]) {
      expect(refusedWith(issuers, caNames).evidence.join('\n')).not.toMatch(/none is among|chains to/);
    }
    // Refused over HTTP with no CertificateRequest read: nothing to compare with.
    const noRequest = judgeProbeClientCert(probeRecord({ clientCertificate: given, clientCertificateIssuers: ['CN=x'], hsts: { status: 400, clientCertRefusal: 'HTTP 400 "The SSL certificate error"' } }))[0];
    expect(noRequest.code).toBe('CLIENT_CERT_REJECTED');
    expect(noRequest.evidence.join('\n')).not.toMatch(/none is among|chains to/);
  });

  it('evidence says where each sign was read, and what the request accepts', () => {
    expect(judgeProbeClientCert(probeRecord({ versions: requesting, hsts: nginx400 }))[0].evidence).toEqual([
      "the server's TLS 1.2 flight carries a CertificateRequest (read in clear by the TLS 1.2 probe)",
      'acceptable client certificate CA names: CN=tlsdoctor Lab Root CA',
      'signature algorithms it accepts: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256',
      'the probe had no client certificate to give',
      'a request after the handshake got: HTTP 400 "No required SSL certificate was sent"',
    ]);
    expect(judgeProbeClientCert(probeRecord({ versions: versionProbes([Version.TLS13]), hsts: nginx400 }))[0].evidence).toEqual([
      'the probe had no client certificate to give',
      'a request after the handshake got: HTTP 400 "No required SSL certificate was sent"',
      "TLS 1.3 encrypts the CertificateRequest: the server's answer shows the requirement",
    ]);
    expect(judgeProbeClientCert(probeRecord({ full: tls13(alert116) }))[0].evidence).toEqual([
      "the server's TLS 1.3 flight, decrypted with the key log of the probe's own handshake, carries a CertificateRequest (EncryptedExtensions, CertificateRequest, Certificate, CertificateVerify, Finished)",
      'acceptable client certificate CA names: CN=tlsdoctor Lab Root CA',
      'signature algorithms it accepts: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256',
      'the probe had no client certificate to give',
      'after the handshake the server sent the alert Certificate Required (116)',
    ]);
    expect(judgeProbeClientCert(probeRecord({ versions: requesting }))[0].evidence.slice(-1)).toEqual(['the handshake completes without one']);
    const noNames = { ...request, caNames: [], certificateAuthorities: 0, signatureAlgorithms: undefined };
    const bare = versionProbes([Version.TLS12]).map((v) => (v.outcome.kind === 'server-hello' ? { ...v, outcome: { ...v.outcome, certificateRequested: true, certificateRequest: noNames } } : v));
    expect(judgeProbeClientCert(probeRecord({ versions: bare }))[0].evidence).toContain('the server names no acceptable CA (any issuer it trusts may do)');
    const unnamed = judgeProbeClientCert(probeRecord({ full: tls13({ outcome: 'alert', code: 'ECONNRESET', message: 'read ECONNRESET' }) }))[0].evidence;
    expect(unnamed).toContain('after the handshake the server sent an alert: ECONNRESET');
    const accepted = judgeProbeClientCert(probeRecord({ clientCertificate: given, full: tls13({ outcome: 'ticket' }) }))[0].evidence;
    expect(accepted.slice(-2)).toEqual(['the probe presented the client certificate CN=lab client', 'the server went on and sent a session ticket']);
  });

  it('says how the server refused, and how it took a certificate', () => {
    const ev = (r: ReturnType<typeof probeRecord>) => judgeProbeClientCert(r)[0].evidence;
    expect(ev(probeRecord({ full: tls13({ outcome: 'closed' }) }))).toContain('after the handshake the server closed the connection');
    expect(ev(probeRecord({ versions: requesting, full: failed12('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE') }))).toContain('the handshake ended with the server\'s alert: handshake: ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
    expect(ev(probeRecord({ clientCertificate: given, versions: requesting, hsts: { status: 204 } })).slice(-1)).toEqual(['a request after the handshake got HTTP 204']);
    expect(ev(probeRecord({ clientCertificate: given, versions: requesting, hsts: { error: 'timeout' } })).slice(-1)).toEqual(['the handshake completed with it']);
    expect(ev(probeRecord({ clientCertificate: given, full: tls13({ outcome: 'nothing' }), hsts: { status: 200 } })).slice(-1)).toEqual(['a request after the handshake got HTTP 200']);
    const refused = judgeProbeClientCert(probeRecord({ clientCertificate: given, full: tls13({ outcome: 'closed' }) }))[0];
    expect(refused.evidence).toContain('the probe presented the client certificate CN=lab client');
    expect(refused.evidence).toContain('after the handshake the server closed the connection');
    // Refused without any request seen (the flight not read): still the certificate given was refused.
    expect(codes(judgeProbeClientCert(probeRecord({ clientCertificate: given, hsts: nginx400 })))).toEqual(['CLIENT_CERT_REJECTED']);
  });

  it('the new codes name their case and their fix', () => {
    const [rejected] = judgeProbeClientCert(probeRecord({ clientCertificate: given, full: tls13(alert116) }));
    expect(rejected.severity).toBe('error');
    expect(rejected.title).toBe('The server refused the client certificate given');
    expect(rejected.remedy).toMatch(/not issued by a CA the server trusts.*clientAuth extended key usage/);
    const [accepted] = judgeProbeClientCert(probeRecord({ clientCertificate: given, full: tls13({ outcome: 'ticket' }) }));
    expect(accepted.severity).toBe('info');
    expect(accepted.title).toBe('The server accepted the client certificate given');
    expect(accepted.remedy).toMatch(/^Nothing to fix/);
    const [requested] = judgeProbeClientCert(probeRecord({ full: tls13({ outcome: 'ticket' }) }));
    expect(requested.severity).toBe('info');
  });

  it('required: the verdict of the probe, and no HSTS finding about the error page', () => {
    expect(codes(diagnoseProbe(probeRecord({ versions: requesting, hsts: nginx400 }), NOW_MS))).toEqual(['CLIENT_CERT_REQUIRED']);
    expect(codes(diagnoseProbe(probeRecord({ clientCertificate: given, full: tls13({ outcome: 'ticket' }) }), NOW_MS))).toEqual(['HANDSHAKE_OK', 'CLIENT_CERT_ACCEPTED']);
  });

  it('a version probe that did not answer with its own version does not count', () => {
    const other = versionProbes([Version.TLS13], () => outcome.alert(70));
    expect(judgeProbeClientCert(probeRecord({ versions: other }))).toEqual([]);
  });
});

describe('client certificate, the edges of the evidence', () => {
  it('the client\'s answer is its own Certificate message, not the server\'s', () => {
    const r = refused(A.HandshakeFailure, 0);
    r.messages = [...asked, message('server', H.Certificate, 5, 0.003)];
    expect(judgeCaptureClientCert(r)[0].evidence[1]).toBe('the client sent no Certificate message');
  });

  it('a CertificateRequest the message list lost is still named', () => {
    const r = refused(A.HandshakeFailure, 0);
    r.messages = [message('server', H.ServerHello, 5, 0.003), ...answered(0)];
    expect(judgeCaptureClientCert(r)[0].evidence[0]).toBe('the server sent a CertificateRequest');
  });

  it('the request is found among earlier server messages of the same flight', () => {
    const r = refused(A.HandshakeFailure, 0);
    r.messages = [message('server', H.ServerHello, 4, 0.002), message('server', H.CertificateRequest, 6, 0.0035), ...answered(0)];
    expect(judgeCaptureClientCert(r)[0].evidence[0]).toBe('CertificateRequest from the server in frame 6 (+3.50 ms)');
    // An alert in the request's own frame answers it too.
    r.alerts = [alert('server', A.HandshakeFailure, 6, 0.0036)];
    expect(codes(judgeCaptureClientCert(r))).toEqual(['CLIENT_CERT_REQUIRED']);
  });

  it('requested: the evidence in full', () => {
    const r = completedTls12({ certificateRequested: true, ...withClientCert(0), messages: [...asked, ...answered(0)] });
    expect(judgeCaptureClientCert(r)[0].evidence).toEqual([
      'CertificateRequest from the server in frame 5 (+3.00 ms)',
      'the client answered with an empty Certificate in frame 7: it has none to give',
      'the handshake completed without a client certificate',
    ]);
  });

  it('a refusal over HTTP after a TLS 1.2 handshake does not claim TLS 1.3', () => {
    const r = probeRecord({ versions: versionProbes([Version.TLS12]), full: { ...probeRecord().full!, version: Version.TLS12 }, hsts: { status: 400, clientCertRefusal: 'HTTP 400 "x"' } });
    expect(judgeProbeClientCert(r)[0].evidence).toEqual(['the probe had no client certificate to give', 'a request after the handshake got: HTTP 400 "x"']);
  });

  it('the codes say what to change', () => {
    const [req] = judgeCaptureClientCert(refused(A.HandshakeFailure, 0));
    expect(req.title).toBe('The server requires a client certificate');
    expect(req.remedy).toMatch(/curl `--cert client\.pem --key client\.key`.*nginx: `ssl_verify_client optional;` or `off;`/);
    const [only] = judgeCaptureClientCert(completedTls12({ certificateRequested: true, messages: asked }));
    expect(only.title).toBe('The server asked for a client certificate and got none');
    expect(only.remedy).toMatch(/nginx `ssl_verify_client on;`.*"400 No required SSL certificate was sent"/);
  });
});
