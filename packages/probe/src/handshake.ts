import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { describeCertificate, hostMatches, type CertificateInfo } from '@tlsdoctor/analysis';
import { raceWithTimeout } from './settle.js';
import { TappedConnection, type ServerFlight } from './own-flight.js';
import type { ClientIdentity, TrustStore } from './trust-store.js';

export type { ClientIdentity } from './trust-store.js';

/** Node names versions as OpenSSL does (`TLSv1.3`); reports use wire codes. */
const NODE_VERSIONS: Record<string, number> = { SSLv3: 0x0300, TLSv1: 0x0301, 'TLSv1.1': 0x0302, 'TLSv1.2': 0x0303, 'TLSv1.3': 0x0304 };

export function wireVersion(nodeProtocol: string | null): number | undefined {
  return nodeProtocol ? NODE_VERSIONS[nodeProtocol] : undefined;
}

export interface FullHandshake {
  ok: boolean;
  ms: number;
  /** The negotiated version's wire code (0x0304 for TLS 1.3), as every other part of a report has it. */
  version?: number;
  /** The IANA name of the negotiated suite. */
  cipher?: string;
  alpn?: string | false;
  /** The chain as the server sent it, leaf first. */
  chain: CertificateInfo[];
  /** The trusted root the chain ends in, when the trust store holds it (servers rarely send it). */
  trustAnchor?: string;
  /** OpenSSL's verdict on the chain against the trust store (Node's CA store plus --ca). */
  authorizationError?: string;
  hostnameError?: string;
  /** The server sent only a leaf whose issuer neither the chain nor the trust store holds as a CA. */
  intermediateMissing: boolean;
  /**
   * Some certificate the server sent is issued by one in the trust store. OpenSSL reports one
   * error per chain, so an expired leaf can hide an untrusted issuer: this asks the store itself.
   */
  anchored: boolean;
  /** The chain is anchored in Node's bundled roots (the public web PKI), not only in --ca. */
  publiclyAnchored?: boolean;
  error?: { code?: string; message: string };
  /** TLS 1.3: the server's encrypted flight, decrypted with the key log Node writes for the probe's own connection. */
  serverFlight?: ServerFlight;
  /**
   * When a TLS 1.3 server asked for a client certificate: what it did with the client's answer
   * (none, or --cert), which comes after the handshake: a session ticket (taken), an alert such as
   * certificate_required (refused), a close, or nothing within a short wait.
   */
  afterClientCertificate?: { outcome: 'ticket' | 'alert' | 'closed' | 'nothing'; code?: string; message?: string; alert?: number };
}

/** How long a TLS 1.3 server's verdict on the client's certificate is waited for, at most. */
const VERDICT_WAIT_MS = 1000;

/**
 * A full handshake with Node's TLS stack (SNI, ALPN h2 and http/1.1) that accepts any chain, so
 * that the chain can be read and judged even when it is bad, also on TLS 1.3 where a capture
 * cannot see it. `servername` is the target's name, or undefined for an IP target (then no SNI is
 * sent).
 */
export function fullHandshake(address: string, port: number, servername: string | undefined, trust: TrustStore, timeoutMs: number, identity?: ClientIdentity): Promise<FullHandshake> {
  const t0 = performance.now();
  const tap = new TappedConnection(address, port);
  const socket = tls.connect({
    socket: tap.stream,
    servername,
    // Node checks the name against the SANs with servername, else host: without either (an IP
    // target sends no SNI) it would check "localhost" and refuse a certificate that names the IP.
    host: servername ?? address,
    ALPNProtocols: ['h2', 'http/1.1'],
    rejectUnauthorized: false,
    // Judge old servers too (TLS 1.0, any suite): the verdict on TLS versions comes from the raw probes.
    secureContext: trust.context('judge', identity),
  });
  const failed = (error: FullHandshake['error']): FullHandshake => ({ ok: false, ms: performance.now() - t0, chain: [], intermediateMissing: false, anchored: false, error });
  return raceWithTimeout<FullHandshake>(
    timeoutMs,
    () => failed({ code: 'ETIMEDOUT', message: `no complete handshake within ${timeoutMs} ms` }),
    () => socket.destroy(),
    (finish) => {
      socket.on('keylog', (line: Buffer) => tap.keylog(line));
      // Once the handshake is done, an error is the server's verdict on the client, not a failure of the handshake.
      let done: FullHandshake | undefined;
      socket.once('secureConnect', () => {
        done = secured(socket, tap, servername, trust, performance.now() - t0);
        if (!done.serverFlight?.certificateRequest) return finish(done);
        // Asked for a certificate: the server judges the client's answer after its Finished.
        const after = (a: NonNullable<FullHandshake['afterClientCertificate']>) => finish({ ...done!, afterClientCertificate: a });
        const wait = setTimeout(() => after({ outcome: 'nothing' }), Math.min(VERDICT_WAIT_MS, timeoutMs / 2));
        socket.once('close', () => clearTimeout(wait));
        socket.once('session', () => after({ outcome: 'ticket' }));
        socket.once('end', () => after({ outcome: 'closed' }));
        socket.resume();
      });
      socket.on('error', (e: NodeJS.ErrnoException) => {
        if (done) return finish({ ...done, afterClientCertificate: { outcome: 'alert', code: e.code, message: e.message.trim(), ...alertNumber(e.message) } });
        finish(failed({ code: e.code, message: e.message }));
      });
    },
  );
}

