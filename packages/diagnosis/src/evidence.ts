import { icmpWords, type IcmpFacts } from '@tlsdoctor/capture';
/** Evidence lines without the ones a condition left out. */
export const compact = (xs: (string | undefined | false | null)[]): string[] => xs.filter((x): x is string => !!x);

/** A duration for evidence: lab and LAN round trips are fractions of a millisecond. */
export function ms(seconds: number): string {
  const v = seconds * 1000;
  return `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
}

/** A capture time as reports show it: milliseconds since the connection's first packet. */
export function since(first: number, t: number): string {
  return `+${ms(t - first)}`;
}

/** "1 sign", "2 signs". */
/** Where an ICMP error was seen: its sender, frame and time since the connection's first packet. */
export function icmpSeen(r: { firstTime: number }, i: { from: string; frame: number; time: number }): string {
  return `from ${i.from} in frame ${i.frame} (${since(r.firstTime, i.time)})`;
}

/** ICMP errors listed one by one in evidence; past them, a count. */
const ICMP_SHOWN = 3;

/**
 * ICMP errors that came back without refusing the connection (a TTL run out, a packet too big),
 * each on its line, the first few: for a connection no unreachable answered, whose every ICMP
 * error is then one of these.
 */
export function notRefusing(r: { ipVersion: 4 | 6; firstTime: number }, icmp: readonly IcmpFacts[]): string[] {
  const lines = icmp.slice(0, ICMP_SHOWN).map((i) => `${icmpWords(r.ipVersion, i)} ${icmpSeen(r, i)}, which does not refuse a connection`);
  if (icmp.length > ICMP_SHOWN) lines.push(`and ${plural(icmp.length - ICMP_SHOWN, 'more ICMP error')}`);
  return lines;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Text from the wire, bounded and with its control characters shown as \xNN, for one line of evidence. */
export function quoted(text: string, max = 120): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return `"${cut.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`;
}
