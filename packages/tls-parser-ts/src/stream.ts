import { TlsParseError } from './errors.js';
import { HandshakeAssembler, type MessageListener } from './handshake-assembler.js';
import { parseSslv2ClientHello, parseSslv2ServerHello, type ServerHello } from './hello.js';
import { parseAlert } from './messages.js';
import { ContentType, HandshakeType, isTls13, Version } from './names.js';
import { NonTlsPrefix } from './nontls.js';
import { classifyStreamStart, holdsOneHello, isTlsContentType, MAX_RECORD_LENGTH, RECORD_HEADER_LENGTH, startsTlsRecord } from './record.js';
import type { Direction, HandshakeEvent, StreamEvent, StreamReaderOptions } from './stream-events.js';
import { RecordDecryption } from './record-decryption.js';
import { ENCRYPTION_REASON, NODES, type Decryption, type Input, type PhaseNode, type ReaderState } from './stream-states.js';

const EMPTY = new Uint8Array(0);

/**
 * Reads one direction of a TLS connection from byte chunks in order. Records may be split
 * across chunks and handshake messages across records; both are joined here. Once the
 * direction is encrypted only records and bytes are counted. Where it is in the conversation
 * is one phase of the transition table in stream-states.ts.
 *
 * Event byte views point into the chunks given (or into this reader's own buffers when a
 * record was split), so callers must not overwrite a chunk while they still use its events.
 */
export class TlsStreamReader implements MessageListener {
  /** Where the reader is: a node of the transition table (stream-states.ts). */
  private phase: PhaseNode = NODES.start;
  /** Records are under keys: kept from the last phase that says, so it outlives a failure. */
  private underKeys = false;
  /** Bytes consumed so far (the offset of the next byte). */
  consumed = 0;
  records = 0;
  encryptedRecords = 0;
  encryptedBytes = 0;
  /** The first record's version field. */
  firstRecordVersion?: number;
  /** Bytes of a non-TLS preamble before the TLS records, when the stream went through a proxy handshake. */
  preambleLength = 0;
  private lastServerHello: ServerHello | undefined;
  /** Made on entering 'not-tls': most streams never do. */
  private prefix: NonTlsPrefix | undefined;

  private readonly maxHs: number;
  private readonly nonTlsCap: number;
  private readonly copyKept: boolean;
  /** The hello this side sends. */
  private readonly helloType: number;
  /** Made with an opener: the protected records it opens. */
  private readonly decrypt: RecordDecryption | undefined;
  /** The messages of records in clear: made at the first (a fifth of streams never carry one). */
  private handshake: HandshakeAssembler | undefined;
  /** Made on first use: most records arrive whole and never need it. */
  private hdrBuf: Uint8Array | null = null;
  private get hdr(): Uint8Array {
    return (this.hdrBuf ??= new Uint8Array(RECORD_HEADER_LENGTH));
  }
  private hdrFill = 0;
  private rec: Uint8Array | null = null;
  private recFill = 0;
  private recOffset = 0;
  /** Body bytes of an encrypted record still to pass over (counted, never buffered). */
  private skip = 0;
  private out: StreamEvent[] = [];

  constructor(
    readonly direction: Direction,
    opts: StreamReaderOptions = {},
  ) {
    this.maxHs = opts.maxHandshakeMessage ?? 256 * 1024;
    this.nonTlsCap = opts.nonTlsPrefix ?? 16 * 1024;
    this.copyKept = opts.transientChunks ?? false;
    this.helloType = direction === 'client' ? HandshakeType.ClientHello : HandshakeType.ServerHello;
    this.decrypt = opts.opener && new RecordDecryption(opts.opener, this.maxHs);
  }

  /** What the reader is in, as callers tell streams apart: 'start', 'records', 'not-tls', 'failed', 'sslv2'. */
  get state(): ReaderState {
    return this.phase.state;
  }

  /** With an `opener`: 'none' without keys, 'reading' while records open, 'ended' once one did not. */
  get decryption(): Decryption {
    return this.decrypt?.state ?? 'none';
  }

  /** Protected records opened with the opener's keys. */
  get decryptedRecords(): number {
    return this.decrypt?.opened ?? 0;
  }

  /** This direction's records are under keys (it stays so once the reading failed or ended). */
  get encrypted(): boolean {
    return this.underKeys;
  }

  /** The first bytes of a stream that turned out not to be TLS. */
  get nonTlsBytes(): Uint8Array {
    return this.prefix?.bytes ?? EMPTY;
  }

