import { cutHelloSegments, helloSegments, serverMss, unansweredSplitHello, wireSegments, type CaptureContext, type TcpRecord } from '@tlsdoctor/analysis';
import { icmpWords, TcpFlag, tooBigWords, type PacketFacts } from '@tlsdoctor/capture';
import type { ProbeRecord, ShapedHello } from '@tlsdoctor/probe';
import { describeHello } from '../probe-words.js';
import type { HelloOutcome } from '@tlsdoctor/probe';
import { compact, icmpSeen, plural, since } from '../evidence.js';
import { findingsOf, type CodeInfo, type Finding } from '../finding.js';
import { helloLine } from './hello-line.js';

const TODAYS_CLIENTS =
  'Today\'s browsers and clients (Chrome and Edge 124+, Firefox 132+, Safari 26, Go 1.24+, and curl or Node built with OpenSSL 3.5) offer an X25519MLKEM768 key share: their ClientHello is 1.7 to 2.3 KB and travels in two TCP segments, the first full-size.';

export const HELLO_SIZE_CODES = {
  MTU_BLACKHOLE: {
    severity: 'error',
    title: 'Packets above a size are lost on the path (an MTU black hole)',
    remedy: `Full-size packets toward this server are lost and no ICMP "fragmentation needed" (IPv6: "packet too big") comes back, so the sender never learns to send smaller ones; small packets pass. ${TODAYS_CLIENTS} So browsers hang at the handshake while older clients work. Fix it on the path: clamp the TCP MSS on the tunnel, PPPoE or VPN interface (\`iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu\`), let ICMP type 3 code 4 and ICMPv6 type 2 through every firewall and security group, or lower the MTU of the interface in front of the server to what the path carries (PPPoE 1492; cloud overlays and VPNs: the provider's figure, often 1450 or less).`,
  },
  SPLIT_CLIENT_HELLO_REJECTED: {
    severity: 'error',
    title: 'A ClientHello in more than one TCP segment is refused',
    remedy: `Something in front of the server (a firewall, load balancer or ingress that reads the SNI) looks at the first TCP segment only and drops or resets a ClientHello that does not fit in it. ${TODAYS_CLIENTS} So they fail where older clients pass. Devices known to have done this: ingress-nginx and Envoy releases that routed on SNI from one segment, AWS Network Firewall TLS rules, Fortinet and Palo Alto firewalls during Chrome's post-quantum rollout. Upgrade the device or turn off the inspection that reads the hello. Only as a stopgap: clients can stop offering the hybrid key share (Chrome policy PostQuantumKeyAgreementEnabled=false), which weakens them and fixes nothing for other users.`,
  },
  LARGE_CLIENT_HELLO_REJECTED: {
    severity: 'error',
    title: "The server refuses the ClientHello today's browsers send",
    remedy: `The server, or a device in front of it, answers small ClientHellos (in one packet and split) but not one shaped like a current browser's, with an X25519MLKEM768 key share. ${TODAYS_CLIENTS} A TLS 1.3 server must skip a group it does not know and use one it does (RFC 8446 section 4.2.8), so this is a bug of the server's TLS library or the device's firmware: upgrade it. Only as a stopgap: clients can stop offering the hybrid key share (Chrome policy PostQuantumKeyAgreementEnabled=false).`,
  },
} satisfies Record<string, CodeInfo>;

const finding = findingsOf(HELLO_SIZE_CODES);

/** The black hole is at the client: the path says the packet is too big, and the client never hears it. */
const UNHEARD = {
  title: 'The path says packets are too big, but the client never hears it (an MTU black hole at the client)',
  remedy: `The path announces its smaller MTU with ICMP "fragmentation needed" (IPv6: "packet too big"), as it should, but something on the client drops that message before TCP sees it: a host firewall (iptables or nftables INPUT rules, Windows Firewall), a VPN client or an endpoint security agent. So TCP keeps sending full-size segments that never arrive. ${TODAYS_CLIENTS} Allow ICMP type 3 code 4 and ICMPv6 type 2 in on the client and on the network in front of it; clamping the TCP MSS on the path (\`--clamp-mss-to-pmtu\`) also avoids the need for them.`,
};


