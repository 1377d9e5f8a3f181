import type { ProbeRecord } from '@tlsdoctor/probe';
import { findingsOf, type Finding } from '../finding.js';

/** Name resolution, the probe's first step. */
export const RESOLVER_CODES = {
  DNS_NO_ADDRESS: { severity: 'error', title: 'The name has no address', remedy: 'Add A (and AAAA) records for the name, or fix the name in the client.' },
  DNS_ERROR: { severity: 'error', title: 'The name could not be resolved', remedy: 'Check the name and the resolver; the resolver\'s error is in the evidence.' },
} as const;

const finding = findingsOf(RESOLVER_CODES);

/** getaddrinfo's answers that mean "no such name or no address for it", as opposed to a failure. */
const NO_ADDRESS = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NODATA']);

export function judgeProbeDns(r: ProbeRecord): Finding[] {
  if (r.address) return [];
  const e = r.dns.error;
  if (!e || NO_ADDRESS.has(e.code)) {
    return [finding('DNS_NO_ADDRESS', [`getaddrinfo(${r.target.host}) found no address${e ? ` (${e.code})` : ''}: neither the hosts file nor DNS has an A or AAAA record`])];
  }
  return [finding('DNS_ERROR', [`getaddrinfo(${r.target.host}) failed: ${e.code}: ${e.message}`])];
}
