import { TlsdoctorError } from '@tlsdoctor/tls-parser-ts';

export type CaptureErrorCode =
  | 'NOT_FOUND'
  | 'UNREADABLE'
  | 'EMPTY'
  | 'BAD_MAGIC'
  | 'TRUNCATED'
  | 'BAD_BLOCK'
  | 'BAD_PACKET_LENGTH'
  | 'GZIP';

/**
 * One error type for capture input, with a stable code and the byte offset in the (decompressed)
 * file, so the CLI can print one line naming what is wrong and where.
 */
export class CaptureError extends TlsdoctorError {
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.name = 'CaptureError';
  }
}
