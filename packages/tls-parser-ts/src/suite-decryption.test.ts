import { describe, expect, it } from 'vitest';
import { tls12SuiteDecryption } from './suite-decryption.js';

const TLS10 = 0x0301;
const TLS12 = 0x0303;

describe('the parameters of a TLS 1.0-1.2 suite, read from its registered name', () => {
  it.each([
    // suite, version, PRF hash, mode, cipher, key, block or fixed IV, MAC or tag
    [0x0039, TLS12, 'sha256', 'cbc', 'aes-256-cbc', 32, 16, 'sha1'], // TLS_DHE_RSA_WITH_AES_256_CBC_SHA
    [0xc023, TLS12, 'sha256', 'cbc', 'aes-128-cbc', 16, 16, 'sha256'],
    [0xc024, TLS12, 'sha384', 'cbc', 'aes-256-cbc', 32, 16, 'sha384'],
    [0xc038, TLS10, 'sha384', 'cbc', 'aes-256-cbc', 32, 16, 'sha384'], // ECDHE_PSK ..._CBC_SHA384: TLS 1.0 ignores the PRF hash
    [0x000a, TLS12, 'sha256', 'cbc', 'des-ede3-cbc', 24, 8, 'sha1'],
    [0xc072, TLS12, 'sha256', 'cbc', 'camellia-128-cbc', 16, 16, 'sha256'],
    [0xc02b, TLS12, 'sha256', 'aead', 'aes-128-gcm', 16, 4, 16],
    [0xc030, TLS12, 'sha384', 'aead', 'aes-256-gcm', 32, 4, 16],
    [0xc0ac, TLS12, 'sha256', 'aead', 'aes-128-ccm', 16, 4, 16],
    [0xc0af, TLS12, 'sha256', 'aead', 'aes-256-ccm', 32, 4, 8], // CCM_8
    [0xcca9, TLS12, 'sha256', 'aead', 'chacha20-poly1305', 32, 12, 16],
    [0xccab, TLS12, 'sha256', 'aead', 'chacha20-poly1305', 32, 12, 16], // PSK
    [0xccac, TLS12, 'sha256', 'aead', 'chacha20-poly1305', 32, 12, 16], // ECDHE_PSK
    [0xccad, TLS12, 'sha256', 'aead', 'chacha20-poly1305', 32, 12, 16], // DHE_PSK
    [0xccae, TLS12, 'sha256', 'aead', 'chacha20-poly1305', 32, 12, 16], // RSA_PSK
    [0xc05c, TLS12, 'sha256', 'aead', 'aria-128-gcm', 16, 4, 16],
    [0x0002, TLS12, 'sha256', 'null', 'null', 0, 'sha1', 20], // TLS_RSA_WITH_NULL_SHA: the content in clear, its MAC after it
    [0x003b, TLS12, 'sha256', 'null', 'null', 0, 'sha256', 32],
  ] as const)('0x%s under 0x%s', (suite, version, prf, mode, name, key, third, fourth) => {
    const d = tls12SuiteDecryption(suite, version);
    if (!d.ok) throw new Error(d.reason);
    expect(d.prf).toBe(prf);
    expect(d.cipher.mode).toBe(mode);
    expect(d.cipher.name).toBe(name);
    expect(d.cipher.keyLength).toBe(key);
    if (d.cipher.mode === 'null') expect([d.cipher.mac, d.cipher.macLength]).toEqual([third, fourth]);
    else if (d.cipher.mode === 'cbc') expect([d.cipher.blockLength, d.cipher.mac, d.cipher.macLength]).toEqual([third, fourth, { sha1: 20, sha256: 32, sha384: 48, md5: 16 }[fourth as string]]);
    else expect([d.cipher.fixedIvLength, d.cipher.tagLength]).toEqual([third, fourth]);
  });

  it.each([
    [0x0005, TLS12, /TLS_RSA_WITH_RC4_128_SHA: its cipher \(RC4_128_SHA\) is not one tlsdoctor opens/],
    [0x0003, TLS10, /export suite/],
    [0x0000, TLS12, /the suite of no suite/],
    [0x002f, 0x0300, /SSL 3\.0/],
    [0xc02f, TLS10, /TLS 1\.2 suite, negotiated under an older version/],
    [0x1301, TLS12, /not a TLS 1\.2 suite/],
    [0xfe00, TLS12, /not in the registry/],
    [0xc100, TLS12, /KUZNYECHIK/],
  ] as const)('0x%s under 0x%s: not opened, and why', (suite, version, why) => {
    const d = tls12SuiteDecryption(suite, version);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toMatch(why);
  });
});
