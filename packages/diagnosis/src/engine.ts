import type { Finding } from './finding.js';
import { PRECEDENCE } from './precedence.js';

const RANK: ReadonlyMap<string, number> = new Map(PRECEDENCE.map((p, i) => [p.code, i]));

/**
 * Orders every finding of one connection or address by precedence, the primary first. A code
 * found twice (two judges, or one judge on two grounds) is listed once, with the first
 * finding's evidence. An `ok` finding says nothing is wrong, so it is not listed beside an error.
 */
export function decide(findings: Finding[]): Finding[] {
  const byCode = new Map<string, Finding>();
  for (const f of findings) if (!byCode.has(f.code)) byCode.set(f.code, f);
  const all = [...byCode.values()];
  const failed = all.some((f) => f.severity === 'error');
  return all.filter((f) => !(failed && f.severity === 'ok')).sort((a, b) => rank(a) - rank(b));
}

function rank(f: Finding): number {
  const r = RANK.get(f.code);
  // A code missing from the order is a programming error; the precedence test catches it first.
  if (r === undefined) throw new Error(`diagnosis code ${f.code} has no place in PRECEDENCE`);
  return r;
}
