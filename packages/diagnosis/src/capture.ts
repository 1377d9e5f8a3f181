import type { CaptureContext, ConnectionRecord, QuicRecord, TcpRecord } from '@tlsdoctor/analysis';
import { decide } from './engine.js';
import type { Finding } from './finding.js';
import { judgeCaptureAlerts } from './judges/alerts.js';
import { judgeCaptureAlpn } from './judges/alpn.js';
import { judgeCaptureCertificate } from './judges/certificate.js';
import { judgeCaptureCiphers } from './judges/ciphers.js';
import { judgeCaptureClientCert } from './judges/client-cert.js';
import { captureGate, judgeCaptureCoverage, unfinished } from './judges/coverage.js';
import { judgeCaptureHandshake } from './judges/handshake.js';
import { judgeCaptureBlackHole, judgeCaptureSplitHello } from './judges/hello-size.js';
import { judgeCaptureServerAnswer } from './judges/server-answer.js';
import { judgeCaptureStaleSyn, judgeCaptureTcp } from './judges/tcp.js';
import { judgeCaptureSsl2, judgeCaptureVersions } from './judges/versions.js';
import { judgeQuic } from './judges/quic.js';

/** What the capture shows across connections, as the judges ask it (the analysis's CaptureContext answers). */
export type OtherConnections = Pick<CaptureContext, 'answeredInOneSegment' | 'tcpAnswered'>;

export interface CaptureMoment {
  /** How far the capture had gone when the connection ended: "no answer" is only a failure once the capture ran on past it. */
  captureEnd: number;
  /** What the capture showed of other connections to each server (absent: judged alone). */
  others?: OtherConnections;
}

/** Every finding for one captured connection, the primary first. */
export function diagnoseConnection(r: ConnectionRecord, at: CaptureMoment): Finding[] {
  const gate = captureGate(r);
  if (gate) return [gate];
  return r.transport === 'quic' ? diagnoseQuicConnection(r, at) : diagnoseTcpConnection(r, at);
}

function diagnoseTcpConnection(r: TcpRecord, at: CaptureMoment): Finding[] {
  // An SSL 2.0 answer is the verdict: the rest of the exchange is in SSL 2.0's own records.
  if (r.sslv2) return decide(judgeCaptureSsl2(r));
  const blackHole = judgeCaptureBlackHole(r);
  // The silence a black hole causes is that finding's evidence, not a second error with a fix
  // about overloaded servers: one cause, one error.
  const answer = judgeCaptureServerAnswer(r, at.captureEnd).filter((f) => !(blackHole.length > 0 && f.code === 'NO_SERVER_HELLO'));
  const found = [
    ...judgeCaptureTcp(r, at.captureEnd),
    ...judgeCaptureStaleSyn(r),
    ...answer,
    ...blackHole,
    ...judgeCaptureSplitHello(r, at.others, blackHole.length > 0),
    ...judgeCaptureVersions(r),
    ...judgeCaptureCiphers(r),
    ...judgeCaptureAlpn(r),
    ...judgeCaptureCertificate(r),
    ...judgeCaptureClientCert(r),
  ];
  // An alert cited by a finding above is that finding's evidence; only the rest is TLS_ALERT.
  found.push(...judgeCaptureAlerts(r, found));
  const certificateFault = found.some((f) => f.severity === 'error' && f.code.startsWith('CERT_'));
  found.push(...judgeCaptureHandshake(r, certificateFault), ...judgeCaptureCoverage(r, at.captureEnd));
  return decide(found.length > 0 ? found : [unfinished(r)]);
}

/**
 * A QUIC connection: its own judge, then the ones that read TLS facts QUIC carries as TCP does
 * (the certificate, read from Handshake packets opened with a key log; alerts from crypto errors).
 */
function diagnoseQuicConnection(r: QuicRecord, at: CaptureMoment): Finding[] {
  const found = [...judgeQuic(r, at.captureEnd, at.others), ...judgeCaptureCertificate(r)];
  found.push(...judgeCaptureAlerts(r, found));
  return decide(found.length > 0 ? found : [unfinished(r)]);
}
