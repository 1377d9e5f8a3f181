// `tlsdoctor explain` as a command: formats, exit codes, standard input, hostile input. What it
// concludes is tested beside explain() (packages/diagnosis/src/messages/explain.test.ts).
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

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
