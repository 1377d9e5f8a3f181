import { findingsOf, type CodeInfo } from './finding.js';
import { ALERT_CODES } from './judges/alerts.js';
import { ALPN_CODES } from './judges/alpn.js';
import { CERTIFICATE_CODES } from './judges/certificate.js';
import { CHAIN_RULE_CODES } from './judges/chain-rules.js';
import { CIPHER_CODES } from './judges/ciphers.js';
import { CLIENT_CERT_CODES } from './judges/client-cert.js';
import { COVERAGE_CODES } from './judges/coverage.js';
import { RESOLVER_CODES } from './judges/dns.js';
import { HANDSHAKE_CODES } from './judges/handshake.js';
import { HELLO_SIZE_CODES } from './judges/hello-size.js';
import { HTTP_CODES } from './judges/http.js';
import { NETLOG_CODES } from './judges/netlog.js';
import { PROFILE_CODES } from './judges/profile.js';
import { QUIC_CODES } from './judges/quic.js';
import { SERVER_ANSWER_CODES } from './judges/server-answer.js';
import { TRANSPORT_CODES } from './judges/tcp.js';
import { VERSION_CODES } from './judges/versions.js';

/**
 * Every public diagnosis code, gathered from the judges that own them. Codes are stable:
 * reports, JSON consumers and docs/diagnoses.md name them; a code is never renamed or reused.
 */
export const CODES = {
  ...RESOLVER_CODES,
  ...TRANSPORT_CODES,
  ...SERVER_ANSWER_CODES,
  ...HELLO_SIZE_CODES,
  ...VERSION_CODES,
  ...CIPHER_CODES,
  ...ALPN_CODES,
  ...CERTIFICATE_CODES,
  ...CHAIN_RULE_CODES,
  ...CLIENT_CERT_CODES,
  ...ALERT_CODES,
  ...HANDSHAKE_CODES,
  ...QUIC_CODES,
  ...NETLOG_CODES,
  ...HTTP_CODES,
  ...PROFILE_CODES,
  ...COVERAGE_CODES,
} satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

/** Which judge owns each code, for docs and tests. */
export const FAMILIES: Readonly<Record<string, Record<string, CodeInfo>>> = {
  dns: RESOLVER_CODES,
  tcp: TRANSPORT_CODES,
  'server answer': SERVER_ANSWER_CODES,
  'hello size': HELLO_SIZE_CODES,
  versions: VERSION_CODES,
  ciphers: CIPHER_CODES,
  alpn: ALPN_CODES,
  certificate: CERTIFICATE_CODES,
  'certificate rules': CHAIN_RULE_CODES,
  'client certificate': CLIENT_CERT_CODES,
  alerts: ALERT_CODES,
  handshake: HANDSHAKE_CODES,
  quic: QUIC_CODES,
  'browser log': NETLOG_CODES,
  http: HTTP_CODES,
  profile: PROFILE_CODES,
  coverage: COVERAGE_CODES,
};

/** A finding of any code, with its title and fix: for reports and tests that make findings up. */
export const finding = findingsOf(CODES);
