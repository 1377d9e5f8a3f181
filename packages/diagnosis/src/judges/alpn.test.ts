import { describe, expect, it } from 'vitest';
import { Version } from '@tlsdoctor/tls-parser-ts';
import { alert, clientHello, connection, outcome, probeRecord, quicConnection, serverHello } from '../facts.fixtures.js';
import { diagnoseConnection } from '../capture.js';
import { diagnoseProbe } from '../probe.js';
import { judgeCaptureAlpn, judgeProbeAlpn } from './alpn.js';

const codes = (fs: { code: string }[]) => fs.map((f) => f.code);
const alone = (h2: ReturnType<typeof outcome.alert>, http11: ReturnType<typeof outcome.alert>) => [
  { offered: 'h2', outcome: h2 },
  { offered: 'http/1.1', outcome: http11 },
];
const refused = () => outcome.alert(120);
const ok = () => outcome.serverHello();

describe('ALPN judge: probe', () => {
  it.each([
    ['not probed', undefined, ok(), []],
    ['both taken alone', alone(ok(), ok()), ok(), []],
    ['h2 required (an HTTP/2-only or gRPC server)', alone(ok(), refused()), ok(), ['ALPN_REQUIRED']],
    ['h2 refused alone by an HTTP/1.1 server: facts only', alone(refused(), ok()), ok(), []],
    ['http/1.1 refused alone and h2 not taken either', alone(outcome.reset(), refused()), ok(), []],
    ['another alert alone is not an ALPN refusal', alone(ok(), outcome.alert(40)), ok(), []],
    ['both refused alone, the pair taken', alone(refused(), refused()), ok(), []],
    ['the pair refused, each refused alone', alone(refused(), refused()), refused(), ['ALPN_MISMATCH']],
    ['the pair refused, h2 alone taken', alone(ok(), refused()), refused(), ['ALPN_MISMATCH']],
    ['the pair reset: not an ALPN verdict', alone(ok(), refused()), outcome.reset(), ['ALPN_REQUIRED']],
  ])('%s', (_n, alpnAlone, hello, want) => {
    expect(codes(judgeProbeAlpn(probeRecord({ alpnAlone, hello })))).toEqual(want);
  });

  it('names the protocol required, what was refused, and what the server chose', () => {
    const [f] = judgeProbeAlpn(probeRecord({ alpnAlone: alone(ok(), refused()) }));
    expect(f.severity).toBe('warning');
    expect(f.title).toBe('The server requires ALPN h2: clients that offer only http/1.1 are refused');
    expect(f.evidence).toEqual(['ALPN h2 alone: ServerHello in 2.0 ms', 'ALPN http/1.1 alone: alert No application Protocol (120) in 2.0 ms', 'offered both, the server chose h2']);
    expect(f.remedy).toMatch(/^gRPC and other HTTP\/2-only servers refuse clients that do not offer h2 \(grpc-go enforces ALPN since 1\.67\)\. Clients that offer only http\/1\.1/);
    const [g] = judgeProbeAlpn(probeRecord({ alpnAlone: alone(ok(), refused()), full: { ...probeRecord().full!, ok: false, alpn: undefined } }));
    expect(g.evidence).toHaveLength(2);
    const [h] = judgeProbeAlpn(probeRecord({ alpnAlone: alone(ok(), refused()), full: { ...probeRecord().full!, alpn: undefined } }));
    expect(h.evidence).toHaveLength(2);
  });

  it('edges: a HelloRetryRequest is taken; no first hello, no full handshake', () => {
    const retry = { kind: 'hello-retry' as const, ms: 2, serverHello: serverHello(0, 0, Version.TLS13, 0x1301) };
    expect(codes(judgeProbeAlpn(probeRecord({ alpnAlone: alone(retry, refused()) })))).toEqual(['ALPN_REQUIRED']);
    expect(codes(judgeProbeAlpn(probeRecord({ hello: undefined, alpnAlone: alone(ok(), refused()) })))).toEqual(['ALPN_REQUIRED']);
    expect(judgeProbeAlpn(probeRecord({ full: undefined, alpnAlone: alone(ok(), refused()) }))[0].evidence).toHaveLength(2);
    const both = judgeProbeAlpn(probeRecord({ hello: refused(), alpnAlone: alone(ok(), ok()) }))[0];
    expect(both.title).toBe('The server refuses the two protocols offered together; it takes h2 or http/1.1 alone');
    expect(both.evidence).toEqual([
      'the ClientHello offering ALPN h2 and http/1.1 was answered with alert No application Protocol (120) in 2.0 ms',
      'ALPN h2 alone: ServerHello in 2.0 ms',
      'ALPN http/1.1 alone: ServerHello in 2.0 ms',
    ]);
  });

  it('the probe\'s own hello refused: an error, alone, with the first answer', () => {
    const r = probeRecord({ hello: refused(), alpnAlone: alone(refused(), refused()), versions: [], profileHello: undefined, full: undefined });
    const [f] = judgeProbeAlpn(r);
    expect(f.severity).toBe('error');
    expect(f.title).toBe('The server accepts none of the application protocols (ALPN) offered');
    expect(f.evidence[0]).toBe('the ClientHello offering ALPN h2 and http/1.1 was answered with alert No application Protocol (120) in 2.0 ms');
    expect(codes(diagnoseProbe(r))).toEqual(['ALPN_MISMATCH']);
    const [g] = judgeProbeAlpn(probeRecord({ hello: refused(), alpnAlone: alone(ok(), refused()) }));
    expect(g.title).toBe('The server refuses the two protocols offered together; it takes h2 alone');
  });
});

