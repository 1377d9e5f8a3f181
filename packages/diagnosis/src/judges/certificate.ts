import { hostMatches, type CertificateInfo, type ChainCheck, type ConnectionRecord } from '@tlsdoctor/analysis';
import type { ProbeRecord } from '@tlsdoctor/probe';
import { AlertDescription, isTls13, versionName } from '@tlsdoctor/tls-parser-ts';
import { compact } from '../evidence.js';
import { findingsOf, type Finding } from '../finding.js';
import { alertLine, endLine } from './hello-line.js';
import { clientFinished } from './handshake-state.js';
import { judgeChainRules } from './chain-rules.js';
import { foldRefusal, NO_PATH_ERRORS } from './verifier-refusal.js';

/** The server's certificate chain: validity in time, the name, and the path to a trusted root. */
export const CERTIFICATE_CODES = {
  CERT_EXPIRED: { severity: 'error', title: 'The certificate has expired', remedy: 'Renew the certificate and reload the server (for ACME clients, check that the renewal job runs and that nginx is reloaded afterwards). Also check the client\'s clock.' },
  CERT_NOT_YET_VALID: { severity: 'error', title: 'The certificate is not valid yet', remedy: 'Check the clocks: the client\'s (or the capture host\'s) clock is behind, or the certificate was issued with a future start date.' },
  CERT_EXPIRING_SOON: { severity: 'warning', title: 'The certificate expires soon', remedy: 'Renew the certificate before it expires and make sure renewal is automatic.' },
  CERT_HOSTNAME_MISMATCH: { severity: 'error', title: 'The certificate does not cover the server name', remedy: 'Install a certificate whose subjectAltName lists this host name (clients ignore the CN), or fix `server_name`/SNI routing so this name gets the right certificate. A renewal with the same names will not fix it.' },
  CERT_SELF_SIGNED: { severity: 'error', title: 'The certificate is self-signed', remedy: 'Use a certificate from a public CA (e.g. Let\'s Encrypt); mini-program runtimes and iOS reject self-signed certificates outright.' },
  CERT_UNTRUSTED: { severity: 'error', title: 'The certificate is not trusted by the client', remedy: 'Use a certificate from a CA in the clients\' trust stores, or add the private CA to the clients that must trust it.' },
  CERT_CHAIN_INCOMPLETE: {
    severity: 'error',
    title: 'The server does not send the intermediate certificate',
    remedy: 'Install the full chain: leaf first, then the intermediates (nginx: `ssl_certificate fullchain.pem;`). Browsers may hide this by fetching the intermediate; Node, curl, Java, Android apps and mini-programs do not.',
  },
  CERT_PROXY_DEFAULT: {
    severity: 'error',
    title: 'The server has no certificate configured for this name: the ingress or proxy served its default',
    remedy: 'The proxy in front of the server found no certificate for this name and fell back to the one it makes for itself. Give the name its certificate in the proxy\'s own configuration; replacing or trusting the default fixes nothing.',
  },
} as const;

const finding = findingsOf(CERTIFICATE_CODES);

/** A subject's attribute, as the chain's subject string writes it ("O=Acme Co, CN=…"). */
const attribute = (subject: string, key: string) => new RegExp(`(?:^|, |\\n)${key}=([^,\\n]*)`).exec(subject)?.[1];

/**
 * Certificates that ingresses and proxies make for themselves and serve for a name they have no
 * certificate for, recognised by subject (each as its users report it: curl -v, openssl s_client).
 */
const PROXY_DEFAULTS: readonly { proxy: string; is: (subject: string) => boolean; fix: string }[] = [
  {
    proxy: 'Kubernetes ingress-nginx',
    is: (s) => attribute(s, 'CN') === 'Kubernetes Ingress Controller Fake Certificate',
    fix: 'ingress-nginx serves its "Fake Certificate" when no Ingress with a `tls` section lists this name in `tls.hosts`, or its `secretName` names no kubernetes.io/tls Secret (tls.crt and tls.key) in the Ingress\'s namespace, or the Ingress has another ingressClassName. `kubectl get ingress -A`, then the controller\'s log, which says why it fell back.',
  },
  {
    proxy: 'Traefik',
    is: (s) => attribute(s, 'CN') === 'TRAEFIK DEFAULT CERT',
    fix: 'Traefik serves "TRAEFIK DEFAULT CERT" when no router with TLS matches this name (its `Host` rule and `tls` section), or its certificate resolver has not obtained one yet: check the router\'s rule and `tls.certResolver`, and Traefik\'s log for ACME errors.',
  },
  {
    proxy: 'Kong',
    is: (s) => attribute(s, 'O') === 'Kong' && attribute(s, 'CN') === 'localhost',
    fix: 'Kong serves its generated default certificate (O=Kong, CN=localhost) when no certificate object has an SNI for this name: add the certificate with this name among its `snis` (Admin API `/certificates`, or decK).',
  },
];