const worked = (o: HelloOutcome) => o.kind === 'server-hello' || o.kind === 'hello-retry';
/** The probe's own connect failed: the shape tells nothing about the path. */
const inconclusive = (s: ShapedHello) => s.outcome.kind === 'connect-failed';

/** Headers around a hello in one packet: IP, and TCP with the timestamps option. */
const headerBytes = (family: 4 | 6 | undefined) => (family === 6 ? 40 : 20) + 32;

function shapeLine(s: ShapedHello, family: 4 | 6 | undefined): string {
  const how =
    s.shape === 'post-quantum' ? `a browser-shaped ClientHello with an X25519MLKEM768 key share (${s.bytes} bytes in one write: ${segments(s.bytes)})`
    : s.shape === 'split' ? `the same small ClientHello split in two segments (${s.writes.join(' + ')} bytes)`
    : `a ClientHello of ${s.bytes} bytes in one packet (about ${s.bytes + headerBytes(family)} bytes on the wire)`;
  return `${how}: ${describeHello(s.outcome)}`;
}

/** How a hello of this size travels on a 1,500-byte path. */
function segments(bytes: number): string {
  return bytes > 1448 ? `two segments on a 1,500-byte path, the first full-size` : 'one segment';
}

/**
 * The probe's hellos side by side. Split and small both fine but the browser-sized one lost in
 * silence, with one-packet hellos answered up to a size and lost above it (or all answered, when
 * the limit lies between the largest of them and a full-size segment): packets are lost by size.
 * The split hello refused while the same bytes in one write are answered: one-segment reading.
 * The browser hello refused otherwise (reset, close, alert): the hello itself is refused.
 */
export function judgeProbeHelloShapes(r: ProbeRecord): Finding[] {
  const s = r.shapes;
  const h = r.hello;
  if (!s || !h || !worked(h)) return [];
  if (inconclusive(s.split) || inconclusive(s.postQuantum) || (s.sweep ?? []).some(inconclusive)) return [];
  const small = `the default ClientHello (${s.split.bytes} bytes in one packet): ${describeHello(h)}`;
  if (!worked(s.split.outcome)) {
    return [finding('SPLIT_CLIENT_HELLO_REJECTED', [small, shapeLine(s.split, r.family), shapeLine(s.postQuantum, r.family), `same address ${r.address}:${r.target.port}, same bytes: only the segmenting differs`])];
  }
  if (worked(s.postQuantum.outcome)) return [];
  const sweep = [...(s.sweep ?? [])].sort((a, b) => a.bytes - b.bytes);
  const lines = [small, shapeLine(s.split, r.family), shapeLine(s.postQuantum, r.family), ...sweep.map((x) => shapeLine(x, r.family))];
  const lostBySize = s.postQuantum.outcome.kind === 'silent' && sweep.length > 0 && sizeThreshold(sweep, headerBytes(r.family));
  if (lostBySize) return [finding('MTU_BLACKHOLE', [...lines, lostBySize, `no packet was refused: they vanished, and no ${tooBigWords(r.family === 6 ? 6 : 4)} reached this host, which would then have resent in smaller packets`])];
  return [finding('LARGE_CLIENT_HELLO_REJECTED', lines)];
}

/**
 * "Answered up to N bytes, lost from M" when the sweep's answers stop at one size and none after
 * it is answered or refused outright (a reset is a refusal, not a loss); undefined otherwise.
 */
