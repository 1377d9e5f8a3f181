import type { ConnectionRecord, TcpRecord } from '@tlsdoctor/analysis';
import { AlertDescription, isTls13 } from '@tlsdoctor/tls-parser-ts';

/** An encrypted TLS 1.3 record this small is an alert (2 bytes, type, tag), not a Finished. */
export const ALERT_RECORD_MAX = 30;

/** The client's Finished is on the wire (TLS 1.2: its CCS and encrypted Finished; TLS 1.3: a record too large to be an alert). */
export function clientFinished(r: TcpRecord): boolean {
  if (!r.serverHello) return false;
  if (isTls13(r.version)) {
    const sizes = r.encryptedRecordSizes[0];
    return sizes.length >= 2 || (sizes.length === 1 && sizes[0] > ALERT_RECORD_MAX);
  }
  return r.encryptedFrom[0] !== undefined && r.encryptedRecords[0] > 0;
}

export function handshakeComplete(r: TcpRecord): boolean {
  if (!clientFinished(r)) return false;
  return isTls13(r.version) ? r.encryptedRecords[1] > 0 : r.encryptedFrom[1] !== undefined;
}

/** The alert that ended the handshake: the first fatal one, else the first that is not a close. */
export function decisiveAlert(r: ConnectionRecord): ConnectionRecord['alerts'][number] | undefined {
  return r.alerts.find((a) => a.level === 'fatal') ?? r.alerts.find((a) => a.description !== AlertDescription.CloseNotify && a.description !== AlertDescription.UserCanceled);
}

/** The server spoke TLS: a ServerHello, a HelloRetryRequest, any handshake message, alert or record. */
export function serverSpokeTls(r: TcpRecord): boolean {
  return !!r.serverHello || !!r.helloRetryRequest || r.messages.some((m) => m.from === 'server') || r.alerts.some((a) => a.from === 'server') || r.encryptedRecords[1] > 0;
}
