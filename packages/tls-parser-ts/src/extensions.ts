import { ByteReader } from './reader.js';
import { TlsParseError } from './errors.js';
import { extensionName, isGrease } from './names.js';
import { Ext } from './ext-types.js';
import { decodeExtension, isDecoded } from './extension-decoders.js';
import type { ApplicationSettings, DecodedExtensions, EchInfo, KeyShareEntry, ServerKeyShare } from './extension-values.js';

export { Ext };

/**
 * One extension as it stands on the wire. The data view and the name are made on demand: a
 * hello carries a dozen or more extensions and most callers read few of them.
 */
export class Extension {
  constructor(
    readonly type: number,
    private readonly buf: Uint8Array,
    /** Where extension_data starts in `buf`, and its length. */
    readonly start: number,
    readonly length: number,
    /** Offset of the extension's type field in the input. */
    readonly offset: number,
    /** Set when extension_data does not follow its own format; the rest of the hello still parses. */
    readonly malformed?: string,
  ) {}

  get grease(): boolean {
    return isGrease(this.type);
  }

  get name(): string {
    return extensionName(this.type);
  }

  /** The extension_data bytes, a view into the input. */
  get data(): Uint8Array {
    return this.buf.subarray(this.start, this.start + this.length);
  }

  toJSON(): { type: number; name: string; length: number; malformed?: string } {
    return { type: this.type, name: this.name, length: this.length, ...(this.malformed ? { malformed: this.malformed } : {}) };
  }
}

/**
 * Writes a 16-bit value's two bytes at `at`, a GREASE value (RFC 8701: 0x?a?a, both bytes equal)
 * as 0x0a0a: the fingerprints leave GREASE out, and browsers pick new values for every
 * connection.
 */
export function putU16(out: Uint8Array, at: number, hi: number, lo: number): void {
  const grease = hi === lo && (hi & 0x0f) === 0x0a;
  out[at] = grease ? 0x0a : hi;
  out[at + 1] = grease ? 0x0a : lo;
}

/**
 * The extensions block of a ClientHello or ServerHello, walked once when the hello is parsed:
 * the framing of every extension and the format of every extension this module knows are
 * checked then, so `malformed` is settled at parse time. What a caller reads (arrays, strings,
 * Extension objects) is built on first read and kept: a capture holds a hello per connection
 * and most of its fields are never looked at, so they cost no allocation.
 */
export abstract class HelloExtensions implements DecodedExtensions {
  /** [type, data start in buf, data length] per extension, in wire order. */
  private exts: number[] = [];
  /** Why an extension is malformed, by its index; made only when one is. */
  private bad?: string[];
  private values?: unknown[];
  private list?: Extension[];
  private types?: number[];

  protected constructor(
    protected readonly buf: Uint8Array,
    /** Offset of buf[0] in the caller's input, for error offsets. */
    protected readonly origin: number,
    private readonly side: 'client' | 'server',
    private readonly hrr: boolean,
  ) {}

  /** Reads the extensions block (u16 length then entries), if any bytes remain for it. */
  protected readExtensions(r: ByteReader): void {
    if (r.remaining === 0) return;
    const outer = r.open16('extensions');
    const exts = this.exts;
    while (r.remaining > 0) {
      const type = r.u16('extension type');
      const length = r.u16('extension length');
      const start = r.pos;
      if (r.remaining < length) r.skip(length, 'extension data'); // throws with the offset
      exts.push(type, start, length);
      if (isDecoded(type)) {
        const blockEnd = r.end;
        r.end = start + length;
        // Only the message of an error caught here is kept, so no stack is collected for it:
        // the stack walk costs more than parsing a whole hello.
        const limit = ErrorLimits.stackTraceLimit;
        ErrorLimits.stackTraceLimit = 0;
        try {
          decodeExtension(type, r, this.side, this.hrr, false);
        } catch (e) {
          if (!(e instanceof TlsParseError)) throw e;
          (this.bad ??= [])[exts.length / 3 - 1] = `${extensionName(type)}: ${e.message}`;
        } finally {
          ErrorLimits.stackTraceLimit = limit;
        }
        r.end = blockEnd;
      }
      r.pos = start + length;
    }
    r.close(outer, 'extensions');
    // Kept for as long as the connection lives: an exact copy holds a third of what `push` reserved.
    this.exts = exts.slice();
  }

