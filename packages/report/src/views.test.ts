import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';
import { decryptionLine, type PcapReport, type ProbeReport, type Report } from './model.js';
import { renderTerminal } from './terminal.js';

const summary = { total: 0, bySeverity: { error: 0, warning: 0, info: 0, ok: 0 }, byCode: {}, worst: 'ok' as const };
const head = { schemaVersion: 2 as const, tool: { name: 'tlsdoctor' as const, version: '0' }, generatedAt: 'now', summary };

const pcap: PcapReport = {
  ...head,
  command: 'pcap',
  input: {
    files: [
      { path: 'a.pcap', format: 'pcap', packets: 5, warnings: [], error: null, decryption: { sessions: 1, connections: 1, decrypted: 1, unopened: 0, notOpened: [] } },
      { path: 'b.pcap.gz', format: 'pcapng', gzip: true, packets: 2, warnings: ['w1'], error: 'cut short', continues: { file: 'a.pcap', gapSeconds: 1, firstFrame: 6 } },
    ],
  },
  connections: [],
};
const probe: ProbeReport = { ...head, command: 'probe', input: { targets: ['one.test', 'two.test:8443'] }, targets: [] };

const terminalHead = (r: Report) => renderTerminal(r, { color: false, verbose: false }).split('\n').slice(0, -2);
const markdownHead = (r: Report) => {
  const lines = renderMarkdown(r).split('\n');
  return lines.slice(2, lines.findIndex((l) => l.startsWith('**Summary:**')) - 1);
};

describe('the head of a report lists its inputs, by the view of its kind', () => {
  it.each([
    ['pcap', pcap, [
      'tlsdoctor pcap [1] a.pcap (pcap, 5 packets), [2] b.pcap.gz (pcapng, gzip, 2 packets)',
      expect.stringMatching(/^\[1\] key log: 1 TLS session/),
      expect.stringMatching(/^\[2\] continues \[1\]/),
      '[2] warning: w1',
      '[2] error: cut short',
    ]],
    ['probe', probe, ['tlsdoctor probe one.test, two.test:8443']],
  ] as const)('terminal, %s', (_k, r, want) => {
    expect(terminalHead(r)).toEqual(want);
  });

  it.each([
    ['pcap', pcap, [
      '**Analysed:**', '',
      '- [1] `a.pcap`: pcap, 5 packets', expect.stringMatching(/^ {2}- \[1\] key log: 1 TLS session/),
      '- [2] `b.pcap.gz`: pcapng (gzip), 2 packets; **read error:** cut short', expect.stringMatching(/^ {2}- \[2\] continues \[1\]/), '  - warning: w1',
    ]],
    ['probe', probe, ['**Probed:**', '', '- `one.test`', '- `two.test:8443`']],
  ] as const)('Markdown, %s', (_k, r, want) => {
    expect(markdownHead(r)).toEqual(want);
  });
});

describe("a file's decryption line", () => {
  it.each([
    ['nothing to open', { sessions: 3, connections: 0, decrypted: 0, unopened: 0, notOpened: [] }, 'key log: 3 TLS session(s); no connection in this file had protected handshake records'],
    ['all opened', { sessions: 3, connections: 2, decrypted: 2, unopened: 0, notOpened: [] }, 'key log: 3 TLS session(s); it opened the handshake of 2 of 2 connection(s) (of application data, only the status line of a TLS 1.3 server\'s first answer is read)'],
    [
      'each reason with its count and first connection',
      {
        sessions: 3, connections: 5, decrypted: 2, unopened: 1,
        notOpened: [
          { why: 'no-secret' as const, reason: 'the key log holds no secret for its client random', connections: 2, first: '3' },
          { why: 'record-failed' as const, reason: "the server's Handshake packet 1 did not authenticate", connections: 1, first: 'q0' },
        ],
      },
      "key log: 3 TLS session(s); it opened the handshake of 2 of 5 connection(s); not opened: 2 because the key log holds no secret for its client random (first: 3); 1 because the server's Handshake packet 1 did not authenticate (first: q0) (of application data, only the status line of a TLS 1.3 server's first answer is read)",
    ],
  ])('%s', (_what, d, line) => {
    expect(decryptionLine(d)).toBe(line);
  });
});