/** What a completed handshake showed: the version, suite, ALPN, the chain and how it stands against the trust store. */
function secured(socket: tls.TLSSocket, tap: TappedConnection, servername: string | undefined, trust: TrustStore, ms: number): FullHandshake {
  const peerCert = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate;
  const chain = sentChain(peerCert);
  const store = trust.certificates;
  let trustAnchor: string | undefined;
  const last = chain[chain.length - 1];
  if (chain.length > 1 && last.subject === last.issuer && store.some((c) => c.fingerprint256 === last.fingerprint256)) {
    trustAnchor = last.subject.split('\n').join(', ');
    chain.pop();
  }
  const infos = chain.map((x) => describeCertificate(new Uint8Array(x.raw)).info);
  let hostnameError: string | undefined;
  if (servername && chain[0]) {
    const err = tls.checkServerIdentity(servername, peerCert);
    if (err) hostnameError = err.message;
    else if (!hostMatches(servername, infos[0].sans)) hostnameError = `${servername} is not among the SANs`;
  }
  const authorizationError = socket.authorizationError ? String((socket.authorizationError as Error & { code?: string }).code ?? socket.authorizationError) : undefined;
  const version = wireVersion(socket.getProtocol());
  const serverFlight = version === 0x0304 ? tap.serverFlight(socket.getCipher()?.standardName) : undefined;
  return {
    ok: true,
    ms,
    version,
    cipher: socket.getCipher()?.standardName,
    alpn: socket.alpnProtocol ?? undefined,
    chain: infos,
    trustAnchor,
    authorizationError,
    hostnameError,
    intermediateMissing: intermediateMissing(chain, store),
    anchored: trustAnchor !== undefined || anchored(chain, store),
    publiclyAnchored: anchored(chain, trust.publicCertificates) || (last !== undefined && trust.publicCertificates.some((c) => c.fingerprint256 === last.fingerprint256)),
    ...(serverFlight ? { serverFlight } : {}),
  };
}

/**
 * The certificates the server sent, issuer after issuer: getPeerCertificate(true) gives them so,
 * and appends the root when the trust store holds it. (Calling getPeerX509Certificate() first
 * would empty it, as seen with Node 20.)
 */
function sentChain(peerCert: tls.DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let c: tls.DetailedPeerCertificate | undefined = peerCert;
  const seen = new Set<string>();
  while (c && c.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    chain.push(new X509Certificate(c.raw));
    c = c.issuerCertificate;
  }
  return chain;
}

/** The alert OpenSSL names at the end of its message ("... SSL alert number 116"). */
function alertNumber(message: string): { alert?: number } {
  const m = /SSL alert number (\d+)/.exec(message);
  return m ? { alert: Number(m[1]) } : {};
}

/**
 * True when the leaf's issuer is not in what the server sent and is not a trusted root: the
 * server left out the intermediate that a path to a trusted root needs.
 */
function intermediateMissing(chain: X509Certificate[], store: X509Certificate[]): boolean {
  const leaf = chain[0];
  if (!leaf || leaf.issuer === leaf.subject) return false;
  if (chain.slice(1).some((c) => leaf.checkIssued(c))) return false;
  return !store.some((root) => leaf.checkIssued(root));
}

function anchored(chain: X509Certificate[], store: X509Certificate[]): boolean {
  return chain.some((c) => store.some((root) => issuedBy(c, root)));
}

function issuedBy(c: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return c.checkIssued(issuer) && c.verify(issuer.publicKey);
  } catch {
    return false;
  }
}
