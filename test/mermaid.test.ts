// The Markdown report's pictures are checked by Mermaid's own parser, not by comparing strings:
// what GitHub and GitLab would fail to draw fails here.
import mermaid from 'mermaid';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, type CaptureItem, type Report } from '@tlsdoctor/report';
import { runCli } from './helpers/cli.js';
import { fixtureFiles, ROOT } from './helpers/fixtures.js';
import { makeItems, report as reportOf, tcpFacts } from './helpers/report-items.js';

const blocks = (markdown: string) => [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);

async function parses(diagram: string): Promise<true | string> {
  try {
    await mermaid.parse(diagram);
    return true;
  } catch (e) {
    return `${(e as Error).message}\n${diagram}`;
  }
}

describe('Mermaid sequence diagrams in Markdown reports', () => {
  const fixtures = fixtureFiles();
  it.each([[[]], [['--redact=all']]])('every failed connection of every fixture gets one that Mermaid accepts %j', async (extra) => {
    const args = ['pcap', ...fixtures.map((f) => relative(ROOT, f.path)), '--limit', '0', ...(extra as string[])];
    const md = runCli([...args, '--format', 'markdown']).stdout;
    const summary = JSON.parse(runCli([...args, '--format', 'json']).stdout).summary;
    const sections = md.split(/^## Connection /m).slice(1);
    // Every connection that is not healthy has a section (with --limit 0), and every section a picture.
    expect(sections.length).toBe(summary.total - summary.bySeverity.ok);
    for (const s of sections) expect(blocks(s), s.split('\n')[0]).toHaveLength(1);
    for (const d of blocks(md)) expect(await parses(d)).toBe(true);
  }, 120_000);

  it('text from the wire cannot break the diagram out of its message', async () => {
    const nasty = ['a;b#c', 'line\nbreak', 'C->>S: forged', '%% comment', 'end', '<script>', 'Note over C,S: x', 'participant X', '"quoted" \\ back'];
    const it0: CaptureItem = {
      ...makeItems('x.pcap', 1, 4)[0],
      outcome: 'error',
      client: { ip: 'fd00::1', port: 1 },
      server: { ip: '10.0.0.1', port: 443 },
      facts: tcpFacts({
        ladder: {
          steps: nasty.map((what, i) => ({ atMs: i, frame: i + 1, from: (['client', 'server', 'path'] as const)[i % 3], what, ends: i === 4 })),
          notes: nasty,
        },
      }),
    };
    const md = renderMarkdown(reportOf([it0]) as Report);
    const [d] = blocks(md);
    expect(await parses(d)).toBe(true);
    // One line per arrow and note: nothing the text held became a statement of its own.
    expect(d.split('\n').filter((l) => /^\s+[CSP]-/.test(l))).toHaveLength(nasty.length);
    expect(d.split('\n').filter((l) => /^\s+Note over/.test(l))).toHaveLength(nasty.length);
  });

  it('a long note is drawn on lines of 60 characters at most, each word whole', async () => {
    const long = 'the 1448-byte segment was sent 5 times and the server never acknowledged it: a path that drops full-size packets and no ICMP came back';
    const it0: CaptureItem = {
      ...makeItems('x.pcap', 1, 4)[0],
      outcome: 'error',
      facts: tcpFacts({ ladder: { steps: [{ atMs: 0, frame: 1, from: 'client', what: 'SYN' }], notes: [long, 'short'] } }),
    };
    const [d] = blocks(renderMarkdown(reportOf([it0]) as Report));
    expect(await parses(d)).toBe(true);
    const notes = d.split('\n').filter((l) => /^\s+Note over/.test(l)).map((l) => l.replace(/^\s+Note over C,S: /, ''));
    expect(notes[1]).toBe('short');
    const lines = notes[0].split('<br/>');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    expect(lines.join(' ')).toBe(long);
  });

  it('marks the segment a black hole lost: its last resend and a note, in a diagram Mermaid accepts', async () => {
    const md = runCli(['pcap', 'fixtures/chromium-mtu-blackhole-frag-needed-dropped.pcap', '--format', 'markdown', '--limit', '1']).stdout;
    const [d] = blocks(md);
    expect(await parses(d)).toBe(true);
    const resends = d.split('\n').filter((l) => /^\s+C->>S: data, 1448 bytes: frame 4 again \(part of the ClientHello\)/.test(l));
    expect(resends).toHaveLength(4);
    expect(resends.filter((l) => l.includes('retransmitted ×4, never acknowledged'))).toEqual([resends[3]]);
    expect(d).toMatch(/Note over C,S: the ClientHello's 1448-byte segment of frame 4 never got<br\/>through: retransmitted ×4 in the packets shown, never<br\/>acknowledged/);
  });
});
