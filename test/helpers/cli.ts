import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';

export const CLI = join(ROOT, 'packages', 'cli', 'bin', 'tlsdoctor.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would (npm test builds it first). */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000, input?: Buffer): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: timeoutMs, input });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
