import { describe, expect, it } from 'vitest';
import { hostMatches, ipBytes } from './host-match.js';

describe('host names matched as browsers match them', () => {
  it.each([
    ['the exact name', 'a.example.test', ['a.example.test'], true],
    ['case and a trailing dot do not count', 'A.Example.Test.', ['a.example.test'], true],
    ['another name', 'b.example.test', ['a.example.test'], false],
    ['no SANs at all (the CN is never read)', 'a.example.test', [], false],
    ['a wildcard covers one left-most label', 'www.example.test', ['*.example.test'], true],
    ['a wildcard does not cover the bare domain', 'example.test', ['*.example.test'], false],
    ['a wildcard does not cover two labels', 'a.b.example.test', ['*.example.test'], false],
    ['a partial-label wildcard matches nothing', 'www.example.test', ['w*.example.test'], false],
    ['a wildcard only in the left-most label', 'a.b.example.test', ['a.*.example.test'], false],
    ['a wildcard over a one-label suffix matches nothing', 'example.com', ['*.com'], false],
    ['a second wildcard is never one', 'a.b.test', ['*.*.test'], false],
    ['a Unicode name is compared in its punycode form', 'bücher.example.test', ['xn--bcher-kva.example.test'], true],
    ['under a wildcard too', 'www.bücher.test', ['*.xn--bcher-kva.test'], true],
    ['an IPv4 address matches its IP SAN', '192.0.2.1', ['example.test', '192.0.2.1'], true],
    ['an IPv4 address matches no other', '192.0.2.2', ['192.0.2.1'], false],
    ['an IPv6 address as Node prints the SAN', '2001:db8::1', ['2001:DB8:0:0:0:0:0:1'], true],
    ['an IPv6 address in brackets', '[2001:db8::1]', ['2001:DB8:0:0:0:0:0:1'], true],
    ['an IPv6 address is not its neighbour', '2001:db8::2', ['2001:DB8:0:0:0:0:0:1'], false],
    ['an address never matches a wildcard', '192.0.2.1', ['*.0.2.1'], false],
    ['a name never matches an address SAN', 'example.test', ['192.0.2.1'], false],
    ['an IPv4 address is not its IPv4-mapped IPv6 form', '192.0.2.1', ['0:0:0:0:0:FFFF:C000:201'], false],
  ])('%s', (_n, host, sans, want) => {
    expect(hostMatches(host, sans)).toBe(want);
  });

  it.each([
    ['an address matches an IP SAN', '192.0.2.1', ['192.0.2.1'], ['192.0.2.1'], true],
    ['a dNSName holding the address text is no IP SAN', '192.0.2.1', ['192.0.2.1'], [], false],
    ['beside another IP SAN, still not', '192.0.2.1', ['192.0.2.1', '192.0.2.9'], ['192.0.2.9'], false],
    ['a name still matches the dNSNames', 'a.example.test', ['a.example.test', '192.0.2.1'], ['192.0.2.1'], true],
  ])('with the kinds kept: %s', (_n, host, sans, ipSans, want) => {
    expect(hostMatches(host, sans, ipSans)).toBe(want);
  });

  it.each([
    ['192.0.2.1', [192, 0, 2, 1]],
    ['::1', [...Array<number>(15).fill(0), 1]],
    ['::ffff:192.0.2.1', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]],
    ['2001:db8::', [0x20, 0x01, 0x0d, 0xb8, ...Array<number>(12).fill(0)]],
    ['example.test', undefined],
  ])('ipBytes(%s)', (text, want) => {
    expect(ipBytes(text)).toEqual(want);
  });
});
