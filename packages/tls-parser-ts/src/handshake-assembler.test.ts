import { describe, expect, it } from 'vitest';
import { buildClientHelloMessage } from './builder.js';
import { TlsParseError } from './errors.js';
import { HandshakeAssembler, type AssemblerOptions } from './handshake-assembler.js';
import type { HandshakeEvent } from './stream-events.js';
import type { StreamEvent } from './stream-events.js';

const u24 = (n: number) => [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
/** A handshake message of this type with a body of `len` bytes (each byte its index). */
const msg = (type: number, len: number) => [type, ...u24(len), ...Array.from({ length: len }, (_, i) => i & 0xff)];
const hello = Array.from(buildClientHelloMessage({ versions: [0x0304, 0x0303], cipherSuites: [0x1301], groups: [0x1d], serverName: 'x.test', random: new Uint8Array(32).fill(7) }));

const PLAIN: AssemblerOptions = { hellosOf: 'client', maxMessage: 1000, decrypted: false, join: 'first-fragment' };
const OPENED: AssemblerOptions = { hellosOf: undefined, maxMessage: 1000, decrypted: true, join: 'last-fragment' };

/** Each fragment cut at its offset; the events in short. */
function cut(opts: AssemblerOptions, fragments: [number[], number][]): string[] {
  const a = new HandshakeAssembler(opts);
  const out: StreamEvent[] = [];
  for (const [bytes, offset] of fragments) a.cut(Uint8Array.from(bytes), offset, false, out);
  return out.map((e) => {
    if (e.kind === 'error') return `error@${e.offset}`;
    if (e.kind !== 'handshake') return e.kind;
    return `${e.msgType}:${e.body.length}@${e.offset}${e.decrypted ? ' decrypted' : ''}${e.clientHello ? ' hello' : ''}`;
  });
}

describe('HandshakeAssembler', () => {
  const a = msg(11, 4); // 8 bytes
  const b = msg(20, 0); // 4 bytes
  it.each<[string, AssemblerOptions, [number[], number][], string[]]>([
    ['two messages in one fragment', PLAIN, [[[...a, ...b], 10]], ['11:4@10', '20:0@18']],
    ['a message over three fragments: placed at its first byte', PLAIN, [[a.slice(0, 2), 100], [a.slice(2, 6), 205], [a.slice(6), 300]], ['11:4@100']],
    ['the same opened with keys: placed at the fragment that completed it', OPENED, [[a.slice(0, 2), 100], [a.slice(2, 6), 205], [a.slice(6), 300]], ['11:4@300 decrypted']],
    ['a message after a joined one, in the same fragment', PLAIN, [[a.slice(0, 6), 0], [[...a.slice(6), ...b], 50]], ['11:4@0', '20:0@8']],
    ['the same opened with keys', OPENED, [[a.slice(0, 6), 0], [[...a.slice(6), ...b], 50]], ['11:4@50 decrypted', '20:0@58 decrypted']],
    ['a header split before its length', PLAIN, [[a.slice(0, 1), 0], [a.slice(1, 3), 1], [a.slice(3), 3]], ['11:4@0']],
    ['an empty fragment changes nothing', PLAIN, [[a.slice(0, 5), 0], [[], 5], [a.slice(5), 5]], ['11:4@0']],
    ["this side's hello is parsed", PLAIN, [[hello, 0]], [`1:${hello.length - 4}@0 hello`]],
    ["the other side's is not", { ...PLAIN, hellosOf: 'server' }, [[hello, 0]], [`1:${hello.length - 4}@0`]],
    ['nor one opened with keys (a renegotiation)', { ...OPENED, hellosOf: undefined }, [[hello, 0]], [`1:${hello.length - 4}@0 decrypted`]],
    ['a hello that does not parse: the message, then the error inside it', PLAIN, [[[1, ...u24(3), 3, 3, 0], 40]], ['1:3@40', 'error@46']],
  ])('%s', (_name, opts, fragments, expected) => {
    expect(cut(opts, fragments)).toEqual(expected);
  });

  it.each<[string, number[]]>([
    ['whole', msg(11, 1001)],
    ['its header alone', msg(11, 1001).slice(0, 4)],
  ])('a message declaring more than the maximum throws at its length field (%s), after the messages before it', (_name, bytes) => {
    const a = new HandshakeAssembler(PLAIN);
    const out: StreamEvent[] = [];
    expect(() => a.cut(Uint8Array.from([...b, ...bytes]), 100, false, out)).toThrow(new TlsParseError(105, 'a handshake message of at most 1000 bytes', '1001'));
    expect(out.map((e) => e.kind === 'handshake' && e.msgType)).toEqual([20]);
  });

  it('a listener that answers "under keys" stops the cutting, and nothing of the rest is kept', () => {
    const a = new HandshakeAssembler(PLAIN);
    const out: StreamEvent[] = [];
    const seen: number[] = [];
    const listener = { afterMessage: (ev: HandshakeEvent) => (seen.push(ev.msgType), ev.msgType === 2) };
    expect(a.cut(Uint8Array.from([...msg(2, 3), ...msg(8, 2), ...msg(11, 9).slice(0, 5)]), 0, false, out, listener)).toBe(7);
    expect(seen).toEqual([2]);
    // The next fragment starts a message of its own.
    a.cut(Uint8Array.from(msg(20, 1)), 40, false, out);
    expect(out.map((e) => e.kind === 'handshake' && `${e.msgType}@${e.offset}`)).toEqual(['2@0', '20@40']);
  });

  it('drop lets kept bytes go: the next fragment starts a message', () => {
    const a = new HandshakeAssembler(PLAIN);
    const out: StreamEvent[] = [];
    a.cut(Uint8Array.from(msg(11, 4).slice(0, 6)), 0, false, out);
    a.drop();
    a.cut(Uint8Array.from(msg(20, 2)), 30, false, out);
    expect(out).toMatchObject([{ msgType: 20, offset: 30 }]);
  });

  it('returns the bytes taken as whole messages; the rest is kept for the next fragment', () => {
    const a = new HandshakeAssembler(PLAIN);
    const out: StreamEvent[] = [];
    const tail = msg(14, 9);
    expect(a.cut(Uint8Array.from([...msg(11, 4), ...msg(20, 0), ...tail.slice(0, 5)]), 0, false, out)).toBe(12);
    expect(a.cut(Uint8Array.from(tail.slice(5)), 17, false, out)).toBe(13);
    expect(out.map((e) => e.kind === 'handshake' && `${e.msgType}:${e.body.length}@${e.offset}`)).toEqual(['11:4@0', '20:0@8', '14:9@12']);
  });

  it("with join 'none' nothing is kept: the caller hands over the bytes not taken again", () => {
    const a = new HandshakeAssembler({ ...PLAIN, join: 'none' });
    const out: StreamEvent[] = [];
    const bytes = Uint8Array.from([...msg(11, 4), ...msg(20, 0), ...msg(14, 9)]);
    expect(a.cut(bytes.subarray(0, 17), 0, false, out)).toBe(12);
    expect(a.cut(bytes.subarray(12), 12, false, out)).toBe(13);
    expect(out.map((e) => e.kind === 'handshake' && `${e.msgType}:${e.body.length}@${e.offset}`)).toEqual(['11:4@0', '20:0@8', '14:9@12']);
  });

  it('a hello from a transient fragment keeps bytes of its own', () => {
    const a = new HandshakeAssembler(PLAIN);
    const chunk = Uint8Array.from(hello);
    const out: StreamEvent[] = [];
    a.cut(chunk, 0, true, out);
    chunk.fill(0xa5);
    const ev = out[0] as HandshakeEvent;
    expect(ev.clientHello!.random).toEqual(new Uint8Array(32).fill(7));
    expect(ev.clientHello!.serverNames).toEqual(['x.test']);
  });
});
