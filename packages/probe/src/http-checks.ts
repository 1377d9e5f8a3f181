import tls from 'node:tls';
import { isIP } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import { raceWithTimeout } from './settle.js';
import type { ClientIdentity, TrustStore } from './trust-store.js';

export interface RedirectCheck {
  status?: number;
  location?: string;
  redirectsToHttps: boolean;
  error?: string;
  /** The system's error code behind `error` (ECONNREFUSED: nothing listens on port 80). */
  errorCode?: string;
}

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
}

/** What servers answer a request that came without the client certificate they require. */
const CLIENT_CERT_REFUSAL = /No required SSL certificate was sent|The SSL certificate error|SSL certificate required|client certificate (?:is )?required/i;

/** Body bytes read at most to look for those words (an error page is short). */
const MAX_ERROR_BODY = 4096;

export interface WebSocketCheck {
  path: string;
  status?: number;
  statusLine?: string;
  /** The Location header of a redirect answer. */
  location?: string;
  upgraded: boolean;
  error?: string;
}

/** An undici agent that connects to the probed address whatever the name resolves to. */
function pinnedAgent(address: string, trust: TrustStore, timeoutMs: number, identity?: ClientIdentity): Agent {
  return new Agent({
    connect: {
      lookup: (_host, _opts, cb) => cb(null, [{ address, family: address.includes(':') ? 6 : 4 }] as never),
      secureContext: trust.context('http', identity),
      rejectUnauthorized: false,
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

/** GET http://host/ on port 80 of the same address: does it send the client to https on the same host? */
export async function checkRedirect(host: string, address: string, trust: TrustStore, timeoutMs: number): Promise<RedirectCheck> {
  const agent = pinnedAgent(address, trust, timeoutMs);
  try {
    const res = await request(`http://${hostForUrl(host)}/`, { dispatcher: agent, method: 'GET', maxRedirections: 0, signal: AbortSignal.timeout(timeoutMs) } as never);
    await res.body.dump();
    const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
    let redirectsToHttps = false;
    if (res.statusCode >= 300 && res.statusCode < 400 && location) {
      try {
        const u = new URL(location, `http://${hostForUrl(host)}/`);
        redirectsToHttps = u.protocol === 'https:' && u.hostname.replace(/^\[|\]$/g, '') === host;
      } catch {
        redirectsToHttps = false;
      }
    }
    return { status: res.statusCode, location, redirectsToHttps };
  } catch (e) {
    return { redirectsToHttps: false, error: (e as Error).message, errorCode: errorCode(e) };
  } finally {
    await agent.close().catch(() => {});
  }
}

/** GET https://host/ on the probed address: is Strict-Transport-Security sent? */
export async function checkHsts(host: string, port: number, address: string, trust: TrustStore, timeoutMs: number, identity?: ClientIdentity): Promise<HstsCheck> {
  const agent = pinnedAgent(address, trust, timeoutMs, identity);
  const t0 = performance.now();
  try {
    const res = await request(`https://${hostForUrl(host)}:${port}/`, { dispatcher: agent, method: 'GET', signal: AbortSignal.timeout(timeoutMs) } as never);
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
    return { status: res.statusCode, header: Array.isArray(h) ? h[0] : h, ...(refusal ? { clientCertRefusal: refusal } : {}), ...(altSvc ? { altSvc } : {}), ms };
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    await agent.close().catch(() => {});
  }
}

/** Bytes of a response head read at most before judging it. */
const MAX_HEAD = 16 * 1024;

/**
 * A WebSocket opening handshake (RFC 6455) over TLS to PATH. Written by hand rather than with
 * undici: we want the status line the proxy sent whatever it is, not an exception.
 */
export function checkWebSocket(host: string, port: number, address: string, path: string, trust: TrustStore, timeoutMs: number, identity?: ClientIdentity): Promise<WebSocketCheck> {
  let buf = '';
  const socket = tls.connect({ host: address, port, servername: isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'], rejectUnauthorized: false, secureContext: trust.context('http', identity) });
  return raceWithTimeout<WebSocketCheck>(
    timeoutMs,
    () => ({ path, upgraded: false, error: `no answer to the upgrade within ${timeoutMs} ms` }),
    () => socket.destroy(),
    (finish) => {
      socket.once('secureConnect', () => {
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: ${hostForUrl(host)}${port === 443 ? '' : `:${port}`}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nUser-Agent: tlsdoctor\r\n\r\n`,
        );
      });
      socket.on('data', (d: Buffer) => {
        buf += d.toString('latin1');
        // The head whole (a redirect's Location is in it), or as much of it as a sane proxy sends.
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0 && buf.length < MAX_HEAD) return;
        const head = buf.slice(0, end < 0 ? MAX_HEAD : end);
        const eol = head.indexOf('\r\n');
        const statusLine = head.slice(0, eol < 0 ? 200 : eol);
        const m = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine);
        const status = m ? Number(m[1]) : undefined;
        const location = /\r\nlocation:[ \t]*([^\r\n]*)/i.exec(head)?.[1]?.trim();
        finish({ path, status, statusLine, upgraded: status === 101, ...(location ? { location } : {}) });
      });
      socket.once('error', (e) => finish({ path, upgraded: false, error: e.message }));
      socket.once('end', () => finish({ path, upgraded: false, error: buf ? `closed after "${buf.split('\r\n')[0]}"` : 'closed without an answer' }));
    },
  );
}
