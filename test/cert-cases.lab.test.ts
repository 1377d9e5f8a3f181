// The certificate cases (lab/cert-cases.mjs) served by the lab's nginx, one address each: a live
// `tlsdoctor probe` of each and a capture of curl's TLS 1.2 handshake to it read by
// `tlsdoctor pcap` give the codes the files give (less those only files can show), or the case's
// own `probe`/`pcap` codes where a live handshake cannot show the fault, with why; and nginx
// refuses what cannot be served. Needs root and the lab: it skips, saying why, elsewhere.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: the lab is plain ESM JavaScript, shared with `npm run lab`.
import { labCertCases, labDown, labUnavailable, labUp, labPaths, NS } from '../lab/lab.mjs';
// @ts-expect-error: plain ESM JavaScript.
import { CASES, certCaseServers, FILES_ONLY_CODES, nginxLoads } from '../lab/cert-cases.mjs';
// @ts-expect-error: plain ESM JavaScript.
import { startCapture } from '../lab/record-fixtures.mjs';
import { CODES } from '@tlsdoctor/diagnosis';
import { CLI, runCli } from './helpers/cli.js';
import { reportCodes, type CertCase } from './helpers/cert-cases.js';

const why: string | undefined = labUnavailable();
if (why) console.warn(`certificate lab tests skipped: ${why}`);
if (why && process.env.CI) throw new Error(`certificate lab tests must run in CI, but: ${why}`);

/** A code the diagnosis does not know yet: its judge is still to come, and a case expecting it fails until then. */
const unknownCode = (code: string) => !Object.hasOwn(CODES, code);

interface LiveCase extends CertCase {
  atDays?: number;
  probe?: string[];
  pcap?: string[];
  liveWhy?: string;
}

/** The served cases, from the table (the made files exist once the lab is up). */
const SERVED = (CASES as LiveCase[]).filter((c) => (c.purpose ?? 'server') === 'server' && c.serve !== false);
const NOT_SERVED_WITH_KEY = (CASES as LiveCase[]).filter((c) => c.serve === false && !c.atDays);

function liveCodes(c: LiveCase, kind: 'probe' | 'pcap'): string[] {
  return [...(c[kind] ?? c.codes.filter((x) => !FILES_ONLY_CODES.includes(x)))].sort();
}

/** How a case's title says that it waits for the cert judges. */
function title(codes: string[]): string {
  const list = codes.join(' + ') || 'no error or warning';
  return codes.some(unknownCode) ? `${list} (needs the cert judges)` : list;
}

/** A case as the running lab made it, and the address it is served on (none for one not served). */
function made(id: string): { c: LiveCase; v4?: string } {
  const cases: LiveCase[] = labCertCases();
  const c = cases.find((x) => x.id === id)!;
  const server = certCaseServers(cases).find((s: { certCase: string }) => s.certCase === id);
  return { c, v4: server?.v4 };
}

