import type { TcpRecord } from '@tlsdoctor/analysis';
import { versionLines } from '../probe-words.js';
import type { ProbeRecord } from '@tlsdoctor/probe';
import { cipherSuiteName, HandshakeType, isTls13, versionName } from '@tlsdoctor/tls-parser-ts';
import { compact, ms } from '../evidence.js';
import { findingsOf, type Finding } from '../finding.js';
import { leafLine } from './certificate.js';
import { clientFinished, handshakeComplete } from './handshake-state.js';
import { endLine } from './hello-line.js';

/** How far the handshake got: completed, or abandoned by the client after the server's flight. */
export const HANDSHAKE_CODES = {
  HANDSHAKE_OK: { severity: 'ok', title: 'TLS handshake completed', remedy: 'Nothing to fix in the handshake.' },
  CLIENT_ABORTED: {
    severity: 'error',
    title: 'The client gave up after the server\'s handshake messages',
    remedy: 'In TLS 1.3 the certificate and the client\'s alert are encrypted, so a capture cannot show the reason. The most likely cause is that the client rejected the certificate (expired, wrong name, untrusted, incomplete chain). Run `tlsdoctor probe HOST` to fetch and check the chain.',
  },
} as const;

const finding = findingsOf(HANDSHAKE_CODES);

/** TLS ≤ 1.2 shows the chain and alerts in clear: an abort without an alert is the client's own choice. */
const ABORT_REMEDY_CLEAR = 'The client closed after the server\'s flight without sending an alert, so the wire does not say why. Check the certificate faults listed with this connection, if any; otherwise the client\'s own log has the reason (a certificate its policy or a pinned key refuses, a version or key size it will not use, a user who cancelled). `tlsdoctor probe HOST` checks the chain as the server sends it.';

/**
 * A capture. `explained` is true when another judge already names a fault the client would
 * abort for (a certificate error): then the abort is that fault's evidence, not a finding.
 */
export function judgeCaptureHandshake(r: TcpRecord, explained: boolean): Finding[] {
  const sh = r.serverHello;
  if (!sh) return [];
  if (handshakeComplete(r)) {
    return [
      finding('HANDSHAKE_OK', compact([
        `${versionName(sh.version)}, ${cipherSuiteName(sh.cipherSuite)}${r.alpn ? `, ALPN ${r.alpn}` : ''}`,
        `ServerHello ${ms(sh.time - (r.clientHello?.time ?? sh.time))} after the ClientHello`,
        r.helloRetryRequest && `after a HelloRetryRequest in frame ${r.helloRetryRequest.frame}`,
      ])),
    ];
  }
  if (explained || clientFinished(r) || !r.end) return [];
  const tls13 = isTls13(r.version);
  const serverDone = tls13 ? r.encryptedRecords[1] > 0 : r.messages.some((m) => m.from === 'server' && m.type === HandshakeType.ServerHelloDone);
  if (!serverDone) return [];
  const sizes = r.encryptedRecordSizes[0];
  // The client closed, or sent an alert-sized record (the server may then close first).
  if (r.end.by !== 'client' && sizes.length === 0) return [];
  return [
    finding(
      'CLIENT_ABORTED',
      compact([
        `ServerHello in frame ${sh.frame}: ${versionName(sh.version)}, ${cipherSuiteName(sh.cipherSuite)}`,
        tls13 ? `the server sent ${r.encryptedRecords[1]} encrypted record(s) (its certificate is among them, encrypted)` : 'the server finished its flight (ServerHelloDone)',
        sizes.length > 0 ? `the client sent ${sizes.length} encrypted record(s) of ${sizes.join(', ')} bytes: the size of an alert, not a Finished` : 'the client sent no Finished',
        endLine(r),
      ]),
      tls13 ? {} : { remedy: ABORT_REMEDY_CLEAR },
    ),
  ];
}

/**
 * A probe: the browser-like hello got a ServerHello, and a client of the chosen profile can
 * complete a handshake too (its own hello was answered with a ServerHello).
 */
export function judgeProbeHandshake(r: ProbeRecord): Finding[] {
  const h = r.hello;
  if (h?.kind !== 'server-hello') return [];
  const p = r.profileHello;
  if (p && p.kind !== 'server-hello' && p.kind !== 'hello-retry') return [];
  const f = r.full;
  const leaf = f?.chain[0];
  return [
    finding('HANDSHAKE_OK', compact([
      `${versionName(h.serverHello.version)}, ${cipherSuiteName(h.serverHello.cipherSuite)} in ${h.ms.toFixed(1)} ms`,
      f?.ok ? `full handshake with Node's TLS: ${f.version === undefined ? 'unknown version' : versionName(f.version)}, ${f.cipher}${f.alpn ? `, ALPN ${f.alpn}` : ''} in ${f.ms.toFixed(0)} ms` : f?.error && `full handshake failed: ${f.error.message}`,
      leaf && `${leafLine(leaf)}; SHA-256 ${leaf.fingerprint256}`,
      ...versionLines(r),
    ])),
  ];
}
