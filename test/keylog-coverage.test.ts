// What a file's decryption summary and each connection's record say when a key log does not open
// every connection it could: the lab's key-log captures read with key logs cut or altered, so
// that each reason a connection stays closed is met on real records. And the same captures read
// with lines as other tools write them (text after the secret).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture, type ConnectionRecord } from '@tlsdoctor/analysis';
import { KeyLog } from '@tlsdoctor/tls-parser-ts';
import { FIXTURES, GROUND_TRUTH, groundTruthAvailable } from './helpers/fixtures.js';
import { tsharkAvailable, tsharkFields } from './helpers/tshark.js';

function keyLogOf(text: string): KeyLog {
  const log = new KeyLog();
  log.begin('test.keys');
  log.add(text);
  log.flush();
  return log;
}

const lines = (name: string) => readFileSync(join(FIXTURES, `${name}.keys`), 'latin1').split('\n');
const randomOf = (c: ConnectionRecord) => Buffer.from(c.clientHello!.random).toString('hex');

/** Flips the last hex digit of a secret. */
const altered = (line: string) => line.slice(0, -1) + (line.endsWith('0') ? '1' : '0');

describe('a key log that does not open every connection it covers: each says why, and the file counts them', () => {
  it.each([
    {
      what: 'no master secret for one TLS 1.2 connection (its CLIENT_RANDOM line left out)',
      capture: 'openssl-tls12-cbc-keylog',
      edit: (all: string[], random: string) => all.filter((l) => !l.includes(random)),
      miss: { why: 'no-secret' },
      words: /the key log holds no secret for its client random/,
      opened: [0, 0],
    },
    {
      what: 'a master secret of another run (one digit changed): the server\'s first protected record fails, and so does the client\'s',
      capture: 'openssl-tls12-cbc-keylog',
      edit: (all: string[], random: string) => all.map((l) => (l.includes(random) ? altered(l) : l)),
      miss: { why: 'record-failed', from: 'server', record: 1 },
      words: /the server's protected record 1 did not authenticate/,
      opened: [0, 0],
    },
    {
      what: 'TLS 1.0\'s chained IVs: a master secret changed opens nothing either',
      capture: 'openssl-tls10-tls11-cbc-keylog',
      edit: (all: string[], random: string) => all.map((l) => (l.includes(random) ? altered(l) : l)),
      miss: { why: 'record-failed', from: 'server', record: 1 },
      words: /the server's protected record 1/,
      opened: [0, 0],
    },
    {
      what: 'a TLS 1.3 server handshake secret of another run: the server\'s flight stays closed, the client\'s opens',
      capture: 'openssl-tls13-early-data-keylog',
      pick: 0,
      edit: (all: string[], random: string) => all.map((l) => (l.startsWith('SERVER_HANDSHAKE_TRAFFIC_SECRET') && l.includes(random) ? altered(l) : l)),
      miss: { why: 'record-failed', from: 'server', record: 1 },
      words: /the server's protected record 1/,
      opened: [1, 0],
    },
  ])('$what', async ({ capture, edit, miss, words, opened, pick }) => {
    const file = join(FIXTURES, `${capture}.pcap`);
    const whole = await analyzeCapture(file, { keyLog: keyLogOf(lines(capture).join('\n')) });
    const target = whole.connections[pick ?? 2];
    const cut = await analyzeCapture(file, { keyLog: keyLogOf(edit(lines(capture), randomOf(target)).join('\n')) });
    const c = cut.connections.find((x) => x.id === target.id)!;
    expect(c.decryption?.notOpened).toEqual(miss);
    expect(c.decryption?.opened).toEqual(opened);
    // Every other connection still opens in full.
    for (const other of cut.connections.filter((x) => x.id !== target.id)) expect(other.decryption?.notOpened, `connection ${other.id}`).toBeUndefined();
    const n = cut.connections.length;
    expect(cut.decryption).toMatchObject({ connections: n, decrypted: n - 1 });
    expect(cut.decryption!.notOpened).toEqual([{ why: miss.why, reason: expect.stringMatching(words), connections: 1, first: String(target.id) }]);
    if (miss.why !== 'no-secret') expect(c.partialReasons.join('\n')).toMatch(/the key log holds/);
    expect(whole.decryption).toMatchObject({ connections: n, decrypted: n, notOpened: [] });
  });
});

