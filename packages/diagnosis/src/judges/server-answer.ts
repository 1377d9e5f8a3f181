import type { TcpRecord } from '@tlsdoctor/analysis';
import { TcpFlag } from '@tlsdoctor/capture';
import { PLAIN_HTTP_PORTS } from '@tlsdoctor/probe/facts';
import { describeHello } from '../probe-words.js';
import type { HelloOutcome, ProbeRecord, ShapedHello } from '@tlsdoctor/probe';
import { compact, ms, plural, quoted, since } from '../evidence.js';
import { findingsOf, type Finding } from '../finding.js';
import { ANSWER_WAIT_S } from './coverage.js';
import { serverSpokeTls } from './handshake-state.js';

export { serverSpokeTls };
import { endLine, helloLine } from './hello-line.js';

const INTERCEPTORS = 'a cloud provider enforcing ICP filing (备案) for the domain, national SNI filtering, or a corporate firewall, secure web gateway or IPS appliance that blocks the name by policy';

/** Whether, and how, the server answered the ClientHello: TLS, another protocol, a reset or nothing. */
export const SERVER_ANSWER_CODES = {
  RESET_AFTER_CLIENT_HELLO: {
    severity: 'error',
    title: 'Connection reset right after the ClientHello',
    remedy: `A reset in answer to the ClientHello, before any server answer, is the signature of SNI-based interception: ${INTERCEPTORS}. Run \`tlsdoctor probe HOST\` from an affected network: if the same address answers a ClientHello without SNI or with another name, the SNI is being filtered. For ICP enforcement, complete the filing with the provider that hosts the server (or transfer it), or serve the domain from outside the enforcing network; for a corporate device, ask its administrators to allow the name. No server setting can fix it.`,
  },
  SNI_FILTERED: {
    severity: 'error',
    title: 'The server name (SNI) is filtered on the path',
    remedy: `The ClientHello with this name is reset or dropped, while the same address answers other names: SNI-based interception by ${INTERCEPTORS}. For ICP enforcement, complete the filing with the provider that hosts the server (a filing with another provider must be transferred), or serve the domain from a network that does not filter it; for a corporate device, ask its administrators to allow the name. No server setting can fix it.`,
  },
  NO_SERVER_HELLO: {
    severity: 'error',
    title: 'The server never answered the ClientHello',
    remedy: 'The port accepts TCP but nothing there answers TLS: check that the service on the port is the TLS server (not an app or proxy waiting for plain text), that it is not overloaded, and that no middlebox drops the ClientHello (try `tlsdoctor probe` with and without SNI).',
  },
  PLAINTEXT_HTTP_ON_TLS_PORT: {
    severity: 'error',
    title: 'The server answered the ClientHello in plain HTTP',
    remedy: 'The port speaks HTTP without TLS. For nginx, add `ssl` to the listen directive (`listen 443 ssl;`, and `http2` as needed) with `ssl_certificate` and `ssl_certificate_key` in that server block.',
  },
  PLAIN_HTTP_PORT: {
    severity: 'error',
    title: 'This is a plain-HTTP port: TLS is served elsewhere',
    remedy: 'The port is a plain-HTTP port (80, 8080 and the like) and answers HTTP, as it should. Use https:// on the HTTPS port (443 unless the server says otherwise): `tlsdoctor probe HOST` probes port 443. If this port is meant to serve HTTPS, add `ssl` to its listen directive.',
  },
  HTTP_TO_TLS_PORT: {
    severity: 'error',
    title: 'The client sent plain HTTP to the TLS port',
    remedy: 'The client used http:// (or no TLS) for a port that speaks only TLS. Use https:// for this port, or send plain HTTP to the plain-HTTP port (80). A server that should accept both on one port needs a redirect there (nginx: `error_page 497 =301 https://$host$request_uri;`).',
  },
  NOT_TLS: {
    severity: 'error',
    title: 'The answer on the port is not TLS',
    remedy: 'Another protocol answers on this port. Point the client at the TLS port, or put the TLS server on this one.',
  },
} as const;

const finding = findingsOf(SERVER_ANSWER_CODES);

