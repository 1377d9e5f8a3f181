import { TlsdoctorError } from '@tlsdoctor/tls-parser-ts';
import { domainToASCII } from 'node:url';
import { isIP } from 'node:net';

export interface Target {
  /** As the user wrote it. */
  input: string;
  /** Host name in ASCII (punycode for IDN), or an IP literal without brackets. */
  host: string;
  port: number;
  path: string;
  isIp: boolean;
  /** How the user wrote it: a bare host, https://, or a WebSocket URL (wss://; ws:// is probed as wss://). */
  scheme: 'host' | 'https' | 'wss';
  /** The user wrote ws://: plain WebSocket, probed as its TLS form (clients on https pages and mini-programs need wss://). */
  fromPlainWs?: boolean;
}

/** A target or --resolve value that cannot be probed. */
export class TargetError extends TlsdoctorError {
  readonly code = 'BAD_TARGET';
}

/** Reads `host`, `host:port`, `https://host[:port]/path`, IPv4, `[v6]:port`, bare IPv6 and IDN names. */
export function parseTarget(input: string, defaultPort = 443): Target {
  const raw = input.trim();
  if (raw === '') throw new TargetError('empty target');
  let host: string;
  let portText: string | undefined;
  let path = '/';
  let scheme: Target['scheme'] = 'host';
  let fromPlainWs = false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new TargetError(`"${raw}" is not a valid URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'wss:' && url.protocol !== 'ws:') throw new TargetError(`"${raw}": only https://, wss:// or ws:// targets can be probed for TLS`);
    scheme = url.protocol === 'https:' ? 'https' : 'wss';
    fromPlainWs = url.protocol === 'ws:';
    host = url.hostname.replace(/^\[|\]$/g, '');
    // ws:// has port 80 by default; its TLS form is on 443 unless a port is written.
    portText = url.port || undefined;
    path = url.pathname + url.search || '/';
  } else if (isIP(raw) === 6) {
    host = raw;
  } else {
    const m = /^\[([^\]]+)\](?::(.*))?$/.exec(raw) ?? /^([^:/]+)(?::([^/]*))?(\/.*)?$/.exec(raw);
    if (!m) throw new TargetError(`"${raw}" is not a host, host:port or https:// URL`);
    host = m[1];
    portText = m[2];
    if (m[3]) path = m[3];
  }
  let port = defaultPort;
  if (portText !== undefined) {
    if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw new TargetError(`"${raw}": the port must be a number from 1 to 65535 (got "${portText}")`);
    }
    port = Number(portText);
  }
  if (isIP(host) === 0) {
    const ascii = domainToASCII(host.toLowerCase());
    if (!ascii) throw new TargetError(`"${raw}": "${host}" is not a valid host name`);
    // 127.1 and 0x7f000001 are IPv4 addresses to URL parsing and to getaddrinfo: no name to send as SNI.
    host = ascii;
  }
  const isIp = isIP(host) !== 0;
  return { input: raw, host, port, path, isIp, scheme, ...(fromPlainWs ? { fromPlainWs } : {}) };
}

/** curl's --resolve HOST:PORT:ADDR (ADDR may be bracketed IPv6). */
export function parseResolve(spec: string): { host: string; port: number; address: string } {
  const m = /^([^:]+):(\d+):(.+)$/.exec(spec.trim());
  if (!m) throw new TargetError(`--resolve "${spec}": expected HOST:PORT:ADDRESS`);
  const address = m[3].replace(/^\[|\]$/g, '');
  if (isIP(address) === 0) throw new TargetError(`--resolve "${spec}": "${address}" is not an IP address`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new TargetError(`--resolve "${spec}": the port must be from 1 to 65535`);
  return { host: domainToASCII(m[1].toLowerCase()) || m[1], port, address };
}
