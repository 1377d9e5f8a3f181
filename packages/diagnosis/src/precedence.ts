import type { Code } from './codes.js';

/**
 * The order in which findings are listed; the first is the primary diagnosis, for captures and
 * probes alike. Each position says why it sits there. docs/diagnoses.md lists the same order
 * (a test fails if the two differ).
 */
export const PRECEDENCE: readonly { code: Code; why: string }[] = [
  { code: 'DNS_NO_ADDRESS', why: 'without an address nothing else could be tried' },
  { code: 'DNS_ERROR', why: 'without an address nothing else could be tried' },
  { code: 'PROBE_ERROR', why: 'a local failure: nothing was measured' },
  { code: 'TCP_UNREACHABLE', why: 'TCP never connected: nothing above it ran' },
  { code: 'TCP_REFUSED', why: 'TCP never connected: nothing above it ran' },
  { code: 'TCP_TIMEOUT', why: 'TCP never connected: nothing above it ran' },
  { code: 'TCP_RESET', why: 'the connection died before the ClientHello' },
  { code: 'SNI_FILTERED', why: 'the name itself is blocked on the path: more specific than the reset or silence it causes' },
  { code: 'MTU_BLACKHOLE', why: "more specific than the silence it causes; today's browsers never get past their first packet, whatever else is wrong" },
  { code: 'SPLIT_CLIENT_HELLO_REJECTED', why: "more specific than the reset or silence it causes; today's browsers never get past their first packet, whatever else is wrong" },
  { code: 'LARGE_CLIENT_HELLO_REJECTED', why: "today's browsers are refused at their first message, whatever else is wrong" },
  { code: 'RESET_AFTER_CLIENT_HELLO', why: 'the ClientHello got no TLS answer: nothing negotiated can be judged' },
  { code: 'NO_SERVER_HELLO', why: 'the ClientHello got no TLS answer: nothing negotiated can be judged' },
  { code: 'PLAIN_HTTP_PORT', why: 'the port is not a TLS port at all' },
  { code: 'PLAINTEXT_HTTP_ON_TLS_PORT', why: 'the port answers, but not in TLS' },
  { code: 'NOT_TLS', why: 'the port answers, but not in TLS' },
  { code: 'PROTOCOL_VERSION_MISMATCH', why: 'no handshake can start without a version in common' },
  { code: 'SERVER_TLS_CONFIG_UNUSABLE', why: 'the reason the server accepts no version: listed beside the mismatch it causes' },
  { code: 'NO_SHARED_CIPHER', why: 'no handshake can start without a suite in common' },
  { code: 'CERT_SELF_SIGNED', why: 'the certificate must be replaced by a CA-issued one, which makes its other faults moot' },
  { code: 'CERT_UNTRUSTED', why: 'the certificate must be replaced by one from a trusted CA' },
  { code: 'CERT_HOSTNAME_MISMATCH', why: 'a new certificate with the right names is needed: a renewal alone would still fail' },
  { code: 'CERT_CHAIN_INCOMPLETE', why: 'a server setting: the certificate is fine once its intermediate is sent' },
  { code: 'CERT_EXPIRED', why: 'a renewal with the same names fixes it' },
  { code: 'CERT_NOT_YET_VALID', why: 'a clock, or waiting, fixes it' },
  { code: 'CLIENT_CERT_REQUIRED', why: "the server refuses the client: asked only once the server's own certificate was accepted" },
  { code: 'CLIENT_CERT_REJECTED', why: "the server refuses the certificate given: asked only once the server's own certificate was accepted" },
  { code: 'TLS_ALERT', why: 'an alert no specific judge explains: named, but its cause is the sender\'s' },
  { code: 'CLIENT_ABORTED', why: 'the client left without a readable reason: the weakest of the failures' },
  { code: 'WEBSOCKET_UPGRADE_FAILED', why: 'TLS works; the failure is above it' },
  { code: 'DOMAIN_NOT_ALLOWED', why: 'TLS works; the client profile refuses the target' },
  { code: 'HANDSHAKE_OK', why: 'the handshake completed: primary when no error was found' },
  { code: 'DEPRECATED_PROTOCOL', why: 'a warning beside a working handshake' },
  { code: 'CERT_EXPIRING_SOON', why: 'a warning beside a working handshake' },
  { code: 'HTTP_NO_REDIRECT', why: 'a warning about port 80, not about TLS' },
  { code: 'HTTP_PORT_CLOSED', why: 'information: only typed-in http:// addresses are affected' },
  { code: 'HSTS_MISSING', why: 'information: a hardening step' },
  { code: 'CLIENT_CERT_REQUESTED', why: 'information: the server asked and went on without one' },
  { code: 'CLIENT_CERT_ACCEPTED', why: 'information: the server asked and took the certificate given' },
  { code: 'CAPTURE_PARTIAL', why: 'information about the capture, after every verdict it allows (alone when the capture holds neither the SYN nor the ClientHello)' },
];
