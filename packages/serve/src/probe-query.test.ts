import { describe, expect, it } from 'vitest';
import { parseProbeQuery, QueryError, shareKey } from './probe-query.js';

const parse = (q: string, profile?: 'browser' | 'modern') => parseProbeQuery(new URLSearchParams(q), profile);

describe('/probe query', () => {
  it.each([
    ['target=example.com', { host: 'example.com', port: 443, profile: 'browser' }],
    ['target=example.com:8443&profile=modern', { host: 'example.com', port: 8443, profile: 'modern' }],
    ['target=https%3A%2F%2Fapi.example.com%2Fv1', { host: 'api.example.com', port: 443, profile: 'browser' }],
    ['target=wss://chat.example.com/socket', { host: 'chat.example.com', port: 443, profile: 'browser' }],
    ['target=[2001:db8::1]:443&http3=1', { host: '2001:db8::1', port: 443, profile: 'browser', http3: true }],
    ['target=example.com&http3=false', { host: 'example.com', port: 443, profile: 'browser', http3: false }],
    ['target=example.com&ws=/socket&timeout=2.5', { host: 'example.com', port: 443, profile: 'browser', ws: '/socket', timeoutSeconds: 2.5 }],
  ])('%s', (q, want) => {
    const p = parse(q);
    expect({ host: p.target.host, port: p.target.port, profile: p.profile, ...(p.http3 !== undefined ? { http3: p.http3 } : {}), ...(p.ws ? { ws: p.ws } : {}), ...(p.timeoutSeconds ? { timeoutSeconds: p.timeoutSeconds } : {}) }).toEqual(want);
  });

  it('leaves out what the scrape did not ask for, and takes the longest timeout allowed', () => {
    const p = parse('target=example.com');
    for (const key of ['ws', 'http3', 'timeoutSeconds']) expect(p).not.toHaveProperty(key);
    expect(parse('target=example.com&timeout=120').timeoutSeconds).toBe(120);
    expect(parse('target=%20example.com%20').target.host).toBe('example.com');
  });

  it('names the parameters it knows when refusing one, and masks credentials it refuses', () => {
    expect(() => parse('target=example.com&modul=tls')).toThrow('unknown parameter "modul" (known: target, profile, ws, http3, timeout)');
    expect(() => parse('target=%20https://user:secret@example.com/')).toThrow('target "https://…@example.com/" holds credentials');
  });

  it('takes the exporter\'s profile when the scrape names none', () => {
    expect(parse('target=example.com', 'modern').profile).toBe('modern');
    expect(parse('target=example.com&profile=browser', 'modern').profile).toBe('browser');
  });

  it.each([
    ['', 'the "target" parameter is missing'],
    ['target=', 'the "target" parameter is missing'],
    ['target=a.example&target=b.example', '"target" is given 2 times'],
    ['target=example.com&module=tls', 'unknown parameter "module"'],
    ['target=example.com:0', 'the port must be a number from 1 to 65535'],
    ['target=example.com:65536', 'the port must be a number from 1 to 65535'],
    ['target=http://example.com/', 'only https://, wss:// or ws:// targets'],
    ['target=https://user:secret@example.com/', 'holds credentials'],
    ['target=https://token@example.com/', 'holds credentials'],
    ['target=example.com&profile=ie6', 'profile must be one of'],
    ['target=example.com&ws=socket', 'ws must be a path starting with "/"'],
    ['target=example.com&http3=maybe', 'http3 must be 1 or 0'],
    ['target=example.com&timeout=0', 'timeout must be a number of seconds above 0'],
    ['target=example.com&timeout=121', 'at most 120'],
    ['target=example.com&timeout=soon', 'timeout must be'],
  ])('refuses %j: %s', (q, words) => {
    expect(() => parse(q)).toThrow(QueryError);
    expect(() => parse(q)).toThrow(words);
  });

  it('never repeats a credential back', () => {
    expect(() => parse('target=https://user:secret@example.com/')).not.toThrow(/secret/);
  });

  it('shares a probe between scrapes that ask the same, not between different ones', () => {
    expect(shareKey(parse('target=example.com'))).toBe(shareKey(parse('target=https://example.com/')));
    expect(shareKey(parse('target=example.com'))).toBe(shareKey(parse('target=example.com&timeout=3')));
    // The path of an https:// target is not probed; a wss:// target's path is.
    expect(shareKey(parse('target=https://example.com/a'))).toBe(shareKey(parse('target=https://example.com/b')));
    expect(shareKey(parse('target=wss://example.com/a'))).not.toBe(shareKey(parse('target=wss://example.com/b')));
    expect(shareKey(parse('target=example.com&ws=/a'))).not.toBe(shareKey(parse('target=example.com&ws=/b')));
    expect(shareKey(parse('target=example.com&http3=1'))).not.toBe(shareKey(parse('target=example.com&http3=0')));
    for (const other of ['target=example.com:8443', 'target=example.org', 'target=example.com&profile=modern', 'target=example.com&ws=/ws', 'target=example.com&http3=1', 'target=wss://example.com/ws']) {
      expect(shareKey(parse(other)), other).not.toBe(shareKey(parse('target=example.com')));
    }
  });
});