  /**
   * Writes into `out` from `at` each extension's type in wire order and, for the types in
   * `withData`, its length and data: the part of a hello's shape a fingerprint reads.
   * `withData` gives, for each of those types, where its list of 16-bit values starts in the
   * data (-1: it has none); GREASE values in that list and among the types are written as
   * 0x0a0a. Returns where the writing ended, or -1 if it would not fit in `out`.
   */
  protected shapeOfExtensions(out: Uint8Array, at: number, withData: ReadonlyMap<number, number>): number {
    const e = this.exts;
    const b = this.buf;
    for (let i = 0; i < e.length; i += 3) {
      const type = e[i];
      const listAt = withData.get(type);
      const length = e[i + 2];
      if (at + 4 + (listAt === undefined ? 0 : length) > out.length) return -1;
      putU16(out, at, type >> 8, type & 0xff);
      at += 2;
      if (listAt === undefined) continue;
      out[at++] = length >> 8;
      out[at++] = length & 0xff;
      const start = e[i + 1];
      const end = start + length;
      let p = start;
      if (listAt >= 0) {
        for (; p < start + listAt && p < end; p++) out[at++] = b[p];
        for (; p + 1 < end; p += 2, at += 2) putU16(out, at, b[p], b[p + 1]);
      }
      for (; p < end; p++) out[at++] = b[p];
    }
    return at;
  }

  /** Every extension in wire order, GREASE included and flagged. */
  get extensions(): Extension[] {
    if (this.list) return this.list;
    const e = this.exts;
    const out: Extension[] = [];
    for (let i = 0; i < e.length; i += 3) out.push(new Extension(e[i], this.buf, e[i + 1], e[i + 2], this.origin + e[i + 1] - 4, this.bad?.[i / 3]));
    return (this.list = out);
  }

  /** The extension types in wire order, GREASE included: what fingerprints read. */
  get extensionTypes(): number[] {
    if (this.types) return this.types;
    const e = this.exts;
    const out: number[] = [];
    for (let i = 0; i < e.length; i += 3) out.push(e[i]);
    return (this.types = out);
  }

  /** Index of the first extension of this type; a repeated extension is decoded from its first copy. */
  private indexOf(type: number): number {
    const e = this.exts;
    for (let i = 0; i < e.length; i += 3) if (e[i] === type) return i / 3;
    return -1;
  }

  /** The decoded value of an extension, undefined when absent or malformed. */
  private value(type: number): unknown {
    const i = this.indexOf(type);
    if (i < 0 || this.bad?.[i] !== undefined) return undefined;
    // One slot per extension, made at once: filled index by index, a growing list would reserve more.
    const values = (this.values ??= new Array<unknown>(this.exts.length / 3));
    const v = values[i];
    if (v !== undefined) return v;
    const start = this.exts[i * 3 + 1];
    const decoded = decodeExtension(type, this.readerAt(start, start + this.exts[i * 3 + 2]), this.side, this.hrr, true);
    // A decoded list was built by `push`, with room to spare: the value kept is an exact copy.
    return (values[i] = Array.isArray(decoded) ? decoded.slice() : decoded);
  }

  private reader?: ByteReader;

  /** One reader per hello for building values, pointed at each range in turn. */
  protected readerAt(start: number, end: number): ByteReader {
    return this.reader ? this.reader.retarget(start, end) : (this.reader = new ByteReader(this.buf, start, end, this.origin));
  }

  private clientValue(type: number): unknown {
    return this.side === 'client' ? this.value(type) : undefined;
  }

  private serverValue(type: number): unknown {
    return this.side === 'server' ? this.value(type) : undefined;
  }

