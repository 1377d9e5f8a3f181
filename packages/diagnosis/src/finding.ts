export type Severity = 'error' | 'warning' | 'info' | 'ok';

export interface CodeInfo {
  severity: Severity;
  title: string;
  /** The fix, in words a support ticket can carry. */
  remedy: string;
}

export interface Finding {
  code: string;
  severity: Severity;
  title: string;
  /** Facts from the wire that support the finding, one per line. */
  evidence: string[];
  remedy: string;
}

export type Overrides = Partial<Pick<Finding, 'title' | 'remedy' | 'severity'>>;

/**
 * A judge's own finding maker, bound to the codes it owns: a judge cannot emit a code that is
 * not in its table, and the table is where its titles and fixes live.
 */
export function findingsOf<C extends string>(codes: Record<C, CodeInfo>) {
  return (code: C, evidence: string[], overrides: Overrides = {}): Finding => {
    const info = codes[code];
    return { code, severity: overrides.severity ?? info.severity, title: overrides.title ?? info.title, evidence, remedy: overrides.remedy ?? info.remedy };
  };
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, ok: 3 };

export function worst(severities: Severity[]): Severity {
  return severities.reduce<Severity>((a, b) => (RANK[b] < RANK[a] ? b : a), 'ok');
}
