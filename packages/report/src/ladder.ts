import type { ConnectionRecord, DatagramFacts, QuicRecord, TcpRecord } from '@tlsdoctor/analysis';
import { icmpWords, TcpFlag, type IcmpFacts, type PacketFacts } from '@tlsdoctor/capture';
import { resendNotes, resendWhat, resentSegments } from './resends.js';

/** One arrow of a connection's picture: who sent what, when. */
export interface LadderStep {
  /** Milliseconds since the connection's first packet. */
  atMs: number;
  frame: number;
  /** `path`: something between the two ends (a router's ICMP). */
  from: 'client' | 'server' | 'path';
  what: string;
  /** The arrow ends the connection: a reset, or an ICMP unreachable (a packet too big or a TTL run out does not). */
  ends?: boolean;
}

export interface Ladder {
  steps: LadderStep[];
  /** What the picture leaves out or cannot show (silence, retransmissions, packets past the first). */
  notes: string[];
}

/** Steps at most: the picture is for the handshake, not the whole transfer. */
const MAX_STEPS = 14;

/**
 * The handshake as a ladder of arrows, from the connection's first packets (TCP segments or QUIC
 * datagrams) and the TLS messages, alerts, resets and ICMP the capture showed: SYN, SYN-ACK (with
 * its TTL), the ClientHello (size and segments), and what came back. Pure ACKs are left out; they
 * say nothing about the failure.
 *
 * Built for every row of a JSON report, so it makes little beyond the steps themselves: a frame's
 * names are found by scanning the record's few messages and alerts, not kept in a map of lists,
 * and the steps are sorted only when the ones past the kept packets are out of order
 * (docs/performance.md).
 */
export function ladderOf(r: ConnectionRecord): Ladder {
  return r.transport === 'tcp' ? tcpLadder(r) : quicLadder(r);
}

