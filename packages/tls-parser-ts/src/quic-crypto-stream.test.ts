import { describe, expect, it } from 'vitest';
import { buildClientHelloMessage } from './builder.js';
import { QuicCryptoStream } from './quic-crypto-stream.js';
import type { StreamEvent } from './stream-events.js';

describe('QUIC CRYPTO stream', () => {
  const message = (type: number, body: number[]) => new Uint8Array([type, 0, 0, body.length, ...body]);
  const types = (events: StreamEvent[]) => events.map((e) => (e.kind === 'handshake' ? e.msgType : e.kind));

  it('puts frames back in order across packets, with overlaps and repeats', () => {
    const s = new QuicCryptoStream();
    const m = message(1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    s.add(8, m.subarray(8));
    expect(s.takeEvents('server')).toEqual([]);
    expect(s.contiguous).toBe(0);
    s.add(0, m.subarray(0, 4));
    s.add(2, m.subarray(2, 10));
    s.add(0, m.subarray(0, 4));
    expect(s.contiguous).toBe(m.length);
    const [got] = s.takeEvents('server');
    expect(got.kind === 'handshake' && { type: got.msgType, body: [...got.body], offset: got.offset }).toEqual({ type: 1, body: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], offset: 0 });
    expect(s.takeEvents('server')).toEqual([]);
  });

  it('gives two messages in one run, and says what the unfinished one lacks', () => {
    const s = new QuicCryptoStream();
    const two = new Uint8Array([...message(2, [7]), ...message(8, [1, 2, 3])]);
    s.add(0, two.subarray(0, 7));
    expect(types(s.takeEvents('client'))).toEqual([2]);
    // Its header is not whole yet: nothing to say of it.
    expect(s.pendingMessage()).toBeUndefined();
    s.add(7, two.subarray(7, 10));
    expect(s.pendingMessage()).toEqual({ type: 8, length: 7, received: 5 });
    s.add(10, two.subarray(10));
    expect(types(s.takeEvents('client'))).toEqual([8]);
    expect(s.pendingMessage()).toBeUndefined();
  });

  it('keeps no byte past its limit, and counts them', () => {
    const s = new QuicCryptoStream(16);
    s.add(10, new Uint8Array(10));
    s.add(1_000_000, new Uint8Array(5));
    expect(s.dropped).toBe(9);
    expect(s.received).toBe(6);
  });
});

describe('QUIC CRYPTO stream as events', () => {
  const hello = buildClientHelloMessage({ versions: [0x0304], cipherSuites: [0x1301], groups: [0x1d], serverName: 'h3.test', random: new Uint8Array(32).fill(9) });
  const u24 = (n: number) => [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  const short = (events: StreamEvent[]) => events.map((e) => (e.kind === 'handshake' ? `${e.msgType}@${e.offset}${e.decrypted ? ' decrypted' : ''}${e.clientHello ? ' hello' : ''}` : e.kind === 'error' ? `error@${e.offset}` : e.kind));

  it.each<[string, 'client' | 'server', boolean, Uint8Array, string[]]>([
    ["the client's ClientHello, parsed", 'client', false, hello, [`1@0 hello`]],
    ["a ClientHello in the server's stream is not read as the client's", 'server', false, hello, ['1@0']],
    ['messages opened with keys are marked, and no hello is parsed among them', 'client', true, new Uint8Array([...hello, 20, 0, 0, 1, 7]), ['1@0 decrypted', `20@${hello.length} decrypted`]],
    ['a hello that does not parse: the message, then the error', 'client', false, new Uint8Array([1, 0, 0, 3, 3, 3, 0]), ['1@0', 'error@6']],
  ])('%s', (_name, side, decrypted, bytes, expected) => {
    const s = new QuicCryptoStream();
    // Out of order, as Initials often arrive: nothing is taken before the stream's start is in.
    s.add(5, bytes.subarray(5));
    expect(s.takeEvents(side, decrypted)).toEqual([]);
    s.add(0, bytes.subarray(0, 5));
    expect(short(s.takeEvents(side, decrypted))).toEqual(expected);
    expect(s.takeEvents(side, decrypted)).toEqual([]);
  });

  it('takes each message once, from where the last taking stopped', () => {
    const s = new QuicCryptoStream();
    s.add(0, new Uint8Array([8, 0, 0, 2, 1, 2]));
    expect(s.takeEvents('server')).toMatchObject([{ kind: 'handshake', msgType: 8, offset: 0 }]);
    s.add(6, new Uint8Array([11, 0, 0, 1, 9, 15, 0]));
    expect(s.takeEvents('server')).toMatchObject([{ kind: 'handshake', msgType: 11, offset: 6, body: new Uint8Array([9]) }]);
    s.add(13, new Uint8Array([0, 0]));
    expect(s.takeEvents('server')).toMatchObject([{ kind: 'handshake', msgType: 15, offset: 11 }]);
  });

  it("a parsed hello keeps bytes of its own: the stream's later bytes do not reach it", () => {
    const s = new QuicCryptoStream();
    s.add(0, hello);
    const [ev] = s.takeEvents('client');
    // A retransmission that differs (a hostile one) writes over the same offsets.
    s.add(0, new Uint8Array(hello.length).fill(0xa5));
    expect(ev.kind === 'handshake' && ev.clientHello?.serverNames).toEqual(['h3.test']);
  });

  it('a message longer than the stream can hold is an error at its length, and ends the taking', () => {
    const s = new QuicCryptoStream(64);
    s.add(0, new Uint8Array([20, 0, 0, 1, 7, 11, ...u24(100), 1, 2, 3]));
    expect(short(s.takeEvents('server'))).toEqual(['20@0', 'error@6']);
    expect(s.takeEvents('server')).toEqual([]);
    // Its pending message is still told, for a ClientHello cut short.
    expect(s.pendingMessage()).toEqual({ type: 11, length: 104, received: 7 });
  });
});
