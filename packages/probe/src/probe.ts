import { scanCiphers, type CipherScan } from './cipher-scan.js';
import { readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describeCertificate, pemBlocks, type CertificateInfo } from '@tlsdoctor/analysis';
import { AlertDescription, Version } from '@tlsdoctor/tls-parser-ts';
import { helloFor, probeHello, type HelloOutcome } from './hello-probe.js';
import { acceptedVersions, PLAIN_HTTP_PORTS } from './facts.js';
import { probeHelloShapes, sendShaped, splitInsideName, type HelloShapes, type ShapedHello } from './hello-shapes.js';
import { fullHandshake, type ClientIdentity, type FullHandshake } from './handshake.js';
import { isIP } from 'node:net';
import { http3Ports, probeHttp3, type Http3Probe } from './http3-probe.js';
import { checkHsts, checkRedirect, checkWebSocket, type HstsCheck, type RedirectCheck, type WebSocketCheck } from './http-checks.js';
import { PROFILES, type Profile, type ProfileName } from './profiles.js';
import { resolveHost, type Resolution } from './resolve.js';
import { PROBED_VERSIONS, LEGACY_SUITES, TLS13_SUITES } from './suites.js';
import { TargetError, type Target } from './target.js';
import { TrustStore } from './trust-store.js';
import { stepTimeout } from './settle.js';

/** What the first hello offers in ALPN, as browsers do; each is also offered alone (alpnAlone). */
const ALPN = ['h2', 'http/1.1'];

/** The browser-like first hello offers TLS 1.3 down to 1.0. */
const EVERY_VERSION = [Version.TLS13, Version.TLS12, Version.TLS11, Version.TLS10];


export interface ProbeOptions {
  timeoutMs: number;
  /**
   * An end for the whole probe (a performance.now() time): each step gets the time left, at most
   * timeoutMs. An exporter answering a scrape sets it; the command line gives each step its timeout.
   */
  deadline?: number;
  profile: ProfileName;
  decoySni: string;
  /** --ca: PEM files' texts, trusted beside Node's CA store. */
  extraCa: string[];
  /** The trust store the handshakes judge chains against (Node's store and extraCa), made once by whoever probes several targets; each probe makes its own when absent. */
  trust?: TrustStore;
  resolve: Map<string, string>;
  allowList?: string[];
  ws?: string;
  ciphers: boolean;
  warnDays: number;
  /** Skip the port-80 and HSTS requests (default on). */
  http: boolean;
  /** --cert and --key: the client certificate to present when a server asks for one. */
  identity?: ClientIdentity & { subject: string; issuers: string[]; chain?: CertificateInfo[] };
  /**
   * HTTP/3: true probes UDP whatever the server advertises (--http3), false never (--no-http3);
   * unset, only when the HTTPS answer's Alt-Svc advertises h3.
   */
  http3?: boolean;
  /**
   * Asked before every connection the probe makes (each address of the target, port 443 after a
   * plain-HTTP answer, port 80, the HTTP/3 port): a reason refuses it, and the probe goes on
   * without that part. An exporter binds its allow list here; the command line sets none.
   */
  permit?: (c: { host: string; address: string; port: number }) => string | undefined;
}

/** A connection the probe did not make because `permit` refused it. */
export interface NotPermitted {
  /** What the connection was for. */
  check: 'address' | 'https-port' | 'http-redirect' | 'http3' | 'redirect-target';
  address: string;
  port: number;
  reason: string;
}

