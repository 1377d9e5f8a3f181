import { TlsParseError } from './errors.js';
import { parseClientHello, parseServerHello, parseSslv2ClientHello, parseSslv2ServerHello, type ClientHello, type ServerHello, type Sslv2ServerHello } from './hello.js';
import { parseAlert, type Alert } from './messages.js';
import { ContentType, HandshakeType, isTls13, Version } from './names.js';
import { classifyStreamStart, isTlsContentType, MAX_RECORD_LENGTH, RECORD_HEADER_LENGTH } from './record.js';

export type Direction = 'client' | 'server';

/** Stream offsets count bytes from the first byte this reader was given. */
export type StreamEvent =
  | { kind: 'record'; offset: number; contentType: number; version: number; length: number; encrypted: boolean }
  | { kind: 'handshake'; offset: number; msgType: number; body: Uint8Array; clientHello?: ClientHello; serverHello?: ServerHello; decrypted?: true }
  | { kind: 'alert'; offset: number; alert: Alert; decrypted?: true }
  | { kind: 'change-cipher-spec'; offset: number }
  | { kind: 'encryption-started'; offset: number; reason: 'change-cipher-spec' | 'tls13-server-hello' | 'application-data' | 'encrypted-alert' }
  | { kind: 'not-tls'; offset: number }
  /** TLS found after a non-TLS preamble (a SOCKS or HTTP CONNECT exchange): records follow from here. */
  | { kind: 'tls-after-preamble'; offset: number; preambleLength: number }
  | { kind: 'error'; offset: number; error: TlsParseError }
  /** An SSL 2.0 SERVER-HELLO: the server answered in SSL 2.0; its records after it are not read. */
  | { kind: 'sslv2-server-hello'; offset: number; hello: Sslv2ServerHello }
  /** The client's SSL 2.0 message after its CLIENT-HELLO (CLIENT-MASTER-KEY): the last one in clear. */
  | { kind: 'sslv2-message'; offset: number; msgType: number };

export interface StreamReaderOptions {
  /** Handshake messages larger than this are an error rather than a buffer (default 256 KiB). */
  maxHandshakeMessage?: number;
  /** How many leading bytes of a non-TLS stream to keep, for describeNonTls and for finding TLS after a proxy preamble (default 16 KiB). */
  nonTlsPrefix?: number;
  /**
   * The caller reuses each chunk once push returns (a capture reader's buffer). The reader then
   * copies what it keeps (a parsed hello's bytes); event views are valid only during the call.
   */
  transientChunks?: boolean;
  /**
   * Keys for this direction's protected handshake records: asked for once, at the first record
   * under encryption, with the ServerHello this reader read (the server's side) if any. What it
   * returns opens records in order; the first record it cannot open (application data under
   * other keys, or a wrong key) ends the decryption, and those that follow are only counted.
   */
  opener?: (serverHello: ServerHello | undefined) => RecordOpener | undefined;
}

/** Opens one protected record (its 5-byte header goes into the additional data). */
export interface RecordOpener {
  /**
   * The record types it opens: TLS 1.3 hides every type in application_data (23); TLS 1.2
   * shows them, and its handshake (22) and alert (21) records are opened, never its data.
   */
  readonly outerTypes: readonly number[];
  open(header: Uint8Array, body: Uint8Array): { contentType: number; content: Uint8Array } | undefined;
}

/** sslv2: an SSL 2.0 exchange past its hellos; the rest is SSL 2.0's own records, not read. */
type State = 'start' | 'records' | 'not-tls' | 'failed' | 'sslv2';

const EMPTY = new Uint8Array(0);

/**
 * Reads one direction of a TLS connection from byte chunks in order. Records may be split
 * across chunks and handshake messages across records; both are joined here. Once the
 * direction is encrypted only records and bytes are counted.
 *
 * Event byte views point into the chunks given (or into this reader's own buffers when a
 * record was split), so callers must not overwrite a chunk while they still use its events.
 */
export class TlsStreamReader {
  state: State = 'start';
  encrypted = false;
  /** Bytes consumed so far (the offset of the next byte). */
  consumed = 0;
  records = 0;
  encryptedRecords = 0;
  encryptedBytes = 0;
  /** The first bytes of a stream that turned out not to be TLS. */
  nonTlsBytes: Uint8Array = EMPTY;
  /** The first record's version field. */
  firstRecordVersion?: number;
  /**
   * Decryption of protected records (with an `opener`): 'none' without keys, 'reading' while
   * records open, 'ended' once one did not (after `decryptedRecords` opened).
   */
  decryption: 'none' | 'reading' | 'ended' = 'none';
  decryptedRecords = 0;
  private openerAsked = false;
  private openWith: RecordOpener | undefined;
  private lastServerHello: ServerHello | undefined;
  /** Handshake bytes of decrypted records not yet a whole message. */
  private dhs: Uint8Array | null = null;

