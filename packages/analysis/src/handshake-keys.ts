import { isTls13, tls12Opener, TLS13_DECRYPTABLE_SUITES, Tls13RecordOpener, cipherSuiteName, type ClientHello, type KeyLog, type RecordOpener, type ServerHello } from '@tlsdoctor/tls-parser-ts';
import type { Dir } from '@tlsdoctor/capture';
import { nodeHandshakeCrypto } from './node-crypto.js';

/**
 * The keys of one side's protected handshake records, from the key log, by the client random:
 * TLS 1.3's handshake traffic secret of that side, or TLS 1.0-1.2's master secret with the two
 * randoms. Otherwise why not: the log holds no such secret, or the suite is not one that opens.
 */
export function handshakeOpener(keyLog: KeyLog, dir: Dir, ch: ClientHello, sh: ServerHello): { opener: RecordOpener } | { reason: string } {
  if (!isTls13(sh.version)) {
    const master = keyLog.secret(ch.random, 'CLIENT_RANDOM');
    if (!master) return { reason: 'the key log holds no master secret (CLIENT_RANDOM) for its client random' };
    return tls12Opener(nodeHandshakeCrypto, sh, ch.random, master, dir === 0 ? 'client' : 'server');
  }
  const params = TLS13_DECRYPTABLE_SUITES[sh.cipherSuite];
  if (!params) return { reason: `${cipherSuiteName(sh.cipherSuite)} is not a TLS 1.3 suite tlsdoctor opens` };
  const label = dir === 0 ? 'CLIENT_HANDSHAKE_TRAFFIC_SECRET' : 'SERVER_HANDSHAKE_TRAFFIC_SECRET';
  const secret = keyLog.secret(ch.random, label);
  if (!secret) return { reason: `the key log holds no ${label} for its client random` };
  if (secret.length !== params.hashLength) return { reason: `the key log's ${label} has ${secret.length} bytes, not the ${params.hashLength} of ${cipherSuiteName(sh.cipherSuite)}` };
  return { opener: new Tls13RecordOpener(nodeHandshakeCrypto, params, secret) };
}
