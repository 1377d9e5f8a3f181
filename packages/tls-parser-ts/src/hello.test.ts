import { describe, expect, it } from 'vitest';
import { buildClientHelloMessage } from './builder.js';
import { Ext } from './extensions.js';
import { parseClientHello, parseServerHello } from './hello.js';
import { Version } from './names.js';
import { ByteWriter } from './writer.js';

const body = (msg: Uint8Array) => msg.subarray(4);

// TLS 1.2 only and no groups: the builder then writes none of the extensions the rows break.
function hello(extraExtensions: { type: number; data: Uint8Array }[]) {
  return parseClientHello(body(buildClientHelloMessage({ versions: [Version.TLS12], cipherSuites: [0x1301, 0xc02f], serverName: 'ok.example.test', alpn: ['h2'], extraExtensions })));
}

describe('ClientHello extensions: malformed data is found at parse time', () => {
  // Each row: an extension whose data breaks its own format, the field it would fill, and the
  // words the malformed note must carry.
  const rows: { name: string; type: number; data: number[]; field: string; note: RegExp }[] = [
    { name: 'odd-length signature_algorithms', type: Ext.signature_algorithms, data: [0, 3, 4, 3, 5], field: 'signatureAlgorithms', note: /whole 16-bit values/ },
    { name: 'vector longer than the extension', type: Ext.supported_groups, data: [0, 8, 0, 0x1d], field: 'supportedGroups', note: /needs 8 byte/ },
    { name: 'trailing bytes after ec_point_formats', type: Ext.ec_point_formats, data: [1, 0, 9], field: 'ecPointFormats', note: /trailing/ },
    { name: 'key_share entry cut short', type: Ext.key_share, data: [0, 6, 0, 0x1d, 0, 32, 1, 2], field: 'keyShares', note: /key_exchange/ },
    { name: 'psk binders missing', type: Ext.pre_shared_key, data: [0, 0], field: 'preSharedKey', note: /psk binders/ },
    { name: 'record_size_limit of one byte', type: Ext.record_size_limit, data: [0x40], field: 'recordSizeLimit', note: /record_size_limit/ },
    { name: 'ECH outer without a payload', type: Ext.encrypted_client_hello, data: [0, 0, 1, 0, 1, 7, 0, 0], field: 'encryptedClientHello', note: /ECH payload/ },
  ];
  it.each(rows)('$name: marked malformed, its field unset, the rest decoded', ({ type, data, field, note }) => {
    const h = hello([{ type, data: Uint8Array.from(data) }]);
    const ext = h.extensions.find((e) => e.type === type);
    expect(ext?.malformed).toMatch(note);
    expect((h as unknown as Record<string, unknown>)[field]).toBeUndefined();
    expect(h.serverNames).toEqual(['ok.example.test']);
    expect(h.alpn).toEqual(['h2']);
    expect(h.extensions.filter((e) => e.malformed)).toHaveLength(1);
  });

  it('a repeated extension is decoded from its first copy, and both stay in the list', () => {
    const h = hello([
      { type: Ext.record_size_limit, data: Uint8Array.from([0x40, 0x00]) },
      { type: Ext.record_size_limit, data: Uint8Array.from([0x20, 0x00]) },
    ]);
    expect(h.recordSizeLimit).toBe(0x4000);
    expect(h.extensionTypes.filter((t) => t === Ext.record_size_limit)).toHaveLength(2);
  });

  it('values are built once and kept', () => {
    const h = hello([]);
    expect(h.cipherSuites).toBe(h.cipherSuites);
    expect(h.extensions).toBe(h.extensions);
    expect(h.serverNames).toBe(h.serverNames);
  });
});

describe('ServerHello', () => {
  function serverHello(random: Uint8Array, exts: [number, number[]][]) {
    const w = new ByteWriter();
    w.u16(0x0303).bytes(random).u8(0).u16(0x1301).u8(0);
    const e = new ByteWriter();
    for (const [type, data] of exts) e.u16(type).u16(data.length).bytes(Uint8Array.from(data));
    w.u16(e.length).bytes(e.finish());
    return parseServerHello(w.finish());
  }
  const HRR = Uint8Array.from(Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex'));
  const DOWNGRADE12 = Uint8Array.from([...new Array(24).fill(7), 0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 1]);

  it.each([
    { name: 'TLS 1.3 ServerHello', random: new Uint8Array(32).fill(3), exts: [[Ext.supported_versions, [3, 4]], [Ext.key_share, [0, 0x1d, 0, 2, 9, 9]]] as [number, number[]][], version: 0x0304, hrr: false, group: 0x1d, shares: 1, sentinel: undefined },
    { name: 'HelloRetryRequest asks for a group, no key', random: HRR, exts: [[Ext.supported_versions, [3, 4]], [Ext.key_share, [0, 0x17]]] as [number, number[]][], version: 0x0304, hrr: true, group: 0x17, shares: undefined, sentinel: undefined },
    { name: 'TLS 1.2 with the downgrade sentinel', random: DOWNGRADE12, exts: [] as [number, number[]][], version: 0x0303, hrr: false, group: undefined, shares: undefined, sentinel: 'tls12' },
  ])('$name', ({ random, exts, version, hrr, group, shares, sentinel }) => {
    const sh = serverHello(random, exts);
    expect(sh.version).toBe(version);
    expect(sh.isHelloRetryRequest).toBe(hrr);
    expect(sh.keyShareGroup).toBe(group);
    expect(sh.keyShares?.length).toBe(shares);
    expect(sh.downgradeSentinel).toBe(sentinel);
    expect(sh.extensions.every((e) => !e.malformed)).toBe(true);
  });
});