  get serverNames(): string[] | undefined {
    return this.value(Ext.server_name) as string[] | undefined;
  }
  get supportedVersions(): number[] | undefined {
    return this.clientValue(Ext.supported_versions) as number[] | undefined;
  }
  get selectedVersion(): number | undefined {
    return this.serverValue(Ext.supported_versions) as number | undefined;
  }
  get alpn(): string[] | undefined {
    return this.value(Ext.application_layer_protocol_negotiation) as string[] | undefined;
  }
  get alpnFirstRaw(): Uint8Array | undefined {
    const i = this.indexOf(Ext.application_layer_protocol_negotiation);
    if (i < 0 || this.bad?.[i] !== undefined) return undefined;
    // Checked at parse time: a u16 list length, then the first protocol's u8 length and bytes.
    const b = this.buf;
    const start = this.exts[i * 3 + 1];
    if (((b[start] << 8) | b[start + 1]) === 0) return undefined;
    return b.subarray(start + 3, start + 3 + b[start + 2]);
  }
  get supportedGroups(): number[] | undefined {
    return this.value(Ext.supported_groups) as number[] | undefined;
  }
  get ecPointFormats(): number[] | undefined {
    return this.value(Ext.ec_point_formats) as number[] | undefined;
  }
  get signatureAlgorithms(): number[] | undefined {
    return this.value(Ext.signature_algorithms) as number[] | undefined;
  }
  get signatureAlgorithmsCert(): number[] | undefined {
    return this.value(Ext.signature_algorithms_cert) as number[] | undefined;
  }
  get keyShares(): KeyShareEntry[] | undefined {
    const v = this.value(Ext.key_share);
    return this.side === 'client' ? (v as KeyShareEntry[] | undefined) : (v as ServerKeyShare | undefined)?.shares;
  }
  get keyShareGroup(): number | undefined {
    return (this.serverValue(Ext.key_share) as ServerKeyShare | undefined)?.group;
  }
  get pskKeyExchangeModes(): number[] | undefined {
    return this.value(Ext.psk_key_exchange_modes) as number[] | undefined;
  }
  get preSharedKey(): DecodedExtensions['preSharedKey'] {
    return this.value(Ext.pre_shared_key) as DecodedExtensions['preSharedKey'];
  }
  get earlyData(): boolean | undefined {
    return this.value(Ext.early_data) as boolean | undefined;
  }
  get encryptedClientHello(): EchInfo | undefined {
    return this.value(Ext.encrypted_client_hello) as EchInfo | undefined;
  }
  get statusRequest(): { type: number } | undefined {
    return this.value(Ext.status_request) as { type: number } | undefined;
  }
  get signedCertificateTimestamp(): boolean | undefined {
    return this.value(Ext.signed_certificate_timestamp) as boolean | undefined;
  }
  get sessionTicket(): { length: number } | undefined {
    return this.value(Ext.session_ticket) as { length: number } | undefined;
  }
  get renegotiationInfo(): Uint8Array | undefined {
    return this.value(Ext.renegotiation_info) as Uint8Array | undefined;
  }
  get extendedMasterSecret(): boolean | undefined {
    return this.value(Ext.extended_master_secret) as boolean | undefined;
  }
  get encryptThenMac(): boolean | undefined {
    return this.value(Ext.encrypt_then_mac) as boolean | undefined;
  }
  get compressCertificate(): number[] | undefined {
    return this.value(Ext.compress_certificate) as number[] | undefined;
  }
  get recordSizeLimit(): number | undefined {
    return this.value(Ext.record_size_limit) as number | undefined;
  }
  get paddingLength(): number | undefined {
    return this.value(Ext.padding) as number | undefined;
  }
  get applicationSettings(): ApplicationSettings | undefined {
    const a = this.clientValue(Ext.application_settings) ?? this.clientValue(Ext.application_settings_old);
    return a as ApplicationSettings | undefined;
  }
  get quicTransportParameters(): { length: number } | undefined {
    return this.value(Ext.quic_transport_parameters) as { length: number } | undefined;
  }
  get cookieLength(): number | undefined {
    return this.value(Ext.cookie) as number | undefined;
  }
}

/** V8's (and JavaScriptCore's) knob for how many frames an Error collects; other engines ignore it. */
const ErrorLimits = Error as { stackTraceLimit?: number };