/** Everything probed for one address of one target. */
export interface ProbeRecord {
  target: Target;
  address?: string;
  family?: 4 | 6;
  dns: Resolution;
  profile: Profile;
  /** The browser-like hello with the real SNI; its connect result classifies TCP. */
  hello?: HelloOutcome;
  /** The profile's own hello (versions and suites of that client). */
  profileHello?: HelloOutcome;
  /**
   * After a reset or silence: the same address without a name, with another name, and with the
   * real name in a hello cut in two inside the name (a filter that reads one packet misses it).
   */
  sniDifferential?: { noSni: HelloOutcome; decoy: HelloOutcome; decoyName: string; splitName?: ShapedHello };
  /** The browser-sized and split hellos, and the size sweep when one of them failed. */
  shapes?: HelloShapes;
  /**
   * Each ALPN protocol of the first hello offered alone (h2, then http/1.1), on a connection of
   * its own: which one the server requires, when it refuses a client that offers only the other.
   */
  alpnAlone?: { offered: string; outcome: HelloOutcome }[];
  /** When a plain-HTTP port answered HTTP: the same hello to port 443 of the same address. */
  httpsPort?: { outcome: HelloOutcome };
  versions: { version: number; outcome: HelloOutcome }[];
  /** --ciphers: what each accepted version accepts, from the whole registry. */
  ciphers?: CipherScan;
  full?: FullHandshake;
  /** A client certificate was given (--cert): its subject, for the report. */
  clientCertificate?: string;
  /** The issuers of the certificates given with --cert (the leaf's, then its chain's): what a server's acceptable CA names are compared with. */
  clientCertificateIssuers?: string[];
  /** The certificates given with --cert, leaf first, as read: what the chain rules judge when the server refuses them. */
  clientCertificateChain?: CertificateInfo[];
  redirect?: RedirectCheck;
  hsts?: HstsCheck;
  /** A QUIC Initial to the port Alt-Svc named (or the target's port, with --http3). */
  http3?: Http3Probe;
  ws?: WebSocketCheck;
  allowList?: string[];
  warnDays: number;
  ms: number;
  /** Connections `permit` refused; with only refused addresses, the record has no `address`. */
  notPermitted?: NotPermitted[];
}

/**
 * The PEM text of each --ca file. A DER certificate is accepted and converted; a file that is
 * neither is a TargetError naming it (a CA bundle that trusts nothing would fail silently later).
 */
export function loadExtraCa(files: string[]): string[] {
  return files.map((f) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(f);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new TargetError(`--ca ${f}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a certificate file' : (e as Error).message}`);
    }
    const text = bytes.toString('latin1');
    if (text.includes('-----BEGIN CERTIFICATE-----')) return text;
    try {
      return new X509Certificate(bytes).toString();
    } catch {
      throw new TargetError(`--ca ${f}: holds no PEM certificate and is not a DER certificate`);
    }
  });
}

/**
 * The client certificate and key of --cert and --key (PEM; the certificate file may hold the
 * chain after it). A missing file, a file without a certificate or key, or a key that is not the
 * certificate's is a TargetError naming the file.
 */
