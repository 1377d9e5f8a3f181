import { TlsParseError } from './errors.js';
import { HandshakeAssembler } from './handshake-assembler.js';
import type { ClientHello, ServerHello } from './hello.js';
import { parseAlert } from './messages.js';
import { httpStatusLine } from './nontls.js';
import { ContentType } from './names.js';
import { RECORD_HEADER_LENGTH } from './record.js';
import type { RecordOpener, StreamEvent, StreamReaderOptions } from './stream-events.js';
import { DECRYPTION_TRANSITIONS, type Decryption, type DecryptionInput } from './stream-states.js';

/**
 * The protected records of one direction opened with keys, for a TlsStreamReader given an
 * opener: its decryption is the small machine of DECRYPTION_TRANSITIONS beside the reader's
 * phase. Handshake messages and alerts inside are read as plaintext ones are, marked decrypted;
 * offsets of what is inside are the record's.
 */
export class RecordDecryption {
  state: Decryption = 'none';
  /** Records opened so far. */
  opened = 0;
  /** The client's, as its reader read it: its 0-RTT records can follow it in the chunk that completed it, before the caller has seen it. */
  clientHello: ClientHello | undefined = undefined;
  private asked = false;
  private keys: RecordOpener | undefined;
  /** Made with the keys: the handshake messages inside, joined across records. */
  private messages: HandshakeAssembler | undefined;

  constructor(
    private readonly source: NonNullable<StreamReaderOptions['opener']>,
    private readonly maxMessage: number,
  ) {}

  /** Whether a protected record of this type is to be opened now: keys are asked for at the first one. */
  opens(type: number, serverHello: ServerHello | undefined): boolean {
    if (!this.asked) {
      this.asked = true;
      this.keys = this.source(serverHello, this.clientHello);
      if (this.keys) this.step('keys-given');
    }
    return this.state === 'reading' && this.keys!.outerTypes.includes(type);
  }

  step(input: DecryptionInput): void {
    this.state = DECRYPTION_TRANSITIONS[this.state][input] ?? this.state;
    if (this.state === 'ended') this.messages?.drop();
  }

  /** Opens one record (its header goes into the additional data) and pushes what is inside onto `out`. */
  open(header: Uint8Array, body: Uint8Array, offset: number, out: StreamEvent[]): void {
    const inner = this.keys!.open(header, body);
    if (inner === 'passed-over') return;
    if (!inner) {
      this.step('record-not-opened');
      return;
    }
    if (inner.afterHandshake) {
      // Past the handshake only the first application data record is looked at, and only its
      // status line; tickets and alerts under these keys are left as they were (counted, not read).
      if (inner.contentType !== ContentType.ApplicationData) return;
      out.push({ kind: 'application-answer', offset: offset + RECORD_HEADER_LENGTH, statusLine: httpStatusLine(inner.content) });
      this.step('application-data');
      return;
    }
    this.opened++;
    const at = offset + RECORD_HEADER_LENGTH;
    if (inner.contentType === ContentType.Alert) {
      try {
        out.push({ kind: 'alert', offset: at, alert: parseAlert(inner.content, at), decrypted: true });
      } catch (e) {
        if (!(e instanceof TlsParseError)) throw e;
        out.push({ kind: 'error', offset: e.offset, error: e });
      }
      return;
    }
    // 0-RTT data: the client's handshake records come after it.
    if (inner.earlyData) return;
    if (inner.contentType !== ContentType.Handshake) {
      // Application data: the handshake of this direction is over; nothing more is opened.
      this.step('application-data');
      return;
    }
    const messages = (this.messages ??= new HandshakeAssembler({ hellosOf: undefined, maxMessage: this.maxMessage, decrypted: true, join: 'last-fragment' }));
    try {
      messages.cut(inner.content, at, false, out);
    } catch (e) {
      if (!(e instanceof TlsParseError)) throw e;
      out.push({ kind: 'error', offset: e.offset, error: e });
      this.step('too-large-message');
    }
  }
}
