// The JSON report is written one connection at a time; its text must be what one
// JSON.stringify of the whole report gives, redacted or not, for any number of connections.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '@tlsdoctor/analysis';
import { connectionItem, inputSummary, redact, SCHEMA_VERSION, summarize, TOOL, writeJson, type CaptureItem, type RedactMode, type Report } from '@tlsdoctor/report';
import { diagnoseConnection } from '@tlsdoctor/diagnosis';
import { FIXTURES } from './helpers/fixtures.js';

async function reportOf(files: string[]): Promise<Report> {
  const items: CaptureItem[] = [];
  const inputs = [];
  for (const f of files) {
    const a = await analyzeCapture(join(FIXTURES, f));
    inputs.push(inputSummary(a));
    for (const c of a.connections) items.push(connectionItem(c, f, diagnoseConnection(c, { captureEnd: c.lastTime + 10 })));
  }
  return { schemaVersion: SCHEMA_VERSION, tool: TOOL, command: 'pcap', generatedAt: 'now', input: { files: inputs }, summary: summarize(items), connections: items };
}

describe('writeJson', () => {
  it.each([
    // [files, redaction]
    [[], 'none'],
    [['syn-timeout.pcap'], 'none'],
    [['sni-reset.pcap', 'handshake-ok-curl-tls13.pcap', 'handshake-ok-ipv6.pcap', 'openssl-tls12-handshake.pcap'], 'none'],
    [['sni-reset.pcap', 'handshake-ok-curl-tls13.pcap', 'handshake-ok-ipv6.pcap', 'syn-refused.pcap'], 'all'],
    [['sni-reset.pcap', 'syn-refused.pcap'], 'clients'],
  ] as [string[], RedactMode][])('%j, redaction %s: the text of one JSON.stringify', async (files, mode) => {
    const report = await reportOf(files);
    const pieces: string[] = [];
    writeJson(report, mode, (p) => pieces.push(p));
    expect(pieces.join('')).toBe(JSON.stringify(redact(report, mode), null, 2) + '\n');
  });
});
