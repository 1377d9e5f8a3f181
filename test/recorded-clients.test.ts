// The recordings `explain` is tuned and measured on (test/data/client-messages.json, run A;
// client-messages-b.json, run B, `npm run messages -- --run B`): what each table must hold for the
// measurement to mean something. Plain data in, no lab needed; the message filter is tested on
// the kinds of output it meets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the lab is plain ESM JavaScript (its scenarios are data).
import { SCENARIOS, altName } from '../lab/scenarios.mjs';
// @ts-expect-error: the lab is plain ESM JavaScript.
import { message } from '../lab/record-messages.mjs';

interface Row {
  client: string;
  host: string;
  asked?: string;
  diagnosis: string | null;
  exit: number | null;
  message: string | null;
  served?: string;
  hung?: boolean;
  heldOut?: boolean;
}
interface Table {
  clients: Record<string, string>;
  libraries: Record<string, string>;
  heldOut?: string[];
  run: { clientSeconds: number };
  records: Row[];
}

const read = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, 'data', name), 'utf8')) as Table;
const A = read('client-messages.json');
const B = read('client-messages-b.json');
const hosts = (SCENARIOS as { host: string }[]).map((s) => s.host);
const nameB = altName as (h: string) => string;

describe.each([['run A', A], ['run B', B]] as const)('%s', (_run, t) => {
  it('has every client it names against every lab host, once', () => {
    for (const c of Object.keys(t.clients)) {
      const rows = t.records.filter((r) => r.client === c).map((r) => r.host);
      expect(rows.sort(), c).toEqual([...hosts].sort());
    }
    expect(new Set(t.records.map((r) => r.client))).toEqual(new Set(Object.keys(t.clients)));
  });

  it('names each client\'s version and TLS library', () => {
    for (const [c, v] of Object.entries(t.clients)) {
      expect(v, c).not.toMatch(/^$|not installed/);
      expect(t.libraries[c], c).toMatch(/^(OpenSSL|GnuTLS|rustls|BoringSSL|Java JSSE|Go crypto\/tls)$/);
    }
  });

  it('keeps chatter out of the messages: no colour codes, progress lines or notices', () => {
    const bad = t.records.filter((r) => r.message !== null && /\u001b\[|^\[#\w+ |^npm notice|^Download Results/m.test(r.message));
    expect(bad.map((r) => `${r.client} ${r.host}`)).toEqual([]);
  });

  it('a row is a message, a silence, a success or an answer after TLS: one of them', () => {
    for (const r of t.records) {
      const kinds = [r.message !== null, r.hung === true, r.served !== undefined].filter(Boolean).length;
      expect(kinds, `${r.client} ${r.host}`).toBeLessThanOrEqual(1);
      // Stopped by the recorder's limit; Chromium stops its page itself (--timeout) and exits 0.
      if (r.hung) expect(r.exit === null || (r.client === 'chromium' && r.exit === 0), `${r.client} ${r.host}`).toBe(true);
    }
  });
});

describe('two runs for tuning and measuring', () => {
  it('run B asks every host by its second name, which says nothing of the fault; run A by the first', () => {
    for (const r of A.records) expect(r.asked).toBeUndefined();
    for (const r of B.records) expect(r.asked, `${r.client} ${r.host}`).toBe(nameB(r.host));
    for (const h of hosts) expect(nameB(h)).toMatch(/^n-[0-9a-f]{6}\.lab\.test$/);
  });

  it("no run B message quotes its host's first name, except as a certificate names itself: a rule cannot match it by the name", () => {
    // The self-signed leaf's subject is CN=selfsigned.lab.test under either name, as a real certificate keeps its own.
    const leaks = B.records.filter((r) => r.message?.replace(/CN ?= ?[^,\s/]+/g, '').includes(r.host));
    expect(leaks.map((r) => `${r.client} ${r.host}`)).toEqual([]);
  });

  it('run B gives the clients other time limits than run A', () => {
    expect(B.run.clientSeconds).not.toBe(A.run.clientSeconds);
  });

  it('holds out at least three programs, in run B alone, flagged on every row', () => {
    expect(B.heldOut!.length).toBeGreaterThanOrEqual(3);
    for (const c of B.heldOut!) {
      expect(A.clients[c], c).toBeUndefined();
      expect(B.records.filter((r) => r.client === c).every((r) => r.heldOut === true), c).toBe(true);
    }
    expect(B.records.filter((r) => r.heldOut).every((r) => B.heldOut!.includes(r.client))).toBe(true);
    // Built on libraries the tuned clients use too: the measure is of the library's words.
    const tuned = new Set(Object.keys(A.clients).map((c) => A.libraries[c]));
    for (const c of B.heldOut!) expect(tuned.has(B.libraries[c]), c).toBe(true);
  });

  it('each held-out program says something where it fails: a message on most of the hosts it failed on', () => {
    // A program that fails in silence (wget2 prints nothing for a refused connection or a failed
    // handshake) would measure nothing of the rules.
    for (const c of B.heldOut!) {
      const rows = B.records.filter((r) => r.client === c);
      const failed = rows.filter((r) => r.message !== null || r.hung);
      expect(rows.filter((r) => r.message !== null).length / failed.length, c).toBeGreaterThanOrEqual(0.75);
    }
  });

  it('both runs record the same clients besides the held-out ones', () => {
    expect(Object.keys(B.clients).filter((c) => !B.heldOut!.includes(c)).sort()).toEqual(Object.keys(A.clients).sort());
  });
});

describe('what the recorder keeps of a client\'s output', () => {
  it.each([
    // [output, keep, frames, message]
    ['Traceback (most recent call last):\n  File "<string>", line 2\n    r.raise_for_status()\nrequests.exceptions.HTTPError: 400', undefined, undefined, 'requests.exceptions.HTTPError: 400'],
    ['Exception in thread "main" java.net.ConnectException\n\tat Foo.main(Foo.java:3)\nCaused by: java.nio.channels.UnresolvedAddressException', undefined, undefined, 'Exception in thread "main" java.net.ConnectException\nCaused by: java.nio.channels.UnresolvedAddressException'],
    ["npm notice PING https://x/\nnpm error code E400\nnpm error A complete log of this run can be found in: /tmp/x.log", undefined, undefined, 'npm error code E400'],
    ['x\n  -> [SocketCore.cc:1018] errorCode=1 SSL/TLS handshake failure\n  at y', undefined, /^\s+-> /, 'x\n  -> [SocketCore.cc:1018] errorCode=1 SSL/TLS handshake failure'],
    ['[1:2:ERROR:dbus/bus.cc:405] Failed to connect to the bus\n[3:4:ERROR:x.cc:1] Page load failed: net::ERR_CONNECTION_REFUSED', (l: string) => /net::ERR_/.test(l), undefined, '[3:4:ERROR:x.cc:1] Page load failed: net::ERR_CONNECTION_REFUSED'],
    ['a\nb\nc\nd\ne\nf\ng\nh\ni', undefined, undefined, 'a\nb\nc\nd\ne\nf\ng\nh'],
    // Repeats under another log prefix are said once, so the line naming the error is kept.
    [`${'[1:2:1207/1.1:ERROR:s.cc:949] handshake failed; net_error -107\n[1:2:1207/1.2:ERROR:s.cc:949] handshake failed; net_error -107\n'.repeat(5)}[3:3:ERROR:h.cc:403] Page load failed: net::ERR_SSL_PROTOCOL_ERROR`, undefined, undefined,
      '[1:2:1207/1.1:ERROR:s.cc:949] handshake failed; net_error -107\n[3:3:ERROR:h.cc:403] Page load failed: net::ERR_SSL_PROTOCOL_ERROR'],
  ] as [string, ((l: string) => boolean) | undefined, RegExp | undefined, string][])('%j', (out, keep, frames, want) => {
    expect(message(out, keep, frames)).toBe(want);
  });
});