function sizeThreshold(sweep: ShapedHello[], headers: number): string | undefined {
  const firstLost = sweep.findIndex((x) => !worked(x.outcome));
  const rest = firstLost < 0 ? [] : sweep.slice(firstLost);
  if (rest.some((x) => x.outcome.kind !== 'silent')) return undefined;
  const ok = sweep.slice(0, firstLost < 0 ? sweep.length : firstLost);
  if (ok.length === 0) return undefined;
  const largest = ok[ok.length - 1].bytes;
  return rest.length > 0
    ? `one-packet hellos are answered up to ${largest} bytes and lost from ${rest[0].bytes} bytes: packets of about ${rest[0].bytes + headers} bytes and more do not arrive, those of ${largest + headers} do`
    : `every one-packet hello up to ${largest} bytes is answered; only the full-size segment of the browser-shaped hello is lost: the path's limit lies between the two`;
}

// Captures: the same questions asked of packets. Sequence numbers compare modulo 2^32.
const seqAfter = (a: number, b: number) => ((a - b) | 0) > 0;

function offloadLine(r: TcpRecord, frames: PacketFacts[]): string | undefined {
  if (frames.length === 0) return undefined;
  const f = frames[0];
  const mss = serverMss(r)!;
  return `frame ${f.frame} holds ${f.len} bytes, more than the server's MSS of ${mss}: captured on the sending host before segmentation offload (TSO/GSO) cut it; read as the ${plural(Math.ceil(f.len / mss), 'segment')} it became`;
}

/**
 * A black hole in a capture taken at the client: a large segment of the ClientHello is sent
 * again and again and never acknowledged, while the server acknowledges later bytes (SACK), or
 * repeats its acknowledgement of the bytes before it (it got what followed), and the client never
 * acted on a packet too big: none came back, or one came and the full-size segment was sent whole
 * again after it (then the black hole is at the client, which drops the ICMP).
 */
export function judgeCaptureBlackHole(r: TcpRecord): Finding[] {
  if (!r.clientHello || r.serverHello || r.messages.some((m) => m.from === 'server') || r.encryptedRecords[1] > 0) return [];
  const pk = r.tcp.packets;
  const acks = pk.filter((p) => p.dir === 1 && (p.flags & TcpFlag.ACK) !== 0 && (p.flags & (TcpFlag.SYN | TcpFlag.RST)) === 0);
  const sends = new Map<number, PacketFacts[]>();
  for (const p of pk) if (p.dir === 0 && p.len > 0) sends.set(p.seq, [...(sends.get(p.seq) ?? []), p]);
  for (const [seq, tries] of sends) {
    const size = Math.max(...tries.map((t) => t.len));
    if (tries.length < 2 || size < LARGE_SEGMENT) continue;
    if (acks.some((a) => seqAfter(a.ack, seq))) continue;
    // A SACK block over the segment itself: it arrived after all.
    if (acks.some((a) => a.sack?.some((edge, i) => i % 2 === 0 && !seqAfter(edge, seq) && !seqAfter(seq + size, a.sack![i + 1])))) continue;
    const later = [...sends.values()].map((t) => t[0]).filter((p) => seqAfter(p.seq, seq));
    if (later.length === 0) continue;
    const sacked = acks.find((a) => a.sack && a.sack.some((edge, i) => i % 2 === 0 && !seqAfter(seq + size, edge)));
    const repeated = acks.find((a) => a.ack === seq && a.frame > later[0].frame);
    const proof = sacked ?? repeated;
    if (!proof) continue;
    // The path said the segment was too big: a client that then sent it in smaller segments has
    // path MTU discovery working (no black hole); one that kept sending it whole never heard.
    const tooBig = r.tcp.icmp.find((i) => i.kind === 'packet-too-big');
    const ignored = tooBig && tries.find((t) => t.len === size && t.time > tooBig.time);
    if (tooBig && !ignored) continue;
    const segs = helloSegments(r);
    const resent = r.tcp.retransmissions[0];
    const lastTry = tries[tries.length - 1];
    const edges = sacked?.sack ? blocks(sacked.sack, r) : '';
    return [
      finding('MTU_BLACKHOLE', compact([
        helloLine(r),
        `the ClientHello left in ${plural(wireSegments(r).count, 'segment')}: ${segs.map((p) => `${p.len} bytes (frame ${p.frame})`).join(', ')}`,
        offloadLine(r, wireSegments(r).offloaded),
        `the ${size}-byte segment was sent ${tries.length} times in the frames logged (frames ${tries.map((t) => t.frame).join(', ')}, the last ${since(r.firstTime, lastTry.time)}); the client retransmitted ${resent} time(s) in all; the server never acknowledged it`,
        sacked
          ? `the server acknowledged the bytes after it (SACK ${edges}) in frame ${sacked.frame}: the smaller segment arrived, the full-size one did not`
          : `the server repeated its acknowledgement of the bytes before it in frame ${repeated!.frame}: what followed arrived, the full-size segment did not`,
        tooBig && ignored
          ? `${icmpWords(r.ipVersion, tooBig)} came back ${icmpSeen(r, tooBig)}, yet the client sent the ${size}-byte segment whole again (frame ${ignored.frame}): the ICMP never reached its TCP (a firewall on the client drops it), so it never sent smaller segments`
          : `no ${tooBigWords(r.ipVersion)} for this connection came back in the capture`,
      ]), tooBig && ignored ? UNHEARD : {}),
    ];
  }
  return [];
}

