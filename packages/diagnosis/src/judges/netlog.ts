import type { NetErrorSeen, NetlogRecord, TimedFact } from '@tlsdoctor/analysis';
import { isIP } from 'node:net';
import { NetError, netErrorDescriptions } from '@tlsdoctor/netlog';
import { AlertDescription, HandshakeType, isTls13, versionName } from '@tlsdoctor/tls-parser-ts';
import { compact, plural } from '../evidence.js';
import { findingsOf, type Finding } from '../finding.js';
import { CERTIFICATE_CODES, judgeCertificate, type CertificateFacts } from './certificate.js';
import { judgeChainRules } from './chain-rules.js';
import { CLIENT_CERT_CODES } from './client-cert.js';
import { ANSWER_WAIT_S } from './coverage.js';
import { RESOLVER_CODES } from './dns.js';
import { HANDSHAKE_CODES } from './handshake.js';
import { QUIC_CODES } from './quic.js';
import { SERVER_ANSWER_CODES } from './server-answer.js';
import { TRANSPORT_CODES } from './tcp.js';
import { ALERT_CODES, alertRemedy } from './alerts.js';
import { VERSION_CODES } from './versions.js';
import { CIPHER_CODES } from './ciphers.js';

/** What only a browser's log can say: a failure it names but no judge maps, and a log that stopped first. */
export const NETLOG_CODES = {
  BROWSER_NET_ERROR: {
    severity: 'error',
    title: 'The browser gave up with a net error',
    remedy: 'The evidence names the browser\'s error and where in its log it came. `tlsdoctor explain` lists its causes; a capture of the same attempt (`tlsdoctor pcap`) or `tlsdoctor probe HOST` shows which one it is.',
  },
  NETLOG_UNFINISHED: {
    severity: 'info',
    title: 'The log stopped while the connection was still going',
    remedy: 'Nothing had failed yet when the log ended. Record again and keep the log running until the page has failed or loaded (chrome://net-export: "Stop Logging" after the error shows).',
  },
} as const;

/** The codes of the other judges a browser's log can decide, the verdicts being the same. */
const finding = findingsOf({
  ...NETLOG_CODES,
  ...RESOLVER_CODES,
  ...TRANSPORT_CODES,
  ...SERVER_ANSWER_CODES,
  ...VERSION_CODES,
  ...CIPHER_CODES,
  ...CLIENT_CERT_CODES,
  ...ALERT_CODES,
  ...HANDSHAKE_CODES,
  ...QUIC_CODES,
});

type Code = Parameters<typeof finding>[0];

/** Where an event sits in the log, as evidence cites it: its number and the time since the record's first. */
export function at(r: NetlogRecord, t: TimedFact): string {
  return `event ${t.frame.toLocaleString("en-US")} (+${Math.round((t.time - r.firstTime) * 1000)} ms)`;
}

/** A wait in evidence: seconds, as the log's clock gives them. */
function waitedFor(seconds: number): string {
  return `${seconds.toFixed(1)} s`;
}

function said(r: NetlogRecord, e: NetErrorSeen, what: string): string {
  return `${at(r, e)}: ${what} ended with ${e.name}`;
}

/** Connect errors and what they mean at the TCP layer (by Chromium's code: its names are generated, not typed here). */
const CONNECT_ERRORS: ReadonlyMap<number, Code> = new Map<number, Code>([
  [NetError.ConnectionRefused, 'TCP_REFUSED'],
  [NetError.ConnectionTimedOut, 'TCP_TIMEOUT'],
  [NetError.TimedOut, 'TCP_TIMEOUT'],
  [NetError.AddressUnreachable, 'TCP_UNREACHABLE'],
  [NetError.InternetDisconnected, 'TCP_UNREACHABLE'],
  [NetError.NetworkAccessDenied, 'TCP_UNREACHABLE'],
  [NetError.ConnectionReset, 'TCP_RESET'],
  [NetError.ConnectionClosed, 'TCP_RESET'],
]);

/** What each connect error says the path did, for the evidence. */
const CONNECT_WORDS: Readonly<Record<string, string>> = {
  TCP_REFUSED: 'the server\'s host answered the SYN with a reset: nothing listens on the port',
  TCP_TIMEOUT: 'the SYN got no answer: a firewall or security group drops it, or the address is wrong',
  TCP_UNREACHABLE: 'an ICMP error (host or network unreachable, administratively prohibited) refused the connection',
  TCP_RESET: 'the connection was reset before TLS began',
};

