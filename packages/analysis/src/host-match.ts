import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

/**
 * An IP address as its 4 or 16 bytes, so that "2001:db8::1" and "2001:DB8:0:0:0:0:0:1" (as Node
 * prints an IP SAN) compare equal; undefined when the text is no address.
 */
export function ipBytes(text: string): number[] | undefined {
  const kind = isIP(text);
  if (kind === 4) return text.split('.').map(Number);
  if (kind !== 6) return undefined;
  // An IPv4 tail ("::ffff:192.0.2.1") is two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let t = text;
  if (v4) {
    const b = v4[1].split('.').map(Number);
    t = `${text.slice(0, -v4[1].length)}${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const [head, tail] = t.includes('::') ? t.split('::') : [t, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const rest = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - rest.length).fill('0'), ...rest];
  return all.flatMap((g) => {
    const v = parseInt(g, 16);
    return [v >> 8, v & 0xff];
  });
}

const sameBytes = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Whether a host name or IP address is covered by the SANs, as browsers match (RFC 6125, CA/B
 * Forum BR 7.1.4.2): only the SANs count (the CN never); an address matches only an address SAN,
 * byte for byte; a name is compared in its IDNA (punycode) form, case-insensitively; a wildcard is
 * a whole left-most label ("*.example.com"), covers exactly one label, and never stands for a
 * label under a one-label suffix ("*.com"). Without the public suffix list a wildcard over a
 * multi-label suffix ("*.co.uk") is not recognised as one. `ipSans` are the SANs that are IP
 * addresses: a dNSName holding an address's text matches no address (Chrome, RFC 6125 3.1.3.2).
 */
export function hostMatches(host: string, sans: readonly string[], ipSans: readonly string[] = sans): boolean {
  const ip = ipBytes(host.replace(/^\[|\]$/g, ''));
  if (ip) return ipSans.some((s) => {
    const b = ipBytes(s);
    return b !== undefined && sameBytes(b, ip);
  });
  const h = (domainToASCII(host) || host).toLowerCase().replace(/\.$/, '');
  for (const raw of sans) {
    if (isIP(raw)) continue;
    const s = raw.toLowerCase().replace(/\.$/, '');
    if (s === h) return true;
    if (!s.startsWith('*.')) continue;
    const rest = s.slice(2);
    const dot = h.indexOf('.');
    if (dot > 0 && !rest.includes('*') && rest.includes('.') && h.slice(dot + 1) === rest) return true;
  }
  return false;
}