  /** True once the non-TLS prefix kept is as long as it will get. */
  get nonTlsFull(): boolean {
    return this.nonTlsBytes.length >= this.nonTlsCap;
  }

  /**
   * A record begun but not finished where the bytes stopped (a hello cut short by a reset): its
   * type, its declared size and the bytes received, record headers included.
   */
  get unfinishedRecord(): { contentType: number; length: number; received: number } | undefined {
    if (!this.rec || this.phase.name === 'sslv2-hello') return undefined;
    return { contentType: this.rec[0], length: this.rec.length, received: this.recFill };
  }

  /** Feeds the next chunk; returns the events it completed. */
  push(chunk: Uint8Array): StreamEvent[] {
    this.out = [];
    this.feed(chunk);
    return this.out;
  }

  /** Call at the end of the stream: classifies a stream shorter than a record header. */
  finish(): StreamEvent[] {
    this.out = [];
    if (this.phase.name === 'start' && this.hdrFill > 0) {
      const head = this.hdr.slice(0, this.hdrFill);
      const kind = classifyStreamStart(head);
      if (kind === 'other' || kind === 'short') this.notTls(head);
    }
    return this.out;
  }

  /** Moves to the phase the table gives for `input` (`at`: where the input is, for the events of entering it). */
  private take(input: Input, at: number): void {
    const next = this.phase.next.get(input);
    if (next === undefined) return;
    const wasUnderKeys = this.underKeys;
    this.phase = next;
    if (next.encrypted !== undefined) this.underKeys = next.encrypted;
    if (this.underKeys && !wasUnderKeys) this.out.push({ kind: 'encryption-started', offset: at, reason: ENCRYPTION_REASON.get(input)! });
    if (next.name === 'failed') {
      this.rec = null;
      this.handshake?.drop();
    }
  }

