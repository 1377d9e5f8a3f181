/**
 * The base of every error tlsdoctor reports to a user: a stable `code` that callers branch on
 * (the CLI maps codes to exit statuses in one table) and a message that is one line.
 */
export abstract class TlsdoctorError extends Error {
  abstract readonly code: string;
}

/**
 * The one error every parser in this package throws. Callers branch on `code` and report
 * `offset` (bytes from the start of the input the parse began on) so that a user can find
 * the faulty byte in a hex dump of the same input.
 */
export class TlsParseError extends TlsdoctorError {
  readonly code = 'TLS_PARSE_ERROR';
  constructor(
    readonly offset: number,
    readonly expected: string,
    detail?: string,
  ) {
    super(`at byte ${offset}: expected ${expected}${detail ? ` (${detail})` : ''}`);
    this.name = 'TlsParseError';
  }
}