/** The ingress or proxy whose default certificate the leaf is. */
function proxyDefault(leaf: CertificateInfo): Finding[] {
  const d = PROXY_DEFAULTS.find((x) => x.is(leaf.subject));
  if (!d) return [];
  return [
    finding('CERT_PROXY_DEFAULT', [`leaf subject ${leaf.subject}: the default certificate of ${d.proxy}`, 'it is served for a name the proxy has no certificate for: the name and trust findings beside this one follow from it'], {
      title: `The server has no certificate configured for this name: ${d.proxy} served its default`,
      remedy: d.fix,
    }),
  ];
}

/** OpenSSL's verification errors (as Node names them) that say something about time or the name, not trust. */
const NOT_TRUST_ERRORS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID']);

/** What a trust store said of the chain (a probe verifies; a capture only has the client's alert). */
export type TrustVerdict =
  | {
      kind: 'store';
      /** OpenSSL's verification error, as Node names it; undefined when the chain verified. */
      error?: string;
      /** The leaf's issuer is neither in the chain sent nor a trusted root. */
      intermediateMissing: boolean;
      /** Some certificate of the chain is issued by a certificate in the store. */
      anchored: boolean;
      /** How evidence names the store (default: Node's CA store and --ca, a probe's). */
      storeName?: string;
    }
  | {
      kind: 'client-alert';
      alert?: { description: number; line: string };
      /** Issuer links in the chain as sent. */
      links?: ChainCheck;
    }
  | {
      /** The client's own verifier, as its log reports it (a browser's NetLog). */
      kind: 'verifier';
      /** It could not build a path to a root it trusts (Chromium's AUTHORITY_INVALID). */
      authorityInvalid: boolean;
      /** How its verdict reads in evidence: "event 1,234: the browser's verifier said ERR_CERT_AUTHORITY_INVALID (AUTHORITY_INVALID)". */
      line: string;
      links?: ChainCheck;
    };

/** Everything the certificate judge reads: the same for a capture and a probe. */
export interface CertificateFacts {
  /** Leaf first, as the server sent it. */
  chain: CertificateInfo[];
  /** When to judge validity (ms since the epoch): the packet that carried the chain, or now. */
  at: number;
  /** The source gives no clock to judge validity by (a NetLog without its constants): dates are not judged. */
  datesUnknown?: boolean;
  /** How reports name that time: "the capture time", "now". */
  atLabel: string;
  /** The name the client expected (SNI, or the probe's target); undefined: nothing to check. */
  name?: string;
  /** How evidence calls that name: "the SNI", "the target name". */
  nameLabel: string;
  /** The target is an IP address: the verifier checked it against the IP SANs itself. */
  nameIsIp?: boolean;
  /** The verifier's own word on the name, where it gave one. */
  nameError?: string;
  trust: TrustVerdict;
  /** Where the chain was seen, and what it holds: the first evidence lines. */
  seen: string[];
  /** Warn when the leaf expires within this many days (the probe's --warn-days). */
  warnDays?: number;
}

/** Client alerts that this judge explains: each names a fault of the certificate. */
export const CERTIFICATE_ALERTS: ReadonlySet<number> = new Set([
  AlertDescription.BadCertificate,
  AlertDescription.CertificateExpired,
  AlertDescription.CertificateUnknown,
  AlertDescription.UnknownCA,
]);

const DAY_MS = 86_400_000;

/** A time difference in the two largest units that matter: "2 d 3 h", "3 h 12 min", "5 min 3 s", "42 s". */
export function span(ms: number): string {
  const s = Math.floor(ms / 1000);
  const units: [number, string][] = [[86_400, 'd'], [3600, 'h'], [60, 'min'], [1, 's']];
  const found = units.findIndex(([u]) => s >= u);
  const i = found < 0 ? units.length - 1 : found;
  const [big, bigName] = units[i];
  const first = `${Math.floor(s / big)} ${bigName}`;
  const next = units[i + 1];
  const rest = next ? Math.floor((s % big) / next[0]) : 0;
  return rest > 0 && next ? `${first} ${rest} ${next[1]}` : first;
}

