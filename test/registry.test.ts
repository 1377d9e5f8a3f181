// The generated registry files are committed; they must be what the tables in scripts/registry give.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const GENERATOR = fileURLToPath(new URL('../scripts/gen-registry.mjs', import.meta.url));

describe('the generated registry files', () => {
  it('are what scripts/gen-registry.mjs makes of the tables', () => {
    const r = spawnSync(process.execPath, [GENERATOR, '--check'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
