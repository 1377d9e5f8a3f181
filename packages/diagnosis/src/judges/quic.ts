import type { CaptureContext, QuicFacts, QuicRecord } from '@tlsdoctor/analysis';
import { icmpWords, isPortUnreachable } from '@tlsdoctor/capture';
import type { ProbeRecord } from '@tlsdoctor/probe';
import { cipherSuiteName, groupName, isQuicGreaseVersion, quicCryptoErrorAlert, quicVersionName, versionName } from '@tlsdoctor/tls-parser-ts';
import { compact, icmpSeen, ms, notRefusing, plural, since } from '../evidence.js';
import { findingsOf, type Finding } from '../finding.js';
import { alertRemedy } from './alerts.js';
import { alertLine, helloLine } from './hello-line.js';

/**
 * QUIC (HTTP/3) handshakes, read from the Initial packets anyone can open: silence, a close
 * with a reason, a version without a common one, a Retry loop, and the healthy handshake.
 */
export const QUIC_CODES = {
  QUIC_NO_RESPONSE: {
    severity: 'error',
    title: 'The QUIC Initial got no answer: UDP 443 is blocked on the path, or nothing listens for HTTP/3',
    remedy:
      'Open UDP 443 to the server wherever TCP 443 is open (cloud security group, firewall, load balancer listener), and make sure the web server listens for HTTP/3 (nginx: `listen 443 quic;`). Or stop advertising HTTP/3 (`Alt-Svc: h3=...`): browsers then stay on TCP.',
  },
  QUIC_CONNECTION_CLOSED: {
    severity: 'error',
    title: 'The QUIC handshake was closed with an error',
    remedy: 'Read the error and the TLS alert it carries: they name what the closing side refused. The fix is that side\'s configuration (its certificates, ALPN list, versions).',
  },
  QUIC_VERSION_MISMATCH: {
    severity: 'error',
    title: 'Client and server share no QUIC version',
    remedy: 'Update the client or the server to QUIC version 1 (RFC 9000), which every current stack speaks.',
  },
  QUIC_RETRY_LOOP: {
    severity: 'error',
    title: 'The server keeps answering with Retry and never goes on with the handshake',
    remedy: 'A server (or a load balancer in front of it) that cannot validate its own Retry tokens: check that every instance behind the address shares the token key, and that nothing rewrites the client\'s address between Retries.',
  },
  QUIC_HANDSHAKE_UNFINISHED: {
    severity: 'warning',
    title: 'The server answered the QUIC Initial but the client never finished the handshake',
    remedy: 'The client refused something in the server\'s encrypted flight (most often its certificate) or gave up. A key log (SSLKEYLOGFILE) with `tlsdoctor pcap --keylog` opens the Handshake packets and names the cause.',
  },
  QUIC_HANDSHAKE_OK: {
    severity: 'ok',
    title: 'QUIC handshake completed (HTTP/3)',
    remedy: 'Nothing to fix.',
  },
  H3_ADVERTISED_UDP_BLOCKED: {
    severity: 'error',
    title: 'The server advertises HTTP/3, but its QUIC Initials get no answer on UDP',
    remedy:
      'Browsers believe the Alt-Svc header and try HTTP/3 first, then fall back to TCP after a delay (and some clients never do). Open UDP 443 to the server in the cloud security group, firewall and load balancer, as TCP 443 is; or, if HTTP/3 is not meant to be served, remove the Alt-Svc header (nginx: `add_header Alt-Svc`; Caddy: `servers { protocols h1 h2 }`).',
  },
  H3_UNAVAILABLE: {
    severity: 'info',
    title: 'HTTP/3 does not answer, and the server does not advertise it',
    remedy: 'Nothing is broken: clients use HTTP/2 or HTTP/1.1 over TCP. To serve HTTP/3, open UDP 443 and start a QUIC listener (nginx: `listen 443 quic;`), then advertise it with Alt-Svc.',
  },
  H3_AVAILABLE: {
    severity: 'ok',
    title: 'HTTP/3 answers: the server took a QUIC Initial and sent its ServerHello',
    remedy: 'Nothing to fix.',
  },
} as const;

const finding = findingsOf(QUIC_CODES);

/** Seconds without an answer after the client's first Initial before silence is a verdict (Chromium gives up on QUIC after about 0.3 s and retransmits). */
export const QUIC_ANSWER_WAIT_S = 1;

const initialsLine = (r: QuicRecord, q: QuicFacts) =>
  `the client sent ${plural(q.initials[0], 'Initial packet')} (${q.versionName}) in ${plural(q.clientInitialDatagrams, 'datagram')}: ${q.clientInitials.map((i) => `frame ${i.frame} (${since(r.firstTime, i.time)})`).join(', ')}${q.clientInitialDatagrams > q.clientInitials.length ? ', ...' : ''}`;