/** How Chromium closes a QUIC session that waited in vain (its names of QUIC errors, from the log's constants). */
const QUIC_WAIT_ERRORS: ReadonlySet<string> = new Set(['QUIC_NETWORK_IDLE_TIMEOUT', 'QUIC_HANDSHAKE_TIMEOUT']);

/** A handshake the server never answered ends with one of these when the browser gives up waiting. */
const WAIT_ERRORS: ReadonlySet<number> = new Set([NetError.TimedOut, NetError.ConnectionTimedOut]);
/** A handshake cut by the other end (or something on the path) before any answer. */
const CUT_ERRORS: ReadonlySet<number> = new Set([NetError.ConnectionReset, NetError.ConnectionClosed, NetError.ConnectionAborted, NetError.EmptyResponse]);
/** The client's certificate was asked for and not given, or not accepted. */
const CLIENT_CERT_ERRORS: ReadonlySet<number> = new Set([NetError.SslClientAuthCertNeeded, NetError.BadSslClientAuthCert, NetError.SslClientAuthNoCommonAlgorithms, NetError.SslClientAuthSignatureFailed]);

/**
 * One record of a browser's NetLog: the browser's own verdict (its net errors, its verifier's
 * status) read against what it logged of the handshake. Where the log cannot tell two causes
 * apart (a timeout could be a dropped SYN's or a black hole's), the finding says what the log
 * shows and which capture or probe decides.
 */
export function judgeNetlog(r: NetlogRecord): Finding[] {
  if (r.kind === 'request') return judgeRequest(r);
  if (r.kind === 'quic') return [...judgeQuicSession(r), ...netlogCertificate(r)];
  const connect = judgeConnect(r);
  if (connect) return connect;
  return judgeTls(r);
}

function judgeRequest(r: NetlogRecord): Finding[] {
  const e = r.dns ?? r.request?.error;
  if (!e) return [];
  const line = `${at(r, e)}: the browser's resolver found no address for ${r.host ?? 'the name'} (${e.name})`;
  return [e.code === NetError.NameNotResolved ? finding('DNS_NO_ADDRESS', [line]) : finding('DNS_ERROR', [line])];
}

/** The TCP connect: its error, or a connect still waiting when the log stopped. */
function judgeConnect(r: NetlogRecord): Finding[] | undefined {
  const c = r.connect;
  if (!c) return undefined;
  const began = `${at(r, c)}: TCP connect to ${c.addresses.join(', ') || 'the server'}`;
  const tries = c.attempts.length > 1 ? `${plural(c.attempts.length, 'address', 'addresses')} tried: ${c.attempts.map((a) => `${a.address}${a.osError ? ` (OS error ${a.osError})` : ''}`).join(', ')}` : undefined;
  const err = c.end?.error;
  if (err) {
    const code = CONNECT_ERRORS.get(err.code);
    const attempt = c.attempts[c.attempts.length - 1];
    const lines = compact([began, tries, `${said(r, err, 'the connect')}${attempt?.osError ? ` (OS error ${attempt.osError})` : ''}${attempt?.ms !== undefined ? ` after ${attempt.ms} ms` : ''}`]);
    const words = netErrorDescriptions.get(err.code);
    if (!code) return [finding('BROWSER_NET_ERROR', compact([...lines, words && `${err.name} (${err.code}) means: ${words}`]), { title: `The browser could not connect: ${err.name}` })];
    return [finding(code, [...lines, CONNECT_WORDS[code]])];
  }
  if (c.end) return undefined;
  const waited = until(r) - c.time;
  if (waited >= ANSWER_WAIT_S) {
    return [finding('TCP_TIMEOUT', [began, `no answer ${waitedFor(waited)} later, ${whenItEnded(r)}: the SYN got no answer (a firewall or security group drops it, or the address is wrong)`])];
  }
  return [unfinished(r, [began, `${r.cut ? 'the log stopped' : 'the browser closed the socket'} ${waitedFor(waited)} later, before the connect ended`])];
}

/** Where a connection with no end stopped being watched: the log's end, or its socket's close. */
function until(r: NetlogRecord): number {
  return r.cut ? r.logEnd : r.lastTime;
}

function whenItEnded(r: NetlogRecord): string {
  return r.cut ? 'when the log stopped' : 'when the browser closed the socket';
}

/** Nothing had failed yet: the log stopped first, or the browser gave the connection up (it had another). */
function unfinished(r: NetlogRecord, lines: string[]): Finding {
  return finding('NETLOG_UNFINISHED', lines, r.cut ? {} : { title: 'The browser gave the connection up before it ended', remedy: 'Nothing had failed on it: browsers close connections they no longer need (another one won the race, the page was left). Look at the other connections to the host.' });
}

