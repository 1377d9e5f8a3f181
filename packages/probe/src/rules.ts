import { compact, finding, runRules, worst, type Finding, type Rule } from '@tlsdoctor/rules';
import { cipherSuiteName, versionName, Version } from '@tlsdoctor/tls-parser-ts';
import { isIP } from 'node:net';
import { describeHello, type HelloOutcome } from './hello-probe.js';
import { acceptedVersions, versionLines, type ProbeRecord } from './probe.js';
import { LEGACY_SUITES } from './suites.js';

type R = ProbeRecord;
const LEGACY_SUITE_COUNT = LEGACY_SUITES.length;
type ProbeRule = Rule<R, { now: number }>;


function certLine(rec: R): string | undefined {
  const leaf = rec.full?.chain[0];
  if (!leaf) return undefined;
  return `leaf: subject ${leaf.subject}; issuer ${leaf.issuer}; SANs ${leaf.sans.join(', ') || '(none)'}; valid ${leaf.notBefore} to ${leaf.notAfter}; SHA-256 ${leaf.fingerprint256}`;
}

function chainLine(rec: R): string | undefined {
  const chain = rec.full?.chain;
  if (!chain || chain.length === 0) return undefined;
  return `the server sent ${chain.length} certificate(s): ${chain.map((c) => c.subject).join(' ← ')}${rec.full?.trustAnchor ? `, ending at the trusted root ${rec.full.trustAnchor}` : ''}`;
}

function certificateFindings(rec: R, now: number): Finding[] {
  const f = rec.full;
  if (!f?.ok || f.chain.length === 0) return [];
  const leaf = f.chain[0];
  const out: Finding[] = [];
  const ev = (extra: string) => compact([certLine(rec), chainLine(rec), extra]);
  const err = f.authorizationError;
  if (err === 'CERT_HAS_EXPIRED' || Date.parse(leaf.notAfter) < now) out.push(finding('CERT_EXPIRED', ev(`expired ${leaf.notAfter} (now ${new Date(now).toISOString()})`)));
  else if (err === 'CERT_NOT_YET_VALID' || Date.parse(leaf.notBefore) > now) out.push(finding('CERT_NOT_YET_VALID', ev(`valid only from ${leaf.notBefore}`)));
  if (f.hostnameError && !rec.target.isIp) out.push(finding('CERT_HOSTNAME_MISMATCH', ev(`${rec.target.host}: ${f.hostnameError}`)));
  // Node checks an IP target against the certificate's IP SANs itself and says so here.
  else if (err === 'ERR_TLS_CERT_ALTNAME_INVALID') out.push(finding('CERT_HOSTNAME_MISMATCH', ev(`${rec.target.host}: the certificate lists no such ${rec.target.isIp ? 'IP address' : 'name'} among its SANs`)));
  if (err === 'DEPTH_ZERO_SELF_SIGNED_CERT' || (f.chain.length === 1 && leaf.selfSigned)) out.push(finding('CERT_SELF_SIGNED', ev('the certificate is its own issuer')));
  else if (f.intermediateMissing) out.push(finding('CERT_CHAIN_INCOMPLETE', ev(`the issuer "${leaf.issuer}" is neither in the chain sent nor a trusted root: the intermediate is missing (verification: ${err ?? 'n/a'})`)));
  else if (err && err !== 'CERT_HAS_EXPIRED' && err !== 'CERT_NOT_YET_VALID' && err !== 'ERR_TLS_CERT_ALTNAME_INVALID') out.push(finding('CERT_UNTRUSTED', ev(`verification against Node's CA store${rec.full ? ' and --ca' : ''}: ${err}`)));
  const daysLeft = (Date.parse(leaf.notAfter) - now) / 86400000;
  if (daysLeft >= 0 && daysLeft < rec.warnDays) out.push(finding('CERT_EXPIRING_SOON', ev(`expires in ${daysLeft.toFixed(1)} days (${leaf.notAfter}); the warning starts at ${rec.warnDays} days`)));
  return out;
}

const tlsAnswer = (o: HelloOutcome | undefined) => !!o && (o.kind === 'server-hello' || o.kind === 'hello-retry' || o.kind === 'alert');

