import { ByteWriter } from './writer.js';
import { Ext } from './extensions.js';
import { ContentType, HandshakeType, Version } from './names.js';

export interface KeyShareOption {
  group: number;
  /** The public key to send. Left out, x25519 (0x001d) gets 32 random bytes, which RFC 7748 accepts as a public key; other groups need a real key from the caller. */
  key?: Uint8Array;
}

export interface ClientHelloOptions {
  /** Versions to offer. TLS 1.3 in the list adds supported_versions; otherwise the highest goes in client_version. */
  versions: number[];
  cipherSuites: number[];
  groups?: number[];
  keyShares?: KeyShareOption[];
  signatureAlgorithms?: number[];
  /** Host name for server_name; left out or empty, no SNI is sent. */
  serverName?: string;
  alpn?: string[];
  /** Add GREASE values (RFC 8701) as browsers do: a cipher, two extensions, a group, a version, a key share. */
  grease?: boolean;
  /** Pad the handshake message to at least this many bytes with the padding extension. */
  padTo?: number;
  /** Further extensions, written as given before padding. */
  extraExtensions?: { type: number; data: Uint8Array }[];
  random?: Uint8Array;
  sessionId?: Uint8Array;
  /** The version field of the record(s); 0x0301 by default, as most clients send. */
  recordVersion?: number;
}

// Web Crypto's getRandomValues exists in Node 20 and in browsers; the core uses nothing Node-only.
declare const crypto: { getRandomValues<T extends Uint8Array | Uint16Array>(a: T): T };

function randomBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  crypto.getRandomValues(b);
  return b;
}

function greaseValue(): number {
  const nibble = randomBytes(1)[0] & 0x0f;
  return (nibble << 12) | 0x0a00 | (nibble << 4) | 0x0a;
}

export const X25519 = 0x001d;
/** The hybrid group today's browsers offer first (draft-ietf-tls-ecdhe-mlkem): ML-KEM-768 then X25519. */
export const X25519MLKEM768 = 0x11ec;

/**
 * A share of the size and form of a real X25519MLKEM768 one: an ML-KEM-768 encapsulation key
 * (768 coefficients below q = 3329, 12 bits each, then a 32-byte seed: FIPS 203 section 7.2,
 * whose modulus check a server runs) followed by 32 X25519 bytes. A server that supports the
 * group answers it as it would a browser's; the probe never needs the shared secret.
 */
export function hybridShareShapedKey(): Uint8Array {
  const key = new Uint8Array(1184 + 32);
  const coefficients = new Uint16Array(768);
  crypto.getRandomValues(coefficients);
  for (let i = 0; i < 768; i += 2) {
    const a = coefficients[i] % 3329;
    const b = coefficients[i + 1] % 3329;
    const o = (i / 2) * 3;
    key[o] = a & 0xff;
    key[o + 1] = (a >> 8) | ((b & 0x0f) << 4);
    key[o + 2] = b >> 4;
  }
  key.set(randomBytes(32 + 32), 1152);
  return key;
}

