import type { MeaningName } from './meanings.js';

export const CLIENTS = ['curl', 'wget', 'openssl', 'gnutls', 'python', 'node', 'java', 'go', 'chrome', 'firefox', 'wechat', 'ruby', 'php', 'rust', 'dotnet', 'nginx', 'git', 'aria2c', 'lynx'] as const;
export type ClientName = (typeof CLIENTS)[number];

/**
 * The TLS libraries whose words clients print, whatever program wraps them: the unit a rule is
 * written for (rustls is the same in reqwest and ureq, OpenSSL in curl, Ruby, PHP and nginx).
 */
export const LIBRARIES = ['openssl', 'gnutls', 'rustls', 'boringssl', 'jsse', 'go', 'dotnet', 'nss'] as const;
export type LibraryName = (typeof LIBRARIES)[number];

/** One message pattern of one or more clients, and what it means. */
export interface MessageEntry {
  id: string;
  clients: ClientName[];
  pattern: RegExp;
  /** The message as a client printed it (the lab's recording, or the source's wording). */
  example: string;
  meaning: MeaningName;
  /** The TLS library whose vocabulary the pattern is written in, when it is one library's. */
  library?: LibraryName;
  /**
   * Where the pattern comes from: `lab` (recorded from the client against the failure lab:
   * test/data/client-messages.json, `npm run messages`), or the document it was read in.
   */
  source: string;
}
