import { TlsdoctorError } from '@tlsdoctor/tls-parser-ts';

export type NetlogErrorCode = 'NOT_FOUND' | 'UNREADABLE' | 'EMPTY' | 'NOT_JSON' | 'NOT_NETLOG' | 'BAD_JSON' | 'TOO_LARGE' | 'GZIP';

/**
 * One error type for NetLog input, with a stable code and the byte offset in the (decompressed)
 * file, so the CLI can print one line naming what is wrong and where.
 */
export class NetlogError extends TlsdoctorError {
  constructor(
    readonly code: NetlogErrorCode,
    message: string,
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.name = 'NetlogError';
  }
}
