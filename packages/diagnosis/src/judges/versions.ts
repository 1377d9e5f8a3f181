import type { TcpRecord } from '@tlsdoctor/analysis';
import { acceptedVersions } from '@tlsdoctor/probe/facts';
import { versionLines } from '../probe-words.js';
import type { ProbeRecord } from '@tlsdoctor/probe';
import { AlertDescription, Version, versionName } from '@tlsdoctor/tls-parser-ts';
import { compact, plural } from '../evidence.js';
import { findingsOf, type Finding } from '../finding.js';
import { clientFinished, decisiveAlert } from './handshake-state.js';
import { alertLine, endLine } from './hello-line.js';

/** Which TLS version the two ends can agree on, and whether it is one still fit for use. */
export const VERSION_CODES = {
  PROTOCOL_VERSION_MISMATCH: {
    severity: 'error',
    title: 'No TLS version in common',
    remedy: 'Enable TLS 1.2 and TLS 1.3 on the server (nginx: `ssl_protocols TLSv1.2 TLSv1.3;`). Old servers that only speak TLS 1.0/1.1 fail with current clients; clients limited to old versions fail with current servers.',
  },
  SERVER_TLS_CONFIG_UNUSABLE: {
    severity: 'error',
    title: 'The server\'s TLS library refuses its own configuration',
    remedy: 'The server answers every ClientHello, even for the versions it offers, with internal_error: its TLS library will not run with the configured protocols or ciphers (nginx `ssl_protocols TLSv1;` on OpenSSL 3, whose default security level forbids TLS 1.0 and 1.1 and SHA-1). Enable TLS 1.2 and 1.3 (`ssl_protocols TLSv1.2 TLSv1.3;`); only if old clients must be served, lower the level explicitly (`ssl_ciphers DEFAULT:@SECLEVEL=0;`). The server\'s error log names the refusal.',
  },
  SSL2_HANDSHAKE: {
    severity: 'error',
    title: 'The server speaks SSL 2.0',
    remedy: 'Turn SSL 2.0 off and enable TLS 1.2 and 1.3 (nginx: `ssl_protocols TLSv1.2 TLSv1.3;`). A server that only speaks SSL 2.0 is decades out of date: replace or update its TLS library.',
  },
  DEPRECATED_PROTOCOL: { severity: 'warning', title: 'A deprecated protocol version is in use', remedy: 'Disable SSL 3.0, TLS 1.0 and TLS 1.1 (RFC 8996) and enable TLS 1.2 and 1.3 (nginx: `ssl_protocols TLSv1.2 TLSv1.3;`).' },
} as const;

const finding = findingsOf(VERSION_CODES);

export const isDeprecated = (v: number): boolean => v >= Version.SSL3 && v <= Version.TLS11;

/**
 * The server answered in SSL 2.0 (1995; broken, and prohibited by RFC 6176 since 2011): no
 * current client can connect, and whatever else is wrong, this is what to fix first.
 */
export function judgeCaptureSsl2(r: TcpRecord): Finding[] {
  const s = r.sslv2;
  if (!s) return [];
  return [
    finding('SSL2_HANDSHAKE', compact([
      r.clientHello && `the client sent an SSL 2.0-format ClientHello in frame ${r.clientHello.frame} offering ${versionName(r.clientHello.legacyVersion)}`,
      `the server answered with an SSL 2.0 SERVER-HELLO in frame ${s.frame}: ${versionName(s.version)}, ${plural(s.cipherSpecs.length, 'cipher kind')} offered${r.certificates[0] ? `, certificate ${r.certificates[0].subject}` : ''}`,
      'SSL 2.0 is a deprecated protocol: broken (export ciphers, no handshake integrity) and prohibited by RFC 6176; no current client or library speaks it',
    ])),
  ];
}

export function judgeCaptureVersions(r: TcpRecord): Finding[] {
  const out: Finding[] = [];
  const ch = r.clientHello;
  const sh = r.serverHello;
  const a = r.alerts.find((x) => x.description === AlertDescription.ProtocolVersion);
  const unoffered = !!ch && !!sh && !ch.offeredVersions.includes(sh.version);
  const fatal = decisiveAlert(r);
  // A client may list an old version yet refuse it once chosen (OpenSSL 3 at its default
  // security level aborts TLS 1.0/1.1 with internal_error): the wire shows an abort, not why.
  const refusedOld = !!sh && sh.version <= Version.TLS11 && fatal?.from === 'client' && !clientFinished(r);
  if (a || unoffered || refusedOld) {
    out.push(
      finding('PROTOCOL_VERSION_MISMATCH', compact([
        ch && `the client offered ${ch.offeredVersions.map(versionName).join(', ')} (ClientHello in frame ${ch.frame})`,
        sh && `the server chose ${versionName(sh.version)} (ServerHello in frame ${sh.frame})${unoffered ? ', which the client did not offer' : ''}`,
        a ? alertLine(r, a) : fatal && alertLine(r, fatal),
        refusedOld && !unoffered && `the client listed ${versionName(sh.version)} but aborted as soon as the server chose it: current clients (OpenSSL 3 at its default security level, browsers) no longer accept it`,
        endLine(r),
      ])),
    );
  }
  if (r.version !== undefined && isDeprecated(r.version)) out.push(finding('DEPRECATED_PROTOCOL', [`negotiated ${versionName(r.version)} in frame ${sh?.frame}`]));
  return out;
}

export function judgeProbeVersions(r: ProbeRecord): Finding[] {
  if (r.versions.length === 0) return [];
  const out: Finding[] = [];
  const accepted = acceptedVersions(r);
  const usable = r.profile.versions.filter((v) => accepted.includes(v));
  const internal = r.versions.filter(({ outcome }) => outcome.kind === 'alert' && outcome.alert.description === AlertDescription.InternalError);
  // Refusing every version with internal_error is the library failing on its own settings, not a choice.
  if (accepted.length === 0 && internal.length > 0 && r.hello?.kind === 'alert' && r.hello.alert.description === AlertDescription.InternalError) {
    out.push(
      finding('SERVER_TLS_CONFIG_UNUSABLE', [
        `the server answered the ClientHello offering every version, and the hellos for ${internal.map((v) => versionName(v.version)).join(', ')}, with internal_error (80)`,
        ...versionLines(r),
      ]),
    );
  }
  if (usable.length === 0 && !cipherRefusal(r, accepted)) {
    out.push(
      finding('PROTOCOL_VERSION_MISMATCH', [
        `${r.profile.label} offers ${r.profile.versions.map(versionName).join(' and ')}`,
        `the server accepts ${accepted.length > 0 ? accepted.map(versionName).join(', ') : 'none of the probed versions'}`,
        ...versionLines(r),
      ]),
    );
  }
  const old = accepted.filter(isDeprecated);
  if (old.length > 0) out.push(finding('DEPRECATED_PROTOCOL', [`the server accepts ${old.map(versionName).join(', ')}`, ...versionLines(r)]));
  return out;
}

/**
 * The server refused every probe, the profile's versions with handshake_failure: the versions
 * may be fine but no suite is (the cipher judge's verdict, not ours).
 */
export function cipherRefusal(r: ProbeRecord, accepted = acceptedVersions(r)): boolean {
  return accepted.length === 0 && cipherRefusals(r).length > 0;
}

export function cipherRefusals(r: ProbeRecord): ProbeRecord['versions'] {
  return r.versions.filter(
    ({ version, outcome }) =>
      r.profile.versions.includes(version) && outcome.kind === 'alert' && (outcome.alert.description === AlertDescription.HandshakeFailure || outcome.alert.description === AlertDescription.InsufficientSecurity),
  );
}
