import { describe, expect, it } from 'vitest';
import type { TcpConnection } from '@tlsdoctor/capture';
import { CaptureContext, MAX_WAITING } from './capture-context.js';
import type { ConnectionRecord, QuicRecord } from './record.js';
import type { TlsConnectionSink } from './tls-sink.js';

// A TCP connection with no TLS of its own on a port not known for TLS: it waits for the end of the capture.
const portless = { server: { ip: '192.0.2.1', port: 8443 } } as TcpConnection;
const noTls = { finishStreams() {}, dependsOnPorts: () => true, toRecord: () => undefined } as unknown as TlsConnectionSink;
// A QUIC Initial nobody answered: its verdict waits for the TCP connections of the capture.
const unanswered = (id: number) => ({ id, transport: 'quic', server: { ip: '192.0.2.1', port: 443 }, quic: { datagrams: [1, 0] } }) as unknown as QuicRecord;

function context() {
  const handed: [number, number][] = [];
  const c = new CaptureContext([443], (r: ConnectionRecord, end: number) => handed.push([r.id, end]));
  return { c, handed };
}

describe('the capture context\'s waiting', () => {
  it('a record that depends on others waits for the end, and is judged against it', () => {
    const { c, handed } = context();
    c.quicEnded(unanswered(1), 10);
    c.quicEnded({ ...unanswered(2), quic: { datagrams: [1, 1] } } as unknown as QuicRecord, 20);
    expect(handed).toEqual([[2, 20]]);
    c.finish();
    expect(handed).toEqual([[2, 20], [1, 20]]);
  });

  it('connections waiting for their port do not crowd out records waiting for others', () => {
    const { c, handed } = context();
    for (let i = 0; i < MAX_WAITING; i++) c.tcpEnded(portless, noTls, 1);
    expect(c.otherConnections).toBe(0);
    // Past the bound of its own kind a connection is concluded at once...
    c.tcpEnded(portless, noTls, 1);
    expect(c.otherConnections).toBe(1);
    // ...while a record of the other kind still waits.
    c.quicEnded(unanswered(7), 5);
    expect(handed).toEqual([]);
    c.finish();
    expect(c.otherConnections).toBe(MAX_WAITING + 1);
    expect(handed).toEqual([[7, 5]]);
  });

  it('records waiting for others do not crowd out connections waiting for their port', () => {
    const { c, handed } = context();
    for (let i = 0; i < MAX_WAITING; i++) c.quicEnded(unanswered(i), 1);
    c.tcpEnded(portless, noTls, 1);
    // Still waiting: concluded (and counted as not TLS) only at the end.
    expect(c.otherConnections).toBe(0);
    expect(handed).toEqual([]);
    c.finish();
    expect(c.otherConnections).toBe(1);
    expect(handed.length).toBe(MAX_WAITING);
  });

  it('records past their own bound are handed on at once', () => {
    const { c, handed } = context();
    for (let i = 0; i < MAX_WAITING; i++) c.quicEnded(unanswered(i), 1);
    c.quicEnded(unanswered(MAX_WAITING), 2);
    expect(handed).toEqual([[MAX_WAITING, 2]]);
    c.finish();
    expect(handed.length).toBe(MAX_WAITING + 1);
  });
});
