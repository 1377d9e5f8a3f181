import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { CbcCipher, QuicCrypto, RecordCrypto, Tls12Aead } from '@tlsdoctor/tls-parser-ts';

/** Per call, not kept: a module-level cache would be state in a library package, and this is asked once per connection side. */
function hasCipher(cipher: CbcCipher | Tls12Aead): boolean {
  const key = Buffer.alloc(cipher.startsWith('des-ede3') ? 24 : cipher.startsWith('des-') ? 8 : cipher.includes('256') || cipher.startsWith('chacha') ? 32 : 16);
  const iv = Buffer.alloc(/gcm|ccm|chacha/.test(cipher) ? 12 : cipher.startsWith('des') || cipher.startsWith('idea') ? 8 : 16);
  try {
    createDecipheriv(cipher, key, iv, { authTagLength: 16 } as never);
    return true;
  } catch {
    // OpenSSL 3 leaves DES, SEED, IDEA and RC4 to its legacy provider, which Node does not load.
    return false;
  }
}

/** Node's crypto behind the codec's decryption interface (the codec holds no cipher). */
export const nodeHandshakeCrypto: QuicCrypto & RecordCrypto = {
  seal: (aead, key, nonce, aad, plain) => {
    const c = createCipheriv(aead, key, nonce, { authTagLength: 16 } as never) as ReturnType<typeof createCipheriv> & {
      setAAD(b: Uint8Array, o?: object): void;
      getAuthTag(): Buffer;
    };
    c.setAAD(aad, { plaintextLength: plain.length });
    const body = Buffer.concat([c.update(plain), c.final()]);
    return new Uint8Array(Buffer.concat([body, c.getAuthTag()]));
  },
  headerMask: (cipher, key, sample) => {
    if (cipher === 'chacha20') return new Uint8Array(createCipheriv('chacha20', key, sample).update(new Uint8Array(5)));
    const c = createCipheriv(key.length === 32 ? 'aes-256-ecb' : 'aes-128-ecb', key, null);
    c.setAutoPadding(false);
    return new Uint8Array(c.update(sample));
  },
  hmac: (hash, key, data) => new Uint8Array(createHmac(hash, key).update(data).digest()),
  open: (aead, key, nonce, aad, sealed, tagLength = 16) => {
    if (sealed.length < tagLength) return undefined;
    try {
      const d = createDecipheriv(aead, key, nonce, { authTagLength: tagLength } as never) as ReturnType<typeof createDecipheriv> & {
        setAAD(b: Uint8Array, o?: object): void;
        setAuthTag(b: Uint8Array): void;
      };
      // CCM checks the tag before it decrypts, and needs it (and the length) first; the others accept it in this order too.
      d.setAuthTag(sealed.subarray(sealed.length - tagLength));
      d.setAAD(aad, { plaintextLength: sealed.length - tagLength });
      return new Uint8Array(Buffer.concat([d.update(sealed.subarray(0, sealed.length - tagLength)), d.final()]));
    } catch {
      // A tag that does not verify: not this key's record.
      return undefined;
    }
  },
  has: hasCipher,
  decryptCbc: (cipher, key, iv, data) => {
    const d = createDecipheriv(cipher, key, iv);
    d.setAutoPadding(false);
    return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
  },
};
