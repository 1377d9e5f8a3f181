import { CATALOGUE, CLIENTS, type ClientName, type MessageEntry } from './catalogue.js';
import { MEANINGS, type Cause, type Meaning } from './meanings.js';
import { netErrorIn } from './net-errors.js';
import { unwrap, type Target } from './wrappers.js';
import { rankByTranscript, readCauses, type TranscriptReading } from './transcript-rank.js';
import { PROBE } from './meaning.js';
import { rankRedirectTarget } from './redirected.js';
import type { Code } from '../codes.js';
import { PRECEDENCE } from '../precedence.js';

export interface MessageMatch {
  entry: MessageEntry;
  meaning: Meaning;
  /** The text the pattern matched. */
  matched: string;
  at: number;
}

export interface Explanation {
  recognised: boolean;
  /** The client named, or the one the message's shape points to. */
  client?: ClientName;
  /** Every recognised message in the text, the most telling first. */
  matches: MessageMatch[];
  /** The causes, most likely first, each with the sign that tells it from the others. */
  candidates: Cause[];
  /** What to run to decide, with the host filled in when the message names one. */
  check?: string;
  host?: string;
  /** What the library's words were wrapped in (git, a Java exception, nginx's error.log, …). */
  wrappers: string[];
  /** The server the wrapping names (nginx's upstream, requests' pool, Ruby's peer), and what to give the probe for it. */
  target?: Target;
  probe?: string;
  /** When nothing was recognised: the catalogue's messages closest to the text. */
  closest: MessageEntry[];
  /** When the text is a whole transcript (curl -v, openssl s_client, a Java SSL debug log, gnutls-cli): its kind and the causes it shows, with their lines. */
  transcript?: TranscriptReading;
  /** A Chromium net error named in the text, with Chromium's own code and words, mapped to causes or not. */
  netError?: { name: string; code: number; description?: string };
}

/** Text past this is not read: an error message is short, a pasted log may not be. */
const MAX_TEXT = 256 * 1024;

const RANK = { decides: 0, narrows: 1, generic: 2 } as const;

/** The clients whose messages people paste most, first. */
const FAMILIAR: ClientName[] = ['curl', 'chrome', 'firefox', 'node', 'python', 'go', 'java', 'wechat', 'wget', 'openssl', 'gnutls', 'php', 'ruby', 'dotnet', 'rust', 'nginx', 'git', 'aria2c', 'lynx'];

const PLACE = new Map(PRECEDENCE.map((p, i) => [p.code, i]));