function tcpLadder(r: TcpRecord): Ladder {
  const synAckTtl = r.tcp.synAck?.ttl;
  const packets = r.tcp.packets;
  const helloFrame = r.clientHello?.frame;
  const steps: LadderStep[] = [];
  const resent = resentSegments(r);
  // Client data before the ClientHello's last segment belongs to it (a split hello: rare).
  let pending: PacketFacts[] | undefined;
  for (const p of packets) {
    const from = side(p.dir);
    const again = resent.get(p.frame);
    if (again) {
      // A segment sent again is its own step, never a part of the hello's bytes.
      steps.push({ atMs: ms(r, p.time), frame: p.frame, from, what: resendWhat(again, p, helloFrame) });
      if (p.flags & TcpFlag.FIN) steps.push({ atMs: ms(r, p.time), frame: p.frame, from, what: 'FIN' });
      continue;
    }
    if (p.flags & TcpFlag.RST) {
      // A client's reset its own SYN follows (a reset in SYN-SENT) ended a stale connection, not this one.
      steps.push({ atMs: ms(r, p.time), frame: p.frame, from, what: `RST, TTL ${p.ttl}${from === 'server' && synAckTtl !== undefined && synAckTtl !== p.ttl ? ` (the SYN-ACK's: ${synAckTtl})` : ''}`, ...(synAfter(packets, p) ? {} : { ends: true }) });
      continue;
    }
    const challenge = challengeAck(r, p);
    if (challenge) steps.push({ atMs: ms(r, p.time), frame: p.frame, from, what: challenge });
    if (p.flags & TcpFlag.SYN) {
      steps.push({ atMs: ms(r, p.time), frame: p.frame, from, what: p.flags & TcpFlag.ACK ? `SYN-ACK, TTL ${p.ttl}` : 'SYN' });
      continue;
    }
    if (p.len > 0) {
      const names = namesAt(r, p.frame);
      if (names === undefined && p.dir === 0 && helloFrame !== undefined && p.frame < helloFrame) {
        (pending ??= []).push(p);
        continue;
      }
      const joins = completesHello(p, pending, helloFrame);
      steps.push(dataStep(r, p, joins ? pending : undefined, names ?? 'data', 'segments'));
      if (joins) pending = undefined;
    }
    if (p.flags & TcpFlag.FIN) steps.push({ atMs: ms(r, p.time), frame: p.frame, from, what: 'FIN' });
  }
  // Segments of a ClientHello whose last segment lies past the packets kept: shown as they are.
  for (const p of pending ?? NO_PACKETS) steps.push({ atMs: ms(r, p.time), frame: p.frame, from: 'client', what: `data, ${p.len} bytes (part of the ClientHello)` });
  pastKept(r, packets, steps);
  for (let d = 0; d < 2; d++) {
    const e = r.encryptedFrom[d];
    if (!e || kept(packets, e.frame) || namedByTls(r, e.frame)) continue;
    steps.push({ atMs: ms(r, e.time), frame: e.frame, from: d === 0 ? 'client' : 'server', what: 'encrypted records' });
  }
  for (const p of r.tcp.rsts) {
    if (kept(packets, p.frame)) continue;
    steps.push({ atMs: ms(r, p.time), frame: p.frame, from: side(p.dir), what: `RST, TTL ${p.ttl}`, ends: true });
  }
  for (const i of r.tcp.icmp) steps.push(icmpStep(r, i));
  // A stable sort: steps of one frame (data, then its FIN) keep their order.
  if (!inFrameOrder(steps)) steps.sort(byFrame);
  const notes: string[] = resendNotes(r, resent, helloFrame);
  if (r.tcp.synCount > 1) notes.push(`the client sent its SYN ${r.tcp.synCount} times`);
  const cr = r.tcp.retransmissions[0];
  const sr = r.tcp.retransmissions[1];
  if (helloFrame !== undefined && !serverAfter(steps, helloFrame)) notes.push(`nothing from the server after the ClientHello${cr > 0 ? `; the client retransmitted ${cr} time(s)` : ''}`);
  else if (cr + sr > 0) notes.push(`retransmissions: ${cr} from the client, ${sr} from the server`);
  const shown = steps.length > MAX_STEPS ? steps.slice(0, MAX_STEPS) : steps;
  if (r.tcp.packetCount > packets.length || steps.length > shown.length) notes.push(`${r.tcp.packetCount} packets in all; the first are shown`);
  if (r.end && !endsIn(shown)) notes.push(`ended by ${r.end.how === 'rst' ? 'a reset' : 'FIN'} from the ${r.end.by} after ${r.end.after} (frame ${r.end.frame})`);
  return { steps: shown, notes };
}

function quicLadder(r: QuicRecord): Ladder {
  const q = r.quic;
  const datagrams = q.log;
  const helloFrame = r.clientHello?.frame;
  const steps: LadderStep[] = [];
  // Datagrams before the one that completed the ClientHello carry its first parts (a post-quantum hello takes two).
  let pending: DatagramFacts[] | undefined;
  for (const p of datagrams) {
    if (p.len === 0) continue;
    const names = namesAt(r, p.frame);
    if (names === undefined && p.dir === 0 && helloFrame !== undefined && p.frame < helloFrame) {
      (pending ??= []).push(p);
      continue;
    }
    const joins = completesHello(p, pending, helloFrame);
    // A datagram says which packets it held; its TLS messages, when read, say more.
    steps.push(dataStep(r, p, joins ? pending : undefined, datagramWhat(p.packets, names), 'datagrams'));
    if (joins) pending = undefined;
  }
  for (const p of pending ?? NO_DATAGRAMS) steps.push({ atMs: ms(r, p.time), frame: p.frame, from: 'client', what: `data, ${p.len} bytes (part of the ClientHello)` });
  pastKept(r, datagrams, steps);
  for (const i of q.icmp) steps.push(icmpStep(r, i));
  if (!inFrameOrder(steps)) steps.sort(byFrame);
  const notes: string[] = [];
  if (helloFrame !== undefined && !serverAfter(steps, helloFrame)) notes.push('nothing from the server after the ClientHello');
  else if (!r.clientHello && q.datagrams[1] === 0) notes.push('nothing from the server');
  const shown = steps.length > MAX_STEPS ? steps.slice(0, MAX_STEPS) : steps;
  const count = q.datagrams[0] + q.datagrams[1];
  if (count > datagrams.length || steps.length > shown.length) notes.push(`${count} datagrams in all; the first are shown`);
  return { steps: shown, notes };
}

interface Sent {
  frame: number;
  time: number;
  dir: number;
  len: number;
}

/** The step of a data unit; one that completes a split ClientHello takes in the parts sent before it. */
function dataStep(r: ConnectionRecord, p: Sent, parts: readonly Sent[] | undefined, what: string, units: string): LadderStep {
  let first = p;
  let bytes = p.len;
  let count = 1;
  if (parts !== undefined) {
    first = parts[0];
    for (const x of parts) bytes += x.len;
    count += parts.length;
  }
  const segments = count > 1 ? ` in ${count} ${units}` : '';
  return { atMs: ms(r, first.time), frame: p.frame, from: side(p.dir), what: `${what}, ${bytes} bytes${segments}` };
}

/** Whether this unit completes the ClientHello whose earlier parts are pending. */
const completesHello = (p: Sent, pending: readonly Sent[] | undefined, helloFrame: number | undefined) => pending !== undefined && p.dir === 0 && helloFrame === p.frame;

/** A datagram's step: the packets it held (none read: "data"), then its TLS messages when read. */
export function datagramWhat(packets: string, names: string | undefined): string {
  if (names === undefined) return packets || 'data';
  return packets ? `${packets}: ${names}` : names;
}

/**
 * What lies past the first packets the capture keeps: messages, alerts, non-TLS bytes. A frame
 * with names gets one step, where its first name comes from.
 */
function pastKept(r: ConnectionRecord, packets: readonly { frame: number }[], steps: LadderStep[]): void {
  const { messages, alerts } = r;
  const nonTls = r.transport === 'tcp' ? r.nonTls : undefined;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!kept(packets, m.frame) && !frameIn(messages, i, m.frame)) steps.push({ atMs: ms(r, m.time), frame: m.frame, from: m.from, what: namesAt(r, m.frame)! });
  }
  for (let i = 0; i < alerts.length; i++) {
    const a = alerts[i];
    if (!kept(packets, a.frame) && !frameIn(messages, messages.length, a.frame) && !frameIn(alerts, i, a.frame)) steps.push({ atMs: ms(r, a.time), frame: a.frame, from: a.from, what: namesAt(r, a.frame)! });
  }
  if (nonTls && !kept(packets, nonTls.frame) && !frameIn(messages, messages.length, nonTls.frame) && !frameIn(alerts, alerts.length, nonTls.frame)) {
    steps.push({ atMs: ms(r, nonTls.time), frame: nonTls.frame, from: nonTls.from, what: namesAt(r, nonTls.frame)! });
  }
}

/** An ICMP error from the path; an unreachable ends the connection, a packet too big or a TTL run out does not. */
function icmpStep(r: ConnectionRecord, i: IcmpFacts): LadderStep {
  return { atMs: ms(r, i.time), frame: i.frame, from: 'path', what: `${icmpWords(r.ipVersion, i)} from ${i.from}, TTL ${i.ttl}`, ends: i.kind === 'unreachable' };
}

const NO_PACKETS: PacketFacts[] = [];
const NO_DATAGRAMS: DatagramFacts[] = [];

function ms(r: ConnectionRecord, t: number): number {
  return Math.round((t - r.firstTime) * 1e5) / 1e2;
}

function side(dir: number): 'client' | 'server' {
  return dir === 0 ? 'client' : 'server';
}

/**
 * What the capture read in a frame, as the ladder names it: its handshake messages, alerts or
 * non-TLS bytes, in that order and joined by commas; else "encrypted records" for the first
 * encrypted records of a direction; undefined for none.
 */
function namesAt(r: ConnectionRecord, frame: number): string | undefined {
  let out: string | undefined;
  for (const m of r.messages) if (m.frame === frame) out = out === undefined ? compact(m.name) : `${out}, ${compact(m.name)}`;
  for (const a of r.alerts) if (a.frame === frame) out = out === undefined ? alertName(a) : `${out}, ${alertName(a)}`;
  if (r.transport !== 'tcp') return out;
  if (r.nonTls?.frame === frame) out = out === undefined ? nonTlsName(r.nonTls) : `${out}, ${nonTlsName(r.nonTls)}`;
  // A frame goes one way, so it holds the first encrypted records of one direction at most.
  if (out === undefined && (r.encryptedFrom[0]?.frame === frame || r.encryptedFrom[1]?.frame === frame)) return 'encrypted records';
  return out;
}

/** Whether a message, an alert or non-TLS bytes were read in the frame. */
function namedByTls(r: TcpRecord, frame: number): boolean {
  return frameIn(r.messages, r.messages.length, frame) || frameIn(r.alerts, r.alerts.length, frame) || r.nonTls?.frame === frame;
}

function alertName(a: { name: string; level: string }): string {
  return `alert ${a.name} (${a.level})`;
}

function nonTlsName(n: { description: { summary: string } }): string {
  return `not TLS: ${n.description.summary}`;
}

/** A message's name without its spaces ("Client Hello" as ClientHello). */
function compact(name: string): string {
  return name.includes(' ') ? name.replaceAll(' ', '') : name;
}

/** Whether one of the first `end` items of the list is of the frame. */
function frameIn(list: readonly { frame: number }[], end: number, frame: number): boolean {
  for (let i = 0; i < end; i++) if (list[i].frame === frame) return true;
  return false;
}

function kept(packets: readonly { frame: number }[], frame: number): boolean {
  return frameIn(packets, packets.length, frame);
}

function inFrameOrder(steps: readonly LadderStep[]): boolean {
  for (let i = 1; i < steps.length; i++) if (steps[i].frame < steps[i - 1].frame) return false;
  return true;
}

function byFrame(a: LadderStep, b: LadderStep): number {
  return a.frame - b.frame;
}

/** Whether the client sent a SYN after this packet of its own. */
function synAfter(packets: readonly PacketFacts[], p: PacketFacts): boolean {
  return p.dir === 0 && packets.some((q) => q.dir === 0 && q.frame > p.frame && (q.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN);
}

/**
 * A server's pure ACK where a SYN-ACK belongs, acknowledging something other than the SYN: the
 * challenge ACK of a peer that still holds another connection on the 4-tuple (RFC 5961). The
 * one pure ACK a picture shows, since it is why the connection started late or not at all.
 */
function challengeAck(r: TcpRecord, p: PacketFacts): string | undefined {
  const syn = r.tcp.syn;
  if (!syn || p.dir !== 1 || p.len > 0 || (p.flags & (TcpFlag.SYN | TcpFlag.RST | TcpFlag.FIN | TcpFlag.ACK)) !== TcpFlag.ACK) return undefined;
  if (p.frame < syn.frame || (r.tcp.synAck && r.tcp.synAck.frame < p.frame) || p.ack === ((syn.seq + 1) >>> 0)) return undefined;
  return `ACK of ${p.ack}, not of the SYN (a challenge ACK: another connection on these ports), TTL ${p.ttl}`;
}

function serverAfter(steps: readonly LadderStep[], frame: number): boolean {
  for (const s of steps) if (s.from === 'server' && s.frame > frame) return true;
  return false;
}

function endsIn(steps: readonly LadderStep[]): boolean {
  for (const s of steps) if (s.ends) return true;
  return false;
}
