import type { TlsFacts } from '@tlsdoctor/analysis';
import { cipherSuiteName, extensionName, groupName, signatureSchemeName, versionName } from '@tlsdoctor/tls-parser-ts';
import type { AlertFacts, CertificateFacts, ClientHelloFacts, ServerHelloFacts } from './row-facts.js';

// The TLS facts of a row, whatever source the record came from (a capture's connection, a
// browser's log): one shape in every report.

export function clientHelloFacts(r: TlsFacts): ClientHelloFacts | null {
  const ch = r.clientHello;
  if (!ch) return null;
  return {
    frame: ch.frame,
    legacyVersion: versionName(ch.legacyVersion),
    offeredVersions: ch.offeredVersions.map(versionName),
    cipherSuites: ch.cipherSuites.map(cipherSuiteName),
    extensions: ch.extensions.map((e) => (e.malformed ? `${extensionName(e.type)} (malformed)` : extensionName(e.type))),
    serverNames: ch.serverNames ?? [],
    alpn: ch.alpn ?? [],
    supportedGroups: (ch.supportedGroups ?? []).map(groupName),
    keyShares: (ch.keyShares ?? []).map((k) => `${groupName(k.group)} (${k.keyLength} bytes)`),
    signatureAlgorithms: (ch.signatureAlgorithms ?? []).map(signatureSchemeName),
    ja3String: r.ja3?.string ?? null,
    ja4Raw: r.ja4?.raw ?? null,
    ja4Original: r.ja4?.original ?? null,
  };
}

export function serverHelloFacts(r: TlsFacts): ServerHelloFacts | null {
  const sh = r.serverHello;
  if (!sh) return null;
  const hrr = r.helloRetryRequest;
  return {
    frame: sh.frame,
    version: versionName(sh.version),
    cipherSuite: cipherSuiteName(sh.cipherSuite),
    extensions: sh.extensions.map((e) => extensionName(e.type)),
    keyShareGroup: sh.keyShareGroup === undefined ? null : groupName(sh.keyShareGroup),
    helloRetryRequest: hrr ? { frame: hrr.frame, group: hrr.group === undefined ? null : groupName(hrr.group) } : null,
  };
}

export function certificateFacts(r: TlsFacts): CertificateFacts[] {
  return r.certificates.map((c) => ({
    subject: c.subject,
    issuer: c.issuer,
    sans: c.sans,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    serialNumber: c.serialNumber,
    fingerprint256: c.fingerprint256,
    selfSigned: c.selfSigned,
  }));
}

export function alertFacts(r: TlsFacts): AlertFacts[] {
  return r.alerts.map((a) => ({ from: a.from, level: a.level, description: a.name, code: a.description, frame: a.frame, ...(a.decrypted ? { decrypted: true as const } : {}) }));
}

export function messageFacts(r: TlsFacts, unit = 'frame'): string[] {
  return r.messages.map((m) => `${m.from}: ${m.name} (${unit} ${m.frame})`);
}