  private readonly maxHs: number;
  private readonly nonTlsCap: number;
  private readonly copyKept: boolean;
  /** Made on first use: most records arrive whole and never need it. */
  private hdrBuf: Uint8Array | null = null;
  private get hdr(): Uint8Array {
    return (this.hdrBuf ??= new Uint8Array(RECORD_HEADER_LENGTH));
  }
  private hdrFill = 0;
  private rec: Uint8Array | null = null;
  private recFill = 0;
  private recOffset = 0;
  private hs: Uint8Array | null = null;
  /** Body bytes of an encrypted record still to pass over (counted, never buffered). */
  private skip = 0;
  private hsOffset = 0;
  private out: StreamEvent[] = [];

  constructor(
    readonly direction: Direction,
    opts: StreamReaderOptions = {},
  ) {
    this.maxHs = opts.maxHandshakeMessage ?? 256 * 1024;
    this.nonTlsCap = opts.nonTlsPrefix ?? 16 * 1024;
    this.copyKept = opts.transientChunks ?? false;
    this.openerSource = opts.opener;
  }

  private readonly openerSource: StreamReaderOptions['opener'];

  /** Whether a protected record of this type is to be opened now. */
  private opens(type: number): boolean {
    return this.decrypting() && this.openWith!.outerTypes.includes(type);
  }

  /** Whether protected records are being opened: keys are asked for at the first one. */
  private decrypting(): boolean {
    if (!this.openerAsked && this.openerSource) {
      this.openerAsked = true;
      this.openWith = this.openerSource(this.lastServerHello);
      if (this.openWith) this.decryption = 'reading';
    }
    return this.decryption === 'reading';
  }

  /** Feeds the next chunk; returns the events it completed. */
  push(chunk: Uint8Array): StreamEvent[] {
    this.out = [];
    this.feed(chunk);
    return this.out;
  }

  /** Bytes of a non-TLS preamble before the TLS records, when the stream went through a proxy handshake. */
  preambleLength = 0;
  private scanned = 0;

