import { quicTransportParameterName } from './names.js';
import { ByteReader } from './reader.js';

export interface QuicTransportParameter {
  /** Exact, as a bigint, when past 2^53 (GREASE ids often are). */
  id: number | bigint;
  name: string;
  value: Uint8Array;
}

/** A varint read exactly: a Number when it fits, a bigint past 2^53. */
function exactVarint(r: ByteReader, what: string): number | bigint {
  const at = r.pos;
  const v = r.varint(what);
  if (v <= Number.MAX_SAFE_INTEGER) return v;
  let big = BigInt(r.buf[at] & 0x3f);
  for (let i = at + 1; i < r.pos; i++) big = (big << 8n) | BigInt(r.buf[i]);
  return big;
}

/** The quic_transport_parameters extension (RFC 9000 section 18): id, length, value, as varints. */
export function parseQuicTransportParameters(data: Uint8Array, origin = 0): QuicTransportParameter[] {
  const r = new ByteReader(data, 0, data.length, origin);
  const out: QuicTransportParameter[] = [];
  while (r.remaining > 0) {
    const id = exactVarint(r, 'transport parameter id');
    const value = r.bytes(r.varint('transport parameter length'), 'transport parameter value');
    out.push({ id, name: quicTransportParameterName(id), value });
  }
  return out;
}
