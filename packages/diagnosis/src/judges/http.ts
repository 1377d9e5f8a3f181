import type { HttpHop, ProbeRecord, RedirectChain } from '@tlsdoctor/probe';
import { isIP } from 'node:net';
import { MAX_HOPS, nextUrl, NOT_PERMITTED, REDIRECT_STATUS } from '@tlsdoctor/probe/facts';
import { compact } from '../evidence.js';
import { findingsOf, type Finding } from '../finding.js';

/** What the server does above TLS: the port-80 redirect, HSTS, WebSocket upgrades. */
export const HTTP_CODES = {
  HTTP_NO_REDIRECT: { severity: 'warning', title: 'Port 80 serves content without redirecting to https', remedy: 'Redirect plain HTTP to https on the same host (nginx: `return 301 https://$host$request_uri;` in the port-80 server).' },
  HTTP_PORT_CLOSED: {
    severity: 'info',
    title: 'Port 80 is closed',
    remedy: 'Nothing breaks for clients that use https:// (APIs, mini-programs, links). Only addresses typed without a scheme fail; if people type the name into a browser, open port 80 and redirect it (`return 301 https://$host$request_uri;`).',
  },
  HTTP_REDIRECT_LOOP: {
    severity: 'error',
    title: 'The redirects loop: browsers stop with "too many redirects"',
    remedy: 'Each URL of the chain must answer without sending the client back to one it came from. The usual cause is an app behind a proxy that ends TLS: the app sees plain HTTP and redirects to https, or sees https and redirects to http. Tell it the scheme the client used (nginx: `proxy_set_header X-Forwarded-Proto $scheme;`, and make the app trust it), or do the http-to-https redirect in one place only.',
  },
  HTTPS_DOWNGRADE: {
    severity: 'error',
    title: 'The https answer redirects to http://',
    remedy: 'Serve the content over https, or redirect to an https:// URL: the client leaves TLS, and browsers that know the host from HSTS turn the http:// URL back into https://, which loops. An app behind a proxy that ends TLS builds http:// URLs when it is not told the scheme (nginx: `proxy_set_header X-Forwarded-Proto $scheme;`).',
  },
  HTTP_REDIRECT_TARGET_FAILED: {
    severity: 'error',
    title: 'A redirect leads to a URL that does not answer',
    remedy: 'Make the redirect point to a URL that is served (the host and port a client can reach, with a certificate it trusts), or serve that URL.',
  },
  HTTP_MISDIRECTED_REQUEST: {
    severity: 'error',
    title: 'The server answered 421 Misdirected Request: it does not serve this name on this connection',
    remedy: 'The server (most often an SNI-routing proxy or ingress in front of it) routes the connection by its SNI and the request by its Host, and the two disagree: a fresh connection whose SNI and Host are the same name got 421, so the route for the name is missing or points elsewhere. Give the name a route (an ingress rule, `server_name`, a passthrough route) that serves it for both, and set the app\'s own host name setting to the name clients use (Keycloak: `hostname`). Browsers reuse an HTTP/2 connection for another name covered by the same certificate (a wildcard or several SANs); a server that cannot serve that name there must answer 421, which browsers retry on a new connection, but other clients may not.',
  },
  HTTP_REDIRECT_ELSEWHERE: {
    severity: 'info',
    title: 'The server redirects to another host or port',
    remedy: 'Nothing to fix if that is intended: clients follow it. The target was requested too, and answered; its TLS is that server\'s (probe it by name to judge it).',
  },
  HSTS_MISSING: { severity: 'info', title: 'No HSTS header', remedy: 'Send `Strict-Transport-Security: max-age=31536000` on https responses once https works everywhere on the domain (nginx: `add_header Strict-Transport-Security "max-age=31536000" always;`).' },
  WEBSOCKET_NOT_AN_ENDPOINT: {
    severity: 'error',
    title: 'The WebSocket path is not a WebSocket endpoint',
    remedy: 'Connect to the path the WebSocket server listens on: check the URL the client uses, the route the app serves WebSockets on, and the proxy `location` that sends it there. Passing the Upgrade headers changes nothing here: this path gives the same answer with or without them.',
  },
  WEBSOCKET_UPGRADE_OK: {
    severity: 'info',
    title: 'The WebSocket upgrade works',
    remedy: 'Nothing to fix: the server switched protocols (101) on this path.',
  },
  WEBSOCKET_UPGRADE_FAILED: {
    severity: 'error',
    title: 'The WebSocket upgrade failed through the server',
    remedy: 'The proxy does not pass the upgrade. For nginx, in the location that proxies the WebSocket: `proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade;` with `map $http_upgrade $connection_upgrade { default upgrade; \'\' close; }` in the http block.',
  },
} as const;

const finding = findingsOf(HTTP_CODES);

/** Connect errors that mean "nothing listens or the port is filtered", not "the server misbehaved". */
const CLOSED = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

const isAnswer = (h: HttpHop): h is Extract<HttpHop, { status: number }> => 'status' in h;

