import type { TcpRecord } from '@tlsdoctor/analysis';
import { describeHello, versionLines } from '../probe-words.js';
import type { ProbeRecord } from '@tlsdoctor/probe';
import { AlertDescription, cipherSuiteName, versionName } from '@tlsdoctor/tls-parser-ts';
import { compact } from '../evidence.js';
import { findingsOf, type Finding } from '../finding.js';
import { alertLine } from './hello-line.js';
import { cipherRefusal, cipherRefusals } from './versions.js';

/** Whether the two ends share a cipher suite (and the groups and signatures it needs). */
export const CIPHER_CODES = {
  NO_SHARED_CIPHER: {
    severity: 'error',
    title: 'No cipher suite in common',
    remedy: 'Offer a current cipher list on the server (Mozilla "intermediate": ECDHE with AES-GCM or ChaCha20-Poly1305), and make sure the certificate key type (RSA or ECDSA) matches the suites offered.',
  },
} as const;

const finding = findingsOf(CIPHER_CODES);

/** Alerts a server sends when nothing in the ClientHello is acceptable to it. */
const NOTHING_ACCEPTABLE: ReadonlySet<number> = new Set([AlertDescription.HandshakeFailure, AlertDescription.InsufficientSecurity]);
const LISTED = 8;

function suiteList(suites: number[], n: number): string {
  return `${suites.slice(0, n).map(cipherSuiteName).join(', ')}${suites.length > n ? ', ...' : ''}`;
}

export function judgeCaptureCiphers(r: TcpRecord): Finding[] {
  const a = r.alerts.find((x) => x.from === 'server' && NOTHING_ACCEPTABLE.has(x.description));
  if (!a || r.serverHello) return [];
  const ch = r.clientHello;
  return [
    finding('NO_SHARED_CIPHER', compact([
      ch && `the client offered ${ch.cipherSuites.length} cipher suites: ${suiteList(ch.cipherSuites, LISTED)}`,
      alertLine(r, a),
      'no ServerHello: the server found nothing it accepts in the ClientHello (cipher suites, or groups/signature algorithms for them)',
    ])),
  ];
}

export function judgeProbeCiphers(r: ProbeRecord, probedSuites: number): Finding[] {
  const out: Finding[] = [];
  if (cipherRefusal(r)) {
    out.push(
      finding('NO_SHARED_CIPHER', [
        `the server refused every probe, ${cipherRefusals(r).map((c) => versionName(c.version)).join(' and ')} with handshake_failure: it finds no suite it accepts among the ${probedSuites} usual ones`,
        ...versionLines(r),
      ]),
    );
  }
  const p = r.profileHello;
  // The profile's own hello refused for its suites: a handshake_failure, or a server that just closes.
  const refused = p && ((p.kind === 'alert' && NOTHING_ACCEPTABLE.has(p.alert.description)) || p.kind === 'closed' || p.kind === 'reset');
  if (refused) {
    out.push(
      finding('NO_SHARED_CIPHER', [
        `${r.profile.label} offers ${r.profile.suites.length} suites (${suiteList(r.profile.suites, 6)})`,
        `the server answered: ${describeHello(p)}`,
        ...(r.ciphers?.versions ?? []).map((c) => `the server accepts for ${versionName(c.version)}: ${c.suites.map((s) => cipherSuiteName(s.suite)).join(', ') || 'none of the registry'}`),
      ]),
    );
  }
  return out;
}
