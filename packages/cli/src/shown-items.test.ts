import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderTerminal, type CaptureItem, type PcapReport } from '@tlsdoctor/report';
import { makeItems, report, shuffled } from '../../../test/helpers/report-items.js';
import { ReportSink, type FileItem } from './report-sink.js';
import { ShownItems } from './shown-items.js';

const HEAD: Parameters<ReportSink['finish']>[0] = { schemaVersion: 2, tool: { name: 'tlsdoctor', version: '0' }, command: 'pcap', generatedAt: 'now', input: { files: [] } };

/** The report a table or Markdown output writes for these files' items, arriving in an order their connections could end in. */
function shown(files: CaptureItem[][], limit: number, dropped: number[] = []): PcapReport & { connections: CaptureItem[] } {
  let out: (PcapReport & { connections: CaptureItem[] }) | undefined;
  const sink = new ReportSink(new ShownItems(limit, (r) => (out = r as PcapReport & { connections: CaptureItem[] })), { names: [], match: () => true });
  for (const [k, f] of files.entries()) {
    for (const it of shuffled(f, k + limit)) sink.add(it);
    if (dropped.includes(k)) sink.dropFile();
    else sink.endFile();
  }
  sink.finish(HEAD);
  return out!;
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
    const table = shown(files, limit);
    const md = table;
    const opts = { color: false, verbose, limit };
    expect(renderTerminal(table, opts)).toBe(renderTerminal(report(all), opts));
    expect(renderMarkdown(md, limit)).toBe(renderMarkdown(report(all), limit));
    // What is kept is bounded by what is shown (all of it when the limit is 0).
    if (limit > 0) expect(table.connections.length).toBeLessThanOrEqual(limit);
    expect(table.summary.total).toBe(all.length);
  });

  it('keeps every item of a file of 200,000 when asked to (--limit 0)', () => {
    const s = new ShownItems(0, () => {});
    const one = files[0][0];
    for (let id = 199_999; id >= 0; id--) s.add({ ...one, id });
    s.endFile();
    expect(s.items()).toHaveLength(200_000);
    expect(s.items()[199_999].id).toBe(199_999);
  });

  it('a file that could not be read leaves nothing behind', () => {
    const r = shown([files[0], files[1]], 200, [0]);
    expect(r.connections).toEqual(files[1]);
    expect(r.summary.total).toBe(files[1].length);
  });
});

describe('ReportSink', () => {
  const items = makeItems('a.pcap', 60, 5);

  it('counts every item in the summary and those the filters let through in the listed summary, handing only those on', () => {
    const added: CaptureItem[] = [];
    let head: unknown;
    const output = { startFile: () => {}, add: (it: CaptureItem) => added.push(it), endFile: () => {}, dropFile: () => {}, finish: (h: unknown) => (head = h) };
    const failing = (it: FileItem) => it.outcome === 'error';
    const sink = new ReportSink(output, { names: ['--failures-only'], match: failing });
    for (const it of items) sink.add(it);
    sink.endFile();
    const out = sink.finish(HEAD);
    expect(added).toEqual(items.filter(failing));
    expect(out.summary.total).toBe(items.length);
    expect(out.listed?.total).toBe(added.length);
    expect(out.listed?.filters).toEqual(['--failures-only']);
    expect(head).toEqual(out);
  });

  it('without filters, lists no listed summary', () => {
    const output = { startFile: () => {}, add: () => {}, endFile: () => {}, dropFile: () => {}, finish: () => {} };
    const sink = new ReportSink(output, { names: [], match: () => true });
    for (const it of items) sink.add(it);
    sink.endFile();
    expect(sink.finish(HEAD).listed).toBeUndefined();
  });
});
