import { cipherSuiteName, versionName } from '@tlsdoctor/tls-parser-ts';
import type { HelloOutcome } from './hello-probe.js';
import type { ProbeRecord } from './probe.js';

// What the diagnosis reads of a probe record, in words: kept apart from the probing code (and
// its sockets and HTTP client) so that reading a capture does not load them.

/** Ports where plain HTTP is the expected answer: a probe of one that answers HTTP looks for TLS on 443. */
export const PLAIN_HTTP_PORTS: ReadonlySet<number> = new Set([80, 8000, 8008, 8080, 8081, 8888]);

export function describeHello(o: HelloOutcome): string {
  switch (o.kind) {
    case 'server-hello':
      return `ServerHello in ${o.ms.toFixed(1)} ms`;
    case 'hello-retry':
      return `HelloRetryRequest in ${o.ms.toFixed(1)} ms`;
    case 'alert':
      return `alert ${o.alert.name} (${o.alert.description}) in ${o.ms.toFixed(1)} ms`;
    case 'not-tls':
      return `${o.description.summary}`;
    case 'reset':
      return `connection reset ${o.ms.toFixed(1)} ms after the ClientHello`;
    case 'closed':
      return `connection closed ${o.ms.toFixed(1)} ms after the ClientHello${o.bytes > 0 ? ` after ${o.bytes} bytes` : ' without an answer'}`;
    case 'silent':
      return o.records > 0 ? `${o.records} TLS record(s) (${o.messages} handshake message(s)) but no ServerHello in ${o.ms.toFixed(0)} ms` : `no answer in ${o.ms.toFixed(0)} ms`;
    case 'connect-failed':
      return `TCP connect failed: ${o.connect.message}`;
  }
}

/** One line per probed version, for evidence. */
export function versionLines(rec: ProbeRecord): string[] {
  return rec.versions.map(({ version, outcome }) => {
    if (outcome.kind === 'server-hello') {
      const sh = outcome.serverHello;
      return sh.version === version
        ? `${versionName(version)}: accepted (${cipherSuiteName(sh.cipherSuite)})`
        : `${versionName(version)}: refused (the server answered with ${versionName(sh.version)})`;
    }
    return `${versionName(version)}: refused (${describeHello(outcome)})`;
  });
}

export function acceptedVersions(rec: Pick<ProbeRecord, 'versions'>): number[] {
  return rec.versions.filter(({ version, outcome }) => outcome.kind === 'server-hello' && outcome.serverHello.version === version).map((v) => v.version);
}
