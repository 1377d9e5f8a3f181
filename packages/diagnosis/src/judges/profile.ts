import { isIP } from 'node:net';
import type { ProbeRecord } from '@tlsdoctor/probe';
import { findingsOf, type Finding } from '../finding.js';

/** What the client profile itself requires of the target (WeChat's domain rules). */
export const PROFILE_CODES = {
  DOMAIN_NOT_ALLOWED: { severity: 'error', title: 'The client profile does not allow this domain', remedy: 'For a WeChat mini-program: add the domain to the request (or socket) domain list in the mini-program admin console; use a domain name with an ICP filing, not an IP address.' },
} as const;

const finding = findingsOf(PROFILE_CODES);

export function judgeProbeProfile(r: ProbeRecord): Finding[] {
  if (!r.profile.domainRules) return [];
  const host = r.target.host;
  if (r.target.isIp || isIP(host)) return [finding('DOMAIN_NOT_ALLOWED', [`${host} is an IP address: mini-programs only reach domain names on their allow list`])];
  const list = r.allowList;
  if (!list) return [];
  // The console lists `host:port` where a port is written: the fix names the entry to add.
  const entry = r.target.port === 443 ? host : `${host}:${r.target.port}`;
  const remedy = `For a WeChat mini-program: add \`${entry}\` to the request (or socket) domain list in the mini-program admin console (a domain name with an ICP filing, not an IP address).`;
  if (list.length === 0) return [finding('DOMAIN_NOT_ALLOWED', ['the allow list holds no domain: it allows none (is it the right file?)'], { remedy })];
  if (!list.includes(host)) return [finding('DOMAIN_NOT_ALLOWED', [`${host} is not on the allow list (${list.length} entr${list.length === 1 ? 'y' : 'ies'})`], { remedy })];
  if (r.target.port !== 443 && !list.includes(entry)) return [finding('DOMAIN_NOT_ALLOWED', [`port ${r.target.port}: an https entry without a port allows no explicit port`], { remedy })];
  return [];
}