/** The server itself said its UDP port is closed: not a firewall, a missing listener. */
const NO_LISTENER = {
  title: 'The QUIC Initial was refused: nothing listens on UDP 443',
  remedy: 'Start the HTTP/3 listener (nginx: `listen 443 quic;` beside `listen 443 ssl;`, in a build with HTTP/3; Caddy serves it by default), or stop advertising HTTP/3 (remove the `Alt-Svc: h3=...` header) so that browsers stay on TCP.',
};

/** An address as it reads before a port: IPv6 in brackets. */
const host = (a: string | undefined) => (a?.includes(':') ? `[${a}]` : a);

/** Datagrams of Initials the client sent after its ClientHello was whole: its retransmissions. */
const resent = (q: QuicFacts) => Math.max(0, q.clientInitialDatagrams - (q.helloDatagrams ?? 1));

export function judgeQuic(r: QuicRecord, captureEnd: number, others?: Pick<CaptureContext, 'tcpAnswered'>): Finding[] {
  const q = r.quic;
  const out: Finding[] = [];
  const first = q.clientInitials[0];
  const serverSilent = q.datagrams[1] === 0;
  if (first && serverSilent) {
    const waited = captureEnd - first.time;
    // A datagram refused on the path or by the host (a packet too big or a TTL run out is not a refusal).
    const icmp = q.icmp.find((i) => i.kind === 'unreachable');
    const closedPort = icmp !== undefined && icmp.from === r.server.ip && isPortUnreachable(r.ipVersion, icmp);
    if (waited >= QUIC_ANSWER_WAIT_S || resent(q) > 0 || icmp) {
      const tcp = others?.tcpAnswered(r);
      out.push(finding('QUIC_NO_RESPONSE', compact([
        helloLine(r),
        initialsLine(r, q),
        q.helloDatagrams !== undefined && q.helloDatagrams > 1 && `the ClientHello took ${q.helloDatagrams} datagrams`,
        resent(q) > 0 && `${plural(resent(q), 'more Initial datagram')} followed: the client heard nothing and tried again`,
        icmp
          ? `${icmpWords(r.ipVersion, icmp)} ${icmpSeen(r, icmp)}: ${closedPort ? `the host is reached and nothing listens on UDP ${r.server.port}` : 'a router or firewall on the path refused the datagram'}`
          : `no datagram came back from ${host(r.server.ip)}:${r.server.port}, though the capture went on ${ms(waited)} after the first Initial`,
        icmp && `no QUIC datagram came back from ${host(r.server.ip)}:${r.server.port}`,
        ...(icmp ? [] : notRefusing(r, q.icmp)),
        tcp
          ? `TCP to the same server (connection ${tcp.id}, port ${r.server.port}) got a ServerHello in frame ${tcp.frame}: the server is up and TLS works, so UDP ${r.server.port} is what is blocked (a security group or firewall that opened only TCP), or no HTTP/3 listener is running`
          : `no TCP connection to ${host(r.server.ip)}:${r.server.port} in this capture tells whether TLS over TCP works`,
      ]), closedPort ? NO_LISTENER : {}));
    }
  }
  const c = q.close;
  if (c && !(c.code === 0 && !c.application)) {
    // A crypto error is the TLS alert the closing side would have sent over TCP.
    const description = c.application ? undefined : quicCryptoErrorAlert(c.code);
    const alert = description !== undefined ? r.alerts.find((a) => a.frame === c.frame && a.description === description) : undefined;
    const remedy = alert && alertRemedy(alert.description);
    out.push(finding('QUIC_CONNECTION_CLOSED', compact([
      helloLine(r),
      `CONNECTION_CLOSE from the ${c.from} in ${c.packet === 'initial' ? 'an Initial' : 'a Handshake'} packet (frame ${c.frame}, ${since(r.firstTime, c.time)}): ${c.application ? 'application error' : 'transport error'} ${c.codeName} (0x${c.code.toString(16)})`,
      alert && alertLine(r, alert),
      c.reason && `reason: "${c.reason}"`,
      c.triggeringFrame !== undefined && `caused by a frame of type 0x${c.triggeringFrame.toString(16)}`,
    ]), remedy ? { remedy, title: `The QUIC handshake was closed by the ${c.from} with TLS alert ${alert!.name}` } : {}));
  }
  const vn = q.versionNegotiation;
  if (vn && !r.serverHello) {
    const offered = vn.versions.filter((v) => !isQuicGreaseVersion(v));
    out.push(finding('QUIC_VERSION_MISMATCH', compact([
      `the client offered ${quicVersionName(vn.offered)}; the server answered with Version Negotiation in frame ${vn.frame} listing ${offered.map(quicVersionName).join(', ') || 'only reserved versions'}`,
      'no handshake in a common version followed',
    ])));
  }
  if (q.retries.length > 1 && !r.serverHello) {
    out.push(finding('QUIC_RETRY_LOOP', [
      `${plural(q.retries.length, 'Retry')} from the server (frames ${q.retries.map((x) => x.frame).join(', ')}) and no ServerHello: each Initial with the token it gave was answered with another Retry`,
    ]));
  }
  if (r.serverHello && out.length === 0) {
    const done = q.handshakePackets[0] > 0;
    if (done) {
      out.push(finding('QUIC_HANDSHAKE_OK', compact([
        helloLine(r),
        `ServerHello in an Initial packet (frame ${r.serverHello.frame}, ${since(r.firstTime, r.serverHello.time)})`,
        `${plural(q.handshakePackets[1], 'Handshake packet')} from the server, ${plural(q.handshakePackets[0], 'Handshake packet')} from the client (its Finished), then ${plural(q.shortPackets[0] + q.shortPackets[1], '1-RTT packet')}`,
        q.handshakeOpened && `opened with the key log: ${q.handshakeOpened[1]} of the server's Handshake packets, ${q.handshakeOpened[0]} of the client's`,
      ])));
    } else if (captureEnd - r.serverHello.time >= QUIC_ANSWER_WAIT_S) {
      out.push(finding('QUIC_HANDSHAKE_UNFINISHED', compact([
        helloLine(r),
        `ServerHello in an Initial packet (frame ${r.serverHello.frame}) and ${plural(q.handshakePackets[1], 'Handshake packet')} from the server`,
        `no Handshake packet from the client, though the capture went on ${ms(captureEnd - r.serverHello.time)}`,
      ])));
    }
  }
  return out;
}

