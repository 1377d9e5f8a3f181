// The alerting rules shipped in monitoring/ are checked and unit-tested by Prometheus' own
// promtool (Debian's prometheus package; .ci/run installs it). The lab test runs them again on
// series from a real scrape of `tlsdoctor serve`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
if (!promtool) console.warn('alerting-rule tests skipped: promtool is not installed (Debian: apt-get install prometheus)');
if (!promtool && process.env.CI) throw new Error('the alerting-rule tests must run in CI, but promtool is not installed');

describe.skipIf(!promtool)('monitoring/tlsdoctor.rules.yml', () => {
  it('is valid for Prometheus', () => {
    const r = spawnSync('promtool', ['check', 'rules', join(ROOT, 'monitoring', 'tlsdoctor.rules.yml')], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('each rule fires on the series it was written for, and not on its near miss (promtool test rules)', () => {
    const r = spawnSync('promtool', ['test', 'rules', join(ROOT, 'monitoring', 'tlsdoctor.rules.test.yml')], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('SUCCESS');
  });
});
