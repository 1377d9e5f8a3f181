/**
 * The QUIC versions this codec reads (RFC 9000, RFC 9369 for version 2, and the IETF drafts):
 * what differs between them is the Initial salt, the labels of the packet keys and the
 * long-header type bits.
 */

export type QuicLongKind = 'initial' | '0rtt' | 'handshake' | 'retry';

export interface VersionRules {
  salt: Uint8Array;
  /** The prefix of the key, iv and header-protection labels. */
  label: 'quic' | 'quicv2';
  /** The long-header type bits of Initial, 0-RTT, Handshake and Retry packets. */
  kinds: readonly [QuicLongKind, QuicLongKind, QuicLongKind, QuicLongKind];
}

const unhex = (s: string) => Uint8Array.from(s.match(/../g)!, (h) => parseInt(h, 16));
const V1_KINDS = ['initial', '0rtt', 'handshake', 'retry'] as const;
const V1: VersionRules = { salt: unhex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a'), label: 'quic', kinds: V1_KINDS };
const V2: VersionRules = { salt: unhex('0dede3def700a6db819381be6e269dcbf9bd2ed9'), label: 'quicv2', kinds: ['retry', 'initial', '0rtt', 'handshake'] };
// The IETF drafts kept version 1's layout; their Initial salts changed twice.
const DRAFT_29: VersionRules = { salt: unhex('afbfec289993d24c9e9786f19c6111e04390a899'), label: 'quic', kinds: V1_KINDS };
const DRAFT_23: VersionRules = { salt: unhex('c3eef712c72ebb5a11a7d2432bb46365bef9f502'), label: 'quic', kinds: V1_KINDS };

export const QuicVersion = { V1: 0x00000001, V2: 0x6b3343cf } as const;

export function rulesOf(version: number): VersionRules | undefined {
  if (version === QuicVersion.V1) return V1;
  if (version === QuicVersion.V2) return V2;
  if (version >= 0xff00001d && version <= 0xff000022) return DRAFT_29;
  if (version >= 0xff000017 && version <= 0xff00001c) return DRAFT_23;
  return undefined;
}

/** Whether this reader knows the packet layout and Initial salt of a QUIC version. */
export function isKnownQuicVersion(version: number): boolean {
  return rulesOf(version) !== undefined;
}
