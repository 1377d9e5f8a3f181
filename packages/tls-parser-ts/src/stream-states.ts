/**
 * The states of a TlsStreamReader and every transition between them, in the spirit of
 * rusticata/tls-parser's tls_states.rs: the reader finds an input in the bytes (a record
 * header, a record, a handshake message) and asks this table where it goes from the phase it
 * is in. An input a phase does not list leaves the phase as it is: a ChangeCipherSpec after
 * the keys changed, a second HelloRetryRequest, any record read in the phase it belongs to.
 */

/** What a caller sees of the phase (`TlsStreamReader.state`). */
export type ReaderState = 'start' | 'records' | 'not-tls' | 'failed' | 'sslv2';

export type Phase =
  /** Nothing read yet: the first bytes say whether the stream is TLS. */
  | 'start'
  /** An SSL 2.0-format hello record is being read (a client's CLIENT-HELLO, a server's SERVER-HELLO). */
  | 'sslv2-hello'
  /** TLS records, the handshake in clear. */
  | 'clear'
  /** The same after a HelloRetryRequest: the server's ChangeCipherSpec is the compatibility one, not a change of keys. */
  | 'clear-after-hrr'
  /** Past the change of keys: records are counted (and opened, with an opener), never read. */
  | 'encrypted'
  | 'encrypted-after-hrr'
  /**
   * After an SSL 2.0 CLIENT-HELLO that offers SSL 2.0 alone: the client's next SSL 2.0 record,
   * its CLIENT-MASTER-KEY, is the last in clear; TLS records are read as in 'clear'.
   */
  | 'sslv2-client'
  | 'sslv2-client-encrypted'
  /** Not TLS: the first bytes are kept, and looked through for TLS after a proxy's preamble. */
  | 'not-tls'
  /** A record or message that breaks the format: nothing after it is read. */
  | 'failed'
  /** An SSL 2.0 exchange past its hellos: the rest is SSL 2.0's own records, not read. */
  | 'sslv2';

export type Input =
  /** The first bytes: a TLS record header; an SSL 2.0 hello of this side; anything else. */
  | 'tls-record'
  | 'sslv2-hello'
  | 'not-tls'
  /** A record header that is not TLS's or announces too long a record; an SSL 2.0 hello that does not parse. */
  | 'bad-record'
  /** The SSL 2.0 hello read: a client's offering TLS too, a client's offering SSL 2.0 alone, a server's. */
  | 'sslv2-client-hello'
  | 'sslv2-only-client-hello'
  | 'sslv2-server-hello'
  /** An SSL 2.0 record after an SSL 2.0-only CLIENT-HELLO. */
  | 'sslv2-record'
  | 'change-cipher-spec'
  | 'application-data'
  /** An alert record that is not two bytes in clear: keys we did not see change (a capture begun mid-connection). */
  | 'opaque-alert'
  | 'tls13-server-hello'
  | 'hello-retry-request'
  /**
   * A handshake record under keys that holds exactly one hello of this side: a second
   * ClientHello after a HelloRetryRequest and the middlebox-compatibility ChangeCipherSpec.
   */
  | 'plain-hello'
  | 'too-large-message'
  /** TLS found in the bytes kept of a stream that was not TLS (a SOCKS or CONNECT preamble before it). */
  | 'tls-after-preamble';

/**
 * phase x input -> next phase. Entering an encrypted phase from a clear one emits
 * `encryption-started`, with the input as its reason; entering 'failed' lets go of every byte
 * held. The other events of an input (the record, the message, the error) are the reader's.
 */
export const TRANSITIONS: { readonly [P in Phase]: { readonly [I in Input]?: Phase } } = {
  start: {
    'tls-record': 'clear',
    'sslv2-hello': 'sslv2-hello',
    'not-tls': 'not-tls',
  },
  'sslv2-hello': {
    'sslv2-client-hello': 'clear',
    'sslv2-only-client-hello': 'sslv2-client',
    'sslv2-server-hello': 'sslv2',
    'bad-record': 'failed',
  },
  clear: {
    'change-cipher-spec': 'encrypted',
    'application-data': 'encrypted',
    'opaque-alert': 'encrypted',
    'tls13-server-hello': 'encrypted',
    'hello-retry-request': 'clear-after-hrr',
    'bad-record': 'failed',
    'too-large-message': 'failed',
  },
  'clear-after-hrr': {
    'application-data': 'encrypted-after-hrr',
    'opaque-alert': 'encrypted-after-hrr',
    'tls13-server-hello': 'encrypted-after-hrr',
    'bad-record': 'failed',
    'too-large-message': 'failed',
  },
  encrypted: {
    'plain-hello': 'clear',
    'bad-record': 'failed',
  },
  'encrypted-after-hrr': {
    'plain-hello': 'clear-after-hrr',
    'bad-record': 'failed',
  },
  'sslv2-client': {
    'sslv2-record': 'sslv2',
    'change-cipher-spec': 'sslv2-client-encrypted',
    'application-data': 'sslv2-client-encrypted',
    'opaque-alert': 'sslv2-client-encrypted',
    'bad-record': 'failed',
    'too-large-message': 'failed',
  },
  'sslv2-client-encrypted': {
    'sslv2-record': 'sslv2',
    'plain-hello': 'sslv2-client',
    'bad-record': 'failed',
  },
  'not-tls': {
    'tls-after-preamble': 'clear',
  },
  failed: {},
  sslv2: {},
};