function sentHello(r: NetlogRecord): string {
  const h = r.clientHello;
  if (!h) return `${at(r, r.tls ?? { frame: r.firstEvent, time: r.firstTime })}: the TLS handshake began (the capture mode logged no handshake message)`;
  const size = r.clientHelloBytes;
  return `${at(r, h)}: ClientHello sent${r.sni ? ` with SNI ${r.sni}` : ''}${size ? `, ${size.toLocaleString('en-US')} bytes` : ''}`;
}

/** The server's own handshake messages logged, as a list for evidence. */
function serverSaid(r: NetlogRecord): string[] {
  return r.messages.filter((m) => m.from === 'server').map((m) => m.name);
}

function judgeTls(r: NetlogRecord): Finding[] {
  const tls = r.tls;
  if (!tls) return r.connect?.end ? [unfinished(r, [`${at(r, r.connect.end)}: TCP connected; the log shows no TLS on this socket`])] : [];
  const err = tls.end?.error;
  const certs = netlogCertificate(r);
  const certFault = certs.some((f) => f.severity === 'error');
  if (!tls.end) return certFault ? certs : [...openHandshake(r), ...certs];
  if (!err) return [ok(r), ...certs, ...clientCertAsked(r, false)];
  if (certFault || err.name.startsWith('ERR_CERT_')) return certFault ? certs : [browserError(r, err)];
  return handshakeError(r, err);
}

function ok(r: NetlogRecord): Finding {
  const end = r.tls?.end;
  return finding('HANDSHAKE_OK', compact([
    sentHello(r),
    r.version !== undefined && `${versionName(r.version)}${r.alpn ? `, ALPN ${r.alpn}` : ''}`,
    end && `${at(r, end)}: the handshake completed`,
  ]));
}

/** The handshake was still open when the log stopped. */
function openHandshake(r: NetlogRecord): Finding[] {
  const waited = until(r) - (r.clientHello?.time ?? r.tls?.time ?? r.firstTime);
  const server = serverSaid(r);
  if (server.length === 0 && waited >= ANSWER_WAIT_S) return [noAnswer(r, `no answer ${waitedFor(waited)} later, ${whenItEnded(r)}`)];
  return [unfinished(r, [sentHello(r), `${r.cut ? 'the log stopped' : 'the browser closed the socket'} ${waitedFor(waited)} later, before the handshake ended${server.length ? ` (the server had sent ${server.join(', ')})` : ''}`])];
}

/**
 * No server message: what a silent server and an MTU black hole look like alike from the
 * browser. A hello too big for one segment is said, with what tells the two apart.
 */
function noAnswer(r: NetlogRecord, when: string): Finding {
  const size = r.clientHelloBytes ?? 0;
  return finding('NO_SERVER_HELLO', compact([
    sentHello(r),
    when,
    r.bytes[1] === 0 && 'the socket received no byte',
    size > 1400
      ? `the ClientHello is larger than one packet: an MTU black hole (a path that drops full-size packets and sends no ICMP) looks the same from the browser; \`tlsdoctor probe HOST\` (it sends small and large hellos) or a capture of the attempt tells the two apart`
      : 'a capture of the attempt shows whether the ClientHello reached the server',
  ]));
}

function handshakeError(r: NetlogRecord, err: NetErrorSeen): Finding[] {
  const ended = said(r, err, 'the TLS handshake');
  const server = serverSaid(r);
  const received = r.alerts.find((a) => a.from === 'server');
  if (CLIENT_CERT_ERRORS.has(err.code) || received?.description === AlertDescription.CertificateRequired) return clientCertAsked(r, true, err);
  if (WAIT_ERRORS.has(err.code) && server.length === 0) return [noAnswer(r, ended)];
  if (CUT_ERRORS.has(err.code) && server.length === 0) {
    return [finding('RESET_AFTER_CLIENT_HELLO', compact([sentHello(r), ended, r.bytes[1] === 0 && 'the socket received no byte before it', 'the server (or something on the path) cut the connection instead of answering the ClientHello']))];
  }
  if (err.code === NetError.SslVersionOrCipherMismatch) return [versionOrCipher(r, ended)];
  if (err.code === NetError.SslProtocolError && server.length === 0 && !received) return [notTls(r, ended)];
  if (received) {
    return [finding('TLS_ALERT', compact([sentHello(r), `${at(r, received)}: the server sent the alert ${received.name}`, ended]), { title: `Fatal alert ${received.name} from the server`, remedy: alertRemedy(received.description) })];
  }
  return [browserError(r, err)];
}