/** One hop as a line: the URL, then the status and where it sends the client, or why nothing came. */
function hopLine(h: HttpHop): string {
  if (!isAnswer(h)) return `${h.url}: ${h.error}${h.errorCode ? ` (${h.errorCode})` : ''}`;
  return `${h.url} answered ${h.status}${h.location !== undefined ? ` with Location ${h.location}` : ''}`;
}

/** The chain line by line, and why following stopped where it did not end in an answer. */
function chainLines(c: RedirectChain): string[] {
  const last = c.hops[c.hops.length - 1];
  const then = last && nextUrl(last);
  if (c.stopped === 'loop') return [...c.hops.map(hopLine), `${then?.href ?? 'the next URL'} was requested before: a loop`];
  if (c.stopped === 'limit') return [...c.hops.map(hopLine), `still redirecting after ${MAX_HOPS} requests`];
  return c.hops.map(hopLine);
}

/** The port of an https URL. */
const httpsPort = (u: URL) => (u.port ? Number(u.port) : 443);

/**
 * What a chain's redirects say, whichever port it started from: a loop, a step from https down to
 * http, a redirect to another host or port, and whether its end answers. `port` is the probed
 * https port: http://host/ to https://host:port/ stays on the probed server.
 */
function judgeChain(c: RedirectChain, host: string, port: number): Finding[] {
  const lines = chainLines(c);
  if (c.stopped === 'loop') return [finding('HTTP_REDIRECT_LOOP', lines)];
  if (c.stopped === 'limit') return [finding('HTTP_REDIRECT_LOOP', lines, { title: `Still redirecting after ${MAX_HOPS} requests` })];
  const out: Finding[] = [];
  const down = c.hops.find((h) => h.url.startsWith('https:') && nextUrl(h)?.protocol === 'http:');
  if (down) out.push(finding('HTTPS_DOWNGRADE', [hopLine(down), 'the chain:', ...lines]));
  const away = c.hops.map((h) => nextUrl(h)).find((u) => u !== undefined && (u.hostname.replace(/^\[|\]$/g, '') !== host || (u.protocol === 'https:' && httpsPort(u) !== port)));
  const last = c.hops[c.hops.length - 1];
  // Every chain judged here starts with an answer: a failure at its end is where a redirect led.
  // A target the probe was not permitted to request (an exporter's allow list) was not tried.
  if (last && !isAnswer(last) && last.errorCode !== NOT_PERMITTED) out.push(finding('HTTP_REDIRECT_TARGET_FAILED', lines));
  else if (away && last && isAnswer(last)) out.push(finding('HTTP_REDIRECT_ELSEWHERE', [`redirected to ${away.href}`, ...lines]));
  return out;
}

export function judgeProbeRedirect(r: ProbeRecord): Finding[] {
  const x = r.redirect;
  const first = x?.hops[0];
  if (!x || !first) return [];
  const where = `http://${r.target.host}/ on ${r.address}:80`;
  if (!isAnswer(first)) {
    if (first.errorCode && CLOSED.has(first.errorCode)) return [finding('HTTP_PORT_CLOSED', [`${where}: ${first.error} (${first.errorCode})`])];
    return [finding('HTTP_NO_REDIRECT', [`${where}: ${first.error}`], { title: 'Port 80 does not redirect to https' })];
  }
  if (!nextUrl(first)) return [finding('HTTP_NO_REDIRECT', [`${where} answered ${first.status}${first.location !== undefined ? ` with Location ${first.location}` : ' without a redirect'}`])];
  const found = judgeChain(x, r.target.host, r.target.port);
  const last = x.hops[x.hops.length - 1];
  // Redirects that never reach https and end in content: port 80 still serves it in the clear.
  if (!x.stopped && isAnswer(last) && last.url.startsWith('http:') && x.hops.every((h) => h.url.startsWith('http:'))) {
    found.push(finding('HTTP_NO_REDIRECT', chainLines(x), { title: 'Port 80 redirects, but never to https' }));
  }
  return found;
}

/** What the probe sent to a URL: the name in SNI (none for an IP address) and the Host header. */
function sentLine(url: string): string {
  const u = new URL(url);
  const name = u.hostname.replace(/^\[|\]$/g, '');
  return `SNI ${isIP(name) ? '(none: an IP address)' : name} and Host ${u.host} were sent on a connection of their own`;
}

/** 421 from any https answer the probe got: the first, or one along the redirects from either port. */
export function judgeProbeMisdirected(r: ProbeRecord): Finding[] {
  const h = r.hsts;
  const hops: HttpHop[] = [
    ...(h?.status !== undefined ? [{ url: firstHttpsUrl(r), status: h.status }] : []),
    ...(h?.redirects?.hops ?? []),
    ...(r.redirect?.hops ?? []),
  ];
  const m = hops.find((x) => isAnswer(x) && x.status === 421 && x.url.startsWith('https:'));
  return m ? [finding('HTTP_MISDIRECTED_REQUEST', [hopLine(m), sentLine(m.url)])] : [];
}