/** What each phase is to a caller, and how the reader reads the bytes in it. */
export const PHASES: {
  readonly [P in Phase]: {
    readonly state: ReaderState;
    /** Records are under keys (undefined: as they were when the reading ended). */
    readonly encrypted: boolean | undefined;
    /** The bytes are read as records, kept as the non-TLS prefix, or only counted. */
    readonly bytes: 'records' | 'prefix' | 'counted';
    /** A record whole in a chunk is read from the chunk itself; else its header is read first, alone. */
    readonly wholeRecords: boolean;
  };
} = {
  start: { state: 'start', encrypted: false, bytes: 'records', wholeRecords: false },
  'sslv2-hello': { state: 'start', encrypted: false, bytes: 'records', wholeRecords: false },
  clear: { state: 'records', encrypted: false, bytes: 'records', wholeRecords: true },
  'clear-after-hrr': { state: 'records', encrypted: false, bytes: 'records', wholeRecords: true },
  encrypted: { state: 'records', encrypted: true, bytes: 'records', wholeRecords: true },
  'encrypted-after-hrr': { state: 'records', encrypted: true, bytes: 'records', wholeRecords: true },
  // Its next record may be an SSL 2.0 one, whose header is not a TLS header.
  'sslv2-client': { state: 'records', encrypted: false, bytes: 'records', wholeRecords: false },
  'sslv2-client-encrypted': { state: 'records', encrypted: true, bytes: 'records', wholeRecords: false },
  'not-tls': { state: 'not-tls', encrypted: false, bytes: 'prefix', wholeRecords: false },
  failed: { state: 'failed', encrypted: undefined, bytes: 'counted', wholeRecords: false },
  sslv2: { state: 'sslv2', encrypted: undefined, bytes: 'counted', wholeRecords: false },
};

/** The reason `encryption-started` gives, by the input that made the keys change. */
export const ENCRYPTION_REASON: ReadonlyMap<Input, 'change-cipher-spec' | 'application-data' | 'encrypted-alert' | 'tls13-server-hello'> = new Map([
  ['change-cipher-spec', 'change-cipher-spec'],
  ['application-data', 'application-data'],
  ['opaque-alert', 'encrypted-alert'],
  ['tls13-server-hello', 'tls13-server-hello'],
]);

/** A phase as the reader holds it: what it is (PHASES), and where each input leads (TRANSITIONS). */
export interface PhaseNode {
  readonly name: Phase;
  readonly state: ReaderState;
  readonly encrypted: boolean | undefined;
  readonly bytes: 'records' | 'prefix' | 'counted';
  readonly wholeRecords: boolean;
  readonly next: ReadonlyMap<Input, PhaseNode>;
}

/**
 * The two tables above as linked nodes, made once: the reader holds its phase's node and follows
 * its links. Looking a phase and an input up by name in the tables at each transition, and a
 * phase's state at each `state` read, cost about 5% of the reader's instructions per connection
 * (cachegrind, the segments of handshake-dense connections): look-ups by a name that varies go
 * megamorphic.
 */
export const NODES: { readonly [P in Phase]: PhaseNode } = linkPhases();

function linkPhases(): { readonly [P in Phase]: PhaseNode } {
  const phases = Object.keys(PHASES) as Phase[];
  const nodes = {} as { [P in Phase]: PhaseNode & { next: Map<Input, PhaseNode> } };
  for (const name of phases) nodes[name] = { name, ...PHASES[name], next: new Map() };
  for (const name of phases) {
    for (const [input, to] of Object.entries(TRANSITIONS[name]) as [Input, Phase][]) nodes[name].next.set(input, nodes[to]);
  }
  return nodes;
}

/**
 * Decryption of protected records, beside the phase, when the reader has an opener: 'none'
 * until the opener gives keys (asked once, at the first record that could be opened),
 * 'reading' while records open, 'ended' once one does not, or application data comes, or a
 * message inside is too large.
 */
export type Decryption = 'none' | 'reading' | 'ended';
export type DecryptionInput = 'keys-given' | 'record-not-opened' | 'application-data' | 'too-large-message';

export const DECRYPTION_TRANSITIONS: { readonly [D in Decryption]: { readonly [I in DecryptionInput]?: Decryption } } = {
  none: { 'keys-given': 'reading' },
  reading: { 'record-not-opened': 'ended', 'application-data': 'ended', 'too-large-message': 'ended' },
  ended: {},
};
