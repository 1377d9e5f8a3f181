import type { TcpRecord } from '@tlsdoctor/analysis';
import { icmpWords, TcpFlag } from '@tlsdoctor/capture';
import type { ProbeRecord } from '@tlsdoctor/probe';
import { compact, icmpSeen, ms, notRefusing, since } from '../evidence.js';
import { findingsOf, type Finding } from '../finding.js';

/** Did TCP carry the connection at all: timeouts, refusals, ICMP rejections, early resets. */
export const TRANSPORT_CODES = {
  TCP_TIMEOUT: {
    severity: 'error',
    title: 'No answer to the TCP SYN',
    remedy: 'Open TCP port 443 inbound in the cloud security group and in the host firewall (e.g. `firewall-cmd --add-port=443/tcp --permanent`), and check that the server listens on the address (`ss -ltn`).',
  },
  TCP_REFUSED: {
    severity: 'error',
    title: 'Connection refused: nothing listens on the port',
    remedy: 'Start the server or make it listen on this address and port (`ss -ltn`; nginx: `listen 443 ssl;` on the right address), then check that the port forwarding or load balancer points at it.',
  },
  TCP_UNREACHABLE: {
    severity: 'error',
    title: 'ICMP destination unreachable for the connection',
    remedy: 'A firewall on the path or on the host rejects the connection (iptables/nftables REJECT, cloud ACL). Allow TCP 443 to the server, or fix the route if the host is unreachable.',
  },
  TCP_RESET: {
    severity: 'error',
    title: 'Connection reset before TLS began',
    remedy: 'Something on the path or on the server resets the connection right after it opens: check load balancers, connection limits and firewalls.',
  },
  TCP_STALE_CONNECTION: {
    severity: 'warning',
    title: 'The SYN met a stale connection on the same ports: answered by an ACK, reset, and sent again',
    remedy: 'The server, or a NAT, load balancer or firewall in front of it, still held a connection on this client address and port from before (the client rebooted or lost it, or a NAT reused the port while the server still kept the old one). It answered the new SYN with an ACK for the old connection (a challenge ACK, RFC 5961); the client reset that, which clears the old state, and its SYN sent again got through. Linux resends about 10 ms later when this happens to its first SYN; other clients, and Linux when its first SYN had gone unanswered, wait for the SYN retransmission timer (1 to 3 s, doubling after each try: seconds to tens of seconds), and that is the delay users see. Keep the state on both sides in step: a NAT or load balancer should keep a TCP mapping at least as long as the server keeps an idle connection (or the server close idle ones sooner: nginx `keepalive_timeout`, `client_header_timeout`), and should not give a port to a new client while the server may still hold the old connection on it.',
  },
  PROBE_ERROR: { severity: 'error', title: 'The probe could not run', remedy: 'See the evidence for the local error.' },
} as const;

const finding = findingsOf(TRANSPORT_CODES);

/** A capture: SYN retransmissions, RSTs and ICMP errors around the TCP handshake. */
export function judgeCaptureTcp(r: TcpRecord, captureEnd: number): Finding[] {
  const { syn, synAck, icmp, rsts } = r.tcp;
  if (synAck) {
    const rst = rsts.find((p) => p.dir === 1);
    const quiet = !r.clientHello && r.tcp.bytes[0] === 0 && r.tcp.bytes[1] === 0;
    return rst && quiet ? [finding('TCP_RESET', [`RST from the server side in frame ${rst.frame} (${since(r.firstTime, rst.time)}) before the client sent anything`, `history ${r.tcp.history}`])] : [];
  }
  // Only an unreachable refuses the connection: a packet too big or a TTL run out says other things.
  const i = icmp.find((x) => x.kind === 'unreachable');
  if (i) {
    return [
      finding('TCP_UNREACHABLE', compact([
        syn && `SYN to ${r.server.ip}:${r.server.port} in frame ${syn.frame}`,
        `${icmpWords(r.ipVersion, i)} (type ${i.type}, code ${i.code}) ${icmpSeen(r, i)}, TTL ${i.ttl}`,
      ])),
    ];
  }
  if (!syn) return [];
  const rst = rsts.find((p) => p.dir === 1);
  if (rst) {
    return [finding('TCP_REFUSED', [`SYN in frame ${syn.frame}`, `RST/ACK from ${r.server.ip}:${r.server.port} in frame ${rst.frame} (${since(r.firstTime, rst.time)}), TTL ${rst.ttl}`, `history ${r.tcp.history}`])];
  }
  // One SYN is not yet a timeout: the client retransmits while it waits, so only a second SYN
  // shows it waiting in vain (a single SYN is the coverage judge's to explain).
  if (r.tcp.synCount < 2 || r.tcp.rstCount > 0) return [];
  const synTimes = r.tcp.packets.filter((p) => p.dir === 0 && p.flags & TcpFlag.SYN).map((p) => since(r.firstTime, p.time));
  const waited = captureEnd - syn.time;
  return [
    finding('TCP_TIMEOUT', [
      `${r.tcp.synCount} SYN(s) to ${r.server.ip}:${r.server.port} at ${synTimes.join(', ')}`,
      `${noAnswer(r)} in the ${ms(waited)} that followed`,
      ...otherIcmp(r),
    ]),
  ];
}

