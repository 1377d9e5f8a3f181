import { describeHello, worst, type Finding } from '@tlsdoctor/diagnosis';
import type { CipherScan, HelloOutcome, ProbeRecord, ShapedHello } from '@tlsdoctor/probe';
import { cipherSuiteName, signatureSchemeName, versionName, type CertificateRequest } from '@tlsdoctor/tls-parser-ts';
import { wireCode, type ProbeItem } from './model.js';
import type { CipherFacts, HelloFacts, ShapedHelloFacts } from './row-facts.js';
import { addCertificate, addDn, addUrlHost, emptyIdentifiers, IDENTIFIERS, type Identifiers } from './identifiers.js';

function hello(o: HelloOutcome | undefined): HelloFacts | null {
  if (!o) return null;
  const base = { outcome: o.kind, ms: Math.round(o.ms * 10) / 10, summary: describeHello(o) };
  if (o.kind === 'server-hello' || o.kind === 'hello-retry') return { ...base, version: versionName(o.serverHello.version), cipher: cipherSuiteName(o.serverHello.cipherSuite), alpn: o.serverHello.alpn?.[0] ?? null };
  if (o.kind === 'alert') return { ...base, alert: o.alert.name, code: o.alert.description };
  if (o.kind === 'not-tls') return { ...base, kind: o.description.kind, firstLine: o.description.firstLine ?? null, firstBytesHex: o.description.hexPrefix };
  return base;
}

/** What a CertificateRequest accepts, by name. */
function requestFacts(q: CertificateRequest) {
  return { caNames: q.caNames, signatureAlgorithms: (q.signatureAlgorithms ?? []).map(signatureSchemeName), certificateTypes: q.certificateTypes };
}

/** Every CertificateRequest the probe read: TLS 1.2 flights in clear, its own TLS 1.3 flight decrypted. */
function certificateRequests(r: ProbeRecord): CertificateRequest[] {
  const out: CertificateRequest[] = [];
  for (const v of r.versions) if (v.outcome.kind === 'server-hello' && v.outcome.certificateRequest) out.push(v.outcome.certificateRequest);
  if (r.full?.serverFlight?.certificateRequest) out.push(r.full.serverFlight.certificateRequest);
  return out;
}

/** One hello of another shape: its size, the writes it went out in, and the answer. */
function shaped(s: ShapedHello): ShapedHelloFacts {
  return { bytes: s.bytes, writes: s.writes, ...hello(s.outcome)! };
}

