import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderTerminal, summarize, type Report, type ReportItem } from '@tlsdoctor/report';
import { finding, worst, type Code } from '@tlsdoctor/rules';
import { ShownItems } from './shown-items.js';

// Codes of each severity, so that items have primaries and secondaries of every kind.
const CODES: Code[] = ['HANDSHAKE_OK', 'CAPTURE_PARTIAL', 'DEPRECATED_PROTOCOL', 'TCP_TIMEOUT', 'RESET_AFTER_CLIENT_HELLO'];

function makeItems(file: string, n: number, seed: number): ReportItem[] {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) % 1000) / 1000;
  return Array.from({ length: n }, (_, id) => {
    const diagnoses = [finding(CODES[Math.floor(rnd() * CODES.length)], [`evidence ${file} ${id}`])];
    if (rnd() < 0.3) diagnoses.push(finding('DEPRECATED_PROTOCOL', ['old']));
    return {
      id, source: file, client: { ip: '10.0.0.1', port: 1000 + id }, server: { ip: '198.18.0.1', port: 443 }, sni: `h${id}.test`,
      version: null, cipher: null, alpn: null, ja3: null, ja3s: null, ja4: null, outcome: worst(diagnoses.map((d) => d.severity)), diagnoses, facts: {},
    };
  });
}

function report(items: ReportItem[], summary = summarize(items)): Report {
  return { schemaVersion: 1, tool: { name: 'tlsdoctor', version: '0' }, command: 'pcap', generatedAt: 'now', input: { files: [] }, summary, connections: items };
}

/** The items of each file in an order connections could end in. */
function shuffled(items: ReportItem[], seed: number): ReportItem[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) >>> 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('ShownItems', () => {
  const files = [makeItems('a.pcap', 150, 7), makeItems('b.pcap', 90, 11), makeItems('c.pcap', 0, 1), makeItems('d.pcap', 40, 3)];
  const all = files.flat();

  it.each([
    // [limit, verbose]
    [200, false],
    [200, true],
    [5, false],
    [5, true],
    [1, false],
    [100, false],
    [170, true],
    [0, false],
  ])('limit %i, verbose %s: the table and Markdown reports are those of every item', (limit, verbose) => {
    const table = new ShownItems(limit, verbose);
    const md = new ShownItems(limit, false);
    for (const [k, f] of files.entries()) {
      for (const it of shuffled(f, k + limit)) {
        table.add(it);
        md.add(it);
      }
      table.endFile();
      md.endFile();
    }
    const opts = { color: false, verbose, limit };
    expect(renderTerminal(report(table.items(), table.summary), opts)).toBe(renderTerminal(report(all), opts));
    expect(renderMarkdown(report(md.items(), md.summary), limit)).toBe(renderMarkdown(report(all), limit));
    // What is kept is bounded by what is shown (all of it when the limit is 0).
    if (limit > 0) expect(table.items().length).toBeLessThanOrEqual(limit + Math.max(20, Math.floor(limit / 4)));
    expect(table.summary.total).toBe(all.length);
  });

  it('keeps every item of a file of 200,000 when asked to (--limit 0, JSON)', () => {
    const s = new ShownItems(0, false);
    const one = files[0][0];
    for (let id = 199_999; id >= 0; id--) s.add({ ...one, id });
    s.endFile();
    expect(s.items()).toHaveLength(200_000);
    expect(s.items()[199_999].id).toBe(199_999);
  });

  it('a file that could not be read leaves nothing behind', () => {
    const s = new ShownItems(200, false);
    for (const it of files[0]) s.add(it);
    s.dropFile();
    for (const it of files[1]) s.add(it);
    s.endFile();
    expect(s.items()).toEqual(files[1]);
    expect(s.summary.total).toBe(files[1].length);
  });
});
