import type { ByteReader } from './reader.js';
import { Ext } from './ext-types.js';
import type { KeyShareEntry } from './extension-values.js';

type Side = 'client' | 'server';

/**
 * One extension's decoder: it checks the data against the extension's format, the reader
 * spanning exactly that data, and when `build` is set returns the decoded value. One walk serves
 * both, so the check at parse time and the value read later cannot disagree.
 */
type Decoder = (r: ByteReader, side: Side, hrr: boolean, build: boolean, type: number) => unknown;

// Only read in error messages; a constant keeps the happy path free of string building.
const what = 'extension data';

/** Reads `n` bytes of u16 values (n even); returns them when `build` is set. */
function u16List(r: ByteReader, n: number, label: string, build: boolean): number[] | undefined {
  if (build) return r.u16s(n, label);
  r.skipU16s(n, label);
  return undefined;
}

function byteList(r: ByteReader, n: number, label: string, build: boolean): number[] | undefined {
  if (build) return Array.from(r.bytes(n, label));
  r.skip(n, label);
  return undefined;
}

/** A u16-length list of u8-length strings (ALPN, ALPS). */
function shortStrings(r: ByteReader, build: boolean, label: string, lengthLabel: string): string[] | undefined {
  const outer = r.open16(what);
  const out: string[] | undefined = build ? [] : undefined;
  while (r.remaining > 0) {
    if (out) out.push(r.string(1, label));
    else r.skip(r.u8(lengthLabel), label);
  }
  r.close(outer, what);
  return out;
}

const u16Vector: Decoder = (r, _side, _hrr, build) => {
  const list = u16List(r, r.u16(what), what, build);
  r.expectEnd(what);
  return list;
};

const u8Vector: Decoder = (r, _side, _hrr, build) => {
  const list = byteList(r, r.u8(what), what, build);
  r.expectEnd(what);
  return list;
};

const present: Decoder = () => true;
const lengthOnly: Decoder = (r) => ({ length: r.remaining });

const serverName: Decoder = (r, side, _hrr, build) => {
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
};

const supportedVersions: Decoder = (r, side, _hrr, build) => {
  if (side === 'server') {
    const v = r.u16(what);
    r.expectEnd(what);
    return v;
  }
  const list = u16List(r, r.u8(what), what, build);
  r.expectEnd(what);
  return list;
};

const keyShare: Decoder = (r, side, hrr, build) => {
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
};

const preSharedKey: Decoder = (r, side) => {
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
};

const encryptedClientHello: Decoder = (r, side) => {
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
};

const renegotiationInfo: Decoder = (r, _side, _hrr, build) => {
  const n = r.u8(what);
  const v = build ? r.bytes(n, what) : undefined;
  if (!build) r.skip(n, what);
  r.expectEnd(what);
  return v;
};

const compressCertificate: Decoder = (r, _side, _hrr, build) => {
  const list = u16List(r, r.u8(what), what, build);
  r.expectEnd(what);
  return list;
};

const recordSizeLimit: Decoder = (r) => {
  const v = r.u16(what);
  r.expectEnd(what);
  return v;
};

const applicationSettings: Decoder = (r, side, _hrr, build, type) => {
  if (side === 'server') return undefined;
  const protocols = shortStrings(r, build, 'ALPS protocol', 'ALPS protocol length');
  return protocols && { codepoint: type, protocols };
};

const cookie: Decoder = (r) => {
  const n = r.u16(what);
  r.skip(n, what);
  r.expectEnd(what);
  return n;
};

/** The extensions the codec decodes, each with its decoder; any other type is kept as bytes. */
const DECODERS: ReadonlyMap<number, Decoder> = new Map<number, Decoder>([
  [Ext.server_name, serverName],
  [Ext.status_request, (r) => ({ type: r.remaining > 0 ? r.u8('status_type') : -1 })],
  [Ext.supported_groups, u16Vector],
  [Ext.ec_point_formats, u8Vector],
  [Ext.signature_algorithms, u16Vector],
  [Ext.application_layer_protocol_negotiation, (r, _side, _hrr, build) => shortStrings(r, build, 'ALPN protocol', 'ALPN protocol length')],
  [Ext.signed_certificate_timestamp, present],
  [Ext.padding, (r) => r.remaining],
  [Ext.encrypt_then_mac, present],
  [Ext.extended_master_secret, present],
  [Ext.compress_certificate, compressCertificate],
  [Ext.record_size_limit, recordSizeLimit],
  [Ext.session_ticket, lengthOnly],
  [Ext.pre_shared_key, preSharedKey],
  [Ext.early_data, present],
  [Ext.supported_versions, supportedVersions],
  [Ext.cookie, cookie],
  [Ext.psk_key_exchange_modes, u8Vector],
  [Ext.signature_algorithms_cert, u16Vector],
  [Ext.key_share, keyShare],
  [Ext.quic_transport_parameters, lengthOnly],
  [Ext.application_settings_old, applicationSettings],
  [Ext.application_settings, applicationSettings],
  [Ext.encrypted_client_hello, encryptedClientHello],
  [Ext.renegotiation_info, renegotiationInfo],
]);

/** The codec has a decoder for this extension type. */
export function isDecoded(type: number): boolean {
  return DECODERS.has(type);
}

/** Decodes (or, without `build`, only checks) one extension's data; undefined for other types. */
export function decodeExtension(type: number, r: ByteReader, side: Side, hrr: boolean, build: boolean): unknown {
  const d = DECODERS.get(type);
  return d === undefined ? undefined : d(r, side, hrr, build, type);
}
