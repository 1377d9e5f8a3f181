import type { Code } from '../codes.js';
import { PRECEDENCE } from '../precedence.js';
import type { Cause } from './meaning.js';
import { readTranscript, type ShownCertificate, type Transcript, type TranscriptKind } from './transcript-read.js';

/** A cause a transcript shows, with the line it was read from (quoted in the answer). */
export interface Shown {
  code: Code;
  says: string;
  line: string;
}

export interface TranscriptReading {
  kind: TranscriptKind;
  /** The server's name, as the client asked for it. */
  host?: string;
  /** What the transcript shows, the surest first: these causes go before the messages' own. */
  shown: Shown[];
}

const PLACE = new Map(PRECEDENCE.map((p, i) => [p.code, i]));

/** Alerts the server sent, by the RFC's names (and the words GnuTLS and curl print for them). */
const ALERT_CAUSES: [RegExp, Code][] = [
  [/protocol_version/, 'PROTOCOL_VERSION_MISMATCH'],
  [/internal_error/, 'SERVER_TLS_CONFIG_UNUSABLE'],
  [/certificate_(?:is_)?required|bad_certificate/, 'CLIENT_CERT_REQUIRED'],
  [/no_(?:supported_)?application_protocol/, 'ALPN_MISMATCH'],
];

const PROXY_DEFAULT = /Kubernetes Ingress Controller Fake Certificate|TRAEFIK DEFAULT CERT/i;

/** "CN = a, O = b" and "CN=a,O=b" are one name. */
const norm = (dn: string) => dn.replace(/\s*([=,])\s*/g, '$1').trim().toLowerCase();
const cnOf = (dn: string) => /(?:^|[,/]\s*)CN\s*=\s*([^,/]+)/i.exec(dn)?.[1].trim().toLowerCase();

/** A certificate name (wildcard or not) covers a host. */
function covers(name: string, host: string): boolean {
  const n = name.toLowerCase();
  const h = host.toLowerCase();
  if (!n.startsWith('*.')) return n === h;
  const rest = h.slice(h.indexOf('.') + 1);
  return h.includes('.') && n.slice(2) === rest;
}

function nameFacts(leaf: ShownCertificate, host: string | undefined): Shown[] {
  const names = [...leaf.names, ...(leaf.names.length === 0 && cnOf(leaf.subject) ? [cnOf(leaf.subject)!] : [])];
  if (!host || names.length === 0 || names.some((n) => covers(n, host))) return [];
  return [{ code: 'CERT_HOSTNAME_MISMATCH', says: `the certificate is for ${names.join(', ')}, not ${host}`, line: leaf.line }];
}

function dateFacts(leaf: ShownCertificate, now: Date): Shown[] {
  const out: Shown[] = [];
  if (leaf.notAfter && leaf.notAfter < now) out.push({ code: 'CERT_EXPIRED', says: `the server's certificate ended on ${leaf.notAfter.toISOString().slice(0, 10)}`, line: leaf.dateLine ?? leaf.line });
  if (leaf.notBefore && leaf.notBefore > now) out.push({ code: 'CERT_NOT_YET_VALID', says: `the server's certificate starts on ${leaf.notBefore.toISOString().slice(0, 10)}`, line: leaf.dateLine ?? leaf.line });
  return out;
}

/** What the chain the server sent says about an unknown issuer: one self-signed certificate, a leaf alone, or a private root at the end. */
function chainFacts(chain: ShownCertificate[], said: Code[]): Shown[] {
  const [leaf] = chain;
  const last = chain.at(-1)!;
  if (PROXY_DEFAULT.test(leaf.subject)) return [{ code: 'CERT_PROXY_DEFAULT', says: "the certificate is a proxy's own default", line: leaf.line }];
  const selfSigned = (c: ShownCertificate) => norm(c.subject) === norm(c.issuer);
  if (chain.length === 1 && selfSigned(leaf)) return [{ code: 'CERT_SELF_SIGNED', says: 'the server sent one certificate, issued by itself', line: leaf.line }];
  if (!said.includes('CERT_CHAIN_INCOMPLETE')) return [];
  if (chain.length === 1) return [{ code: 'CERT_CHAIN_INCOMPLETE', says: `the server sent its leaf alone; its issuer (${leaf.issuer}) is not in what it sent`, line: leaf.line }];
  if (selfSigned(last)) return [{ code: 'CERT_UNTRUSTED', says: `the chain ends at a root the server sent itself (${last.subject}), which the client does not trust`, line: last.line }];
  return [];
}

/** The alert the server sent, and an old version it chose when the client then failed. */
function protocolFacts(t: Transcript, text: string): Shown[] {
  const out: Shown[] = [];
  const cause = t.alert?.received ? ALERT_CAUSES.find(([re]) => re.test(t.alert!.name))?.[1] : undefined;
  if (cause) out.push({ code: cause, says: `the server sent the alert ${t.alert!.name}`, line: t.alert!.line });
  const old = /^\* (TLSv1\.[01]) \(IN\), TLS handshake, (?:Certificate|Server key exchange)/m.exec(text) ?? (t.version && /1[._][01]$|1\.[01]$/.test(t.version.name) ? [t.version.line, t.version.name] : null);
  if (old && t.error && !t.completed) out.push({ code: 'PROTOCOL_VERSION_MISMATCH', says: `the server chose ${old[1]}, which the client would not finish`, line: old[0].trim() });
  return out;
}

