/**
 * Reads a whole pasted transcript (`curl -v`, `openssl s_client`, a Java
 * `-Djavax.net.debug=ssl:handshake` log, `gnutls-cli --verbose`) for what it shows: the
 * certificates with their issuers and dates, the alert and who sent it, the version chosen, the
 * error it ended with. Each fact keeps the line it was read from, so an answer can quote it.
 */

export const TRANSCRIPT_KINDS = ['curl -v', 'openssl s_client', 'java ssl debug', 'gnutls-cli'] as const;
export type TranscriptKind = (typeof TRANSCRIPT_KINDS)[number];

/** A line of the transcript, as printed. */
export type Line = string;

export interface ShownCertificate {
  subject: string;
  issuer: string;
  notBefore?: Date;
  notAfter?: Date;
  /** DNS names in its subjectAltName, when the transcript prints them. */
  names: string[];
  line: Line;
  dateLine?: Line;
}

export interface Transcript {
  kind: TranscriptKind;
  /** The server's name, as the client asked for it. */
  host?: string;
  chain: ShownCertificate[];
  /** An alert and its direction: `received` from the server, or `sent` by the client. */
  alert?: { name: string; received: boolean; line: Line };
  version?: { name: string; line: Line };
  /** The last error line: what the client ended with. */
  error?: Line;
  /** The handshake finished (the client's failure, if any, came after it or from its own checks). */
  completed: boolean;
}

const SHAPES: [TranscriptKind, RegExp][] = [
  ['java ssl debug', /^javax\.net\.ssl\|(?:ALL|TRACE|DEBUG|INFO|WARNING|ERROR)\|/m],
  ['gnutls-cli', /^Processed \d+ CA certificate\(s\)\.|^- Certificate\[\d+\] info:|^- Status: The certificate is|^Connecting to '[^']+'\.\.\.$/m],
  ['openssl s_client', /^CONNECTED\([0-9A-F]+\)$|^depth=\d+ |^verify return:\d|^Certificate chain$|^SSL handshake has read \d+ bytes|^connect:errno=\d+$/m],
  ['curl -v', /^\* {1,3}Trying \S+\.\.\.$|^\* Connected to \S+ |^\* (?:TLSv1\.[0-3]|SSLv3) \((?:IN|OUT)\), |^\* (?:Could not resolve host: |Closing connection |Failed to connect to )/m],
];

export function transcriptKind(text: string): TranscriptKind | undefined {
  return SHAPES.find(([, re]) => re.test(text))?.[0];
}

/** A date as transcripts print it ("Jan  1 00:00:00 2024 GMT", "2024-01-01 24:00:00.000 UTC", "Mon Jan 01 00:00:00 UTC 2024"). */
export function shownDate(s: string): Date | undefined {
  const t = s.trim();
  // Java prints midnight as 24:00 of the day before.
  const java = /^(\d{4}-\d\d-\d\d) (\d\d):(\d\d):(\d\d)(?:\.\d+)? UTC$/.exec(t);
  if (java) return new Date(Date.parse(`${java[1]}T00:00:00Z`) + ((+java[2] * 60 + +java[3]) * 60 + +java[4]) * 1000);
  const gnutls = /^\w{3} (\w{3}) (\d\d) (\d\d:\d\d:\d\d) UTC (\d{4})$/.exec(t);
  const d = gnutls ? Date.parse(`${gnutls[1]} ${gnutls[2]} ${gnutls[4]} ${gnutls[3]} GMT`) : Date.parse(t.replace(/\s+/g, ' '));
  return Number.isNaN(d) ? undefined : new Date(d);
}

const lineOf = (text: string, at: number): Line => text.slice(text.lastIndexOf('\n', at - 1) + 1, (text.indexOf('\n', at) + 1 || text.length + 1) - 1).trim();

/** `openssl s_client -showcerts`: ` 0 s:CN = a` / `   i:CN = b` / `   v:NotBefore: …; NotAfter: …`. */
function opensslChain(text: string): ShownCertificate[] {
  const out: ShownCertificate[] = [];
  for (const m of text.matchAll(/^ *\d+ s:(.*)\n *i:(.*)\n(?: *a:.*\n)?(?: *(v:NotBefore: (.*?); NotAfter: (.*)))?/gm)) {
    out.push({ subject: m[1].trim(), issuer: m[2].trim(), notBefore: m[4] ? shownDate(m[4]) : undefined, notAfter: m[5] ? shownDate(m[5]) : undefined, names: [], line: lineOf(text, m.index), ...(m[3] ? { dateLine: m[3].trim() } : {}) });
  }
  return out;
}

/** `gnutls-cli --verbose`: `- Certificate[N] info:` blocks with Issuer, Validity and Subject lines. */
function gnutlsChain(text: string): ShownCertificate[] {
  const blocks = text.split(/^- Certificate\[\d+\] info:$/m).slice(1);
  return blocks.map((b) => {
    const issuer = /^\s*Issuer: (.*)$/m.exec(b)?.[1].trim() ?? '';
    const subject = /^\s*Subject: (.*)$/m.exec(b)?.[1].trim() ?? '';
    const after = /^\s*Not After: (.*)$/m.exec(b);
    return { subject, issuer, notBefore: shownDate(/^\s*Not Before: (.*)$/m.exec(b)?.[1] ?? ''), notAfter: shownDate(after?.[1] ?? ''), names: [...b.matchAll(/^\s*DNSname: (\S+)$/gm)].map((m) => m[1]), line: `Subject: ${subject}`, ...(after ? { dateLine: after[0].trim() } : {}) };
  });
}