/** A report row for one probed address. */
export function probeItem(r: ProbeRecord, id: number, diagnoses: Finding[]): ProbeItem {
  const h = r.hello?.kind === 'server-hello' ? r.hello.serverHello : undefined;
  const version = r.full?.ok ? r.full.version : h?.version;
  return {
    id,
    source: r.target.input,
    server: { ip: r.address ?? '', port: r.target.port },
    sni: r.target.isIp ? null : r.target.host,
    version: version === undefined ? null : versionName(version),
    versionCode: version === undefined ? null : wireCode(version),
    cipher: r.full?.ok ? (r.full.cipher ?? null) : h ? cipherSuiteName(h.cipherSuite) : null,
    alpn: r.full?.ok && r.full.alpn ? r.full.alpn : null,
    ja3: null,
    ja3s: null,
    ja4: null,
    outcome: worst(diagnoses.map((d) => d.severity)),
    diagnoses,
    facts: {
      profile: r.profile.name,
      durationMs: Math.round(r.ms),
      dns: { via: r.dns.via, addresses: r.dns.addresses.map((a) => a.address), ms: Math.round(r.dns.ms), error: r.dns.error ?? null },
      hello: hello(r.hello),
      profileHello: hello(r.profileHello),
      httpsPort: r.httpsPort ? hello(r.httpsPort.outcome) : null,
      alpnAlone: r.alpnAlone?.map((a) => ({ offered: a.offered, hello: hello(a.outcome) })) ?? null,
      sniDifferential: r.sniDifferential
        ? { decoyName: r.sniDifferential.decoyName, noSni: hello(r.sniDifferential.noSni), decoy: hello(r.sniDifferential.decoy), splitName: r.sniDifferential.splitName ? shaped(r.sniDifferential.splitName) : null }
        : null,
      helloShapes: r.shapes ? { postQuantum: shaped(r.shapes.postQuantum), split: shaped(r.shapes.split), sweep: r.shapes.sweep?.map(shaped) ?? null } : null,
      versions: Object.fromEntries(r.versions.map((v) => [versionName(v.version), hello(v.outcome)])),
      ciphers: r.ciphers ? cipherScanFacts(r.ciphers) : null,
      handshake: r.full
        ? {
            ok: r.full.ok, ms: Math.round(r.full.ms), version: r.full.version === undefined ? null : versionName(r.full.version), cipher: r.full.cipher ?? null, alpn: r.full.alpn || null,
            verification: r.full.authorizationError ?? 'ok', hostname: r.full.hostnameError ?? 'ok', error: r.full.error ?? null,
            serverFlight: r.full.serverFlight
              ? { messages: r.full.serverFlight.messages, certificateRequest: r.full.serverFlight.certificateRequest ? requestFacts(r.full.serverFlight.certificateRequest) : null, error: r.full.serverFlight.error ?? null }
              : null,
            afterClientCertificate: r.full.afterClientCertificate ?? null,
          }
        : null,
      clientCertificate: r.clientCertificate ?? null,
      certificateRequest: (() => {
        const v = r.versions.find((x) => x.outcome.kind === 'server-hello' && x.outcome.certificateRequest);
        return v && v.outcome.kind === 'server-hello' && v.outcome.certificateRequest ? { version: versionName(v.version), ...requestFacts(v.outcome.certificateRequest) } : null;
      })(),
      certificates: r.full?.chain.map((c) => ({ subject: c.subject, issuer: c.issuer, sans: c.sans, notBefore: c.notBefore, notAfter: c.notAfter, serialNumber: c.serialNumber, fingerprint256: c.fingerprint256, selfSigned: c.selfSigned, keyType: c.keyType ?? null, keyBits: c.keyBits ?? null })) ?? [],
      http: { redirect: r.redirect ?? null, hsts: r.hsts ?? null, websocket: r.ws ?? null, http3: r.http3 ?? null },
    },
    [IDENTIFIERS]: probeIdentifiers(r),
  };
}

/**
 * What --ciphers found, per version: the accepted suites (in the server's order when it has
 * one) with their key exchange, and what the scan could not offer.
 */
function cipherScanFacts(c: CipherScan): CipherFacts {
  return {
    versions: Object.fromEntries(
      c.versions.map((v) => [
        versionName(v.version),
        { order: v.serverOrder === undefined ? null : v.serverOrder ? 'server' : 'client', offered: v.offered, accepted: v.suites.map((s) => ({ suite: cipherSuiteName(s.suite), code: wireCode(s.suite), keyExchange: s.keyExchange ?? null })) },
      ]),
    ),
    untested: c.untested,
  };
}

/** Every address and name a probed address's row, evidence or facts can hold. */
function probeIdentifiers(r: ProbeRecord): Identifiers {
  const ids = emptyIdentifiers();
  (r.target.isIp ? ids.servers : ids.hosts).push(r.target.host);
  addUrlHost(ids, r.target.input.includes('://') ? r.target.input : undefined);
  if (r.address) ids.servers.push(r.address);
  for (const a of r.dns.addresses) ids.servers.push(a.address);
  if (r.sniDifferential) ids.hosts.push(r.sniDifferential.decoyName);
  for (const c of r.full?.chain ?? []) addCertificate(ids, c);
  addDn(ids, r.full?.trustAnchor);
  addDn(ids, r.clientCertificate);
  for (const i of r.clientCertificateIssuers ?? []) addDn(ids, i);
  for (const n of certificateRequests(r).flatMap((q) => q.caNames)) addDn(ids, n);
  for (const h of [...(r.redirect?.hops ?? []), ...(r.hsts?.redirects?.hops ?? [])]) {
    addUrlHost(ids, h.url);
    if ('location' in h) addUrlHost(ids, h.location);
  }
  addUrlHost(ids, r.hsts?.location);
  addUrlHost(ids, r.ws?.location);
  return ids;
}