/** ERR_SSL_VERSION_OR_CIPHER_MISMATCH: the server's version (or its alert) says which of the two. */
function versionOrCipher(r: NetlogRecord, ended: string): Finding {
  const alert = r.alerts.find((a) => a.from === 'server');
  const old = r.serverHello && r.serverHello.version < 0x0303 ? r.serverHello : undefined;
  const offered = r.clientHello?.offeredVersions.map(versionName).join(', ');
  const lines = compact([
    sentHello(r),
    offered && `the browser offered ${offered}`,
    old && `${at(r, old)}: the server chose ${versionName(old.version)}`,
    alert && `${at(r, alert)}: the server sent the alert ${alert.name}`,
    ended,
  ]);
  if (old || alert?.description === AlertDescription.ProtocolVersion) return finding('PROTOCOL_VERSION_MISMATCH', lines);
  return finding('NO_SHARED_CIPHER', [...lines, 'the browser names version or cipher alike: `tlsdoctor probe HOST` tells which the server lacks']);
}

/** The answer to the ClientHello was not TLS: plain HTTP where the capture mode kept its bytes. */
function notTls(r: NetlogRecord, ended: string): Finding {
  const first = r.firstServerBytes;
  const text = first ? new TextDecoder('latin1').decode(first.subarray(0, 16)) : undefined;
  if (text?.startsWith('HTTP/')) return finding('PLAINTEXT_HTTP_ON_TLS_PORT', [sentHello(r), `the server answered "${text.split('\r')[0]}": plain HTTP`, ended]);
  return finding('NOT_TLS', compact([
    sentHello(r),
    ended,
    r.tls?.sslError && `BoringSSL could not read the answer as a TLS record (library ${r.tls.sslError.lib}, reason ${r.tls.sslError.reason})`,
    first ? `the answer began with the bytes ${Array.from(first.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ')}` : `this log (capture mode ${r.captureMode ?? 'unknown'}) does not keep the answer's bytes; most often it is plain HTTP (nginx \`listen 443;\` without \`ssl\`): a log in the Everything mode, or \`tlsdoctor probe HOST\`, shows it`,
  ]));
}

/** A client certificate was asked for: required when the handshake failed over it, else information. */
function clientCertAsked(r: NetlogRecord, failed: boolean, err?: NetErrorSeen): Finding[] {
  const asked = r.certificateRequested || r.messages.some((m) => m.from === 'server' && m.type === HandshakeType.CertificateRequest);
  if (!failed) return asked ? [clientCertFinding('CLIENT_CERT_REQUESTED', r, [])] : [];
  const alert = r.alerts.find((a) => a.from === 'server' && a.description === AlertDescription.CertificateRequired);
  return [clientCertFinding('CLIENT_CERT_REQUIRED', r, compact([
    asked && 'the server asked for a client certificate (CertificateRequest)',
    alert && `${at(r, alert)}: the server sent the alert ${alert.name}`,
    err && said(r, err, 'the TLS handshake'),
    err?.code === NetError.SslClientAuthCertNeeded && 'the browser stopped the handshake to ask the user which certificate to send',
  ]))];
}

function clientCertFinding(code: 'CLIENT_CERT_REQUIRED' | 'CLIENT_CERT_REQUESTED', r: NetlogRecord, lines: string[]): Finding {
  return finding(code, [sentHello(r), ...lines]);
}

function browserError(r: NetlogRecord, err: NetErrorSeen, what = 'the TLS handshake'): Finding {
  const words = netErrorDescriptions.get(err.code);
  const server = serverSaid(r);
  return finding('BROWSER_NET_ERROR', compact([
    sentHello(r),
    said(r, err, what),
    words && `${err.name} (${err.code}) means: ${words}`,
    server.length > 0 && `the server had sent ${server.join(', ')}`,
  ]), { title: `The browser gave up with ${err.name}` });
}