/** Probe: what the QUIC Initial sent to the port Alt-Svc named (or --http3 asked for) brought back. */
export function judgeProbeHttp3(r: ProbeRecord): Finding[] {
  const h = r.http3;
  if (!h) return [];
  const where = `${host(r.address)}:${h.port} (UDP)`;
  const ask = h.advertised ? `the HTTPS answer advertises HTTP/3: Alt-Svc: ${h.advertised}` : 'HTTP/3 was asked for (--http3); the HTTPS answer does not advertise it';
  const sent = `${plural(h.sent, 'QUIC v1 Initial')} with a ClientHello (ALPN h3) sent to ${where} over ${ms(h.ms / 1000)}`;
  const tcp = r.full?.ok ? `TLS over TCP to ${host(r.address)}:${r.target.port} works (${r.full.version !== undefined ? versionName(r.full.version) : 'handshake completed'})` : undefined;
  switch (h.outcome) {
    case 'answered': {
      const sh = h.serverHello!;
      return [finding('H3_AVAILABLE', compact([
        `${sent}: the server's Initial came back after ${ms((h.firstAnswerMs ?? h.ms) / 1000)}`,
        `ServerHello: ${versionName(sh.version)}, ${cipherSuiteName(sh.cipher)}${sh.group !== undefined ? `, key share ${groupName(sh.group)}` : ''}; ${plural(h.handshakePackets, 'Handshake packet')} (its encrypted flight) followed`,
        h.retried && 'the server asked for address validation first (Retry), and answered the Initial that carried its token',
        h.advertised && ask,
      ]))];
    }
    case 'silent':
    case 'refused': {
      const why = h.outcome === 'refused'
        ? `an ICMP port unreachable came back: the host is reached, and nothing listens on UDP ${h.port}`
        : `nothing came back, not even an ICMP error: a firewall or security group drops UDP ${h.port} on the path`;
      if (!h.advertised) {
        return [finding('H3_UNAVAILABLE', compact([sent, why, ask, tcp]))];
      }
      return [finding('H3_ADVERTISED_UDP_BLOCKED', compact([ask, sent, why, tcp]), h.outcome === 'refused'
        ? { title: `The server advertises HTTP/3, but nothing listens on UDP ${h.port}`, remedy: 'Start the HTTP/3 listener (nginx: `listen 443 quic;` beside `listen 443 ssl;`, built with HTTP/3; Caddy serves it by default), or remove the Alt-Svc header.' }
        : {})];
    }
    case 'closed': {
      const c = h.close!;
      return [finding('QUIC_CONNECTION_CLOSED', compact([
        sent,
        `the server closed the connection in an Initial: ${c.name} (0x${c.code.toString(16)})${c.reason ? `, reason "${c.reason}"` : ''}`,
        h.advertised && ask,
      ]))];
    }
    case 'version-negotiation':
      return [finding('QUIC_VERSION_MISMATCH', compact([
        `${sent}: the server answered with Version Negotiation listing ${(h.versions ?? []).filter((v) => !isQuicGreaseVersion(v)).map(quicVersionName).join(', ') || 'only reserved versions'}`,
        'QUIC version 1 (RFC 9000) is not among them',
        h.advertised && ask,
      ]))];
    case 'error':
      return [finding('H3_UNAVAILABLE', compact([sent, `the probe could not complete: ${h.error ?? 'unknown error'}`, h.advertised && ask]), { title: 'HTTP/3 could not be probed' })];
  }
}
