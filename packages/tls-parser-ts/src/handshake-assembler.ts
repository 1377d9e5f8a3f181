import { TlsParseError } from './errors.js';
import { parseClientHello, parseServerHello } from './hello.js';
import { HandshakeType } from './names.js';
import type { Direction, HandshakeEvent, StreamEvent } from './stream-events.js';

/** A handshake message's header: type (1 byte), body length (3 bytes). */
const HEADER = 4;

export interface AssemblerOptions {
  /**
   * The side whose hello is parsed (a client's ClientHello, a server's ServerHello); undefined
   * for messages opened with keys, where a hello (a TLS 1.2 renegotiation) is listed, not read.
   */
  hellosOf: Direction | undefined;
  /** Messages that declare a longer body are an error, never a buffer. */
  maxMessage: number;
  /** Events are marked `decrypted`: their bytes were opened with keys. */
  decrypted: boolean;
  /**
   * How a message whose bytes come in two or more fragments is joined, and where it is placed
   * (with the messages after it in the same fragment): kept here and placed at its first byte
   * ('first-fragment': records in clear), or at the start of the fragment that completed it
   * ('last-fragment': records opened with keys, whose plaintext has no place of its own in the
   * stream, so what is read from them is placed at the record); or not kept here at all ('none':
   * a CRYPTO stream holds its bytes itself and hands over all it has each time).
   */
  join: 'first-fragment' | 'last-fragment' | 'none';
}

/** Told of each message as it is cut, before the next: whether the rest of the fragment is now under keys, and not to be read. */
export interface MessageListener {
  afterMessage(ev: HandshakeEvent): boolean;
}

/**
 * Joins the fragments of a handshake stream and cuts them into messages (`type(1) length(3)
 * body`), for each of the three places messages come from: records in clear, records opened
 * with keys, QUIC CRYPTO streams. Each message becomes the same StreamEvent wherever it came
 * from, its hello parsed here.
 */
export class HandshakeAssembler {
  /** Bytes of an unfinished message, from fragments before, and where they were placed. */
  private pending: Uint8Array | null = null;
  private pendingOffset = 0;
  // The options, each at hand: they are read for every message.
  private readonly hellosOf: Direction | undefined;
  private readonly maxMessage: number;
  private readonly decrypted: boolean;
  private readonly join: AssemblerOptions['join'];

  constructor(opts: AssemblerOptions) {
    this.hellosOf = opts.hellosOf;
    this.maxMessage = opts.maxMessage;
    this.decrypted = opts.decrypted;
    this.join = opts.join;
  }

  /**
   * Cuts `fragment`, placed at `offset`, after the bytes kept from the fragments before: each
   * whole message is pushed onto `out` as its event, with an error event after it when its hello
   * does not parse. The bytes after the last whole message are kept for the next fragment (with
   * `join: 'none'`, left to the caller), unless `listener` answers that the rest is under keys.
   * `copy`: the fragment is the caller's transient chunk, so a parsed hello gets bytes of its
   * own. Returns how many bytes, those kept from before included, were taken as whole messages.
   * Throws TlsParseError (at the length field) at a message that declares more than the
   * maximum; nothing is kept then.
   */
  cut(fragment: Uint8Array, offset: number, copy: boolean, out: StreamEvent[], listener?: MessageListener): number {
    // Locals, not fields, while cutting: the fragment is often a view of the caller's buffer.
    let b = fragment;
    let base = offset;
    const kept = this.pending;
    if (kept) {
      b = new Uint8Array(kept.length + fragment.length);
      b.set(kept);
      b.set(fragment, kept.length);
      if (this.join === 'first-fragment') base = this.pendingOffset;
      copy = false;
      this.pending = null;
    }
    let p = 0;
    while (b.length - p >= HEADER) {
      const len = (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
      if (len > this.maxMessage) throw new TlsParseError(base + p + 1, `a handshake message of at most ${this.maxMessage} bytes`, `${len}`);
      if (b.length - p - HEADER < len) break;
      const ev = this.message(b[p], b.subarray(p + HEADER, p + HEADER + len), base + p, copy, out);
      p += HEADER + len;
      if (listener?.afterMessage(ev)) return p;
    }
    if (p < b.length && this.join !== 'none') {
      this.pending = b.slice(p);
      this.pendingOffset = base + p;
    }
    return p;
  }

  /** Lets go of the bytes kept: they will not be read. */
  drop(): void {
    this.pending = null;
  }

  private message(msgType: number, body: Uint8Array, offset: number, copy: boolean, out: StreamEvent[]): HandshakeEvent {
    const ev: HandshakeEvent = this.decrypted ? { kind: 'handshake', offset, msgType, body, decrypted: true } : { kind: 'handshake', offset, msgType, body };
    const side = this.hellosOf;
    try {
      // A parsed hello reads its fields from its bytes on demand, so it gets bytes of its own.
      if (msgType === HandshakeType.ClientHello && side === 'client') ev.clientHello = parseClientHello(copy ? body.slice() : body, offset + HEADER);
      else if (msgType === HandshakeType.ServerHello && side === 'server') ev.serverHello = parseServerHello(copy ? body.slice() : body, offset + HEADER);
    } catch (e) {
      if (!(e instanceof TlsParseError)) throw e;
      out.push(ev, { kind: 'error', offset: e.offset, error: e });
      return ev;
    }
    out.push(ev);
    return ev;
  }
}
