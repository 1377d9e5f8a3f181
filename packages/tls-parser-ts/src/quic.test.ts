import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TlsParseError } from './errors.js';
import { parseQuicFrames, quicCloseFrame, quicCryptoFrame, quicVarint } from './quic-frames.js';
import { sealQuicInitial } from './quic-initial.js';
import { parseQuicDatagram, type QuicLongPacket } from './quic-packets.js';
import { decodePacketNumber, openQuicLongPacket, quicInitialKeys, type QuicCrypto } from './quic-protection.js';
import { parseQuicTransportParameters } from './quic-transport-parameters.js';
import { QuicVersion } from './quic-versions.js';
import { hex } from './reader.js';

// The tests bring Node's crypto, as the analysis package does; the codec holds none.
const crypto: QuicCrypto = {
  hmac: (hash, key, data) => new Uint8Array(createHmac(hash, key).update(data).digest()),
  open: (aead, key, nonce, aad, sealed) => {
    try {
      const d = createDecipheriv(aead as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
      d.setAAD(aad);
      d.setAuthTag(sealed.subarray(sealed.length - 16));
      return new Uint8Array(Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]));
    } catch {
      return undefined;
    }
  },
  seal: (aead, key, nonce, aad, plain) => {
    const c = createCipheriv(aead as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
    c.setAAD(aad);
    return new Uint8Array(Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]));
  },
  headerMask: (_cipher, key, sample) => {
    const c = createCipheriv('aes-128-ecb', key, null);
    c.setAutoPadding(false);
    return new Uint8Array(c.update(sample));
  },
};
const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const RFC_DCID = bytes('8394c8f03e515708');

describe('QUIC Initial keys', () => {
  // RFC 9001 appendix A.1 and RFC 9369 appendix A.1: the keys of the client's DCID 8394c8f03e515708.
  it.each([
    ['version 1', QuicVersion.V1, ['1f369613dd76d5467730efcbe3b1a22d', 'fa044b2f42a3fd3b46fb255c', '9f50449e04a0e810283a1e9933adedd2'], ['cf3a5331653c364c88f0f379b6067e37', '0ac1493ca1905853b0bba03e', 'c206b8d9b9f0f37644430b490eeaa314']],
    ['version 2', QuicVersion.V2, ['8b1a0bc121284290a29e0971b5cd045d', '91f73e2351d8fa91660e909f', '45b95e15235d6f45a6b19cbcb0294ba9'], ['82db637861d55e1d011f19ea71d5d2a7', 'dd13c276499c0249d3310652', 'edf6d05c83121201b436e16877593c3a']],
  ])('%s', (_n, version, client, server) => {
    const k = quicInitialKeys(crypto, version, RFC_DCID)!;
    expect([hex(k.client.key), hex(k.client.iv), hex(k.client.hp)]).toEqual(client);
    expect([hex(k.server.key), hex(k.server.iv), hex(k.server.hp)]).toEqual(server);
  });

  it('knows no keys for a version it does not read', () => {
    expect(quicInitialKeys(crypto, 0x51303530, RFC_DCID)).toBeUndefined();
  });
});

// RFC 9001 appendix A.3: the server's Initial, its ServerHello and an ACK, protected.
const SERVER_INITIAL = bytes(`cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a
  5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3
  dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84
  022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc4
  2158407dd074ee`);

