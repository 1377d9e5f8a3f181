// `npm run package` makes a tarball that installs a working `tlsdoctor` anywhere: no workspace,
// no dev dependencies, no ../shared. Installed here under a throwaway prefix, run from elsewhere.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from './helpers/fixtures.js';

describe('an installed tlsdoctor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-install-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('npm install -g of the packaged tarball runs from another directory', () => {
    const tarball = execFileSync(process.execPath, [join(ROOT, 'scripts', 'pack.mjs'), dir], { encoding: 'utf8', timeout: 120_000 }).trim();
    const prefix = join(dir, 'prefix');
    // The registry dependencies (yargs, undici) come from npm's cache when it has them.
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: dir, stdio: 'pipe', timeout: 240_000 });
    const installed = join(prefix, 'lib', 'node_modules', 'tlsdoctor');
    const modules = readdirSync(join(installed, 'node_modules'));
    // cli-table3 is only the oracle the table drawing is tested against.
    for (const dev of ['vitest', 'typescript', 'mermaid', '@stryker-mutator', 'cli-table3']) expect(modules).not.toContain(dev);
    expect(existsSync(join(installed, 'node_modules', 'yargs', 'package.json'))).toBe(true);
    const r = spawnSync(join(prefix, 'bin', 'tlsdoctor'), ['pcap', join(FIXTURES, 'sni-reset.pcap')], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/RESET_AFTER_CLIENT_HELLO/);
    const help = spawnSync(join(prefix, 'bin', 'tlsdoctor'), ['--help'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(help.stdout).toMatch(/tlsdoctor <command>/);
  }, 400_000);
});
