import { netErrorDescriptions, netErrorNames } from '@tlsdoctor/netlog';
import type { MessageEntry } from './message-entry.js';
import type { MeaningName } from './meanings.js';

/**
 * Chromium's net errors that name a failure tlsdoctor diagnoses, and what each means: the causes
 * `explain` lists for `net::ERR_…` and the codes `tlsdoctor netlog` can give for a record that
 * ended with it come from one table (a test holds the second to the first). The names and codes
 * are Chromium's (net/base/net_error_list.h, generated into the netlog package); the one-line
 * descriptions are ours, written from its comments.
 */
export const NET_ERROR_MEANINGS: Readonly<Record<string, MeaningName>> = {
  ERR_CONNECTION_RESET: 'reset',
  ERR_CONNECTION_CLOSED: 'closedEarly',
  ERR_CONNECTION_ABORTED: 'closedEarly',
  ERR_EMPTY_RESPONSE: 'closedEarly',
  ERR_SSL_PROTOCOL_ERROR: 'chromeProtocol',
  ERR_CONNECTION_TIMED_OUT: 'synTimeout',
  ERR_TIMED_OUT: 'chromeTimedOut',
  ERR_CONNECTION_REFUSED: 'refused',
  ERR_ADDRESS_UNREACHABLE: 'unreachable',
  ERR_INTERNET_DISCONNECTED: 'unreachable',
  ERR_NETWORK_ACCESS_DENIED: 'unreachable',
  ERR_CONNECTION_FAILED: 'couldNotConnect',
  ERR_NAME_NOT_RESOLVED: 'dns',
  ERR_NAME_RESOLUTION_FAILED: 'dns',
  ERR_DNS_TIMED_OUT: 'dns',
  ERR_CERT_DATE_INVALID: 'certDates',
  ERR_TOO_MANY_REDIRECTS: 'redirectLoop',
  ERR_CERT_COMMON_NAME_INVALID: 'certName',
  ERR_CERT_AUTHORITY_INVALID: 'unknownIssuer',
  ERR_CERT_INVALID: 'certGeneric',
  ERR_CERT_WEAK_SIGNATURE_ALGORITHM: 'legacySignature',
  ERR_SSL_VERSION_OR_CIPHER_MISMATCH: 'cipherMismatch',
  ERR_SSL_CLIENT_AUTH_CERT_NEEDED: 'clientCertRequired',
  ERR_BAD_SSL_CLIENT_AUTH_CERT: 'clientCertRequired',
  ERR_SSL_HANDSHAKE_NOT_COMPLETED: 'closedEarly',
  ERR_QUIC_PROTOCOL_ERROR: 'quicError',
};

const CHROMIUM = "Chromium's net/base/net_error_list.h";

/** A net error's code by its name, from the generated table. */
const CODE_OF: ReadonlyMap<string, number> = new Map([...netErrorNames].map(([code, name]) => [name, code]));

/** One catalogue entry per net error above: Chromium prints them as `net::ERR_…`. */
export const NET_ERROR_ENTRIES: MessageEntry[] = Object.entries(NET_ERROR_MEANINGS).map(([name, meaning]) => {
  const code = CODE_OF.get(name);
  const said = code === undefined ? undefined : netErrorDescriptions.get(code);
  return { id: `chromium-${name.slice(4).toLowerCase().replace(/_/g, '-')}`, clients: ['chrome'], pattern: new RegExp(`\\b${name}\\b`), example: `net::${name}`, meaning, source: `${CHROMIUM}${code === undefined ? '' : ` (${code}${said ? `: ${said}` : ''})`}` };
});

/** A Chromium net error named in a text, with Chromium's code and description: the first one, whether or not it is mapped. */
export function netErrorIn(text: string): { name: string; code: number; description?: string } | undefined {
  for (const m of text.matchAll(/\bERR_[A-Z0-9_]+\b/g)) {
    const code = CODE_OF.get(m[0]);
    if (code !== undefined) return { name: m[0], code, description: netErrorDescriptions.get(code) };
  }
  return undefined;
}
