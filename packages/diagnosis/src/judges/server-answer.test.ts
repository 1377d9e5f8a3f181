import { describe, expect, it } from 'vitest';
import { alert, clientHello, connection, message, outcome, pkt, probeRecord, serverHello, ACK, RST, T0 } from '../facts.fixtures.js';
import { answeredTls, judgeCaptureServerAnswer, judgeProbeServerAnswer, resetEvidence, serverSpokeTls } from './server-answer.js';

const codes = (fs: { code: string }[]) => fs.map((f) => f.code);
const http = { kind: 'http-response', summary: 'a plain HTTP response "HTTP/1.1 400 Bad Request"', hexPrefix: '4854' };
const get = { kind: 'http-request', firstLine: 'GET / HTTP/1.1', summary: 'plain HTTP request "GET / HTTP/1.1"', hexPrefix: '4745' };
const nginx497 = { kind: 'http-response', firstLine: 'HTTP/1.1 400 Bad Request', status: 400, title: '400 The plain HTTP request was sent to HTTPS port', summary: 'plain HTTP response "HTTP/1.1 400 Bad Request"', hexPrefix: '4854' };
const binary = { kind: 'binary', summary: 'binary data starting 00ff1337', hexPrefix: '00ff' };
const hello = (over: Parameters<typeof connection>[0] = {}) => connection({ clientHello: clientHello(4, 0.002), sni: 'a.test', ...over });
const rstAt = (t: number, o = {}) => pkt(6, t, 1, RST | ACK, o);

