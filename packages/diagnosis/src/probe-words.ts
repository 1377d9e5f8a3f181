import type { HelloOutcome, ProbeRecord } from '@tlsdoctor/probe';
import { cipherSuiteName, versionName } from '@tlsdoctor/tls-parser-ts';

// What a probe's answers say, in the words evidence uses: the probe measures, the diagnosis
// words it (reports quote the same words in a probe's facts).

/** One answer to a hello the probe sent, as evidence says it. */
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
