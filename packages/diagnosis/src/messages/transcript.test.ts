// Whole transcripts recorded in the lab (test/data/transcripts/, lab/record-transcripts.mjs):
// `curl -v`, `openssl s_client -showcerts`, Java's ssl:handshake debug log and `gnutls-cli
// --verbose` against every faulty host. What each shows (chain, alert, version, how far it got)
// must put the host's real cause first. Plain data in, no lab needed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explain } from './explain.js';
import { readTranscript, shownDate, transcriptKind } from './transcript-read.js';
// @ts-expect-error: the lab is plain ESM JavaScript (its scenarios are data).
import { SCENARIOS } from '../../../../lab/scenarios.mjs';

const DIR = join(import.meta.dirname, '..', '..', '..', '..', 'test', 'data', 'transcripts');

interface Recorded {
  kind: string;
  host: string;
  diagnosis: string;
  file: string;
  exit: number | null;
  stopped?: boolean;
}

const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { recorded: string; clients: Record<string, string>; transcripts: Recorded[] };
const now = new Date(index.recorded);
const scenario = new Map((SCENARIOS as { host: string; expect: { probe?: string; probeAlso?: string[]; pcap?: string } }[]).map((s) => [s.host, s.expect]));
const text = (r: Recorded) => readFileSync(join(DIR, r.file), 'utf8');
const KIND: Record<string, string> = { curl: 'curl -v', openssl: 'openssl s_client', java: 'java ssl debug', gnutls: 'gnutls-cli' };

/** The diagnoses a host really has: the probe's primary, the findings beside it, the capture's. */
const real = (r: Recorded) => [r.diagnosis, ...(scenario.get(r.host)?.probeAlso ?? []), ...(scenario.get(r.host)?.pcap ? [scenario.get(r.host)!.pcap!] : [])];

/** A client that finished its request without an error has nothing to explain (a TLS 1.0 host for gnutls-cli, which still speaks it). */
function failed(r: Recorded, t: string): boolean {
  if (r.kind === 'openssl') return /:error:|verify error:|Verification error:|^connect:|errno=|no peer certificate available/m.test(t) || r.stopped === true;
  if (r.kind === 'gnutls') return r.exit !== 0 || /\*\*\* (?:Fatal error|Handshake has failed)|- Status: The certificate is NOT trusted/.test(t);
  return r.exit !== 0;
}

/** A client stopped before it printed a word (openssl s_client while its SYN goes unanswered) left nothing to paste. */
const printed = index.transcripts.filter((r) => text(r).trim() !== '');
const cases = printed.map((r) => ({ r, t: text(r) })).filter(({ r, t }) => failed(r, t));

/**
 * Where the transcript cannot tell, and why: the host's cause is among the candidates, not first.
 * Each has a twin, a transcript of the same kind from a host with another cause that reads the
 * same line for line once what differs by host is set aside: no rule can tell the two apart.
 */
const CANNOT_TELL: Record<string, { twin: string; why: string }> = {
  'curl/garbage.lab.test.txt': { twin: 'curl/plain.lab.test.txt', why: 'curl -v prints the 5 bytes it read as "[5 bytes data]", not what they were: HTTP text and another protocol read the same' },
  'openssl/garbage.lab.test.txt': { twin: 'openssl/plain.lab.test.txt', why: 's_client says "wrong version number" and how many bytes it read, not what they were' },
  'java/garbage.lab.test.txt': { twin: 'java/plain.lab.test.txt', why: 'JSSE says "Unsupported or unrecognized SSL message" for HTTP text and for other bytes alike' },
  // Both are listed, the lost SYN first (the engine's precedence): right for closed.lab.test, second for this one.
  'gnutls/silent.lab.test.txt': { twin: 'gnutls/closed.lab.test.txt', why: 'gnutls-cli prints nothing between "Connecting to" and the end of the handshake: a SYN unanswered and a silent server read the same' },
};

/** A transcript without what differs from host to host: names, addresses, times, random bytes, the hello's length. */
const sameShape = (t: string) =>
  t
    .replace(/\b[a-z0-9-]+\.lab\.test\b/g, 'HOST')
    .replace(/\|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ UTC\|/g, '|TIME|')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b|\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\b/gi, 'ADDR')
    .replace(/^ *[0-9A-F]{4}: .*$/gm, 'DUMP')
    .replace(/"(random|session id)"( *): "[0-9A-F]*"/g, '"$1"$2: ""')
    .replace(/^[0-9A-F]{16}:error:/gm, 'THREAD:error:')
    .replace(/written \d+ bytes/g, 'written N bytes');