export function judgeCaptureServerAnswer(r: TcpRecord, captureEnd: number): Finding[] {
  const n = r.nonTls;
  if (n?.from === 'server') {
    const answered = `the server answered in frame ${n.frame} (${since(r.firstTime, n.time)}) with ${n.description.summary}`;
    if (n.description.kind !== 'http-response') return [finding('NOT_TLS', compact([helloLine(r), answered, endLine(r)]))];
    return [finding(PLAIN_HTTP_PORTS.has(r.server.port) ? 'PLAIN_HTTP_PORT' : 'PLAINTEXT_HTTP_ON_TLS_PORT', compact([helloLine(r), answered, endLine(r)]))];
  }
  if (n?.from === 'client') {
    if (n.description.kind === 'http-request') {
      // The server's answer says it all (nginx: "400 The plain HTTP request was sent to HTTPS port").
      const a = r.nonTlsAnswer;
      const answer = a && `the server answered in frame ${a.frame} (${since(r.firstTime, a.time)}) with ${a.description.firstLine !== undefined ? `the line ${quoted(a.description.firstLine)}` : a.description.summary}${a.description.title !== undefined ? `, titled ${quoted(a.description.title)}` : ''}`;
      return [finding('HTTP_TO_TLS_PORT', compact([`the client sent ${n.description.summary} in frame ${n.frame} to TLS port ${r.server.port}`, answer, endLine(r)]))];
    }
    return [
      finding('NOT_TLS', compact([`the client sent ${n.description.summary} in frame ${n.frame} to TLS port ${r.server.port}`, endLine(r)]), {
        title: 'The client spoke another protocol to the TLS port',
        remedy: 'Use https:// (TLS) for this port, or send plain HTTP to the plain-HTTP port.',
      }),
    ];
  }
  const ch = r.clientHello ?? cutHelloSent(r);
  if (!ch || serverSpokeTls(r)) return [];
  const rst = r.tcp.rsts.find((p) => p.dir === 1 && p.time >= ch.time);
  if (rst) return [finding('RESET_AFTER_CLIENT_HELLO', [helloLine(r), ...resetEvidence(r, rst)])];
  const waited = (r.end?.time ?? captureEnd) - ch.time;
  // Still open and waiting for less than the answer time: the coverage judge says the capture stopped.
  if (!r.end && waited < ANSWER_WAIT_S) return [];
  return [
    finding('NO_SERVER_HELLO', [
      helloLine(r),
      `the server sent no byte in the ${ms(waited)} after the ClientHello (${r.tcp.bytes[1]} bytes from the server in all)`,
      endLine(r) ?? 'the connection was still open when the capture ended',
    ]),
  ];
}

type PacketFacts = TcpRecord['tcp']['rsts'][number];

/** The last segment of a ClientHello cut short, as the moment the hello was sent. */
function cutHelloSent(r: TcpRecord): PacketFacts | undefined {
  if (!r.clientHelloCut) return undefined;
  const sent = r.tcp.packets.filter((p) => p.dir === 0 && p.len > 0);
  return sent[sent.length - 1];
}

/** Far enough from the SYN-ACK's IP ID that one host's counter would not have got there. */
const IP_ID_FAR = 1000;

/**
 * Why an RST looks injected by a middlebox rather than sent by the server: a TTL unlike the
 * SYN-ACK's, an IP ID of 0 or far from the server's, an arrival sooner than the server could
 * answer, several RSTs, and the server still talking afterwards.
 */