/** The leaf as evidence: subject, issuer, SANs, validity. */
export function leafLine(leaf: CertificateInfo): string {
  return `leaf: subject ${leaf.subject || '(empty)'}; issuer ${leaf.issuer || '(empty)'}; SANs ${leaf.sans.join(', ') || '(none)'}; valid ${leaf.notBefore} to ${leaf.notAfter}`;
}

/**
 * Every fault of the chain, not only the first: an expired leaf that does not cover the name
 * is both CERT_EXPIRED and CERT_HOSTNAME_MISMATCH, since renewing with the same names would
 * still fail; an expired leaf from an untrusted issuer is both too.
 */
export function judgeCertificate(f: CertificateFacts): Finding[] {
  const leaf = f.chain[0];
  const alert = f.trust.kind === 'client-alert' ? f.trust.alert : undefined;
  const out: Finding[] = [];
  // The client's own alert comes first in the evidence of the finding it supports.
  const ev = (line: string, alertSays = false) => compact([alertSays && alert?.line, ...f.seen, leaf && leafLine(leaf), line]);
  if (!leaf || leaf.error) {
    // Nothing readable to judge; certificate_expired still names its fault.
    return alert?.description === AlertDescription.CertificateExpired ? [finding('CERT_EXPIRED', compact([alert.line, ...f.seen]))] : [];
  }
  const storeError = f.trust.kind === 'store' ? f.trust.error : undefined;
  const when = new Date(f.at).toISOString();
  const notAfter = Date.parse(leaf.notAfter);
  const notBefore = Date.parse(leaf.notBefore);
  const expired = (!f.datesUnknown && notAfter < f.at) || storeError === 'CERT_HAS_EXPIRED' || alert?.description === AlertDescription.CertificateExpired;
  if (expired) {
    out.push(finding('CERT_EXPIRED', ev(`expired ${leaf.notAfter}, before ${f.atLabel} ${when}`)));
  } else if (!f.datesUnknown && notBefore > f.at) {
    out.push(finding('CERT_NOT_YET_VALID', ev(`notBefore ${leaf.notBefore} is ${span(notBefore - f.at)} after ${f.atLabel} ${when}: a client clock that far behind, or a certificate issued with a future start`)));
  } else if (storeError === 'CERT_NOT_YET_VALID') {
    out.push(finding('CERT_NOT_YET_VALID', ev(`valid only from ${leaf.notBefore}, after ${f.atLabel} ${when}`)));
  } else if (!f.datesUnknown && f.warnDays !== undefined && (notAfter - f.at) / DAY_MS < f.warnDays) {
    const days = (notAfter - f.at) / DAY_MS;
    out.push(finding('CERT_EXPIRING_SOON', ev(`expires in ${days.toFixed(1)} days (${leaf.notAfter}); the warning starts at ${f.warnDays} days`)));
  }
  if (f.name !== undefined && !f.nameIsIp && (f.nameError || !hostMatches(f.name, leaf.sans, leaf.ipSans))) {
    out.push(finding('CERT_HOSTNAME_MISMATCH', ev(f.nameError ? `${f.name}: ${f.nameError}` : leaf.sans.length === 0 ? `${f.nameLabel} ${f.name}: the leaf has no SANs, and clients ignore the CN` : `${f.nameLabel} ${f.name} is not among the SANs`)));
  } else if (f.nameIsIp && storeError === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    out.push(finding('CERT_HOSTNAME_MISMATCH', ev(`${f.name}: the certificate lists no such IP address among its SANs`)));
  }
  out.push(...trustFindings(f, leaf, ev), ...proxyDefault(leaf));
  // An alert no finding cites yet (certificate_expired, bad_certificate, certificate_unknown)
  // names no fault: it is the evidence of every fault the chain shows, whichever the engine
  // puts first.
  if (alert && !out.some((x) => x.evidence.includes(alert.line))) for (const x of out) if (x.severity === 'error') x.evidence.unshift(alert.line);
  return out;
}

