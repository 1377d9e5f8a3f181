export { TlsdoctorError, TlsParseError } from './errors.js';
export { ByteReader, hex, hex4, latin1 } from './reader.js';
export { ByteWriter } from './writer.js';
export * from './names.js';
export { Ext, Extension } from './extensions.js';
export type { KeyShareEntry, DecodedExtensions, EchInfo } from './extension-values.js';
export { parseClientHello, parseServerHello, parseSslv2ClientHello, parseSslv2ServerHello, SSLV2_X509_CERTIFICATE, type ClientHello, type ServerHello, type Sslv2ServerHello } from './hello.js';
export {
  parseAlert,
  parseCertificate,
  parseCertificateRequest,
  parseTls13CertificateRequest,
  parseEncryptedExtensions,
  parseCompressedCertificate,
  parseNewSessionTicket,
  parseServerKeyExchange,
  type Alert,
  type CertificateMessage,
  type CertificateRequest,
  type CompressedCertificate,
  type NewSessionTicket,
  type ServerKeyExchange,
} from './messages.js';
export { classifyStreamStart, isTlsContentType, MAX_RECORD_LENGTH } from './record.js';
export { describeNonTls, httpStatusLine, type NonTlsDescription, type NonTlsKind } from './nontls.js';
export { TlsStreamReader } from './stream.js';
export type { StreamEvent, HandshakeEvent, Direction, OpenedRecord, RecordOpener, StreamReaderOptions } from './stream-events.js';
export type { ReaderState } from './stream-states.js';
export { ja3, ja3s, ja4, type Ja3, type Ja4 } from './fingerprint.js';
export { FingerprintCache } from './fingerprint-cache.js';
export { md5Hex, sha256Hex } from './digest.js';
export { buildClientHello, buildClientHelloMessage, wrapInRecords, X25519, X25519MLKEM768, hybridShareShapedKey, type ClientHelloOptions, type KeyShareOption } from './builder.js';
export { distinguishedName } from './dn.js';
export { hkdfExpandLabel, Tls13RecordOpener, Tls13ScheduleOpener, TLS13_SUITES as TLS13_DECRYPTABLE_SUITES, type AeadName, type HandshakeCrypto, type HashName, type RecordCrypto, type SuiteParams } from './tls13-decrypt.js';
export { KeyLog, MAX_SESSIONS, type KeyLogProblem } from './keylog.js';
export { tls12Keys, tls12Opener, tls12Prf, Tls12CbcOpener, Tls12NullOpener, Tls12RecordOpener, type Tls12SideKeys, type Tls12SuiteParams } from './tls12-decrypt.js';
export { tls12SuiteDecryption, type CbcCipher, type MacHash, type Tls12Aead, type Tls12Cipher, type Tls12SuiteDecryption } from './suite-decryption.js';
export { isKnownQuicVersion, QuicVersion, type QuicLongKind } from './quic-versions.js';
export { isQuicLongHeader, parseQuicDatagram, type QuicLongPacket, type QuicPacket } from './quic-packets.js';
export { decodePacketNumber, openQuicLongPacket, quicInitialKeys, quicPacketKeys, type OpenedQuicPacket, type QuicCrypto, type QuicPacketKeys } from './quic-protection.js';
export { parseQuicFrames, quicCloseFrame, quicCryptoFrame, quicVarint, type QuicConnectionClose, type QuicFrames } from './quic-frames.js';
export { QuicCryptoStream } from './quic-crypto-stream.js';
export { parseQuicTransportParameters, type QuicTransportParameter } from './quic-transport-parameters.js';
export { sealQuicInitial, type QuicInitialSpec } from './quic-initial.js';
export { certificateProfile, type CertificateProfile, type EmbeddedSctList, type NameConstraints } from './x509-profile.js';
export { earliestSct, isSctV1, parseSctList, readSctList, type SignedCertificateTimestamp, type SignedCertificateTimestampOther, type SignedCertificateTimestampV1 } from './sct-list.js';
