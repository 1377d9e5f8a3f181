import type { ConnectionRecord, DecryptionMiss } from './record.js';

/** Why a key log did not open a connection's handshake, in words. */
export function decryptionMissWords(m: DecryptionMiss, transport: ConnectionRecord['transport']): string {
  const unit = transport === 'quic' ? 'Handshake packet' : 'protected record';
  if (m.why === 'no-secret') return "the key log holds no secret for its client random";
  if (m.why === 'not-decryptable') return m.reason;
  return `the ${m.from}'s ${unit} ${m.record} did not authenticate under the key log's secrets (a key log of another run, or bytes cut or altered)`;
}
