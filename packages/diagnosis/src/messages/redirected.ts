import type { Cause } from './meaning.js';

/**
 * The URL a wrapper says was asked for: git's `unable to access '…'`, PHP's `file_get_contents(…)`.
 * Only wrappers that print the URL the user gave, not the one the client ended at.
 */
const ASKED = [/unable to access '(https?:\/\/[^']+)'/, /file_get_contents\((https?:\/\/[^)\s]+)\)/];
/** Where the connection that failed went, as curl words it (git and PHP pass it on). */
const FAILED = /Failed to connect to (\S+) port (\d+)/;

function hostPort(url: string): { host: string; port: number } | undefined {
  try {
    const u = new URL(url);
    return { host: u.hostname.toLowerCase(), port: u.port ? Number(u.port) : u.protocol === 'http:' ? 80 : 443 };
  } catch {
    return undefined;
  }
}

/**
 * A failed connection to another host or port than the URL asked for can only be a redirect's
 * target: when the text shows both, that cause goes first.
 */
export function rankRedirectTarget(text: string, candidates: Cause[]): Cause[] {
  const target = candidates.find((c) => c.code === 'HTTP_REDIRECT_TARGET_FAILED');
  const failed = FAILED.exec(text);
  if (!target || !failed) return candidates;
  const asked = ASKED.map((re) => re.exec(text)?.[1]).find((u) => u !== undefined);
  const from = asked ? hostPort(asked) : undefined;
  if (!from || (from.host === failed[1].toLowerCase() && from.port === Number(failed[2]))) return candidates;
  return [target, ...candidates.filter((c) => c !== target)];
}
