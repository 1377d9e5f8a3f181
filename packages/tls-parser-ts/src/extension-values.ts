/**
 * The types of decoded extension values: what the decoders (extension-decoders.ts) build and the
 * hellos' getters (extensions.ts) hand out. Apart from both so that imports point one way.
 */

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

/** A ServerHello's key_share: the group it chose (or, in a HelloRetryRequest, asks for) and its share. */
export interface ServerKeyShare {
  group: number;
  shares?: KeyShareEntry[];
}
