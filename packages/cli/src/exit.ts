import type { Severity } from '@tlsdoctor/diagnosis';
import { TlsdoctorError } from '@tlsdoctor/tls-parser-ts';

/** Exit codes, documented in the README. */
export const EXIT = {
  /** No error-level finding. */
  OK: 0,
  /** At least one error-level finding (with --fail-on warning: or a warning). */
  FINDINGS: 1,
  /** Bad usage, or an input that could not be read (what could be read is still reported). */
  USAGE_OR_INPUT: 2,
} as const;

/** The least severe finding that makes a run fail: --fail-on. */
export type FailOn = 'error' | 'warning';

/** Exit 1 on an error-level finding, or with --fail-on warning on a warning too (a CI job's choice). */
export function exitFor(worst: Severity, inputFailed: boolean, failOn: FailOn = 'error'): number {
  if (inputFailed) return EXIT.USAGE_OR_INPUT;
  return worst === 'error' || (failOn === 'warning' && worst === 'warning') ? EXIT.FINDINGS : EXIT.OK;
}

/** A bad-usage or bad-input condition with its one-line message. */
export class UsageError extends TlsdoctorError {
  readonly code = 'USAGE';
}

/**
 * The one place that maps an error's code to the exit status: every error a user can cause
 * (bad usage, a bad target, an unreadable capture, a temporary file that cannot be written) is
 * exit 2; anything else is a bug and is not ours to map.
 */
const EXIT_BY_CODE: Readonly<Record<string, number>> = {
  USAGE: EXIT.USAGE_OR_INPUT,
  BAD_TARGET: EXIT.USAGE_OR_INPUT,
  SPOOL: EXIT.USAGE_OR_INPUT,
  TLS_PARSE_ERROR: EXIT.USAGE_OR_INPUT,
  NOT_FOUND: EXIT.USAGE_OR_INPUT,
  UNREADABLE: EXIT.USAGE_OR_INPUT,
  EMPTY: EXIT.USAGE_OR_INPUT,
  BAD_MAGIC: EXIT.USAGE_OR_INPUT,
  TRUNCATED: EXIT.USAGE_OR_INPUT,
  BAD_BLOCK: EXIT.USAGE_OR_INPUT,
  BAD_PACKET_LENGTH: EXIT.USAGE_OR_INPUT,
  GZIP: EXIT.USAGE_OR_INPUT,
  NOT_JSON: EXIT.USAGE_OR_INPUT,
  NOT_NETLOG: EXIT.USAGE_OR_INPUT,
  BAD_JSON: EXIT.USAGE_OR_INPUT,
  TOO_LARGE: EXIT.USAGE_OR_INPUT,
  NOT_CERTIFICATE: EXIT.USAGE_OR_INPUT,
  PKCS12: EXIT.USAGE_OR_INPUT,
  NOT_KEY: EXIT.USAGE_OR_INPUT,
  KEY_ENCRYPTED: EXIT.USAGE_OR_INPUT,
  BAD_KEY: EXIT.USAGE_OR_INPUT,
};

/** The exit status for an error a user caused, or undefined for a bug. */
export function exitForError(e: unknown): number | undefined {
  return e instanceof TlsdoctorError ? EXIT_BY_CODE[e.code] : undefined;
}

/**
 * Runs a command; an error the user caused (bad input, bad usage) is one line on stderr and its
 * exit status, anything else is a bug and goes on up.
 */
export async function reportingInputErrors(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    const status = exitForError(e);
    if (status === undefined) throw e;
    process.stderr.write(`tlsdoctor: ${(e as Error).message}\n`);
    return status;
  }
}
