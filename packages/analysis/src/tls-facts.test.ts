// The client's Certificate message (mutual TLS) in a connection's TLS facts: kept as its chain,
// read through the same certificate reader as the server's, absent when never seen.
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HandshakeType, Version } from '@tlsdoctor/tls-parser-ts';
import { CertificateCache } from './certificate-cache.js';
import { PublicRoots } from './chain-check.js';
import { TestPki } from './test-pki.fixtures.js';
import { TlsFactsBuilder } from './tls-facts.js';

const u24 = (n: number) => [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];

/** A Certificate message's body as the version writes it: TLS 1.3 adds a request context and each entry's extensions. */
function certificateBody(ders: Uint8Array[], tls13: boolean): Uint8Array {
  const entries = ders.flatMap((d) => [...u24(d.length), ...d, ...(tls13 ? [0, 0] : [])]);
  return Uint8Array.from([...(tls13 ? [0] : []), ...u24(entries.length), ...entries]);
}

const at = { frame: 7, time: 1_700_000_000.004 };
const handshake = (msgType: number, body: Uint8Array) => ({ kind: 'handshake' as const, offset: 100, msgType, body });

let pki: TestPki;
let leaf: Uint8Array;
let ca: Uint8Array;
beforeAll(() => {
  pki = new TestPki();
  pki.issue('ca', { ca: true, cn: 'Client CA' });
  pki.issue('client', { issuer: 'ca', cn: 'good.lab.test', eku: 'serverAuth' });
  const der = (n: string) => new Uint8Array(new X509Certificate(pki.pem(n)).raw);
  leaf = der('client');
  ca = der('ca');
});
afterAll(() => pki.dispose());

/** The facts after the client (dir 0) or the server (dir 1) sent these messages, over `version`. */
function factsAfter(messages: [0 | 1, Uint8Array | 'garbled'][], version: number = Version.TLS12, cache?: CertificateCache) {
  const b = new TlsFactsBuilder(new PublicRoots(), cache);
  b.facts.version = version;
  for (const [dir, m] of messages) b.event(dir, handshake(HandshakeType.Certificate, m === 'garbled' ? Uint8Array.from([0, 0, 9, 1]) : m), at);
  return b.complete();
}

describe('the client\'s Certificate message in the TLS facts', () => {
  it.each([
    // [what, messages, version, subjects of the client's chain (undefined: none kept)]
    ['none sent: absent, not an empty list', () => [], Version.TLS12, undefined],
    ['TLS 1.2, leaf and CA', () => [[0, certificateBody([leaf, ca], false)]], Version.TLS12, ['CN=good.lab.test', 'CN=Client CA']],
    ['TLS 1.3 (its flight opened with a key log), the leaf alone', () => [[0, certificateBody([leaf], true)]], Version.TLS13, ['CN=good.lab.test']],
    ['an empty Certificate: a client with none to give', () => [[0, certificateBody([], false)]], Version.TLS12, []],
    ['the first message counts: a second is not read', () => [[0, certificateBody([ca], false)], [0, certificateBody([leaf], false)]], Version.TLS12, ['CN=Client CA']],
    ['the server\'s Certificate is not the client\'s', () => [[1, certificateBody([leaf, ca], false)]], Version.TLS12, undefined],
    ['a message that does not parse: nothing kept', () => [[0, 'garbled']], Version.TLS12, undefined],
  ] as [string, () => [0 | 1, Uint8Array | 'garbled'][], number, string[] | undefined][])('%s', (_what, messages, version, subjects) => {
    const f = factsAfter(messages(), version);
    expect(f.clientCertificates?.map((c) => c.subject)).toEqual(subjects);
  });

  it('reads each certificate as the server\'s chain is read: its profile (the purpose) included', () => {
    const f = factsAfter([[0, certificateBody([leaf, ca], false)]]);
    const [client] = f.clientCertificates ?? [];
    expect(client.profile?.extKeyUsage).toEqual(['serverAuth']);
    expect(client.issuer).toBe('CN=Client CA');
    expect(f.clientCertificates?.[1].isCA).toBe(true);
    // The client's chain is not the server's: neither the list nor the server chain's check is touched.
    expect(f.certificates).toEqual([]);
    expect(f.chain).toBeUndefined();
    const both = factsAfter([[1, certificateBody([ca], false)], [0, certificateBody([leaf], false)]]);
    expect(both.certificates.map((c) => c.subject)).toEqual(['CN=Client CA']);
    expect(both.clientCertificates?.map((c) => c.subject)).toEqual(['CN=good.lab.test']);
  });

  it('a source that repeats chains reads them through its cache, to the same descriptions', () => {
    const cache = new CertificateCache();
    const once = factsAfter([[0, certificateBody([leaf], false)]], Version.TLS12, cache);
    const again = factsAfter([[0, certificateBody([leaf], false)]], Version.TLS12, cache);
    expect(again.clientCertificates?.[0]).toBe(once.clientCertificates?.[0]);
    expect(once.clientCertificates?.[0]).toEqual(factsAfter([[0, certificateBody([leaf], false)]]).clientCertificates?.[0]);
  });

  it('a message that does not parse is a parse error of the client, named by the message', () => {
    const f = factsAfter([[0, 'garbled']]);
    expect(f.parseErrors).toHaveLength(1);
    expect(f.parseErrors[0]).toMatchObject({ from: 'client', offset: 100 });
    expect(f.parseErrors[0].message).toMatch(/^Certificate: /);
  });
});