  private feed(chunk: Uint8Array): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      const phase = this.phase;
      if (phase.bytes === 'counted') {
        this.consumed += n - i;
        break;
      }
      if (phase.bytes === 'prefix') {
        const prefix = this.prefix!;
        const kept = prefix.keep(chunk.subarray(i));
        this.consumed += kept;
        const at = prefix.findRecord(this.helloType);
        if (at >= 0) {
          this.resumeAfterPreamble(at);
          // The rest of this chunk continues the TLS stream found in the preamble.
          this.feed(chunk.subarray(i + kept));
          return;
        }
        this.consumed += n - i - kept;
        break;
      }
      if (this.skip > 0) {
        const take = Math.min(n - i, this.skip);
        this.skip -= take;
        i += take;
        this.consumed += take;
        continue;
      }
      if (this.rec) {
        // Filling a record whose header we already have.
        const take = Math.min(n - i, this.rec.length - this.recFill);
        this.rec.set(chunk.subarray(i, i + take), this.recFill);
        this.recFill += take;
        i += take;
        this.consumed += take;
        if (this.recFill === this.rec.length) {
          const rec = this.rec;
          this.rec = null;
          this.onRecord(rec, 0, rec.length, this.recOffset, false);
        }
        continue;
      }
      if (this.hdrFill === 0 && n - i >= RECORD_HEADER_LENGTH && (phase.wholeRecords || (phase.name === 'start' && startsTlsRecord(chunk, i)))) {
        // Fast path: a whole record inside this chunk is handled without copying.
        const len = (chunk[i + 3] << 8) | chunk[i + 4];
        if (!this.checkHeader(chunk[i], chunk[i + 1], len, this.consumed)) continue;
        if (n - i >= RECORD_HEADER_LENGTH + len) {
          const off = this.consumed;
          const end = i + RECORD_HEADER_LENGTH + len;
          const start = i;
          i = end;
          this.consumed += end - start;
          this.onRecord(chunk, start, end, off, this.copyKept);
          continue;
        }
      }
      // Slow path: gather the 5 header bytes first, then the record body into one buffer.
      if (this.hdrFill === 0) this.recOffset = this.consumed;
      const take = Math.min(n - i, RECORD_HEADER_LENGTH - this.hdrFill);
      this.hdr.set(chunk.subarray(i, i + take), this.hdrFill);
      this.hdrFill += take;
      i += take;
      this.consumed += take;
      if (this.hdrFill < RECORD_HEADER_LENGTH) continue;
      this.hdrFill = 0;
      this.onHeader(this.hdr);
    }
  }

  /** TLS found at `k` in the bytes kept of a non-TLS stream: reading restarts there. */
  private resumeAfterPreamble(k: number): void {
    const prefix = this.prefix!;
    const tls = prefix.bytes.subarray(k);
    this.preambleLength = k;
    this.consumed = k;
    this.take('tls-after-preamble', k);
    prefix.cut(k);
    this.out.push({ kind: 'tls-after-preamble', offset: k, preambleLength: k });
    this.feed(tls);
  }

  private notTls(head: Uint8Array): void {
    this.take('not-tls', this.recOffset);
    (this.prefix ??= new NonTlsPrefix(this.nonTlsCap)).keep(head);
    this.out.push({ kind: 'not-tls', offset: this.recOffset });
  }

  /** A record header read alone (the record was not whole in one chunk, or may not be TLS). */
  private onHeader(h: Uint8Array): void {
    if (this.phase.name === 'start') {
      const kind = classifyStreamStart(h);
      if ((kind === 'sslv2' && this.direction === 'client') || (kind === 'sslv2-server' && this.direction === 'server')) {
        this.take('sslv2-hello', this.recOffset);
        this.beginBuffer(h, (((h[0] & 0x7f) << 8) | h[1]) + 2);
        return;
      }
      if (kind !== 'tls') {
        this.notTls(h);
        return;
      }
    }
    if ((this.phase.name === 'sslv2-client' || this.phase.name === 'sslv2-client-encrypted') && (h[0] & 0x80) !== 0) {
      // Its type is in clear (a two-byte header, then the type); everything after it is encrypted.
      this.out.push({ kind: 'sslv2-message', offset: this.recOffset, msgType: h[2] });
      this.take('sslv2-record', this.recOffset);
      return;
    }
    const len = (h[3] << 8) | h[4];
    if (!this.checkHeader(h[0], h[1], len, this.recOffset)) return;
    if (this.underKeys && (h[0] === ContentType.ApplicationData || h[0] === ContentType.Alert) && !this.decrypt?.opens(h[0], this.lastServerHello)) {
      // Nothing in an encrypted record is readable: count it from its header, skip its body.
      const version = (h[1] << 8) | h[2];
      this.records++;
      this.encryptedRecords++;
      this.encryptedBytes += len;
      this.out.push({ kind: 'record', offset: this.recOffset, contentType: h[0], version, length: len, encrypted: true });
      this.skip = len;
      return;
    }
    this.beginBuffer(h, RECORD_HEADER_LENGTH + len);
  }

  private beginBuffer(h: Uint8Array, total: number): void {
    this.rec = new Uint8Array(total);
    // An SSL 2.0 record may be shorter than the five bytes read to classify it.
    this.rec.set(h.subarray(0, Math.min(total, RECORD_HEADER_LENGTH)));
    this.recFill = RECORD_HEADER_LENGTH;
    if (this.recFill >= total) {
      // A record of no body, or an SSL 2.0 record that short: finish it now.
      const rec = this.rec;
      this.rec = null;
      this.onRecord(rec, 0, total, this.recOffset, false);
    }
  }

  /** Validates a record header; on failure emits the error and stops parsing the stream. */
  private checkHeader(type: number, major: number, len: number, offset: number): boolean {
    if (this.phase.name === 'start') this.take('tls-record', offset);
    if (!isTlsContentType(type) || major !== 3) {
      this.fail('bad-record', new TlsParseError(offset, 'a TLS record header', `content type ${type}, version major ${major}`));
      return false;
    }
    if (len > MAX_RECORD_LENGTH) {
      this.fail('bad-record', new TlsParseError(offset + 3, `a record length of at most ${MAX_RECORD_LENGTH}`, `${len}`));
      return false;
    }
    return true;
  }

  private fail(input: 'bad-record' | 'too-large-message', error: TlsParseError): void {
    this.take(input, error.offset);
    this.out.push({ kind: 'error', offset: error.offset, error });
  }

  /**
   * One whole record, buf[start, end), header included. Views are made only for what is read.
   * `copy`: buf is the caller's chunk, which may not outlive the call, so what is kept is copied.
   */
  private onRecord(buf: Uint8Array, start: number, end: number, offset: number, copy: boolean): void {
    if (this.phase.name === 'sslv2-hello') {
      this.onSslv2Hello(buf.subarray(start, end), offset, copy);
      return;
    }
    const type = buf[start];
    const version = (buf[start + 1] << 8) | buf[start + 2];
    const bodyStart = start + RECORD_HEADER_LENGTH;
    const length = end - bodyStart;
    if (this.firstRecordVersion === undefined) this.firstRecordVersion = version;
    this.records++;
    if (type === ContentType.ChangeCipherSpec) {
      // CCS is never encrypted, also in TLS 1.3 where it is only a middlebox decoy.
      this.out.push({ kind: 'record', offset, contentType: type, version, length, encrypted: false });
      this.out.push({ kind: 'change-cipher-spec', offset });
      this.take('change-cipher-spec', offset + (end - start));
      return;
    }
    if (!this.underKeys && type === ContentType.ApplicationData) this.take('application-data', offset);
    // A clear alert is two bytes with level 1 or 2; anything else is an alert under keys we
    // did not see start (a capture that began mid-connection), as Wireshark also reads it.
    if (!this.underKeys && type === ContentType.Alert && (length !== 2 || (buf[bodyStart] !== 1 && buf[bodyStart] !== 2))) this.take('opaque-alert', offset);
    this.out.push({ kind: 'record', offset, contentType: type, version, length, encrypted: this.underKeys });
    if (this.underKeys && type === ContentType.Handshake && holdsOneHello(buf, bodyStart, end, this.helloType)) {
      this.take('plain-hello', offset);
      this.out[this.out.length - 1] = { kind: 'record', offset, contentType: type, version, length, encrypted: false };
    }
    if (this.underKeys) {
      this.encryptedRecords++;
      this.encryptedBytes += length;
      if (this.decrypt?.opens(type, this.lastServerHello)) this.decrypt.open(buf.subarray(start, bodyStart), buf.subarray(bodyStart, end), offset, this.out);
      // TLS 1.2 application data: this side's handshake is over; nothing more is opened.
      else if (type === ContentType.ApplicationData) this.decrypt?.step('application-data');
      return;
    }
    const body = buf.subarray(bodyStart, end);
    if (type === ContentType.Alert) {
      this.out.push({ kind: 'alert', offset: offset + RECORD_HEADER_LENGTH, alert: parseAlert(body, offset + RECORD_HEADER_LENGTH) });
      return;
    }
    if (type === ContentType.Handshake) this.onHandshakeFragment(body, offset + RECORD_HEADER_LENGTH, copy);
  }

  /** The SSL 2.0 hello record: a client's CLIENT-HELLO (read as a ClientHello), a server's SERVER-HELLO. */
  private onSslv2Hello(rec: Uint8Array, offset: number, copy: boolean): void {
    this.records++;
    try {
      if (this.direction === 'server') {
        const hello = parseSslv2ServerHello(copy ? rec.slice() : rec, offset);
        this.out.push({ kind: 'sslv2-server-hello', offset, hello });
        this.take('sslv2-server-hello', offset);
        return;
      }
      const clientHello = parseSslv2ClientHello(rec, offset);
      this.take(clientHello.legacyVersion === Version.SSL2 ? 'sslv2-only-client-hello' : 'sslv2-client-hello', offset);
      this.out.push({ kind: 'record', offset, contentType: ContentType.Handshake, version: clientHello.legacyVersion, length: rec.length - 2, encrypted: false });
      this.out.push({ kind: 'handshake', offset: offset + 2, msgType: HandshakeType.ClientHello, body: rec.subarray(2), clientHello });
    } catch (e) {
      if (!(e instanceof TlsParseError)) throw e;
      this.fail('bad-record', e);
    }
  }

  private onHandshakeFragment(frag: Uint8Array, fragOffset: number, copy: boolean): void {
    try {
      const messages = (this.handshake ??= new HandshakeAssembler({ hellosOf: this.direction, maxMessage: this.maxHs, decrypted: false, join: 'first-fragment' }));
      messages.cut(frag, fragOffset, copy, this.out, this);
    } catch (e) {
      if (!(e instanceof TlsParseError)) throw e;
      this.fail('too-large-message', e);
    }
  }

  /**
   * A message in clear may change the phase: the server's TLS 1.3 ServerHello, its
   * HelloRetryRequest. Answers whether the rest of the record is under keys.
   */
  afterMessage(ev: HandshakeEvent): boolean {
    if (ev.clientHello && this.decrypt) this.decrypt.clientHello = ev.clientHello;
    const sh = ev.serverHello;
    if (!sh) return false;
    if (sh.isHelloRetryRequest) {
      this.take('hello-retry-request', ev.offset);
      return false;
    }
    this.lastServerHello = sh;
    // Everything the server sends after a TLS 1.3 ServerHello is under handshake keys.
    if (isTls13(sh.version)) this.take('tls13-server-hello', ev.offset + 4 + ev.body.length);
    return this.underKeys;
  }
}
