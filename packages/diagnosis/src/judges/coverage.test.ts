import { describe, expect, it } from 'vitest';
import { alert, clientHello, connection, message, pkt, serverHello, FIN, T0, icmp } from '../facts.fixtures.js';
import { ANSWER_WAIT_S, captureGate, judgeCaptureCoverage, serverSilent, SYN_RETRY_S, unfinished } from './coverage.js';

const lone = { synAck: undefined, synAckCount: 0, synCount: 1 };

describe('coverage judge: the gate', () => {
  it('stands alone when neither the SYN nor a ClientHello is in the capture', () => {
    const f = captureGate(connection({ startCaptured: false, encryptedRecords: [3, 4], partialReasons: ['the capture starts after the connection did (no SYN)'] }));
    expect(f?.code).toBe('CAPTURE_PARTIAL');
    expect(f?.evidence).toEqual([
      'the capture holds neither the start of the connection (SYN) nor a ClientHello',
      'it starts mid-connection: 3 encrypted record(s) from the client, 4 from the server',
      'the capture starts after the connection did (no SYN)',
    ]);
  });

  it('leaves out the mid-connection line when no record was seen', () => {
    expect(captureGate(connection({ startCaptured: false }))?.evidence).toHaveLength(1);
  });

  it.each([
    ['the SYN is there', { startCaptured: true }],
    ['a ClientHello is there', { startCaptured: false, clientHello: clientHello(1, 0) }],
  ])('is open when %s', (_n, over) => {
    expect(captureGate(connection(over))).toBeUndefined();
  });
});

describe('coverage judge: a lone SYN', () => {
  it.each([
    ['the capture ends at once', 0, /too soon to call it a timeout/],
    ['the capture ends just short of the retry time', SYN_RETRY_S - 0.001, /too soon/],
    ['the capture goes on past the retry time', SYN_RETRY_S, /the client stopped trying at once/],
    ['the capture goes on for a minute', 60, /most likely an ICMP error/],
  ])('%s', (_n, after, want) => {
    const fs = judgeCaptureCoverage(connection({ tcp: lone }), T0 + after);
    expect(fs.map((f) => f.code)).toEqual(['CAPTURE_PARTIAL']);
    expect(fs[0].evidence.join('\n')).toMatch(want);
  });

  it('names the capture filter that keeps ICMP', () => {
    const [f] = judgeCaptureCoverage(connection({ tcp: lone }), T0 + 5);
    expect(f.title).toBe('The answer to the SYN is not in the capture');
    expect(f.evidence.join('\n')).toContain("'tcp port 443 or udp port 443 or icmp or icmp6'");
  });

  it('a lone SYN with only a TTL run out back: the filter keeps ICMP, so the answer came where the capture does not look', () => {
    const [f] = judgeCaptureCoverage(connection({ tcp: { ...lone, icmp: [icmp(2, 0.2, 11, 0, { from: '198.18.0.9' })] } }), T0 + 60);
    expect(f.code).toBe('CAPTURE_PARTIAL');
    expect(f.evidence[1]).toMatch(/^no SYN-ACK, RST or ICMP unreachable for this connection is in the capture, though ICMP is:/);
    expect(f.evidence[2]).toBe('ICMP time to live exceeded in transit from 198.18.0.9 in frame 2 (+200.0 ms), which does not refuse a connection');
    // The filter kept ICMP: no advice to keep it.
    expect(f.evidence.join('\n')).not.toContain('tcpdump');
  });

  it.each([
    ['a retransmitted SYN (the TCP judge\'s timeout)', { ...lone, synCount: 2 }],
    ['a SYN-ACK', { synCount: 1 }],
    ['an RST', { ...lone, rstCount: 1, rsts: [pkt(2, 0.1, 1, 0x14)] }],
    ['an ICMP error', { ...lone, icmp: [icmp(2, 0, 3, 3, { from: 'x', ttl: 1 })] }],
    ['no SYN', { ...lone, syn: undefined }],
  ])('says nothing with %s', (_n, tcp) => {
    expect(judgeCaptureCoverage(connection({ tcp }), T0 + 5)).toEqual([]);
  });
});

describe('coverage judge: a ClientHello without an answer yet', () => {
  const hello = (over = {}) => connection({ clientHello: clientHello(4, 0.002), ...over });
  it.each([
    [0.5, ['CAPTURE_PARTIAL']],
    [ANSWER_WAIT_S - 0.01, ['CAPTURE_PARTIAL']],
    [ANSWER_WAIT_S, []],
    [ANSWER_WAIT_S + 0.01, []],
  ])('capture ends %s s after it: %j', (after, want) => {
    expect(judgeCaptureCoverage(hello(), T0 + 0.002 + after).map((f) => f.code)).toEqual(want);
  });

  it('names how long the capture waited', () => {
    expect(judgeCaptureCoverage(hello(), T0 + 0.502)[0].evidence).toEqual(['ClientHello in frame 4 (+2.00 ms): SNI (none), versions TLS 1.3, TLS 1.2, 2 cipher suites', 'the capture ends 500.0 ms after the ClientHello, with no answer yet']);
  });

  it.each([
    ['the connection ended', { end: { how: 'fin', by: 'client', frame: 9, time: T0 + 1, after: 'ClientHello' } }],
    ['a ServerHello', { serverHello: serverHello(5, 0.003) }],
    ['a HelloRetryRequest', { helloRetryRequest: { frame: 5, time: T0 } }],
    ['a server alert', { alerts: [alert('server', 40, 5, 0.003)] }],
    ['a server message', { messages: [message('server', 11, 5, 0.003)] }],
    ['server bytes that are not TLS', { nonTls: { from: 'server', frame: 5, time: T0, description: {} } }],
    ['an encrypted server record', { encryptedRecords: [0, 1] }],
  ])('says nothing after %s', (_n, over) => {
    expect(judgeCaptureCoverage(hello(over as never), T0 + 0.5)).toEqual([]);
  });

  it('a client message or alert does not count as an answer', () => {
    const r = hello({ messages: [message('client', 1, 4, 0.002)], alerts: [alert('client', 90, 6, 0.01, 'warning')], nonTls: { from: 'client' } as never });
    expect(serverSilent(r)).toBe(true);
  });
});

describe('coverage judge: gaps and unfinished handshakes', () => {
  it('reports gaps as their own finding', () => {
    const fs = judgeCaptureCoverage(connection({ partialReasons: ['120 bytes from the server missing from the capture'], tcp: { fins: [pkt(9, 1, 0, FIN)] } }), T0 + 5);
    expect(fs.map((f) => [f.code, f.evidence])).toEqual([['CAPTURE_PARTIAL', ['120 bytes from the server missing from the capture']]]);
  });

  it('an unfinished handshake names the ClientHello and the gaps', () => {
    const f = unfinished(connection({ clientHello: clientHello(4, 0.002), sni: 'a.test', partialReasons: ['gap'] }));
    expect(f.evidence).toEqual(['ClientHello in frame 4 (+2.00 ms): SNI a.test, versions TLS 1.3, TLS 1.2, 2 cipher suites', 'the capture ends before the handshake does', 'gap']);
    expect(unfinished(connection()).evidence[0]).toBe('no ClientHello in the capture');
  });

});
