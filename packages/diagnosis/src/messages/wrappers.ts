/**
 * What programs wrap a TLS library's message in: a prefix (git's `fatal: unable to access
 * '…':`, PHP's `cURL error N:`), an exception chain (Java's `Exception in thread "main"` and
 * `Caused by:`, a Python traceback, urllib3's `MaxRetryError(… SSLError(…))`), a log line's
 * timestamp and process id (nginx's error.log). Matching looks through them (the catalogue's
 * patterns are the library's words, found anywhere); this module names the wrapping and takes
 * from it what the library's words lack: the server it was talking to, for `--probe`.
 */

/** The server a wrapped message names: a host name, an address, a port, each only when said. */
export interface Target {
  name?: string;
  address?: string;
  port?: number;
}

export interface Wrapping {
  /** The wrappers seen, outermost first as listed in WRAPPERS. */
  wrappers: string[];
  target: Target;
  /** What to give `tlsdoctor probe` (and `explain --probe`) for that server, when the text says enough. */
  probe?: string;
}

const WRAPPERS: [string, RegExp][] = [
  ['git', /^fatal: unable to access '[^']*': /m],
  ['php curl', /cURL error \d+: /],
  ['php stream', /SSL operation failed with code \d+\. OpenSSL Error messages:/],
  ['java exception', /^Exception in thread "[^"]*" [\w.$]+|^Caused by: [\w.$]+/m],
  ['python traceback', /^Traceback \(most recent call last\):/m],
  ['urllib3', /MaxRetryError|HTTPSConnectionPool\(host=|SSLError\(SSLCertVerificationError/],
  ['nginx error.log', /\[(?:emerg|alert|crit|error|warn|notice|info)\] \d+#\d+: /],
  ['ruby', /SSL_connect (?:SYSCALL )?returned=|\(OpenSSL::SSL::SSLError\)|Net::(?:Open|Read)Timeout/],
  ['reqwest', /error sending request for url|reqwest::Error/],
  ['log line', /^\[?\d{4}[-/]\d\d[-/]\d\d[ T]\d\d:\d\d:\d\d/m],
];

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Where each wrapper names the server: [name, address, port] groups. */
const TARGETS: RegExp[] = [
  // nginx: the upstream it was proxying to, and the name it checked the certificate against.
  /upstream: "https?:\/\/(?<address>\[[0-9a-f:]+\]|[^/":]+)(?::(?<port>\d+))?/i,
  // requests/urllib3.
  /HTTPSConnectionPool\(host='(?<name>[^']+)', port=(?<port>\d+)\)/,
  // Ruby's OpenSSL: the peer's address.
  /peeraddr=(?<address>\[[0-9a-f:]+\]|[\d.]+):(?<port>\d+)/i,
  /Failed to open TCP connection to (?<name>[^\s:]+):(?<port>\d+)/,
  // git and most libraries: the URL.
  /(?:unable to access '|for url \(|URL: |for url: |request for url )https:\/\/(?<name>[^/:'")\s]+)(?::(?<port>\d+))?/i,
];

/** The name nginx checked the upstream's certificate against, when it says. */
const UPSTREAM_NAME = /upstream SSL certificate does not match "(?<name>[^"]+)"/;

export function unwrap(text: string): Wrapping {
  const wrappers = WRAPPERS.filter(([, re]) => re.test(text)).map(([name]) => name);
  const target: Target = {};
  for (const re of TARGETS) {
    const g = re.exec(text)?.groups;
    if (!g) continue;
    const host = g.name ?? g.address;
    if (host && target.name === undefined && target.address === undefined) {
      if (IPV4.test(host) || host.startsWith('[')) target.address = host.replace(/^\[|\]$/g, '');
      else target.name = host;
    }
    if (g.port && target.port === undefined) target.port = Number(g.port);
  }
  const named = UPSTREAM_NAME.exec(text)?.groups?.name;
  if (named && target.name === undefined) target.name = named;
  return { wrappers, target, ...probeOf(target) };
}

/** A target for the probe: a name (reached at the quoted address when one is), or an address alone. */
function probeOf(t: Target): { probe?: string } {
  const port = t.port ?? 443;
  const at = (h: string) => (h.includes(':') ? `[${h}]` : h);
  if (t.name && t.address) return { probe: `https://${t.name}:${port}/ --resolve ${t.name}:${port}:${t.address}` };
  if (t.name) return { probe: port === 443 ? t.name : `${t.name}:${port}` };
  if (t.address) return { probe: `${at(t.address)}:${port}` };
  return {};
}
