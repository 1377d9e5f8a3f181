import { ipBytes } from '@tlsdoctor/analysis';
import type { NameConstraints } from '@tlsdoctor/tls-parser-ts';

/**
 * RFC 5280 4.2.1.10 for DNS names, as OpenSSL (nc_dns) and Chrome (DNSNameMatches) apply it: a
 * constraint "example.com" covers example.com and any name under it; ".example.com" (a leading
 * dot, which RFC 5280 leaves to URIs but both verifiers accept) only names under it; an empty
 * constraint covers every name. Case does not count; a trailing dot neither.
 */
export function dnsWithin(name: string, constraint: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const c = constraint.toLowerCase().replace(/\.$/, '');
  if (c === '') return true;
  if (c.startsWith('.')) return n.endsWith(c);
  return n === c || n.endsWith(`.${c}`);
}

/** An address inside "192.0.2.0/24" or "2001:db8::/32": the same family, the prefix's bits equal. */
export function ipWithin(address: string, range: string): boolean {
  const [net, bitsText] = range.split('/');
  const a = ipBytes(address);
  const n = ipBytes(net);
  const bits = Number(bitsText);
  if (!a || !n || a.length !== n.length || !Number.isInteger(bits)) return false;
  for (let i = 0; i < a.length; i++) {
    const left = Math.min(8, Math.max(0, bits - i * 8));
    const mask = (0xff << (8 - left)) & 0xff;
    if ((a[i] & mask) !== (n[i] & mask)) return false;
  }
  return true;
}

/**
 * Why a SAN breaks a CA's name constraints, or undefined when it does not: inside an excluded
 * subtree, or outside every permitted subtree of its kind (a kind with no permitted subtree is
 * not limited).
 */
export function constraintBroken(san: string, nc: NameConstraints): string | undefined {
  const ip = ipBytes(san) !== undefined;
  const within = ip ? ipWithin : dnsWithin;
  const excluded = ip ? nc.excludedIp : nc.excludedDns;
  const permitted = ip ? nc.permittedIp : nc.permittedDns;
  const hit = excluded.find((c) => within(san, c));
  if (hit !== undefined) return `${san} is inside the excluded subtree ${hit || '(every name)'}`;
  if (permitted.length > 0 && !permitted.some((c) => within(san, c))) return `${san} is outside the permitted subtrees ${permitted.join(', ')}`;
  return undefined;
}
