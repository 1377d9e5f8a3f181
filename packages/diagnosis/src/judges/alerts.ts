import type { ConnectionRecord } from '@tlsdoctor/analysis';
import { describeHello, versionLines } from '../probe-words.js';
import type { ProbeRecord } from '@tlsdoctor/probe';
import { AlertDescription } from '@tlsdoctor/tls-parser-ts';
import { compact } from '../evidence.js';
import { findingsOf, type Finding } from '../finding.js';
import { decisiveAlert, handshakeComplete } from './handshake-state.js';
import { alertLine, endLine, helloLine } from './hello-line.js';

/** A fatal alert that no more specific judge explains, named as it was sent. */
export const ALERT_CODES = {
  TLS_ALERT: { severity: 'error', title: 'Fatal TLS alert during the handshake', remedy: 'The alert names what the sender rejected; see its description in the evidence.' },
} as const;

const finding = findingsOf(ALERT_CODES);

/** Fixes for alerts whose meaning is specific enough to say more than "see the alert". */
const REMEDIES: Readonly<Record<number, string>> = {
  [AlertDescription.InternalError]: 'The sender\'s TLS library failed on its own side. From a server this is most often a configuration its library refuses to run (nginx `ssl_protocols TLSv1;` on OpenSSL 3, whose default security level forbids TLS 1.0/1.1), or a certificate and key that do not match: its error log names it.',
  [AlertDescription.DecodeError]: 'The receiver could not parse a handshake message: a malformed or truncated ClientHello (a broken client, or a middlebox that rewrites it).',
  [AlertDescription.UnrecognizedName]: 'The server has no certificate or virtual host for this SNI: add a server block (`server_name`) for the name, or send the name it serves.',
  [AlertDescription.NoApplicationProtocol]: 'No ALPN protocol in common: the server accepts none of those the client offered (e.g. a gRPC client against a server without h2).',
  [AlertDescription.CertificateRequired]: 'The server requires a client certificate and the client sent none: configure the client with its certificate and key.',
  [AlertDescription.CertificateRevoked]: 'The certificate was revoked by its CA: install a new certificate.',
  [AlertDescription.InappropriateFallback]: 'The client retried with a lower version and the server, which supports a higher one, refused the downgrade: find why the first attempt failed (often a middlebox).',
};

/** The specific fix for an alert, when its meaning says more than "see the alert". */
export function alertRemedy(description: number): string | undefined {
  return REMEDIES[description];
}

/**
 * A capture: the handshake's decisive alert, unless another finding already cites it as its
 * evidence (a protocol_version alert is the version judge's, unknown_ca the certificate judge's).
 * Over TCP, an alert once the handshake completed and the connection ended is part of the close.
 */
export function judgeCaptureAlerts(r: ConnectionRecord, others: readonly Finding[]): Finding[] {
  const a = decisiveAlert(r);
  if (!a || (r.transport === 'tcp' && handshakeComplete(r) && a.time >= (r.end?.time ?? Infinity))) return [];
  const line = alertLine(r, a);
  if (others.some((f) => f.evidence.includes(line))) return [];
  return [finding('TLS_ALERT', compact([helloLine(r), line, r.transport === 'tcp' && endLine(r)]), { title: `Fatal alert ${a.name} from the ${a.from}`, remedy: REMEDIES[a.description] })];
}

/** A probe: the server answered the hello with an alert, and no other judge explained it. */
export function judgeProbeAlerts(r: ProbeRecord, explained: boolean): Finding[] {
  const h = r.hello;
  if (h?.kind !== 'alert' || explained) return [];
  return [finding('TLS_ALERT', [`the server answered with ${describeHello(h)}`, ...versionLines(r)], { title: `Fatal alert ${h.alert.name} from the server`, remedy: REMEDIES[h.alert.description] })];
}
