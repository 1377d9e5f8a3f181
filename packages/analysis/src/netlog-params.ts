import type { Endpoint } from '@tlsdoctor/capture';
import type { NetlogEvent, NetlogNames } from '@tlsdoctor/netlog';
import { HandshakeType, parseAlert, parseClientHello, parseServerHello, type StreamEvent } from '@tlsdoctor/tls-parser-ts';
import type { NetErrorSeen, NetlogRecord, TimedFact } from './record.js';
import type { TlsFactsBuilder } from './tls-facts.js';

// What a NetLog event's params say, read as typed facts: numbers and strings the log may write
// either way, addresses, the pools' group names, PEM chains, and the handshake messages and
// alerts the browser logged whole (read as a stream reader's events are).

export function num(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function dependency(p: Record<string, unknown> | undefined): number | undefined {
  const d = p?.source_dependency as { id?: unknown } | undefined;
  return num(d?.id);
}

/** "198.18.2.14:443", "[fd7d:2::10]:443" → an endpoint. */
export function endpointOf(text: string | undefined): Endpoint | undefined {
  if (!text) return undefined;
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  return m ? { ip: m[1], port: Number(m[2]) } : undefined;
}

/**
 * A socket pool's group, "https://expired.lab.test <https://lab.test same_site>" or
 * "pm/https://host:8443 <null>": the scheme, host and port the connection is for.
 */
export function groupTarget(group: string | undefined): { scheme: string; host: string; port?: number } | undefined {
  const m = group && /(?:^|[/ ])([a-z][a-z0-9+.-]*):\/\/(\[[^\]]+\]|[^/:\s<>]+)(?::(\d+))?/i.exec(group);
  if (!m) return undefined;
  return { scheme: m[1].toLowerCase(), host: m[2].replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : undefined };
}


export function requestRecord(e: NetlogEvent, job: { host: string; port?: number; scheme: string }, err: NetErrorSeen, at: TimedFact, names: NetlogNames, logEnd: number): NetlogRecord {
  return {
    transport: 'netlog',
    kind: 'request',
    id: e.sourceId,
    host: job.host,
    port: job.port ?? 443,
    firstTime: at.time,
    lastTime: at.time,
    firstEvent: e.index,
    lastEvent: e.index,
    dns: err,
    bytes: [0, 0],
    cut: false,
    logEnd,
    clockAnchored: names.clockAnchored,
    captureMode: names.captureMode,
    clientHelloCount: 0,
    certificates: [],
    certificateRequested: false,
    messages: [],
    alerts: [],
    parseErrors: [],
    incomplete: false,
    partialReasons: [],
  };
}

/** PEM blocks (as the log writes chains) to DER. */
export function ders(v: unknown): Uint8Array[] {
  if (!Array.isArray(v)) return [];
  const out: Uint8Array[] = [];
  for (const pem of v.slice(0, 16)) {
    if (typeof pem !== 'string') continue;
    const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    if (b64) out.push(Buffer.from(b64, 'base64'));
  }
  return out;
}

/** A handshake message the browser logged whole (type, length, body), read as a stream reader's event. */
export function handshakeMessage(b: TlsFactsBuilder, dir: 0 | 1, b64: string | undefined, at: TimedFact): number | undefined {
  if (!b64) return undefined;
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length < 4) return undefined;
  const msgType = bytes[0];
  const body = bytes.subarray(4);
  const ev: StreamEvent & { kind: 'handshake' } = { kind: 'handshake', offset: 0, msgType, body };
  try {
    if (msgType === HandshakeType.ClientHello && dir === 0) ev.clientHello = parseClientHello(body, 4);
    else if (msgType === HandshakeType.ServerHello && dir === 1) ev.serverHello = parseServerHello(body, 4);
  } catch (e) {
    if (b.facts.parseErrors.length < 8) b.facts.parseErrors = [...b.facts.parseErrors, { from: dir === 0 ? 'client' : 'server', message: (e as Error).message, offset: 0 }];
    return bytes.length;
  }
  b.event(dir, ev, at);
  return bytes.length;
}

export function alertMessage(b: TlsFactsBuilder, dir: 0 | 1, b64: string | undefined, at: TimedFact): void {
  if (!b64) return;
  try {
    b.event(dir, { kind: 'alert', offset: 0, alert: parseAlert(Buffer.from(b64, 'base64')) }, at);
  } catch {
    /* an alert of the wrong size is not one */
  }
}
