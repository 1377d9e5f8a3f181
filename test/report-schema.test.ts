// docs/report.schema.json is generated from the report's TypeScript types: a field cannot be
// added to the types without the schema (the committed file would differ), nor be written to a
// report without being in the types (every object of the schema is closed, and every fixture's
// report is validated against it: test/pcap-fixtures.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validate } from './helpers/schema.js';
// @ts-expect-error: a script of the repository, in JavaScript.
import { reportSchema, SCHEMA_FILE } from '../scripts/report-schema.mjs';

describe('the JSON report schema', () => {
  const generated = reportSchema();

  it('is the one the types give (run `npm run gen:docs` after changing a report type)', () => {
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(generated);
  });

  it.each([
    ['a field the types do not have', (r: any) => (r.connections[0].facts.extra = 1), /unexpected property extra/],
    ['a field of the wrong type', (r: any) => (r.connections[0].id = 'zero'), /\.id: expected number/],
    ['a required field left out', (r: any) => delete r.connections[0].diagnoses, /missing diagnoses/],
    ['a QUIC row with TCP facts', (r: any) => (r.connections[0].facts.tcp = {}), /unexpected property tcp/],
  ])('refuses %s', (_what, spoil, error) => {
    const report = quicReport();
    expect(validate(report, generated)).toEqual([]);
    spoil(report);
    expect(validate(report, generated).join('\n')).toMatch(error);
  });
});

/** A report of one QUIC connection, as `tlsdoctor pcap --format json` writes it. */
function quicReport(): any {
  const pair = { client: 1, server: 0 };
  return {
    schemaVersion: 2, tool: { name: 'tlsdoctor', version: '0.1.0' }, command: 'pcap', generatedAt: 'now', input: { files: [{ path: 'x.pcap', warnings: [], error: null }] },
    summary: { total: 1, bySeverity: { error: 1, warning: 0, info: 0, ok: 0 }, byCode: { QUIC_NO_RESPONSE: 1 }, worst: 'error' },
    connections: [{
      id: 0, transport: 'quic', source: 'x.pcap', client: { ip: '198.51.100.7', port: 50000 }, server: { ip: '192.0.2.10', port: 443 }, sni: null, version: null, versionCode: null,
      cipher: null, alpn: null, ja3: null, ja3s: null, ja4: null, outcome: 'error', diagnoses: [{ code: 'QUIC_NO_RESPONSE', severity: 'error', title: 't', evidence: [], remedy: 'r' }],
      facts: {
        ipVersion: 4, tlsEvidence: 'client-hello', startCaptured: true, firstPacket: null, durationMs: 0, timingsMs: { clientHello: null, serverHello: null }, clientHelloCut: null,
        quic: {
          version: 'QUIC v1', originalDcid: 'ab', serverScid: null, datagrams: pair, bytes: pair, initialPackets: pair, handshakePackets: pair, oneRttPackets: pair, unopenedInitials: pair,
          clientInitialFrames: [1], retries: [], versionNegotiation: null, close: null, transportParameters: [], handshakeOpened: null, icmp: [],
        },
        decryption: null, clientHello: null, serverHello: null, certificates: [], alerts: [], messages: [], parseErrors: [], partial: [], ladder: { steps: [], notes: [] },
      },
    }],
  };
}
