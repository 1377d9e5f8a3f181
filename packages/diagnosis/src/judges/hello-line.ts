import type { ConnectionRecord, TcpRecord } from '@tlsdoctor/analysis';
import { versionName } from '@tlsdoctor/tls-parser-ts';
import { since } from '../evidence.js';

/** The ClientHello as evidence: where, when, the name and what it offered. */
export function helloLine(r: ConnectionRecord): string {
  const ch = r.clientHello;
  const cut = r.clientHelloCut;
  if (!ch && cut) return `a ClientHello cut short: ${cut.received} of its ${cut.length} bytes were sent before the connection ended`;
  if (!ch) return 'no ClientHello in the capture';
  return `ClientHello in frame ${ch.frame} (${since(r.firstTime, ch.time)}): SNI ${r.sni ?? '(none)'}, versions ${ch.offeredVersions.map(versionName).join(', ')}, ${ch.cipherSuites.length} cipher suites`;
}

/** How the connection ended, as evidence. */
export function endLine(r: TcpRecord): string | undefined {
  const e = r.end;
  if (!e) return undefined;
  return `${e.how === 'rst' ? 'RST' : 'FIN'} from the ${e.by} in frame ${e.frame} (${since(r.firstTime, e.time)}), after ${e.after}`;
}

type AlertSeen = ConnectionRecord['alerts'][number];

export function alertLine(r: ConnectionRecord, a: AlertSeen): string {
  return `${a.level} alert ${a.name} (${a.description}) from the ${a.from} in frame ${a.frame} (${since(r.firstTime, a.time)})${a.decrypted ? ', read from its encrypted record with the key log' : ''}`;
}
