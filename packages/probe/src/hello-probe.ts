import { generateKeyPairSync } from 'node:crypto';
import type { Socket } from 'node:net';
import {
  buildClientHello,
  groupName,
  HandshakeType,
  parseCertificate,
  parseCertificateRequest,
  parseServerKeyExchange,
  describeNonTls,
  TlsStreamReader,
  Version,
  X25519,
  type Alert,
  type CertificateRequest,
  type ClientHelloOptions,
  type NonTlsDescription,
  type ServerHello,
} from '@tlsdoctor/tls-parser-ts';
import { describeCertificate, type CertificateInfo } from '@tlsdoctor/analysis';
import { connectTcp, type ConnectOutcome } from './connect.js';
import { raceWithTimeout, stepTimeout } from './settle.js';
import { GROUPS, LEGACY_SUITES, SIGNATURE_ALGORITHMS, TLS13_SUITES } from './suites.js';

/** The TCP connect time (SYN to SYN-ACK, ms) of a hello that went over a connection the probe opened and timed. */
type Connected = { connectMs?: number };

/** How a server answered one ClientHello. */
export type HelloOutcome =
  | (Connected &
      (
        | {
            kind: 'server-hello';
            ms: number;
            serverHello: ServerHello;
            bytes: number;
            keyExchange?: string;
            certificateRequested?: boolean;
            certificateRequest?: CertificateRequest;
            /**
             * Below TLS 1.3, the server's Certificate message as sent (its order, duplicates and
             * extras), which a TLS library's verified chain no longer shows.
             */
            servedChain?: CertificateInfo[];
          }
        | { kind: 'hello-retry'; ms: number; serverHello: ServerHello }
        | { kind: 'alert'; ms: number; alert: Alert }
        | { kind: 'not-tls'; ms: number; description: NonTlsDescription }
        | { kind: 'reset'; ms: number }
        | { kind: 'closed'; ms: number; bytes: number }
        | { kind: 'silent'; ms: number; bytes: number; records: number; messages: number }
      ))
  | { kind: 'connect-failed'; ms: number; connect: Exclude<ConnectOutcome, { kind: 'connected' }> };

export interface HelloProbeOptions {
  address: string;
  port: number;
  /** undefined: no SNI. */
  serverName?: string;
  versions: number[];
  cipherSuites?: number[];
  alpn?: string[];
  timeoutMs: number;
  /** The probe's deadline (performance.now()), when it has one: the connect and the read each get at most the time left. */
  deadline?: number;
  /**
   * Read on past a TLS 1.2 ServerHello to the end of the server's flight (ServerHelloDone): to
   * name the key exchange (group, DH size, or RSA; TLS 1.3 names it in the ServerHello) and see
   * whether the server asks for a client certificate (a CertificateRequest, in clear before 1.3).
   */
  keyExchange?: boolean;
  /** The bytes to send instead of helloFor(this): another shape of hello (hello-shapes.ts). */
  hello?: Uint8Array;
  /**
   * Send the hello in two writes, this many bytes first, the rest `pauseMs` later, with Nagle
   * off: two TCP segments, as a middlebox that reads one segment must then see them.
   */
  split?: { at: number; pauseMs: number };
}

/** Most a probe reads from a server before giving its verdict: a first flight is far smaller. */
const MAX_READ = 256 * 1024;

/** A fresh P-256 key share (uncompressed point) for a hello: about 0.1 ms, so none is kept between hellos. */
function p256Share(): Uint8Array {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'jwk' });
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
}

export function helloFor(o: Pick<HelloProbeOptions, 'serverName' | 'versions' | 'cipherSuites' | 'alpn'> & { padTo?: number }): Uint8Array {
  const tls13 = o.versions.includes(Version.TLS13);
  const legacy = o.versions.some((v) => v < Version.TLS13);
  const options: ClientHelloOptions = {
    versions: o.versions,
    cipherSuites: o.cipherSuites ?? [...(tls13 ? TLS13_SUITES : []), ...(legacy ? LEGACY_SUITES : [])],
    groups: GROUPS,
    signatureAlgorithms: SIGNATURE_ALGORITHMS,
    serverName: o.serverName,
    alpn: o.alpn,
    keyShares: tls13 ? [{ group: X25519 }, { group: 0x0017, key: p256Share() }] : undefined,
    // Some middleboxes mishandle hellos of 256 to 511 bytes (RFC 7685); pad as browsers do.
    padTo: o.padTo ?? 512,
  };
  return buildClientHello(options);
}

/**
 * Sends one ClientHello on a fresh connection and reads the server's first flight only: up to
 * the ServerHello, an alert, non-TLS bytes, a reset, a close, or the time limit. Never more
 * than MAX_READ bytes.
 */
export async function probeHello(o: HelloProbeOptions): Promise<HelloOutcome> {
  const c = await connectTcp(o.address, o.port, stepTimeout(o));
  if (c.kind !== 'connected') return { kind: 'connect-failed', ms: c.ms, connect: c };
  return { ...(await firstFlight({ ...o, timeoutMs: stepTimeout(o) }, c.socket)), connectMs: c.ms };
}

