// Facts made up for the judges' tests: a captured connection and a probed address, built from
// small parts so that each test row says only what differs from a plain, healthy exchange.
import { LiveTlsFacts, QuicConnectionRecord, TcpConnectionRecord, type CapturedConnection, type CertificateInfo, type QuicFacts, type QuicRecord, type TcpFacts, type TcpRecord } from '@tlsdoctor/analysis';
import { icmpKind, icmpName, type IcmpFacts, type PacketFacts } from '@tlsdoctor/capture';
import { PROFILES } from '@tlsdoctor/probe/facts';
import type { HelloOutcome, ProbeRecord } from '@tlsdoctor/probe';
import { alertName, HandshakeType, handshakeTypeName, Version, type ClientHello, type ServerHello } from '@tlsdoctor/tls-parser-ts';

export const T0 = 1_700_000_000; // capture seconds
export const SYN = 0x02;
export const ACK = 0x10;
export const RST = 0x04;
export const FIN = 0x01;

export function pkt(frame: number, time: number, dir: 0 | 1, flags: number, o: Partial<PacketFacts> = {}): PacketFacts {
  return { frame, time: T0 + time, dir, flags, seq: 0, ack: 0, len: 0, ttl: dir === 0 ? 64 : 63, ipId: dir === 0 ? 100 : 5000, window: 64240, ...o };
}

/** An ICMP error as the capture gives it: its kind and RFC name from the capture's table. */
export function icmp(frame: number, time: number, type: number, code: number, o: { from?: string; ttl?: number; ipVersion?: 4 | 6; mtu?: number } = {}): IcmpFacts {
  const v = o.ipVersion ?? 4;
  const kind = icmpKind(v, type, code);
  if (!kind) throw new Error(`ICMP type ${type} code ${code} is not one the capture keeps`);
  return { frame, time: T0 + time, type, code, from: o.from ?? '198.18.1.1', ttl: o.ttl ?? 64, kind, name: icmpName(v, type, code), ...(o.mtu !== undefined ? { mtu: o.mtu } : {}) };
}

export function clientHello(frame: number, time: number, o: { versions?: number[]; suites?: number[] } = {}): ClientHello & { frame: number; time: number } {
  const versions = o.versions ?? [Version.TLS13, Version.TLS12];
  return {
    legacyVersion: Version.TLS12, random: new Uint8Array(32), sessionId: new Uint8Array(0), cipherSuites: o.suites ?? [0x1301, 0xc02f], compressionMethods: [0],
    extensions: [], extensionTypes: [], sslv2Format: false, maxVersion: versions[0], offeredVersions: versions, frame, time: T0 + time,
  } as unknown as ClientHello & { frame: number; time: number };
}

export function serverHello(frame: number, time: number, version: number = Version.TLS12, suite = 0xc02f): ServerHello & { frame: number; time: number } {
  return {
    legacyVersion: Version.TLS12, version, random: new Uint8Array(32), sessionId: new Uint8Array(0), cipherSuite: suite, compressionMethod: 0,
    extensions: [], extensionTypes: [], isHelloRetryRequest: false, frame, time: T0 + time,
  } as unknown as ServerHello & { frame: number; time: number };
}

export function alert(from: 'client' | 'server', description: number, frame: number, time: number, level = 'fatal') {
  return { from, level, description, name: alertName(description), frame, time: T0 + time };
}

export function message(from: 'client' | 'server', type: number, frame: number, time: number) {
  return { from, type, name: handshakeTypeName(type), frame, time: T0 + time };
}

const YEAR_MS = 365 * 86_400_000;
export const NOW_MS = (T0 + 10) * 1000;

export function cert(o: Partial<CertificateInfo> = {}): CertificateInfo {
  return {
    subject: 'CN=example.test', issuer: 'CN=Example CA', sans: ['example.test', '*.example.test'], validFrom: '', validTo: '',
    notBefore: new Date(NOW_MS - YEAR_MS).toISOString(), notAfter: new Date(NOW_MS + YEAR_MS).toISOString(), serialNumber: '01', fingerprint256: 'AA:BB',
    isCA: false, selfIssued: false, selfSigned: false, ...o,
  };
}

export const intermediate = () => cert({ subject: 'CN=Example CA', issuer: 'CN=Example Root', sans: [], isCA: true, fingerprint256: 'CC:DD' });

/** The connection every made-up record is: 198.51.100.7:50000 to 192.0.2.10:443, its start captured. */
const CONNECTION: CapturedConnection = { id: 0, client: { ip: '198.51.100.7', port: 50000 }, server: { ip: '192.0.2.10', port: 443 }, ipVersion: 4, tlsEvidence: 'client-hello', startCaptured: true, firstTime: T0, lastTime: T0 + 1 };

/** What a test may set of a TCP record: any field, and any part of its TCP facts. */
export type TcpOver = Partial<Omit<TcpRecord, 'tcp' | 'transport' | 'ja3' | 'ja3s' | 'ja4'>> & { tcp?: Partial<TcpFacts> };