describe('QUIC packets', () => {
  it('opens the server Initial of RFC 9001 and reads its frames', () => {
    const [p] = parseQuicDatagram(SERVER_INITIAL) as QuicLongPacket[];
    expect({ kind: p.kind, version: p.version, dcid: hex(p.dcid), scid: hex(p.scid), token: p.token?.length, end: p.end }).toEqual({ kind: 'initial', version: 1, dcid: '', scid: 'f067a5502a4262b5', token: 0, end: SERVER_INITIAL.length });
    const keys = quicInitialKeys(crypto, 1, RFC_DCID)!;
    const opened = openQuicLongPacket(crypto, keys.server, SERVER_INITIAL, p)!;
    expect(opened.packetNumber).toBe(1);
    const frames = parseQuicFrames(opened.payload);
    expect(frames.types).toEqual([0x02, 0x06]);
    expect(frames.largestAcked).toBe(0);
    expect(frames.crypto).toHaveLength(1);
    // A ServerHello (type 2) of 0x56 bytes, whole in this one frame.
    expect(hex(frames.crypto[0].data.subarray(0, 6))).toBe('020000560303');
    // The client's keys do not open it, nor does a changed byte.
    expect(openQuicLongPacket(crypto, keys.client, SERVER_INITIAL, p)).toBeUndefined();
    const bent = SERVER_INITIAL.slice();
    bent[bent.length - 1] ^= 1;
    expect(openQuicLongPacket(crypto, keys.server, bent, p)).toBeUndefined();
    // The datagram is left as it was.
    expect(SERVER_INITIAL[0]).toBe(0xcf);
  });

  it.each([
    // RFC 9000 appendix A.3's example, and the edges of the window.
    [0xa82f30ea, 0x9b32, 16, 0xa82f9b32],
    [-1, 0, 8, 0],
    [0xff, 0x01, 8, 0x101],
    [0x100, 0xff, 8, 0xff],
    [2 ** 40, 0, 32, 2 ** 40],
  ])('packet number: largest %i, truncated %i of %i bits is %i', (largest, truncated, bits, want) => {
    expect(decodePacketNumber(largest, truncated, bits)).toBe(want);
  });

  it('splits coalesced packets and stops at padding or a short header', () => {
    const initial = bytes('c0000000010401020304000005' + '00'.repeat(5));
    const handshake = bytes('e0000000010401020304000400000000');
    const d = new Uint8Array([...initial, ...handshake, 0x40, 9, 9, 9]);
    expect(parseQuicDatagram(d).map((p) => [p.form, 'kind' in p ? p.kind : '', p.start, p.end])).toEqual([
      ['long', 'initial', 0, initial.length],
      ['long', 'handshake', initial.length, initial.length + handshake.length],
      ['short', '', initial.length + handshake.length, d.length],
    ]);
    const padded = new Uint8Array([...initial, 0, 0, 0]);
    expect(parseQuicDatagram(padded)).toHaveLength(1);
  });

  it('reads Version Negotiation, Retry and long headers of unknown versions', () => {
    const vn2 = parseQuicDatagram(bytes('8000000000' + '04' + '01020304' + '00' + '00000001' + 'ff00001d'));
    expect(vn2[0]).toMatchObject({ form: 'version-negotiation', versions: [1, 0xff00001d] });
    const retry = parseQuicDatagram(bytes('f0000000010401020304' + '04' + 'aabbccdd' + 'feedfeed' + '11'.repeat(16)));
    expect(retry[0]).toMatchObject({ form: 'long', kind: 'retry' });
    expect(hex((retry[0] as QuicLongPacket).token!)).toBe('feedfeed');
    // Version 2 numbers its types differently: 0b01 is Initial there, 0-RTT in version 1.
    const v2 = parseQuicDatagram(bytes('d06b3343cf0401020304000005' + '00'.repeat(5)));
    expect(v2[0]).toMatchObject({ kind: 'initial', version: QuicVersion.V2 });
    expect(parseQuicDatagram(bytes('c051303530' + '0401020304' + '00' + '99'))[0]).toMatchObject({ form: 'unknown-version', version: 0x51303530 });
  });

  it.each([
    ['a truncated version', 'c00000', 1],
    ['a connection ID past the end', 'c0000000011401', 6],
    ['a packet longer than the datagram', 'c00000000100000010' + '00', 9],
    ['a connection ID of 21 bytes in version 1', 'c00000000115' + '00'.repeat(21) + '00' + '00' + '00', 5],
    ['a Retry without its tag', 'f000000001000000', 7],
    ['a version list cut inside a version', '800000000000000000000100', 11],
  ])('throws TlsParseError with the offset: %s', (_n, h, offset) => {
    try {
      parseQuicDatagram(bytes(h), 1000);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TlsParseError);
      expect((e as TlsParseError).offset).toBe(1000 + offset);
    }
  });
});

