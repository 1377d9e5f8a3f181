import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { STORE_NAMES, type StoreName } from '@tlsdoctor/analysis';
import { UsageError } from './exit.js';

const DAY_MS = 86_400_000;

/**
 * --at: an ISO 8601 date or time ("2026-03-01", "2026-03-01T12:00:00Z"), "now", or days from
 * now ("+30d", "-7d": the day a renewal must be done by).
 */
export function parseAt(v: string | undefined, now: number): { at: number; label: string } {
  if (v === undefined || v === 'now') return { at: now, label: 'now' };
  const rel = /^([+-]\d{1,5})d$/.exec(v.trim());
  if (rel) return { at: now + Number(rel[1]) * DAY_MS, label: `--at ${v}` };
  const t = /^\d{4}-\d{2}-\d{2}/.test(v.trim()) ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw new UsageError(`--at must be a date (2026-03-01, 2026-03-01T12:00:00Z), "now", or days from now (+30d, -7d) (got "${v}")`);
  return { at: t, label: `--at ${v}` };
}

/** --name as a verifier compares it: a Unicode name in its IDNA (xn--) form; an IP literal as it is. */
export function parseName(v: string | undefined): { name: string; ascii: string; ip: boolean } | undefined {
  if (v === undefined) return undefined;
  const bare = v.trim().replace(/^\[(.*)\]$/, '$1');
  if (bare === '') throw new UsageError('--name needs a host name or an IP address');
  if (isIP(bare)) return { name: v, ascii: bare, ip: true };
  const ascii = domainToASCII(bare.replace(/\.$/, ''));
  if (ascii === '' || /[^a-z0-9.*_-]/i.test(ascii)) throw new UsageError(`--name "${v}" is not a host name (nor an IP address)`);
  return { name: v, ascii, ip: false };
}

export function parseStores(v: string[]): StoreName[] {
  for (const s of v) if (!(STORE_NAMES as readonly string[]).includes(s)) throw new UsageError(`--store must be one of ${STORE_NAMES.join(', ')} (got "${s}")`);
  return v as StoreName[];
}

/**
 * --password, as openssl's -passin takes it: `pass:TEXT`, `env:VAR` (the safer way: not in the
 * process list), `file:PATH` (its first line), or the text itself.
 */
export function parsePassword(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.startsWith('pass:')) return v.slice(5);
  if (v.startsWith('env:')) {
    const value = process.env[v.slice(4)];
    if (value === undefined) throw new UsageError(`--password ${v}: the environment has no ${v.slice(4)}`);
    return value;
  }
  if (v.startsWith('file:')) {
    try {
      return readFileSync(v.slice(5), 'utf8').split(/\r?\n/)[0];
    } catch (e) {
      throw new UsageError(`--password ${v}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
  }
  return v;
}

export function parsePurpose(v: string | undefined): 'server' | 'client' {
  if (v === undefined || v === 'server' || v === 'client') return v ?? 'server';
  throw new UsageError(`--purpose must be server or client (got "${v}")`);
}
