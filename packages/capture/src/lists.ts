/**
 * The empty list a record starts its rarely used lists with (RSTs, FINs, ICMP messages, waiting
 * segments; in the analysis alerts, certificates, parse errors), shared and frozen: the first
 * item replaces it with a list of the record's own. Most connections never fill most of those
 * lists, and every object a live connection holds is one more for the garbage collector to move
 * (docs/performance.md).
 */
export const NONE: never[] = Object.freeze([]) as unknown as never[];

/** Adds an item to a list that may still be the shared empty one; returns the list to keep. */
export function appended<T>(list: T[], item: T): T[] {
  if (list === NONE) return [item];
  list.push(item);
  return list;
}
