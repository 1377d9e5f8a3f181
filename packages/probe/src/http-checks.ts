import tls from 'node:tls';
import { isIP } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import { raceWithTimeout, stepTimeout } from './settle.js';
import type { ClientIdentity, TrustStore } from './trust-store.js';
import { resolveHost } from './resolve.js';
import { MAX_HOPS, nextUrl, NOT_PERMITTED, type HttpHop, type RedirectChain } from './facts.js';

export type { HttpHop, RedirectChain } from './facts.js';
import { TargetError } from './target.js';

/** GET http://host/ on port 80 of the probed address, and where it leads. */
export type RedirectCheck = RedirectChain;

export interface HstsCheck {
  status?: number;
  header?: string;
  error?: string;
  /** The server refused the request for want of a client certificate: the status and its words. */
  clientCertRefusal?: string;
  /** The Alt-Svc header: where it advertises HTTP/3. */
  altSvc?: string;
  /** From the request's start to the answer's head, ms (a new connection's TCP and TLS included). */
  ms?: number;
  /** The answer redirects: its Location, and the requests that followed it. */
  location?: string;
  redirects?: RedirectChain;
}

/** What servers answer a request that came without the client certificate they require. */
const CLIENT_CERT_REFUSAL = /No required SSL certificate was sent|The SSL certificate error|SSL certificate required|client certificate (?:is )?required/i;

/** Body bytes read at most to look for those words (an error page is short). */
const MAX_ERROR_BODY = 4096;

/** An answer read by hand over TLS: its status line and the first bytes of its body. */
export type RawAnswer =
  | { status?: number; statusLine: string; location?: string; body?: string }
  | { error: string };

export interface WebSocketCheck {
  path: string;
  status?: number;
  statusLine?: string;
  /** The Location header of a redirect answer. */
  location?: string;
  /** The first bytes of the answer's body (at most MAX_BODY), where it had one. */
  body?: string;
  upgraded: boolean;
  error?: string;
  /** When the upgrade failed with an HTTP answer: a plain GET of the same path, to compare. */
  plain?: RawAnswer;
}

/** A WebSocket path is an HTTP request target in origin form (RFC 6455 §3, RFC 9112 §3.2.1). */
export function checkWsPath(path: string): void {
  if (!path.startsWith('/')) throw new TargetError(`--ws "${path}": a WebSocket path starts with / (for example /${path.replace(/^\/*/, '') || 'ws'})`);
}

/**
 * An undici agent that connects to this address whatever the name resolves to. The probed host's
 * chain is accepted (the handshake step judges it); `verify` checks another host's.
 */
function pinnedAgent(address: string, trust: TrustStore, timeoutMs: number, identity?: ClientIdentity, verify = false): Agent {
  return new Agent({
    connect: {
      lookup: (_host, _opts, cb) => cb(null, [{ address, family: address.includes(':') ? 6 : 4 }] as never),
      secureContext: trust.context('http', identity),
      rejectUnauthorized: verify,
      timeout: timeoutMs,
    },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connections: 1,
  });
}

/** undici wraps the socket's error: its code is on the error or on its cause. */
function errorCode(e: unknown): string | undefined {
  const err = e as { code?: string; cause?: { code?: string } };
  return err.cause?.code ?? err.code;
}

const hostForUrl = (h: string) => (h.includes(':') ? `[${h}]` : h);

/** Where a hop's request goes: the probed address for the probed host, else what --resolve or the system names. */
export interface HopRouting {
  host: string;
  address: string;
  trust: TrustStore;
  timeoutMs: number;
  /** The probe's deadline (performance.now()), when it has one: no request outlives it. */
  deadline?: number;
  /** --resolve's pins, `host:port` to address. */
  resolve: Map<string, string>;
  /** Asked before each request, as before every connection of the probe (ProbeOptions.permit). */
  permit?: (c: { host: string; address: string; port: number }) => string | undefined;
}

const defaultPort = (u: URL) => (u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80);

/**
 * One GET, redirects not followed. The probed host goes to the probed address with any chain
 * accepted (its chain is judged by the handshake step); another host is resolved as a client
 * would and its chain verified, so that a redirect to a broken https server says why.
 */
