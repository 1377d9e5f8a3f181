import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize, writeJson, type CaptureItem, type PcapReport, type RedactMode } from '@tlsdoctor/report';
import { makeItems, report, shuffled } from '../../../test/helpers/report-items.js';
import { JsonSpool } from './json-spool.js';

/** The JSON a spool writes, for items added file by file in an order their connections could end in. */
/** `reuse`: the writer says it is done with each piece, so the spool fills the same buffer again. */
function spooled(files: ReturnType<typeof makeItems>[], mode: RedactMode, dropped: number[] = [], dir?: string, inOrder = false, reuse = false): string {
  const pieces: Uint8Array[] = [];
  const spool = new JsonSpool(mode, (p) => {
    // A writer that is not done with a piece keeps it as it is, as a stream's queue does: a
    // buffer filled again too soon would show in the result.
    pieces.push(typeof p === 'string' || reuse ? Buffer.from(p) : p);
    return reuse;
  }, dir);
  for (const [k, f] of files.entries()) {
    // Shuffled, items are read back one by one; in order, through the spool's read window.
    for (const it of inOrder ? f : shuffled(f, k + 5)) spool.add(it);
    if (dropped.includes(k)) spool.dropFile();
    else spool.endFile();
  }
  const kept = files.filter((_, k) => !dropped.includes(k)).flat();
  const { connections: _, ...head } = withInputs(report([], byName(kept)));
  spool.finish(head);
  return Buffer.concat(pieces).toString('utf8');
}

/** The summary of the items with its codes by name, as the CLI lists them (items end in any order). */
function byName(items: CaptureItem[]): PcapReport['summary'] {
  const s = summarize(items);
  return { ...s, byCode: Object.fromEntries(Object.entries(s.byCode).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

/** Input files whose names and warnings hold values that redaction replaces (the head is redacted too). */
function withInputs(r: PcapReport): PcapReport {
  const file = { path: 'cap-10.0.0.3.pcap', format: 'pcap' as const, gzip: false, packets: 1, bytes: 1, warnings: ['ICMP from 198.18.0.2 to 10.0.0.3 matched nothing'], error: null };
  return { ...r, input: { files: [file] } };
}

function whole(r: PcapReport, mode: RedactMode): string {
  const pieces: string[] = [];
  writeJson(r, mode, (p) => pieces.push(p));
  return pieces.join('');
}

describe('JsonSpool: every item, out of memory, written as the whole report would be', () => {
  // One item of d.pcap is larger than the spool's 1 MB staging buffer, in characters of three bytes.
  const big = makeItems('d.pcap', 40, 3);
  big[17] = { ...big[17], diagnoses: [{ ...big[17].diagnoses[0], evidence: ['终'.repeat(400_000)] }] };
  const files = [makeItems('a.pcap', 150, 7), makeItems('b.pcap', 2500, 11), makeItems('c.pcap', 0, 1), big];

  it.each([
    // [redaction, files that could not be read, items spooled in id order, output buffers reused]
    ['none', [], false],
    ['none', [], true],
    ['none', [], false, true],
    ['none', [], true, true],
    ['none', [2], false, true],
    ['clients', [], false],
    ['all', [], false],
    ['all', [], true],
    ['all', [0], false],
    ['none', [1, 3], false],
    ['all', [0, 1, 2, 3], false],
  ] as [RedactMode, number[], boolean, boolean?][])('redaction %s, files dropped %j, in order %s, buffers reused %s', (mode, dropped, inOrder, reuse) => {
    const kept = files.filter((_, k) => !dropped.includes(k)).flat();
    expect(spooled(files, mode, dropped, undefined, inOrder, reuse)).toBe(whole(withInputs(report(kept, byName(kept))), mode));
  });

  it('leaves no file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-spool-'));
    spooled(files, 'none', [], dir);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names the directory it cannot write to', () => {
    expect(() => new JsonSpool('none', () => {}, '/nonexistent/tlsdoctor')).toThrow(/temporary file in \/nonexistent\/tlsdoctor \(ENOENT\); set TMPDIR/);
  });
});