export function loadIdentity(certFile: string, keyFile: string): ClientIdentity & { subject: string; issuers: string[]; chain: CertificateInfo[] } {
  const read = (f: string, flag: string) => {
    try {
      return readFileSync(f, 'latin1');
    } catch (e) {
      throw new TargetError(`${flag} ${f}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
  };
  const cert = read(certFile, '--cert');
  const key = read(keyFile, '--key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new TargetError(`--cert ${certFile}: holds no PEM certificate`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new TargetError(`--key ${keyFile}: holds no private key that can be read without a passphrase`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw new TargetError(`--key ${keyFile} is not the key of the certificate in ${certFile} (${x509.subject.split('\n').join(', ')})`);
  const oneLine = (dn: string) => dn.split('\n').join(', ');
  // The file may hold the chain after the leaf. Each certificate is read once; one Node cannot
  // read is described with its error, as a server's would be, and names no issuer.
  const chain = pemBlocks(cert)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => describeCertificate(new Uint8Array(b.der.buffer, b.der.byteOffset, b.der.length)).info);
  const issuers = chain.filter((c) => !c.error && c.issuer !== '').map((c) => c.issuer);
  return { cert, key, subject: oneLine(x509.subject), issuers, chain };
}

const answered = (o: HelloOutcome | undefined) => o !== undefined && (o.kind === 'server-hello' || o.kind === 'hello-retry' || o.kind === 'alert');

/** Probes every address the target resolves to. */
export async function probeTarget(target: Target, o: ProbeOptions): Promise<ProbeRecord[]> {
  const t0 = performance.now();
  const profile = PROFILES[o.profile];
  const dns = await resolveHost(target.host, target.port, o.resolve, stepTimeout(o));
  const base = { target, dns, profile, versions: [], allowList: o.allowList, warnDays: o.warnDays };
  const refused: NotPermitted[] = [];
  const addresses = dns.addresses.filter((a) => {
    const reason = o.permit?.({ host: target.host, address: a.address, port: target.port });
    if (reason) refused.push({ check: 'address', address: a.address, port: target.port, reason });
    return !reason;
  });
  const notPermitted = refused.length > 0 ? { notPermitted: refused } : {};
  if (addresses.length === 0) return [{ ...base, ...notPermitted, ms: performance.now() - t0 }];
  const trust = o.trust ?? new TrustStore(o.extraCa);
  return Promise.all(
    addresses.map(async (a) => {
      const rec = await probeAddress(target, a.address, profile, o, trust);
      const all = [...refused, ...(rec.notPermitted ?? [])];
      return { ...rec, dns, family: a.family, ms: performance.now() - t0, ...(all.length > 0 ? { notPermitted: all } : {}) };
    }),
  );
}

/** Each request a redirect leads to is asked for too (another host, another port): a refused one is not made, and is listed. */
function recordingRefusals(permit: NonNullable<ProbeOptions['permit']>, rec: Pick<ProbeRecord, 'notPermitted'>): NonNullable<ProbeOptions['permit']> {
  return (c) => {
    const reason = permit(c);
    if (reason) (rec.notPermitted ??= []).push({ check: 'redirect-target', address: c.address, port: c.port, reason });
    return reason;
  };
}

async function probeAddress(target: Target, address: string, profile: Profile, o: ProbeOptions, trust: TrustStore): Promise<Omit<ProbeRecord, 'dns' | 'ms'>> {
  const sni = target.isIp ? undefined : target.host;
  const rec: Omit<ProbeRecord, 'dns' | 'ms'> = { target, address, profile, versions: [], allowList: o.allowList, warnDays: o.warnDays, ...(o.identity ? { clientCertificate: o.identity.subject, clientCertificateIssuers: o.identity.issuers, ...(o.identity.chain ? { clientCertificateChain: o.identity.chain } : {}) } : {}) };
  const permitted = (check: NotPermitted['check'], port: number) => {
    const reason = o.permit?.({ host: target.host, address, port });
    if (reason) (rec.notPermitted ??= []).push({ check, address, port, reason });
    return reason === undefined;
  };
  // serverName null sends no SNI (undefined would be taken as "the target's name").
  const base = { address, port: target.port, serverName: sni, versions: EVERY_VERSION, alpn: ALPN, timeoutMs: o.timeoutMs, deadline: o.deadline };
  const alpnAlone = () => Promise.all(ALPN.map(async (p) => ({ offered: p, outcome: await probeHello({ ...base, alpn: [p] }) })));
  const hello = (versions: number[], serverName: string | null | undefined = sni, cipherSuites?: number[], keyExchange = false) =>
    probeHello({ ...base, serverName: serverName ?? undefined, versions, cipherSuites, keyExchange });

  rec.hello = await hello(EVERY_VERSION);
  if (rec.hello.kind === 'connect-failed') return rec;
  if (!answered(rec.hello) && rec.hello.kind !== 'not-tls') {
    // Reset or silence: would the same address answer without the name, or with another name?
    const named = sni ? helloFor(base) : undefined;
    const [noSni, decoy, splitName] = await Promise.all([
      hello(EVERY_VERSION, null),
      hello(EVERY_VERSION, o.decoySni),
      named && sni ? sendShaped(base, 'split-sni', named, splitInsideName(named, sni)) : undefined,
    ]);
    rec.sniDifferential = { noSni, decoy, decoyName: o.decoySni, ...(splitName ? { splitName } : {}) };
    return rec;
  }
  if (rec.hello.kind === 'not-tls') {
    // A plain-HTTP port answering HTTP is the wrong port, not a broken server: is TLS on 443?
    if (rec.hello.description.kind === 'http-response' && PLAIN_HTTP_PORTS.has(target.port) && permitted('https-port', 443)) {
      rec.httpsPort = { outcome: await probeHello({ ...base, port: 443 }) };
    }
    return rec;
  }
  if (rec.hello.kind === 'alert' && rec.hello.alert.description === AlertDescription.NoApplicationProtocol) {
    // The server refuses what the hello offers in ALPN: every later hello would be refused the same way.
    rec.alpnAlone = await alpnAlone();
    return rec;
  }

  // The server speaks TLS: versions, the profile's hello, the chain and the HTTP checks at once.
  const jobs: Promise<unknown>[] = [];
  jobs.push(
    // Each version's whole first flight: below TLS 1.3 it shows the key exchange and a CertificateRequest in clear.
    Promise.all(PROBED_VERSIONS.map(async (v) => ({ version: v, outcome: await hello([v], sni, v === Version.TLS13 ? TLS13_SUITES : LEGACY_SUITES, true) }))).then((r) => {
      rec.versions = r;
    }),
  );
  jobs.push(hello(profile.versions, sni, profile.suites).then((r) => (rec.profileHello = r)));
  if (rec.hello.kind === 'server-hello' || rec.hello.kind === 'hello-retry') jobs.push(alpnAlone().then((r) => (rec.alpnAlone = r)));
  // Other shapes of hello are compared with the default one only where it got a ServerHello.
  if (rec.hello.kind === 'server-hello' || rec.hello.kind === 'hello-retry') jobs.push(probeHelloShapes(base, rec.hello.ms).then((r) => (rec.shapes = r)));
  jobs.push(fullHandshake(address, target.port, sni, trust, stepTimeout(o), o.identity).then((r) => (rec.full = r)));
  const family = isIP(address) === 6 ? 6 : 4;
  const http3 = async (port: number, advertised?: string) => {
    if (permitted('http3', port)) rec.http3 = await probeHttp3(address, family, port, sni, stepTimeout(o), advertised);
  };
  if (o.http && !target.isIp) {
    const hopPermit = o.permit && recordingRefusals(o.permit, rec);
    const via = { host: target.host, address, trust, timeoutMs: o.timeoutMs, deadline: o.deadline, resolve: o.resolve, ...(hopPermit ? { permit: hopPermit } : {}) };
    // Port 80 stands in for https on 443 only: a service on another port is reached by a URL that names it.
    if (target.port === 443 && permitted('http-redirect', 80)) jobs.push(checkRedirect(via).then((r) => (rec.redirect = r)));
    // HTTP/3 is tried where the HTTPS answer advertises it (Alt-Svc), as a browser would.
    jobs.push(
      checkHsts(via, target.port, o.identity).then(async (r) => {
        rec.hsts = r;
        const ports = http3Ports(r.altSvc);
        if (o.http3 !== false && ports.length > 0) await http3(ports[0], r.altSvc);
        else if (o.http3) await http3(target.port);
      }),
    );
  } else if (o.http3) jobs.push(http3(target.port));
  // A wss:// (or ws://) target names the WebSocket path itself.
  const wsPath = o.ws ?? (target.scheme === 'wss' ? target.path : undefined);
  if (wsPath) jobs.push(checkWebSocket(target.host, target.port, address, wsPath, trust, o, o.identity).then((r) => (rec.ws = r)));
  await Promise.all(jobs);
  if (o.ciphers) rec.ciphers = await scanCiphers(address, target.port, sni, acceptedVersions(rec), stepTimeout(o));
  return rec;
}

export { acceptedVersions, PLAIN_HTTP_PORTS } from './facts.js';