/** A segment this large is full-size on some path; a lost small one is loss, not size. */
const LARGE_SEGMENT = 1000;

/** SACK blocks as byte ranges relative to the client's first byte, as Wireshark shows them. */
function blocks(edges: number[], r: TcpRecord): string {
  // Wireshark's relative numbers count from the ISN: the first data byte is 1.
  const base = r.tcp.syn ? r.tcp.syn.seq : undefined;
  const out: string[] = [];
  for (let i = 0; i + 1 < edges.length; i += 2) {
    out.push(base === undefined ? `${edges[i]}-${edges[i + 1]}` : `${(edges[i] - base) >>> 0}-${(edges[i + 1] - base) >>> 0}`);
  }
  return out.join(', ');
}

/**
 * A split ClientHello answered by a reset or by nothing, where one-segment hellos to the same
 * server in the same capture were answered. Not when the first segment is the one lost (that is
 * a black hole, judged above).
 */
export function judgeCaptureSplitHello(r: TcpRecord, others: Pick<CaptureContext, 'answeredInOneSegment'> | undefined, blackHole: boolean): Finding[] {
  if (!others || blackHole || !unansweredSplitHello(r) || r.messages.some((m) => m.from === 'server') || r.alerts.some((a) => a.from === 'server')) return [];
  const other = others.answeredInOneSegment(r);
  if (!other) return [];
  const cut = r.clientHelloCut;
  const segs = cut ? cutHelloSegments(r) : helloSegments(r);
  const rst = r.tcp.rsts.find((p) => p.dir === 1);
  const sent = segs.map((p) => `${p.len} bytes (frame ${p.frame})`).join(', ');
  return [
    finding('SPLIT_CLIENT_HELLO_REJECTED', compact([
      helloLine(r),
      cut
        ? `the client sent the first ${cut.received} bytes of the ${cut.length}-byte ClientHello record in ${plural(segs.length, 'segment')}: ${sent}; the rest never went out`
        : `the ClientHello left in ${plural(wireSegments(r).count, 'segment')}: ${sent}`,
      !cut && offloadLine(r, wireSegments(r).offloaded),
      rst ? `RST from the server side in frame ${rst.frame} (${since(r.firstTime, rst.time)}), before any TLS byte` : 'no TLS byte came back',
      `connection ${other.id} to the same server ${r.server.ip}:${r.server.port}${r.clientHello ? ` with the same name (${r.sni ?? 'no SNI'})` : ''}, whose ClientHello fit in one segment (${other.bytes} bytes), got a ServerHello in frame ${other.frame}`,
    ])),
  ];
}