/** The chain the browser logged, judged as a capture's is, with the browser's verifier for trust. */
function netlogCertificate(r: NetlogRecord): Finding[] {
  const v = r.verify;
  if (r.certificates.length === 0 && !v?.error) return [];
  // A verification the browser had cached leaves no verifier job in the log for this connection:
  // the handshake's own certificate error is then the browser's word on the chain.
  const rejected = !v && r.tls?.end?.error?.name.startsWith('ERR_CERT_') ? r.tls.end.error : undefined;
  const verdict = v
    ? v.error ? `${at(r, v)}: the browser's verifier said ${v.error.name}${v.status.length ? ` (${v.status.join(', ')})` : ''}` : `${at(r, v)}: the browser's verifier accepted the chain`
    : rejected && `${at(r, rejected)}: the browser rejected the chain with ${rejected.name} (a verification it had cached: no verifier job for this connection in the log)`;
  const authorityInvalid = v ? v.status.includes('AUTHORITY_INVALID') : rejected?.code === NetError.CertAuthorityInvalid;
  const nameInvalid = v ? v.status.includes('COMMON_NAME_INVALID') : rejected?.code === NetError.CertCommonNameInvalid;
  const facts: CertificateFacts = {
    chain: r.certificates,
    at: (r.certificatesTime ?? r.firstTime) * 1000,
    datesUnknown: !r.clockAnchored,
    atLabel: 'the browser\'s clock',
    name: r.sni ?? r.host,
    nameIsIp: !r.sni && !!r.host && isIP(r.host) !== 0,
    nameLabel: r.sni ? 'the SNI' : 'the host name',
    nameError: nameInvalid ? 'the browser\'s verifier found the name in no SAN (COMMON_NAME_INVALID)' : undefined,
    trust: { kind: 'verifier', authorityInvalid, line: verdict || 'the log holds no verdict of the browser\'s verifier', links: r.chain },
    seen: r.certificates.length > 0 ? [`${at(r, { frame: r.certificatesFrame ?? r.firstEvent, time: r.certificatesTime ?? r.firstTime })}: a chain of ${r.certificates.length} certificate(s)${isTls13(r.version) ? ' (TLS 1.3: encrypted on the wire, read from the browser\'s log)' : ''}`] : [],
  };
  if (r.certificates.length === 0) return v?.error ? [browserError(r, v.error, 'the browser\'s certificate verification')] : [];
  const found = judgeCertificate(facts);
  // The verifier's word leads the evidence of every certificate fault it supports.
  if (verdict) for (const f of found) if (f.severity === 'error' && !f.evidence.includes(verdict)) f.evidence.unshift(verdict);
  // The rules the certificates break are the certificates' own, whatever the verifier said.
  return [...found, ...judgeChainRules({ chain: r.certificates, purpose: 'server', at: facts.at, atLabel: facts.atLabel, publiclyTrusted: r.chain?.publicRoot !== undefined, seen: facts.seen })];
}

/** A QUIC session: answered or not, completed or closed, in the browser's words. */
function judgeQuicSession(r: NetlogRecord): Finding[] {
  const q = r.quic;
  if (!q) return [];
  const began = `${at(r, { frame: r.firstEvent, time: r.firstTime })}: QUIC session to ${r.host ?? 'the server'}:${r.port ?? 443}, ${plural(q.packetsSent, 'packet')} sent, ${plural(q.packetsReceived, 'packet')} received`;
  if (q.handshakeConfirmed) {
    return [finding('QUIC_HANDSHAKE_OK', compact([began, q.version && `version ${q.version}`, `${at(r, q.handshakeConfirmed)}: the QUIC handshake completed`]))];
  }
  const closed = q.closed;
  if (q.packetsReceived === 0) {
    const waited = until(r) - r.firstTime;
    const why = closed ? `${at(r, closed)}: the browser closed it with ${closed.quicError}${closed.details ? ` ("${closed.details}")` : ''}` : `no packet came back before ${r.cut ? 'the log stopped' : 'the browser closed the session'}, ${waitedFor(waited)} later`;
    // Only a session that timed out waiting says UDP went unanswered: one the browser closed
    // for another reason (TCP won the race, the page was left) says nothing of the path.
    if ((closed && QUIC_WAIT_ERRORS.has(closed.quicError)) || (!closed && waited >= ANSWER_WAIT_S)) {
      return [finding('QUIC_NO_RESPONSE', [began, why, 'UDP to the server got no answer: browsers then fall back to TCP, a second or more later'])];
    }
    return [unfinished(r, [began, why])];
  }
  if (closed) {
    return [finding('QUIC_CONNECTION_CLOSED', compact([began, `${at(r, closed)}: closed by ${closed.fromPeer ? 'the server' : 'the browser'} with ${closed.quicError}`, closed.details && `details: ${closed.details}`]))];
  }
  return [unfinished(r, [began, `${r.cut ? 'the log stopped' : 'the browser closed the session'} before the QUIC handshake completed`])];
}
