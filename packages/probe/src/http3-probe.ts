import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { nodeHandshakeCrypto } from '@tlsdoctor/analysis';
import {
  buildClientHelloMessage,
  Ext,
  openQuicLongPacket,
  parseQuicDatagram,
  parseQuicFrames,
  QuicCryptoStream,
  quicCloseFrame,
  quicCryptoFrame,
  quicInitialKeys,
  quicTransportErrorName,
  quicVarint,
  QuicVersion,
  sealQuicInitial,
  TlsParseError,
  Version,
  X25519,
  type QuicLongPacket,
  type QuicPacketKeys,
} from '@tlsdoctor/tls-parser-ts';
import { GROUPS, SIGNATURE_ALGORITHMS, TLS13_SUITES } from './suites.js';

/** What a QUIC Initial to UDP 443 brought back. */
export interface Http3Probe {
  port: number;
  /** The Alt-Svc value that named HTTP/3, when one did (else --http3 asked for it). */
  advertised?: string;
  /** refused: an ICMP port unreachable came back (the host is reached; nothing listens on the UDP port). */
  outcome: 'answered' | 'silent' | 'refused' | 'closed' | 'version-negotiation' | 'error';
  /** Initial datagrams sent (the first, and those sent again while nothing came back). */
  sent: number;
  ms: number;
  /** The server's first datagram, ms after the first Initial. */
  firstAnswerMs?: number;
  serverHello?: { version: number; cipher: number; group?: number };
  /** Handshake packets from the server: its encrypted flight (certificate) follows the ServerHello. */
  handshakePackets: number;
  close?: { code: number; name: string; reason: string };
  versions?: number[];
  retried?: boolean;
  error?: string;
}

/** When to send the Initial again while nothing comes back, ms after the first (Chromium waits about this long). */
const RESEND_AT = [300, 900];
/** After the ServerHello, how long to wait for the server's Handshake packets. */
const HANDSHAKE_WAIT_MS = 300;

/** The ports Alt-Svc advertises HTTP/3 on (`h3=":443"`), for the same host; empty when it does not. */
export function http3Ports(altSvc: string | undefined): number[] {
  if (!altSvc || /^\s*clear\s*$/i.test(altSvc)) return [];
  const ports: number[] = [];
  for (const m of altSvc.matchAll(/(?:^|,)\s*h3(?:-\d+)?\s*=\s*"([^"]*)"/g)) {
    const at = /^(?:[^:]*):(\d{1,5})$/.exec(m[1]);
    const port = at ? Number(at[1]) : NaN;
    if (port > 0 && port < 65536 && !ports.includes(port)) ports.push(port);
  }
  return ports;
}

function transportParameters(scid: Uint8Array): Uint8Array {
  const tp = (id: number, value: Uint8Array) => [...quicVarint(id), ...quicVarint(value.length), ...value];
  const int = (id: number, v: number) => tp(id, quicVarint(v));
  return Uint8Array.from([
    ...int(0x01, 30_000), // max_idle_timeout
    ...int(0x04, 1 << 20), // initial_max_data
    ...int(0x05, 1 << 18),
    ...int(0x06, 1 << 18),
    ...int(0x07, 1 << 18),
    ...int(0x08, 100),
    ...int(0x09, 100),
    ...tp(0x0f, scid), // initial_source_connection_id
  ]);
}

/**
 * Sends a QUIC v1 Initial carrying a ClientHello for `sni` (ALPN h3) to the address and reads
 * what comes back: the server's Initial (ServerHello: version, cipher, group), its Handshake
 * packets, a CONNECTION_CLOSE, Version Negotiation, or nothing. One Retry is followed. Node has
 * no QUIC; the probe only needs the first flight, so it never finishes the handshake: once it has
 * read what it came for it closes the connection with a CONNECTION_CLOSE in an Initial.
 */
export function probeHttp3(address: string, family: 4 | 6, port: number, sni: string | undefined, timeoutMs: number, advertised?: string): Promise<Http3Probe> {
  const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
  const x = new Http3Exchange(socket, port, sni, advertised);
  const timers: NodeJS.Timeout[] = [];
  return new Promise<Http3Probe>((resolve) => {
    let done = false;
    const finish = (outcome?: Http3Probe['outcome']) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      x.close(outcome, () => resolve(x.result));
    };
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') return finish('refused');
      x.result.error = e.message;
      finish('error');
    });
    socket.on('message', (msg) => {
      if (done) return;
      const outcome = x.datagram(new Uint8Array(msg.buffer, msg.byteOffset, msg.length));
      if (outcome) return finish(outcome);
      // The ServerHello and the start of the server's encrypted flight are what the probe wants.
      if (x.result.serverHello && x.result.handshakePackets > 0) finish('answered');
      else if (x.result.serverHello) timers.push(setTimeout(() => finish('answered'), HANDSHAKE_WAIT_MS));
    });
    socket.connect(port, address, () => {
      x.send();
      for (const at of RESEND_AT) if (at < timeoutMs) timers.push(setTimeout(() => x.result.firstAnswerMs === undefined && x.send(), at));
      timers.push(setTimeout(() => finish(), timeoutMs));
    });
  });
}