/** The https answer's own redirects (HSTS_MISSING is judged on where they end). */
export function judgeProbeHttpsRedirects(r: ProbeRecord): Finding[] {
  const h = r.hsts;
  if (!h || h.status === undefined || !h.redirects) return [];
  const first: HttpHop = { url: firstHttpsUrl(r), status: h.status, ...(h.location !== undefined ? { location: h.location } : {}) };
  return judgeChain({ hops: [first, ...h.redirects.hops], ...(h.redirects.stopped ? { stopped: h.redirects.stopped } : {}) }, r.target.host, r.target.port);
}

const firstHttpsUrl = (r: ProbeRecord) => `https://${r.target.host.includes(':') ? `[${r.target.host}]` : r.target.host}${r.target.port === 443 ? '' : `:${r.target.port}`}/`;

/**
 * HSTS on the https answer a client ends at: the first, or the last of its redirects when they end
 * in an https answer. An error page for want of a client certificate says nothing of it; a chain
 * that ends in http, an error or a loop has its own finding.
 */
export function judgeProbeHsts(r: ProbeRecord): Finding[] {
  const h = r.hsts;
  // A 421 is the server refusing the name here: no page was served whose headers could be judged.
  if (!h || h.error || h.clientCertRefusal || h.status === 421) return [];
  if (!h.redirects) return h.header ? [] : [finding('HSTS_MISSING', [`${firstHttpsUrl(r)} answered ${h.status} without Strict-Transport-Security`])];
  const last = h.redirects.hops[h.redirects.hops.length - 1];
  if (h.redirects.stopped || !last || !isAnswer(last) || !last.url.startsWith('https:') || last.hsts) return [];
  return [finding('HSTS_MISSING', [`${last.url} answered ${last.status} without Strict-Transport-Security (the end of the redirects from ${firstHttpsUrl(r)})`])];
}

/** Answers that the backend gives to a plain request: the proxy dropped Upgrade and Connection. */
const PLAIN_REQUEST = new Set([200, 400, 404, 426]);

/** An answer's words as a line of evidence: its status line, and the first line of its body. */
function answerWords(a: { statusLine?: string; body?: string }): string {
  const body = a.body?.split(/\r?\n/).find((l) => l.trim() !== '')?.trim().slice(0, 120);
  return `"${a.statusLine ?? ''}"${body ? ` (body: "${body}")` : ''}`;
}

/** Words only a WebSocket server says to a request without the upgrade: the backend got one, the proxy dropped it. */
const SAW_NO_UPGRADE = /upgrade|websocket/i;

export function judgeProbeWebSocket(r: ProbeRecord): Finding[] {
  const w = r.ws;
  if (!w) return [];
  const got = `GET ${w.path} with Upgrade: websocket got ${w.statusLine !== undefined ? answerWords(w) : w.error}`;
  if (w.upgraded) return [finding('WEBSOCKET_UPGRADE_OK', [got])];
  if (REDIRECT_STATUS.has(w.status ?? 0)) {
    // nginx answers /ws with a redirect to /ws/ when only `location /ws/` exists; clients do not follow it.
    return [
      finding('WEBSOCKET_UPGRADE_FAILED', compact([got, w.location ? `Location: ${w.location}` : 'no Location header']), {
        title: 'The WebSocket URL is redirected',
        remedy: `WebSocket clients do not follow redirects. Connect to the URL the server redirects to${w.location ? ` (${w.location}, as wss://)` : ''}, or make the server answer the upgrade at ${w.path} (nginx: a \`location\` that matches ${w.path} exactly, e.g. \`location = ${w.path}\` beside \`location ${w.path}/\`).`,
      }),
    ];
  }
  const plain = w.plain && !('error' in w.plain) ? w.plain : undefined;
  const compared = w.plain ? [`a plain GET ${w.path} got ${'error' in w.plain ? w.plain.error : answerWords(w.plain)}`] : [];
  if (w.status === 426 || SAW_NO_UPGRADE.test(w.body ?? '')) {
    return [finding('WEBSOCKET_UPGRADE_FAILED', [got, 'the backend says it expected an upgrade: the proxy dropped the Upgrade and Connection headers', ...compared])];
  }
  if (plain && w.status !== undefined && plain.status === w.status) {
    return [finding('WEBSOCKET_NOT_AN_ENDPOINT', [got, ...compared, `the same answer with and without the upgrade: ${w.path} is not a WebSocket endpoint`])];
  }
  if (PLAIN_REQUEST.has(w.status ?? 0)) {
    return [finding('WEBSOCKET_UPGRADE_FAILED', [got, 'the backend saw a plain request: the proxy dropped the Upgrade and Connection headers', ...compared])];
  }
  return [
    finding('WEBSOCKET_UPGRADE_FAILED', [got, ...compared], {
      remedy: w.status !== undefined
        ? `The server answered the upgrade with ${w.status}: see why in the log of the proxy or the backend (authentication, an origin check, a backend that is down).`
        : 'No HTTP answer to the upgrade: check that the path is served over TLS on this port and that the backend is up.',
    }),
  ];
}
