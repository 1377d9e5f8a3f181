import type { ConnectionRecord } from '@tlsdoctor/analysis';
import type { ProbeRecord } from '@tlsdoctor/probe';
import { AlertDescription, HandshakeType, Version, versionName } from '@tlsdoctor/tls-parser-ts';
import { since } from '../evidence.js';
import { findingsOf, type CodeInfo, type Finding } from '../finding.js';
import { handshakeComplete } from './handshake-state.js';
import { alertLine } from './hello-line.js';

export const CLIENT_CERT_CODES = {
  CLIENT_CERT_REQUIRED: {
    severity: 'error',
    title: 'The server requires a client certificate',
    remedy: 'The server asks for a client certificate (mutual TLS) and refuses to go on without one it accepts. Give the client its certificate and key (curl `--cert client.pem --key client.key`, browsers: import it; mini-programs and most mobile clients cannot), or, if this endpoint should be open, stop requiring one (nginx: `ssl_verify_client optional;` or `off;` in this server block, or require it only in the `location` that needs it).',
  },
  CLIENT_CERT_REQUESTED: {
    severity: 'info',
    title: 'The server asked for a client certificate and got none',
    remedy: 'Nothing failed in the handshake. A server that only asks (nginx `ssl_verify_client optional;`) goes on; one that requires it (nginx `ssl_verify_client on;`) refuses after the handshake, at the HTTP level ("400 No required SSL certificate was sent"), which a capture cannot read. If requests fail, give the client its certificate, or stop requiring one.',
  },
} satisfies Record<string, CodeInfo>;

const finding = findingsOf(CLIENT_CERT_CODES);

/** The alerts a server sends when a client certificate is missing or not accepted. */
const REFUSALS: ReadonlySet<number> = new Set([
  AlertDescription.HandshakeFailure,
  AlertDescription.BadCertificate,
  AlertDescription.UnsupportedCertificate,
  AlertDescription.CertificateUnknown,
  AlertDescription.UnknownCA,
  AlertDescription.AccessDenied,
  AlertDescription.CertificateRequired,
]);

function sentLine(r: ConnectionRecord): string {
  const m = r.messages.find((x) => x.from === 'client' && x.type === HandshakeType.Certificate);
  if (r.clientCertificates === undefined || !m) return 'the client sent no Certificate message';
  return r.clientCertificates === 0
    ? `the client answered with an empty Certificate in frame ${m.frame}: it has none to give`
    : `the client sent ${r.clientCertificates} certificate(s) in frame ${m.frame}`;
}

/**
 * A capture (TLS 1.2, where the CertificateRequest is in clear): the server asked for a client
 * certificate, then refused the handshake with an alert after the client's answer (required), or
 * let it complete without one (requested only, or refused later where a capture cannot see).
 */
export function judgeCaptureClientCert(r: ConnectionRecord): Finding[] {
  if (!r.certificateRequested) return [];
  const req = r.messages.find((m) => m.from === 'server' && m.type === HandshakeType.CertificateRequest);
  const asked = req ? `CertificateRequest from the server in frame ${req.frame} (${since(r.firstTime, req.time)})` : 'the server sent a CertificateRequest';
  const refusal = r.alerts.find((a) => a.from === 'server' && a.level === 'fatal' && REFUSALS.has(a.description) && (!req || a.frame >= req.frame));
  if (refusal) return [finding('CLIENT_CERT_REQUIRED', [asked, sentLine(r), alertLine(r, refusal)])];
  if (handshakeComplete(r) && !r.clientCertificates) return [finding('CLIENT_CERT_REQUESTED', [asked, sentLine(r), 'the handshake completed without a client certificate'])];
  return [];
}

/** The version probes' TLS 1.2 flight that carried a CertificateRequest, if any. */
function requestedIn(r: ProbeRecord): number | undefined {
  return r.versions.find((v) => v.outcome.kind === 'server-hello' && v.outcome.certificateRequested)?.version;
}

/**
 * A probe: a TLS 1.2 flight with a CertificateRequest (read in clear by the version probe), and
 * the server's answer to a request without a certificate (nginx's 400 "No required SSL
 * certificate was sent", which also shows a TLS 1.3 server's requirement).
 */
export function judgeProbeClientCert(r: ProbeRecord): Finding[] {
  const version = requestedIn(r);
  const refusal = r.hsts?.clientCertRefusal;
  const asked = version !== undefined ? [`the server's ${versionName(version)} flight carries a CertificateRequest (read in clear by the ${versionName(version)} probe)`] : [];
  if (refusal) return [finding('CLIENT_CERT_REQUIRED', [...asked, `after the handshake, a request without a client certificate got: ${refusal}`, ...(version === undefined && r.full?.version === Version.TLS13 ? ['TLS 1.3 encrypts the CertificateRequest: the HTTP answer shows the requirement'] : [])])];
  if (version !== undefined) return [finding('CLIENT_CERT_REQUESTED', [...asked, 'the handshake completes without one'])];
  return [];
}
