import { describe, expect, it } from 'vitest';
import { diagnoseConnection } from '../capture.js';
import { cert, clientHello, connection, T0 } from '../facts.fixtures.js';
import { judgeCaptureSsl2 } from './versions.js';

const sslv2 = { frame: 5, time: T0 + 0.002, version: 0x0002, cipherSpecs: [0x010080, 0x0700c0], sessionIdHit: false };

describe('an SSL 2.0 answer', () => {
  it('is SSL2_HANDSHAKE with the hellos, the cipher kinds and the certificate', () => {
    const r = connection({ clientHello: { ...clientHello(4, 0.001), legacyVersion: 0x0002 } as never, sslv2, certificates: [cert({ subject: 'CN=old.example' })], version: 0x0002 });
    const [f] = judgeCaptureSsl2(r);
    expect(f.code).toBe('SSL2_HANDSHAKE');
    expect(f.severity).toBe('error');
    expect(f.evidence).toEqual([
      'the client sent an SSL 2.0-format ClientHello in frame 4 offering SSL 2.0',
      'the server answered with an SSL 2.0 SERVER-HELLO in frame 5: SSL 2.0, 2 cipher kinds offered, certificate CN=old.example',
      'SSL 2.0 is a deprecated protocol: broken (export ciphers, no handshake integrity) and prohibited by RFC 6176; no current client or library speaks it',
    ]);
  });

  it('without a ClientHello or a certificate says what it saw', () => {
    expect(judgeCaptureSsl2(connection({ sslv2: { ...sslv2, cipherSpecs: [0x010080] } }))[0].evidence).toEqual([
      'the server answered with an SSL 2.0 SERVER-HELLO in frame 5: SSL 2.0, 1 cipher kind offered',
      'SSL 2.0 is a deprecated protocol: broken (export ciphers, no handshake integrity) and prohibited by RFC 6176; no current client or library speaks it',
    ]);
  });

  it('is the whole verdict: nothing else is judged of the connection', () => {
    expect(diagnoseConnection(connection({ sslv2, certificates: [cert({ selfSigned: true, selfIssued: true })] }), { captureEnd: T0 + 10 }).map((f) => f.code)).toEqual(['SSL2_HANDSHAKE']);
    expect(judgeCaptureSsl2(connection())).toEqual([]);
  });
});