export function resetEvidence(r: TcpRecord, rst: PacketFacts): string[] {
  const ch = r.clientHello;
  const out: string[] = [];
  const count = r.tcp.rsts.filter((p) => p.dir === 1).length;
  out.push(`RST${rst.flags & TcpFlag.ACK ? '/ACK' : ''} from the server side in frame ${rst.frame} (${since(r.firstTime, rst.time)})${ch ? `, ${ms(rst.time - ch.time)} after the ClientHello` : ''}`);
  const signs: string[] = [];
  const sa = r.tcp.synAck;
  if (sa) {
    if (sa.ttl !== rst.ttl) signs.push(`its TTL ${rst.ttl} differs from the SYN-ACK's ${sa.ttl}: it came from a different hop`);
    else out.push(`its TTL ${rst.ttl} equals the SYN-ACK's`);
    if (rst.ipId >= 0 && sa.ipId >= 0) {
      if (rst.ipId === 0 && sa.ipId !== 0) signs.push('its IP ID is 0 while the server\'s packets carry IDs');
      else if (sa.ipId !== 0 && (rst.ipId - sa.ipId + 65536) % 65536 > IP_ID_FAR) signs.push(`its IP ID ${rst.ipId} is far from the SYN-ACK's ${sa.ipId}`);
    }
    const rtt = r.tcp.syn ? sa.time - r.tcp.syn.time : undefined;
    if (ch && rtt !== undefined && rtt > 0 && rst.time - ch.time < rtt / 2) {
      signs.push(`it arrived ${ms(rst.time - ch.time)} after the ClientHello, sooner than the server's round trip (SYN to SYN-ACK ${ms(rtt)})`);
    }
  }
  if (count > 1) signs.push(`${count} RSTs arrived, as injectors send`);
  out.push(...signs);
  out.push(signs.length > 0 ? `the RST looks injected by something on the path (${plural(signs.length, 'sign')})` : 'nothing in the RST tells it apart from the server\'s own packets');
  const late = r.tcp.packets.filter((p) => p.dir === 1 && p.time > rst.time && !(p.flags & TcpFlag.RST));
  if (late.length > 0) out.push(`${late.length} packet(s) from the server side arrived after the RST (the server still thought the connection open)`);
  return out;
}

/** A hello the server answered in TLS (a ServerHello, a HelloRetryRequest or an alert). */
export const answeredTls = (o: HelloOutcome | undefined): boolean => !!o && (o.kind === 'server-hello' || o.kind === 'hello-retry' || o.kind === 'alert');

export function judgeProbeServerAnswer(r: ProbeRecord): Finding[] {
  const h = r.hello;
  if (!h || h.kind === 'connect-failed' || answeredTls(h)) return [];
  if (h.kind === 'not-tls') {
    const line = `the server answered the ClientHello with ${h.description.summary} (first bytes ${h.description.hexPrefix})`;
    if (h.description.kind !== 'http-response') return [finding('NOT_TLS', [line])];
    if (!PLAIN_HTTP_PORTS.has(r.target.port)) return [finding('PLAINTEXT_HTTP_ON_TLS_PORT', [line])];
    const https = r.httpsPort;
    return [
      finding('PLAIN_HTTP_PORT', compact([
        line,
        `port ${r.target.port} is a plain-HTTP port`,
        https && `port 443 on ${r.address}: ${answeredTls(https.outcome) ? `answers TLS (${describeHello(https.outcome)}): probe https://${r.target.host}/ instead` : describeHello(https.outcome)}`,
      ])),
    ];
  }
  const d = r.sniDifferential;
  const name = `SNI ${r.target.isIp ? '(none: IP target)' : r.target.host}: ${describeHello(h)}`;
  if (d && (answeredTls(d.noSni) || answeredTls(d.decoy))) {
    return [
      finding('SNI_FILTERED', compact([
        name,
        `no SNI: ${describeHello(d.noSni)}`,
        `SNI ${d.decoyName}: ${describeHello(d.decoy)}`,
        `same address ${r.address}:${r.target.port}, same ClientHello otherwise: only the name differs`,
        d.splitName && splitNameLine(d.splitName),
      ])),
    ];
  }
  const lines = compact([name, d && `no SNI: ${describeHello(d.noSni)}`, d && `SNI ${d.decoyName}: ${describeHello(d.decoy)}`, d?.splitName && splitNameLine(d.splitName)]);
  if (h.kind === 'reset') return [finding('RESET_AFTER_CLIENT_HELLO', [...lines, 'the other names were not answered either: the reset is not about the name'])];
  return [finding('NO_SERVER_HELLO', lines)];
}

/**
 * The real name in a hello cut in two inside the name. Answered, it shows a filter that matches
 * the name one packet at a time. Only that is claimed: a hello of two segments whose first holds
 * the whole name (a browser's large hello) is still filtered.
 */
function splitNameLine(s: ShapedHello): string {
  const sent = `the same name in a ClientHello cut inside the name (${s.writes.join(' + ')} bytes, two segments)`;
  return answeredTls(s.outcome)
    ? `${sent}: ${describeHello(s.outcome)}: the filter matches the name only within one packet (a hello whose first segment holds the whole name, as a browser's large hello does, is still filtered)`
    : `${sent}: ${describeHello(s.outcome)}`;
}
