// explain() against what real clients printed in the lab (test/data/client-messages.json,
// recorded by `npm run messages`): every message must be recognised and list the host's real
// diagnosis among its candidates, first for most of them. Plain data in, no lab needed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from './catalogue.js';
import { explain, guessClient, typicalMessages } from './explain.js';
import type { ClientName } from './catalogue.js';
// @ts-expect-error: the lab is plain ESM JavaScript (its scenarios are data).
import { SCENARIOS } from '../../../../lab/scenarios.mjs';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

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
    expect(messages.filter((r) => guessClient(r.message) !== CLIENT_OF[r.client]).map((r) => `${r.client} ${r.host}`)).toEqual([]);
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
    const t = typicalMessages(code as 'CERT_EXPIRED');
    expect(t.length).toBeGreaterThan(0);
    expect(t.some((m) => re.test(m.message))).toBe(true);
  });
});

describe('explain, edges', () => {
  it.each([
    // [text, client, first cause, host]
    ["WebSocket connection to 'wss://api.example.com/ws' failed: Error during WebSocket handshake: Unexpected response code: 404", undefined, 'WEBSOCKET_UPGRADE_FAILED', 'api.example.com'],
    ['request:fail url not in domain list', undefined, 'DOMAIN_NOT_ALLOWED', undefined],
    ['javax.net.ssl.SSLHandshakeException: PKIX path building failed', undefined, 'CERT_CHAIN_INCOMPLETE', undefined],
    ['net::ERR_CERT_DATE_INVALID', undefined, 'CERT_EXPIRED', undefined],
    // A named client whose own patterns miss falls back to every client's.
    ['Connection refused', 'go', 'TCP_REFUSED', undefined],
    ["curl: (60) SSL: no alternative certificate subject name matches target host name 'api.example.com'", 'curl', 'CERT_HOSTNAME_MISMATCH', 'api.example.com'],
  ] as [string, ClientName | undefined, string, string | undefined][])('%s', (text, client, first, host) => {
    const e = explain(text, client);
    expect(e.candidates[0].code).toBe(first);
    expect(e.host).toBe(host);
    expect(e.check).toMatch(/^tlsdoctor /);
    if (host) expect(e.check).toContain(host);
  });

  it.each([[''], ['\u0000\u0001'], ['nothing any client prints'], ['x'.repeat(1 << 20)]])('not recognised: %#', (text) => {
    const e = explain(text);
    expect(e.recognised).toBe(false);
    expect(e.candidates).toEqual([]);
    expect(e.check).toBeUndefined();
  });

  it('the closest messages share words with the text', () => {
    expect(explain('my certificate expired yesterday').closest.map((c) => c.id)).toContain('expired');
  });

  it('a message past the first 256 kB is not read', () => {
    expect(explain(`${' '.repeat(256 * 1024)}curl: (7) Failed to connect to x port 443`).recognised).toBe(false);
    expect(explain(`${' '.repeat(1000)}curl: (7) Failed to connect to x port 443`).recognised).toBe(true);
  });

  it('two messages that decide are ranked by the engine: the wrong name before the expiry', () => {
    const e = explain("ERROR: The certificate of 'a.example.com' has expired.\nThe certificate's owner does not match hostname 'a.example.com'");
    expect(e.matches.map((m) => m.entry.id)).toEqual(['name', 'expired']);
  });
});