function trustFindings(f: CertificateFacts, leaf: CertificateInfo, ev: (line: string, alertSays?: boolean) => string[]): Finding[] {
  const t = f.trust;
  const alone = f.chain.length === 1;
  // unknown_ca speaks of the issuer: it is the evidence of the trust finding, whatever else is wrong.
  const unknownCa = t.kind === 'client-alert' && t.alert?.description === AlertDescription.UnknownCA;
  if (alone && leaf.selfSigned) return [finding('CERT_SELF_SIGNED', ev('the leaf is its own issuer and its signature verifies with its own key', unknownCa))];
  if (t.kind === 'store') {
    if (t.error === 'DEPTH_ZERO_SELF_SIGNED_CERT') return [finding('CERT_SELF_SIGNED', ev('the certificate is its own issuer'))];
    if (t.intermediateMissing) return [finding('CERT_CHAIN_INCOMPLETE', ev(`the issuer "${leaf.issuer}" is neither in the chain sent nor a trusted root: the intermediate is missing (verification: ${t.error ?? 'n/a'})`))];
    // OpenSSL reports one error: an expired leaf may hide an untrusted issuer, so ask the store too.
    const trustError = t.error !== undefined && !NOT_TRUST_ERRORS.has(t.error);
    if (trustError || (t.error !== undefined && !t.anchored)) {
      return [finding('CERT_UNTRUSTED', ev(`verification against ${t.storeName ?? "Node's CA store and --ca"}: ${trustError ? t.error : 'no certificate of the chain is issued by a trusted root'}`))];
    }
    return [];
  }
  const verifierSays = t.kind === 'verifier' ? t.line : undefined;
  if (alone && !leaf.selfIssued) return [finding('CERT_CHAIN_INCOMPLETE', compact([verifierSays, ...ev(`only the leaf was sent; its issuer "${leaf.issuer}" is not in the chain`, unknownCa)]))];
  const broken = t.links?.brokenAt;
  // A chain whose certificates still link from the leaf past it is out of order, or carries a
  // duplicate or an extra: CERT_CHAIN_ORDER's case, not a missing intermediate.
  const relinked = (t.links?.linkedOrder?.length ?? 0) > 1;
  if (broken !== undefined && !relinked) {
    return [finding('CERT_CHAIN_INCOMPLETE', compact([verifierSays, ...ev(`certificate ${broken + 1} (${f.chain[broken].subject}) is not issued by certificate ${broken + 2} (${f.chain[broken + 1].subject}): ${t.links?.linkedOrder ? 'nor by any other certificate sent: its intermediate is missing' : 'the chain is out of order or misses an intermediate'}`, unknownCa)]))];
  }
  // Past the faults of the chain as sent (which fail clients that fetch nothing), a verifier that
  // found a path to a root it trusts has spoken for the chain.
  if (t.kind === 'verifier' && !t.authorityInvalid) return [];
  if (verifierSays) return [finding('CERT_UNTRUSTED', compact([verifierSays, ...ev(`the chain is whole and in order, and ends at "${f.chain[f.chain.length - 1].issuer}", a root the client does not trust`)]))];
  // unknown_ca names the issuer; bad_certificate and certificate_unknown name nothing, so they
  // mean "untrusted" only when the chain shows no other fault.
  if (unknownCa) return [finding('CERT_UNTRUSTED', ev(`the client does not trust the issuer "${leaf.issuer}"`, true))];
  return [];
}

/**
 * A certificate alert that no fault in the chain explains: the client distrusts the chain (every
 * alert here is one of CERTIFICATE_ALERTS, and certificate_expired is always explained).
 */
function unexplainedAlert(f: CertificateFacts, found: Finding[], isTls13: boolean): Finding[] {
  const t = f.trust;
  if (t.kind !== 'client-alert' || !t.alert || found.some((x) => x.severity === 'error')) return found;
  const leaf = f.chain[0];
  return [
    ...found,
    finding('CERT_UNTRUSTED', compact([t.alert.line, leaf && `leaf issuer: ${leaf.issuer}`, isTls13 && !leaf && 'TLS 1.3: the chain is encrypted; `tlsdoctor probe` shows it'])),
  ];
}

/** A capture: the chain sent in clear (TLS ≤ 1.2), judged at the time of its packet, and the client's alert. */
export function judgeCaptureCertificate(r: ConnectionRecord): Finding[] {
  const a = r.alerts.find((x) => x.from === 'client' && CERTIFICATE_ALERTS.has(x.description));
  if (r.certificates.length === 0 && !a) return [];
  const facts: CertificateFacts = {
    chain: r.certificates,
    at: (r.certificatesTime ?? r.firstTime) * 1000,
    atLabel: 'the capture time',
    name: r.sni,
    nameLabel: 'the SNI',
    trust: { kind: 'client-alert', alert: a && { description: a.description, line: alertLine(r, a) }, links: r.chain },
    seen: r.certificates.length > 0 ? [`chain of ${r.certificates.length} certificate(s) in frame ${r.certificatesFrame}`] : [],
  };
  // The chain's own faults explain a client's alert or silent leave as much as the dates and the name do.
  const rules = judgeChainRules({ chain: r.certificates, purpose: 'server', at: facts.at, atLabel: facts.atLabel, publiclyTrusted: r.chain?.publicRoot !== undefined, seen: facts.seen });
  const found = leftWithoutAlert(r, unexplainedAlert(facts, [...judgeCertificate(facts), ...rules], isTls13(r.version)));
  // A capture has only the client's alert: a fault OpenSSL refuses is reason enough for it.
  return foldRefusal(found, true, facts.trust.kind === 'client-alert' ? facts.trust.alert?.line : undefined);
}

