// Every code in the engine is documented, and every fixture's expected code names its fixture.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES, PRECEDENCE } from '@tlsdoctor/diagnosis';
// @ts-expect-error: plain ESM JavaScript, shared with `npm run gen:docs`.
import { renderPrecedence, withPrecedence } from '../scripts/precedence-doc.mjs';
import { fixtureFiles, ROOT } from './helpers/fixtures.js';

const doc = readFileSync(join(ROOT, 'docs', 'diagnoses.md'), 'utf8');
const rows = new Map(doc.split('\n').filter((l) => l.startsWith('| `')).map((l) => [l.slice(3, l.indexOf('`', 3)), l]));

describe('docs/diagnoses.md', () => {
  it.each(Object.keys(CODES))('documents %s with its severity', (code) => {
    expect(rows.has(code)).toBe(true);
    expect(rows.get(code)).toContain(`| ${CODES[code as keyof typeof CODES].severity} |`);
  });

  it.each(fixtureFiles().map((f) => [f.name, f.sidecar.expect.primary]))('names fixture %s under %s', (name, code) => {
    const row = rows.get(code) ?? '';
    const cells = row.split('|');
    const listed = cells[cells.length - 2] ?? '';
    const patterns = [...listed.matchAll(/`([^`]+)`/g)].map((m) => new RegExp(`^${m[1].replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`));
    expect(patterns.some((p) => p.test(name)), `${name} in the fixture column of ${code}`).toBe(true);
  });
});

describe('precedence', () => {
  it('places every code exactly once', () => {
    const placed = PRECEDENCE.map((p) => p.code);
    expect([...placed].sort()).toEqual(Object.keys(CODES).sort());
    expect(new Set(placed).size).toBe(placed.length);
  });

  it('gives every place its reason', () => {
    for (const p of PRECEDENCE) expect(p.why.length, p.code).toBeGreaterThan(10);
  });

  it('is the order docs/diagnoses.md shows (npm run gen:docs rewrites it)', () => {
    expect(withPrecedence(doc, renderPrecedence(PRECEDENCE, CODES))).toBe(doc);
  });
});

describe('README', () => {
  it('shows a real excerpt of what its first command prints', async () => {
    const { runCli } = await import('./helpers/cli.js');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/npm install && npx tlsdoctor pcap fixtures\/sni-reset\.pcap/);
    expect(readme).toMatch(/^npm test$/m);
    const excerpt = /```text\n([\s\S]+?)```/.exec(readme)![1].trimEnd().split('\n');
    const out = runCli(['pcap', join(ROOT, 'fixtures', 'sni-reset.pcap')]).stdout.split('\n');
    for (const [i, line] of excerpt.entries()) {
      // A line cut short in the README ends with "[...]": the start must match.
      if (line.endsWith('[...]')) expect(out[i].startsWith(line.slice(0, -5).trimEnd())).toBe(true);
      else expect(out[i].replace(/fixtures\/.*\.pcap/, 'fixtures/sni-reset.pcap').replace(/\/\S+\/fixtures/, 'fixtures')).toBe(line);
    }
  });
});

describe('links between the documents', () => {
  // A document folded into another leaves links behind: every docs/NAME.md named in the README
  // or in docs/ must exist.
  const named = (text: string) => [...text.matchAll(/docs\/([\w.-]+\.(?:md|json))/g)].map((m) => m[1]);
  const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
  it.each(['README.md', ...docs.map((f) => `docs/${f}`)])('%s names only documents that exist', (file) => {
    const missing = named(readFileSync(join(ROOT, file), 'utf8')).filter((f) => !existsSync(join(ROOT, 'docs', f)));
    expect(missing).toEqual([]);
  });
  it('relative links inside docs/ resolve', () => {
    const broken = docs.flatMap((f) => [...readFileSync(join(ROOT, 'docs', f), 'utf8').matchAll(/\]\(([\w.-]+\.md)(?:#[\w-]*)?\)/g)]
      .map((m) => m[1]).filter((target) => !existsSync(join(ROOT, 'docs', target))).map((target) => `${f} -> ${target}`));
    expect(broken).toEqual([]);
  });
});
