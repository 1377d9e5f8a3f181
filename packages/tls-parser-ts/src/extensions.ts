import { ByteReader } from './reader.js';
import { TlsParseError } from './errors.js';
import { extensionName, isGrease } from './names.js';

/** Extension type code points that this module decodes. */
export const Ext = {
  server_name: 0x0000,
  status_request: 0x0005,
  supported_groups: 0x000a,
  ec_point_formats: 0x000b,
  signature_algorithms: 0x000d,
  application_layer_protocol_negotiation: 0x0010,
  signed_certificate_timestamp: 0x0012,
  padding: 0x0015,
  encrypt_then_mac: 0x0016,
  extended_master_secret: 0x0017,
  compress_certificate: 0x001b,
  record_size_limit: 0x001c,
  session_ticket: 0x0023,
  pre_shared_key: 0x0029,
  early_data: 0x002a,
  supported_versions: 0x002b,
  cookie: 0x002c,
  psk_key_exchange_modes: 0x002d,
  signature_algorithms_cert: 0x0032,
  key_share: 0x0033,
  quic_transport_parameters: 0x0039,
  application_settings_old: 0x4469,
  application_settings: 0x44cd,
  encrypted_client_hello: 0xfe0d,
  renegotiation_info: 0xff01,
} as const;

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

export interface KeyShareEntry {
  group: number;
  keyLength: number;
  key: Uint8Array;
}

export interface EchInfo {
  /** 0 = outer (the public ClientHello), 1 = inner. */
  type: number;
  kdf?: number;
  aead?: number;
  configId?: number;
  encLength?: number;
  payloadLength?: number;
}

export interface ApplicationSettings {
  codepoint: number;
  protocols: string[];
}

