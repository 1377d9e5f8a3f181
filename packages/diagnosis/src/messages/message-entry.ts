import type { MeaningName } from './meanings.js';

export const CLIENTS = ['curl', 'wget', 'openssl', 'gnutls', 'python', 'node', 'java', 'go', 'chrome', 'firefox', 'wechat'] as const;
export type ClientName = (typeof CLIENTS)[number];

/** One message pattern of one or more clients, and what it means. */
export interface MessageEntry {
  id: string;
  clients: ClientName[];
  pattern: RegExp;
  /** The message as a client printed it (the lab's recording, or the source's wording). */
  example: string;
  meaning: MeaningName;
  /**
   * Where the pattern comes from: `lab` (recorded from the client against the failure lab:
   * test/data/client-messages.json, `npm run messages`), or the document it was read in.
   */
  source: string;
}
