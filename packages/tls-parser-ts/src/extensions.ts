import { ByteReader, readU16Vector, readU16VectorU8Len } from './reader.js';
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
  /** Set when extension_data does not follow its own format; the rest of the hello still parses. */
  malformed?: string;

  constructor(
    readonly type: number,
    private readonly buf: Uint8Array,
    /** Where extension_data starts in `buf`, and its length. */
    readonly start: number,
    readonly length: number,
    /** Offset of the extension's type field in the input. */
    readonly offset: number,
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
  serverNames?: string[];
  supportedVersions?: number[];
  /** Server side: the single version it chose. */
  selectedVersion?: number;
  alpn?: string[];
  /** The first ALPN protocol's bytes, which JA4 reads byte by byte. */
  alpnFirstRaw?: Uint8Array;
  supportedGroups?: number[];
  ecPointFormats?: number[];
  signatureAlgorithms?: number[];
  signatureAlgorithmsCert?: number[];
  keyShares?: KeyShareEntry[];
  /** Server side: the group of its key share (or, in a HelloRetryRequest, the group it asks for). */
  keyShareGroup?: number;
  pskKeyExchangeModes?: number[];
  preSharedKey?: { identities: number; binders: number } | { selectedIdentity: number };
  earlyData?: boolean;
  encryptedClientHello?: EchInfo;
  statusRequest?: { type: number };
  signedCertificateTimestamp?: boolean;
  sessionTicket?: { length: number };
  renegotiationInfo?: Uint8Array;
  extendedMasterSecret?: boolean;
  encryptThenMac?: boolean;
  compressCertificate?: number[];
  recordSizeLimit?: number;
  paddingLength?: number;
  applicationSettings?: ApplicationSettings;
  quicTransportParameters?: { length: number };
  cookieLength?: number;
}

/** Reads the extensions block (u16 length then entries), if any bytes remain for it. */
export function readExtensions(r: ByteReader): Extension[] {
  if (r.remaining === 0) return [];
  const block = r.vec16('extensions');
  const out: Extension[] = [];
  while (block.remaining > 0) {
    const offset = block.offset;
    const type = block.u16('extension type');
    const length = block.u16('extension length');
    const start = block.pos;
    block.skip(length, 'extension data');
    out.push(new Extension(type, block.buf, start, length, offset));
  }
  return out;
}

/**
 * Decodes the extensions this module knows into `into`. A malformed extension is marked on
 * the extension itself; callers still get the others, as Wireshark shows them.
 */
export function decodeExtensions(
  exts: Extension[],
  side: 'client' | 'server',
  into: DecodedExtensions,
  isHelloRetryRequest = false,
  buf?: Uint8Array,
  origin = 0,
): void {
  let r: ByteReader | undefined;
  for (let i = 0; i < exts.length; i++) {
    const ext = exts[i];
    if (isGrease(ext.type) || !DECODED.has(ext.type)) continue;
    // Error offsets count from the input the hello came in.
    if (buf) r = r ? r.retarget(ext.start, ext.start + ext.length) : new ByteReader(buf, ext.start, ext.start + ext.length, origin);
    else r = new ByteReader(ext.data, 0, ext.length, ext.offset + 4);
    try {
      decodeOne(ext, r, side, into, isHelloRetryRequest);
    } catch (e) {
      if (!(e instanceof TlsParseError)) throw e;
      ext.malformed = `${ext.name}: ${e.message}`;
    }
  }
}

const DECODED: ReadonlySet<number> = new Set(Object.values(Ext));

