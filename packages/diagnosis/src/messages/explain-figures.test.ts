// explain's figures on the recorded clients: run A (test/data/client-messages.json) is what the
// vocabularies were tuned on; run B (client-messages-b.json: other host names, longer timeouts,
// the programs it names as held out) was only measured. A rule written for one program's string shows
// up here as a run-A figure that run B does not reach. Plain data in, no lab needed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explain } from './explain.js';
import type { ClientName } from './catalogue.js';
// @ts-expect-error: the lab is plain ESM JavaScript (its scenarios are data).
import { SCENARIOS } from '../../../../lab/scenarios.mjs';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

interface Recorded { client: string; host: string; diagnosis: string | null; why?: string; message: string | null }
interface Run { clients: Record<string, string>; libraries: Record<string, string>; heldOut?: string[]; records: Recorded[] }
type Message = Recorded & { message: string; diagnosis: string };

const load = (file: string) => JSON.parse(readFileSync(join(ROOT, 'test', 'data', file), 'utf8')) as Run;
const A = load('client-messages.json');
const B = load('client-messages-b.json');
const scenario = new Map((SCENARIOS as { host: string; expect: { probeAlso?: string[]; pcap?: string } }[]).map((s) => [s.host, s.expect]));
const CLIENT_OF: Record<string, ClientName> = { curl: 'curl', wget: 'wget', openssl: 'openssl', 'gnutls-cli': 'gnutls', python: 'python', 'node-https': 'node', 'node-fetch': 'node' };
const messagesOf = (run: Run) => run.records.filter((r): r is Message => r.message !== null && r.diagnosis !== null);

/** The diagnoses a host really has: the probe's primary, the findings beside it, the capture's. */
function real(r: Recorded): string[] {
  if (r.why) return [r.diagnosis!];
  const e = scenario.get(r.host)!;
  return [r.diagnosis!, ...(e.probeAlso ?? []), ...(e.pcap ? [e.pcap] : [])];
}

/** Recognised = a real cause among the candidates; first = a real cause first. */
function figures(of: Message[]) {
  let recognised = 0;
  let first = 0;
  for (const r of of) {
    const codes = explain(r.message, CLIENT_OF[r.client]).candidates.map((c) => c.code);
    if (codes.some((c) => real(r).includes(c))) recognised++;
    if (real(r).includes(codes[0] ?? '')) first++;
  }
  return { n: of.length, recognised, first };
}

const pct = (x: number, n: number) => `${x} (${Math.round((x / n) * 100)}%)`;

function table(run: Run, of: Message[]): string[] {
  const row = (name: string, rows: Message[]) => {
    const f = figures(rows);
    return `| ${name} | ${f.n} | ${pct(f.recognised, f.n)} | ${pct(f.first, f.n)} |`;
  };
  const by = (key: (r: Recorded) => string) => [...new Set(of.map(key))].sort().map((k) => row(k, of.filter((r) => key(r) === k)));
  const head = (what: string) => [`| ${what} | messages | real cause among candidates | real cause first |`, '|---|---|---|---|'];
  return [...head('client'), ...by((r) => r.client), row('**all**', of), '', ...head('TLS library'), ...by((r) => run.libraries[r.client] ?? 'not mapped')];
}

describe('explain figures per client and per library (the tables docs/explain.md quotes)', () => {
  const a = messagesOf(A);
  const b = messagesOf(B);
  const heldOut = new Set(B.heldOut ?? []);
  const bHeld = b.filter((r) => heldOut.has(r.client));

  it('run B names the held-out programs, and each has a library', () => {
    expect([...heldOut].length).toBeGreaterThanOrEqual(3);
    for (const c of heldOut) {
      expect(Object.keys(A.clients)).not.toContain(c);
      expect(B.libraries[c], c).toBeDefined();
    }
  });

  it('run A (tuned on)', () => {
    console.log(`run A, tuned on:\n${table(A, a).join('\n')}`);
    const f = figures(a);
    expect(f.recognised / f.n).toBeGreaterThanOrEqual(0.97);
  });

  it('run B (measured, never tuned on): held to a floor just under what it measured', () => {
    console.log(`run B, measured:\n${table(B, b).join('\n')}\n\nrun B, held-out programs only:\n${table(B, bHeld).join('\n')}`);
    const all = figures(b);
    const held = figures(bHeld);
    console.log(`run B: among ${all.recognised}/${all.n}, first ${all.first}/${all.n}; held out: among ${held.recognised}/${held.n}, first ${held.first}/${held.n}`);
    // A ratchet, not a target: the floors sit just under the figures measured when they were set
    // (in the comments); a change that loses run-B messages fails here. Raise them as rules improve.
    expect(all.recognised / all.n).toBeGreaterThanOrEqual(0.94); // measured 768/815 (94.2%)
    expect(all.first / all.n).toBeGreaterThanOrEqual(0.78); // measured 637/815 (78.2%)
    expect(held.recognised / held.n).toBeGreaterThanOrEqual(0.81); // measured 162/198 (81.8%)
    expect(held.first / held.n).toBeGreaterThanOrEqual(0.71); // measured 142/198 (71.7%)
  });
});