describe('the recorded transcripts', () => {
  it('are of the four kinds, each recorded against every faulty host', () => {
    const kinds = new Set(index.transcripts.map((r) => r.kind));
    expect(kinds).toEqual(new Set(['curl', 'openssl', 'java', 'gnutls']));
    for (const k of kinds) expect(index.transcripts.filter((r) => r.kind === k).length).toBe(index.transcripts.length / 4);
  });

  it.each(printed.map((r) => [r.file, r] as const))('%s is recognised as its kind', (_f, r) => {
    expect(transcriptKind(text(r))).toBe(KIND[r.kind]);
  });
});

describe('explain on every recorded transcript of a failure', () => {
  const rows = cases.map(({ r, t }) => {
    const e = explain(t, undefined, { now });
    return { r, e, first: e.candidates[0]?.code, ok: real(r).includes(e.candidates[0]?.code ?? '') };
  });

  it('each is recognised, with the host\'s cause among its candidates', () => {
    const missing = rows.filter(({ r, e }) => !e.candidates.some((c) => real(r).includes(c.code))).map(({ r, e }) => `${r.file}: ${e.candidates.map((c) => c.code).join(',')}`);
    expect(missing).toEqual([]);
  });

  it('puts the host\'s real cause first', () => {
    const table = Object.keys(KIND).map((k) => {
      const of = rows.filter((x) => x.r.kind === k);
      return `${KIND[k]}: ${of.filter((x) => x.ok).length} of ${of.length}`;
    });
    console.log(`transcripts, real cause first: ${table.join('; ')}`);
    const wrong = rows.filter((x) => !x.ok).map(({ r }) => r.file);
    expect(wrong.sort()).toEqual(Object.keys(CANNOT_TELL).filter((f) => rows.some((x) => x.r.file === f)).sort());
  });

  it.each(Object.entries(CANNOT_TELL))('%s still cannot tell: it reads as its twin, a host with another cause', (file, { twin, why }) => {
    const r = index.transcripts.find((x) => x.file === file)!;
    const other = index.transcripts.find((x) => x.file === twin)!;
    expect(why.length).toBeGreaterThan(20);
    expect(real(other)).not.toContain(r.diagnosis);
    expect(sameShape(text(r))).toBe(sameShape(text(other)));
    // What explain sees is then the same: one of the two hosts cannot have its cause first.
    expect(explain(text(r), undefined, { now }).candidates.map((c) => c.code)).toEqual(explain(text(other), undefined, { now }).candidates.map((c) => c.code));
  });

  it('setting aside what differs by host keeps what the transcript shows (gnutls-cli prints the record type)', () => {
    const read = (f: string) => readFileSync(join(DIR, f), 'utf8');
    expect(sameShape(read('gnutls/garbage.lab.test.txt'))).not.toBe(sameShape(read('gnutls/plain.lab.test.txt')));
    expect(sameShape(read('java/expired.lab.test.txt'))).not.toBe(sameShape(read('java/expired13.lab.test.txt')));
  });
});

describe('reading a transcript', () => {
  it.each([
    ['Jan  1 00:00:00 2024 GMT', '2024-01-01T00:00:00.000Z'],
    ['2024-01-01 24:00:00.000 UTC', '2024-01-02T00:00:00.000Z'],
    ['Mon Jan 01 00:00:00 UTC 2024', '2024-01-01T00:00:00.000Z'],
    ['not a date', undefined],
  ])('the date %j', (s, iso) => {
    expect(shownDate(s)?.toISOString()).toBe(iso);
  });

  it('a transcript cut in the middle still gives what it shows', () => {
    const t = readFileSync(join(DIR, 'openssl', 'expired.lab.test.txt'), 'utf8');
    const cut = t.slice(0, t.indexOf('-----END CERTIFICATE-----'));
    const e = explain(cut, undefined, { now });
    expect(readTranscript(cut)?.kind).toBe('openssl s_client');
    expect(e.candidates[0].code).toBe('CERT_EXPIRED');
    expect(e.transcript?.shown[0].line).toMatch(/NotAfter|num=10/);
  });

  it('a plain message is no transcript', () => {
    expect(readTranscript('curl: (60) SSL certificate problem: certificate has expired')).toBeUndefined();
    expect(explain('curl: (60) SSL certificate problem: certificate has expired').transcript).toBeUndefined();
  });
});
