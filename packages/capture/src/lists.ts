/**
 * The empty list a record starts its rarely used lists with (RSTs, FINs, ICMP messages, waiting
 * segments; in the analysis alerts, certificates, parse errors), shared and frozen: the first
 * item replaces it with a list of the record's own. Most connections never fill most of those
 * lists, and every object a live connection holds is one more for the garbage collector to move
 * (docs/performance.md).
 */
export const NONE: never[] = Object.freeze([]) as unknown as never[];

/** Lists up to this long grow by copying into one of the exact new size. */
const EXACT_UP_TO = 16;

/**
 * Adds an item to a list that may still be the shared empty one; returns the list to keep.
 * A short list is copied into a new one of exactly its new length: `push` would reserve room
 * for 17 items at the second, and a live connection holds a dozen such lists. Past that length
 * `push` takes over, so a long list still grows in amortised constant time.
 */
export function appended<T>(list: T[], item: T): T[] {
  if (list === NONE) return [item];
  if (list.length < EXACT_UP_TO) return list.concat([item]);
  list.push(item);
  return list;
}
