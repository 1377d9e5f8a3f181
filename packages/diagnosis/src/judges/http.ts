import type { ProbeRecord } from '@tlsdoctor/probe';
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
  HSTS_MISSING: { severity: 'info', title: 'No HSTS header', remedy: 'Send `Strict-Transport-Security: max-age=31536000` on https responses once https works everywhere on the domain (nginx: `add_header Strict-Transport-Security "max-age=31536000" always;`).' },
  WEBSOCKET_UPGRADE_FAILED: {
    severity: 'error',
    title: 'The WebSocket upgrade failed through the server',
    remedy: 'The proxy does not pass the upgrade. For nginx, in the location that proxies the WebSocket: `proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade;` with `map $http_upgrade $connection_upgrade { default upgrade; \'\' close; }` in the http block.',
  },
} as const;

const finding = findingsOf(HTTP_CODES);

/** Connect errors that mean "nothing listens or the port is filtered", not "the server misbehaved". */
const CLOSED = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export function judgeProbeRedirect(r: ProbeRecord): Finding[] {
  const x = r.redirect;
  if (!x || x.redirectsToHttps) return [];
  const where = `http://${r.target.host}/ on ${r.address}:80`;
  if (x.error) {
    if (x.errorCode && CLOSED.has(x.errorCode)) return [finding('HTTP_PORT_CLOSED', [`${where}: ${x.error} (${x.errorCode})`])];
    return [finding('HTTP_NO_REDIRECT', [`${where}: ${x.error}`], { title: 'Port 80 does not redirect to https' })];
  }
  return [finding('HTTP_NO_REDIRECT', [`${where} answered ${x.status}${x.location ? ` with Location ${x.location}` : ' without a redirect'}`])];
}

/** HSTS on a working https answer; an error page for want of a client certificate says nothing of it. */
export function judgeProbeHsts(r: ProbeRecord): Finding[] {
  return r.hsts && !r.hsts.error && !r.hsts.header && !r.hsts.clientCertRefusal ? [finding('HSTS_MISSING', [`https://${r.target.host}/ answered ${r.hsts.status} without Strict-Transport-Security`])] : [];
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Answers that the backend gives to a plain request: the proxy dropped Upgrade and Connection. */
const PLAIN_REQUEST = new Set([200, 400, 404, 426]);

export function judgeProbeWebSocket(r: ProbeRecord): Finding[] {
  const w = r.ws;
  if (!w || w.upgraded) return [];
  const got = `GET ${w.path} with Upgrade: websocket got ${w.statusLine ? `"${w.statusLine}"` : w.error}`;
  if (REDIRECTS.has(w.status ?? 0)) {
    // nginx answers /ws with a redirect to /ws/ when only `location /ws/` exists; clients do not follow it.
    return [
      finding('WEBSOCKET_UPGRADE_FAILED', compact([got, w.location ? `Location: ${w.location}` : 'no Location header']), {
        title: 'The WebSocket URL is redirected',
        remedy: `WebSocket clients do not follow redirects. Connect to the URL the server redirects to${w.location ? ` (${w.location}, as wss://)` : ''}, or make the server answer the upgrade at ${w.path} (nginx: a \`location\` that matches ${w.path} exactly, e.g. \`location = ${w.path}\` beside \`location ${w.path}/\`).`,
      }),
    ];
  }
  if (PLAIN_REQUEST.has(w.status ?? 0)) {
    return [finding('WEBSOCKET_UPGRADE_FAILED', [got, 'the backend saw a plain request: the proxy dropped the Upgrade and Connection headers'])];
  }
  return [
    finding('WEBSOCKET_UPGRADE_FAILED', [got], {
      remedy: w.status !== undefined
        ? `The server answered the upgrade with ${w.status}: see why in the log of the proxy or the backend (authentication, an origin check, a backend that is down).`
        : 'No HTTP answer to the upgrade: check that the path is served over TLS on this port and that the backend is up.',
    }),
  ];
}
