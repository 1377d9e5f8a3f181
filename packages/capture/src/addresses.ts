// IP addresses as text (for what is handed on) and as keys (for the connection table, made
// twice for every packet).

export function formatAddr(b: Uint8Array, at: number, version: 4 | 6): string {
  if (version === 4) return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[at + i] << 8) | b[at + i + 1]);
  return formatIpv6Groups(groups);
}

/** An address as formatAddr writes it, from its key (addrKey). */
export function formatAddrKey(key: string | number): string {
  if (typeof key === 'number') return `${key >>> 24}.${(key >>> 16) & 0xff}.${(key >>> 8) & 0xff}.${key & 0xff}`;
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(key.charCodeAt(i));
  return formatIpv6Groups(groups);
}

/** An IPv6 address from its eight 16-bit groups, as RFC 5952 writes it. */
function formatIpv6Groups(groups: number[]): string {
  // Compress the longest run of two or more zero groups.
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hexg = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hexg.join(':');
  return `${hexg.slice(0, bestStart).join(':')}::${hexg.slice(bestStart + bestLen).join(':')}`;
}

/**
 * A map key for an address, made twice for every packet: for IPv4 its 32 bits as a signed
 * integer; for IPv6 one string of 8 characters, the 16-bit groups (text built group by group
 * took 0.4-0.6 µs a key with a dozen allocations, this 0.05-0.1 µs).
 *
 * Signed, not the address as an unsigned number: V8 keeps a signed 32-bit integer unboxed, while
 * an unsigned one of 2^31 or more (every address from 128.0.0.0 on) is a heap number, allocated
 * for each key and stored boxed in each connection entry; and an entry field that held both
 * kinds changed its representation mid-capture, which threw away the tracker's compiled code.
 */
export function addrKey(b: Uint8Array, at: number, version: 4 | 6): string | number {
  if (version === 4) return (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
  const g = (i: number) => (b[at + i] << 8) | b[at + i + 1];
  return String.fromCharCode(g(0), g(2), g(4), g(6), g(8), g(10), g(12), g(14));
}
