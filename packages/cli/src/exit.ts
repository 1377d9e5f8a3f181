import type { Severity } from '@tlsdoctor/diagnosis';

/** Exit codes, documented in the README and docs/cli.md. */
export const EXIT = {
  /** No error-level finding. */
  OK: 0,
  /** At least one error-level finding. */
  FINDINGS: 1,
  /** Bad usage, or an input that could not be read (what could be read is still reported). */
  USAGE_OR_INPUT: 2,
} as const;

export function exitFor(worst: Severity, inputFailed: boolean): number {
  if (inputFailed) return EXIT.USAGE_OR_INPUT;
  return worst === 'error' ? EXIT.FINDINGS : EXIT.OK;
}

/** A bad-usage or bad-input condition with its one-line message. */
export class UsageError extends Error {}
