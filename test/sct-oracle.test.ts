// tshark is the oracle for the SCT lists embedded in real certificates: for every chain a server
// sent in the ground-truth captures, each SCT's version, log id and timestamp, in the order the
// certificates carry them, must be tshark's.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture, type TcpRecord } from '@tlsdoctor/analysis';
import { isSctV1 } from '@tlsdoctor/tls-parser-ts';
import { GROUND_TRUTH, groundTruthAvailable } from './helpers/fixtures.js';
import { tsharkAvailable, tsharkFields } from './helpers/tshark.js';

const haveTshark = tsharkAvailable();
if (!haveTshark) console.warn('sct-oracle: tshark is not installed; skipped (CI installs it)');
if (!groundTruthAvailable()) console.warn(`sct-oracle: ${GROUND_TRUTH} is absent; skipped (the public captures with real certificates live there)`);

// tshark prints absolute times in the local zone: ask for UTC, which the parser below expects.
process.env.TZ = 'UTC';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** tshark's "Nov 16, 2022 15:54:01.036000000 UTC" as ms since the epoch. */
function tsharkTime(s: string): number {
  const m = /^(\w{3}) +(\d+), (\d{4}) (\d\d):(\d\d):(\d\d)\.(\d{3})\d* UTC$/.exec(s.trim());
  if (!m) throw new Error(`tshark time not understood: ${s}`);
  return Date.UTC(Number(m[3]), MONTHS.indexOf(m[1]), Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
}

const captures = groundTruthAvailable() ? readdirSync(GROUND_TRUTH).filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => join(GROUND_TRUTH, f)) : [];

describe.skipIf(!haveTshark || captures.length === 0)('embedded SCTs agree with tshark', () => {
  let total = 0;

  it.each(captures.map((f) => [basename(f), f]))('%s', async (_name, file) => {
    const a = await analyzeCapture(file);
    const tcp = a.connections.filter((c): c is TcpRecord => c.transport === 'tcp');
    const rows = tsharkFields(file, ['tcp.stream', 'tcp.srcport', 'tls.handshake.type', 'tls.sct.sct_version', 'tls.sct.sct_logid', 'tls.sct.sct_timestamp'], 'tcp && tls.handshake.type == 11 && tls.sct.sct_timestamp');
    for (const row of rows) {
      const c = tcp.find((x) => x.id === Number(row['tcp.stream'].split(',')[0]));
      // The server's chain only, one Certificate message per frame (as the certificate oracle takes them).
      if (!c || c.tunnel || c.incomplete || Number(row['tcp.srcport'].split(',')[0]) !== c.server.port || row['tls.handshake.type'].split(',').filter((t) => t === '11').length !== 1) continue;
      // The times hold commas of their own ("Nov 16, 2022 ..."): each is picked out whole.
      const times = row['tls.sct.sct_timestamp'].match(/\w{3} +\d+, \d{4} [\d:.]+ \w+/g) ?? [];
      const theirs = row['tls.sct.sct_logid'].split(',').map((logId, i) => ({
        version: Number(row['tls.sct.sct_version'].split(',')[i]),
        logId,
        timestamp: tsharkTime(times[i] ?? ''),
      }));
      const ours = c.certificates.flatMap((x) => {
        const list = x.profile?.sctList;
        if (list && 'malformed' in list) throw new Error(`connection ${c.id}: ${x.subject}: ${list.malformed}`);
        return (list?.scts ?? []).map((s) => (isSctV1(s) ? { version: s.version, logId: s.logId, timestamp: s.timestamp } : { version: s.version }));
      });
      expect(ours, `SCTs of connection ${c.id}`).toEqual(theirs);
      total += theirs.length;
    }
  });

  it('compared SCTs at all', () => {
    // The snapshot of 2026-06 holds 45 SCTs in servers' chains (leaves from public CAs, two or
    // three SCTs each): a reader that found none would pass every capture above.
    expect(total).toBeGreaterThanOrEqual(45);
  });
});