describe('TLS 1.3 0-RTT without CLIENT_EARLY_TRAFFIC_SECRET', () => {
  it('the early flight is passed over and said; the client\'s Finished still opens under its handshake secret, as tshark opens it', async () => {
    const capture = 'openssl-tls13-early-data-keylog';
    const file = join(FIXTURES, `${capture}.pcap`);
    const kept = lines(capture).filter((l) => /^(CLIENT|SERVER)_HANDSHAKE_TRAFFIC_SECRET /.test(l));
    const a = await analyzeCapture(file, { keyLog: keyLogOf(kept.join('\n')) });
    const c = a.connections[1];
    if (tsharkAvailable()) {
      const keys = join(mkdtempSync(join(tmpdir(), 'tlsdoctor-keys-')), 'no-early.keys');
      writeFileSync(keys, kept.join('\n') + '\n');
      const rows = tsharkFields(file, ['tcp.stream', 'tcp.srcport', 'tls.handshake.type'], 'tls.handshake.type', ['-o', `tls.keylog_file:${keys}`]);
      const theirs = rows.filter((r) => r['tcp.stream'] === '1' && Number(r['tcp.srcport']) === c.client.port).flatMap((r) => r['tls.handshake.type'].split(',').map(Number));
      expect(theirs).toEqual([1, 20]);
    }
    expect(c.clientHello?.earlyData).toBe(true);
    // Its early data and EndOfEarlyData (two records) are passed over; its Finished opens.
    expect(c.messages.filter((m) => m.from === 'client').map((m) => m.type)).toEqual([1, 20]);
    expect(c.decryption).toEqual({ secrets: true, opened: [1, 2] });
    expect(c.partialReasons).toEqual([expect.stringMatching(/the client's first 2 protected record\(s\), its 0-RTT flight, open under no key .* passed over/)]);
    expect(a.decryption).toMatchObject({ connections: 2, decrypted: 2, notOpened: [] });
  });
});

describe('key-log lines with text after their secrets open what the clean lines open', () => {
  it.each(['openssl-tls12-cbc-keylog', 'openssl-tls13-early-data-keylog'])('%s', async (capture) => {
    const file = join(FIXTURES, `${capture}.pcap`);
    const clean = lines(capture).join('\n');
    const trailed = lines(capture).map((l, i) => (l && !l.startsWith('#') ? `${l}${i % 2 ? ' # written by a tool' : '\u0000\u0000'}` : l)).join('\n');
    const log = keyLogOf(trailed);
    expect(log.badLines).toBe(0);
    expect(log.tolerated).toBeGreaterThan(0);
    const a = await analyzeCapture(file, { keyLog: log });
    const b = await analyzeCapture(file, { keyLog: keyLogOf(clean) });
    expect(a.decryption).toEqual(b.decryption);
    expect(a.connections.map((c) => c.messages.map((m) => m.type))).toEqual(b.connections.map((c) => c.messages.map((m) => m.type)));
  });
});

describe.skipIf(!groundTruthAvailable())('QUIC in the file\'s decryption summary', () => {
  it('chrome-cloudflare-quic-with-secrets.pcapng: the TCP and the QUIC connection are both counted and opened', async () => {
    const a = await analyzeCapture(join(GROUND_TRUTH, 'chrome-cloudflare-quic-with-secrets.pcapng'));
    const quic = a.connections.filter((c) => c.transport === 'quic');
    expect(quic.length).toBe(1);
    expect(quic[0].decryption).toMatchObject({ secrets: true });
    expect(quic[0].decryption!.opened[1]).toBeGreaterThan(0);
    expect(a.decryption).toMatchObject({ connections: a.connections.length, decrypted: a.connections.length, notOpened: [] });
  });
});
if (!groundTruthAvailable()) console.warn(`keylog-coverage: ${GROUND_TRUTH} is absent; the QUIC summary case is skipped`);
