import { TlsdoctorError } from '@tlsdoctor/tls-parser-ts';

/** What is wrong with a certificate or key file: each a stable code the CLI maps to exit 2. */
export type CertFileErrorCode = 'NOT_FOUND' | 'UNREADABLE' | 'EMPTY' | 'TOO_LARGE' | 'NOT_CERTIFICATE' | 'PKCS12' | 'NOT_KEY' | 'KEY_ENCRYPTED' | 'BAD_KEY';

/** One error for certificate and key files: its message is one line naming the file and what it holds. */
export class CertFileError extends TlsdoctorError {
  constructor(
    readonly code: CertFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CertFileError';
  }
}
