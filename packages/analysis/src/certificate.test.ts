import { describe, expect, it } from 'vitest';
import { subjectAltNames } from './certificate.js';
import { hostMatches } from './host-match.js';

describe('subjectAltName text as Node gives it', () => {
  it.each([
    ['', []],
    ['DNS:a.test', ['a.test']],
    ['DNS:a.test, DNS:*.b.test, IP Address:192.0.2.1, IP Address:FD7D:0:0:0:0:0:0:10', ['a.test', '*.b.test', '192.0.2.1', 'FD7D:0:0:0:0:0:0:10']],
    ['email:x@y.test, DNS:a.test, URI:https://u.test/', ['a.test']],
    // Quoted as JSON when the value holds special characters: a NUL stays visible, a comma stays inside.
    ['DNS:"good.lab.test\\u0000evil.lab.test", DNS:c.test', ['good.lab.test\\00evil.lab.test', 'c.test']],
    ['DNS:"a, b.test", DNS:"q\\"uote.test"', ['a, b.test', 'q"uote.test']],
    ['DNS:"tab\\there"', ['tab\\09here']],
  ])('%j', (text, want) => {
    expect(subjectAltNames(text)).toEqual(want);
  });

  it('one kind alone: the IP addresses apart from a dNSName that reads as one', () => {
    const text = 'DNS:192.0.2.7, DNS:a.test, IP Address:192.0.2.1';
    expect(subjectAltNames(text, 'IP Address')).toEqual(['192.0.2.1']);
    expect(subjectAltNames(text, 'DNS')).toEqual(['192.0.2.7', 'a.test']);
  });

  it('a name holding a NUL matches neither of its halves', () => {
    const sans = subjectAltNames('DNS:"good.lab.test\\u0000evil.lab.test"');
    expect(hostMatches('good.lab.test', sans)).toBe(false);
    expect(hostMatches('evil.lab.test', sans)).toBe(false);
  });
});
