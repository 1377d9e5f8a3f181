import { LEGACY_SUITES } from '@tlsdoctor/probe/facts';
import type { ProbeRecord } from '@tlsdoctor/probe';
import { decide } from './engine.js';
import type { Finding } from './finding.js';
import { judgeProbeAlerts } from './judges/alerts.js';
import { judgeProbeAlpn } from './judges/alpn.js';
import { judgeProbeCertificate } from './judges/certificate.js';
import { judgeProbeCiphers } from './judges/ciphers.js';
import { judgeProbeClientCert } from './judges/client-cert.js';
import { judgeProbeDns } from './judges/dns.js';
import { judgeProbeHandshake } from './judges/handshake.js';
import { judgeProbeHelloShapes } from './judges/hello-size.js';
import { judgeProbeHsts, judgeProbeHttpsRedirects, judgeProbeMisdirected, judgeProbeRedirect, judgeProbeWebSocket } from './judges/http.js';
import { judgeProbeProfile } from './judges/profile.js';
import { judgeProbeHttp3 } from './judges/quic.js';
import { judgeProbeServerAnswer } from './judges/server-answer.js';
import { judgeProbeTcp } from './judges/tcp.js';
import { judgeProbeVersions } from './judges/versions.js';

/** Every finding for one probed address, the primary first. `now` is the time certificates are judged at. */
export function diagnoseProbe(r: ProbeRecord, now = Date.now()): Finding[] {
  const found = [
    ...judgeProbeDns(r),
    ...judgeProbeTcp(r),
    ...judgeProbeServerAnswer(r),
    ...judgeProbeHelloShapes(r),
    ...judgeProbeVersions(r),
    ...judgeProbeCiphers(r, LEGACY_SUITES.length),
    ...judgeProbeAlpn(r),
  ];
  found.push(...judgeProbeAlerts(r, found.some((f) => f.severity === 'error')));
  found.push(
    ...judgeProbeCertificate(r, now),
    ...judgeProbeClientCert(r),
    ...judgeProbeHandshake(r),
    ...judgeProbeWebSocket(r),
    ...judgeProbeMisdirected(r),
    ...judgeProbeRedirect(r),
    ...judgeProbeHttpsRedirects(r),
    ...judgeProbeHsts(r),
    ...judgeProbeHttp3(r),
    ...judgeProbeProfile(r),
  );
  return decide(found);
}
