import { hostMatches, type ConnectionRecord } from '@tlsdoctor/analysis';
import { cipherSuiteName, HandshakeType, versionName, Version } from '@tlsdoctor/tls-parser-ts';
import { finding, type Finding } from './codes.js';
import { runRules, type Rule } from './engine.js';

export interface CaptureContext {
  /** Time of the last packet in the capture: a connection still waiting then is not a failure. */
  captureEnd: number;
}

type R = ConnectionRecord;
type CaptureRule = Rule<R, CaptureContext>;

/** Milliseconds since the connection's first packet, as reports show it. */
export function rel(r: R, t: number): string {
  return `+${ms(t - r.firstTime)}`;
}

function ms(seconds: number): string {
  const v = seconds * 1000;
  // Lab and LAN round trips are fractions of a millisecond; keep them readable.
  return `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
}

const ALERT = {
  handshake_failure: 40,
  bad_certificate: 42,
  unsupported_certificate: 43,
  certificate_revoked: 44,
  certificate_expired: 45,
  certificate_unknown: 46,
  unknown_ca: 48,
  protocol_version: 70,
  insufficient_security: 71,
  inappropriate_fallback: 86,
} as const;

function serverSpokeTls(r: R): boolean {
  return !!r.serverHello || !!r.helloRetryRequest || r.messages.some((m) => m.from === 'server') || r.alerts.some((a) => a.from === 'server') || r.encryptedRecords[1] > 0;
}

function fatalAlert(r: R) {
  return r.alerts.find((a) => a.level === 'fatal') ?? r.alerts.find((a) => a.description !== 0 && a.description !== 90);
}

/** The client's Finished is on the wire (TLS 1.2: its CCS and encrypted Finished; TLS 1.3: a record too large to be an alert). */
export function clientFinished(r: R): boolean {
  if (!r.serverHello) return false;
  if (r.version === Version.TLS13) {
    const sizes = r.encryptedRecordSizes[0];
    return sizes.length >= 2 || (sizes.length === 1 && sizes[0] > 30);
  }
  return r.encryptedFrom[0] !== undefined && r.encryptedRecords[0] > 0;
}

function handshakeComplete(r: R): boolean {
  if (!clientFinished(r)) return false;
  return r.version === Version.TLS13 ? r.encryptedRecords[1] > 0 : r.encryptedFrom[1] !== undefined;
}

function helloLine(r: R): string {
  const ch = r.clientHello;
  if (!ch) return 'no ClientHello in the capture';
  return `ClientHello in frame ${ch.frame} (${rel(r, ch.time)}): SNI ${r.sni ?? '(none)'}, versions ${ch.offeredVersions.map(versionName).join(', ')}, ${ch.cipherSuites.length} cipher suites`;
}

function endLine(r: R): string | undefined {
  const e = r.end;
  if (!e) return undefined;
  return `${e.how === 'rst' ? 'RST' : 'FIN'} from the ${e.by} in frame ${e.frame} (${rel(r, e.time)}), after ${e.after}`;
}

function alertLine(r: R, a: NonNullable<ReturnType<typeof fatalAlert>>): string {
  return `${a.level} alert ${a.name} (${a.description}) from the ${a.from} in frame ${a.frame} (${rel(r, a.time)})`;
}

/** Evidence lines without the ones a condition left out. */
export const compact = (xs: (string | undefined | false)[]): string[] => xs.filter((x): x is string => !!x);

/** Certificate facts from the chain the server sent in clear (TLS 1.2 and below). */
function certificateFindings(r: R): Finding[] {
  const certs = r.certificates;
  if (certs.length === 0) return [];
  const out: Finding[] = [];
  const leaf = certs[0];
  const at = r.certificatesTime ?? r.firstTime;
  const when = new Date(at * 1000).toISOString();
  const seen = `chain of ${certs.length} certificate(s) in frame ${r.certificatesFrame}`;
  const leafLine = `leaf: subject ${leaf.subject}; issuer ${leaf.issuer}; SANs ${leaf.sans.join(', ') || '(none)'}; valid ${leaf.notBefore} to ${leaf.notAfter}`;
  if (leaf.error) return [];
  if (leaf.notAfter && Date.parse(leaf.notAfter) < at * 1000) {
    out.push(finding('CERT_EXPIRED', [seen, leafLine, `expired ${leaf.notAfter}, before the capture time ${when}`]));
  } else if (leaf.notBefore && Date.parse(leaf.notBefore) > at * 1000) {
    out.push(finding('CERT_NOT_YET_VALID', [seen, leafLine, `valid only from ${leaf.notBefore}, after the capture time ${when}`]));
  }
  if (r.sni && !hostMatches(r.sni, leaf.sans)) {
    out.push(finding('CERT_HOSTNAME_MISMATCH', [seen, leafLine, `the SNI ${r.sni} is not among the SANs`]));
  }
  if (leaf.selfSigned && certs.length === 1) {
    out.push(finding('CERT_SELF_SIGNED', [seen, leafLine, 'the leaf is its own issuer and its signature verifies with its own key']));
  } else if (certs.length === 1 && !leaf.selfIssued) {
    out.push(finding('CERT_CHAIN_INCOMPLETE', [seen, leafLine, `only the leaf was sent; its issuer "${leaf.issuer}" is not in the chain`]));
  } else if (r.chain?.brokenAt !== undefined) {
    const i = r.chain.brokenAt;
    out.push(finding('CERT_CHAIN_INCOMPLETE', [seen, `certificate ${i + 1} (${certs[i].subject}) is not issued by certificate ${i + 2} (${certs[i + 1].subject}): the chain is out of order or misses an intermediate`]));
  }
  return out;
}

const rules: CaptureRule[] = [
  {
    id: 'partial-start',
    needs: 'SYN and ClientHello presence',
    primary: true,
    match: (r) =>
      !r.startCaptured && !r.clientHello
        ? finding('CAPTURE_PARTIAL', compact([
            'the capture holds neither the start of the connection (SYN) nor a ClientHello',
            r.encryptedRecords[0] + r.encryptedRecords[1] > 0 ? `it starts mid-connection: ${r.encryptedRecords[0]} encrypted record(s) from the client, ${r.encryptedRecords[1]} from the server` : undefined,
            ...r.partialReasons,
          ]))
        : undefined,
  },
  {
    id: 'tcp-unreachable',
    needs: 'ICMP destination unreachable quoting the connection, no SYN-ACK',
    primary: true,
    match: (r) => {
      const i = r.tcp.icmp[0];
      if (!i || r.tcp.synAck) return undefined;
      const kind = i.type === 3 ? `ICMP type 3 code ${i.code}` : `ICMPv6 type 1 code ${i.code}`;
      const codeName = (ICMP_CODES as Record<number, string>)[i.code] ?? '';
      return finding('TCP_UNREACHABLE', compact([
        r.tcp.syn && `SYN to ${r.server.ip}:${r.server.port} in frame ${r.tcp.syn.frame}`,
        `${kind}${codeName ? ` (${codeName})` : ''} from ${i.from} in frame ${i.frame} (${rel(r, i.time)}), TTL ${i.ttl}`,
      ]));
    },
  },
  {
    id: 'tcp-refused',
    needs: 'RST from the server side answering the SYN',
    primary: true,
    match: (r) => {
      const rst = r.tcp.rsts.find((p) => p.dir === 1);
      if (!r.tcp.syn || r.tcp.synAck || !rst) return undefined;
      return finding('TCP_REFUSED', [`SYN in frame ${r.tcp.syn.frame}`, `RST/ACK from ${r.server.ip}:${r.server.port} in frame ${rst.frame} (${rel(r, rst.time)}), TTL ${rst.ttl}`, `history ${r.tcp.history}`]);
    },
  },
  {
    id: 'tcp-timeout',
    needs: 'SYNs without SYN-ACK, RST or ICMP',
    primary: true,
    match: (r, ctx) => {
      const syn = r.tcp.syn;
      if (!syn || r.tcp.synAck || r.tcp.rstCount > 0 || r.tcp.icmp.length > 0) return undefined;
      const waited = ctx.captureEnd - syn.time;
      const synTimes = r.tcp.packets.filter((p) => p.dir === 0 && p.flags & 0x02).map((p) => rel(r, p.time));
      if (r.tcp.synCount < 2 && waited < 1) {
        return finding('CAPTURE_PARTIAL', [`one SYN in frame ${syn.frame}; the capture ends ${ms(waited)} later, too soon to call it a timeout`]);
      }
      return finding('TCP_TIMEOUT', [
        `${r.tcp.synCount} SYN(s) to ${r.server.ip}:${r.server.port} at ${synTimes.join(', ')}`,
        `no SYN-ACK, RST or ICMP in the ${ms(waited)} that followed`,
      ]);
    },
  },
  {
    id: 'tcp-reset-before-tls',
    needs: 'RST after the TCP handshake, before any TLS byte',
    primary: true,
    match: (r) => {
      const rst = r.tcp.rsts.find((p) => p.dir === 1);
      if (!r.tcp.synAck || !rst || r.clientHello || r.tcp.bytes[0] > 0 || r.tcp.bytes[1] > 0) return undefined;
      return finding('TCP_RESET', [`RST from the server side in frame ${rst.frame} (${rel(r, rst.time)}) before the client sent anything`, `history ${r.tcp.history}`]);
    },
  },
  {
    id: 'plaintext-http',
    needs: 'non-TLS bytes from the server that read as an HTTP response',
    primary: true,
    match: (r) => {
      const n = r.nonTls;
      if (!n || n.from !== 'server' || n.description.kind !== 'http-response') return undefined;
      return finding('PLAINTEXT_HTTP_ON_TLS_PORT', compact([helloLine(r), `the server answered in frame ${n.frame} (${rel(r, n.time)}) with ${n.description.summary}`, endLine(r)]));
    },
  },
  {
    id: 'not-tls',
    needs: 'non-TLS bytes on the connection',
    primary: true,
    match: (r) => {
      const n = r.nonTls;
      if (!n) return undefined;
      if (n.from === 'server') {
        return finding('NOT_TLS', compact([helloLine(r), `the server answered in frame ${n.frame} (${rel(r, n.time)}) with ${n.description.summary}`, endLine(r)]));
      }
      return finding('NOT_TLS', compact([`the client sent ${n.description.summary} in frame ${n.frame} to TLS port ${r.server.port}`, endLine(r)]), {
        title: 'The client spoke another protocol to the TLS port',
        remedy: 'Use https:// (TLS) for this port, or send plain HTTP to the plain-HTTP port.',
      });
    },
  },
  {
    id: 'version-mismatch',
    needs: 'alert protocol_version, or a ServerHello version the client did not offer',
    primary: true,
    match: (r) => {
      const ch = r.clientHello;
      const a = r.alerts.find((x) => x.description === ALERT.protocol_version);
      const sh = r.serverHello;
      const unoffered = ch && sh && !ch.offeredVersions.includes(sh.version);
      const fatal = fatalAlert(r);
      // A client may list an old version yet refuse it once chosen (OpenSSL 3 at its default
      // security level aborts TLS 1.0/1.1 with internal_error): the wire shows an abort, not why.
      const refusedOld = sh && sh.version <= Version.TLS11 && fatal?.from === 'client' && !clientFinished(r);
      if (!a && !unoffered && !refusedOld) return undefined;
      return finding('PROTOCOL_VERSION_MISMATCH', compact([
        ch && `the client offered ${ch.offeredVersions.map(versionName).join(', ')} (ClientHello in frame ${ch.frame})`,
        sh && `the server chose ${versionName(sh.version)} (ServerHello in frame ${sh.frame})${unoffered ? ', which the client did not offer' : ''}`,
        a ? alertLine(r, a) : fatal && alertLine(r, fatal),
        refusedOld && !unoffered ? `the client listed ${versionName(sh.version)} but aborted as soon as the server chose it: current clients (OpenSSL 3 at its default security level, browsers) no longer accept it` : undefined,
        endLine(r),
      ]));
    },
  },
  {
    id: 'no-shared-cipher',
    needs: 'alert handshake_failure or insufficient_security from the server before a ServerHello',
    primary: true,
    match: (r) => {
      const a = r.alerts.find((x) => x.from === 'server' && (x.description === ALERT.handshake_failure || x.description === ALERT.insufficient_security));
      if (!a || r.serverHello) return undefined;
      const ch = r.clientHello;
      return finding('NO_SHARED_CIPHER', compact([
        ch && `the client offered ${ch.cipherSuites.length} cipher suites: ${ch.cipherSuites.slice(0, 8).map(cipherSuiteName).join(', ')}${ch.cipherSuites.length > 8 ? ', ...' : ''}`,
        alertLine(r, a),
        'no ServerHello: the server found nothing it accepts in the ClientHello (cipher suites, or groups/signature algorithms for them)',
      ]));
    },
  },
  {
    id: 'certificate-alert',
    needs: 'a certificate alert from the client, with the chain where it is visible',
    primary: true,
    match: (r) => {
      const a = r.alerts.find((x) => x.from === 'client' && [42, 43, 44, 45, 46, 48].includes(x.description));
      if (!a) return undefined;
      const fromChain = certificateFindings(r);
      const line = alertLine(r, a);
      if (a.description === ALERT.certificate_expired) {
        const f = fromChain.find((x) => x.code === 'CERT_EXPIRED') ?? finding('CERT_EXPIRED', []);
        return { ...f, evidence: [line, ...f.evidence] };
      }
      const order = ['CERT_SELF_SIGNED', 'CERT_CHAIN_INCOMPLETE', 'CERT_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_HOSTNAME_MISMATCH'];
      const pick = order.map((c) => fromChain.find((x) => x.code === c)).find(Boolean);
      if (pick) return { ...pick, evidence: [line, ...pick.evidence] };
      if (a.description === ALERT.unknown_ca || a.description === ALERT.bad_certificate || a.description === ALERT.certificate_unknown) {
        return finding('CERT_UNTRUSTED', compact([line, r.certificates[0] && `leaf issuer: ${r.certificates[0].issuer}`, r.version === Version.TLS13 ? 'TLS 1.3: the chain is encrypted; `tlsdoctor probe` shows it' : undefined]));
      }
      return finding('TLS_ALERT', [line], { title: `Fatal alert ${a.name} from the client` });
    },
  },
  {
    id: 'certificate-chain',
    needs: 'the certificates the server sent in clear',
    primary: true,
    match: (r) => certificateFindings(r)[0],
  },
  {
    id: 'other-alert',
    needs: 'any fatal alert before the handshake completed',
    primary: true,
    match: (r) => {
      const a = fatalAlert(r);
      if (!a || (handshakeComplete(r) && a.time >= (r.end?.time ?? Infinity))) return undefined;
      return finding('TLS_ALERT', compact([helloLine(r), alertLine(r, a), endLine(r)]), { title: `Fatal alert ${a.name} from the ${a.from}` });
    },
  },
  {
    id: 'reset-after-client-hello',
    needs: 'ClientHello, then RST toward the client before any server TLS byte; TTL, IP ID and timing of the RST against the SYN-ACK',
    primary: true,
    match: (r) => {
      const ch = r.clientHello;
      if (!ch || serverSpokeTls(r) || r.nonTls?.from === 'server') return undefined;
      const rst = r.tcp.rsts.find((p) => p.dir === 1 && p.time >= ch.time);
      if (!rst) return undefined;
      return finding('RESET_AFTER_CLIENT_HELLO', [helloLine(r), ...resetEvidence(r, rst)]);
    },
  },
  {
    id: 'no-server-hello',
    needs: 'ClientHello and no ServerHello, with how the connection ended',
    primary: true,
    match: (r, ctx) => {
      const ch = r.clientHello;
      if (!ch || r.serverHello || r.helloRetryRequest) return undefined;
      const serverRecords = r.messages.filter((m) => m.from === 'server').length;
      const ended = r.end !== undefined;
      const waited = (r.end?.time ?? ctx.captureEnd) - ch.time;
      if (!ended && waited < 3 && serverRecords === 0) {
        return finding('CAPTURE_PARTIAL', [helloLine(r), `the capture ends ${ms(waited)} after the ClientHello, with no answer yet`]);
      }
      return finding('NO_SERVER_HELLO', compact([
        helloLine(r),
        serverRecords > 0
          ? `the server sent ${serverRecords} handshake message(s) (${[...new Set(r.messages.filter((m) => m.from === 'server').map((m) => m.name))].join(', ')}) but never a ServerHello`
          : `the server sent no byte in the ${ms(waited)} after the ClientHello (${r.tcp.bytes[1]} bytes from the server in all)`,
        endLine(r) ?? 'the connection was still open when the capture ended',
      ]));
    },
  },
  {
    id: 'client-aborted',
    needs: 'the server\'s flight, then the client closing without its Finished',
    primary: true,
    match: (r) => {
      const sh = r.serverHello;
      if (!sh || clientFinished(r) || !r.end) return undefined;
      const serverDone = r.version === Version.TLS13 ? r.encryptedRecords[1] > 0 : r.messages.some((m) => m.from === 'server' && m.type === HandshakeType.ServerHelloDone);
      if (!serverDone) return undefined;
      const sizes = r.encryptedRecordSizes[0];
      // The client closed, or sent an alert-sized record (the server may then close first).
      if (r.end.by !== 'client' && sizes.length === 0) return undefined;
      return finding('CLIENT_ABORTED', compact([
        `ServerHello in frame ${sh.frame}: ${versionName(sh.version)}, ${cipherSuiteName(sh.cipherSuite)}`,
        r.version === Version.TLS13 ? `the server sent ${r.encryptedRecords[1]} encrypted record(s) (its certificate is among them, encrypted)` : 'the server finished its flight (ServerHelloDone)',
        sizes.length > 0 ? `the client sent ${sizes.length} encrypted record(s) of ${sizes.join(', ')} bytes: the size of an alert, not a Finished` : 'the client sent no Finished',
        endLine(r),
      ]));
    },
  },
  {
    id: 'handshake-ok',
    needs: 'Finished from both sides',
    primary: true,
    match: (r) => {
      if (!handshakeComplete(r) || !r.serverHello) return undefined;
      const sh = r.serverHello;
      return finding('HANDSHAKE_OK', compact([
        `${versionName(sh.version)}, ${cipherSuiteName(sh.cipherSuite)}${r.alpn ? `, ALPN ${r.alpn}` : ''}`,
        `ServerHello ${ms(sh.time - (r.clientHello?.time ?? sh.time))} after the ClientHello`,
        r.helloRetryRequest && `after a HelloRetryRequest in frame ${r.helloRetryRequest.frame}`,
      ]));
    },
  },
  {
    id: 'unfinished',
    needs: 'anything left over',
    primary: true,
    match: (r) => finding('CAPTURE_PARTIAL', compact([helloLine(r), 'the capture ends before the handshake does', ...r.partialReasons])),
  },
  // Secondary findings.
  {
    id: 'deprecated-protocol',
    needs: 'the negotiated version',
    primary: false,
    match: (r) =>
      r.version !== undefined && r.version <= Version.TLS11 && r.version >= Version.SSL3
        ? finding('DEPRECATED_PROTOCOL', [`negotiated ${versionName(r.version)} in frame ${r.serverHello?.frame}`])
        : undefined,
  },
  {
    id: 'certificate-secondary',
    needs: 'the certificates the server sent in clear',
    primary: false,
    match: (r) => certificateFindings(r)[0],
  },
  {
    id: 'partial',
    needs: 'gaps and missing starts',
    primary: false,
    match: (r) => (r.partialReasons.length > 0 ? finding('CAPTURE_PARTIAL', r.partialReasons) : undefined),
  },
];

const ICMP_CODES: Record<number, string> = {
  0: 'net unreachable', 1: 'host unreachable', 3: 'port unreachable', 9: 'net administratively prohibited',
  10: 'host administratively prohibited', 13: 'communication administratively prohibited',
};

/** Why an RST looks injected by a middlebox rather than sent by the server. */
export function resetEvidence(r: R, rst: R['tcp']['rsts'][number]): string[] {
  const ch = r.clientHello;
  const out: string[] = [];
  const count = r.tcp.rsts.filter((p) => p.dir === 1).length;
  out.push(`RST${rst.flags & 0x10 ? '/ACK' : ''} from the server side in frame ${rst.frame} (${rel(r, rst.time)})${ch ? `, ${ms(rst.time - ch.time)} after the ClientHello` : ''}`);
  const signs: string[] = [];
  const sa = r.tcp.synAck;
  if (sa) {
    if (sa.ttl !== rst.ttl) signs.push(`its TTL ${rst.ttl} differs from the SYN-ACK's ${sa.ttl}: it came from a different hop`);
    else out.push(`its TTL ${rst.ttl} equals the SYN-ACK's`);
    if (rst.ipId >= 0 && sa.ipId >= 0) {
      if (rst.ipId === 0 && sa.ipId !== 0) signs.push('its IP ID is 0 while the server\'s packets carry IDs');
      else if (sa.ipId !== 0 && Math.abs(((rst.ipId - sa.ipId) + 65536) % 65536) > 1000) signs.push(`its IP ID ${rst.ipId} is far from the SYN-ACK's ${sa.ipId}`);
    }
    const rtt = r.tcp.syn ? sa.time - r.tcp.syn.time : undefined;
    if (ch && rtt !== undefined && rtt > 0 && rst.time - ch.time < rtt / 2) {
      signs.push(`it arrived ${ms(rst.time - ch.time)} after the ClientHello, sooner than the server's round trip (SYN to SYN-ACK ${ms(rtt)})`);
    }
  }
  if (count > 1) signs.push(`${count} RSTs arrived, as injectors send`);
  out.push(...signs);
  out.push(signs.length > 0 ? `the RST looks injected by something on the path (${signs.length} sign${signs.length > 1 ? 's' : ''})` : 'nothing in the RST tells it apart from the server\'s own packets');
  const late = r.tcp.packets.filter((p) => p.dir === 1 && p.time > rst.time && !(p.flags & 0x04));
  if (late.length > 0) out.push(`${late.length} packet(s) from the server side arrived after the RST (the server still thought the connection open)`);
  return out;
}

export function diagnoseConnection(r: ConnectionRecord, ctx: CaptureContext): Finding[] {
  return runRules(rules, r, ctx);
}

export const captureRules: readonly CaptureRule[] = rules;
