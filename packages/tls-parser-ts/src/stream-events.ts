import type { TlsParseError } from './errors.js';
import type { ClientHello, ServerHello, Sslv2ServerHello } from './hello.js';
import type { Alert } from './messages.js';

export type Direction = 'client' | 'server';

/** Stream offsets count bytes from the first byte this reader was given. */
export type StreamEvent =
  | { kind: 'record'; offset: number; contentType: number; version: number; length: number; encrypted: boolean }
  | HandshakeEvent
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
  | { kind: 'sslv2-message'; offset: number; msgType: number }
  /**
   * The side's first application data record, opened under its TLS 1.3 application keys: only its
   * first line is read, and only when that is an HTTP/1.x status line (`statusLine`); nothing
   * else of the application data leaves the reader.
   */
  | { kind: 'application-answer'; offset: number; statusLine: string | undefined };

/** One handshake message, from a record in clear, a record opened with keys, or a QUIC CRYPTO stream. */
export interface HandshakeEvent {
  kind: 'handshake';
  offset: number;
  msgType: number;
  body: Uint8Array;
  clientHello?: ClientHello;
  serverHello?: ServerHello;
  /** It came from a record or packet opened with keys. */
  decrypted?: true;
}

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
   * under encryption, with the hello this reader read (the server's side: its ServerHello; the
   * client's: its ClientHello, whose 0-RTT records may follow in the same chunk). What it
   * returns opens records in order; the first record it cannot open (application data under
   * other keys, or a wrong key) ends the decryption, and those that follow are only counted.
   */
  opener?: (serverHello: ServerHello | undefined, clientHello?: ClientHello) => RecordOpener | undefined;
}

/** Opens one protected record (its 5-byte header goes into the additional data). */
export interface RecordOpener {
  /**
   * The record types it opens: TLS 1.3 hides every type in application_data (23); TLS 1.2
   * shows them, and its handshake (22) and alert (21) records are opened, never its data.
   */
  readonly outerTypes: readonly number[];
  /**
   * `earlyData`: TLS 1.3 0-RTT application data, before the handshake's own records (which follow
   * it under other keys); `afterHandshake`: a record under the side's TLS 1.3 application keys,
   * past its handshake; 'passed-over': a 0-RTT record no key at hand opens, which does not end
   * the reading; undefined: the record does not open, and the reading ends.
   */
  open(header: Uint8Array, body: Uint8Array): OpenedRecord | 'passed-over' | undefined;
}

/** What a protected record held: its real type and content, and under which keys of the schedule. */
export interface OpenedRecord {
  contentType: number;
  content: Uint8Array;
  earlyData?: true;
  afterHandshake?: true;
}
