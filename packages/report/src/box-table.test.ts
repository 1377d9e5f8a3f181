import Table from 'cli-table3';
import { describe, expect, it } from 'vitest';
import type { ClientHelloFacts } from './row-facts.js';
import { boxTable, displayWidth, visible } from './box-table.js';

// cli-table3, which drew this table before, is the oracle: the same head, rows and widths give
// the same text.
function theirs(head: string[], rows: string[][], widths: number[]): string {
  const t = new Table({ head, style: { head: [], border: [] }, colWidths: widths });
  for (const r of rows) t.push(r);
  return t.toString();
}

const red = (s: string) => `\x1b[31m${s}\x1b[39m`;
const bold = (s: string) => `\x1b[1m${s}\x1b[22m`;

describe('boxTable draws what cli-table3 drew', () => {
  it.each([
    ['one row', ['#', 'SNI'], [['0', 'example.com']], [5, 15]],
    ['no rows', ['#', 'client → server', 'SNI'], [], [5, 20, 12]],
    ['cells of several lines, the others padded below', ['#', 'client → server', 'diagnosis'], [['0', '10.0.0.1:50000 →\n198.18.0.1:443', 'HANDSHAKE_OK'], ['1', 'a', 'b\nc\nd']], [5, 20, 16]],
    ['colour codes take no room', [bold('#'), bold('diagnosis')], [['12', red('RESET_AFTER_CLIENT_HELLO')], ['3', `${red('ICP')} +TCP_TIMEOUT`]], [5, 40]],
    ['Latin-1 and an escaped control character', ['SNI', 'TLS'], [['café.example', 'TLS 1.2'], ['a\\x1bb', '—']], [16, 10]],
    ['East Asian wide characters take two columns', ['target', 'TLS'], [['例子.测试', 'TLS 1.3'], ['한국.kr', '—']], [14, 10]],
    ['an empty cell', ['a', 'b'], [['', 'x']], [4, 4]],
  ] as [string, string[], string[][], number[]][])('%s', (_what, head, rows, widths) => {
    expect(boxTable(head, rows, widths)).toBe(theirs(head, rows, widths));
  });

  it('a line longer than its column is cut and ends in "…", as cli-table3 cuts it', () => {
    const rows = [['0', 'a-name-much-longer-than-its-column.example']];
    expect(boxTable(['#', 'SNI'], rows, [5, 14])).toBe(theirs(['#', 'SNI'], rows, [5, 14]));
  });
});

describe('displayWidth and visible', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['→ — …', 5],
    [red('abc'), 3],
    ['例子', 4],
    ['e\u0301', 1],
    ['😀', 2],
  ])('%j takes %i columns', (s, w) => {
    expect(displayWidth(s)).toBe(w);
  });

  it.each([
    ['example.com', 'example.com'],
    ['a\x1b[2Jb', 'a\\x1b[2Jb'],
    ['line\nbreak\ttab\x00nul', 'line\\x0abreak\\x09tab\\x00nul'],
    ['del\x7f c1\x85 latin1 é', 'del\\x7f c1\\x85 latin1 é'],
  ])('visible(%j) is %j', (s, shown) => {
    expect(visible(s)).toBe(shown);
  });
});

describe('the terminal report shows text from a capture harmlessly', () => {
  it('a ClientHello name and evidence with control characters are escaped, and the table stays whole', async () => {
    const { renderTerminal } = await import('./terminal.js');
    const { makeItems, report, tcpFacts } = await import('../../../test/helpers/report-items.js');
    const [it0] = makeItems('a.pcap', 1, 3);
    const hostile = { ...it0, sni: 'evil\x1b[2J\nname', diagnoses: [{ ...it0.diagnoses[0], severity: 'error' as const, evidence: ['name \x1b]0;title\x07 seen'] }] };
    const withFacts = { ...hostile, facts: tcpFacts({ clientHello: { serverNames: ['evil\x1b[2J\nname'], alpn: ['h2\x07'] } as ClientHelloFacts }) };
    const out = renderTerminal(report([withFacts]), { color: false, verbose: true });
    expect(out).toContain('serverNames: evil\\x1b[2J\\x0aname');
    expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(out).toContain('evil\\x1b[2J\\x0aname');
    expect(out).toContain('name \\x1b]0;title\\x07 seen');
    // Every line of the table is as wide as its top border.
    const table = out.split('\n').filter((l) => /^[┌│├└]/.test(l));
    expect(new Set(table.map((l) => displayWidth(l))).size).toBe(1);
    const { renderMarkdown } = await import('./markdown.js');
    const md = renderMarkdown(report([hostile]));
    expect(md).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(md).toContain('evil\\x1b[2J name');
    expect(md).toContain('name \\x1b]0;title\\x07 seen');
  });
});

describe('wrap never splits a port', () => {
  it.each([
    ['an address and port cut inside the port', '10.77.2.12:443', 13, ['10.77.2.12', ':443']],
    ['cut at the colon already', '10.77.2.12:443', 10, ['10.77.2.12', ':443']],
    ['cut after the port', '10.77.2.12:443', 14, ['10.77.2.12:443']],
    ['a long name without a port is cut where it must', 'abcdefghij', 4, ['abcd', 'efgh', 'ij']],
    ['digits without a colon are cut where they must', '1234567890', 4, ['1234', '5678', '90']],
    ['a colon at the start keeps its cut', ':44312345', 4, [':443', '1234', '5']],
  ])('%s', async (_n, text, width, want) => {
    const { wrap } = await import('./terminal.js');
    expect(wrap(text, width)).toEqual(want);
  });
});

describe('the verbose facts say what is there', () => {
  it('an empty list reads "none"; the fingerprints line only when there is a fingerprint', async () => {
    const { renderTerminal } = await import('./terminal.js');
    const { makeItems, report, tcpFacts } = await import('../../../test/helpers/report-items.js');
    const [it0] = makeItems('a.pcap', 1, 3);
    const bare = { ...it0, ja3: null, ja3s: null, ja4: null, facts: tcpFacts({ clientHello: { serverNames: ['a.test'], alpn: [] as string[] } as ClientHelloFacts }) };
    const out = renderTerminal(report([bare]), { color: false, verbose: true });
    expect(out).toContain('    alpn: none\n');
    expect(out).not.toContain('fingerprints:');
    const printed = renderTerminal(report([{ ...bare, ja4: 't13d1516h2_8daaf6152771_02713d6af862' }]), { color: false, verbose: true });
    expect(printed).toContain('fingerprints: JA3 —, JA3S —, JA4 t13d1516h2_8daaf6152771_02713d6af862');
  });
});