describe('QUIC Initials written', () => {
  it.each([
    ['version 1', QuicVersion.V1],
    ['version 2', QuicVersion.V2],
  ])('%s: sealed, padded to 1,200 bytes, and read back with the server\'s view of the keys', (_n, version) => {
    const dcid = bytes('0011223344556677');
    const keys = quicInitialKeys(crypto, version, dcid)!;
    const hello = new Uint8Array(300).fill(7);
    const d = sealQuicInitial(crypto, keys.client, { version, dcid, scid: bytes('aabb'), packetNumber: 2, frames: new Uint8Array([...quicCryptoFrame(0, hello), ...quicCloseFrame()]) });
    expect(d.length).toBe(1200);
    const [p] = parseQuicDatagram(d) as QuicLongPacket[];
    expect({ kind: p.kind, version: p.version, dcid: hex(p.dcid), scid: hex(p.scid), end: p.end }).toEqual({ kind: 'initial', version, dcid: '0011223344556677', scid: 'aabb', end: 1200 });
    const opened = openQuicLongPacket(crypto, quicInitialKeys(crypto, version, p.dcid)!.client, d, p, 1)!;
    expect(opened.packetNumber).toBe(2);
    const f = parseQuicFrames(opened.payload);
    expect(f.crypto).toEqual([{ offset: 0, data: hello }]);
    expect(f.close).toEqual({ frameType: 0x1c, code: 0, triggeringFrame: 0, reason: '' });
    expect(f.types.at(-1)).toBe(0x00);
  });

  it.each([[0, '00'], [63, '3f'], [64, '4040'], [16383, '7fff'], [16384, '80004000'], [2 ** 30 - 1, 'bfffffff']])('varint %i is %s', (v, h) => {
    expect(hex(quicVarint(v))).toBe(h);
  });
});

describe('QUIC frames', () => {
  it('reads PADDING runs once, PING, ACK with ranges and ECN, CRYPTO, NEW_TOKEN and both closes', () => {
    const f = parseQuicFrames(bytes('000000' + '01' + '03' + '0a' + '00' + '01' + '02' + '01' + '01' + '000000' + '06' + '4005' + '03' + 'aabbcc' + '07' + '02' + 'ffff' + '1c' + '4178' + '06' + '03' + '616263'));
    expect(f.types).toEqual([0x00, 0x01, 0x03, 0x06, 0x07, 0x1c]);
    expect(f.largestAcked).toBe(10);
    expect(f.crypto).toEqual([{ offset: 5, data: bytes('aabbcc') }]);
    expect(f.close).toEqual({ frameType: 0x1c, code: 0x178, triggeringFrame: 6, reason: 'abc' });
    expect(parseQuicFrames(bytes('1d' + '410c' + '02' + 'c3a9')).close).toEqual({ frameType: 0x1d, code: 0x10c, reason: 'é' });
  });

  it('stops at a frame an Initial or Handshake packet cannot carry, naming where', () => {
    try {
      parseQuicFrames(bytes('0001' + '08'), 50);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TlsParseError);
      expect((e as TlsParseError).offset).toBe(53);
      expect((e as Error).message).toMatch(/type 0x8/);
    }
  });
});

describe('QUIC transport parameters', () => {
  it('names them, GREASE ids past 2^53 exactly', () => {
    const tps = parseQuicTransportParameters(bytes('0104' + '80007530' + 'c00000000000001b00' + '0f00' + '80004752' + '04' + '00000001'));
    expect(tps.map((t) => t.name)).toEqual(['max_idle_timeout', 'GREASE (0x1b)', 'initial_source_connection_id', 'google_version']);
    // Chromium's, from a capture.
    const big = parseQuicTransportParameters(bytes('d71be2ff92c99efc' + '00'));
    expect(big[0].id).toBe(0x171be2ff92c99efcn);
    expect(big[0].name).toBe('GREASE (0x171be2ff92c99efc)');
    expect(parseQuicTransportParameters(bytes('d71be2ff92c99efd' + '00'))[0].name).toBe('0x171be2ff92c99efd');
  });

  it('throws at a value past the end', () => {
    expect(() => parseQuicTransportParameters(bytes('0105' + '0000'))).toThrow(TlsParseError);
  });
});