/** One QUIC Initial exchange over a connected socket: what is sent, the keys, and what came back. */
class Http3Exchange {
  readonly result: Http3Probe;
  private readonly t0 = performance.now();
  private dcid: Uint8Array = randomBytes(8);
  private readonly scid = randomBytes(8);
  private keys = quicInitialKeys(nodeHandshakeCrypto, QuicVersion.V1, this.dcid)!;
  private token: Uint8Array = new Uint8Array(0);
  private pn = 0;
  private largest = -1;
  private readonly stream = new QuicCryptoStream(64 * 1024);
  private readonly hello: Uint8Array;

  constructor(private readonly socket: dgram.Socket, port: number, sni: string | undefined, advertised: string | undefined) {
    this.result = { port, ...(advertised ? { advertised } : {}), outcome: 'silent', sent: 0, ms: 0, handshakePackets: 0 };
    this.hello = buildClientHelloMessage({
      versions: [Version.TLS13],
      cipherSuites: TLS13_SUITES,
      groups: GROUPS,
      keyShares: [{ group: X25519 }],
      signatureAlgorithms: SIGNATURE_ALGORITHMS,
      serverName: sni,
      alpn: ['h3'],
      extraExtensions: [{ type: Ext.quic_transport_parameters, data: transportParameters(this.scid) }],
    });
  }

  private initial(frames: Uint8Array, k: QuicPacketKeys = this.keys.client): Uint8Array {
    return sealQuicInitial(nodeHandshakeCrypto, k, { version: QuicVersion.V1, dcid: this.dcid, scid: this.scid, token: this.token, packetNumber: this.pn++, frames });
  }

  /** The Initial with the ClientHello, first or again. */
  send(): void {
    this.result.sent++;
    this.socket.send(this.initial(quicCryptoFrame(0, this.hello)));
  }

  /** Reads one datagram from the server; returns the outcome when it settles the probe. */
  datagram(d: Uint8Array): Http3Probe['outcome'] | undefined {
    const result = this.result;
    result.firstAnswerMs ??= performance.now() - this.t0;
    try {
      for (const p of parseQuicDatagram(d)) {
        if (p.form === 'version-negotiation') {
          result.versions = p.versions;
          return 'version-negotiation';
        }
        if (p.form !== 'long') continue;
        if (p.kind === 'retry' && !result.retried) this.retry(p);
        else if (p.kind === 'handshake') result.handshakePackets++;
        else if (p.kind === 'initial' && this.initialFromServer(d, p)) return 'closed';
      }
    } catch (e) {
      if (!(e instanceof TlsParseError)) throw e;
      result.error = `the server's datagram does not parse: ${e.message}`;
      return 'error';
    }
    return undefined;
  }

  /** Once: the server validates our address with a token; the next Initial goes to the DCID it chose. */
  private retry(p: QuicLongPacket): void {
    this.result.retried = true;
    this.dcid = p.scid;
    this.token = p.token ?? new Uint8Array(0);
    this.keys = quicInitialKeys(nodeHandshakeCrypto, QuicVersion.V1, this.dcid)!;
    this.stream.takeEvents('server');
    this.send();
  }

  /** The server's Initial: its ServerHello, or its CONNECTION_CLOSE (returns true). */
  private initialFromServer(d: Uint8Array, p: QuicLongPacket): boolean {
    const opened = openQuicLongPacket(nodeHandshakeCrypto, this.keys.server, d, p, this.largest);
    if (!opened) return false;
    this.largest = Math.max(this.largest, opened.packetNumber);
    const frames = parseQuicFrames(opened.payload);
    if (frames.close) {
      this.result.close = { code: frames.close.code, name: quicTransportErrorName(frames.close.code), reason: frames.close.reason };
      return true;
    }
    for (const f of frames.crypto) this.stream.add(f.offset, f.data);
    for (const ev of this.stream.takeEvents('server')) {
      // A ServerHello that does not parse is the server's datagram that does not parse.
      if (ev.kind === 'error') throw ev.error;
      if (ev.kind !== 'handshake' || !ev.serverHello) continue;
      const sh = ev.serverHello;
      this.result.serverHello = { version: sh.version, cipher: sh.cipherSuite, ...(sh.keyShareGroup !== undefined ? { group: sh.keyShareGroup } : {}) };
      this.result.outcome = 'answered';
    }
    return false;
  }

  /**
   * Ends the exchange with `outcome` (or the one it reached), then calls `done`. A server that
   * answered is told we are gone, so it does not keep our state until its idle timeout.
   */
  close(outcome: Http3Probe['outcome'] | undefined, done: () => void): void {
    const result = this.result;
    if (outcome) result.outcome = outcome;
    result.ms = performance.now() - this.t0;
    if (result.firstAnswerMs !== undefined && result.outcome !== 'closed') {
      try {
        this.socket.send(this.initial(quicCloseFrame()), () => this.socket.close());
        return done();
      } catch {
        /* the socket is already unusable: nothing to tell */
      }
    }
    this.socket.close();
    done();
  }
}
