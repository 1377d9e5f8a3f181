import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { QuicCrypto } from '@tlsdoctor/tls-parser-ts';

/** Node's crypto behind the codec's decryption interface (the codec holds no cipher). */
export const nodeHandshakeCrypto: QuicCrypto = {
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
  open: (aead, key, nonce, aad, sealed) => {
    if (sealed.length < 16) return undefined;
    try {
      const d = createDecipheriv(aead, key, nonce, { authTagLength: 16 } as never) as ReturnType<typeof createDecipheriv> & {
        setAAD(b: Uint8Array, o?: object): void;
        setAuthTag(b: Uint8Array): void;
      };
      d.setAAD(aad, { plaintextLength: sealed.length - 16 });
      d.setAuthTag(sealed.subarray(sealed.length - 16));
      return new Uint8Array(Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]));
    } catch {
      // A tag that does not verify: not this key's record.
      return undefined;
    }
  },
};
