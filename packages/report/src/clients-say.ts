import { typicalMessages, type Code, type Finding } from '@tlsdoctor/diagnosis';

/**
 * What clients typically print for a finding ("curl: (60) ...; Chrome: net::ERR_CERT_DATE_INVALID"),
 * from the same catalogue `tlsdoctor explain` reads, so that a pasted report matches what the
 * user saw. Only for errors and warnings: a healthy row has nothing to match.
 */
export function clientsSay(f: Finding, quote: (m: string) => string = (m) => `"${m}"`): string | undefined {
  if (f.severity !== 'error' && f.severity !== 'warning') return undefined;
  const t = typicalMessages(f.code as Code, 3);
  // curl names itself in its messages; the others are named here.
  return t.length > 0 ? t.map((m) => (m.message.startsWith(`${m.client}:`) ? quote(m.message) : `${m.client}: ${quote(m.message)}`)).join('; ') : undefined;
}
