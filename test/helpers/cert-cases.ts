// The certificate cases of lab/cert-cases.mjs, as the tests read them: the typed case, the
// verdict of openssl verify, and the codes a tlsdoctor JSON report gives.
import { spawnSync } from 'node:child_process';

/** A case as makeCertCases returns it (only what the tests read). */
export interface CertCase {
  id: string;
  chain: string[];
  name?: string;
  /** The name as an A-label (what a resolver and the SNI carry). */
  asciiName?: string;
  purpose: 'server' | 'client';
  at?: string;
  codes: string[];
  openssl: string;
  why?: string;
  serve?: false;
  notServed?: string;
  weak?: boolean;
  isIp: boolean;
  chainFile: string;
  leafFile: string;
  keyFile: string;
  caFile: string;
}

/** openssl verify's verdict: OK, or the text of the first error it names. */
export function opensslVerdict(args: string[]): { verdict: string; output: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8', timeout: 20_000 });
  const output = `${r.stdout}${r.stderr}`;
  if (r.status === 0) return { verdict: 'OK', output };
  return { verdict: /error \d+ at \d+ depth lookup: (.*)/.exec(output)?.[1] ?? output.trim(), output };
}

interface Diagnosed {
  diagnoses?: { code: string; severity: string }[];
}

/**
 * The error and warning codes of a JSON report, sorted and each once: from every list of items
 * that carry diagnoses (a probe's `targets`, a capture's `connections`; the cert command's
 * items are assumed to have the same shape under whatever name its report gives them).
 */
export function reportCodes(report: Record<string, unknown>): string[] {
  const lists = Object.values(report).filter((v): v is Diagnosed[] => Array.isArray(v) && v.some((x) => x && typeof x === 'object' && 'diagnoses' in x));
  if (lists.length === 0) throw new Error(`no items with diagnoses in the report: ${Object.keys(report).join(', ')}`);
  const codes = lists.flat().flatMap((item) => (item.diagnoses ?? []).filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => d.code));
  return [...new Set(codes)].sort();
}

/** Where the two verdicts differ: openssl accepts and tlsdoctor finds something, or the other way. */
export function verdictsDiffer(c: Pick<CertCase, 'openssl' | 'codes'>): boolean {
  return (c.openssl === 'OK') !== (c.codes.length === 0);
}
