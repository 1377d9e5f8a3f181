// A QUIC connection whose server answers with a Retry: the client sends its ClientHello again,
// in an Initial with the Retry's token and new keys. That is one hello, listed once; a hello with
// another random (a new attempt after Version Negotiation) is a second one.
import { describe, expect, it } from 'vitest';
import { buildClientHelloMessage, QuicVersion, quicCryptoFrame, quicInitialKeys, sealQuicInitial, Version } from '@tlsdoctor/tls-parser-ts';
import { nodeHandshakeCrypto } from './node-crypto.js';
import { QuicConnection } from './quic-connection.js';
import { CaptureResources } from './resources.js';

const V1 = QuicVersion.V1;
const hello = () => buildClientHelloMessage({ versions: [Version.TLS13], cipherSuites: [0x1301], groups: [0x001d], serverName: 'retry.test', alpn: ['h3'] });

function initial(dcid: Uint8Array, ch: Uint8Array, token?: Uint8Array): Uint8Array {
  const keys = quicInitialKeys(nodeHandshakeCrypto, V1, dcid)!;
  return sealQuicInitial(nodeHandshakeCrypto, keys.client, { version: V1, dcid, scid: Uint8Array.of(9, 9, 9, 9), token, packetNumber: 0, frames: quicCryptoFrame(0, ch) });
}

/** A Retry (RFC 9000 section 17.2.5) to the client's connection ID, with a new one for the server; its integrity tag is not checked by a reader. */
function retry(newDcid: Uint8Array, token: Uint8Array): Uint8Array {
  return Uint8Array.from([0xf0, 0, 0, 0, 1, 4, 9, 9, 9, 9, newDcid.length, ...newDcid, ...token, ...new Uint8Array(16)]);
}

describe('a ClientHello sent again after a Retry', () => {
  it.each([
    ['the same hello again after a Retry: listed once', false, 1],
    ['a hello with a new random after it: a second hello', true, 2],
  ] as const)('%s', (_what, fresh, hellos) => {
    const c = new QuicConnection(0, 4, { ip: '10.0.0.1', port: 50000 }, { ip: '10.0.0.2', port: 443 }, 'k', 0, new CaptureResources());
    const ch = hello();
    const first = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const second = Uint8Array.of(8, 7, 6, 5, 4, 3, 2, 1);
    const token = Uint8Array.of(0xaa, 0xbb, 0xcc);
    c.datagram(0, initial(first, ch), 1, 0, 64, 1);
    c.datagram(1, retry(second, token), 2, 0.01, 64, 1);
    c.datagram(0, initial(second, fresh ? hello() : ch, token), 3, 0.02, 64, 2);
    const r = c.toRecord()!;
    expect(r.quic.retries).toHaveLength(1);
    expect(r.quic.initials[0]).toBe(2);
    expect(r.quic.unopened[0]).toBe(0);
    expect(r.messages.filter((m) => m.type === 1)).toHaveLength(hellos);
    expect(r.clientHelloCount).toBe(hellos);
  });
});
