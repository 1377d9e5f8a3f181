import { describe, expect, it } from 'vitest';
import type { CaptureItem, PcapReport } from './model.js';
import { redact, RedactionKeys } from './redact.js';
import { addCertificate, emptyIdentifiers, IDENTIFIERS } from './identifiers.js';

function item(client: string, server: string, sni: string | null, evidence: string): CaptureItem {
  return {
    id: 0, source: 'x.pcap', client: { ip: client, port: 50000 }, server: { ip: server, port: 443 }, sni, version: null, versionCode: null, cipher: null,
    alpn: null, ja3: null, ja3s: null, ja4: null, outcome: 'error',
    diagnoses: [{ code: 'TCP_REFUSED', severity: 'error', title: 't', evidence: [evidence], remedy: 'r' }],
  };
}

function report(items: CaptureItem[]): PcapReport {
  return { schemaVersion: 2, tool: { name: 'tlsdoctor', version: '0' }, command: 'pcap', generatedAt: '', input: { files: [] }, summary: { total: items.length, bySeverity: { error: 0, warning: 0, info: 0, ok: 0 }, byCode: {}, worst: 'ok' }, connections: items };
}

describe('redact', () => {
  it.each([
    // [evidence line, with --redact=all]
    ['RST/ACK from 198.18.0.1:443 in frame 2', 'RST/ACK from server-1:443 in frame 2'],
    ['SYN to fd7d::2:443 in frame 1', 'SYN to server-2:443 in frame 1'],
    ['from [fd7d::2]:443', 'from [server-2]:443'],
    ['the client 10.0.0.1 sent it.', 'the client client-1 sent it.'],
    // Never inside a longer address or name.
    ['10.0.0.10 and 198.18.0.12 are others', '10.0.0.10 and 198.18.0.12 are others'],
    ['www.example.com is not example.com', 'www.example.com is not host-1'],
    ['https://example.com/path', 'https://host-1/path'],
    // A name with characters outside those of addresses, and one with a final dot.
    ['SNI ex ample! and trailing.dot.', 'SNI host-2 and host-3'],
    // Before a colon, after a label, in another case.
    ['SNI example.com: connection reset', 'SNI host-1: connection reset'],
    ["altnames: DNS:*.example.com, DNS:Example.COM, IP Address:198.18.0.1", 'altnames: DNS:host-4, DNS:host-1, IP Address:server-1'],
    ['issued by Example Org Ltd, not by Example', 'issued by name-1, not by Example'],
  ])('%s', (line, want) => {
    const withCert = item('10.0.0.1', '198.18.0.1', 'trailing.dot.', line);
    withCert[IDENTIFIERS] = emptyIdentifiers();
    addCertificate(withCert[IDENTIFIERS], { subject: 'CN=*.example.com, O=Example Org Ltd, C=US', issuer: 'CN=*.example.com', sans: ['*.example.com'], serialNumber: '', fingerprint256: '' });
    const r = redact(report([
      item('10.0.0.1', '198.18.0.1', 'example.com', line),
      item('10.0.0.1', 'fd7d::2', 'ex ample!', line),
      withCert,
    ]), 'all');
    expect(r.connections![0].diagnoses[0].evidence[0]).toBe(want);
  });

  it('numbers each kind of value on its own, in order of first appearance', () => {
    const r = redact(report([item('10.0.0.1', '198.18.0.1', null, 'x'), item('10.0.0.2', '198.18.0.1', null, 'x'), item('10.0.0.1', '198.18.0.3', null, 'x')]), 'all');
    expect(r.connections!.map((i) => `${i.client!.ip} ${i.server.ip}`)).toEqual(['client-1 server-1', 'client-2 server-1', 'client-1 server-2']);
  });

  it('clients only: servers and names stay', () => {
    const r = redact(report([item('10.0.0.1', '198.18.0.1', 'example.com', 'from 10.0.0.1:50000 to 198.18.0.1:443 (example.com)')]), 'clients');
    expect(r.connections![0].diagnoses[0].evidence[0]).toBe('from client-1:50000 to 198.18.0.1:443 (example.com)');
  });

  it.each([
    // [evidence line]: redacting JSON text gives the JSON of the redacted object
    ['RST/ACK from 198.18.0.1:443 to 10.0.0.1'],
    ['quoted "10.0.0.1" and a line break\n10.0.0.1 then a tab\t198.18.0.1:443'],
    ['a backslash \\10.0.0.1 and \u0001example.com'],
    ['ex ample! with "quotes" around ex ample!'],
    ['"example.com": looks like a key'],
    ['nothing to hide'],
  ])('as JSON text: %j', (line) => {
    const items = [item('10.0.0.1', '198.18.0.1', 'example.com', line), item('10.0.0.2', 'fd7d::2', 'ex ample!', line)];
    const keys = new RedactionKeys();
    items.forEach((it, i) => keys.note(it, i));
    for (const mode of ['clients', 'all'] as const) {
      const text = keys.textRedactor(mode);
      const object = keys.redactor(mode);
      for (const it of items) expect(text(JSON.stringify(it, null, 2))).toBe(JSON.stringify(object(it), null, 2));
    }
  });
});