describe('server answer judge, capture', () => {
  it.each([
    ['HTTP from the server on 443', { nonTls: { from: 'server', frame: 5, time: T0 + 0.003, description: http } }, ['PLAINTEXT_HTTP_ON_TLS_PORT']],
    ['HTTP from the server on port 80', { server: { ip: '192.0.2.10', port: 80 }, nonTls: { from: 'server', frame: 5, time: T0, description: http } }, ['PLAIN_HTTP_PORT']],
    ['HTTP from the server on 8080', { server: { ip: '192.0.2.10', port: 8080 }, nonTls: { from: 'server', frame: 5, time: T0, description: http } }, ['PLAIN_HTTP_PORT']],
    ['binary from the server', { nonTls: { from: 'server', frame: 5, time: T0, description: binary } }, ['NOT_TLS']],
    ['the client spoke plain text', { clientHello: undefined, nonTls: { from: 'client', frame: 4, time: T0, description: http } }, ['NOT_TLS']],
    ['the client sent an HTTP request', { clientHello: undefined, nonTls: { from: 'client', frame: 4, time: T0, description: get } }, ['HTTP_TO_TLS_PORT']],
    ['the client sent an HTTP request, the server answered in HTTP', { clientHello: undefined, nonTls: { from: 'client', frame: 4, time: T0, description: get }, nonTlsAnswer: { frame: 6, time: T0, description: nginx497 } }, ['HTTP_TO_TLS_PORT']],
    ['a reset after the ClientHello', { tcp: { rsts: [rstAt(0.0021)], rstCount: 1 } }, ['RESET_AFTER_CLIENT_HELLO']],
    ['a reset before the ClientHello', { tcp: { rsts: [rstAt(0.001)], rstCount: 1 }, end: { how: 'rst', by: 'server', frame: 6, time: T0 + 0.001, after: 'nothing' } }, ['NO_SERVER_HELLO']],
    ['a client reset after it', { tcp: { rsts: [pkt(6, 0.01, 0, RST)], rstCount: 1 }, end: { how: 'rst', by: 'client', frame: 6, time: T0 + 0.01, after: 'ClientHello' } }, ['NO_SERVER_HELLO']],
    ['a reset after a ServerHello', { serverHello: serverHello(5, 0.003), tcp: { rsts: [rstAt(0.01)], rstCount: 1 } }, []],
    ['a reset after a server alert', { alerts: [alert('server', 40, 5, 0.003)], tcp: { rsts: [rstAt(0.01)], rstCount: 1 } }, []],
    ['a reset after a server message', { messages: [message('server', 2, 5, 0.003)], tcp: { rsts: [rstAt(0.01)], rstCount: 1 } }, []],
    ['a reset after a HelloRetryRequest', { helloRetryRequest: { frame: 5, time: T0 }, tcp: { rsts: [rstAt(0.01)], rstCount: 1 } }, []],
    ['a reset after encrypted server records', { encryptedRecords: [0, 2] as [number, number], tcp: { rsts: [rstAt(0.01)], rstCount: 1 } }, []],
    ['silence until the client closed', { end: { how: 'fin', by: 'client', frame: 9, time: T0 + 0.5, after: 'ClientHello' } }, ['NO_SERVER_HELLO']],
    ['silence while the capture ran on', {}, ['NO_SERVER_HELLO']],
    ['no ClientHello', { clientHello: undefined }, []],
  ])('%s', (_n, over, want) => {
    expect(codes(judgeCaptureServerAnswer(hello(over as never), T0 + 10))).toEqual(want);
  });

  it('silence shorter than the answer time is not yet NO_SERVER_HELLO', () => {
    expect(judgeCaptureServerAnswer(hello(), T0 + 0.002 + 2.99)).toEqual([]);
    expect(codes(judgeCaptureServerAnswer(hello(), T0 + 0.002 + 3.01))).toEqual(['NO_SERVER_HELLO']);
  });

  it('NO_SERVER_HELLO says how long and how it ended', () => {
    const [f] = judgeCaptureServerAnswer(hello({ end: { how: 'fin', by: 'client', frame: 9, time: T0 + 2.002, after: 'ClientHello' } }), T0 + 10);
    expect(f.evidence.slice(1)).toEqual(['the server sent no byte in the 2000.0 ms after the ClientHello (0 bytes from the server in all)', 'FIN from the client in frame 9 (+2002.0 ms), after ClientHello']);
    const [open] = judgeCaptureServerAnswer(hello(), T0 + 10);
    expect(open.evidence[2]).toBe('the connection was still open when the capture ended');
  });

  it('quotes what the server answered instead of TLS', () => {
    const [f] = judgeCaptureServerAnswer(hello({ nonTls: { from: 'server', frame: 5, time: T0 + 0.003, description: http } as never }), T0 + 10);
    expect(f.evidence[1]).toBe('the server answered in frame 5 (+3.00 ms) with a plain HTTP response "HTTP/1.1 400 Bad Request"');
  });

  it('a client speaking another protocol gets its own title and fix', () => {
    const [f] = judgeCaptureServerAnswer(connection({ nonTls: { from: 'client', frame: 4, time: T0, description: http } as never }), T0 + 10);
    expect(f.title).toBe('The client spoke another protocol to the TLS port');
    expect(f.remedy).toMatch(/^Use https:\/\//);
  });

  it.each([
    ['nginx: its first line and the page title that names the mistake', nginx497, 'the server answered in frame 6 (+5.00 ms) with the line "HTTP/1.1 400 Bad Request", titled "400 The plain HTTP request was sent to HTTPS port"'],
    ['control characters shown, a long line cut', { ...binary, kind: 'text', firstLine: `\x1b[2J${'x'.repeat(130)}`, summary: 'text' }, `the server answered in frame 6 (+5.00 ms) with the line "\\x1b[2J${'x'.repeat(116)}…"`],
    ['bytes with no line', binary, 'the server answered in frame 6 (+5.00 ms) with binary data starting 00ff1337'],
  ])('plain HTTP to the TLS port quotes the server answer: %s', (_n, description, line) => {
    const r = connection({ nonTls: { from: 'client', frame: 4, time: T0, description: get }, nonTlsAnswer: { frame: 6, time: T0 + 0.005, description } } as never);
    const [f] = judgeCaptureServerAnswer(r, T0 + 10);
    expect(f.code).toBe('HTTP_TO_TLS_PORT');
    expect(f.evidence[0]).toBe('the client sent plain HTTP request "GET / HTTP/1.1" in frame 4 to TLS port 443');
    expect(f.evidence[1]).toBe(line);
  });

  it('the reset remedy names corporate devices beside ICP filing', () => {
    const [f] = judgeCaptureServerAnswer(hello({ tcp: { rsts: [rstAt(0.01)], rstCount: 1 } }), T0 + 10);
    expect(f.remedy).toMatch(/ICP filing/);
    expect(f.remedy).toMatch(/corporate firewall, secure web gateway or IPS/);
  });
});

describe('reset evidence: what tells an injected RST apart', () => {
  const signs = (rst: ReturnType<typeof pkt>, tcp = {}) => {
    const r = hello({ tcp: { rsts: [rst], rstCount: 1, ...tcp } });
    return resetEvidence(r, r.tcp.rsts[0]);
  };
  // The SYN-ACK came 1 ms after the SYN with TTL 63 and IP ID 5000; the ClientHello at 2 ms.
  it.each([
    ['a TTL unlike the SYN-ACK\'s', rstAt(0.0031, { ttl: 64 }), /its TTL 64 differs from the SYN-ACK's 63/, 1],
    ['an IP ID of 0', rstAt(0.0031, { ipId: 0 }), /its IP ID is 0/, 1],
    ['an IP ID far from the SYN-ACK\'s', rstAt(0.0031, { ipId: 6001 }), /its IP ID 6001 is far from the SYN-ACK's 5000/, 1],
    ['an IP ID far behind the SYN-ACK\'s', rstAt(0.0031, { ipId: 3999 }), /its IP ID 3999 is far/, 1],
    ['an arrival sooner than half the round trip', rstAt(0.0024), /sooner than the server's round trip \(SYN to SYN-ACK 1\.00 ms\)/, 1],
    ['all at once', rstAt(0.0024, { ttl: 200, ipId: 0 }), /3 signs/, 3],
  ])('%s', (_n, rst, want, n) => {
    const ev = signs(rst).join('\n');
    expect(ev).toMatch(want);
    expect(ev).toContain(`the RST looks injected by something on the path (${n} sign${n > 1 ? 's' : ''})`);
  });

  it.each([
    ['the same TTL, a near IP ID, a late arrival', rstAt(0.0031, { ipId: 5999 })],
    ['an IP ID of 0 from a server that sends 0', rstAt(0.0031, { ipId: 0 })],
    ['no IP ID (IPv6)', rstAt(0.0031, { ipId: -1 })],
    ['exactly half the round trip', rstAt(0.0025)],
  ])('no sign: %s', (name, rst) => {
    const tcp = name.includes('server that sends 0') ? { synAck: pkt(2, 0.001, 1, 0x12, { ipId: 0 }) } : {};
    const ev = signs(rst, tcp);
    expect(ev).toContain('nothing in the RST tells it apart from the server\'s own packets');
    expect(ev).toContain('its TTL 63 equals the SYN-ACK\'s');
  });

  it('several RSTs, and server packets after them', () => {
    const r = hello({ tcp: { rsts: [rstAt(0.0031), rstAt(0.0032)], rstCount: 2, packets: [pkt(7, 0.004, 1, ACK), pkt(8, 0.005, 1, RST), pkt(9, 0.001, 1, ACK)] } });
    const ev = resetEvidence(r, r.tcp.rsts[0]);
    expect(ev).toContain('2 RSTs arrived, as injectors send');
    expect(ev).toContain('1 packet(s) from the server side arrived after the RST (the server still thought the connection open)');
    expect(ev[0]).toBe('RST/ACK from the server side in frame 6 (+3.10 ms), 1.10 ms after the ClientHello');
  });

  it('a bare RST is not called RST/ACK; without a SYN-ACK no TTL is compared', () => {
    const r = hello({ tcp: { synAck: undefined, rsts: [pkt(6, 0.003, 1, RST)], rstCount: 1 } });
    const ev = resetEvidence(r, r.tcp.rsts[0]);
    expect(ev[0]).toMatch(/^RST from the server side/);
    expect(ev.join('\n')).not.toMatch(/TTL/);
  });

  it('without a SYN no round trip is compared', () => {
    const ev = signs(rstAt(0.0021), { syn: undefined }).join('\n');
    expect(ev).not.toMatch(/round trip/);
  });
});

describe('server answer judge, probe', () => {
  const blocked = { hello: outcome.reset(), sniDifferential: { noSni: outcome.serverHello(), decoy: outcome.serverHello(), decoyName: 'example.com' } };
  it.each([
    ['a ServerHello', {}, []],
    ['an alert (a TLS answer)', { hello: outcome.alert(40) }, []],
    ['no TCP', { hello: outcome.connectFailed('refused') }, []],
    ['plain HTTP on 443', { hello: outcome.http() }, ['PLAINTEXT_HTTP_ON_TLS_PORT']],
    ['other bytes', { hello: outcome.other() }, ['NOT_TLS']],
    ['a reset that other names do not get', blocked, ['SNI_FILTERED']],
    ['silence that other names do not get', { ...blocked, hello: outcome.silent() }, ['SNI_FILTERED']],
    ['a reset, the decoy answered only', { ...blocked, sniDifferential: { ...blocked.sniDifferential, noSni: outcome.reset() } }, ['SNI_FILTERED']],
    ['a reset, no SNI answered only', { ...blocked, sniDifferential: { ...blocked.sniDifferential, decoy: outcome.reset() } }, ['SNI_FILTERED']],
    ['a reset for every name', { hello: outcome.reset(), sniDifferential: { noSni: outcome.reset(), decoy: outcome.reset(), decoyName: 'example.com' } }, ['RESET_AFTER_CLIENT_HELLO']],
    ['silence for every name', { hello: outcome.silent(), sniDifferential: { noSni: outcome.silent(), decoy: outcome.closed(), decoyName: 'example.com' } }, ['NO_SERVER_HELLO']],
  ])('%s', (_n, over, want) => {
    expect(codes(judgeProbeServerAnswer(probeRecord(over as never)))).toEqual(want);
  });

  it('SNI_FILTERED shows the three outcomes side by side', () => {
    const [f] = judgeProbeServerAnswer(probeRecord(blocked));
    expect(f.evidence).toEqual([
      'SNI example.test: connection reset 1.0 ms after the ClientHello',
      'no SNI: ServerHello in 2.0 ms',
      'SNI example.com: ServerHello in 2.0 ms',
      'same address 192.0.2.10:443, same ClientHello otherwise: only the name differs',
    ]);
  });

  it('the name cut across two segments: says only what it showed', () => {
    const splitName = (o: ReturnType<typeof outcome.reset>) => ({ shape: 'split-sni' as const, bytes: 517, writes: [60, 457], outcome: o });
    const passed = judgeProbeServerAnswer(probeRecord({ ...blocked, sniDifferential: { ...blocked.sniDifferential, splitName: splitName(outcome.serverHello()) } }))[0];
    expect(passed.evidence).toContain('the same name in a ClientHello cut inside the name (60 + 457 bytes, two segments): ServerHello in 2.0 ms: the filter matches the name only within one packet (a hello whose first segment holds the whole name, as a browser\'s large hello does, is still filtered)');
    const reset = judgeProbeServerAnswer(probeRecord({ ...blocked, sniDifferential: { ...blocked.sniDifferential, splitName: splitName(outcome.reset()) } }))[0];
    expect(reset.evidence).toContain('the same name in a ClientHello cut inside the name (60 + 457 bytes, two segments): connection reset 1.0 ms after the ClientHello');
  });

  it('an IP target has no SNI to blame', () => {
    const [f] = judgeProbeServerAnswer(probeRecord({ hello: outcome.silent(), target: { input: '192.0.2.10', host: '192.0.2.10', port: 443, path: '/', isIp: true, scheme: 'host' } }));
    expect(f.evidence[0]).toBe('SNI (none: IP target): no answer in 2000 ms');
  });

  it('a plain-HTTP port points to the HTTPS port when 443 answers TLS', () => {
    const target = { input: 'example.test:80', host: 'example.test', port: 80, path: '/', isIp: false, scheme: 'host' as const };
    const [f] = judgeProbeServerAnswer(probeRecord({ target, hello: outcome.http('HTTP/1.1 200 OK'), httpsPort: { outcome: outcome.serverHello() } }));
    expect(f.code).toBe('PLAIN_HTTP_PORT');
    expect(f.evidence.slice(1)).toEqual(['port 80 is a plain-HTTP port', 'port 443 on 192.0.2.10: answers TLS (ServerHello in 2.0 ms): probe https://example.test/ instead']);
    const [closed] = judgeProbeServerAnswer(probeRecord({ target, hello: outcome.http(), httpsPort: { outcome: outcome.connectFailed('refused', 'ECONNREFUSED') } }));
    expect(closed.evidence[2]).toBe('port 443 on 192.0.2.10: TCP connect failed: connect ECONNREFUSED');
    expect(judgeProbeServerAnswer(probeRecord({ target, hello: outcome.other() }))[0].code).toBe('NOT_TLS');
  });

  it('answeredTls and serverSpokeTls', () => {
    expect([outcome.serverHello(), outcome.alert(40), { kind: 'hello-retry' } as never, outcome.reset(), outcome.http(), undefined].map(answeredTls)).toEqual([true, true, true, false, false, false]);
    expect(serverSpokeTls(hello())).toBe(false);
    expect(serverSpokeTls(hello({ alerts: [alert('client', 48, 6, 0.01)] }))).toBe(false);
  });
});

describe('server answer judge: edges', () => {
  it('evidence of each verdict', () => {
    expect(judgeCaptureServerAnswer(hello({ nonTls: { from: 'server', frame: 5, time: T0 + 0.003, description: binary } as never }), T0 + 10)[0].evidence).toEqual([
      'ClientHello in frame 4 (+2.00 ms): SNI a.test, versions TLS 1.3, TLS 1.2, 2 cipher suites',
      'the server answered in frame 5 (+3.00 ms) with binary data starting 00ff1337',
    ]);
    expect(judgeCaptureServerAnswer(connection({ nonTls: { from: 'client', frame: 4, time: T0, description: http } as never }), T0 + 10)[0].evidence).toEqual(['the client sent a plain HTTP response "HTTP/1.1 400 Bad Request" in frame 4 to TLS port 443']);
    expect(judgeCaptureServerAnswer(hello({ tcp: { rsts: [rstAt(0.0031)], rstCount: 1 } }), T0 + 10)[0].evidence.slice(0, 2)).toEqual([
      'ClientHello in frame 4 (+2.00 ms): SNI a.test, versions TLS 1.3, TLS 1.2, 2 cipher suites',
      'RST/ACK from the server side in frame 6 (+3.10 ms), 1.10 ms after the ClientHello',
    ]);
    expect(judgeProbeServerAnswer(probeRecord({ hello: outcome.other() }))[0].evidence).toEqual(['the server answered the ClientHello with binary data starting 00ff1337 (first bytes 00ff1337)']);
    expect(judgeProbeServerAnswer(probeRecord({ hello: outcome.http() }))[0].evidence).toEqual(['the server answered the ClientHello with a plain HTTP response "HTTP/1.1 400 Bad Request" (first bytes 48545450)']);
    const reset = judgeProbeServerAnswer(probeRecord({ hello: outcome.reset(), sniDifferential: { noSni: outcome.reset(), decoy: outcome.closed(), decoyName: 'example.com' } }))[0];
    expect(reset.evidence).toEqual([
      'SNI example.test: connection reset 1.0 ms after the ClientHello',
      'no SNI: connection reset 1.0 ms after the ClientHello',
      'SNI example.com: connection closed 1.0 ms after the ClientHello without an answer',
      'the other names were not answered either: the reset is not about the name',
    ]);
    expect(judgeProbeServerAnswer(probeRecord({ hello: outcome.silent(), sniDifferential: undefined }))[0].evidence).toEqual(['SNI example.test: no answer in 2000 ms']);
  });

  it('an RST at the very time of the ClientHello counts as its answer', () => {
    expect(codes(judgeCaptureServerAnswer(hello({ tcp: { rsts: [rstAt(0.002)], rstCount: 1 } }), T0 + 10))).toEqual(['RESET_AFTER_CLIENT_HELLO']);
  });

  it('silence of exactly the answer time is the server\'s', () => {
    expect(codes(judgeCaptureServerAnswer(hello(), T0 + 0.002 + 3))).toEqual(['NO_SERVER_HELLO']);
  });

  it('a client message alone is not the server speaking', () => {
    expect(serverSpokeTls(hello({ messages: [message('client', 1, 4, 0.002)] }))).toBe(false);
    expect(serverSpokeTls(hello({ messages: [message('server', 2, 5, 0.003)] }))).toBe(true);
  });

  it('counts the server\'s RSTs only; the IP ID and round-trip signs at their edges', () => {
    const r = hello({ tcp: { rsts: [rstAt(0.0031), pkt(7, 0.0032, 0, RST)], rstCount: 2 } });
    expect(resetEvidence(r, r.tcp.rsts[0]).join('\n')).not.toMatch(/RSTs arrived/);
    const near = (ipId: number) => { const x = hello({ tcp: { rsts: [rstAt(0.0031, { ipId })], rstCount: 1 } }); return resetEvidence(x, x.tcp.rsts[0]).join('\n'); };
    expect(near(6000)).not.toMatch(/far from/);
    expect(near(6001)).toMatch(/far from/);
    const noIds = hello({ tcp: { synAck: pkt(2, 0.001, 1, 0x12, { ipId: -1 }), rsts: [rstAt(0.0031, { ipId: 0 })], rstCount: 1 } });
    expect(resetEvidence(noIds, noIds.tcp.rsts[0]).join('\n')).not.toMatch(/IP ID/);
    const zeroRtt = hello({ tcp: { synAck: pkt(2, 0, 1, 0x12), rsts: [rstAt(0.002)], rstCount: 1 } });
    expect(resetEvidence(zeroRtt, zeroRtt.tcp.rsts[0]).join('\n')).not.toMatch(/round trip/);
    const noHello = connection({ tcp: { rsts: [rstAt(0.0021)], rstCount: 1 } });
    expect(resetEvidence(noHello, noHello.tcp.rsts[0]).join('\n')).not.toMatch(/round trip|after the ClientHello/);
  });

  it('late packets: the server\'s, after the RST, not RSTs themselves', () => {
    const late = (packets: ReturnType<typeof pkt>[]) => {
      const r = hello({ tcp: { rsts: [rstAt(0.003)], rstCount: 1, packets } });
      return resetEvidence(r, r.tcp.rsts[0]).find((l) => l.includes('after the RST'));
    };
    expect(late([pkt(7, 0.003, 1, ACK)])).toBeUndefined();
    expect(late([pkt(7, 0.004, 0, ACK)])).toBeUndefined();
    expect(late([pkt(7, 0.004, 1, RST)])).toBeUndefined();
    expect(late([pkt(7, 0.004, 1, ACK), pkt(8, 0.005, 1, ACK)])).toBe('2 packet(s) from the server side arrived after the RST (the server still thought the connection open)');
  });
});
