/**
 * The one error every parser in this package throws. Callers branch on `code` and report
 * `offset` (bytes from the start of the input the parse began on) so that a user can find
 * the faulty byte in a hex dump of the same input.
 */
export class TlsParseError extends Error {
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
