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
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
