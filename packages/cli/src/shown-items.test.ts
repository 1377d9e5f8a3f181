import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderTerminal } from '@tlsdoctor/report';
import { makeItems, report, shuffled } from '../../../test/helpers/report-items.js';
import { ShownItems } from './shown-items.js';

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

  it('keeps every item of a file of 200,000 when asked to (--limit 0)', () => {
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