async function requestHop(url: URL, via: HopRouting, identity?: ClientIdentity): Promise<HttpHop> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const same = host === via.host;
  const port = defaultPort(url);
  const timeoutMs = stepTimeout(via);
  let address = via.address;
  if (!same) {
    const dns = await resolveHost(host, port, via.resolve, timeoutMs);
    if (dns.addresses.length === 0) return { url: url.href, error: dns.error ? `${host}: ${dns.error.message}` : `${host} has no address`, errorCode: dns.error?.code ?? 'ENOTFOUND' };
    address = dns.addresses[0].address;
  }
  const refused = via.permit?.({ host, address, port });
  if (refused) return { url: url.href, error: `not requested: ${refused}`, errorCode: NOT_PERMITTED };
  const agent = pinnedAgent(address, via.trust, timeoutMs, same ? identity : undefined, !same);
  try {
    const res = await request(url.href, { dispatcher: agent, method: 'GET', maxRedirections: 0, signal: AbortSignal.timeout(timeoutMs) } as never);
    await res.body.dump().catch(() => {});
    const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
    const h = res.headers['strict-transport-security'];
    const hsts = Array.isArray(h) ? h[0] : h;
    return { url: url.href, status: res.statusCode, ...(location !== undefined ? { location } : {}), ...(hsts !== undefined ? { hsts } : {}) };
  } catch (e) {
    const code = errorCode(e);
    return { url: url.href, error: (e as Error).message, ...(code ? { errorCode: code } : {}) };
  } finally {
    await agent.close().catch(() => {});
  }
}

/** Follows redirects from `start`, having already requested `seen`; bounded by MAX_HOPS requests. */
export async function followRedirects(start: URL, via: HopRouting, seen: string[] = [], identity?: ClientIdentity): Promise<RedirectChain> {
  const visited = new Set(seen);
  const hops: HttpHop[] = [];
  let url: URL | undefined = start;
  while (url) {
    if (visited.has(url.href)) return { hops, stopped: 'loop' };
    if (visited.size >= MAX_HOPS) return { hops, stopped: 'limit' };
    visited.add(url.href);
    const hop = await requestHop(url, via, identity);
    hops.push(hop);
    url = nextUrl(hop);
  }
  return { hops };
}

/** GET http://host/ on port 80 of the probed address, and every redirect after it. */
export function checkRedirect(via: HopRouting): Promise<RedirectCheck> {
  return followRedirects(new URL(`http://${hostForUrl(via.host)}/`), via);
}

/**
 * GET https://host:port/ on the probed address: Strict-Transport-Security, Alt-Svc, a refusal for
 * want of a client certificate; and where it leads when it redirects.
 */
export async function checkHsts(via: HopRouting, port: number, identity?: ClientIdentity): Promise<HstsCheck> {
  const timeoutMs = stepTimeout(via);
  const agent = pinnedAgent(via.address, via.trust, timeoutMs, identity);
  const url = new URL(`https://${hostForUrl(via.host)}:${port}/`);
  const t0 = performance.now();
  try {
    const res = await request(url.href, { dispatcher: agent, method: 'GET', maxRedirections: 0, signal: AbortSignal.timeout(timeoutMs) } as never);
    const ms = performance.now() - t0;
    let refusal: string | undefined;
    if (res.statusCode === 400 || res.statusCode === 403 || res.statusCode === 496) {
      let body = '';
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        body += chunk.toString('latin1');
        if (body.length >= MAX_ERROR_BODY) break;
      }
      const words = CLIENT_CERT_REFUSAL.exec(body)?.[0];
      if (words) refusal = `HTTP ${res.statusCode} "${words}"`;
    }
    await res.body.dump().catch(() => {});
    const h = res.headers['strict-transport-security'];
    const alt = res.headers['alt-svc'];
    const altSvc = Array.isArray(alt) ? alt.join(', ') : alt;
    const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
    const first: HttpHop = { url: url.href, status: res.statusCode, ...(location !== undefined ? { location } : {}) };
    const next = nextUrl(first);
    const redirects = next ? await followRedirects(next, via, [url.href], identity) : undefined;
    return {
      status: res.statusCode, header: Array.isArray(h) ? h[0] : h, ...(refusal ? { clientCertRefusal: refusal } : {}), ...(altSvc ? { altSvc } : {}),
      ...(location !== undefined ? { location } : {}), ...(redirects ? { redirects } : {}), ms,
    };
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    await agent.close().catch(() => {});
  }
}

