import { createDecipheriv, createHmac } from 'node:crypto';
import type { HandshakeCrypto } from '@tlsdoctor/tls-parser-ts';

/** Node's crypto behind the codec's decryption interface (the codec holds no cipher). */
export const nodeHandshakeCrypto: HandshakeCrypto = {
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