/** Builds the ClientHello handshake message (header included, no record layer). */
export function buildClientHelloMessage(o: ClientHelloOptions): Uint8Array {
  if (o.versions.length === 0) throw new RangeError('buildClientHello: no version to offer');
  const maxVersion = Math.max(...o.versions);
  const tls13 = o.versions.includes(Version.TLS13);
  const legacyVersion = Math.min(maxVersion, Version.TLS12);
  const grease = o.grease ?? false;
  const g = grease ? [greaseValue(), greaseValue(), greaseValue(), greaseValue(), greaseValue()] : [];
  // Two GREASE extensions must differ (RFC 8701 section 3.1).
  if (grease && g[1] === g[2]) g[2] = g[2] ^ 0x1010;

  const exts: { type: number; data: Uint8Array }[] = [];
  const ext = (type: number, body: (w: ByteWriter) => void) => {
    const w = new ByteWriter();
    body(w);
    exts.push({ type, data: w.finish() });
  };
  if (grease) exts.push({ type: g[1], data: new Uint8Array(0) });
  if (o.serverName) {
    const name = o.serverName;
    ext(Ext.server_name, (w) => w.vec(2, (l) => l.u8(0).vec(2, (n) => { for (let i = 0; i < name.length; i++) n.u8(name.charCodeAt(i)); })));
  }
  ext(Ext.extended_master_secret, () => {});
  ext(Ext.renegotiation_info, (w) => w.u8(0));
  const groups = o.groups ?? [];
  if (groups.length > 0 || grease) {
    ext(Ext.supported_groups, (w) => w.vec(2, (l) => { if (grease) l.u16(g[3]); for (const x of groups) l.u16(x); }));
    ext(Ext.ec_point_formats, (w) => w.vec(1, (l) => l.u8(0)));
  }
  ext(Ext.session_ticket, () => {});
  if (o.alpn && o.alpn.length > 0) {
    const alpn = o.alpn;
    ext(Ext.application_layer_protocol_negotiation, (w) => w.vec(2, (l) => { for (const p of alpn) l.vec(1, (s) => { for (let i = 0; i < p.length; i++) s.u8(p.charCodeAt(i)); }); }));
  }
  if (o.signatureAlgorithms && o.signatureAlgorithms.length > 0) {
    const sigs = o.signatureAlgorithms;
    ext(Ext.signature_algorithms, (w) => w.vec(2, (l) => { for (const s of sigs) l.u16(s); }));
  }
  if (tls13) {
    const shares = o.keyShares ?? [{ group: X25519 }];
    ext(Ext.key_share, (w) => w.vec(2, (l) => {
      if (grease) l.u16(g[3]).vec(2, (k) => k.u8(0));
      for (const s of shares) {
        let key = s.key;
        if (!key && s.group === X25519MLKEM768) key = hybridShareShapedKey();
        if (!key) {
          if (s.group !== X25519) throw new RangeError(`buildClientHello: a key for group 0x${s.group.toString(16)} must be given`);
          key = randomBytes(32);
        }
        const k = key;
        l.u16(s.group).vec(2, (kk) => kk.bytes(k));
      }
    }));
    ext(Ext.psk_key_exchange_modes, (w) => w.vec(1, (l) => l.u8(1)));
    const versions = [...o.versions].sort((a, b) => b - a);
    ext(Ext.supported_versions, (w) => w.vec(1, (l) => { if (grease) l.u16(g[4]); for (const v of versions) l.u16(v); }));
  }
  for (const e of o.extraExtensions ?? []) exts.push(e);
  if (grease) exts.push({ type: g[2], data: new Uint8Array([0]) });

  const write = (padding: number | undefined): Uint8Array => {
    const w = new ByteWriter();
    w.u8(HandshakeType.ClientHello).vec(3, (b) => {
      b.u16(legacyVersion);
      b.bytes(o.random ?? randomBytes(32));
      // A TLS 1.3 client sends a 32-byte session id for middlebox compatibility (RFC 8446 D.4).
      b.vec(1, (s) => s.bytes(o.sessionId ?? (tls13 ? randomBytes(32) : new Uint8Array(0))));
      b.vec(2, (c) => { if (grease) c.u16(g[0]); for (const cs of o.cipherSuites) c.u16(cs); });
      b.vec(1, (c) => c.u8(0));
      b.vec(2, (e) => {
        for (const x of exts) e.u16(x.type).vec(2, (d) => d.bytes(x.data));
        if (padding !== undefined) e.u16(Ext.padding).vec(2, (d) => d.bytes(new Uint8Array(padding)));
      });
    });
    return w.finish();
  };
  const plain = write(undefined);
  if (o.padTo === undefined || plain.length >= o.padTo) return plain;
  // The padding extension costs 4 bytes of header before its zeros.
  return write(Math.max(0, o.padTo - plain.length - 4));
}

/** Wraps handshake bytes in records of at most 2^14 bytes each. */
export function wrapInRecords(contentType: number, payload: Uint8Array, recordVersion: number = Version.TLS10): Uint8Array {
  const w = new ByteWriter();
  for (let p = 0; p < payload.length || (p === 0 && payload.length === 0); p += 16384) {
    const frag = payload.subarray(p, Math.min(payload.length, p + 16384));
    w.u8(contentType).u16(recordVersion).vec(2, (r) => r.bytes(frag));
    if (payload.length === 0) break;
  }
  return w.finish();
}

/** Builds a ClientHello ready to write to a socket: the handshake message in TLS records. */
export function buildClientHello(o: ClientHelloOptions): Uint8Array {
  return wrapInRecords(ContentType.Handshake, buildClientHelloMessage(o), o.recordVersion ?? Version.TLS10);
}