/** Bytes of a response head read at most before judging it. */
const MAX_HEAD = 16 * 1024;
/** Body bytes kept: an error page's first words say whose it is. */
const MAX_BODY = 512;

/** The head and the start of the body once enough has come (or the server closed); undefined while more is needed. */
function readAnswer(buf: string, ended: boolean): RawAnswer | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0 && buf.length < MAX_HEAD && !ended) return undefined;
  const head = buf.slice(0, end < 0 ? MAX_HEAD : end);
  const eol = head.indexOf('\r\n');
  const statusLine = head.slice(0, eol < 0 ? 200 : eol);
  const m = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine);
  const status = m ? Number(m[1]) : undefined;
  const location = /\r\nlocation:[ \t]*([^\r\n]*)/i.exec(head)?.[1]?.trim();
  let body = end < 0 ? '' : buf.slice(end + 4);
  const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head)?.[1];
  const chunked = /\r\ntransfer-encoding:[^\r\n]*chunked/i.test(head);
  // A 101 has no body; otherwise wait for the body's first bytes where the head promises some.
  const want = status === 101 || end < 0 ? 0 : length !== undefined ? Math.min(Number(length), MAX_BODY) : chunked ? MAX_BODY : 0;
  if (!ended && body.length < want && !(chunked && body.includes('0\r\n\r\n'))) return undefined;
  if (chunked) body = body.replace(/(^|\r\n)[0-9a-fA-F]+(?:;[^\r\n]*)?\r\n/g, '$1');
  body = body.slice(0, MAX_BODY);
  return { ...(status !== undefined ? { status } : {}), statusLine, ...(location ? { location } : {}), ...(body ? { body } : {}) };
}

/** One request written by hand over TLS, its answer read as it comes (status line, Location, the body's start). */
function rawRequest(host: string, port: number, address: string, path: string, extraHeaders: string, trust: TrustStore, timeoutMs: number, identity?: ClientIdentity): Promise<RawAnswer> {
  let buf = '';
  const socket = tls.connect({ host: address, port, servername: isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'], rejectUnauthorized: false, secureContext: trust.context('http', identity) });
  return raceWithTimeout<RawAnswer>(
    timeoutMs,
    () => (buf ? (readAnswer(buf, true) as RawAnswer) : { error: `no answer within ${timeoutMs} ms` }),
    () => socket.destroy(),
    (finish) => {
      socket.once('secureConnect', () => {
        socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostForUrl(host)}${port === 443 ? '' : `:${port}`}\r\n${extraHeaders}User-Agent: tlsdoctor\r\n\r\n`);
      });
      socket.on('data', (d: Buffer) => {
        buf += d.toString('latin1');
        const a = readAnswer(buf, false);
        if (a) finish(a);
      });
      socket.once('error', (e) => finish({ error: e.message }));
      socket.once('end', () => finish(buf ? (readAnswer(buf, true) as RawAnswer) : { error: 'closed without an answer' }));
    },
  );
}

/**
 * A WebSocket opening handshake (RFC 6455) over TLS to PATH. Written by hand rather than with
 * undici: we want the status line the proxy sent whatever it is, not an exception. When it is
 * not upgraded, a plain GET of the same path tells a path that is no endpoint (the same answer)
 * from a proxy that drops the upgrade.
 */
export async function checkWebSocket(host: string, port: number, address: string, path: string, trust: TrustStore, time: { timeoutMs: number; deadline?: number }, identity?: ClientIdentity): Promise<WebSocketCheck> {
  const upgrade = `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n`;
  const a = await rawRequest(host, port, address, path, upgrade, trust, stepTimeout(time), identity);
  if ('error' in a) return { path, upgraded: false, error: a.error };
  if (a.status === 101) return { path, ...a, upgraded: true };
  const plain = await rawRequest(host, port, address, path, 'Connection: close\r\n', trust, stepTimeout(time), identity);
  return { path, ...a, upgraded: false, plain };
}
