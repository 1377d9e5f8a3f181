import { BlockList, isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { TlsdoctorError } from '@tlsdoctor/tls-parser-ts';

/** An allow-list file or entry that cannot be read. */
export class AllowListError extends TlsdoctorError {
  readonly code = 'BAD_ALLOW_LIST';
}

/**
 * Addresses no name may reach unless an address entry allows them: loopback, the private and
 * shared ranges, link-local (where clouds answer metadata requests: 169.254.169.254, and
 * Alibaba's 100.100.100.200 in the shared range), benchmarking, multicast and reserved
 * (RFC 6890's special-purpose registry, the ranges a request forger aims at). A name resolving
 * into one of them is how an exporter gets turned into a proxy into its own network.
 */
const SPECIAL_RANGES: readonly [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

function specialRanges(): BlockList {
  const list = new BlockList();
  for (const [net, prefix, type] of SPECIAL_RANGES) list.addSubnet(net, prefix, type);
  return list;
}

/** Ports an entry allows: a set, or every port. */
type Ports = ReadonlySet<number> | 'any';

export type AllowEntry =
  | { kind: 'name'; text: string; /** Lower-case ASCII; `*.` at the front stands for one or more labels. */ pattern: string; ports: Ports }
  | { kind: 'network'; text: string; list: BlockList; ports: Ports };

/** One connection a probe is about to make. */
export interface Connection {
  /** The name the connection is for (what a name entry is matched against), or the address itself. */
  host: string;
  address: string;
  port: number;
}

function parsePorts(text: string | undefined, entry: string): Ports {
  if (text === undefined || text === '*') return 'any';
  const ports = new Set<number>();
  for (const p of text.split(',')) {
    if (!/^\d{1,5}$/.test(p) || Number(p) < 1 || Number(p) > 65535) throw new AllowListError(`"${entry}": "${p}" is not a port from 1 to 65535`);
    ports.add(Number(p));
  }
  return ports;
}

/**
 * Reads one entry: `example.com`, `*.example.com`, `192.0.2.7`, `203.0.113.0/24`, `2001:db8::/32`,
 * each optionally followed by `:PORT[,PORT...]` (IPv6 in brackets then: `[2001:db8::/32]:443` or
 * `[2001:db8::]/32:443`).
 * Without a port, every port is allowed.
 */
export function parseAllowEntry(raw: string): AllowEntry {
  const text = raw.trim();
  let host: string;
  let portText: string | undefined;
  // The prefix inside or after the brackets: [2001:db8::/32]:443 and [2001:db8::]/32:443.
  const bracketed = /^\[([^\]]+)\](\/[^:]*)?(?::(.+))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1] + (bracketed[2] ?? '');
    portText = bracketed[3];
  }
  else if (isIP(text.split('/')[0]) === 6) host = text;
  else {
    const colon = text.lastIndexOf(':');
    host = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
  }
  const ports = parsePorts(portText, text);
  const [address, prefixText, extra] = host.split('/');
  const family = isIP(address);
  if (family !== 0) {
    const max = family === 4 ? 32 : 128;
    if (extra !== undefined || (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))) throw new AllowListError(`"${text}": a network is ADDRESS/PREFIX`);
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (prefix > max) throw new AllowListError(`"${text}": an IPv${family} prefix is at most /${max}`);
    const list = new BlockList();
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
    return { kind: 'network', text, list, ports };
  }
  if (prefixText !== undefined) throw new AllowListError(`"${text}": "${address}" is not an IP address, so it cannot have a prefix`);
  const wildcard = host.startsWith('*.');
  const ascii = domainToASCII((wildcard ? host.slice(2) : host).toLowerCase());
  if (!ascii || ascii.includes('*')) throw new AllowListError(`"${text}": not a host name, *.name, address or network`);
  return { kind: 'name', text, pattern: wildcard ? `*.${ascii}` : ascii, ports };
}

const portAllowed = (ports: Ports, port: number) => ports === 'any' || ports.has(port);

function nameMatches(pattern: string, host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!pattern.startsWith('*.')) return h === pattern;
  const suffix = pattern.slice(1);
  return h.length > suffix.length && h.endsWith(suffix);
}

const familyOf = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/**
 * What an exporter may probe. A target is allowed by name (its name matches a name entry) or by
 * address (an address entry holds it), with the port; every connection a probe makes is checked
 * again, on the address it goes to: an allowed name that resolves to a special-purpose address
 * (loopback, private, link-local, metadata) is refused unless an address entry allows that address.
 */
export class AllowList {
  private readonly special = specialRanges();

  private constructor(readonly entries: readonly AllowEntry[], readonly any: boolean) {}

  /** Lines of a file: one entry each, `#` starts a comment. */
  static parse(text: string, source = 'allow list'): AllowList {
    const entries: AllowEntry[] = [];
    text.split(/\r?\n/).forEach((line, i) => {
      const l = line.replace(/#.*/, '').trim();
      if (!l) return;
      try {
        entries.push(parseAllowEntry(l));
      } catch (e) {
        if (e instanceof AllowListError) throw new AllowListError(`${source} line ${i + 1}: ${e.message}`);
        throw e;
      }
    });
    if (entries.length === 0) throw new AllowListError(`${source} holds no entry: every target would be refused`);
    return new AllowList(entries, false);
  }

  /** --allow-any: every target and address, for an exporter that has nothing to protect. */
  static any(): AllowList {
    return new AllowList([], true);
  }

  /** Why a target may not be probed at all (before any lookup), or undefined when it may. */
  refuseTarget(host: string, port: number): string | undefined {
    if (this.any) return undefined;
    const ip = isIP(host) !== 0;
    for (const e of this.entries) {
      if (!portAllowed(e.ports, port)) continue;
      if (e.kind === 'name' ? !ip && nameMatches(e.pattern, host) : ip && e.list.check(host, familyOf(host))) return undefined;
    }
    return `${host}:${port} is not in the allow list`;
  }

  /** Why one connection may not be made, or undefined when it may. */
  refuseConnection(c: Connection): string | undefined {
    if (this.any) return undefined;
    for (const e of this.entries) if (e.kind === 'network' && portAllowed(e.ports, c.port) && e.list.check(c.address, familyOf(c.address))) return undefined;
    const byName = isIP(c.host) === 0 && this.entries.some((e) => e.kind === 'name' && portAllowed(e.ports, c.port) && nameMatches(e.pattern, c.host));
    if (!byName) return `${c.host === c.address ? c.address : `${c.host} (${c.address})`} port ${c.port} is not in the allow list`;
    if (this.special.check(c.address, familyOf(c.address))) return `${c.host} resolves to ${c.address}, a special-purpose address (loopback, private, link-local or metadata) that no address entry allows`;
    return undefined;
  }
}
