// Every capture fixture, recorded in the lab with real clients and servers, must get the
// diagnosis its sidecar names, with the key evidence, and its JSON must follow the schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureFiles, ROOT } from './helpers/fixtures.js';
import { runCli } from './helpers/cli.js';
import { validate } from './helpers/schema.js';
import { tsharkAvailable, tsharkFields } from './helpers/tshark.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'docs', 'report.schema.json'), 'utf8'));

/** The evidence each diagnosis must show, beyond its code. */
const KEY_EVIDENCE: Record<string, RegExp[]> = {
  RESET_AFTER_CLIENT_HELLO: [/ClientHello in frame \d+/, /RST.* from the server side in frame \d+/, /TTL 64 differs from the SYN-ACK's 63/, /looks injected/],
  TCP_TIMEOUT: [/\d+ SYN\(s\) to /, /no SYN-ACK, RST or ICMP/],
  TCP_REFUSED: [/RST\/ACK from 198\.18\.2\.22:443/],
  TCP_UNREACHABLE: [/ICMP communication administratively prohibited \(type 3, code 13\) from 198\.18\.1\.1/],
  PLAINTEXT_HTTP_ON_TLS_PORT: [/plain HTTP response "HTTP\/1\.1 400 Bad Request"/],
  NOT_TLS: [/binary data starting 00ff1337/],
  // The server's answer names the mistake: nginx's page title, quoted.
  HTTP_TO_TLS_PORT: [/^the client sent plain HTTP request "GET \/ HTTP\/1\.1" in frame \d+ to TLS port 443$/m, /^the server answered in frame \d+ \(\+[\d.]+ ms\) with the line "HTTP\/1\.1 400 Bad Request", titled "400 The plain HTTP request was sent to HTTPS port"$/m],
  NO_SERVER_HELLO: [/the server sent no byte/],
  PROTOCOL_VERSION_MISMATCH: [/the client offered TLS 1\.[23]/],
  NO_SHARED_CIPHER: [/alert Handshake Failure \(40\) from the server/],
  CERT_EXPIRED: [/Certificate (Expired \(45\)|Unknown \(46\)) from the client/],
  CERT_HOSTNAME_MISMATCH: [/the SNI (wrongname|wrongname13|expiredwrong)\.lab\.test is not among the SANs/],
  CERT_SELF_SIGNED: [/its own issuer/],
  CERT_CHAIN_INCOMPLETE: [/only the leaf was sent/],
  HANDSHAKE_OK: [/TLS 1\.[0-3]( \(draft \d+\))?, TLS_/],
  CERT_NOT_YET_VALID: [/notBefore 20\d\d-.* is \d+ (d|h|min|s)( \d+ (h|min|s))? after the capture time .*: a client clock that far behind, or a certificate issued with a future start/],
  CERT_UNTRUSTED: [/Unknown CA \(48\) from the client/],
  CLIENT_ABORTED: [/the server sent \d+ encrypted record/, /the client sent 1 encrypted record\(s\) of 19 bytes: the size of an alert, not a Finished/],
  TLS_ALERT: [/alert Decode Error \(50\) from the server/],
  MTU_BLACKHOLE: [/the ClientHello left in 2 segments: 1448 bytes \(frame \d+\), \d+ bytes/, /the 1448-byte segment was sent [3-9] times .* the server never acknowledged it/, /SACK 1449-\d+/, /^no ICMP fragmentation needed and DF set for this connection came back in the capture$/m],
  SPLIT_CLIENT_HELLO_REJECTED: [/the client sent the first 40 bytes of the \d+-byte ClientHello record/, /RST from the server side in frame \d+/, /connection 1 to the same server 198\.18\.2\.36:443, whose ClientHello fit in one segment/],
  CLIENT_CERT_REQUIRED: [/CertificateRequest from the server in frame \d+/, /the client (answered with an empty Certificate|sent no Certificate)/],
  // The client's own certificate, read from its Certificate message (TLS 1.3: opened with the key log).
  CERT_WRONG_PURPOSE: [/^the client sent 2 certificate\(s\) in frame \d+( \(opened with the key log\))?: CN=\*\.lab\.test, issued by CN=tlsdoctor Lab Intermediate CA$/m, /^the leaf's extendedKeyUsage is serverAuth: no clientAuth, so it is not a client certificate$/m],
  CAPTURE_PARTIAL: [/neither the start of the connection \(SYN\) nor a ClientHello|most likely an ICMP error .* that the capture filter left out/],
};

/**
 * Over IPv6 where the evidence differs: 40 bytes of IP header leave 1,428 bytes of a 1,500-byte
 * packet to TCP, and the ICMP that did not come back is ICMPv6.
 */
const KEY_EVIDENCE_IPV6: Record<string, RegExp[]> = {
  MTU_BLACKHOLE: [/the ClientHello left in 2 segments: 1428 bytes \(frame \d+\), \d+ bytes/, /the 1428-byte segment was sent [3-9] times .* the server never acknowledged it/, /SACK 1429-\d+/, /^no ICMPv6 packet too big for this connection came back in the capture$/m],
};

/**
 * Fixtures whose key evidence is their own, in place of their code's: a black hole behind which
 * the path's ICMP did come back and the client's firewall dropped it: the segment, its resends,
 * the SACK, and the ICMP that came back while the full-size segment kept going out.
 */
const KEY_EVIDENCE_BY_FIXTURE: Record<string, RegExp[]> = {
  // nginx's refusal after a TLS 1.3 handshake, read with the key log: the status line alone.
  'curl-client-cert-required-nginx-tls13.pcap': [
    /CertificateRequest from the server in frame \d+/, /the client answered with an empty Certificate/,
    /^the server's first application data record \(frame \d+, \+[\d.]+ ms\), opened with the key log's SERVER_TRAFFIC_SECRET_0, begins "HTTP\/1\.1 400 Bad Request" \(only this line of the application data is read\)$/m,
  ],
  'chromium-mtu-blackhole-ptb-dropped-ipv6.pcap': [
    /the ClientHello left in 2 segments: 1428 bytes \(frame \d+\), \d+ bytes/, /the 1428-byte segment was sent \d+ times .* the server never acknowledged it/, /SACK 1429-\d+/,
    /^ICMPv6 packet too big \(MTU 1280\) came back from fd7d:1::1 in frame \d+ .*, yet the client sent the 1428-byte segment whole again \(frame \d+\)/m,
  ],
  'chromium-mtu-blackhole-frag-needed-dropped.pcap': [
    /the ClientHello left in 2 segments: 1448 bytes \(frame \d+\), \d+ bytes/, /the 1448-byte segment was sent \d+ times .* the server never acknowledged it/, /SACK 1449-\d+/,
    /^ICMP fragmentation needed and DF set \(MTU 1000\) came back from 198\.18\.1\.1 in frame \d+ .*, yet the client sent the 1448-byte segment whole again \(frame \d+\)/m,
  ],
};

/** Fixes that must fit the case, beyond the code's own text. */
const KEY_REMEDY: Record<string, RegExp> = {
  RESET_AFTER_CLIENT_HELLO: /ICP filing.*corporate firewall, secure web gateway or IPS/,
  CLIENT_ABORTED: /In TLS 1\.3 the certificate and the client's alert are encrypted/,
  CERT_HOSTNAME_MISMATCH: /renewal with the same names will not fix it/,
  CAPTURE_PARTIAL: /'tcp port 443 or udp port 443 or icmp or icmp6'/,
};

describe.each(fixtureFiles().map((f) => [f.name, f] as const))('tlsdoctor pcap fixtures/%s', (_name, fx) => {
  // A capture recorded with its client's key log is diagnosed with it; without it, as before.
  const keylog = fx.sidecar.keylog ? ['--keylog', join(ROOT, 'fixtures', fx.sidecar.keylog)] : [];
  const run = runCli(['pcap', fx.path, '--format', 'json', ...keylog]);
  const report = JSON.parse(run.stdout);

  // A known gap (`gap` in the sidecar): tlsdoctor says something else today, and is held to that
  // until the gap is closed; then this fails, and the gap comes out of the sidecar and the recording.
  const gap = fx.sidecar.gap;
  const today = gap?.primary ?? fx.sidecar.expect.primary;
  it(`names ${fx.sidecar.expect.primary}${fx.sidecar.expect.also ? ` and ${fx.sidecar.expect.also.join(', ')}` : ''}${gap ? ` (known gap: says ${gap.primary} today)` : ''}`, () => {
    // As many connections as tshark counted when the fixture was recorded (one unless it says).
    expect(report.connections).toHaveLength(fx.sidecar.connections ?? 1);
    const codes = report.connections[0].diagnoses.map((d: { code: string }) => d.code);
    expect(codes[0], gap ? `known gap: ${gap.why}` : undefined).toBe(today);
    for (const also of fx.sidecar.expect.also ?? []) expect(codes).toContain(also);
    for (const not of fx.sidecar.expect.not ?? []) expect(codes).not.toContain(not);
    for (const c of report.connections.slice(1)) expect(c.diagnoses[0].code, `connection ${c.id}`).toBe(fx.sidecar.expect.others ?? today);
  });

  it.skipIf(!!gap)('shows the key evidence and a fix that fits', () => {
    const primary = report.connections[0].diagnoses[0];
    const ipv6 = report.connections[0].server.ip.includes(':');
    for (const re of KEY_EVIDENCE_BY_FIXTURE[fx.name] ?? (ipv6 ? KEY_EVIDENCE_IPV6[fx.sidecar.expect.primary] : undefined) ?? KEY_EVIDENCE[fx.sidecar.expect.primary] ?? []) expect(primary.evidence.join('\n')).toMatch(re);
    const fix = KEY_REMEDY[fx.sidecar.expect.primary];
    if (fix) expect(primary.remedy).toMatch(fix);
  });

  // Only a capture recorded with its key log has an answer from before the key log was read.
  if (fx.sidecar.keylog) {
    it(`without its key log: ${fx.sidecar.withoutKeylog}, as before it was read`, () => {
      const plain = JSON.parse(runCli(['pcap', fx.path, '--format', 'json']).stdout);
      expect(plain.connections.map((c: { diagnoses: { code: string }[] }) => c.diagnoses[0].code)).toEqual(report.connections.map(() => fx.sidecar.withoutKeylog));
      expect(plain.input.files[0].decryption).toBeUndefined();
      expect(report.input.files[0].decryption).toEqual({ sessions: report.connections.length, connections: report.connections.length, decrypted: report.connections.length, unopened: 0, notOpened: [] });
      for (const c of report.connections) expect(c.facts.decryption, `connection ${c.id}`).toMatchObject({ secrets: true, notOpened: null });
    });
  }

  it('exits 1 on an error-level finding, 0 otherwise', () => {
    const error = report.connections.some((c: { diagnoses: { severity: string }[] }) => c.diagnoses.some((d) => d.severity === 'error'));
    expect(run.code).toBe(error ? 1 : 0);
    expect(run.stderr).toBe('');
  });

  it('gives JSON that follows docs/report.schema.json', () => {
    expect(validate(report, schema)).toEqual([]);
  });
});

// A fixture recorded to show ICMP coming back (path-MTU discovery) or not (a black hole) holds
// exactly the ICMP errors its sidecar lists, as tshark reads them.
const withIcmp = fixtureFiles().filter((f) => f.sidecar.icmp);
describe.skipIf(!tsharkAvailable() || withIcmp.length === 0)('ICMP errors the sidecars name', () => {
  it.each(withIcmp.map((f) => [f.name, f] as const))('%s', (_name, fx) => {
    const rows = tsharkFields(fx.path, ['frame.number', 'ip.src', 'ipv6.src', 'icmp.type', 'icmp.code', 'icmp.mtu', 'icmpv6.type', 'icmpv6.code', 'icmpv6.mtu'], '(icmp && icmp.type in {3,4,5,11,12}) || (icmpv6 && icmpv6.type < 128)');
    // The outer header's fields come first; the packet an ICMP error quotes follows.
    const first = (v: string) => v.split(',')[0];
    const seen = rows.map((r) => {
      const v6 = r['icmpv6.type'] !== '';
      const mtu = first(v6 ? r['icmpv6.mtu'] : r['icmp.mtu']);
      return { frame: Number(r['frame.number']), from: first(v6 ? r['ipv6.src'] : r['ip.src']), protocol: v6 ? 'ICMPv6' : 'ICMP', type: Number(first(v6 ? r['icmpv6.type'] : r['icmp.type'])), code: Number(first(v6 ? r['icmpv6.code'] : r['icmp.code'])), ...(mtu ? { mtu: Number(mtu) } : {}) };
    });
    expect(seen).toEqual(fx.sidecar.icmp);
  });
});

describe('segmentation offload', () => {
  it('reads a frame larger than the MSS as the segments it became, and says so once per file', () => {
    const r = JSON.parse(runCli(['pcap', join(ROOT, 'fixtures', 'chromium-tso-handshake-ok.pcap'), '--format', 'json']).stdout);
    expect(r.input.files[0].warnings).toEqual([expect.stringMatching(/^2 connection\(s\) hold frames larger than the MSS their peer announced \(first: frame \d+, 19\d\d bytes against an MSS of 14\d0\): .*TSO\/GSO/)]);
    expect(r.connections.map((c: { diagnoses: { code: string }[] }) => c.diagnoses[0].code)).toEqual(['HANDSHAKE_OK', 'HANDSHAKE_OK']);
  });

  it('says nothing of offload where every segment fits the MSS', () => {
    const r = JSON.parse(runCli(['pcap', join(ROOT, 'fixtures', 'chromium-handshake-ok.pcap'), '--format', 'json']).stdout);
    expect(r.input.files[0].warnings).toEqual([]);
  });
});

// One cause, one error: a black hole's hello also got no ServerHello, but that is its effect, not
// a second error with a fix of its own (overloaded servers).
describe('a black hole is one error', () => {
  it.each(fixtureFiles().filter((f) => f.name.startsWith('chromium-mtu-blackhole')).map((f) => [f.name, f] as const))('%s', (_name, fx) => {
    const report = JSON.parse(runCli(['pcap', fx.path, '--format', 'json']).stdout);
    expect(report.connections.length).toBeGreaterThan(0);
    for (const c of report.connections) {
      const errors = c.diagnoses.filter((d: { severity: string }) => d.severity === 'error').map((d: { code: string }) => d.code);
      expect(errors, `connection ${c.id}`).toEqual(['MTU_BLACKHOLE']);
    }
  });
});

// A SYN that met a stale connection, reset, and sent again (the same ISN) is one attempt, its
// late start named: recorded in the lab (Linux resends 11 ms later), and derived with the resend
// 13 s later and another connection in the gap, which once split it into two rows.
describe('a SYN that met a stale connection is one row', () => {
  it.each([
    ['curl-syn-challenge-ack.pcap', 'info', /went out again in frame 4, 1\d\.\d ms after the first/],
    ['derived-syn-challenge-ack-13s.pcap', 'warning', /went out again in frame \d+, 13\d{3}\.\d ms after the first/],
  ])('%s', (name, severity, late) => {
    const report = JSON.parse(runCli(['pcap', join(ROOT, 'fixtures', name), '--format', 'json']).stdout);
    const rows = report.connections.filter((c: { client: { port: number } }) => c.client.port === 44605);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row.sni).toBe('good.lab.test');
    expect(row.diagnoses.map((d: { code: string }) => d.code)).toEqual(['HANDSHAKE_OK', 'TCP_STALE_CONNECTION']);
    const stale = row.diagnoses[1];
    expect(stale.severity).toBe(severity);
    expect(stale.evidence.join('\n')).toMatch(/answered in frame 2 \(\+0\.04 ms\) by an ACK of \d+, not of the SYN \(\d+\), and no SYN-ACK/);
    expect(stale.evidence.join('\n')).toMatch(/^that ACK has the SYN-ACK's TTL \(63\): the server itself held the old connection$/m);
    expect(stale.evidence.join('\n')).toMatch(/^the client reset it in frame 3 \(RST at \d+, the sequence number that ACK asked for/m);
    expect(stale.evidence.join('\n')).toMatch(late);
    // The picture shows the challenge ACK, and the client's reset does not end the connection.
    const steps = row.facts.ladder.steps.map((s: { frame: number; what: string; ends?: boolean }) => `${s.frame}${s.ends ? ' ends' : ''}: ${s.what}`);
    expect(steps.slice(0, 3)).toEqual(['1: SYN', expect.stringMatching(/^2: ACK of \d+, not of the SYN \(a challenge ACK: another connection on these ports\), TTL 63$/), '3: RST, TTL 64']);
  });
});
