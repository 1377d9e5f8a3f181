import { TlsParseError } from './errors.js';
import { HandshakeAssembler } from './handshake-assembler.js';
import type { Direction, StreamEvent } from './stream-events.js';

/**
 * One packet-number space's CRYPTO stream of one side, put back in order: frames arrive out of
 * order, overlap, repeat (retransmissions) and span packets and datagrams (a post-quantum
 * ClientHello takes two Initials). Bytes past `limit` are dropped and counted.
 */
export class QuicCryptoStream {
  private buf = new Uint8Array(0);
  /** Filled ranges, sorted and disjoint: start, end, start, end... */
  private filled: number[] = [];
  private taken = 0;
  /** A message longer than the limit was met: it can never be whole, and nothing after it is taken. */
  private stuck = false;
  /** Bytes offered past the limit. */
  dropped = 0;

  constructor(readonly limit = 256 * 1024) {}

  /** Bytes in order from the stream's start. */
  get contiguous(): number {
    return this.filled.length > 0 && this.filled[0] === 0 ? this.filled[1] : 0;
  }

  /** Bytes received anywhere in the stream. */
  get received(): number {
    let n = 0;
    for (let i = 0; i < this.filled.length; i += 2) n += this.filled[i + 1] - this.filled[i];
    return n;
  }

  add(offset: number, data: Uint8Array): void {
    let end = offset + data.length;
    if (end > this.limit) {
      this.dropped += end - Math.max(offset, this.limit);
      end = this.limit;
      if (offset >= end) return;
      data = data.subarray(0, end - offset);
    }
    if (end > this.buf.length) {
      const grown = new Uint8Array(Math.min(this.limit, Math.max(end, this.buf.length * 2, 2048)));
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf.set(data, offset);
    // Merge [offset, end) into the sorted range list.
    const f = this.filled;
    const merged: number[] = [];
    let s = offset, e = end, placed = false;
    for (let i = 0; i < f.length; i += 2) {
      if (f[i + 1] < s) merged.push(f[i], f[i + 1]);
      else if (f[i] > e) {
        if (!placed) merged.push(s, e);
        placed = true;
        merged.push(f[i], f[i + 1]);
      } else {
        s = Math.min(s, f[i]);
        e = Math.max(e, f[i + 1]);
      }
    }
    if (!placed) merged.push(s, e);
    this.filled = merged;
  }

  /**
   * Handshake messages complete in the contiguous bytes and not taken before, as the events a
   * TlsStreamReader makes of messages in records: `handshake`, with the ClientHello of the
   * client's stream or the ServerHello of the server's parsed, `decrypted` for a stream opened
   * with keys (Handshake packets with a key log; its hellos are not parsed), and `error` after a
   * hello that does not parse or at a message longer than the stream's limit, which ends the
   * taking. A body is a view of the stream's buffer, good until the next `add`; a parsed hello
   * has bytes of its own.
   */
  takeEvents(side: Direction, decrypted = false): StreamEvent[] {
    const out: StreamEvent[] = [];
    const have = this.contiguous;
    if (this.stuck || this.taken >= have) return out;
    // The stream joins its bytes itself: the assembler cuts them and keeps none.
    const messages = new HandshakeAssembler({ hellosOf: decrypted ? undefined : side, maxMessage: this.limit, decrypted, join: 'none' });
    try {
      this.taken += messages.cut(this.buf.subarray(this.taken, have), this.taken, true, out);
    } catch (e) {
      if (!(e instanceof TlsParseError)) throw e;
      out.push({ kind: 'error', offset: e.offset, error: e });
      // The messages before it were taken; it starts at the byte before its length field.
      this.taken = e.offset - 1;
      this.stuck = true;
    }
    return out;
  }

  /** The message begun at the first byte not yet taken: its declared size (header included), when its header is in. */
  pendingMessage(): { type: number; length: number; received: number } | undefined {
    const at = this.taken;
    if (this.contiguous < at + 4) return undefined;
    const b = this.buf;
    return { type: b[at], length: 4 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]), received: this.received - at };
  }
}
