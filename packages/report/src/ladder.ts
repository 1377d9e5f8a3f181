import type { ConnectionRecord } from '@tlsdoctor/analysis';
import { TcpFlag, type PacketFacts } from '@tlsdoctor/capture';

/** One arrow of a connection's picture: who sent what, when. */
export interface LadderStep {
  /** Milliseconds since the connection's first packet. */
  atMs: number;
  frame: number;
  /** `path`: something between the two ends (a router's ICMP). */
  from: 'client' | 'server' | 'path';
  what: string;
  /** The arrow ends the connection (a reset). */
  ends?: boolean;
}

export interface Ladder {
  steps: LadderStep[];
  /** What the picture leaves out or cannot show (silence, retransmissions, packets past the first). */
  notes: string[];
}

/** Steps at most: the picture is for the handshake, not the whole transfer. */
const MAX_STEPS = 14;

const ICMP_UNREACHABLE: Record<number, string> = { 0: 'net unreachable', 1: 'host unreachable', 3: 'port unreachable', 4: 'fragmentation needed', 9: 'net prohibited', 10: 'host prohibited', 13: 'administratively prohibited' };
/** ICMPv6 destination unreachable (type 1) numbers its codes otherwise (RFC 4443). */
const ICMP6_UNREACHABLE: Record<number, string> = { 0: 'no route', 1: 'administratively prohibited', 2: 'beyond scope', 3: 'address unreachable', 4: 'port unreachable', 5: 'source address failed policy', 6: 'reject route' };

/**
 * The handshake as a ladder of arrows, from the connection's first packets and the TLS messages,
 * alerts, resets and ICMP the capture showed: SYN, SYN-ACK (with its TTL), the ClientHello (size
 * and segments), and what came back. Pure ACKs are left out; they say nothing about the failure.
 */