/** The decoded extension fields shared by the ClientHello and the ServerHello. */
export interface DecodedExtensions {
  readonly serverNames?: string[];
  readonly supportedVersions?: number[];
  /** Server side: the single version it chose. */
  readonly selectedVersion?: number;
  readonly alpn?: string[];
  /** The first ALPN protocol's bytes, which JA4 reads byte by byte. */
  readonly alpnFirstRaw?: Uint8Array;
  readonly supportedGroups?: number[];
  readonly ecPointFormats?: number[];
  readonly signatureAlgorithms?: number[];
  readonly signatureAlgorithmsCert?: number[];
  readonly keyShares?: KeyShareEntry[];
  /** Server side: the group of its key share (or, in a HelloRetryRequest, the group it asks for). */
  readonly keyShareGroup?: number;
  readonly pskKeyExchangeModes?: number[];
  readonly preSharedKey?: { identities: number; binders: number } | { selectedIdentity: number };
  readonly earlyData?: boolean;
  readonly encryptedClientHello?: EchInfo;
  readonly statusRequest?: { type: number };
  readonly signedCertificateTimestamp?: boolean;
  readonly sessionTicket?: { length: number };
  readonly renegotiationInfo?: Uint8Array;
  readonly extendedMasterSecret?: boolean;
  readonly encryptThenMac?: boolean;
  readonly compressCertificate?: number[];
  readonly recordSizeLimit?: number;
  readonly paddingLength?: number;
  readonly applicationSettings?: ApplicationSettings;
  readonly quicTransportParameters?: { length: number };
  readonly cookieLength?: number;
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
  private readonly exts: number[] = [];
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
      if (isKnown(type)) {
        const blockEnd = r.end;
        r.end = start + length;
        // Only the message of an error caught here is kept, so no stack is collected for it:
        // the stack walk costs more than parsing a whole hello.
        const limit = ErrorLimits.stackTraceLimit;
        ErrorLimits.stackTraceLimit = 0;
        try {
          decodeExtensionData(type, r, this.side, this.hrr, false);
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
    const values = (this.values ??= []);
    const v = values[i];
    if (v !== undefined) return v;
    const start = this.exts[i * 3 + 1];
    return (values[i] = decodeExtensionData(type, this.readerAt(start, start + this.exts[i * 3 + 2]), this.side, this.hrr, true));
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

interface ServerKeyShare {
  group: number;
  shares?: KeyShareEntry[];
}

function isKnown(type: number): boolean {
  switch (type) {
    case Ext.server_name:
    case Ext.status_request:
    case Ext.supported_groups:
    case Ext.ec_point_formats:
    case Ext.signature_algorithms:
    case Ext.application_layer_protocol_negotiation:
    case Ext.signed_certificate_timestamp:
    case Ext.padding:
    case Ext.encrypt_then_mac:
    case Ext.extended_master_secret:
    case Ext.compress_certificate:
    case Ext.record_size_limit:
    case Ext.session_ticket:
    case Ext.pre_shared_key:
    case Ext.early_data:
    case Ext.supported_versions:
    case Ext.cookie:
    case Ext.psk_key_exchange_modes:
    case Ext.signature_algorithms_cert:
    case Ext.key_share:
    case Ext.quic_transport_parameters:
    case Ext.application_settings_old:
    case Ext.application_settings:
    case Ext.encrypted_client_hello:
    case Ext.renegotiation_info:
      return true;
    default:
      return false;
  }
}

/** Reads `n` bytes of u16 values (n even); returns them when `build` is set. */
function u16List(r: ByteReader, n: number, what: string, build: boolean): number[] | undefined {
  if (build) return r.u16s(n, what);
  r.skipU16s(n, what);
  return undefined;
}

function byteList(r: ByteReader, n: number, what: string, build: boolean): number[] | undefined {
  if (build) return Array.from(r.bytes(n, what));
  r.skip(n, what);
  return undefined;
}

/**
 * Checks one extension's data against its format, the reader spanning exactly that data, and
 * when `build` is set returns the decoded value. One walk serves both, so the check at parse
 * time and the value read later cannot disagree.
 */
function decodeExtensionData(type: number, r: ByteReader, side: 'client' | 'server', hrr: boolean, build: boolean): unknown {
  // Only read in error messages; a constant keeps the happy path free of string building.
  const what = 'extension data';
  switch (type) {
    case Ext.server_name: {
      if (side === 'server') {
        r.expectEnd(what); // servers echo an empty server_name
        return [];
      }
      const outer = r.open16(what);
      const names: string[] | undefined = build ? [] : undefined;
      while (r.remaining > 0) {
        const nameType = r.u8('server_name type');
        if (names) {
          const name = r.string(2, 'server_name entry');
          // Only host_name (0) is defined; other types are kept visible rather than dropped.
          names.push(nameType === 0 ? name : `[type ${nameType}]`);
        } else {
          r.skip(r.u16('server_name entry length'), 'server_name entry');
        }
      }
      r.close(outer, what);
      return names;
    }
    case Ext.supported_versions: {
      if (side === 'server') {
        const v = r.u16(what);
        r.expectEnd(what);
        return v;
      }
      const list = u16List(r, r.u8(what), what, build);
      r.expectEnd(what);
      return list;
    }
    case Ext.application_layer_protocol_negotiation: {
      const outer = r.open16(what);
      const alpn: string[] | undefined = build ? [] : undefined;
      while (r.remaining > 0) {
        if (alpn) alpn.push(r.string(1, 'ALPN protocol'));
        else r.skip(r.u8('ALPN protocol length'), 'ALPN protocol');
      }
      r.close(outer, what);
      return alpn;
    }
    case Ext.supported_groups:
    case Ext.signature_algorithms:
    case Ext.signature_algorithms_cert: {
      const list = u16List(r, r.u16(what), what, build);
      r.expectEnd(what);
      return list;
    }
    case Ext.ec_point_formats:
    case Ext.psk_key_exchange_modes: {
      const list = byteList(r, r.u8(what), what, build);
      r.expectEnd(what);
      return list;
    }
    case Ext.key_share: {
      if (side === 'server') {
        const group = r.u16('key_share group');
        let shares: KeyShareEntry[] | undefined;
        if (!hrr) {
          const key = r.bytes(r.u16('key_exchange length'), 'key_exchange');
          shares = [{ group, keyLength: key.length, key }];
        }
        r.expectEnd(what);
        return { group, shares };
      }
      const outer = r.open16(what);
      const shares: KeyShareEntry[] | undefined = build ? [] : undefined;
      while (r.remaining > 0) {
        const group = r.u16('key_share group');
        const n = r.u16('key_exchange length');
        if (shares) {
          const key = r.bytes(n, 'key_exchange');
          shares.push({ group, keyLength: n, key });
        } else {
          r.skip(n, 'key_exchange');
        }
      }
      r.close(outer, what);
      return shares;
    }
    case Ext.pre_shared_key: {
      if (side === 'server') {
        const selectedIdentity = r.u16(what);
        r.expectEnd(what);
        return { selectedIdentity };
      }
      let outer = r.open16('psk identities');
      let identities = 0;
      while (r.remaining > 0) {
        r.skip(r.u16('psk identity length'), 'psk identity');
        r.u32('obfuscated_ticket_age');
        identities++;
      }
      r.close(outer, 'psk identities');
      outer = r.open16('psk binders');
      let binders = 0;
      while (r.remaining > 0) {
        r.skip(r.u8('psk binder length'), 'psk binder');
        binders++;
      }
      r.close(outer, 'psk binders');
      r.expectEnd(what);
      return { identities, binders };
    }
    case Ext.encrypted_client_hello: {
      if (side === 'server') return { type: -1, payloadLength: r.remaining };
      const echType = r.u8('ECH type');
      if (echType !== 0) return { type: echType };
      const kdf = r.u16('ECH kdf_id');
      const aead = r.u16('ECH aead_id');
      const configId = r.u8('ECH config_id');
      const encLength = r.u16('ECH enc length');
      r.skip(encLength, 'ECH enc');
      const payloadLength = r.u16('ECH payload length');
      r.skip(payloadLength, 'ECH payload');
      r.expectEnd(what);
      return { type: echType, kdf, aead, configId, encLength, payloadLength };
    }
    case Ext.status_request:
      return { type: r.remaining > 0 ? r.u8('status_type') : -1 };
    case Ext.early_data:
    case Ext.signed_certificate_timestamp:
    case Ext.extended_master_secret:
    case Ext.encrypt_then_mac:
      return true;
    case Ext.session_ticket:
      return { length: r.remaining };
    case Ext.quic_transport_parameters:
      return { length: r.remaining };
    case Ext.padding:
      return r.remaining;
    case Ext.renegotiation_info: {
      const n = r.u8(what);
      const v = build ? r.bytes(n, what) : undefined;
      if (!build) r.skip(n, what);
      r.expectEnd(what);
      return v;
    }
    case Ext.compress_certificate: {
      const list = u16List(r, r.u8(what), what, build);
      r.expectEnd(what);
      return list;
    }
    case Ext.record_size_limit: {
      const v = r.u16(what);
      r.expectEnd(what);
      return v;
    }
    case Ext.application_settings:
    case Ext.application_settings_old: {
      if (side === 'server') return undefined;
      const outer = r.open16(what);
      const protocols: string[] | undefined = build ? [] : undefined;
      while (r.remaining > 0) {
        if (protocols) protocols.push(r.string(1, 'ALPS protocol'));
        else r.skip(r.u8('ALPS protocol length'), 'ALPS protocol');
      }
      r.close(outer, what);
      return protocols && { codepoint: type, protocols };
    }
    case Ext.cookie: {
      const n = r.u16(what);
      r.skip(n, what);
      r.expectEnd(what);
      return n;
    }
    default:
      return undefined;
  }
}
