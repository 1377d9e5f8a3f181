import type { ConnectionRecord, TcpRecord } from '@tlsdoctor/analysis';
import { compact, ms } from '../evidence.js';
import { findingsOf, type Finding } from '../finding.js';
import { serverSpokeTls } from './handshake-state.js';
import { helloLine } from './hello-line.js';
import { noAnswer, otherIcmp } from './tcp.js';

/**
 * What the capture can and cannot show. A capture that misses part of a connection gets no
 * failure it does not show: this judge says what is missing instead.
 */
export const COVERAGE_CODES = {
  CAPTURE_PARTIAL: {
    severity: 'info',
    title: 'Only part of the connection is in the capture',
    remedy: 'Capture from before the connection starts until it ends, with ICMP kept: `tcpdump -i any -w cap.pcap \'tcp port 443 or udp port 443 or icmp or icmp6\'`, started before the client connects.',
  },
} as const;

const finding = findingsOf(COVERAGE_CODES);

/** Seconds a ClientHello may wait for an answer before silence counts as the server's. */
export const ANSWER_WAIT_S = 3;
/** Seconds of capture after a lone SYN before the missing retransmission says something. */
export const SYN_RETRY_S = 1;

export const CAPTURE_FILTER_ADVICE = 'capture with ICMP kept: `tcpdump -i any -w cap.pcap \'tcp port 443 or udp port 443 or icmp or icmp6\'`';

/**
 * The gate: a connection whose start and ClientHello are both missing cannot support any other
 * verdict (its bytes are read from the middle), so this finding stands alone.
 */
export function captureGate(r: ConnectionRecord): Finding | undefined {
  if (r.startCaptured || r.clientHello) return undefined;
  const enc = r.transport === 'tcp' ? r.encryptedRecords : undefined;
  return finding('CAPTURE_PARTIAL', compact([
    'the capture holds neither the start of the connection (SYN) nor a ClientHello',
    enc && enc[0] + enc[1] > 0 && `it starts mid-connection: ${enc[0]} encrypted record(s) from the client, ${enc[1]} from the server`,
    ...r.partialReasons,
  ]));
}

/** Gaps, a lone SYN, and a ClientHello the capture ends too soon after. */
export function judgeCaptureCoverage(r: TcpRecord, captureEnd: number): Finding[] {
  const out: Finding[] = [];
  const { syn, synAck } = r.tcp;
  if (syn && !synAck && r.tcp.synCount === 1 && r.tcp.rstCount === 0 && !r.tcp.icmp.some((i) => i.kind === 'unreachable')) {
    const waited = captureEnd - syn.time;
    out.push(
      waited < SYN_RETRY_S
        ? finding('CAPTURE_PARTIAL', [`one SYN in frame ${syn.frame}; the capture ends ${ms(waited)} later, too soon to call it a timeout`])
        : finding('CAPTURE_PARTIAL', [
            `one SYN in frame ${syn.frame} and no retransmission, though the capture went on ${ms(waited)} longer: the client stopped trying at once, so something answered it`,
            ...answerNotCaptured(r),
          ], { title: 'The answer to the SYN is not in the capture' }),
    );
  }
  const ch = r.clientHello;
  if (ch && !r.end && serverSilent(r)) {
    const waited = captureEnd - ch.time;
    if (waited < ANSWER_WAIT_S) out.push(finding('CAPTURE_PARTIAL', [helloLine(r), `the capture ends ${ms(waited)} after the ClientHello, with no answer yet`]));
  }
  if (r.partialReasons.length > 0) out.push(finding('CAPTURE_PARTIAL', r.partialReasons));
  return out;
}

/**
 * Why the answer to a lone SYN is missing. With no ICMP at all, most likely the capture filter
 * left the ICMP error out; with other ICMP in the capture the filter keeps ICMP, so the answer
 * came where the capture could not see it.
 */
function answerNotCaptured(r: TcpRecord): string[] {
  if (r.tcp.icmp.length === 0) {
    return [
      `${noAnswer(r)} for this connection is in the capture: the answer was most likely an ICMP error (a firewall's REJECT, an unreachable host) that the capture filter left out`,
      `to see it, ${CAPTURE_FILTER_ADVICE}`,
    ];
  }
  return [
    `${noAnswer(r)} for this connection is in the capture, though ICMP is: the answer reached the client where this capture does not look (another interface, a local firewall's own reject), or the client gave up by itself`,
    ...otherIcmp(r),
  ];
}

/** When no judge found anything, the capture ended before the handshake did. */
export function unfinished(r: ConnectionRecord): Finding {
  return finding('CAPTURE_PARTIAL', compact([helloLine(r), 'the capture ends before the handshake does', ...r.partialReasons]));
}

/** The server sent nothing at all: no TLS (see serverSpokeTls) and no other bytes. */
export function serverSilent(r: TcpRecord): boolean {
  return !serverSpokeTls(r) && r.nonTls?.from !== 'server';
}
