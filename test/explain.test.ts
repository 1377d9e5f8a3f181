// `tlsdoctor explain` as a command: formats, exit codes, standard input, hostile input. What it
// concludes is tested beside explain() (packages/diagnosis/src/messages/explain.test.ts).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { ROOT } from './helpers/fixtures.js';

describe('tlsdoctor explain', () => {
  it.each([
    // [input, exit code, stdout]
    ['curl: (60) SSL certificate problem: unable to get local issuer certificate', 0, /CERT_CHAIN_INCOMPLETE/],
    ["WebSocket connection to 'wss://api.example.com/ws' failed: Error during WebSocket handshake: Unexpected response code: 404", 0, /WEBSOCKET_UPGRADE_FAILED[\s\S]*tlsdoctor probe https:\/\/api\.example\.com\/PATH --ws \/PATH/],
    ['request:fail url not in domain list', 0, /DOMAIN_NOT_ALLOWED/],
    ['something no client ever printed', 1, /not recognised/],
    // An empty message is a usage error: one line, exit 2.
    ['', 2, /^tlsdoctor: the message is empty[^\n]*\n(?:Run 'tlsdoctor --help' for usage\.\n)?$/],
    ['   ', 2, /the message is empty/],
    ['[error] 7#0: *3 upstream timed out (110: Connection timed out) while SSL handshaking to upstream, client: 198.51.100.4, upstream: "https://10.0.0.2:8443/"', 0, /NO_SERVER_HELLO[\s\S]*tlsdoctor probe 10\.0\.0\.2:8443/],
    ['java.io.IOException: Server returned HTTP response code: 400 for URL: https://a.example.com/', 0, /Names no cause[\s\S]*No required SSL certificate was sent/],
  ])('%j', (input, code, out) => {
    const r = runCli(['explain', input]);
    expect(r.code).toBe(code);
    expect(r.stdout + r.stderr).toMatch(out);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('reads a megabyte of standard input without a stack trace', () => {
    const big = Buffer.concat([Buffer.alloc(1 << 20, 0x41), Buffer.from('\ncurl: (7) Failed to connect to x port 443: Connection refused\n')]);
    const r = runCli(['explain', '-'], {}, 60_000, big);
    expect([0, 1]).toContain(r.code);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+|internal error/);
  });

  it('10 MB of text: read up to its limit, answered, not hung', () => {
    const line = Buffer.from('* TLSv1.3 (OUT), TLS handshake, Client hello (1):\n');
    const huge = Buffer.concat([Buffer.from('curl: (60) SSL certificate problem: certificate has expired\n'), ...Array.from({ length: Math.ceil((10 << 20) / line.length) }, () => line)]);
    const r = runCli(['explain', '-'], {}, 60_000, huge);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/CERT_EXPIRED/);
  });

  it.each([
    ['NUL bytes', Buffer.from([0x63, 0x75, 0x72, 0x6c, 0, 1, 2, 10])],
    ['a PNG', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 64 }, (_, i) => 0x80 + (i % 64)))])],
  ])('standard input that is not text (%s): one line naming the byte, exit 2', (_what, input) => {
    const r = runCli(['explain', '-'], {}, 60_000, input);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // One line (and the CLI's usual pointer to --help).
    expect(r.stderr).toMatch(/^tlsdoctor: standard input is not text \(byte \d+ of \d+ is binary\)[^\n]*\n(?:Run 'tlsdoctor --help' for usage\.\n)?$/);
  });

  it('empty standard input is a usage error', () => {
    const r = runCli(['explain', '-'], {}, 60_000, Buffer.alloc(0));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the message is empty/);
  });

  it('a transcript pasted whole, or cut in the middle, gives a ranked answer quoting its lines', () => {
    const t = readFileSync(join(ROOT, 'test', 'data', 'transcripts', 'openssl', 'selfsigned.lab.test.txt'));
    for (const input of [t, t.subarray(0, t.indexOf('-----END CERTIFICATE-----'))]) {
      const r = runCli(['explain', '-'], {}, 60_000, input);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Transcript: openssl s_client[\s\S]*CERT_SELF_SIGNED: the server sent one certificate, issued by itself\n {4}> 0 s:CN = selfsigned\.lab\.test[\s\S]*1\. CERT_SELF_SIGNED/);
    }
  });

  it('--format json gives the candidates', () => {
    const j = JSON.parse(runCli(['explain', 'x509: certificate signed by unknown authority', '--format', 'json']).stdout);
    expect(j.recognised).toBe(true);
    expect(j.client).toBe('go');
    expect(j.candidates[0].code).toBe('CERT_CHAIN_INCOMPLETE');
  });
});
