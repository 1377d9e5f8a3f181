import type { CertificateInfo, TcpRecord } from '@tlsdoctor/analysis';
import type { ProbeRecord } from '@tlsdoctor/probe';
import { AlertDescription, alertName, HandshakeType, isTls13, signatureSchemeName, Version, versionName, type CertificateRequest } from '@tlsdoctor/tls-parser-ts';
import { compact, quoted, since } from '../evidence.js';
import { findingsOf, type CodeInfo, type Finding } from '../finding.js';
import { ALERT_RECORD_MAX, clientFinished, handshakeComplete } from './handshake-state.js';
import { alertLine, endLine } from './hello-line.js';
import { judgeChainRules } from './chain-rules.js';

export const CLIENT_CERT_CODES = {
  CLIENT_CERT_REQUIRED: {
    severity: 'error',
    title: 'The server requires a client certificate',
    remedy: 'The server asks for a client certificate (mutual TLS) and refuses to go on without one it accepts. Give the client its certificate and key (curl `--cert client.pem --key client.key`, browsers: import it; mini-programs and most mobile clients cannot), or, if this endpoint should be open, stop requiring one (nginx: `ssl_verify_client optional;` or `off;` in this server block, or require it only in the `location` that needs it).',
  },
  CLIENT_CERT_REJECTED: {
    severity: 'error',
    title: 'The server refused the client certificate given',
    remedy: 'The server asked for a client certificate, got the client\'s (the one given with --cert, or the one a capture shows), and refused it. Most often it was not issued by a CA the server trusts for clients (the acceptable CA names, where the evidence lists them, are the ones it asks for; nginx: `ssl_client_certificate` / `ssl_trusted_certificate`), it has expired, or it lacks the clientAuth extended key usage. Issue the client a certificate from the CA the server expects, or add that CA to the server\'s client-CA file.',
  },
  CLIENT_CERT_ACCEPTED: {
    severity: 'info',
    title: 'The server accepted the client certificate given',
    remedy: 'Nothing to fix: the server asked for a client certificate and took the client\'s (the one given with --cert, or, in a capture, the one its answer to the request shows it took).',
  },
  CLIENT_CERT_REQUESTED: {
    severity: 'info',
    title: 'The server asked for a client certificate and got none',
    remedy: 'Nothing failed in the handshake. A server that only asks (nginx `ssl_verify_client optional;`) goes on; one that requires it (nginx `ssl_verify_client on;`) refuses after the handshake, at the HTTP level ("400 No required SSL certificate was sent"), which a capture shows only with the client\'s key log (tlsdoctor then reads the status line of the server\'s first answer, and nothing else of it). If requests fail, give the client its certificate, or stop requiring one.',
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

/**
 * The refusals a wrong purpose gives (OpenSSL: unsupported_certificate, 43; others bad_certificate
 * or certificate_unknown). An unknown CA or access denied is decided before the purpose is
 * looked at (OpenSSL builds the path first), so a wrong purpose beside it is not its cause.
 */
const PURPOSE_REFUSALS: ReadonlySet<number> = new Set([AlertDescription.BadCertificate, AlertDescription.UnsupportedCertificate, AlertDescription.CertificateUnknown]);

/** The client's Certificate message, and the chain it held. */
function sentLine(r: TcpRecord, m: TcpRecord['messages'][number] | undefined): string {
  const chain = r.clientCertificates;
  if (!m) return 'the client sent no Certificate message';
  if (chain === undefined) return `the client's Certificate in frame ${m.frame} could not be read`;
  if (chain.length === 0) return `the client answered with an empty Certificate in frame ${m.frame}: it has none to give`;
  return `the client sent ${chain.length} certificate(s) in frame ${m.frame}${isTls13(r.version) ? ' (opened with the key log)' : ''}: ${chain[0].subject}, issued by ${chain[0].issuer}`;
}

/**
 * A capture (TLS 1.2, where the CertificateRequest is in clear): the server asked for a client
 * certificate, then refused the handshake with an alert after the client's answer (required), or
 * let it complete without one (requested only, or refused later where a capture cannot see).
 * A client that gave a certificate and was refused was refused that certificate.
 */
export function judgeCaptureClientCert(r: TcpRecord): Finding[] {
  if (!r.certificateRequested) return [];
  const req = r.messages.find((m) => m.from === 'server' && m.type === HandshakeType.CertificateRequest);
  const answer = r.messages.find((m) => m.from === 'client' && m.type === HandshakeType.Certificate);
  const sent = sentLine(r, answer);
  const asked = req ? `CertificateRequest from the server in frame ${req.frame} (${since(r.firstTime, req.time)})` : 'the server sent a CertificateRequest';
  const refusal = r.alerts.find((a) => a.from === 'server' && a.level === 'fatal' && REFUSALS.has(a.description) && (!req || a.frame >= req.frame));
  const hidden = refusalUnderApplicationKeys(r);
  const status = r.serverStatusLine;
  const refusedRequest = status !== undefined && REFUSING_STATUS.has(statusCode(status.line));
  // A Certificate message that could not be read held something (an empty one reads): the client gave one.
  const unread = r.clientCertificates === undefined && answer !== undefined;
  if (r.clientCertificates?.length || unread) {
    const refusedBy = refusal ? alertLine(r, refusal) : hidden ?? (refusedRequest ? statusWords(r, status) : undefined);
    return presented(r, [asked, sent], refusedBy, !refusal || PURPOSE_REFUSALS.has(refusal.description));
  }
  if (refusal) return [finding('CLIENT_CERT_REQUIRED', [asked, sent, alertLine(r, refusal)])];
  if (hidden) return [finding('CLIENT_CERT_REQUIRED', [asked, sent, hidden])];
  if (refusedRequest) return [finding('CLIENT_CERT_REQUIRED', [asked, sent, 'the handshake completed without a client certificate', statusWords(r, status)])];
  // A browser with no certificate to offer stops at the request (Chromium: ERR_SSL_CLIENT_AUTH_CERT_NEEDED).
  if (!answer && !clientFinished(r) && r.end?.by === 'client') {
    return [finding('CLIENT_CERT_REQUIRED', [asked, 'the client left without answering it: no Certificate and no Finished', `${endLine(r)}: browsers stop here when they have no certificate to offer (Chromium: ERR_SSL_CLIENT_AUTH_CERT_NEEDED)`])];
  }
  if (handshakeComplete(r)) {
    return [finding('CLIENT_CERT_REQUESTED', compact([asked, sent, 'the handshake completed without a client certificate', status && `${statusWords(r, status)}: it went on without one`]))];
  }
  return [];
}

/**
 * The client gave a certificate: refused (`refusedBy`, the alert or answer that says so), or not
 * refused where the capture can see. A certificate without clientAuth is the cause of a refusal
 * that fits it (an error beside it); beside a refusal for another reason, or one the server took
 * (it works here only, and fails wherever the server checks the purpose, as nginx and every
 * OpenSSL-based server do), it is a warning.
 */
function presented(r: TcpRecord, lines: string[], refusedBy: string | undefined, refusalFitsPurpose: boolean): Finding[] {
  const purpose = clientPurpose(r.clientCertificates, lines[1]);
  if (refusedBy && refusalFitsPurpose) return [finding('CLIENT_CERT_REJECTED', [...lines, refusedBy]), ...purpose];
  if (refusedBy) return [finding('CLIENT_CERT_REJECTED', [...lines, refusedBy]), ...tookIt(purpose, `${refusedBy}: refused for another reason (a verifier builds the path before it reads the purpose)`)];
  // Only an answer to the request says the server took it: nginx completes every handshake and refuses later.
  const taken = r.serverStatusLine ? [finding('CLIENT_CERT_ACCEPTED', [...lines, `${statusWords(r, r.serverStatusLine)}: the server went on with it`])] : [];
  return [...taken, ...tookIt(purpose, notRefusedLine(r))];
}

/**
 * A wrong purpose no refusal was seen for is a warning, whatever showed it: the certificate works
 * with this server at most, and fails wherever the purpose is checked.
 */
function tookIt(purpose: Finding[], line: string): Finding[] {
  return purpose.map((f) => ({ ...f, severity: 'warning' as const, evidence: [...f.evidence, `${line}; servers that check the purpose (nginx and other OpenSSL-based servers, Go's crypto/tls) refuse it`] }));
}

/**
 * HTTP answers that refuse a client's certificate, or the lack of one, after the handshake:
 * nginx's 400 (its 496, "No required SSL certificate was sent", and 495, "The SSL certificate
 * error" for one it did not accept, go out as 400), IIS's 403 (403.7, "client certificate
 * required"), and 495 and 496 where a server sends them as they are.
 */
const REFUSING_STATUS: ReadonlySet<number> = new Set([400, 403, 495, 496]);

const statusCode = (line: string) => Number(line.split(' ')[1]);

/** The server's status line, as evidence, saying that nothing else of the application data was read. */
function statusWords(r: TcpRecord, s: NonNullable<TcpRecord['serverStatusLine']>): string {
  return `the server's first application data record (frame ${s.frame}, ${since(r.firstTime, s.time)}), opened with the key log's SERVER_TRAFFIC_SECRET_0, begins ${quoted(s.line)} (only this line of the application data is read)`;
}

/**
 * TLS 1.3 read with a key log: the server judges the client's certificate after the client's
 * Finished and refuses under its application keys, which are never used. Its first record after
 * its own flight being alert-sized, and then the server ending the connection, is the refusal.
 */
function refusalUnderApplicationKeys(r: TcpRecord): string | undefined {
  if (!isTls13(r.version) || !r.decryption || !r.end) return undefined;
  const size = r.encryptedRecordSizes[1][r.decryption.opened[1]];
  if (size === undefined || size > ALERT_RECORD_MAX) return undefined;
  const alert = r.clientCertificates?.length ? 'a TLS 1.3 server refuses a certificate it does not accept with bad_certificate, 42, or unsupported_certificate, 43' : 'a TLS 1.3 server refuses with certificate_required, 116';
  return `after the client's answer the server's first record under its application keys, which tlsdoctor opens for an HTTP status line only, has ${size} bytes: the size of an alert (${alert}), not of the session tickets a server that goes on sends first; ${endLine(r)}`;
}

/** Where the probe saw the server ask for a client certificate: a TLS 1.2 flight in clear, or its own TLS 1.3 flight decrypted. */
function requestSeen(r: ProbeRecord): { line: string; request?: CertificateRequest } | undefined {
  const flight = r.full?.serverFlight;
  if (flight?.certificateRequest) {
    return {
      line: `the server's TLS 1.3 flight, decrypted with the key log of the probe's own handshake, carries a CertificateRequest (${flight.messages.join(', ')})`,
      request: flight.certificateRequest,
    };
  }
  const v = r.versions.find((x) => x.outcome.kind === 'server-hello' && x.outcome.certificateRequested);
  if (!v || v.outcome.kind !== 'server-hello') return undefined;
  return { line: `the server's ${versionName(v.version)} flight carries a CertificateRequest (read in clear by the ${versionName(v.version)} probe)`, request: v.outcome.certificateRequest };
}

/** What the request accepts, as `openssl s_client` lists it. */
function requestLines(req: CertificateRequest | undefined): string[] {
  if (!req) return [];
  return compact([
    req.caNames.length > 0 ? `acceptable client certificate CA names: ${req.caNames.join('; ')}` : 'the server names no acceptable CA (any issuer it trusts may do)',
    req.signatureAlgorithms && `signature algorithms it accepts: ${req.signatureAlgorithms.map(signatureSchemeName).join(', ')}`,
  ]);
}

/** A distinguished name as a set of its attributes: `C=US, O=X` and `O=X,C=US` are one name. */
const dnKey = (dn: string) => dn.split(/\s*,\s*/).map((a) => a.replace(/\s*=\s*/, '=').toLowerCase()).sort().join(',');

/**
 * Whether the certificates given were issued by a CA the request names: the first thing to
 * check when a server refuses them.
 */
function issuerLine(req: CertificateRequest | undefined, issuers: string[] | undefined): string | undefined {
  if (!req || req.caNames.length === 0 || !issuers || issuers.length === 0) return undefined;
  const wanted = new Set(req.caNames.map(dnKey));
  const match = issuers.find((i) => wanted.has(dnKey(i)));
  return match
    ? `it chains to ${match}, one of the acceptable CA names: the server refused it for another reason (expired, revoked, a chain it cannot verify, or an access rule)`
    : `issued by ${issuers.join(' ← ')}: none is among the acceptable CA names; the server wants a certificate from one of them`;
}

/** A handshake error that is the server's refusal of the client's certificate (an alert OpenSSL names). */
const REFUSAL_ALERT = /ALERT_(CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|BAD_CERTIFICATE|UNSUPPORTED_CERTIFICATE|CERTIFICATE_UNKNOWN|UNKNOWN_CA|ACCESS_DENIED|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|DECRYPT_ERROR)/;

/** Every sign the server refused the client (its certificate, or the lack of one), as evidence. */
function refusals(r: ProbeRecord, asked: boolean): string[] {
  const out: string[] = [];
  const after = r.full?.afterClientCertificate;
  if (after?.outcome === 'alert') out.push(`after the handshake the server sent ${after.alert !== undefined ? `the alert ${alertName(after.alert)} (${after.alert})` : `an alert: ${after.code ?? after.message}`}`);
  else if (after?.outcome === 'closed') out.push('after the handshake the server closed the connection');
  const err = r.full?.error;
  if (asked && err?.code && REFUSAL_ALERT.test(err.code)) out.push(`the handshake ended with the server's alert: ${err.message}`);
  if (r.hsts?.clientCertRefusal) out.push(`a request after the handshake got: ${r.hsts.clientCertRefusal}`);
  return out;
}

/** Probe refusals that name a cause decided before the purpose is read (the path, an access rule, the dates). */
const OTHER_CAUSE_ALERT = /ALERT_(UNKNOWN_CA|ACCESS_DENIED|HANDSHAKE_FAILURE|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|DECRYPT_ERROR)/;
const OTHER_CAUSE_CODES: ReadonlySet<number> = new Set([AlertDescription.UnknownCA, AlertDescription.AccessDenied, AlertDescription.HandshakeFailure, AlertDescription.CertificateExpired, AlertDescription.CertificateRevoked, AlertDescription.DecryptError]);

/** The probe's refusal names another cause than the purpose (and no answer that could be the purpose's stands beside it). */
function refusedForAnotherCause(r: ProbeRecord): boolean {
  if (r.hsts?.clientCertRefusal) return false;
  const after = r.full?.afterClientCertificate;
  if (after?.outcome === 'alert') return (after.alert !== undefined && OTHER_CAUSE_CODES.has(after.alert)) || OTHER_CAUSE_ALERT.test(after.code ?? '');
  return OTHER_CAUSE_ALERT.test(r.full?.error?.code ?? '');
}

/**
 * A client certificate that is not one: its extendedKeyUsage (or its CA's) lacks clientAuth, as
 * server certificates from public CAs now do (Let's Encrypt's default profile dropped clientAuth
 * in 2026). Only the purpose is asked here: the server's answer is the rest.
 */
function clientPurpose(chain: CertificateInfo[] | undefined, given: string): Finding[] {
  if (!chain?.length) return [];
  // The purpose rule reads no time and no trust: the rules that do are not asked of a client's chain.
  return judgeChainRules({ chain, purpose: 'client', at: 0, atLabel: 'any time', publiclyTrusted: false, seen: [given] }).filter((f) => f.code === 'CERT_WRONG_PURPOSE');
}

/** What a capture shows after a certificate the server did not refuse: why its wrong purpose is only a warning. */
function notRefusedLine(r: TcpRecord): string {
  const s = r.serverStatusLine;
  if (s) return `${statusWords(r, s)}: the server went on with it`;
  if (!handshakeComplete(r)) return 'the capture shows no refusal from the server';
  if (isTls13(r.version)) return 'the handshake completed and the capture shows no refusal';
  return 'the handshake completed; a refusal after it (nginx answers 400 "The SSL certificate error") would be in TLS 1.2\'s application data, which a capture does not open';
}

/**
 * A probe: the CertificateRequest (TLS 1.2 in clear from the version probes; TLS 1.3 from the
 * probe's own handshake, decrypted with its key log), and what the server did with the client's
 * answer: an alert, a close, nginx's 400 "No required SSL certificate was sent", or nothing.
 * With --cert the question is whether the certificate given was taken.
 */
export function judgeProbeClientCert(r: ProbeRecord): Finding[] {
  const seen = requestSeen(r);
  const asked = seen ? [seen.line, ...requestLines(seen.request)] : [];
  const refused = refusals(r, seen !== undefined);
  if (r.clientCertificate) {
    if (!seen && refused.length === 0) return [];
    const given = `the probe presented the client certificate ${r.clientCertificate}`;
    if (refused.length > 0) {
      const purpose = clientPurpose(r.clientCertificateChain, given);
      const rejected = finding('CLIENT_CERT_REJECTED', compact([...asked, given, issuerLine(seen?.request, r.clientCertificateIssuers), ...refused]));
      return [rejected, ...(refusedForAnotherCause(r) ? tookIt(purpose, `${refused[0]}: refused for another reason (a verifier builds the path before it reads the purpose)`) : purpose)];
    }
    const after = r.full?.afterClientCertificate;
    const taken = after?.outcome === 'ticket' ? 'the server went on and sent a session ticket' : r.hsts?.status !== undefined ? `a request after the handshake got HTTP ${r.hsts.status}` : 'the handshake completed with it';
    return [finding('CLIENT_CERT_ACCEPTED', [...asked, given, taken]), ...tookIt(clientPurpose(r.clientCertificateChain, given), `${taken}: this server did not check the purpose`)];
  }
  if (refused.length > 0) {
    const how = seen ? [] : r.full?.version === Version.TLS13 ? ['TLS 1.3 encrypts the CertificateRequest: the server\'s answer shows the requirement'] : [];
    return [finding('CLIENT_CERT_REQUIRED', [...asked, 'the probe had no client certificate to give', ...refused, ...how])];
  }
  if (seen) return [finding('CLIENT_CERT_REQUESTED', [...asked, 'the handshake completes without one'])];
  return [];
}
