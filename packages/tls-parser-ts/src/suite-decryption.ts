import { cipherSuites } from './registry.generated.js';

/**
 * What it takes to open the records of a TLS 1.0-1.2 cipher suite, read from the suite's
 * registered name (`TLS_<key exchange>_WITH_<cipher>_<MAC>`): the name is the registry's, held
 * once, and its parts say the cipher, the MAC and the PRF's hash. The key exchange does not
 * matter: the key log gives the master secret, whatever made it (RSA, DHE, ECDHE, PSK).
 */

/** HMAC's hashes in TLS's record MACs and PRFs: TLS 1.0 and 1.1 split their PRF over MD5 and SHA-1. */
export type MacHash = 'md5' | 'sha1' | 'sha256' | 'sha384';

/** An AEAD cipher as Node (OpenSSL) names it. */
export type Tls12Aead = 'aes-128-gcm' | 'aes-256-gcm' | 'aria-128-gcm' | 'aria-256-gcm' | 'aes-128-ccm' | 'aes-256-ccm' | 'chacha20-poly1305';
/** A block cipher in CBC mode as Node (OpenSSL) names it. */
export type CbcCipher = 'aes-128-cbc' | 'aes-256-cbc' | 'camellia-128-cbc' | 'camellia-256-cbc' | 'aria-128-cbc' | 'aria-256-cbc' | 'des-ede3-cbc' | 'des-cbc' | 'seed-cbc' | 'idea-cbc' | 'sm4-cbc';

export type Tls12Cipher =
  | {
      mode: 'aead';
      name: Tls12Aead;
      keyLength: number;
      /** The implicit part of the nonce from the key block: 4 bytes with an 8-byte explicit part in each record (GCM, CCM), or all 12 (ChaCha20-Poly1305, RFC 7905). */
      fixedIvLength: 4 | 12;
      tagLength: 8 | 16;
    }
  | { mode: 'cbc'; name: CbcCipher; keyLength: number; blockLength: 8 | 16; mac: MacHash; macLength: number }
  /** No cipher: the content in clear, then its HMAC (a NULL suite). */
  | { mode: 'null'; name: 'null'; keyLength: 0; mac: MacHash; macLength: number };

export type Tls12SuiteDecryption = { ok: true; prf: 'sha256' | 'sha384'; cipher: Tls12Cipher } | { ok: false; reason: string };

const BLOCK: Record<string, [CbcCipher, number, 8 | 16]> = {
  AES_128_CBC: ['aes-128-cbc', 16, 16],
  AES_256_CBC: ['aes-256-cbc', 32, 16],
  CAMELLIA_128_CBC: ['camellia-128-cbc', 16, 16],
  CAMELLIA_256_CBC: ['camellia-256-cbc', 32, 16],
  ARIA_128_CBC: ['aria-128-cbc', 16, 16],
  ARIA_256_CBC: ['aria-256-cbc', 32, 16],
  '3DES_EDE_CBC': ['des-ede3-cbc', 24, 8],
  DES_CBC: ['des-cbc', 8, 8],
  SEED_CBC: ['seed-cbc', 16, 16],
  IDEA_CBC: ['idea-cbc', 16, 8],
};

const AEAD: Record<string, [Tls12Aead, number, 4 | 12, 8 | 16]> = {
  AES_128_GCM: ['aes-128-gcm', 16, 4, 16],
  AES_256_GCM: ['aes-256-gcm', 32, 4, 16],
  ARIA_128_GCM: ['aria-128-gcm', 16, 4, 16],
  ARIA_256_GCM: ['aria-256-gcm', 32, 4, 16],
  AES_128_CCM: ['aes-128-ccm', 16, 4, 16],
  AES_256_CCM: ['aes-256-ccm', 32, 4, 16],
  AES_128_CCM_8: ['aes-128-ccm', 16, 4, 8],
  AES_256_CCM_8: ['aes-256-ccm', 32, 4, 8],
  CHACHA20_POLY1305: ['chacha20-poly1305', 32, 12, 16],
};

const MAC: Record<string, [MacHash, number]> = { MD5: ['md5', 16], SHA: ['sha1', 20], SHA256: ['sha256', 32], SHA384: ['sha384', 48] };

/**
 * How a TLS 1.0-1.2 suite's records open (`version`: the negotiated one), or why they cannot:
 * the reason names what is missing. Whether the crypto at hand has the cipher is its caller's
 * question (the codec holds no cipher).
 */
export function tls12SuiteDecryption(suite: number, version: number): Tls12SuiteDecryption {
  const name = cipherSuites.get(suite);
  if (!name) return { ok: false, reason: `suite 0x${suite.toString(16).padStart(4, '0')} is not in the registry` };
  if (version < 0x0301) return { ok: false, reason: 'SSL 3.0 records are not decrypted (its MAC and key derivation are not TLS\'s)' };
  const m = /^TLS_(.+)_WITH_(.+)$/.exec(name);
  if (!m) return { ok: false, reason: `${name} is not a TLS 1.2 suite` };
  const [, kx, rest] = m;
  if (kx.includes('EXPORT')) return { ok: false, reason: `${name} is an export suite (40- or 56-bit keys derived apart from the key block)` };
  if (rest === 'NULL_NULL') return { ok: false, reason: `${name} is the suite of no suite: nothing was negotiated` };
  // The PRF's hash: SHA-384 when the suite names it (RFC 5288, 5289), else SHA-256 (TLS 1.2's default).
  const prf = rest.endsWith('_SHA384') ? ('sha384' as const) : ('sha256' as const);
  for (const [token, [aead, keyLength, fixedIvLength, tagLength]] of Object.entries(AEAD)) {
    if (rest === token || rest.startsWith(`${token}_SHA`)) {
      if (version < 0x0303) return { ok: false, reason: `${name} is a TLS 1.2 suite, negotiated under an older version` };
      return { ok: true, prf, cipher: { mode: 'aead', name: aead, keyLength, fixedIvLength, tagLength } };
    }
  }
  const nul = /^NULL_(MD5|SHA|SHA256|SHA384)$/.exec(rest);
  if (nul) {
    const [mac, macLength] = MAC[nul[1]];
    return { ok: true, prf, cipher: { mode: 'null', name: 'null', keyLength: 0, mac, macLength } };
  }
  const cbc = /^(.+_CBC)_(MD5|SHA|SHA256|SHA384)$/.exec(rest);
  const block = cbc && BLOCK[cbc[1]];
  if (cbc && block) {
    const [mac, macLength] = MAC[cbc[2]];
    return { ok: true, prf, cipher: { mode: 'cbc', name: block[0], keyLength: block[1], blockLength: block[2], mac, macLength } };
  }
  return { ok: false, reason: `${name}: its cipher (${rest}) is not one tlsdoctor opens` };
}
