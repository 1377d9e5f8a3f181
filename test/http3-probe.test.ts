// The HTTP/3 probe against UDP servers on loopback, made here from the codec's own parts: each
// answers the probe's Initial one way (a ServerHello, a close, Version Negotiation, a Retry,
// nothing). Caddy's real HTTP/3 is probed in the lab (test/lab.test.ts).
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHandshakeCrypto as c } from '@tlsdoctor/analysis';
import { probeHttp3 } from '@tlsdoctor/probe';
import {
  openQuicLongPacket,
  parseClientHello,
  parseQuicDatagram,
  parseQuicFrames,
  quicCloseFrame,
  quicCryptoFrame,
  quicInitialKeys,
  sealQuicInitial,
  type QuicLongPacket,
} from '@tlsdoctor/tls-parser-ts';

/** A TLS 1.3 ServerHello message: TLS_AES_128_GCM_SHA256, an x25519 key share. */
const SERVER_HELLO = (() => {
  const ext = [0x00, 0x2b, 0x00, 0x02, 0x03, 0x04, 0x00, 0x33, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, ...new Array(32).fill(9)];
  const body = [0x03, 0x03, ...new Array(32).fill(1), 0x00, 0x13, 0x01, 0x00, ext.length >> 8, ext.length & 0xff, ...ext];
  return Uint8Array.from([0x02, 0, body.length >> 8, body.length & 0xff, ...body]);
})();

type Reply = (p: QuicLongPacket, d: Uint8Array, send: (b: Uint8Array) => void, n: number) => void;
const sockets: dgram.Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

/** A UDP server on 127.0.0.1 that hands each client Initial to `reply`; resolves to its port. */
function server(reply: Reply): Promise<{ port: number; received: { sni?: string; alpn?: string[]; frames: number[] }[] }> {
  const s = dgram.createSocket('udp4');
  sockets.push(s);
  const received: { sni?: string; alpn?: string[]; frames: number[] }[] = [];
  let n = 0;
  s.on('message', (msg, from) => {
    const d = new Uint8Array(msg);
    const p = parseQuicDatagram(d)[0] as QuicLongPacket;
    const keys = quicInitialKeys(c, p.version, p.dcid)!;
    const opened = openQuicLongPacket(c, keys.client, d, p);
    const frames = opened ? parseQuicFrames(opened.payload) : undefined;
    const ch = frames?.crypto[0] ? parseClientHello(frames.crypto[0].data.subarray(4)) : undefined;
    received.push({ sni: ch?.serverNames?.[0], alpn: ch?.alpn, frames: frames?.types ?? [] });
    reply(p, d, (b) => s.send(b, from.port, from.address), n++);
  });
  return new Promise((res) => s.bind(0, '127.0.0.1', () => res({ port: s.address().port, received })));
}

/** The server's Initial, protected with the keys of the client's DCID, carrying `frames`. */
function serverInitial(p: QuicLongPacket, frames: Uint8Array, dcidForKeys = p.dcid): Uint8Array {
  const keys = quicInitialKeys(c, p.version, dcidForKeys)!;
  return sealQuicInitial(c, keys.server, { version: p.version, dcid: p.scid, scid: Uint8Array.of(5, 6, 7, 8), packetNumber: 0, frames, minDatagram: 0 });
}

describe('HTTP/3 probe on loopback', () => {
  it('reads the ServerHello from the server\'s Initial, then says goodbye with a CONNECTION_CLOSE', async () => {
    const srv = await server((p, _d, send, n) => {
      if (n === 0) send(serverInitial(p, quicCryptoFrame(0, SERVER_HELLO)));
    });
    const r = await probeHttp3('127.0.0.1', 4, srv.port, 'h3.example.test', 2000, 'h3=":443"');
    expect(r).toMatchObject({ outcome: 'answered', sent: 1, serverHello: { version: 0x0304, cipher: 0x1301, group: 0x1d }, advertised: 'h3=":443"' });
    // The probe waits a moment for Handshake packets, then closes; the server saw the hello's name and ALPN.
    await new Promise((res) => setTimeout(res, 100));
    expect(srv.received[0]).toMatchObject({ sni: 'h3.example.test', alpn: ['h3'] });
    expect(srv.received.at(-1)!.frames[0]).toBe(0x1c);
    expect(r.ms).toBeLessThan(2000);
  });

  it('names a CONNECTION_CLOSE with a crypto error', async () => {
    const srv = await server((p, _d, send) => send(serverInitial(p, Uint8Array.from([0x1c, 0x41, 0x78, 0x06, 0x03, 0x61, 0x62, 0x63]))));
    const r = await probeHttp3('127.0.0.1', 4, srv.port, 'x.test', 2000);
    expect(r.outcome).toBe('closed');
    expect(r.close).toEqual({ code: 0x178, name: 'CRYPTO_ERROR (TLS alert No application Protocol (120))', reason: 'abc' });
  });

  it('reads Version Negotiation', async () => {
    const srv = await server((p, _d, send) => send(Uint8Array.from([0x80, 0, 0, 0, 0, p.scid.length, ...p.scid, p.dcid.length, ...p.dcid, 0xff, 0, 0, 0x1d, 0x0a, 0x1a, 0x2a, 0x3a])));
    const r = await probeHttp3('127.0.0.1', 4, srv.port, 'x.test', 2000);
    expect(r).toMatchObject({ outcome: 'version-negotiation', versions: [0xff00001d, 0x0a1a2a3a] });
  });

  it('follows one Retry: the next Initial carries the token, to the connection ID the server chose', async () => {
    const retryScid = Uint8Array.of(0xee, 0xee, 0xee, 0xee);
    const srv = await server((p, _d, send, n) => {
      if (n === 0) {
        // A Retry (type 3 in version 1): token "tok", then a 16-byte tag this probe does not check.
        send(Uint8Array.from([0xf0, 0, 0, 0, 1, p.scid.length, ...p.scid, retryScid.length, ...retryScid, 0x74, 0x6f, 0x6b, ...new Array(16).fill(0)]));
      } else if (n === 1) {
        expect([...p.dcid]).toEqual([...retryScid]);
        expect([...(p.token ?? [])]).toEqual([0x74, 0x6f, 0x6b]);
        send(serverInitial(p, quicCryptoFrame(0, SERVER_HELLO)));
      }
    });
    const r = await probeHttp3('127.0.0.1', 4, srv.port, 'x.test', 2000);
    expect(r).toMatchObject({ outcome: 'answered', retried: true, sent: 2 });
  });

  it('a silent server: the Initial is sent again, bounded, and the probe ends at its timeout', async () => {
    const srv = await server(() => {});
    const r = await probeHttp3('127.0.0.1', 4, srv.port, 'x.test', 1000);
    expect(r).toMatchObject({ outcome: 'silent', sent: 3 });
    expect(r.ms).toBeGreaterThanOrEqual(990);
    expect(srv.received).toHaveLength(3);
    expect(srv.received.every((x) => x.sni === 'x.test')).toBe(true);
  });

  it('nothing listening: the ICMP port unreachable ends it at once', async () => {
    const s = dgram.createSocket('udp4');
    const port = await new Promise<number>((res) => s.bind(0, '127.0.0.1', () => res(s.address().port)));
    s.close();
    const r = await probeHttp3('127.0.0.1', 4, port, 'x.test', 2000);
    expect(r.outcome).toBe('refused');
    expect(r.ms).toBeLessThan(1000);
  });
});
