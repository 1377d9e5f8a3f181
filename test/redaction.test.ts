import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { fixtureFiles, ROOT } from './helpers/fixtures.js';
import { tsharkAvailable, tsharkFields } from './helpers/tshark.js';
import { occurs } from './helpers/occurs.js';

// The oracle: every name and address in the fixtures, as tshark (not tlsdoctor) finds them. A
// redacted report must hold none of them, in any format; the same report unredacted must hold
// some of each kind, or the check would prove nothing about that kind.

const haveTshark = tsharkAvailable();
if (!haveTshark) console.warn('redaction: tshark is not installed; the redaction oracle is skipped (CI installs it)');

type Kind = 'client address' | 'other address' | 'server name' | 'certificate name' | 'certificate serial' | 'certificate fingerprint' | 'file name';

const fixtures = fixtureFiles().map((f) => relative(ROOT, f.path));

/** The values of one kind in every fixture, as tshark decodes them. */
function oracle(): Map<Kind, Set<string>> {
  const found = new Map<Kind, Set<string>>();
  const add = (kind: Kind, v: string | undefined) => {
    if (!v) return;
    if (!found.has(kind)) found.set(kind, new Set());
    found.get(kind)!.add(v);
  };
  const split = (v: string) => v.split(',').filter(Boolean);
  for (const file of fixtures) {
    const fields = ['ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'tcp.flags.syn', 'tcp.flags.ack', 'icmp.type', 'icmpv6.type', 'tls.handshake.extensions_server_name', 'x509ce.dNSName', 'x509ce.iPAddress', 'x509sat.uTF8String', 'x509sat.printableString', 'x509af.serialNumber', 'http.host', 'http.location', 'tls.handshake.certificate'];
    for (const p of tsharkFields(file, fields)) {
      const [src] = split(p['ip.src'] || p['ipv6.src']);
      const isSyn = p['tcp.flags.syn'] === '1' && p['tcp.flags.ack'] === '0' && !p['icmp.type'] && !p['icmpv6.type'];
      for (const a of [...split(p['ip.src']), ...split(p['ip.dst']), ...split(p['ipv6.src']), ...split(p['ipv6.dst'])]) add(isSyn && a === src ? 'client address' : 'other address', a);
      for (const n of [...split(p['tls.handshake.extensions_server_name']), ...split(p['x509ce.dNSName']), ...split(p['http.host'])]) add('server name', n);
      for (const a of split(p['x509ce.iPAddress'])) add('other address', a);
      if (p['http.location']) add('server name', new URL(p['http.location'], 'http://relative.invalid/').hostname.replace('relative.invalid', ''));
      // Country codes and the like (two letters) identify no one and are not replaced.
      for (const w of [...split(p['x509sat.uTF8String']), ...split(p['x509sat.printableString'])]) if (w.length > 2) add('certificate name', w);
      // A serial of a few digits (the lab's own CAs number from 1000) is any number to a text search:
      // an MTU of 1000 is not a certificate. Real CAs' serials are 16 bytes and more.
      for (const s of split(p['x509af.serialNumber'])) if (s.replace(/^0x/, '').length >= 8) add('certificate serial', s.replace(/^0x/, ''));
      for (const der of split(p['tls.handshake.certificate'])) {
        const hex = createHash('sha256').update(Buffer.from(der.replace(/:/g, ''), 'hex')).digest('hex');
        add('certificate fingerprint', hex.toUpperCase().match(/../g)!.join(':'));
      }
    }
    add('file name', file);
  }
  // A client address is one that sent a SYN; where it also served, it is listed as a client.
  for (const a of found.get('client address') ?? []) found.get('other address')?.delete(a);
  return found;
}

const FORMATS: [string, string[]][] = [
  ['table', ['--format', 'table']],
  ['table --verbose', ['--format', 'table', '--verbose']],
  ['markdown', ['--format', 'markdown']],
  ['json', ['--format', 'json']],
];

describe.skipIf(!haveTshark)('redaction against every name and address tshark finds in the fixtures', () => {
  const values = haveTshark ? oracle() : new Map<Kind, Set<string>>();
  const report = (format: string[], redact: string[]) => {
    const r = runCli(['pcap', ...fixtures, '--limit', '0', ...format, ...redact], {}, 120_000);
    expect(r.stderr).toBe('');
    return r.stdout;
  };

  it('the oracle has values of every kind', () => {
    for (const kind of ['client address', 'other address', 'server name', 'certificate name', 'certificate serial', 'certificate fingerprint', 'file name'] as Kind[]) {
      expect(values.get(kind)?.size ?? 0, kind).toBeGreaterThan(0);
    }
  });

  it.each(FORMATS)('%s: --redact=all leaves none; unredacted, every kind is there', (_name, format) => {
    const plain = report(format, []);
    const redacted = report(format, ['--redact=all']);
    for (const [kind, set] of values) {
      const shown = [...set].filter((v) => occurs(plain, v));
      // Serials and fingerprints are facts only JSON prints (Markdown keeps those behind the verdict).
      if (format.includes('json') || !(kind === 'certificate serial' || kind === 'certificate fingerprint')) {
        expect(shown.length, `${kind} in the unredacted report`).toBeGreaterThan(0);
      }
      expect([...set].filter((v) => occurs(redacted, v)), `${kind} left in the redacted report`).toEqual([]);
    }
  }, 300_000);

  it.each(FORMATS)('%s: --redact masks client addresses and keeps the rest', (_name, format) => {
    const redacted = report(format, ['--redact']);
    expect([...values.get('client address')!].filter((v) => occurs(redacted, v))).toEqual([]);
    expect([...values.get('server name')!].some((v) => occurs(redacted, v))).toBe(true);
    expect([...values.get('other address')!].some((v) => occurs(redacted, v))).toBe(true);
  }, 300_000);
});
