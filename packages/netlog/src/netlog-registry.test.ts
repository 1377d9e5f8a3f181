// The generated Chromium tables: the net errors a TLS diagnosis names most, read both ways, and
// the named constants held to the name map, so a renamed or renumbered row shows up here.
import { describe, expect, it } from 'vitest';
import {
  certStatusFlagNames,
  FALLBACK_CHROMIUM_VERSION,
  fallbackEventTypes,
  fallbackPhases,
  fallbackSourceTypes,
  NetError,
  netErrorDescriptions,
  netErrorNames,
} from './netlog-registry.generated.js';

/** ERR_CERT_DATE_INVALID -> CertDateInvalid: the rule the generator names constants by. */
function constantName(name: string): string {
  return name
    .replace(/^ERR_/, '')
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}

describe('netErrorNames and NetError', () => {
  it.each([
    // [code, name, constant]
    [-201, 'ERR_CERT_DATE_INVALID', NetError.CertDateInvalid],
    [-101, 'ERR_CONNECTION_RESET', NetError.ConnectionReset],
    [-105, 'ERR_NAME_NOT_RESOLVED', NetError.NameNotResolved],
    [-113, 'ERR_SSL_VERSION_OR_CIPHER_MISMATCH', NetError.SslVersionOrCipherMismatch],
    [-107, 'ERR_SSL_PROTOCOL_ERROR', NetError.SslProtocolError],
    [-110, 'ERR_SSL_CLIENT_AUTH_CERT_NEEDED', NetError.SslClientAuthCertNeeded],
    [-118, 'ERR_CONNECTION_TIMED_OUT', NetError.ConnectionTimedOut],
    [-7, 'ERR_TIMED_OUT', NetError.TimedOut],
    [-109, 'ERR_ADDRESS_UNREACHABLE', NetError.AddressUnreachable],
    [-102, 'ERR_CONNECTION_REFUSED', NetError.ConnectionRefused],
  ])('%i is %s', (code, name, constant) => {
    expect(netErrorNames.get(code)).toBe(name);
    expect(constant).toBe(code);
    expect(netErrorDescriptions.get(code)).toMatch(/\S/);
  });

  it('has a constant for every name, with the name\'s code, and no other', () => {
    const constants = Object.entries(NetError);
    expect(constants).toHaveLength(netErrorNames.size);
    for (const [code, name] of netErrorNames) {
      expect([name, NetError[constantName(name) as keyof typeof NetError]]).toEqual([name, code]);
    }
  });

  it('lists each code and each name once, and describes every code', () => {
    const names = [...netErrorNames.values()];
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(Object.values(NetError)).size).toBe(names.length);
    expect([...netErrorDescriptions.keys()]).toEqual([...netErrorNames.keys()]);
    // Success is 0 and every error negative: a positive code would be a table typo.
    expect([...netErrorNames.keys()].filter((code) => code > 0)).toEqual([]);
    expect(netErrorNames.get(0)).toBe('OK');
  });
});

describe('the fallback tables of one Chromium release', () => {
  it('come from Chromium 156', () => {
    expect(FALLBACK_CHROMIUM_VERSION).toBe('156.0.8078.129');
  });

  it.each([
    ['fallbackEventTypes', fallbackEventTypes],
    ['fallbackSourceTypes', fallbackSourceTypes],
    ['fallbackPhases', fallbackPhases],
  ])('%s numbers its names 0, 1, 2, ... with no name twice', (_, table) => {
    expect([...table.keys()]).toEqual([...Array(table.size).keys()]);
    expect(new Set(table.values()).size).toBe(table.size);
  });

  it.each([
    // [table, number, name]: names a TLS reading looks for
    [fallbackPhases, 1, 'PHASE_BEGIN'],
    [fallbackPhases, 2, 'PHASE_END'],
    [fallbackSourceTypes, 1, 'URL_REQUEST'],
  ])('%#: %i is %s', (table, number, name) => {
    expect(table.get(number)).toBe(name);
  });

  it('has the TLS handshake events among the event types', () => {
    const names = new Set(fallbackEventTypes.values());
    for (const name of ['SSL_CONNECT', 'SSL_HANDSHAKE_ERROR', 'CERT_VERIFIER_JOB', 'TCP_CONNECT']) expect(names).toContain(name);
  });

  it('names single bits of the certificate status, each once', () => {
    for (const bit of certStatusFlagNames.keys()) expect([bit, bit & (bit - 1)]).toEqual([bit, 0]);
    expect(new Set(certStatusFlagNames.values()).size).toBe(certStatusFlagNames.size);
    expect(certStatusFlagNames.get(2)).toBe('DATE_INVALID');
    expect(certStatusFlagNames.get(4)).toBe('AUTHORITY_INVALID');
  });
});