const rules: ProbeRule[] = [
  {
    id: 'dns',
    needs: 'the resolver answer',
    primary: true,
    match: (r) => {
      if (r.address) return undefined;
      const e = r.dns.error;
      if (!e || e.code === 'ENOTFOUND' || e.code === 'ENODATA' || e.code === 'EAI_NODATA') {
        return finding('DNS_NO_ADDRESS', [`getaddrinfo(${r.target.host}) found no address${e ? ` (${e.code})` : ''}: neither the hosts file nor DNS has an A or AAAA record`]);
      }
      return finding('DNS_ERROR', [`getaddrinfo(${r.target.host}) failed: ${e.code}: ${e.message}`]);
    },
  },
  {
    id: 'tcp',
    needs: 'the TCP connect',
    primary: true,
    match: (r) => {
      const h = r.hello;
      if (!h || h.kind !== 'connect-failed') return undefined;
      const c = h.connect;
      const line = `connect to ${r.address}:${r.target.port}: ${c.message}${c.code ? ` (${c.code})` : ''} after ${c.ms.toFixed(0)} ms`;
      switch (c.kind) {
        case 'refused': return finding('TCP_REFUSED', [line]);
        case 'timeout': return finding('TCP_TIMEOUT', [line]);
        case 'unreachable': return finding('TCP_UNREACHABLE', [line, 'an ICMP unreachable (or a local firewall) refused the connection']);
        case 'reset': return finding('TCP_RESET', [line]);
        default: return finding('PROBE_ERROR', [line]);
      }
    },
  },
  {
    id: 'sni-filtered',
    needs: 'the hello with the real SNI against the same hello without SNI and with a decoy',
    primary: true,
    match: (r) => {
      const d = r.sniDifferential;
      if (!d || !r.hello) return undefined;
      if (!tlsAnswer(d.noSni) && !tlsAnswer(d.decoy)) return undefined;
      return finding('SNI_FILTERED', [
        `SNI ${r.target.host}: ${describeHello(r.hello)}`,
        `no SNI: ${describeHello(d.noSni)}`,
        `SNI ${d.decoyName}: ${describeHello(d.decoy)}`,
        `same address ${r.address}:${r.target.port}, same ClientHello otherwise: only the name differs`,
      ]);
    },
  },
  {
    id: 'reset-or-silent',
    needs: 'the hello with the real SNI',
    primary: true,
    match: (r) => {
      const h = r.hello;
      if (!h || tlsAnswer(h) || h.kind === 'not-tls' || h.kind === 'connect-failed') return undefined;
      const d = r.sniDifferential;
      const lines = compact([`SNI ${r.target.isIp ? '(none: IP target)' : r.target.host}: ${describeHello(h)}`, d && `no SNI: ${describeHello(d.noSni)}`, d && `SNI ${d.decoyName}: ${describeHello(d.decoy)}`]);
      if (h.kind === 'reset') return finding('RESET_AFTER_CLIENT_HELLO', [...lines, 'the other names were not answered either: the reset is not about the name']);
      return finding('NO_SERVER_HELLO', lines);
    },
  },
  {
    id: 'not-tls',
    needs: 'non-TLS bytes in answer to the hello',
    primary: true,
    match: (r) => {
      const h = r.hello;
      if (!h || h.kind !== 'not-tls') return undefined;
      const line = `the server answered the ClientHello with ${h.description.summary} (first bytes ${h.description.hexPrefix})`;
      return h.description.kind === 'http-response' ? finding('PLAINTEXT_HTTP_ON_TLS_PORT', [line]) : finding('NOT_TLS', [line]);
    },
  },
  {
    id: 'profile-versions',
    needs: 'one hello per version, and the profile\'s versions',
    primary: true,
    match: (r) => {
      if (r.versions.length === 0) return undefined;
      const accepted = acceptedVersions(r);
      const usable = r.profile.versions.filter((v) => accepted.includes(v));
      if (usable.length > 0) return undefined;
      // handshake_failure to a version (not protocol_version) means the version may be fine but no suite is.
      const cipherRefusals = r.versions.filter(({ version, outcome }) => r.profile.versions.includes(version) && outcome.kind === 'alert' && (outcome.alert.description === 40 || outcome.alert.description === 71));
      if (cipherRefusals.length > 0 && accepted.length === 0) {
        return finding('NO_SHARED_CIPHER', [
          `the server refused every probe, ${cipherRefusals.map((c) => versionName(c.version)).join(' and ')} with handshake_failure: it finds no suite it accepts among the ${LEGACY_SUITE_COUNT} usual ones`,
          ...versionLines(r),
        ]);
      }
      return finding('PROTOCOL_VERSION_MISMATCH', [
        `${r.profile.label} offers ${r.profile.versions.map(versionName).join(' and ')}`,
        `the server accepts ${accepted.length > 0 ? accepted.map(versionName).join(', ') : 'none of the probed versions'}`,
        ...versionLines(r),
      ]);
    },
  },
  {
    id: 'profile-ciphers',
    needs: 'the profile\'s own hello',
    primary: true,
    match: (r) => {
      const p = r.profileHello;
      if (!p || p.kind === 'server-hello' || p.kind === 'hello-retry') return undefined;
      if (p.kind === 'alert' && p.alert.description === 70) return undefined;
      return finding('NO_SHARED_CIPHER', [
        `${r.profile.label} offers ${r.profile.suites.length} suites (${r.profile.suites.slice(0, 6).map(cipherSuiteName).join(', ')}${r.profile.suites.length > 6 ? ', ...' : ''})`,
        `the server answered: ${describeHello(p)}`,
        ...(r.ciphers ?? []).map((c) => `the server accepts for ${versionName(c.version)}: ${c.suites.map(cipherSuiteName).join(', ') || 'nothing probed'}`),
      ]);
    },
  },
  {
    id: 'certificate',
    needs: 'the chain from a full handshake',
    primary: true,
    match: (r, ctx) => certificateFindings(r, ctx.now).find((f) => f.severity === 'error'),
  },
  {
    id: 'websocket',
    needs: '--ws PATH',
    primary: true,
    match: (r) => {
      const w = r.ws;
      if (!w || w.upgraded) return undefined;
      return finding('WEBSOCKET_UPGRADE_FAILED', compact([
        `GET ${w.path} with Upgrade: websocket got ${w.statusLine ? `"${w.statusLine}"` : w.error}`,
        w.status === 400 || w.status === 404 || w.status === 426 ? 'the backend saw a plain request: the proxy dropped the Upgrade and Connection headers' : undefined,
      ]));
    },
  },
  {
    id: 'ok',
    needs: 'a ServerHello and a completed full handshake',
    primary: true,
    match: (r) => {
      const h = r.hello;
      if (!h || h.kind !== 'server-hello') return undefined;
      const f = r.full;
      return finding('HANDSHAKE_OK', compact([
        `${versionName(h.serverHello.version)}, ${cipherSuiteName(h.serverHello.cipherSuite)} in ${h.ms.toFixed(1)} ms`,
        f?.ok ? `full handshake with Node's TLS: ${f.protocol}, ${f.cipher}${f.alpn ? `, ALPN ${f.alpn}` : ''} in ${f.ms.toFixed(0)} ms` : f?.error && `full handshake failed: ${f.error.message}`,
        certLine(r),
        ...versionLines(r),
      ]));
    },
  },
  {
    id: 'alert-fallback',
    needs: 'an alert in answer to the hello',
    primary: true,
    match: (r) => (r.hello?.kind === 'alert' ? finding('TLS_ALERT', [`the server answered with ${describeHello(r.hello)}`, ...versionLines(r)], { title: `Fatal alert ${r.hello.alert.name} from the server` }) : undefined),
  },
  // Secondary.
  {
    id: 'deprecated',
    needs: 'one hello per version',
    primary: false,
    match: (r) => {
      const old = acceptedVersions(r).filter((v) => v <= Version.TLS11);
      return old.length > 0 ? finding('DEPRECATED_PROTOCOL', [`the server accepts ${old.map(versionName).join(', ')}`, ...versionLines(r)]) : undefined;
    },
  },
  { id: 'certificate-secondary', needs: 'the chain', primary: false, match: (r, ctx) => certificateFindings(r, ctx.now).find((f) => f.code === 'CERT_EXPIRING_SOON') },
  {
    id: 'redirect',
    needs: 'GET http://host/ on port 80',
    primary: false,
    match: (r) => {
      const x = r.redirect;
      if (!x || x.redirectsToHttps) return undefined;
      return finding('HTTP_NO_REDIRECT', [x.error ? `http://${r.target.host}/ on ${r.address}:80: ${x.error}` : `http://${r.target.host}/ on ${r.address}:80 answered ${x.status}${x.location ? ` with Location ${x.location}` : ' without a redirect'}`]);
    },
  },
  {
    id: 'hsts',
    needs: 'GET https://host/',
    primary: false,
    match: (r) => (r.hsts && !r.hsts.error && !r.hsts.header ? finding('HSTS_MISSING', [`https://${r.target.host}/ answered ${r.hsts.status} without Strict-Transport-Security`]) : undefined),
  },
  {
    id: 'domain-rules',
    needs: '--profile wechat-miniprogram and --allow-list',
    primary: false,
    match: (r) => {
      if (!r.profile.domainRules) return undefined;
      if (r.target.isIp || isIP(r.target.host)) return finding('DOMAIN_NOT_ALLOWED', [`${r.target.host} is an IP address: mini-programs only reach domain names on their allow list`]);
      if (r.allowList && !r.allowList.includes(r.target.host)) return finding('DOMAIN_NOT_ALLOWED', [`${r.target.host} is not on the allow list (${r.allowList.length} entr${r.allowList.length === 1 ? 'y' : 'ies'})`]);
      if (r.target.port !== 443 && r.allowList && !r.allowList.includes(`${r.target.host}:${r.target.port}`)) {
        return finding('DOMAIN_NOT_ALLOWED', [`port ${r.target.port}: an https entry without a port allows no explicit port`]);
      }
      return undefined;
    },
  },
];

export const probeRules: readonly ProbeRule[] = rules;

/** The primary diagnosis first; an error found by a secondary rule outranks a primary "ok". */
export function diagnoseProbe(r: ProbeRecord, now = Date.now()): Finding[] {
  const fs = runRules(rules, r, { now });
  const err = fs.findIndex((f) => f.severity === 'error');
  if (fs.length > 0 && fs[0].severity === 'ok' && err > 0) fs.unshift(...fs.splice(err, 1));
  return fs;
}

export function outcomeOf(fs: Finding[]) {
  return worst(fs.map((f) => f.severity));
}
