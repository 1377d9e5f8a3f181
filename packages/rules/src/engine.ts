import type { Finding } from './codes.js';

/**
 * A rule: a small module that looks at one subject (a captured connection, a probed target) and
 * may return a finding. `primary` rules compete for the one diagnosis of the subject, in the
 * order given; the others add secondary findings.
 */
export interface Rule<S, C = unknown> {
  id: string;
  /** What the rule reads, for docs and for --verbose. */
  needs: string;
  primary: boolean;
  match(subject: S, ctx: C): Finding | undefined;
}

export interface Diagnosis {
  /** The primary diagnosis first, then secondary findings. */
  findings: Finding[];
}

export function runRules<S, C>(rules: readonly Rule<S, C>[], subject: S, ctx: C): Finding[] {
  const out: Finding[] = [];
  let primary: Finding | undefined;
  for (const rule of rules) {
    if (rule.primary && primary) continue;
    const f = rule.match(subject, ctx);
    if (!f) continue;
    if (rule.primary) primary = f;
    else if (!out.some((x) => x.code === f.code) && f.code !== primary?.code) out.push(f);
  }
  return primary ? [primary, ...out.filter((f) => f.code !== primary.code)] : out;
}
