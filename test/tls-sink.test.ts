// The TLS sink lets go of its stream readers as soon as both directions are past the handshake,
// not when the connection ends: a connection carrying bulk data after its handshake then holds
// only its record while it lasts. Whether the record comes out the same either way is checked by
// every fixture's expected record (pcap-fixtures.test.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile, TcpTracker } from '@tlsdoctor/capture';
import { TlsConnectionSink } from '@tlsdoctor/analysis';
import { FIXTURES } from './helpers/fixtures.js';

describe('TLS sink: readers released once both directions are past the handshake', () => {
  it.each([
    // [fixture, still reading when the tracker hands the connection on]
    ['handshake-ok-curl-tls13.pcap', false], // TLS 1.3: two encrypted records each way
    ['openssl-tls12-handshake.pcap', false], // TLS 1.2: ChangeCipherSpec, then encrypted records
    ['openssl-tls13-hello-retry.pcap', false],
    ['sni-reset.pcap', true], // the server never sent a byte: its side may still speak
    ['client-aborted-tls13.pcap', true], // the client stopped after one encrypted record
    ['plaintext-http-on-443.pcap', true],
  ] as const)('%s: reading at hand-on = %s', async (name, reading) => {
    const seen: boolean[] = [];
    const tracker = new TcpTracker({
      sinkFactory: () => new TlsConnectionSink(),
      onConnection: (c) => seen.push((c.sink as TlsConnectionSink).reading),
    });
    await readCaptureFile(join(FIXTURES, name), (p) => tracker.packet(p));
    tracker.finish();
    expect(seen).toEqual([reading]);
  });
});