/** Java's debug log prints each certificate of the server's Certificate message as a JSON-like block. */
function javaChain(text: string): ShownCertificate[] {
  const start = text.search(/Consuming server Certificate handshake message/);
  if (start < 0) return [];
  const end = text.indexOf('\njavax.net.ssl|', start + 1);
  const part = text.slice(start, end < 0 ? undefined : end);
  const out: ShownCertificate[] = [];
  for (const m of part.matchAll(/"issuer" *: "([^"]*)",\s*("not before" *: "([^"]*)",)\s*("not {1,2}after" *: "([^"]*)",)\s*"subject" *: "([^"]*)"/g)) {
    const names = /SubjectAlternativeName \[([^\]]*)\]/.exec(part.slice(m.index, m.index + 4000))?.[1] ?? '';
    out.push({ subject: m[6], issuer: m[1], notBefore: shownDate(m[3]), notAfter: shownDate(m[5]), names: [...names.matchAll(/DNSName: ([^\s,]+)/g)].map((n) => n[1]), line: `"subject": "${m[6]}"`, dateLine: m[4].trim() });
  }
  return out;
}

/** curl prints the certificate only once the handshake got that far: `*  subject:`, `*  expire date:`, `*  issuer:`. */
function curlChain(text: string): ShownCertificate[] {
  const m = /^\*  subject: (.*)\n\*  start date: (.*)\n\*  expire date: (.*)\n(?:\*  subjectAltName: .*\n)?\*  issuer: (.*)$/m.exec(text);
  return m ? [{ subject: m[1].trim(), issuer: m[4].trim(), notBefore: shownDate(m[2]), notAfter: shownDate(m[3]), names: [], line: lineOf(text, m.index), dateLine: `expire date: ${m[3].trim()}` }] : [];
}

const CHAINS: Record<TranscriptKind, (text: string) => ShownCertificate[]> = { 'openssl s_client': opensslChain, 'gnutls-cli': gnutlsChain, 'java ssl debug': javaChain, 'curl -v': curlChain };

/** Alert names as each prints them, turned to the RFC's (protocol_version). */
const ALERTS: [RegExp, boolean | 'dir'][] = [
  // curl: `* TLSv1.2 (IN), TLS alert, protocol version (582):` — IN is the server's.
  [/^\* TLSv1\.[0-3] \((IN|OUT)\), TLS alert, ([a-z ]+?) \(\d+\):$/m, 'dir'],
  // OpenSSL: `…:tlsv1 alert protocol version:…:SSL alert number 70`.
  [/(?:sslv3|tlsv1|tlsv13) alert ([a-z ]+?):[^\n]*SSL alert number \d+/, true],
  // Java: `Received fatal alert: protocol_version`.
  [/Received fatal alert: ([a-z_]+)/, true],
  // gnutls-cli: `*** Received alert [70]: Protocol version` (or `- Received alert`).
  [/Received alert \[\d+\]: ([A-Za-z ]+)/, true],
];

function alertOf(text: string): Transcript['alert'] {
  for (const [re, dir] of ALERTS) {
    const m = re.exec(text);
    if (!m) continue;
    const name = (dir === 'dir' ? m[2] : m[1]).trim().toLowerCase().replace(/ /g, '_');
    return { name, received: dir === 'dir' ? m[1] === 'IN' : true, line: lineOf(text, m.index) };
  }
  return undefined;
}

const VERSIONS: RegExp[] = [/^\* SSL connection using (TLSv1\.[0-3]|SSLv3)/m, /^ *Protocol *: (TLSv1\.[0-3]|SSLv3)$/m, /Negotiated protocol version: (TLSv1\.[0-3]|SSLv3)/, /^- Version: (TLS1\.[0-3]|SSL3\.0)$/m];

const ERRORS: RegExp[] = [/^curl: \(\d+\) .*$/gm, /^.*:error:[0-9A-F]{8}:.*$|^verify error:num=.*$|^Verification error: .*$/gm, /^(?:Exception in thread .*|Caused by: .*)$/gm, /^\*\*\* (?:Fatal error|Handshake has failed).*$|^- Status: The certificate is NOT trusted.*$/gm];

export function readTranscript(text: string): Transcript | undefined {
  const kind = transcriptKind(text);
  if (!kind) return undefined;
  const v = VERSIONS.map((re) => re.exec(text)).find((m) => m);
  const errors = ERRORS.flatMap((re) => [...text.matchAll(re)].map((m) => ({ at: m.index, line: m[0].trim() }))).sort((a, b) => a.at - b.at);
  const host = /^\* Connected to (\S+)|^Resolving '([^':]+)|-servername (\S+)|value=([a-z0-9.-]+)\)/m.exec(text)?.slice(1).find(Boolean);
  return {
    kind,
    ...(host ? { host } : {}),
    chain: CHAINS[kind](text),
    ...(alertOf(text) ? { alert: alertOf(text) } : {}),
    ...(v ? { version: { name: v[1], line: v[0].trim() } } : {}),
    ...(errors.length > 0 ? { error: errors.at(-1)!.line } : {}),
    completed: /^- Handshake was completed$|^\* SSL connection using |^New, TLSv1\.[0-3], Cipher is |Consuming server Finished handshake message|Consuming NewSessionTicket/m.test(text),
  };
}
