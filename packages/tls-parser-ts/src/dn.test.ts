// Distinguished names as a server's CertificateRequest lists them, and both forms of that message.
import { describe, expect, it } from 'vitest';
import { distinguishedName } from './dn.js';
import { TlsParseError } from './errors.js';
import { parseCertificateRequest, parseTls13CertificateRequest } from './messages.js';

const der = (tag: number, body: number[]): number[] => {
  const n = body.length;
  const len = n < 128 ? [n] : n < 256 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return [tag, ...len, ...body];
};
const oid = (...arcs: number[]) => {
  const out = [arcs[0] * 40 + arcs[1]];
  for (const a of arcs.slice(2)) {
    const parts = [a & 0x7f];
    for (let v = a >> 7; v > 0; v >>= 7) parts.unshift((v & 0x7f) | 0x80);
    out.push(...parts);
  }
  return der(0x06, out);
};
const str = (tag: number, s: string) => der(tag, [...Buffer.from(s, tag === 30 ? 'utf16le' : 'utf8')].map((b, i, a) => (tag === 30 ? a[i ^ 1] : b)));
const atv = (o: number[], value: number[]) => der(0x31, der(0x30, [...o, ...value]));
const name = (...rdns: number[][]) => new Uint8Array(der(0x30, rdns.flat()));
const CN = oid(2, 5, 4, 3);
const O = oid(2, 5, 4, 10);
const C = oid(2, 5, 4, 6);

describe('distinguishedName', () => {
  it.each([
    // [what, DER, text]
    ['one CN, UTF8String', name(atv(CN, str(12, 'tlsdoctor Lab Root CA'))), 'CN=tlsdoctor Lab Root CA'],
    ['C, O, CN in order, PrintableString', name(atv(C, str(19, 'US')), atv(O, str(19, 'Example')), atv(CN, str(19, 'Example CA'))), 'C=US, O=Example, CN=Example CA'],
    ['a BMPString', name(atv(CN, str(30, 'Zoë CA'))), 'CN=Zoë CA'],
    ['UTF-8 beyond Latin-1', name(atv(CN, str(12, '测试根证书'))), 'CN=测试根证书'],
    ['an attribute without a short name keeps its OID', name(atv(oid(1, 3, 6, 1, 4, 1, 311, 60, 2, 1, 3), str(19, 'CN'))), '1.3.6.1.4.1.311.60.2.1.3=CN'],
    ['an empty name', name(), ''],
    ['a long form length', name(atv(CN, str(12, 'x'.repeat(200)))), `CN=${'x'.repeat(200)}`],
  ] as [string, Uint8Array, string][])('%s', (_what, bytes, want) => {
    expect(distinguishedName(bytes)).toBe(want);
  });

  it.each([
    ['not a SEQUENCE', new Uint8Array([0x31, 0])],
    ['a length past the end', new Uint8Array([0x30, 5, 0x31])],
    ['a five-byte length', new Uint8Array([0x30, 0x85, 0, 0, 0, 0, 1])],
    ['truncated inside an attribute', name(atv(CN, str(12, 'abc'))).subarray(0, 9)],
  ])('%s is a TlsParseError', (_what, bytes) => {
    expect(() => distinguishedName(bytes)).toThrow(TlsParseError);
  });
});

const u16 = (n: number) => [n >> 8, n & 0xff];
const vec16 = (b: number[]) => [...u16(b.length), ...b];
const root = [...name(atv(CN, str(12, 'Lab Root')))];
const odd = [0x04, 0x01, 0xff];

describe('CertificateRequest', () => {
  it('TLS 1.2: types, signature algorithms and CA names; a name that does not decode is shown by size', () => {
    const body = new Uint8Array([1, 64, ...vec16([4, 3, 8, 4]), ...vec16([...vec16(root), ...vec16(odd)])]);
    expect(parseCertificateRequest(body, 0x0303)).toEqual({ certificateTypes: [64], signatureAlgorithms: [0x0403, 0x0804], certificateAuthorities: 2, caNames: ['CN=Lab Root', '(3-byte name that does not decode)'] });
  });

  it('TLS 1.0: no signature algorithms', () => {
    expect(parseCertificateRequest(new Uint8Array([1, 1, 0, 0]), 0x0301)).toEqual({ certificateTypes: [1], signatureAlgorithms: undefined, certificateAuthorities: 0, caNames: [] });
  });

  it('TLS 1.3: context, then signature_algorithms and certificate_authorities among other extensions', () => {
    const exts = [...u16(13), ...vec16(vec16([4, 3])), ...u16(0x1234), ...vec16([9]), ...u16(47), ...vec16(vec16(vec16(root)))];
    const body = new Uint8Array([0, ...vec16(exts)]);
    const want = { certificateTypes: [], signatureAlgorithms: [0x0403], certificateAuthorities: 1, caNames: ['CN=Lab Root'] };
    expect(parseTls13CertificateRequest(body)).toEqual(want);
    expect(parseCertificateRequest(body, 0x0304)).toEqual(want);
    expect(parseTls13CertificateRequest(new Uint8Array([0, 0, 0]))).toEqual({ certificateTypes: [], signatureAlgorithms: undefined, certificateAuthorities: 0, caNames: [] });
  });

  it.each([
    ['cut inside the extensions', new Uint8Array([0, 0, 8, 0, 13, 0, 4])],
    ['bytes after the extensions', new Uint8Array([0, 0, 0, 1])],
    ['a context longer than the message', new Uint8Array([5, 0])],
  ])('TLS 1.3: %s is a TlsParseError', (_what, body) => {
    expect(() => parseTls13CertificateRequest(body)).toThrow(TlsParseError);
  });
});