/** A TCP connection to 192.0.2.10:443 from its SYN; `over` sets what the test is about. */
export function connection(over: TcpOver = {}): TcpRecord {
  const syn = pkt(1, 0, 0, SYN);
  const synAck = pkt(2, 0.001, 1, SYN | ACK);
  const tcp: TcpFacts = {
    syn, synCount: 1, synAck, synAckCount: 1, rsts: [], rstCount: 0, fins: [], icmp: [], packets: [syn, synAck], packetCount: 2, roles: 'syn',
    bytes: [0, 0], retransmissions: [0, 0], gaps: [0, 0], history: 'ShA', ...over.tcp,
  };
  const { tcp: _tcp, ...rest } = over;
  return Object.assign(new TcpConnectionRecord(CONNECTION, new LiveTlsFacts(), tcp, undefined), rest);
}

/** A TLS 1.2 handshake that completed: both sides' CCS and Finished seen. */
export function completedTls12(over: TcpOver = {}): TcpRecord {
  return connection({
    clientHello: clientHello(4, 0.002),
    sni: 'example.test',
    serverHello: serverHello(5, 0.003),
    version: Version.TLS12,
    messages: [message('server', HandshakeType.ServerHello, 5, 0.003), message('server', HandshakeType.ServerHelloDone, 5, 0.003)],
    encryptedFrom: [{ frame: 7, time: T0 + 0.004 }, { frame: 8, time: T0 + 0.005 }],
    encryptedRecords: [2, 2],
    encryptedRecordSizes: [[40, 100], [40, 200]],
    ...over,
  });
}

export const outcome = {
  serverHello: (version: number = Version.TLS13, suite = 0x1301): HelloOutcome => ({ kind: 'server-hello', ms: 2, serverHello: serverHello(0, 0, version, suite), bytes: 100 }),
  alert: (description: number): HelloOutcome => ({ kind: 'alert', ms: 2, alert: { level: 2, levelName: 'fatal', description, name: alertName(description) } as never }),
  reset: (): HelloOutcome => ({ kind: 'reset', ms: 1 }),
  silent: (): HelloOutcome => ({ kind: 'silent', ms: 2000, bytes: 0, records: 0, messages: 0 }),
  closed: (): HelloOutcome => ({ kind: 'closed', ms: 1, bytes: 0 }),
  http: (firstLine = 'HTTP/1.1 400 Bad Request'): HelloOutcome => ({ kind: 'not-tls', ms: 1, description: { kind: 'http-response', summary: `a plain HTTP response "${firstLine}"`, firstLine, hexPrefix: '48545450' } as never }),
  other: (): HelloOutcome => ({ kind: 'not-tls', ms: 1, description: { kind: 'binary', summary: 'binary data starting 00ff1337', hexPrefix: '00ff1337' } as never }),
  connectFailed: (kind: 'refused' | 'timeout' | 'unreachable' | 'reset' | 'error', code = 'E'): HelloOutcome => ({ kind: 'connect-failed', ms: 3, connect: { kind, ms: 3, code, message: `connect ${code}` } }),
};

/** One version probe per version; `accept` lists the versions answered with their own ServerHello. */
export function versionProbes(accept: number[], refuse: (v: number) => HelloOutcome = () => outcome.alert(70)): ProbeRecord['versions'] {
  return [Version.TLS10, Version.TLS11, Version.TLS12, Version.TLS13].map((v) => ({ version: v, outcome: accept.includes(v) ? outcome.serverHello(v) : refuse(v) }));
}

/** A probed address of example.test; by default a healthy TLS 1.3 server with a good chain. */
export function probeRecord(over: Partial<ProbeRecord> = {}): ProbeRecord {
  return {
    target: { input: 'example.test', host: 'example.test', port: 443, path: '/', isIp: false, scheme: 'host' },
    address: '192.0.2.10',
    family: 4,
    dns: { addresses: [{ address: '192.0.2.10', family: 4 }], via: 'getaddrinfo', ms: 1 },
    profile: PROFILES.browser,
    hello: outcome.serverHello(),
    profileHello: outcome.serverHello(),
    versions: versionProbes([Version.TLS12, Version.TLS13]),
    full: { ok: true, ms: 5, version: 0x0304, cipher: 'TLS_AES_128_GCM_SHA256', alpn: 'h2', chain: [cert(), intermediate()], intermediateMissing: false, anchored: true },
    warnDays: 21,
    ms: 10,
    ...over,
  };
}

/** QUIC facts of a connection whose client sent one Initial and heard nothing; `over` adds what the test is about. */
export function quicFacts(over: Partial<QuicFacts> = {}): QuicFacts {
  return {
    version: 1, versionName: 'QUIC v1', originalDcid: '8394c8f03e515708', datagrams: [1, 0], bytes: [1250, 0], initials: [1, 0], handshakePackets: [0, 0],
    shortPackets: [0, 0], zeroRttPackets: 0, unopened: [0, 0], clientInitials: [{ frame: 1, time: T0 }], clientInitialDatagrams: 1, helloDatagrams: 1, retries: [],
    log: [], icmp: [], ...over,
  };
}

/** A QUIC connection to 192.0.2.10:443 whose ClientHello is in frame 1. */
export function quicConnection(q: Partial<QuicFacts> = {}, over: Partial<Omit<QuicRecord, 'quic' | 'transport' | 'ja3' | 'ja3s' | 'ja4'>> = {}): QuicRecord {
  const r = new QuicConnectionRecord(CONNECTION, new LiveTlsFacts(), quicFacts(q));
  return Object.assign(r, { clientHello: clientHello(1, 0, { versions: [Version.TLS13], suites: [0x1301, 0x1302, 0x1303] }), sni: 'example.test', ...over });
}