/** A client's messages have shapes of their own (curl's `(N)`, Python's module paths, Go's `x509:`). */
const SHAPES: [RegExp, ClientName][] = [
  // Programs that wrap another's words come first: their wrapping is their shape.
  [/\[(?:emerg|alert|crit|error|warn|notice|info)\] \d+#\d+: |while (?:SSL handshaking to|connecting to|reading response header from) upstream/, 'nginx'],
  [/^fatal: unable to access '/m, 'git'],
  [/\[\w+\.cc:\d+\] errorCode=\d|^\d\d\/\d\d \d\d:\d\d:\d\d \[ERROR\] CUID#\d+ /m, 'aria2c'],
  [/^Alert!: |^lynx: Can't access startfile |^Making HTTPS? connection to /m, 'lynx'],
  [/cURL error \d+: |SSL operation failed with code \d|Failed to enable crypto|^PHP (?:Warning|Fatal error)|GuzzleHttp\\|Peer certificate CN=`/m, 'php'],
  [/SSL_connect (?:SYSCALL )?returned=|OpenSSL::SSL::SSLError|Net::(?:Open|Read)Timeout|Failed to open TCP connection to|hostname "[^"]+" does not match the server certificate/, 'ruby'],
  [/System\.(?:Net|Security)\.|RemoteCertificate\w|errors in the certificate chain: |HttpClient\.Timeout|the remote party has closed the transport stream/, 'dotnet'],
  [/invalid peer certificate: |received fatal alert: [A-Z]|InvalidCertificate\(|AlertReceived\(|peer is incompatible: |received corrupt message|reqwest::|hyper::|error sending request for url|tls handshake eof/, 'rust'],
  [/^curl: \(\d+\)/m, 'curl'],
  [/request:fail|connectSocket:fail/, 'wechat'],
  // Node's bundled OpenSSL names its own source path (../deps/openssl/) in its errors.
  [/^node:|code: '[A-Z_]+'|fetch failed|DOMException \[|deps\/openssl\/|\bE(?:CONNRESET|CONNREFUSED|HOSTUNREACH|PROTO|NOTFOUND)\b/m, 'node'],
  [/net::ERR_|\bERR_(?:CONNECTION|CERT|SSL|NAME|EMPTY|TIMED)_/, 'chrome'],
  [/\b(?:SSL_ERROR_|SEC_ERROR_|PR_[A-Z_]+_ERROR|MOZILLA_PKIX_)/, 'firefox'],
  [/javax\.net\.ssl|sun\.security|java\.net\./, 'java'],
  [/\bx509: |\bremote error: tls: |\btls: first record|dial tcp |\bnet\/http: |tls: server selected/, 'go'],
  [/urllib\.error|ssl\.SSL\w*Error|_ssl\.c:|\[Errno \d+\]|requests\.exceptions|HTTPSConnectionPool\(|urllib3|httpx\.|hostname '[^']+' doesn't match/, 'python'],
  // wget links GnuTLS and says so; gnutls-cli speaks in "***" lines and its own phrases.
  [/^GnuTLS: |^wget: |^ERROR: The certificate of|Unable to establish SSL connection|Could not save SSL session data|^failed: |‘[^’]*’|^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ERROR \d{3}|^\d+ redirections exceeded\.$/m, 'wget'],
  [/^\*\*\* |\|<\d+>\||^Could not connect to |^Cannot resolve |^- Status: /m, 'gnutls'],
  [/:error:[0-9A-F]{8}:|verify error:num=|errno=\d/, 'openssl'],
];

/** Host names a message may carry: in a URL, in quotes, after "host". */
const HOST_PATTERNS = [
  /https?:\/\/([a-z0-9.-]+\.[a-z]{2,})/i,
  /host='([a-z0-9.-]+\.[a-z]{2,})'/i,
  /wss?:\/\/([a-z0-9.-]+\.[a-z]{2,})/i,
  /(?:host name|hostname|resolve host|Failed to connect to|valid for '?)\s*[:'‘"]?\s*([a-z0-9-]+(?:\.[a-z0-9-]+)+)/i,
  /[‘'"]([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})[’'"]/i,
];

export function guessClient(text: string): ClientName | undefined {
  return SHAPES.find(([re]) => re.test(text))?.[1];
}

/**
 * What an error message means: every catalogue pattern it holds, ranked (a message that
 * decides the cause before one that narrows it, before a client's catch-all; then by the
 * engine's precedence; then in the order they appear), and the causes they point to, merged in
 * that order.
 */
export function explain(input: string, client?: ClientName, at: { now?: Date } = {}): Explanation {
  const text = input.length > MAX_TEXT ? input.slice(0, MAX_TEXT) : input;
  const shaped = client ?? guessClient(text);
  const find = (entries: MessageEntry[]) =>
    entries.flatMap((entry) => {
      const m = entry.pattern.exec(text);
      return m ? [{ entry, meaning: MEANINGS[entry.meaning], matched: m[0], at: m.index }] : [];
    });
  // A named client's own messages first; if none of them is in the text, any client's.
  let matches = client ? find(CATALOGUE.filter((e) => e.clients.includes(client))) : [];
  if (matches.length === 0) matches = find(CATALOGUE);
  // Two messages equally sure (an expired certificate for another name prints both) are ranked
  // as the engine ranks their findings; then in the order they were printed.
  const place = (m: MessageMatch) => PLACE.get(m.meaning.causes[0].code) ?? PLACE.size;
  matches.sort((a, b) => RANK[a.meaning.certainty] - RANK[b.meaning.certainty] || place(a) - place(b) || a.at - b.at);
  // Two patterns of one meaning found in one text say it once.
  const seen = new Set<string>();
  matches = matches.filter((m) => !seen.has(m.entry.meaning) && seen.add(m.entry.meaning));
  let candidates: Cause[] = [];
  for (const m of matches) for (const c of m.meaning.causes) if (!candidates.some((x) => x.code === c.code)) candidates.push(c);
  // A transcript shows more than its error line: the chain, the alert, how far it got.
  const transcript = readCauses(text, candidates.map((c) => c.code), at.now ?? new Date());
  if (transcript) candidates = rankByTranscript(candidates, transcript.shown);
  candidates = rankRedirectTarget(text, candidates);

  // Not a host: a source file in a traceback, or the page a client's error links to.
  const host = transcript?.host ?? HOST_PATTERNS.map((re) => re.exec(text)?.[1]).find((h) => h && !/\.(?:c|py|js|h|java|rb)$|^curl\.(?:se|haxx\.se)$/.test(h));
  const { wrappers, target, probe } = unwrap(text);
  const recognised = candidates.length > 0;
  const check = (matches[0]?.meaning.check ?? (recognised ? PROBE : undefined))?.replace(/HOST/g, probe ?? host ?? 'HOST');
  const netError = netErrorIn(text);
  return {
    ...(netError ? { netError } : {}),
    ...(transcript ? { transcript } : {}),
    recognised,
    ...(shaped ? { client: shaped } : {}),
    matches,
    candidates,
    ...(check ? { check } : {}),
    ...(host ? { host } : {}),
    wrappers,
    ...(Object.keys(target).length > 0 ? { target } : {}),
    ...(probe ? { probe } : {}),
    closest: recognised ? [] : closest(text),
  };
}

/** The catalogue's examples that share the most words with the text. */
function closest(text: string, n = 3): MessageEntry[] {
  const words = (s: string) => new Set(s.toLowerCase().match(/[a-z]{3,}/g) ?? []);
  const have = words(text);
  return CATALOGUE.map((e) => ({ e, score: [...words(e.example)].filter((w) => have.has(w)).length }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, n)
    .map((x) => x.e);
}

/**
 * What clients typically print for a diagnosis: the catalogue's examples whose meaning lists the
 * code (where it is the first cause before where it is a later one; the clients people use most
 * first; never a client's catch-all), one per client. For reports, so that a pasted
 * report matches what the user saw.
 */
export function typicalMessages(code: Code, max = 3): { client: ClientName; message: string }[] {
  const rank = (e: MessageEntry) => MEANINGS[e.meaning].causes.findIndex((c) => c.code === code) * CLIENTS.length + FAMILIAR.indexOf(guessClient(e.example) ?? e.clients[0]);
  const naming = CATALOGUE.filter((e) => MEANINGS[e.meaning].causes.some((c) => c.code === code)).sort((a, b) => rank(a) - rank(b));
  const entries = naming.filter((e) => MEANINGS[e.meaning].certainty !== 'generic');
  const out: { client: ClientName; message: string }[] = [];
  for (const e of entries) {
    const client = guessClient(e.example) ?? e.clients[0];
    if (out.some((o) => o.client === client)) continue;
    out.push({ client, message: e.example });
    if (out.length >= max) break;
  }
  // A browser meets this code: what Chromium says is always among them (its catch-all if it has
  // nothing surer), second after the most familiar client.
  const chrome = naming.find((e) => guessClient(e.example) === 'chrome');
  if (chrome && !out.some((o) => o.client === 'chrome')) out.splice(Math.min(1, out.length), 0, { client: 'chrome', message: chrome.example });
  return out.slice(0, max);
}
