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