function probe(args: string[]): { code: number; report: any; stderr: string } {
  const r = spawnSync('ip', ['netns', 'exec', NS.client, process.execPath, CLI, 'probe', '--timeout', '2', '--format', 'json', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, report: r.stdout ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
}

describe.skipIf(!!why)('certificate cases in the lab', () => {
  const dir = mkdtempSync(join(tmpdir(), 'td-cert-lab-'));
  beforeAll(() => labUp(), 120_000);
  afterAll(() => {
    labDown();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(NOT_SERVED_WITH_KEY.map((c) => [c.id, c.notServed] as const))('%s cannot be served: %s', (id) => {
    const { c } = made(id);
    const refused = nginxLoads(c.chainFile, c.keyFile, join(dir, id));
    expect(refused.ok).toBe(false);
    expect(refused.says).toMatch(/key values mismatch/);
    // The same check passes the chain in its right order with its own key.
    expect(nginxLoads(made('good').c.chainFile, made('good').c.keyFile, join(dir, 'good')).ok).toBe(true);
  });

  describe('tlsdoctor probe gives the codes of the files', () => {
    it.each(SERVED.map((c) => [c.id, title(liveCodes(c, 'probe')), c] as const))('%s: %s', (id) => {
      const { c } = made(id);
      // No HTTP checks: the cases' servers have no port 80, and the question is the certificate.
      const r = probe([c.name!, '--ca', c.caFile, '--no-http']);
      expect(r.report, r.stderr).toBeDefined();
      expect(reportCodes(r.report), c.liveWhy).toEqual(liveCodes(c, 'probe'));
      // A near miss passes on a handshake that completed, not on one that never happened.
      if (liveCodes(c, 'probe').length === 0) expect(r.report.targets.map((t: any) => t.diagnoses[0].code)).toEqual(['HANDSHAKE_OK']);
    });
  });

  describe('tlsdoctor pcap on curl\'s TLS 1.2 handshake gives them too', () => {
    it.each(SERVED.map((c) => [c.id, title(liveCodes(c, 'pcap')), c] as const))('%s: %s', async (id) => {
      const { c, v4 } = made(id);
      const file = join(dir, `${id}.pcap`);
      const stop = await startCapture(file, 'tcpdump', 'c0', [], `tcp port 443 and host ${v4}`);
      try {
        // Security level 0: weak keys and digests reach the handshake, so that the capture shows them.
        const url = c.isIp ? `https://${c.name}/` : `https://${c.asciiName}/`;
        spawnSync('ip', ['netns', 'exec', NS.client, 'curl', '-sS', '-m', '4', '--tlsv1.2', '--tls-max', '1.2', '--ciphers', 'DEFAULT:@SECLEVEL=0', '--cacert', c.caFile, url],
          { timeout: 15_000 });
      } finally {
        await stop();
      }
      const out = runCli(['pcap', file, '--format', 'json']);
      expect(out.stdout, out.stderr).not.toBe('');
      const report = JSON.parse(out.stdout);
      expect(reportCodes(report), c.liveWhy).toEqual(liveCodes(c, 'pcap'));
      if (liveCodes(c, 'pcap').length === 0) {
        expect(report.connections.map((x: any) => [x.version, x.diagnoses[0].code])).toContainEqual(['TLS 1.2', 'HANDSHAKE_OK']);
      }
    });
  });

  describe('mutual TLS: nginx (ssl_verify_client on) judges the client certificate', () => {
    // With HTTP: nginx completes the handshake and answers the request with 400 "The SSL certificate error".
    const withCert = (host: string, id: string) => {
      const { c } = made(id);
      return probe([host, '--ca', labPaths().root, '--cert', c.chainFile, '--key', c.keyFile]).report.targets[0].diagnoses;
    };
    // A certificate for servers only (EKU serverAuth) offered as a client's: OpenSSL in nginx refuses its purpose.
    it.each(['mtls12.lab.test', 'mtls.lab.test'])(`%s refuses a serverAuth-only certificate: ${title(['CLIENT_CERT_REJECTED', 'CERT_WRONG_PURPOSE'])}`, (host) => {
      const diagnoses = withCert(host, 'server-eku-as-client');
      const codes = diagnoses.map((d: any) => d.code);
      expect(codes).toContain('CLIENT_CERT_REJECTED');
      expect(diagnoses.find((d: any) => d.code === 'CLIENT_CERT_REJECTED').evidence).toContain('a request after the handshake got: HTTP 400 "The SSL certificate error"');
      expect(codes).toContain('CERT_WRONG_PURPOSE');
    });
    it.each(['mtls12.lab.test', 'mtls.lab.test'])('%s accepts one for both purposes', (host) => {
      const codes = withCert(host, 'both-eku-as-client').map((d: any) => d.code);
      expect(codes).toContain('CLIENT_CERT_ACCEPTED');
      expect(codes).not.toContain('CLIENT_CERT_REJECTED');
      expect(codes).not.toContain('CERT_WRONG_PURPOSE');
    });
  });
});