/** Sends the hello on a connected socket and reads the answer (probeHello's second half). */
function firstFlight(o: HelloProbeOptions, socket: Socket): Promise<Exclude<HelloOutcome, { kind: 'connect-failed' }>> {
  const t0 = performance.now();
  const reader = new TlsStreamReader('server');
  let bytes = 0;
  let messages = 0;
  const ms = () => performance.now() - t0;
  // A TLS 1.2 ServerHello waiting for its key exchange: what is reported if the rest never comes.
  let hello: Extract<HelloOutcome, { kind: 'server-hello' }> | undefined;
  let sawKeyExchange = false;
  return raceWithTimeout<Exclude<HelloOutcome, { kind: 'connect-failed' }>>(
    o.timeoutMs,
    () => hello ?? { kind: 'silent', ms: ms(), bytes, records: reader.records, messages },
    () => {
      socket.removeAllListeners('data');
      // A reset, not a close: a close would leave the kernel resending what a black hole never
      // acknowledged (a browser-sized hello) long after the probe is done.
      if (!socket.destroyed) socket.resetAndDestroy();
    },
    (finish) => {
      socket.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (const ev of reader.push(chunk)) {
          if (ev.kind === 'handshake') {
            messages++;
            if (hello) {
              if (ev.msgType === HandshakeType.ServerKeyExchange) {
                sawKeyExchange = true;
                const kx = keyExchangeName(ev.body, hello.serverHello.version);
                if (kx) hello = { ...hello, keyExchange: kx };
              } else if (ev.msgType === HandshakeType.Certificate) hello = { ...hello, ...servedChainOf(ev.body, hello.serverHello.version) };
              else if (ev.msgType === HandshakeType.CertificateRequest) hello = { ...hello, certificateRequested: true, ...certificateRequestOf(ev.body, hello.serverHello.version) };
              // No ServerKeyExchange before the end of the flight: the client's RSA key transport.
              else if (ev.msgType === HandshakeType.ServerHelloDone) return finish(sawKeyExchange ? hello : { ...hello, keyExchange: 'RSA' });
            } else if (ev.serverHello) {
              const sh = ev.serverHello;
              if (sh.isHelloRetryRequest) return finish({ kind: 'hello-retry', ms: ms(), serverHello: sh });
              const outcome = { kind: 'server-hello' as const, ms: ms(), serverHello: sh, bytes };
              if (sh.version >= Version.TLS13) return finish(sh.keyShareGroup === undefined ? outcome : { ...outcome, keyExchange: groupName(sh.keyShareGroup) });
              if (!o.keyExchange) return finish(outcome);
              hello = outcome;
            }
          } else if (hello) {
            // Anything but a record header ends the wait: the key exchange goes unnamed.
            if (ev.kind !== 'record') return finish(hello);
          } else if (ev.kind === 'alert') {
            return finish({ kind: 'alert', ms: ms(), alert: ev.alert });
          } else if (ev.kind === 'error') {
            return finish({ kind: 'not-tls', ms: ms(), description: describeNonTls(chunk) });
          }
        }
        if (reader.state === 'not-tls' && (reader.nonTlsFull || reader.nonTlsBytes.includes(0x0a) || bytes >= 512)) {
          return finish({ kind: 'not-tls', ms: ms(), description: describeNonTls(reader.nonTlsBytes) });
        }
        if (bytes >= MAX_READ) finish({ kind: 'silent', ms: ms(), bytes, records: reader.records, messages });
      });
      socket.on('end', () => {
        if (hello) return finish(hello);
        reader.finish();
        if (reader.state === 'not-tls') return finish({ kind: 'not-tls', ms: ms(), description: describeNonTls(reader.nonTlsBytes) });
        finish({ kind: 'closed', ms: ms(), bytes });
      });
      socket.on('error', (e: NodeJS.ErrnoException) => {
        if (hello) return finish(hello);
        if (reader.state === 'not-tls') return finish({ kind: 'not-tls', ms: ms(), description: describeNonTls(reader.nonTlsBytes) });
        if (e.code === 'ECONNRESET' || e.code === 'EPIPE') finish({ kind: 'reset', ms: ms() });
        else finish({ kind: 'closed', ms: ms(), bytes });
      });
      const bytesOut = o.hello ?? helloFor(o);
      if (!o.split) return void socket.write(bytesOut);
      socket.setNoDelay(true);
      socket.write(bytesOut.subarray(0, o.split.at));
      const rest = setTimeout(() => {
        if (!socket.destroyed) socket.write(bytesOut.subarray(o.split!.at));
      }, o.split.pauseMs);
      socket.once('close', () => clearTimeout(rest));
    },
  );
}

/** The certificates of a Certificate message, in the order sent; nothing when it does not parse. */
function servedChainOf(body: Uint8Array, version: number): { servedChain?: CertificateInfo[] } {
  try {
    return { servedChain: parseCertificate(body, version).certificates.map((der) => describeCertificate(der).info) };
  } catch {
    return {};
  }
}

/** What a CertificateRequest asks for (CA names, signature algorithms); nothing when it does not parse. */
function certificateRequestOf(body: Uint8Array, version: number): { certificateRequest?: CertificateRequest } {
  try {
    return { certificateRequest: parseCertificateRequest(body, version) };
  } catch {
    return {};
  }
}

/** The key exchange a ServerKeyExchange sets up: its group, or the size of its DH prime. */
function keyExchangeName(body: Uint8Array, version: number): string | undefined {
  try {
    const kx = parseServerKeyExchange(body, version);
    if (kx.kind === 'ecdhe' && kx.group !== undefined) return groupName(kx.group);
    if (kx.kind === 'dhe' && kx.dhPrimeBits !== undefined) return `DHE ${kx.dhPrimeBits}-bit`;
  } catch {
    // A layout the parser does not know: the key exchange goes unnamed.
  }
  return undefined;
}

