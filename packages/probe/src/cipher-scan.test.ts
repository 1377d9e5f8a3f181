import { describe, expect, it } from 'vitest';
import type { ServerHello } from '@tlsdoctor/tls-parser-ts';
import { scanVersion } from './cipher-scan.js';
import type { HelloOutcome } from './hello-probe.js';

const V12 = 0x0303;

/**
 * A server as the scan meets it: it accepts `accepts`, picks by its own order or the client's,
 * and names a key exchange per suite.
 */
function server(accepts: number[], byServerOrder: boolean) {
  const hellos: number[][] = [];
  const hello = async (offered: number[], keyExchange: boolean): Promise<HelloOutcome> => {
    hellos.push(offered);
    const pick = byServerOrder ? accepts.find((s) => offered.includes(s)) : offered.find((s) => accepts.includes(s));
    if (pick === undefined) return { kind: 'alert', ms: 1, alert: { level: 2, levelName: 'fatal', description: 40, name: 'Handshake Failure' } } as HelloOutcome;
    const serverHello = { version: V12, cipherSuite: pick } as ServerHello;
    return { kind: 'server-hello', ms: 1, serverHello, bytes: 100, ...(keyExchange ? { keyExchange: `kx-${pick}` } : {}) };
  };
  return { hello, hellos };
}

// 200 suites: more than three chunks, so accepted suites fall in several.
const REGISTRY = Array.from({ length: 200 }, (_, i) => 0x1000 + i);

describe('scanVersion', () => {
  it.each([
    // [what, accepted suites (the server's order), server order?]
    ['one suite', [0x1005], true],
    ['suites in several chunks, server order', [0x10c7, 0x1003, 0x1080, 0x1041], true],
    ['suites in several chunks, client order', [0x10c7, 0x1003, 0x1080, 0x1041], false],
    ['nothing', [], true],
  ] as [string, number[], boolean][])('%s', async (_what, accepts, byServerOrder) => {
    const { hello, hellos } = server(accepts, byServerOrder);
    const scan = await scanVersion(V12, REGISTRY, hello);
    const want = byServerOrder ? accepts : [...accepts].sort((a, b) => a - b);
    expect(scan.suites).toEqual(want.map((s) => ({ suite: s, keyExchange: `kx-${s}` })));
    expect(scan.serverOrder).toBe(accepts.length >= 2 ? byServerOrder : undefined);
    expect(scan.offered).toBe(200);
    // Every hello fits a chunk, and their number is bounded by chunks and accepted suites.
    expect(Math.max(...hellos.map((h) => h.length))).toBeLessThanOrEqual(64);
    expect(hellos.length).toBeLessThanOrEqual(Math.ceil(200 / 64) + 2 * accepts.length + 1);
  });

  it('a suite accepted alone but refused in the ordering keeps its place, without a key exchange', async () => {
    let calls = 0;
    const flaky = async (offered: number[], keyExchange: boolean): Promise<HelloOutcome> => {
      calls++;
      if (keyExchange && calls > 4) return { kind: 'closed', ms: 1, bytes: 0 };
      const s = [0x1001, 0x1002].find((x) => offered.includes(x));
      return s === undefined ? { kind: 'closed', ms: 1, bytes: 0 } : { kind: 'server-hello', ms: 1, serverHello: { version: V12, cipherSuite: s } as ServerHello, bytes: 1, keyExchange: 'x25519' };
    };
    const scan = await scanVersion(V12, REGISTRY.slice(0, 10), flaky);
    expect(scan.suites).toEqual([{ suite: 0x1001, keyExchange: 'x25519' }, { suite: 0x1002 }]);
  });

  it('a ServerHello of another version accepts nothing', async () => {
    const other = async (): Promise<HelloOutcome> => ({ kind: 'server-hello', ms: 1, serverHello: { version: 0x0301, cipherSuite: 0x1001 } as ServerHello, bytes: 1 });
    expect((await scanVersion(V12, REGISTRY, other)).suites).toEqual([]);
  });
});
