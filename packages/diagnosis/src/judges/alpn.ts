import type { TcpRecord } from '@tlsdoctor/analysis';
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
    title: 'The server requires ALPN h2: clients that offer only http/1.1 are refused',
    remedy: `${H2_ONLY}. Clients that offer only http/1.1 (curl --http1.1, WebSocket clients, HTTP/1.1 libraries, a proxy that speaks HTTP/1.1 to this backend: nginx \`proxy_pass\`) get no_application_protocol (120). Make them offer h2 (nginx in front of gRPC: \`grpc_pass grpcs://…\`), or, if HTTP/1.1 clients must be served, allow http/1.1 in the server's ALPN list.`,
  },
} as const;

const finding = findingsOf(ALPN_CODES);

const refusedAlpn = (o: HelloOutcome | undefined) => o?.kind === 'alert' && o.alert.description === AlertDescription.NoApplicationProtocol;
const taken = (o: HelloOutcome) => o.kind === 'server-hello' || o.kind === 'hello-retry';

/**
 * A probe: its hello (h2 and http/1.1) refused for ALPN is ALPN_MISMATCH; http/1.1 refused
 * alone while h2 is taken is ALPN_REQUIRED (an HTTP/2-only server). The reverse, an HTTP/1.1
 * server refusing a hello that offers h2 alone (nginx does since 1.21.4), fails only gRPC-style
 * clients that no HTTP/1.1 site serves: it stays in the facts, not a finding on every such site.
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
  const http11Refused = alone.some((a) => a.offered === 'http/1.1' && refusedAlpn(a.outcome));
  if (!http11Refused || !accepted.includes('h2')) return [];
  const chose = r.full?.ok && r.full.alpn ? [`offered both, the server chose ${r.full.alpn}`] : [];
  return [finding('ALPN_REQUIRED', [...lines, ...chose])];
}

/**
 * A TCP capture: the server's no_application_protocol after the ClientHello, with what the hello
 * offered. (QUIC carries the alert in its CONNECTION_CLOSE, which the QUIC judge names with the
 * alert's fix: one cause, one finding.)
 */
export function judgeCaptureAlpn(r: TcpRecord): Finding[] {
  const a = decisiveAlert(r);
  if (!a || a.from !== 'server' || a.description !== AlertDescription.NoApplicationProtocol) return [];
  const offered = r.clientHello?.alpn;
  const line = offered && offered.length > 0 ? `the ClientHello offered ALPN ${offered.join(', ')}` : 'the ClientHello offered no ALPN';
  const noH2 = !offered?.includes('h2');
  return [
    finding('ALPN_MISMATCH', [helloLine(r), line, alertLine(r, a)], noH2 ? { remedy: `${ALPN_CODES.ALPN_MISMATCH.remedy} ${H2_ONLY}: this client did not offer h2.` } : {}),
  ];
}