export function ladderOf(r: ConnectionRecord): Ladder {
  const ms = (t: number) => Math.round((t - r.firstTime) * 1e5) / 1e2;
  const side = (dir: number) => (dir === 0 ? 'client' : 'server') as 'client' | 'server';
  const named = new Map<number, string[]>();
  const name = (frame: number, what: string) => (named.get(frame) ?? named.set(frame, []).get(frame)!).push(what);
  for (const m of r.messages) name(m.frame, m.name.replace(/ /g, ''));
  for (const a of r.alerts) name(a.frame, `alert ${a.name} (${a.level})`);
  if (r.nonTls) name(r.nonTls.frame, `not TLS: ${r.nonTls.description.summary}`);
  for (const e of r.encryptedFrom) if (e && !named.has(e.frame)) name(e.frame, 'encrypted records');
  const synAckTtl = r.tcp.synAck?.ttl;
  const steps: LadderStep[] = [];
  const seen = new Set<number>();
  // Client data before the ClientHello's last segment belongs to it.
  let pending: PacketFacts[] = [];
  for (const p of r.tcp.packets) {
    seen.add(p.frame);
    const syn = p.flags & TcpFlag.SYN;
    const ack = p.flags & TcpFlag.ACK;
    const from = side(p.dir);
    if (p.flags & TcpFlag.RST) {
      steps.push({ atMs: ms(p.time), frame: p.frame, from, what: `RST, TTL ${p.ttl}${from === 'server' && synAckTtl !== undefined && synAckTtl !== p.ttl ? ` (the SYN-ACK's: ${synAckTtl})` : ''}`, ends: true });
      continue;
    }
    if (syn) {
      steps.push({ atMs: ms(p.time), frame: p.frame, from, what: ack ? `SYN-ACK, TTL ${p.ttl}` : 'SYN' });
      continue;
    }
    const names = named.get(p.frame);
    if (p.len > 0 && !names && p.dir === 0 && r.clientHello && p.frame < r.clientHello.frame) {
      pending.push(p);
      continue;
    }
    if (p.len > 0) {
      const parts = p.dir === 0 && r.clientHello?.frame === p.frame ? [...pending, p] : [p];
      const bytes = parts.reduce((n, q) => n + q.len, 0);
      const segments = parts.length > 1 ? ` in ${parts.length} ${r.quic ? 'datagrams' : 'segments'}` : '';
      // A QUIC datagram says which packets it held; its TLS messages, when read, say more.
      const what = names ? (p.quic ? `${p.quic}: ${names.join(', ')}` : names.join(', ')) : (p.quic ?? 'data');
      steps.push({ atMs: ms(parts[0].time), frame: p.frame, from, what: `${what}, ${bytes} bytes${segments}` });
      if (parts.length > 1) pending = [];
    }
    if (p.flags & TcpFlag.FIN) steps.push({ atMs: ms(p.time), frame: p.frame, from, what: 'FIN' });
  }
  // Segments of a ClientHello whose last segment lies past the packets kept: shown as they are.
  for (const p of pending) steps.push({ atMs: ms(p.time), frame: p.frame, from: 'client', what: `data, ${p.len} bytes (part of the ClientHello)` });
  // What lies past the first packets the tracker keeps: messages, alerts, resets, the end.
  for (const [frame, names] of named) {
    if (seen.has(frame)) continue;
    const m = r.messages.find((x) => x.frame === frame) ?? r.alerts.find((x) => x.frame === frame) ?? (r.nonTls?.frame === frame ? r.nonTls : undefined);
    const e = r.encryptedFrom.find((x) => x?.frame === frame);
    const from = m ? m.from : e ? (r.encryptedFrom[0] === e ? 'client' : 'server') : 'client';
    const time = m?.time ?? e?.time;
    if (time !== undefined) steps.push({ atMs: ms(time), frame, from, what: names.join(', ') });
  }
  for (const p of r.tcp.rsts) {
    if (seen.has(p.frame)) continue;
    steps.push({ atMs: ms(p.time), frame: p.frame, from: side(p.dir), what: `RST, TTL ${p.ttl}`, ends: true });
  }
  for (const i of r.tcp.icmp) {
    const table = i.type === 1 ? ICMP6_UNREACHABLE : ICMP_UNREACHABLE;
    const what = i.type === 3 || i.type === 1 ? `ICMP${i.type === 1 ? 'v6' : ''} ${table[i.code] ?? `unreachable, code ${i.code}`}` : `ICMP type ${i.type} code ${i.code}`;
    steps.push({ atMs: ms(i.time), frame: i.frame, from: 'path', what: `${what} from ${i.from}, TTL ${i.ttl}`, ends: i.type === 3 || i.type === 1 });
  }
  steps.sort((a, b) => a.frame - b.frame);
  const notes: string[] = [];
  if (r.tcp.synCount > 1) notes.push(`the client sent its SYN ${r.tcp.synCount} times`);
  const [cr, sr] = r.tcp.retransmissions;
  const serverAfterHello = r.clientHello && steps.some((s) => s.from === 'server' && s.frame > r.clientHello!.frame);
  if (r.clientHello && !serverAfterHello) notes.push(`nothing from the server after the ClientHello${cr > 0 ? `; the client retransmitted ${cr} time(s)` : ''}`);
  else if (r.quic && !r.clientHello && r.quic.datagrams[1] === 0) notes.push('nothing from the server');
  else if (cr + sr > 0) notes.push(`retransmissions: ${cr} from the client, ${sr} from the server`);
  const shown = steps.length > MAX_STEPS ? steps.slice(0, MAX_STEPS) : steps;
  if (r.tcp.packetCount > r.tcp.packets.length || steps.length > shown.length) notes.push(`${r.tcp.packetCount} ${r.quic ? 'datagrams' : 'packets'} in all; the first are shown`);
  if (r.end && !shown.some((s) => s.ends)) notes.push(`ended by ${r.end.how === 'rst' ? 'a reset' : 'FIN'} from the ${r.end.by} after ${r.end.after} (frame ${r.end.frame})`);
  return { steps: shown, notes };
}
