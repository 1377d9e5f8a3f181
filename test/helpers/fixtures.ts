import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCaptureFile, TcpTracker, type TcpConnection } from '@tlsdoctor/capture';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const FIXTURES = join(ROOT, 'fixtures');
export const SHARED = resolve(ROOT, '..', 'shared');
export const GROUND_TRUTH = join(SHARED, 'ground-truth', 'ja4');

export interface Sidecar {
  scenario: string;
  note?: string;
  client: string;
  capture: string;
  /** TCP and QUIC connections in the file, as tshark counts them, when more than one. */
  connections?: number;
  /** The client's key log (in fixtures/), read with --keylog; and the primary diagnosis without it. */
  keylog?: string;
  withoutKeylog?: string;
  /**
   * The ICMP and ICMPv6 errors in the file as tshark read them when it was recorded, for a
   * recording that names the ones it must hold (an empty list: none came back).
   */
  icmp?: { frame: number; from: string; protocol: 'ICMP' | 'ICMPv6'; type: number; code: number; mtu?: number }[];
  /** The client host's firewall rules in force while it was recorded (iptables/ip6tables commands). */
  clientFirewall?: string[];
  /**
   * A known gap: what tlsdoctor says today (`primary`, for every connection) where that is not yet
   * `expect`, and why. The tests hold it to that until the gap is closed.
   */
  gap?: { primary: string; why: string };
  /**
   * `others`: the primary diagnosis of every connection after the first (default: the same as the
   * first's); `not`: codes the first must not name (a near miss's).
   */
  expect: { primary: string; also?: string[]; not?: string[]; others?: string };
}

/** Every capture in fixtures/ with its sidecar. */
export function fixtureFiles(): { name: string; path: string; sidecar: Sidecar }[] {
  return readdirSync(FIXTURES)
    .filter((f) => !f.endsWith('.json') && !f.endsWith('.keys') && !f.startsWith('.') && statSync(join(FIXTURES, f)).isFile())
    .sort()
    .map((f) => ({ name: f, path: join(FIXTURES, f), sidecar: JSON.parse(readFileSync(join(FIXTURES, `${f}.json`), 'utf8')) as Sidecar }));
}

export function groundTruthAvailable(): boolean {
  return existsSync(GROUND_TRUTH);
}

/** The reassembled bytes of each direction of each TCP connection in a capture. */
export async function reassembled(path: string): Promise<{ conn: TcpConnection; client: Uint8Array; server: Uint8Array }[]> {
  // By id: the connection handed on is a new object, not the one its sink was made for.
  const chunks = new Map<number, [Uint8Array[], Uint8Array[]]>();
  const out: { conn: TcpConnection; client: Uint8Array; server: Uint8Array }[] = [];
  const tracker = new TcpTracker({
    sinkFactory: (c) => {
      const parts: [Uint8Array[], Uint8Array[]] = [[], []];
      chunks.set(c.id, parts);
      return { data: (dir, bytes) => (parts[dir].push(bytes), true) };
    },
    onConnection: (c) => {
      const [a, b] = chunks.get(c.id) ?? [[], []];
      out.push({ conn: c, client: Buffer.concat(a), server: Buffer.concat(b) });
    },
  });
  await readCaptureFile(path, (p) => tracker.packet(p));
  tracker.finish();
  return out.sort((x, y) => x.conn.id - y.conn.id);
}
