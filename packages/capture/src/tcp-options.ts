// The TCP header's flags and the options a diagnosis reads (RFC 793, RFC 2018).

export const TcpFlag = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 } as const;

/** TCP option kinds (IANA's TCP parameters). */
const TcpOption = { END: 0, NOP: 1, MSS: 2, SACK: 5 } as const;

/**
 * The TCP options a diagnosis reads, from a packet's header (`from` to `to`): the MSS a SYN
 * announces and the SACK blocks an ACK carries (RFC 2018: left and right edges, absolute
 * sequence numbers). A malformed option list ends the walk: what was read stays.
 */
export function readTcpOptions(b: Uint8Array, from: number, to: number): { mss?: number; sack?: number[] } {
  const out: { mss?: number; sack?: number[] } = {};
  let p = from;
  while (p < to) {
    const kind = b[p];
    if (kind === TcpOption.END) break;
    if (kind === TcpOption.NOP) {
      p++;
      continue;
    }
    if (p + 1 >= to) break;
    const len = b[p + 1];
    if (len < 2 || p + len > to) break;
    if (kind === TcpOption.MSS && len === 4) out.mss = (b[p + 2] << 8) | b[p + 3];
    else if (kind === TcpOption.SACK && (len - 2) % 8 === 0) {
      const edges: number[] = [];
      for (let q = p + 2; q < p + len; q += 4) edges.push(((b[q] << 24) | (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3]) >>> 0);
      out.sack = edges;
    }
    p += len;
  }
  return out;
}