/** Under this delay the stale state cost little (Linux resends its SYN at once): information only. */
const NOTICEABLE_DELAY_S = 1;

/**
 * A SYN answered by an ACK for another connection (not a SYN-ACK: a challenge ACK from a peer
 * that still holds a connection on the 4-tuple, RFC 5961 section 4), the client's reset of it
 * (RFC 9293 section 3.10.7.3), and the same SYN (same initial sequence number) sent again. The
 * tracker keeps it one connection; this names why it started late.
 */
export function judgeCaptureStaleSyn(r: TcpRecord): Finding[] {
  const pk = r.tcp.packets;
  const syn = r.tcp.syn;
  if (!syn) return [];
  const ack = pk.find((p) => p.dir === 1 && p.frame > syn.frame && (p.flags & (TcpFlag.SYN | TcpFlag.RST | TcpFlag.ACK)) === TcpFlag.ACK && p.ack !== ((syn.seq + 1) >>> 0));
  if (!ack) return [];
  const rst = pk.find((p) => p.dir === 0 && p.frame > ack.frame && p.flags & TcpFlag.RST);
  const again = rst && pk.find((p) => p.dir === 0 && p.frame > rst.frame && (p.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN && p.seq === syn.seq);
  if (!rst || !again) return [];
  const synAck = r.tcp.synAck && r.tcp.synAck.frame > again.frame ? r.tcp.synAck : undefined;
  const late = again.time - syn.time;
  return [
    finding('TCP_STALE_CONNECTION', compact([
      `the client's SYN in frame ${syn.frame} (initial sequence number ${syn.seq}) was answered in frame ${ack.frame} (${since(r.firstTime, ack.time)}) by an ACK of ${ack.ack}, not of the SYN (${(syn.seq + 1) >>> 0}), and no SYN-ACK: the peer still held another connection on ${r.client.ip}:${r.client.port} → ${r.server.ip}:${r.server.port}, and answered with a challenge ACK`,
      synAck && (synAck.ttl === ack.ttl ? `that ACK has the SYN-ACK's TTL (${ack.ttl}): the server itself held the old connection` : `that ACK has TTL ${ack.ttl}, the SYN-ACK ${synAck.ttl}: something other than the server (a NAT, load balancer or firewall on the path) held the old connection`),
      `the client reset it in frame ${rst.frame}${rst.seq === ack.ack ? ` (RST at ${rst.seq}, the sequence number that ACK asked for, which clears the old connection)` : ''}`,
      `the same SYN (same initial sequence number) went out again in frame ${again.frame}, ${ms(late)} after the first`,
      synAck ? `a SYN-ACK answered it in frame ${synAck.frame}: the connection began ${ms(synAck.time - syn.time)} after its first SYN` : 'no SYN-ACK answered it in the capture',
    ]), late < NOTICEABLE_DELAY_S ? { severity: 'info' } : {}),
  ];
}

// noAnswer and otherIcmp speak of a SYN no unreachable answered: every ICMP error of the
// connection is then one that does not refuse it (a TTL run out, a packet too big).

/** What did not come back: with other ICMP in the capture, the ICMP that did not is the unreachable. */
export function noAnswer(r: TcpRecord): string {
  return `no SYN-ACK, RST or ICMP${r.tcp.icmp.length > 0 ? ' unreachable' : ''}`;
}

/** The ICMP that came back without refusing the connection. */
export function otherIcmp(r: TcpRecord): string[] {
  return notRefusing(r, r.tcp.icmp);
}

/** A probe: how the TCP connect of the first hello ended. */
export function judgeProbeTcp(r: ProbeRecord): Finding[] {
  const h = r.hello;
  if (!h || h.kind !== 'connect-failed') return [];
  const c = h.connect;
  // A timeout's message already names the time waited: the clock's few ms past it say nothing more.
  const after = c.kind === 'timeout' ? '' : ` after ${c.ms.toFixed(0)} ms`;
  const line = `connect to ${r.address}:${r.target.port}: ${c.message}${c.code ? ` (${c.code})` : ''}${after}`;
  switch (c.kind) {
    case 'refused':
      return [finding('TCP_REFUSED', [line])];
    case 'timeout':
      return [finding('TCP_TIMEOUT', [line])];
    case 'unreachable':
      return [finding('TCP_UNREACHABLE', [line, 'an ICMP unreachable (or a local firewall) refused the connection'])];
    case 'reset':
      return [finding('TCP_RESET', [line])];
    default:
      return [finding('PROBE_ERROR', [line])];
  }
}
