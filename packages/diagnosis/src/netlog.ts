import type { NetlogRecord } from '@tlsdoctor/analysis';
import { decide } from './engine.js';
import type { Finding } from './finding.js';
import { judgeNetlog } from './judges/netlog.js';

/** Every finding for one record of a browser's log, the primary first. */
export function diagnoseNetlogRecord(r: NetlogRecord): Finding[] {
  return decide(judgeNetlog(r));
}
