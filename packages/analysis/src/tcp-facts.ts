import { TcpFlag, type PacketFacts, type TcpConnection } from '@tlsdoctor/capture';
import { sideOf, type EndFacts, type TcpFacts } from './record.js';

/** The TCP part of a record, from the tracker's connection once it is over. */
export function tcpFacts(tcp: TcpConnection): TcpFacts {
  return {
    roles: tcp.roles,
    syn: tcp.syn,
    synCount: tcp.synCount,
    synAck: tcp.synAck,
    synAckCount: tcp.synAckCount,
    rsts: tcp.rsts,
    rstCount: tcp.rstCount,
    fins: tcp.fins,
    icmp: tcp.icmp,
    packets: tcp.packets,
    packetCount: tcp.packetCount,
    bytes: [tcp.stats[0].payloadBytes, tcp.stats[1].payloadBytes],
    retransmissions: [tcp.stats[0].retransmissions, tcp.stats[1].retransmissions],
    gaps: [tcp.stats[0].gaps, tcp.stats[1].gaps],
    history: zeekHistory(tcp),
  };
}

/** The first RST or FIN, and the last TLS event before it (`lastEventBy`). */
export function endFacts(tcp: TcpConnection, lastEventBy: (time: number) => string): EndFacts | undefined {
  // A client's reset followed by its SYN sent again (a reset in SYN-SENT, of a stale
  // connection's ACK) ended that stale state, not this connection.
  const retry = lastClientSyn(tcp);
  const firstRst = retry ? tcp.rsts.find((p) => p.frame > retry.frame) : tcp.rsts[0];
  const firstFin = tcp.fins[0];
  let end = firstRst;
  let how: 'rst' | 'fin' = 'rst';
  if (!end || (firstFin && firstFin.time < end.time)) {
    end = firstFin;
    how = 'fin';
  }
  if (!end) return undefined;
  return { how, by: sideOf(end.dir), frame: end.frame, time: end.time, after: lastEventBy(end.time) };
}

/** The client's last SYN among the packets kept, when it came after a reset of the client's. */
function lastClientSyn(tcp: TcpConnection): PacketFacts | undefined {
  let last: PacketFacts | undefined;
  for (const p of tcp.packets) if (p.dir === 0 && (p.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN) last = p;
  return last && tcp.rsts.some((r) => r.dir === 0 && r.frame < last.frame) ? last : undefined;
}

const HISTORY_LETTERS = 'SHRFDA';

/** Zeek's conn.log history letters for the events we track (upper case: the client). */
export function zeekHistory(tcp: Pick<TcpConnection, 'packets'>): string {
  let h = '';
  // One bit per letter and direction seen: Zeek shows each letter once per direction (R aside).
  let seen = 0;
  for (const p of tcp.packets) {
    const client = p.dir === 0;
    let letter = '';
    const syn = (p.flags & TcpFlag.SYN) !== 0;
    const ack = (p.flags & TcpFlag.ACK) !== 0;
    if (syn && !ack) letter = 'S';
    else if (syn && ack) letter = 'H';
    else if (p.flags & TcpFlag.RST) letter = 'R';
    else if (p.flags & TcpFlag.FIN) letter = 'F';
    else if (p.len > 0) letter = 'D';
    else if (ack) letter = 'A';
    if (!letter) continue;
    const bit = 1 << (HISTORY_LETTERS.indexOf(letter) * 2 + (client ? 0 : 1));
    if (seen & bit && letter !== 'R') continue;
    seen |= bit;
    h += client ? letter : letter.toLowerCase();
  }
  return h;
}