/**
 * The client read the whole chain and left without an alert and without its Finished (Node's
 * TLS checks the name after the handshake and says nothing; some clients just close): when the
 * chain shows no fault but ends in no public root, the likeliest reason is a client that does not
 * have its private root.
 */
function leftWithoutAlert(r: ConnectionRecord, found: Finding[]): Finding[] {
  if (found.some((x) => x.severity === 'error') || r.certificates.length === 0 || !r.chain || r.chain.publicRoot !== undefined) return found;
  // QUIC's close names its reason; over TCP, a client asked for its own certificate that leaves
  // is the client-certificate judge's case.
  if (r.transport !== 'tcp' || clientFinished(r) || r.certificateRequested || r.alerts.some((a) => a.from === 'client') || r.end?.by !== 'client') return found;
  const last = r.certificates[r.certificates.length - 1];
  return [
    ...found,
    finding('CERT_UNTRUSTED', [
      `chain of ${r.certificates.length} certificate(s) in frame ${r.certificatesFrame}, ending at "${r.chain.endsInRoot ? last.subject : last.issuer}", which is not one of the public roots (Node's bundled list, Mozilla's)`,
      `the client read it and left without its Finished and without an alert: ${endLine(r)}`,
      'a client that has not been given that private root cannot verify the chain; one that has it would have gone on',
    ]),
  ];
}

/** A probe: the chain from its own full handshake, judged now, against Node's store and --ca. */
export function judgeProbeCertificate(r: ProbeRecord, now: number): Finding[] {
  const full = r.full;
  if (!full?.ok || full.chain.length === 0) return [];
  const leaf = full.chain[0];
  const facts: CertificateFacts = {
    chain: full.chain,
    at: now,
    atLabel: 'now',
    name: r.target.host,
    nameLabel: 'the target name',
    nameIsIp: r.target.isIp,
    nameError: full.hostnameError,
    trust: { kind: 'store', error: full.authorizationError, intermediateMissing: full.intermediateMissing, anchored: full.anchored },
    seen: compact([
      `the server sent ${full.chain.length} certificate(s): ${full.chain.map((c) => c.subject).join(' ← ')}${full.trustAnchor ? `, ending at the trusted root ${full.trustAnchor}` : ''}`,
      `leaf SHA-256 ${leaf.fingerprint256}`,
    ]),
    warnDays: r.warnDays,
  };
  const rules = { purpose: 'server' as const, at: now, atLabel: 'now', publiclyTrusted: full.publiclyAnchored === true };
  // Node's chain is the path OpenSSL built, in order whatever was sent: the order is judged on
  // the TLS 1.2 Certificate message as sent, where the probe read one for the same leaf.
  const served = servedChain(r, leaf);
  const found = [
    ...judgeCertificate(facts),
    ...judgeChainRules({ chain: full.chain, ...rules, seen: facts.seen }).filter((x) => !served || x.code !== 'CERT_CHAIN_ORDER'),
    ...(served ? judgeChainRules({ chain: served.chain, ...rules, seen: [...facts.seen, served.line] }).filter((x) => x.code === 'CERT_CHAIN_ORDER') : []),
  ];
  return foldRefusal(found, full.authorizationError !== undefined && !NO_PATH_ERRORS.has(full.authorizationError));
}

/**
 * The chain as sent, when its leaf is the full handshake's: the full handshake's own TLS 1.3
 * Certificate (decrypted with the probe's key log), else the one of the TLS 1.2 hello.
 */
function servedChain(r: ProbeRecord, leaf: CertificateInfo): { chain: CertificateInfo[]; line: string } | undefined {
  const own = r.full?.serverFlight?.servedChain;
  if (own && own[0]?.fingerprint256 === leaf.fingerprint256) return { chain: own, line: `the Certificate message of the probe's TLS 1.3 handshake, as sent: ${own.map((c) => c.subject || '(empty subject)').join(', ')}` };
  for (const v of r.versions) {
    const chain = v.outcome.kind === 'server-hello' ? v.outcome.servedChain : undefined;
    if (chain && chain[0]?.fingerprint256 === leaf.fingerprint256) return { chain, line: `the Certificate message of the probe's ${versionName(v.version)} hello, as sent: ${chain.map((c) => c.subject || '(empty subject)').join(', ')}` };
  }
  return undefined;
}
