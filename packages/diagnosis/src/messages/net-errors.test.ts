import { describe, expect, it } from 'vitest';
import { netErrorNames } from '@tlsdoctor/netlog';
import { explain } from './explain.js';
import { NET_ERROR_ENTRIES, NET_ERROR_MEANINGS, netErrorIn } from './net-errors.js';

const names = new Set(netErrorNames.values());

describe('the net errors explain maps', () => {
  it.each(Object.keys(NET_ERROR_MEANINGS))('%s is one of Chromium\'s, with its code and words in the catalogue entry', (name) => {
    expect(names.has(name)).toBe(true);
    const entry = NET_ERROR_ENTRIES.find((e) => e.example === `net::${name}`)!;
    expect(entry.id).toBe(`chromium-${name.slice(4).toLowerCase().replace(/_/g, '-')}`);
    expect(entry.clients).toEqual(['chrome']);
    expect(entry.meaning).toBe(NET_ERROR_MEANINGS[name]);
    expect(entry.source).toMatch(new RegExp(`^Chromium's net/base/net_error_list\\.h \\(-\\d+: .+\\)$`));
    // The whole name only: ERR_CONNECTION_RESET is not found inside ERR_CONNECTION_RESET_BY_X.
    expect(entry.pattern.test(`net::${name}`)).toBe(true);
    expect(entry.pattern.test(`net::${name}_X`)).toBe(false);
    expect(explain(`net::${name}`).matches[0]?.entry.meaning).toBe(NET_ERROR_MEANINGS[name]);
  });

  it.each([
    ['net::ERR_SSL_CLIENT_AUTH_CERT_NEEDED', 'CLIENT_CERT_REQUIRED'],
    ['GET https://h3.example.test/ net::ERR_QUIC_PROTOCOL_ERROR 200 (OK)', 'QUIC_CONNECTION_CLOSED'],
  ])('recognises "%s" and names %s first', (text, code) => {
    const found = explain(text);
    expect(found.recognised).toBe(true);
    expect(found.candidates[0]?.code).toBe(code);
  });

  it.each([
    ['GET https://example.test/ net::ERR_CERT_REVOKED', { name: 'ERR_CERT_REVOKED', code: -206 }],
    ['ERR_NOT_A_CHROMIUM_ERROR then net::ERR_TIMED_OUT', { name: 'ERR_TIMED_OUT', code: -7 }],
    ['no net error here', undefined],
  ])('names the first of Chromium\'s net errors in "%s", mapped or not', (text, want) => {
    const found = netErrorIn(text);
    expect(found && { name: found.name, code: found.code }).toEqual(want);
    if (found) expect(found.description).toMatch(/\w/);
  });
});
