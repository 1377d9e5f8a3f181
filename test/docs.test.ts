// Every code in the engine is documented, and every fixture's expected code names its fixture.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES } from '@tlsdoctor/rules';
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
    const listed = row.split('|')[6] ?? '';
    const patterns = [...listed.matchAll(/`([^`]+)`/g)].map((m) => new RegExp(`^${m[1].replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`));
    expect(patterns.some((p) => p.test(name)), `${name} in the fixture column of ${code}`).toBe(true);
  });
});
