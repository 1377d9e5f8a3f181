import { TlsParseError } from './errors.js';
import { parseClientHello, parseServerHello } from './hello.js';
import { HandshakeType } from './names.js';
import type { Direction, HandshakeEvent, StreamEvent } from './stream-events.js';

/** A handshake message's header: type (1 byte), body length (3 bytes). */
const HEADER = 4;
const EMPTY = new Uint8Array(0);

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
   * Where a message whose bytes came in two or more fragments is placed, and the messages after
   * it in the same fragment: at its first byte ('first-fragment': plain records, a CRYPTO
   * stream), or at the start of the fragment that completed it ('last-fragment': records opened
   * with keys, whose plaintext has no place of its own in the stream, so what is read from them
   * is placed at the record).
   */
  joinedAt: 'first-fragment' | 'last-fragment';
}

/**
 * Joins the fragments of a handshake stream and cuts them into messages (`type(1) length(3)
 * body`), for each of the three places messages come from: records in clear, records opened
 * with keys, QUIC CRYPTO streams. Each message becomes the same StreamEvent wherever it came
 * from, its hello parsed here.
 *
 * A fragment is taken with add(), its whole messages with next() one at a time (the reader may
 * stop between two: the rest of a record after a TLS 1.3 ServerHello is under keys), and then
 * what is left is kept for the next fragment (keepRest) or let go (drop).
 */
export class HandshakeAssembler {
  /** Bytes of an unfinished message, from fragments before, and where they were placed. */
  private pending: Uint8Array | null = null;
  private pendingOffset = 0;
  /** The fragment being cut (joined to `pending`), where its byte 0 is placed, and how far it is cut. */
  private buf: Uint8Array = EMPTY;
  private base = 0;
  private pos = 0;
  /** The fragment is the caller's transient chunk: a parsed hello gets a copy of its bytes. */
  private copy = false;

  constructor(private readonly opts: AssemblerOptions) {}

  /** Takes the next fragment, placed at `offset`, after any bytes kept from the fragments before. */
  add(fragment: Uint8Array, offset: number, copy: boolean): void {
    const kept = this.pending;
    if (kept) {
      const joined = new Uint8Array(kept.length + fragment.length);
      joined.set(kept);
      joined.set(fragment, kept.length);
      this.buf = joined;
      this.base = this.opts.joinedAt === 'first-fragment' ? this.pendingOffset : offset;
      this.copy = false;
      this.pending = null;
    } else {
      this.buf = fragment;
      this.base = offset;
      this.copy = copy;
    }
    this.pos = 0;
  }

  /**
   * The next whole message of the fragment, pushed onto `out` as its event, with an error event
   * after it when its hello does not parse; undefined when the bytes left hold no whole message.
   * Throws TlsParseError (at the length field) when a message declares more than the maximum.
   */
  next(out: StreamEvent[]): HandshakeEvent | undefined {
    const b = this.buf;
    const p = this.pos;
    if (b.length - p < HEADER) return undefined;
    const len = (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
    const max = this.opts.maxMessage;
    if (len > max) throw new TlsParseError(this.base + p + 1, `a handshake message of at most ${max} bytes`, `${len}`);
    if (b.length - p - HEADER < len) return undefined;
    this.pos = p + HEADER + len;
    return this.message(b[p], b.subarray(p + HEADER, p + HEADER + len), this.base + p, out);
  }

  /** Bytes of the current fragment taken as whole messages so far. */
  get taken(): number {
    return this.pos;
  }

  /** Keeps the bytes after the last whole message, for the next fragment to complete. */
  keepRest(): void {
    const b = this.buf;
    if (this.pos < b.length) {
      this.pending = b.slice(this.pos);
      this.pendingOffset = this.base + this.pos;
    }
    this.buf = EMPTY;
  }

  /** Lets go of every byte not yet taken, kept ones included: they will not be read. */
  drop(): void {
    this.pending = null;
    this.buf = EMPTY;
  }

  private message(msgType: number, body: Uint8Array, offset: number, out: StreamEvent[]): HandshakeEvent {
    const ev: HandshakeEvent = this.opts.decrypted ? { kind: 'handshake', offset, msgType, body, decrypted: true } : { kind: 'handshake', offset, msgType, body };
    const side = this.opts.hellosOf;
    try {
      // A parsed hello reads its fields from its bytes on demand, so it gets bytes of its own.
      if (msgType === HandshakeType.ClientHello && side === 'client') ev.clientHello = parseClientHello(this.copy ? body.slice() : body, offset + HEADER);
      else if (msgType === HandshakeType.ServerHello && side === 'server') ev.serverHello = parseServerHello(this.copy ? body.slice() : body, offset + HEADER);
    } catch (e) {
      if (!(e instanceof TlsParseError)) throw e;
      out.push(ev, { kind: 'error', offset: e.offset, error: e });
      return ev;
    }
    out.push(ev);
    return ev;
  }
}
