// `tlsdoctor explain` against what real clients printed in the lab (test/data/client-messages.json,
// recorded by `npm run messages`): every message must be recognised and list the host's real
// diagnosis among its candidates, first for most of them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, explain, typicalMessages, type ClientName } from '@tlsdoctor/diagnosis';
// @ts-expect-error: the lab is plain ESM JavaScript.
import { SCENARIOS } from '../lab/scenarios.mjs';
import { runCli } from './helpers/cli.js';
import { ROOT } from './helpers/fixtures.js';

interface Recorded {
  client: string;
  host: string;
  diagnosis: string | null;
  why?: string;
  message: string | null;
  hung?: boolean;
}

const data = JSON.parse(readFileSync(join(ROOT, 'test', 'data', 'client-messages.json'), 'utf8')) as { clients: Record<string, string>; records: Recorded[] };
const scenario = new Map((SCENARIOS as { host: string; expect: { probe?: string; probeAlso?: string[]; pcap?: string } }[]).map((s) => [s.host, s.expect]));
const messages = data.records.filter((r): r is Recorded & { message: string; diagnosis: string } => r.message !== null && r.diagnosis !== null);
const CLIENT_OF: Record<string, ClientName> = { curl: 'curl', wget: 'wget', openssl: 'openssl', 'gnutls-cli': 'gnutls', python: 'python', 'node-https': 'node', 'node-fetch': 'node' };

/** The diagnoses a host really has: the probe's primary, the findings beside it, the capture's. */
function real(r: Recorded): string[] {
  if (r.why) return [r.diagnosis!];
  const e = scenario.get(r.host)!;
  return [r.diagnosis!, ...(e.probeAlso ?? []), ...(e.pcap ? [e.pcap] : [])];
}

describe('the recorded messages', () => {
  it('cover at least 6 real clients, each against every lab host', () => {
    expect(Object.keys(data.clients).length).toBeGreaterThanOrEqual(6);
    for (const c of Object.keys(data.clients)) expect(new Set(data.records.filter((r) => r.client === c).map((r) => r.host))).toEqual(new Set(scenario.keys()));
  });
});

describe('explain on every recorded message', () => {
  it.each(messages.map((r) => [`${r.client} × ${r.host}`, r] as const))('%s', (_name, r) => {
    for (const client of [undefined, CLIENT_OF[r.client]]) {
      const e = explain(r.message, client);
      expect(e.recognised, r.message).toBe(true);
      expect(e.candidates.map((c) => c.code), r.message).toContain(r.diagnosis);
    }
  });

  it('puts a real diagnosis first for at least 80% of them', () => {
    const first = messages.filter((r) => real(r).includes(explain(r.message, CLIENT_OF[r.client]).candidates[0].code));
    const share = first.length / messages.length;
    expect(share).toBeGreaterThanOrEqual(0.8);
    // The figure docs/explain.md quotes.
    console.log(`explain: a real diagnosis first for ${first.length} of ${messages.length} recorded messages (${Math.round(share * 100)}%)`);
  });

  it('guesses the client from the message alone', () => {
    const guessed = messages.filter((r) => explain(r.message).client === CLIENT_OF[r.client]).length;
    expect(guessed / messages.length).toBeGreaterThanOrEqual(0.9);
  });
});

describe('the catalogue', () => {
  it.each(CATALOGUE.map((e) => [e.id, e] as const))('%s: its example matches its own pattern, and its source is named', (_id, e) => {
    expect(e.pattern.test(e.example)).toBe(true);
    expect(e.source.length).toBeGreaterThan(0);
  });

  it('entries from the lab match a message recorded there', () => {
    const recorded = messages.map((r) => r.message).join('\n');
    for (const e of CATALOGUE.filter((x) => x.source === 'lab')) expect(e.pattern.test(recorded), e.id).toBe(true);
  });

  it.each([
    ['CERT_EXPIRED', /certificate has expired/],
    ['TCP_REFUSED', /refused/i],
  ])('typical messages for %s', (code, re) => {
    const t = typicalMessages(code as never);
    expect(t.length).toBeGreaterThan(0);
    expect(t.some((m) => re.test(m.message))).toBe(true);
  });
});

describe('tlsdoctor explain', () => {
  it.each([
    // [input, exit code, stdout]
    ['curl: (60) SSL certificate problem: unable to get local issuer certificate', 0, /CERT_CHAIN_INCOMPLETE/],
    ["WebSocket connection to 'wss://api.example.com/ws' failed: Error during WebSocket handshake: Unexpected response code: 404", 0, /WEBSOCKET_UPGRADE_FAILED[\s\S]*tlsdoctor probe https:\/\/api\.example\.com\/PATH --ws \/PATH/],
    ['request:fail url not in domain list', 0, /DOMAIN_NOT_ALLOWED/],
    ['something no client ever printed', 1, /not recognised/],
    ['', 1, /not recognised/],
  ])('%j', (input, code, out) => {
    const r = runCli(['explain', input]);
    expect(r.code).toBe(code);
    expect(r.stdout + r.stderr).toMatch(out);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('reads standard input, binary or a megabyte of it, without a stack trace', () => {
    const big = Buffer.concat([Buffer.alloc(1 << 20, 0x41), Buffer.from('\ncurl: (7) Failed to connect to x port 443: Connection refused\n')]);
    for (const input of [big, Buffer.from([0, 1, 2, 255, 254, 10, 13]), Buffer.alloc(0)]) {
      const r = runCli(['explain', '-'], {}, 60_000, input);
      expect([0, 1]).toContain(r.code);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+|internal error/);
    }
  });

  it('--format json gives the candidates', () => {
    const j = JSON.parse(runCli(['explain', 'x509: certificate signed by unknown authority', '--format', 'json']).stdout);
    expect(j.recognised).toBe(true);
    expect(j.client).toBe('go');
    expect(j.candidates[0].code).toBe('CERT_CHAIN_INCOMPLETE');
  });
});
