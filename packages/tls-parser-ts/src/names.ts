export { AlertDescription, HandshakeType, QuicFrameType, Sslv2MessageType } from './registry.generated.js';
import {
  alertDescriptions,
  cipherSuites,
  contentTypes,
  extensionTypes,
  handshakeTypes,
  http3Errors,
  protocolVersions,
  quicFrameTypes,
  quicTransportErrors,
  quicTransportParameters,
  quicVersions,
  signatureSchemes,
  sslv2MessageTypes,
  supportedGroups,
} from './registry.generated.js';
import { hex4 } from './reader.js';

/** RFC 8701: 0x?a?a with both bytes equal. These are never given a registry name. */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);
}

function namer(table: ReadonlyMap<number, string>) {
  return (v: number): string => {
    if (isGrease(v)) return `GREASE (0x${hex4(v)})`;
    return table.get(v) ?? `0x${hex4(v)}`;
  };
}

export const cipherSuiteName = namer(cipherSuites);

/** Every cipher suite the IANA registry assigns, with its name (a probe offers them all). */
export const registeredCipherSuites: ReadonlyMap<number, string> = cipherSuites;
export const extensionName = namer(extensionTypes);
export const groupName = namer(supportedGroups);
export const signatureSchemeName = namer(signatureSchemes);
export const contentTypeName = (v: number): string => contentTypes.get(v) ?? `0x${hex4(v)}`;
export const handshakeTypeName = (v: number): string => handshakeTypes.get(v) ?? `0x${hex4(v)}`;
export const sslv2MessageName = (v: number): string => sslv2MessageTypes.get(v) ?? `SSLv2 message 0x${hex4(v)}`;
export const alertName = (v: number): string => alertDescriptions.get(v) ?? `0x${hex4(v)}`;

export function versionName(v: number): string {
  if (isGrease(v)) return `GREASE (0x${hex4(v)})`;
  const n = protocolVersions.get(v);
  if (n) return n;
  // Draft TLS 1.3 versions (0x7fxx) show up in old captures.
  if ((v & 0xff00) === 0x7f00) return `TLS 1.3 (draft ${v & 0xff})`;
  return `0x${hex4(v)}`;
}

/**
 * TLS 1.3 or one of its drafts (0x7fXX, RFC 8446's drafts 0 to 28, seen in old captures and old
 * embedded stacks): everything after their ServerHello is encrypted as in TLS 1.3.
 */
export function isTls13(v: number | undefined): boolean {
  return v === 0x0304 || (v !== undefined && (v & 0xff00) === 0x7f00);
}

/** A TLS 1.3 draft number (0x7f12: 18), or undefined for any other version. */
export function tls13Draft(v: number): number | undefined {
  return (v & 0xff00) === 0x7f00 ? v & 0xff : undefined;
}

export const ContentType = {
  ChangeCipherSpec: 20,
  Alert: 21,
  Handshake: 22,
  ApplicationData: 23,
  Heartbeat: 24,
} as const;

export const Version = {
  SSL2: 0x0002,
  SSL3: 0x0300,
  TLS10: 0x0301,
  TLS11: 0x0302,
  TLS12: 0x0303,
  TLS13: 0x0304,
} as const;

export const AlertLevel = { Warning: 1, Fatal: 2 } as const;

const hexName = (v: number) => `0x${v.toString(16)}`;

/** RFC 9000 section 15: versions 0x?a?a?a?a are reserved to exercise version negotiation. */
export function isQuicGreaseVersion(v: number): boolean {
  return (v & 0x0f0f0f0f) === 0x0a0a0a0a;
}

export function quicVersionName(v: number): string {
  if (isQuicGreaseVersion(v)) return `GREASE (${hexName(v)})`;
  return quicVersions.get(v) ?? hexName(v);
}

/** RFC 9000 section 18.1: ids 31 * N + 27 are reserved (GREASE). */
export function quicTransportParameterName(id: number | bigint): string {
  const big = BigInt(id);
  if (big >= 27n && (big - 27n) % 31n === 0n) return `GREASE (0x${big.toString(16)})`;
  return typeof id === 'number' ? quicTransportParameters.get(id) ?? hexName(id) : `0x${big.toString(16)}`;
}

/** The TLS alert a QUIC transport error carries: codes 0x0100-0x01ff are 0x0100 + the alert (RFC 9001 section 4.8). */
export function quicCryptoErrorAlert(code: number): number | undefined {
  return code >= 0x100 && code <= 0x1ff ? code - 0x100 : undefined;
}

/**
 * A QUIC transport error code's name; 0x0100-0x01ff carry a TLS alert (RFC 9001 section 4.8),
 * named as the alert.
 */
export function quicTransportErrorName(code: number): string {
  const alert = quicCryptoErrorAlert(code);
  if (alert !== undefined) return `CRYPTO_ERROR (TLS alert ${alertName(alert)} (${alert}))`;
  return quicTransportErrors.get(code) ?? hexName(code);
}

/** An application close's code, named as HTTP/3 names it (the application QUIC carries on 443). */
export function http3ErrorName(code: number): string {
  return http3Errors.get(code) ?? hexName(code);
}

export function quicFrameTypeName(t: number): string {
  return quicFrameTypes.get(t) ?? hexName(t);
}
