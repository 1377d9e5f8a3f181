import { describe, expect, it } from 'vitest';
import { AllowList, AllowListError, parseAllowEntry } from './allow-list.js';

describe('allow-list entries', () => {
  it.each([
    ['example.com', 'name', 'any'],
    ['Example.COM:443', 'name', [443]],
    ['*.example.com:443,8443', 'name', [443, 8443]],
    ['bücher.example', 'name', 'any'],
    ['192.0.2.7', 'network', 'any'],
    ['192.0.2.7:443', 'network', [443]],
    ['203.0.113.0/24', 'network', 'any'],
    ['2001:db8::/32', 'network', 'any'],
    ['[2001:db8::/32]:443', 'network', [443]],
    ['[2001:db8::1]:*', 'network', 'any'],
    ['::1', 'network', 'any'],
  ])('%s is a %s entry with ports %j', (text, kind, ports) => {
    const e = parseAllowEntry(text);
    expect(e.kind).toBe(kind);
    expect(e.ports === 'any' ? 'any' : [...e.ports]).toEqual(ports);
  });

  it('keeps a name in lower-case ASCII, the wildcard before it', () => {
    expect(parseAllowEntry('*.Bücher.example').kind === 'name' && (parseAllowEntry('*.Bücher.example') as { pattern: string }).pattern).toBe('*.xn--bcher-kva.example');
  });

  it.each([
    ['example.com:0', '"0" is not a port'],
    ['example.com:70000', '"70000" is not a port'],
    ['example.com:https', '"https" is not a port'],
    ['10.0.0.0/33', 'at most /32'],
    ['2001:db8::/129', 'at most /128'],
    ['10.0.0.0/8/9', 'ADDRESS/PREFIX'],
    ['10.0.0.0/x', 'ADDRESS/PREFIX'],
    ['example.com/24', 'cannot have a prefix'],
    ['a*.example.com', 'not a host name'],
    ['*', 'not a host name'],
  ])('refuses %s: %s', (text, words) => {
    expect(() => parseAllowEntry(text)).toThrow(AllowListError);
    expect(() => parseAllowEntry(text)).toThrow(words);
  });

  it('takes the first and last ports, and trims what surrounds an entry', () => {
    const e = parseAllowEntry('example.com:1,65535');
    expect(e.ports === 'any' ? 'any' : [...e.ports]).toEqual([1, 65535]);
    const list = AllowList.parse('   example.com:443   # the site\n\t# a comment line\n');
    expect(list.entries).toHaveLength(1);
    expect(list.refuseTarget('example.com', 443)).toBeUndefined();
  });

  it('names the line of a bad entry and refuses an empty list', () => {
    expect(() => AllowList.parse('')).toThrow('allow list holds no entry');
    const thrown = (() => {
      try {
        AllowList.parse('x:0');
      } catch (e) {
        return e;
      }
    })();
    expect((thrown as AllowListError).code).toBe('BAD_ALLOW_LIST');
    expect(() => AllowList.parse('example.com\n# fine\nexample.org:99999\n', 'targets.txt')).toThrow('targets.txt line 3: "example.org:99999"');
    expect(() => AllowList.parse('# nothing\n\n', 'targets.txt')).toThrow('holds no entry');
  });
});

describe('what an allow list lets a probe reach', () => {
  // Made in each test, not when the file is read: what runs at load time is hidden from mutation testing.
  const list = () => AllowList.parse(['example.com:443', '*.lab.test', 'open.example.org', '198.18.0.0/15', '[fd7d::]/16:443', '192.0.2.7:8443', '169.254.169.254:80'].join('\n'));

  it.each([
    ['example.com', 443, undefined],
    ['EXAMPLE.com.', 443, undefined],
    ['example.com', 8443, 'not in the allow list'],
    ['www.example.com', 443, 'not in the allow list'],
    ['good.lab.test', 443, undefined],
    ['a.b.lab.test', 9000, undefined],
    ['lab.test', 443, 'not in the allow list'],
    ['evillab.test', 443, 'not in the allow list'],
    ['198.19.255.1', 22, undefined],
    ['198.20.0.1', 443, 'not in the allow list'],
    ['fd7d:2::10', 443, undefined],
    ['fd7d:2::10', 80, 'not in the allow list'],
    ['192.0.2.7', 8443, undefined],
    ['192.0.2.7', 443, 'not in the allow list'],
    // A name entry allows the name, not an address that looks like one.
    ['127.0.0.1', 443, 'not in the allow list'],
  ])('target %s port %i: %s', (host, port, refusal) => {
    const r = list().refuseTarget(host, port);
    if (refusal === undefined) expect(r).toBeUndefined();
    else expect(r).toContain(refusal);
  });

  it.each([
    // Allowed names on public addresses.
    [{ host: 'example.com', address: '93.184.215.14', port: 443 }, undefined],
    [{ host: 'open.example.org', address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', port: 80 }, undefined],
    // An allowed name pointed at a special-purpose address is refused, whatever the name.
    [{ host: 'example.com', address: '127.0.0.1', port: 443 }, 'special-purpose'],
    [{ host: 'example.com', address: '::1', port: 443 }, 'special-purpose'],
    [{ host: 'example.com', address: '::ffff:127.0.0.1', port: 443 }, 'special-purpose'],
    [{ host: 'example.com', address: '10.1.2.3', port: 443 }, 'special-purpose'],
    [{ host: 'example.com', address: '100.100.100.200', port: 443 }, 'special-purpose'],
    [{ host: 'open.example.org', address: '169.254.169.254', port: 443 }, 'special-purpose'],
    [{ host: 'example.com', address: 'fe80::1', port: 443 }, 'special-purpose'],
    [{ host: 'example.com', address: 'fd00:ec2::254', port: 443 }, 'special-purpose'],
    // ... unless an address entry allows that address (and port).
    [{ host: 'good.lab.test', address: '198.18.2.10', port: 443 }, undefined],
    [{ host: 'good.lab.test', address: 'fd7d:2::10', port: 443 }, undefined],
    [{ host: 'good.lab.test', address: 'fd7d:2::10', port: 80 }, 'special-purpose'],
    [{ host: 'anything.example.net', address: '169.254.169.254', port: 80 }, undefined],
    // Other ports of an allowed name: the name entry's ports bind every connection.
    [{ host: 'example.com', address: '93.184.215.14', port: 80 }, 'port 80 is not in the allow list'],
    [{ host: 'other.example.net', address: '93.184.215.14', port: 443 }, 'not in the allow list'],
  ])('connection %j: %s', (c, refusal) => {
    const r = list().refuseConnection(c);
    if (refusal === undefined) expect(r).toBeUndefined();
    else expect(r).toContain(refusal);
  });

  it('says which address was refused, by name where there is one', () => {
    expect(list().refuseConnection({ host: '192.0.2.99', address: '192.0.2.99', port: 443 })).toBe('192.0.2.99 port 443 is not in the allow list');
    expect(list().refuseConnection({ host: 'other.example.net', address: '192.0.2.99', port: 443 })).toBe('other.example.net (192.0.2.99) port 443 is not in the allow list');
  });

  it('--allow-any refuses nothing, special addresses included', () => {
    const any = AllowList.any();
    expect(any.refuseTarget('anything', 1)).toBeUndefined();
    expect(any.refuseConnection({ host: 'x', address: '169.254.169.254', port: 80 })).toBeUndefined();
  });
});
