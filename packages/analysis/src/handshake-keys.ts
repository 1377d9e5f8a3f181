import { isTls13, TLS12_AEAD_SUITES, tls12Keys, Tls12RecordOpener, TLS13_DECRYPTABLE_SUITES, Tls13RecordOpener, type ClientHello, type KeyLog, type RecordOpener, type ServerHello } from '@tlsdoctor/tls-parser-ts';
import type { Dir } from '@tlsdoctor/capture';
import { nodeHandshakeCrypto } from './node-crypto.js';

/** The TLS 1.2 master secret's length (RFC 5246 section 8.1). */
const MASTER_SECRET_LENGTH = 48;

/**
 * The keys of one side's protected handshake records, from the key log, by the client random:
 * TLS 1.3's handshake traffic secret of that side, or TLS 1.2's master secret with the two
 * randoms (AEAD suites). Undefined when the log holds nothing that opens them.
 */
export function handshakeOpener(keyLog: KeyLog, dir: Dir, ch: ClientHello, sh: ServerHello): RecordOpener | undefined {
  if (!isTls13(sh.version)) {
    const suite = TLS12_AEAD_SUITES[sh.cipherSuite];
    const master = keyLog.secret(ch.random, 'CLIENT_RANDOM');
    if (!suite || !master || master.length !== MASTER_SECRET_LENGTH) return undefined;
    const keys = tls12Keys(nodeHandshakeCrypto, suite, master, ch.random, sh.random);
    const side = dir === 0 ? keys.client : keys.server;
    return new Tls12RecordOpener(nodeHandshakeCrypto, suite, side.key, side.iv);
  }
  const params = TLS13_DECRYPTABLE_SUITES[sh.cipherSuite];
  const secret = keyLog.secret(ch.random, dir === 0 ? 'CLIENT_HANDSHAKE_TRAFFIC_SECRET' : 'SERVER_HANDSHAKE_TRAFFIC_SECRET');
  if (!params || !secret || secret.length !== params.hashLength) return undefined;
  return new Tls13RecordOpener(nodeHandshakeCrypto, params, secret);
}