  private feed(chunk: Uint8Array): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.state === 'failed' || this.state === 'sslv2') {
        this.consumed += n - i;
        break;
      }
      if (this.state === 'not-tls') {
        const before = this.nonTlsBytes.length;
        this.keepNonTls(chunk.subarray(i));
        const kept = this.nonTlsBytes.length - before;
        this.consumed += kept;
        if (this.resyncAfterPreamble()) {
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
      if (this.hdrFill === 0 && n - i >= RECORD_HEADER_LENGTH && ((this.state === 'records' && !this.sslv2Only) || (this.state === 'start' && this.startsTls(chunk, i)))) {
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
      this.startRecord(this.hdr);
    }
  }

  /**
   * Looks through the kept non-TLS bytes for a handshake record that opens with this side's
   * hello (a SOCKS or CONNECT preamble, then TLS). On a find, parsing restarts there.
   */
  private resyncAfterPreamble(): boolean {
    const b = this.nonTlsBytes;
    const want = this.direction === 'client' ? HandshakeType.ClientHello : HandshakeType.ServerHello;
    for (let k = Math.max(1, this.scanned); k + 6 <= b.length; k++) {
      if (b[k] === ContentType.Handshake && b[k + 1] === 3 && b[k + 2] <= 4 && b[k + 5] === want && ((b[k + 3] << 8) | b[k + 4]) >= 4) {
        const rest = b.subarray(k);
        this.preambleLength = k;
        this.consumed = k;
        this.state = 'records';
        this.nonTlsBytes = b.slice(0, k);
        this.out.push({ kind: 'tls-after-preamble', offset: k, preambleLength: k });
        this.feed(rest);
        return true;
      }
    }
    this.scanned = Math.max(1, b.length - 5);
    return false;
  }

  /**
   * A record begun but not finished where the bytes stopped (a hello cut short by a reset): its
   * type, its declared size and the bytes received, record headers included.
   */
  get unfinishedRecord(): { contentType: number; length: number; received: number } | undefined {
    if (!this.rec || this.sslv2Pending) return undefined;
    return { contentType: this.rec[0], length: this.rec.length, received: this.recFill };
  }

  /** Call at the end of the stream: classifies a stream shorter than a record header. */
  finish(): StreamEvent[] {
    this.out = [];
    if (this.state === 'start' && this.hdrFill > 0) {
      const head = this.hdr.slice(0, this.hdrFill);
      const kind = classifyStreamStart(head);
      if (kind === 'other' || kind === 'short') {
        this.state = 'not-tls';
        this.keepNonTls(head);
        this.out.push({ kind: 'not-tls', offset: this.recOffset });
      }
    }
    return this.out;
  }

  /** True once the non-TLS prefix kept is as long as it will get. */
  get nonTlsFull(): boolean {
    return this.nonTlsBytes.length >= this.nonTlsCap;
  }

  private startRecord(h: Uint8Array): void {
    if (this.state === 'start') {
      const kind = classifyStreamStart(h);
      if ((kind === 'sslv2' && this.direction === 'client') || (kind === 'sslv2-server' && this.direction === 'server')) {
        const len = (((h[0] & 0x7f) << 8) | h[1]) + 2;
        this.beginBuffer(h, len, true);
        return;
      }
      if (kind !== 'tls') {
        this.state = 'not-tls';
        this.keepNonTls(h);
        this.out.push({ kind: 'not-tls', offset: this.recOffset });
        return;
      }
    }
    // After an SSL 2.0 CLIENT-HELLO of version 2, the client goes on in SSL 2.0 records (its
    // CLIENT-MASTER-KEY): nothing TLS follows.
    if (this.sslv2Only && (h[0] & 0x80) !== 0) {
      // Its type is in clear (a two-byte header, then the type); everything after it is encrypted.
      this.out.push({ kind: 'sslv2-message', offset: this.recOffset, msgType: h[2] });
      this.state = 'sslv2';
      return;
    }
    const len = (h[3] << 8) | h[4];
    if (!this.checkHeader(h[0], h[1], len, this.recOffset)) return;
    if (this.encrypted && (h[0] === ContentType.ApplicationData || h[0] === ContentType.Alert) && !this.opens(h[0])) {
      // Nothing in an encrypted record is readable: count it from its header, skip its body.
      const version = (h[1] << 8) | h[2];
      this.records++;
      this.encryptedRecords++;
      this.encryptedBytes += len;
      this.out.push({ kind: 'record', offset: this.recOffset, contentType: h[0], version, length: len, encrypted: true });
      this.skip = len;
      return;
    }
    this.beginBuffer(h, RECORD_HEADER_LENGTH + len, false);
  }

  private sslv2Pending = false;
  private sslv2Only = false;
  private sawHelloRetry = false;

  private beginBuffer(h: Uint8Array, total: number, sslv2: boolean): void {
    this.rec = new Uint8Array(total);
    // An SSL 2.0 record may be shorter than the five bytes read to classify it.
    this.rec.set(h.subarray(0, Math.min(total, RECORD_HEADER_LENGTH)));
    this.recFill = RECORD_HEADER_LENGTH;
    this.sslv2Pending = sslv2;
    if (this.recFill >= total) {
      // Only an SSLv2 record can be this short; finish it now.
      const rec = this.rec;
      this.rec = null;
      this.onRecord(rec, 0, total, this.recOffset, false);
    }
  }

  /** Validates a record header; on failure emits the error and stops parsing the stream. */
  private checkHeader(type: number, major: number, len: number, offset: number): boolean {
    if (this.state === 'start') {
      this.state = 'records';
    }
    if (!isTlsContentType(type) || major !== 3) {
      this.fail(new TlsParseError(offset, 'a TLS record header', `content type ${type}, version major ${major}`));
      return false;
    }
    if (len > MAX_RECORD_LENGTH) {
      this.fail(new TlsParseError(offset + 3, `a record length of at most ${MAX_RECORD_LENGTH}`, `${len}`));
      return false;
    }
    return true;
  }

  private fail(error: TlsParseError): void {
    this.state = 'failed';
    this.rec = null;
    this.hs = null;
    this.out.push({ kind: 'error', offset: error.offset, error });
  }

  private keepNonTls(bytes: Uint8Array): void {
    const room = this.nonTlsCap - this.nonTlsBytes.length;
    if (room <= 0) return;
    const add = bytes.subarray(0, room);
    const next = new Uint8Array(this.nonTlsBytes.length + add.length);
    next.set(this.nonTlsBytes);
    next.set(add, this.nonTlsBytes.length);
    this.nonTlsBytes = next;
  }

  /** A first record header lies whole in the chunk and is a TLS one: the fast path may take it. */
  private startsTls(b: Uint8Array, i: number): boolean {
    return isTlsContentType(b[i]) && b[i + 1] === 3 && b[i + 2] <= 4;
  }

  /**
   * One whole record, buf[start, end), header included. Views are made only for what is read.
   * `copy`: buf is the caller's chunk, which may not outlive the call, so what is kept is copied.
   */
  private onRecord(buf: Uint8Array, start: number, end: number, offset: number, copy: boolean): void {
    if (this.sslv2Pending) {
      this.sslv2Pending = false;
      this.state = 'records';
      this.records++;
      const rec = buf.subarray(start, end);
      if (this.direction === 'server') {
        try {
          const hello = parseSslv2ServerHello(copy ? rec.slice() : rec, offset);
          this.out.push({ kind: 'sslv2-server-hello', offset, hello });
          this.state = 'sslv2';
        } catch (e) {
          if (!(e instanceof TlsParseError)) throw e;
          this.fail(e);
        }
        return;
      }
      try {
        const clientHello = parseSslv2ClientHello(rec, offset);
        if (clientHello.legacyVersion === Version.SSL2) this.sslv2Only = true;
        this.out.push({ kind: 'record', offset, contentType: ContentType.Handshake, version: clientHello.legacyVersion, length: rec.length - 2, encrypted: false });
        this.out.push({ kind: 'handshake', offset: offset + 2, msgType: HandshakeType.ClientHello, body: rec.subarray(2), clientHello });
      } catch (e) {
        if (!(e instanceof TlsParseError)) throw e;
        this.fail(e);
      }
      return;
    }
    this.state = 'records';
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
      // After a HelloRetryRequest the server's compatibility CCS precedes a plaintext ServerHello.
      if (!this.encrypted && !this.sawHelloRetry) {
        this.encrypted = true;
        this.out.push({ kind: 'encryption-started', offset: offset + (end - start), reason: 'change-cipher-spec' });
      }
      return;
    }
    if (!this.encrypted && type === ContentType.ApplicationData) {
      this.encrypted = true;
      this.out.push({ kind: 'encryption-started', offset, reason: 'application-data' });
    }
    // A clear alert is two bytes with level 1 or 2; anything else is an alert under keys we
    // did not see start (a capture that began mid-connection), as Wireshark also reads it.
    if (!this.encrypted && type === ContentType.Alert && (length !== 2 || (buf[bodyStart] !== 1 && buf[bodyStart] !== 2))) {
      this.encrypted = true;
      this.out.push({ kind: 'encryption-started', offset, reason: 'encrypted-alert' });
    }
    this.out.push({ kind: 'record', offset, contentType: type, version, length, encrypted: this.encrypted });
    if (this.encrypted && type === ContentType.Handshake && this.isPlainHello(buf, bodyStart, end)) {
      // A TLS 1.3 middlebox-compatibility CCS may come before a second ClientHello (after a
      // HelloRetryRequest); that hello is still in the clear.
      this.encrypted = false;
      this.out[this.out.length - 1] = { kind: 'record', offset, contentType: type, version, length, encrypted: false };
    }
    if (this.encrypted) {
      this.encryptedRecords++;
      this.encryptedBytes += length;
      if (this.opens(type)) this.openRecord(buf.subarray(start, bodyStart), buf.subarray(bodyStart, end), offset);
      // TLS 1.2 application data: this side's handshake is over; nothing more is opened.
      else if (type === ContentType.ApplicationData && this.decryption === 'reading') this.decryption = 'ended';
      return;
    }
    const body = buf.subarray(bodyStart, end);
    if (type === ContentType.Alert) {
      this.out.push({ kind: 'alert', offset: offset + RECORD_HEADER_LENGTH, alert: parseAlert(body, offset + RECORD_HEADER_LENGTH) });
      return;
    }
    if (type === ContentType.Handshake) this.onHandshakeFragment(body, offset + RECORD_HEADER_LENGTH, copy);
  }

  /**
   * A protected record opened with this direction's keys: its handshake messages and alerts are
   * read as plaintext ones are, marked decrypted. Offsets of what is inside are the record's.
   */
  private openRecord(header: Uint8Array, body: Uint8Array, offset: number): void {
    const inner = this.openWith!.open(header, body);
    if (!inner) {
      this.decryption = 'ended';
      this.dhs = null;
      return;
    }
    this.decryptedRecords++;
    const at = offset + RECORD_HEADER_LENGTH;
    if (inner.contentType === ContentType.Alert) {
      try {
        this.out.push({ kind: 'alert', offset: at, alert: parseAlert(inner.content, at), decrypted: true });
      } catch (e) {
        if (!(e instanceof TlsParseError)) throw e;
        this.out.push({ kind: 'error', offset: e.offset, error: e });
      }
      return;
    }
    if (inner.contentType !== ContentType.Handshake) {
      // Application data: the handshake of this direction is over; nothing more is opened.
      this.decryption = 'ended';
      return;
    }
    let buf = inner.content;
    if (this.dhs) {
      const joined = new Uint8Array(this.dhs.length + buf.length);
      joined.set(this.dhs);
      joined.set(buf, this.dhs.length);
      buf = joined;
      this.dhs = null;
    }
    let p = 0;
    while (buf.length - p >= 4) {
      const msgType = buf[p];
      const len = (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3];
      if (len > this.maxHs) {
        this.out.push({ kind: 'error', offset: at + p + 1, error: new TlsParseError(at + p + 1, `a handshake message of at most ${this.maxHs} bytes`, `${len}`) });
        this.decryption = 'ended';
        return;
      }
      if (buf.length - p - 4 < len) break;
      this.out.push({ kind: 'handshake', offset: at + p, msgType, body: buf.subarray(p + 4, p + 4 + len), decrypted: true });
      p += 4 + len;
    }
    if (p < buf.length) this.dhs = buf.slice(p);
  }

  /** A whole hello of this side's kind fills the record: its type byte and 24-bit length agree. */
  private isPlainHello(b: Uint8Array, start: number, end: number): boolean {
    const want = this.direction === 'client' ? HandshakeType.ClientHello : HandshakeType.ServerHello;
    if (end - start < 4 + 38 || b[start] !== want) return false;
    const len = (b[start + 1] << 16) | (b[start + 2] << 8) | b[start + 3];
    return len === end - start - 4 && b[start + 4] === 3;
  }

  private onHandshakeFragment(frag: Uint8Array, fragOffset: number, copy: boolean): void {
    let buf = frag;
    let base = fragOffset;
    if (this.hs) {
      copy = false;
      const joined = new Uint8Array(this.hs.length + frag.length);
      joined.set(this.hs);
      joined.set(frag, this.hs.length);
      buf = joined;
      base = this.hsOffset;
      this.hs = null;
    }
    let p = 0;
    while (p < buf.length) {
      if (this.encrypted) {
        // The rest of this record follows a TLS 1.3 ServerHello and is not readable.
        return;
      }
      if (buf.length - p < 4) break;
      const msgType = buf[p];
      const len = (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3];
      if (len > this.maxHs) {
        this.fail(new TlsParseError(base + p + 1, `a handshake message of at most ${this.maxHs} bytes`, `${len}`));
        return;
      }
      if (buf.length - p - 4 < len) break;
      const body = buf.subarray(p + 4, p + 4 + len);
      this.onHandshakeMessage(msgType, body, base + p, copy);
      p += 4 + len;
    }
    if (p < buf.length) {
      this.hs = buf.slice(p);
      this.hsOffset = base + p;
    }
  }

  private onHandshakeMessage(msgType: number, body: Uint8Array, offset: number, copy: boolean): void {
    const ev: StreamEvent & { kind: 'handshake' } = { kind: 'handshake', offset, msgType, body };
    try {
      // A parsed hello reads its fields from its bytes on demand, so it gets bytes of its own.
      if (msgType === HandshakeType.ClientHello && this.direction === 'client') {
        ev.clientHello = parseClientHello(copy ? body.slice() : body, offset + 4);
      } else if (msgType === HandshakeType.ServerHello && this.direction === 'server') {
        ev.serverHello = parseServerHello(copy ? body.slice() : body, offset + 4);
      }
    } catch (e) {
      if (!(e instanceof TlsParseError)) throw e;
      this.out.push(ev);
      this.out.push({ kind: 'error', offset: e.offset, error: e });
      return;
    }
    this.out.push(ev);
    const sh = ev.serverHello;
    if (sh && !sh.isHelloRetryRequest) this.lastServerHello = sh;
    if (sh?.isHelloRetryRequest) this.sawHelloRetry = true;
    if (sh && isTls13(sh.version) && !sh.isHelloRetryRequest) {
      // Everything the server sends after a TLS 1.3 ServerHello is under handshake keys.
      this.encrypted = true;
      this.out.push({ kind: 'encryption-started', offset: offset + 4 + body.length, reason: 'tls13-server-hello' });
    }
  }
}
