import { describe, expect, it } from 'vitest';
import { alertName, cipherSuiteName, QuicFrameType, Sslv2MessageType, extensionName, groupName, handshakeTypeName, isGrease, quicCryptoErrorAlert, quicTransportErrorName, signatureSchemeName, versionName } from './names.js';

describe('registry names', () => {
  it.each([
    [cipherSuiteName, 0x1301, 'TLS_AES_128_GCM_SHA256'],
    [cipherSuiteName, 0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
    [extensionName, 0x0000, 'server_name'],
    [extensionName, 0xfe0d, 'encrypted_client_hello'],
    [extensionName, 0x44cd, 'application_settings'],
    [groupName, 0x001d, 'x25519'],
    [groupName, 0x11ec, 'X25519MLKEM768'],
    [signatureSchemeName, 0x0804, 'rsa_pss_rsae_sha256'],
    // Registered after the tables the rest were read from; today's clients offer them.
    [signatureSchemeName, 0x0420, 'rsa_pkcs1_sha256_legacy'],
    [signatureSchemeName, 0x081b, 'ecdsa_brainpoolP384r1tls13_sha384'],
    [signatureSchemeName, 0x0905, 'mldsa65'],
    [alertName, 70, 'Protocol Version'],
    [handshakeTypeName, 2, 'Server Hello'],
    [handshakeTypeName, 4, 'New Session Ticket'],
    [versionName, 0x0304, 'TLS 1.3'],
    [versionName, 0x7f17, 'TLS 1.3 (draft 23)'],
  ])('%o(0x%s) is named', (fn, v, name) => {
    expect((fn as (v: number) => string)(v as number)).toBe(name);
  });

  it('shows unknown values in hex instead of dropping them', () => {
    expect(cipherSuiteName(0x7777)).toBe('0x7777');
    expect(extensionName(0xabcd)).toBe('0xabcd');
  });

  it('flags every RFC 8701 GREASE value and gives it no registry name', () => {
    for (let n = 0; n < 16; n++) {
      const v = (n << 12) | 0x0a00 | (n << 4) | 0x0a;
      expect(isGrease(v)).toBe(true);
      expect(cipherSuiteName(v)).toMatch(/^GREASE/);
      expect(groupName(v)).toMatch(/^GREASE/);
    }
    expect(isGrease(0x0a1a)).toBe(false);
    expect(isGrease(0x1301)).toBe(false);
  });
});

describe('QUIC transport errors that carry a TLS alert', () => {
  it.each([
    [0x009, undefined, 'CONNECTION_ID_LIMIT_ERROR'],
    [0x0ff, undefined, '0xff'],
    [0x100, 0, 'CRYPTO_ERROR (TLS alert Close Notify (0))'],
    [0x128, 40, 'CRYPTO_ERROR (TLS alert Handshake Failure (40))'],
    [0x1ff, 255, 'CRYPTO_ERROR (TLS alert 0x00ff (255))'],
    [0x200, undefined, '0x200'],
  ])('%i: alert %s, %s', (code, alert, name) => {
    expect(quicCryptoErrorAlert(code)).toBe(alert);
    expect(quicTransportErrorName(code)).toBe(name);
  });
});

describe('constants generated from tables written in capitals', () => {
  it.each([
    [QuicFrameType.ConnectionClose, 0x1c],
    [QuicFrameType.ConnectionCloseApp, 0x1d],
    [QuicFrameType.AckEcn, 0x03],
    // A name the table gives to a range keeps the range's first value.
    [QuicFrameType.Stream, 0x08],
    [QuicFrameType.Datagram, 0x30],
    // The prefix every SSL 2.0 name shares is not part of the constant's name.
    [Sslv2MessageType.ServerHello, 4],
    [Sslv2MessageType.ClientMasterKey, 2],
  ])('%i is %i', (got, want) => {
    expect(got).toBe(want);
  });
});
