import type { ConnectionRecord } from '@tlsdoctor/analysis';
import type { HelloOutcome, ProbeRecord } from '@tlsdoctor/probe';
import { AlertDescription } from '@tlsdoctor/tls-parser-ts';
import { findingsOf, type Finding } from '../finding.js';
import { describeHello } from '../probe-words.js';
import { decisiveAlert } from './handshake-state.js';
import { alertLine, helloLine } from './hello-line.js';

const H2_ONLY = 'gRPC and other HTTP/2-only servers refuse clients that do not offer h2 (grpc-go enforces ALPN since 1.67)';

/** The application protocol (ALPN) a server takes, or refuses, after the ClientHello. */
export const ALPN_CODES = {
  ALPN_MISMATCH: {
    severity: 'error',
    title: 'The server accepts none of the application protocols (ALPN) offered',
    remedy: 'The server answered the ClientHello with no_application_protocol (120): it serves only protocols the client did not offer. Offer the one it serves (an HTTP/2-only or gRPC server needs h2), or add the client\'s protocol to the server\'s ALPN list.',
  },
  ALPN_REQUIRED: {
    severity: 'warning',
    title: 'The server refuses clients that do not offer the protocol it requires',
    remedy: 'Clients that offer only the refused protocol fail with no_application_protocol (120). If they must be served, add their protocol to the server\'s ALPN list; otherwise make them offer the one it requires.',
  },
} as const;

const finding = findingsOf(ALPN_CODES);

const refusedAlpn = (o: HelloOutcome | undefined) => o?.kind === 'alert' && o.alert.description === AlertDescription.NoApplicationProtocol;
const taken = (o: HelloOutcome) => o.kind === 'server-hello' || o.kind === 'hello-retry';

/** The fix for a server that requires one protocol, by which one. */
function requiredRemedy(need: string): string {
  if (need === 'h2') {
    return `${H2_ONLY}. Clients that offer only http/1.1 (curl --http1.1, WebSocket clients, HTTP/1.1 libraries, a proxy that speaks HTTP/1.1 to this backend: nginx \`proxy_pass\`) are refused. Make them offer h2 (nginx in front of gRPC: \`grpc_pass grpcs://…\`), or, if HTTP/1.1 clients must be served, allow http/1.1 in the server's ALPN list.`;
  }
  return `The server serves ${need} only and refuses clients that offer only the other protocol (gRPC clients offer h2 alone): enable that protocol on the server, or use a client that offers ${need}.`;
}

/**
 * A probe: its hello (h2 and http/1.1) refused for ALPN is ALPN_MISMATCH; a protocol refused
 * when offered alone, while the other is taken, is ALPN_REQUIRED, naming the one required.
 */
export function judgeProbeAlpn(r: ProbeRecord): Finding[] {
  const alone = r.alpnAlone;
  if (!alone) return [];
  const lines = alone.map((a) => `ALPN ${a.offered} alone: ${describeHello(a.outcome)}`);
  const accepted = alone.filter((a) => taken(a.outcome)).map((a) => a.offered);
  if (refusedAlpn(r.hello) && r.hello) {
    const first = `the ClientHello offering ALPN h2 and http/1.1 was answered with ${describeHello(r.hello)}`;
    if (accepted.length === 0) return [finding('ALPN_MISMATCH', [first, ...lines])];
    return [finding('ALPN_MISMATCH', [first, ...lines], { title: `The server refuses the two protocols offered together; it takes ${accepted.join(' or ')} alone` })];
  }
  const refused = alone.filter((a) => refusedAlpn(a.outcome)).map((a) => a.offered);
  if (refused.length === 0 || accepted.length === 0) return [];
  const chose = r.full?.ok && r.full.alpn ? [`offered both, the server chose ${r.full.alpn}`] : [];
  const need = accepted.join(' or ');
  return [finding('ALPN_REQUIRED', [...lines, ...chose], { title: `The server requires ALPN ${need}: clients that offer only ${refused.join(' or ')} are refused`, remedy: requiredRemedy(need) })];
}

/** A capture: the server's no_application_protocol after the ClientHello, with what the hello offered. */
export function judgeCaptureAlpn(r: ConnectionRecord): Finding[] {
  const a = decisiveAlert(r);
  if (!a || a.from !== 'server' || a.description !== AlertDescription.NoApplicationProtocol) return [];
  const offered = r.clientHello?.alpn;
  const line = offered && offered.length > 0 ? `the ClientHello offered ALPN ${offered.join(', ')}` : 'the ClientHello offered no ALPN';
  const noH2 = r.transport === 'tcp' && !offered?.includes('h2');
  return [
    finding('ALPN_MISMATCH', [helloLine(r), line, alertLine(r, a)], noH2 ? { remedy: `${ALPN_CODES.ALPN_MISMATCH.remedy} ${H2_ONLY}: this client did not offer h2.` } : {}),
  ];
}