/** Nothing came back: after TCP connected (the ServerHello never came), or before (the SYN was not answered). */
function silenceFacts(t: Transcript, text: string, said: Code[]): Shown[] {
  // A silence is a wait that ended in a timeout, or a transcript cut while waiting (^C).
  const waited = /timed? ?out|timeout/i.test(t.error ?? '') || t.error === undefined;
  if (!waited || (!said.includes('TCP_TIMEOUT') && !said.includes('NO_SERVER_HELLO') && said.length > 0)) return [];
  const answered = t.chain.length > 0 || t.alert?.received === true || /^\* TLSv1\.[0-3] \(IN\), TLS handshake, (?!Hello request)|Consuming ServerHello|^depth=\d|^- Certificate type|^Server certificate$|SSL handshake has read [1-9]/m.test(text);
  if (answered) return [];
  const connected = /^\* Connected to .*|^CONNECTED\([0-9A-F]+\)$|.*Produced ClientHello handshake message.*/m.exec(text);
  if (connected) return [{ code: 'NO_SERVER_HELLO', says: 'TCP connected and the ClientHello went out, but no ServerHello came back', line: connected[0].trim() }];
  const trying = /^\* {1,3}Trying \S+\.\.\.$/m.exec(text);
  if (trying) return [{ code: 'TCP_TIMEOUT', says: 'the client was still connecting (TCP) when it gave up', line: trying[0].trim() }];
  // gnutls-cli says nothing between "Connecting to" and the handshake's end: a SYN unanswered and a ServerHello that never came read the same.
  const gnutls = /^Connecting to '[^']+'\.\.\.$/m.exec(text);
  const either = 'gnutls-cli printed nothing after connecting began: the SYN went unanswered or the ServerHello never came (the probe times them apart)';
  return gnutls ? [{ code: 'TCP_TIMEOUT', says: either, line: gnutls[0] }, { code: 'NO_SERVER_HELLO', says: either, line: gnutls[0] }] : [];
}

/** Each kind's line for the server's CertificateRequest. */
const CERT_REQUEST = /^\* TLSv1\.[0-3] \(IN\), TLS handshake, Request CERT \(13\):$|.*Consuming CertificateRequest handshake message.*|^- Server has requested a certificate\.$|^Acceptable client certificate CA names$|^Client Certificate Types: .*/m;

/** After the handshake: the server asked for a client certificate, or the client went on to a second connection that failed (a redirect's target). */
function afterHandshakeFacts(t: Transcript, text: string, said: Code[]): Shown[] {
  if (!t.error) return [];
  const request = CERT_REQUEST.exec(text);
  if (request) return [{ code: 'CLIENT_CERT_REQUIRED', says: 'the server asked for a client certificate (CertificateRequest), and the client failed after it', line: request[0].trim() }];
  const refusedLater = t.completed && said[0] === 'TCP_REFUSED';
  return refusedLater ? [{ code: 'HTTP_REDIRECT_TARGET_FAILED', says: 'the handshake with the server completed, and a later connection (where its answer sent the client) was refused', line: t.error }] : [];
}

/**
 * What a transcript shows, as causes with their lines; `said` is what the messages in it point
 * to (an unknown issuer, a timeout), which the chain or the silence then decides between. Dates
 * are judged at `now`.
 */
export function readCauses(text: string, said: Code[], now: Date): TranscriptReading | undefined {
  const t = readTranscript(text);
  if (!t) return undefined;
  const leaf = t.chain[0];
  const certs = leaf ? [...nameFacts(leaf, t.host), ...dateFacts(leaf, now), ...chainFacts(t.chain, said)] : [];
  const facts = [...protocolFacts(t, text), ...certs, ...afterHandshakeFacts(t, text, said), ...silenceFacts(t, text, said)];
  const place = (s: Shown) => PLACE.get(s.code) ?? PLACE.size;
  const shown = facts.sort((a, b) => place(a) - place(b)).filter((s, i, all) => all.findIndex((x) => x.code === s.code) === i);
  return { kind: t.kind, ...(t.host ? { host: t.host } : {}), shown };
}

/** The messages' causes with what the transcript shows put first (its sign is what the transcript says). */
export function rankByTranscript(candidates: Cause[], shown: Shown[]): Cause[] {
  const first = shown.map((s) => ({ code: s.code, sign: `${candidates.find((c) => c.code === s.code)?.sign ?? s.says} (the transcript shows: ${s.says})` }));
  return [...first, ...candidates.filter((c) => !shown.some((s) => s.code === c.code))];
}