describe('ALPN judge: capture', () => {
  const refusedConn = (alpn: string[] | undefined) =>
    connection({ clientHello: { ...clientHello(4, 0.002), ...(alpn ? { alpn } : {}) }, sni: 'example.test', alerts: [alert('server', 120, 5, 0.003)] });
  it('an http/1.1-only hello refused with no_application_protocol', () => {
    const [f] = judgeCaptureAlpn(refusedConn(['http/1.1']));
    expect(f.code).toBe('ALPN_MISMATCH');
    expect(f.evidence[1]).toBe('the ClientHello offered ALPN http/1.1');
    expect(f.evidence[2]).toMatch(/^fatal alert No application Protocol \(120\) from the server in frame 5/);
    expect(f.remedy).toMatch(/this client did not offer h2\.$/);
    expect(codes(diagnoseConnection(refusedConn(['http/1.1']), { captureEnd: 1e12 }))[0]).toBe('ALPN_MISMATCH');
    expect(codes(diagnoseConnection(refusedConn(['http/1.1']), { captureEnd: 1e12 }))).not.toContain('TLS_ALERT');
  });

  it.each([
    ['no ALPN', undefined, 'the ClientHello offered no ALPN', true],
    ['an empty ALPN list', [], 'the ClientHello offered no ALPN', true],
    ['h2 offered', ['h2', 'http/1.1'], 'the ClientHello offered ALPN h2, http/1.1', false],
  ])('%s', (_n, alpn, line, h2Fix) => {
    const [f] = judgeCaptureAlpn(refusedConn(alpn));
    expect(f.evidence[1]).toBe(line);
    expect(/this client did not offer h2/.test(f.remedy)).toBe(h2Fix);
  });

  it('the alert without a ClientHello in the capture', () => {
    const [f] = judgeCaptureAlpn(connection({ alerts: [alert('server', 120, 5, 0.003)] }));
    expect(f.evidence.slice(0, 2)).toEqual(['no ClientHello in the capture', 'the ClientHello offered no ALPN']);
  });

  it.each([
    ['another alert', connection({ alerts: [alert('server', 40, 5, 0.003)] })],
    ['the client\'s no_application_protocol', connection({ alerts: [alert('client', 120, 5, 0.003)] })],
    ['no alert', connection()],
  ])('no finding: %s', (_n, r) => {
    expect(judgeCaptureAlpn(r)).toEqual([]);
  });

  it('QUIC is the QUIC judge\'s: a crypto error carrying alert 120 is one finding', () => {
    // @ts-expect-error: a QUIC record is not a TCP record.
    judgeCaptureAlpn(quicConnection());
    const r = quicConnection({}, { clientHello: { ...clientHello(1, 0, { versions: [Version.TLS13] }), alpn: ['h3'] }, alerts: [alert('server', 120, 2, 0.01)] });
    expect(codes(diagnoseConnection(r, { captureEnd: 1e12 }))).not.toContain('ALPN_MISMATCH');
  });
});