function decodeOne(ext: Extension, r: ByteReader, side: 'client' | 'server', d: DecodedExtensions, hrr: boolean): void {
  // Only read in error messages; a constant keeps the happy path free of lookups.
  const what = 'extension data';
  switch (ext.type) {
    case Ext.server_name: {
      if (side === 'server') {
        r.expectEnd(what); // servers echo an empty server_name
        d.serverNames = [];
        return;
      }
      const list = r.vec16(what);
      const names: string[] = [];
      while (list.remaining > 0) {
        const nameType = list.u8('server_name type');
        const name = list.string(2, 'server_name entry');
        // Only host_name (0) is defined; other types are kept visible rather than dropped.
        names.push(nameType === 0 ? name : `[type ${nameType}]`);
      }
      r.expectEnd(what);
      d.serverNames = names;
      return;
    }
    case Ext.supported_versions:
      if (side === 'client') d.supportedVersions = readU16VectorU8Len(r, what);
      else d.selectedVersion = r.u16(what);
      r.expectEnd(what);
      return;
    case Ext.application_layer_protocol_negotiation: {
      const list = r.vec16(what);
      const alpn: string[] = [];
      if (list.remaining > 0) {
        const n = list.buf[list.pos];
        d.alpnFirstRaw = list.buf.subarray(list.pos + 1, Math.min(list.end, list.pos + 1 + n));
      }
      while (list.remaining > 0) alpn.push(list.string(1, 'ALPN protocol'));
      r.expectEnd(what);
      d.alpn = alpn;
      return;
    }
    case Ext.supported_groups:
      d.supportedGroups = readU16Vector(r, what);
      r.expectEnd(what);
      return;
    case Ext.ec_point_formats: {
      const v = r.vec8(what);
      d.ecPointFormats = Array.from(v.bytes(v.remaining, what));
      r.expectEnd(what);
      return;
    }
    case Ext.signature_algorithms:
      d.signatureAlgorithms = readU16Vector(r, what);
      r.expectEnd(what);
      return;
    case Ext.signature_algorithms_cert:
      d.signatureAlgorithmsCert = readU16Vector(r, what);
      r.expectEnd(what);
      return;
    case Ext.key_share: {
      if (side === 'server') {
        d.keyShareGroup = r.u16('key_share group');
        if (!hrr) {
          const key = r.bytes(r.u16('key_exchange length'), 'key_exchange');
          d.keyShares = [{ group: d.keyShareGroup, keyLength: key.length, key }];
        }
        r.expectEnd(what);
        return;
      }
      const list = r.vec16(what);
      const shares: KeyShareEntry[] = [];
      while (list.remaining > 0) {
        const group = list.u16('key_share group');
        const key = list.bytes(list.u16('key_exchange length'), 'key_exchange');
        shares.push({ group, keyLength: key.length, key });
      }
      r.expectEnd(what);
      d.keyShares = shares;
      return;
    }
    case Ext.psk_key_exchange_modes: {
      const v = r.vec8(what);
      d.pskKeyExchangeModes = Array.from(v.bytes(v.remaining, what));
      r.expectEnd(what);
      return;
    }
    case Ext.pre_shared_key: {
      if (side === 'server') {
        d.preSharedKey = { selectedIdentity: r.u16(what) };
        r.expectEnd(what);
        return;
      }
      const ids = r.vec16('psk identities');
      let identities = 0;
      while (ids.remaining > 0) {
        ids.vec16('psk identity');
        ids.u32('obfuscated_ticket_age');
        identities++;
      }
      const binders = r.vec16('psk binders');
      let count = 0;
      while (binders.remaining > 0) {
        binders.vec8('psk binder');
        count++;
      }
      r.expectEnd(what);
      d.preSharedKey = { identities, binders: count };
      return;
    }
    case Ext.early_data:
      d.earlyData = true;
      return;
    case Ext.encrypted_client_hello: {
      if (side === 'server') {
        d.encryptedClientHello = { type: -1, payloadLength: r.remaining };
        return;
      }
      const type = r.u8('ECH type');
      if (type === 0) {
        const kdf = r.u16('ECH kdf_id');
        const aead = r.u16('ECH aead_id');
        const configId = r.u8('ECH config_id');
        const enc = r.vec16('ECH enc');
        const payload = r.vec16('ECH payload');
        r.expectEnd(what);
        d.encryptedClientHello = { type, kdf, aead, configId, encLength: enc.remaining, payloadLength: payload.remaining };
      } else {
        d.encryptedClientHello = { type };
      }
      return;
    }
    case Ext.status_request:
      d.statusRequest = { type: r.remaining > 0 ? r.u8('status_type') : -1 };
      return;
    case Ext.signed_certificate_timestamp:
      d.signedCertificateTimestamp = true;
      return;
    case Ext.session_ticket:
      d.sessionTicket = { length: ext.length };
      return;
    case Ext.renegotiation_info: {
      const v = r.vec8(what);
      d.renegotiationInfo = v.bytes(v.remaining, what);
      r.expectEnd(what);
      return;
    }
    case Ext.extended_master_secret:
      d.extendedMasterSecret = true;
      return;
    case Ext.encrypt_then_mac:
      d.encryptThenMac = true;
      return;
    case Ext.compress_certificate: {
      const v = r.vec8(what);
      d.compressCertificate = r.u16List(v, what);
      r.expectEnd(what);
      return;
    }
    case Ext.record_size_limit:
      d.recordSizeLimit = r.u16(what);
      r.expectEnd(what);
      return;
    case Ext.padding:
      d.paddingLength = ext.length;
      return;
    case Ext.application_settings:
    case Ext.application_settings_old: {
      if (side === 'server') return;
      const list = r.vec16(what);
      const protocols: string[] = [];
      while (list.remaining > 0) protocols.push(list.string(1, 'ALPS protocol'));
      r.expectEnd(what);
      d.applicationSettings = { codepoint: ext.type, protocols };
      return;
    }
    case Ext.quic_transport_parameters:
      d.quicTransportParameters = { length: ext.length };
      return;
    case Ext.cookie: {
      const v = r.vec16(what);
      d.cookieLength = v.remaining;
      r.expectEnd(what);
      return;
    }
    default:
      return;
  }
}
