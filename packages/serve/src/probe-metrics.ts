import { Gauge, Registry } from 'prom-client';
import type { Finding } from '@tlsdoctor/diagnosis';
import type { ProbeRecord } from '@tlsdoctor/probe';
import { versionName } from '@tlsdoctor/tls-parser-ts';

/** What one probe of one target found, as the exporter answers it. */
export type ProbeResult =
  | {
      kind: 'probed';
      /** One record per address probed (or one without an address when none was). */
      records: { record: ProbeRecord; findings: Finding[] }[];
      seconds: number;
    }
  /** The probe did not end within the scrape's deadline: nothing it found so far is reported. */
  | { kind: 'timed-out'; seconds: number };

/**
 * Every metric of one probe, in the registry given. Series that need an observation are left
 * out when nothing was observed (no leaf: no notAfter; HTTP/3 not tried: no HTTP/3 series), as
 * blackbox_exporter does, so that an absent series never reads as zero.
 */
export function probeMetrics(result: ProbeResult, registry: Registry): void {
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  const success = gauge('tlsdoctor_probe_success', 'Whether the probe found no error-level diagnosis (1) or did (0).');
  gauge('tlsdoctor_probe_duration_seconds', 'How long the whole probe took.').set(result.seconds);
  gauge('tlsdoctor_probe_timed_out', 'Whether the probe was cut off at the scrape deadline (1), so that nothing else was reported.').set(result.kind === 'timed-out' ? 1 : 0);
  if (result.kind === 'timed-out') return success.set(0);

  const records = result.records;
  const probed = records.filter((r) => r.record.address !== undefined);
  const findings = records.flatMap((r) => r.findings);
  success.set(probed.length > 0 && !findings.some((f) => f.severity === 'error') ? 1 : 0);

  // Each code once, whichever addresses it was found on: an alert names the code, not the address.
  const diagnosis = gauge('tlsdoctor_diagnosis', 'A diagnosis of the probe (1), labelled with its code and severity.', ['code', 'severity']);
  for (const f of findings) diagnosis.set({ code: f.code, severity: f.severity }, 1);
  const first = records[0]?.record;
  if (first) gauge('tlsdoctor_probe_dns_lookup_seconds', 'How long resolving the target took.').set(first.dns.ms / 1000);
  gauge('tlsdoctor_probe_addresses', 'Addresses the target resolved to (or was given as).').set(first ? first.dns.addresses.length : 0);
  const notPermitted = records.flatMap((r) => r.record.notPermitted ?? []);
  const refused = new Set(notPermitted.map((n) => `${n.check} ${n.address} ${n.port}`));
  gauge('tlsdoctor_probe_not_permitted', 'Connections the probe left out because the allow list refused them.').set(refused.size);

  const perAddress = gauge('tlsdoctor_probe_address_success', 'Per address probed: no error-level diagnosis (1) or some (0).', ['address', 'family']);
  for (const { record, findings } of probed) perAddress.set({ address: record.address!, family: `ipv${record.family ?? 4}` }, findings.some((f) => f.severity === 'error') ? 0 : 1);

  // Steps, TLS and certificate series describe one address: the first one probed, the one a client tries first.
  const main = probed[0]?.record;
  if (!main) return;
  const steps = gauge('tlsdoctor_probe_step_duration_seconds', 'How long each step took on the first address: dns, tcp (connect), tls (a full handshake, connect included), http (the GET of /).', ['step']);
  steps.set({ step: 'dns' }, main.dns.ms / 1000);
  const hello = main.hello;
  if (hello && hello.kind !== 'connect-failed' && hello.connectMs !== undefined) steps.set({ step: 'tcp' }, hello.connectMs / 1000);
  if (main.full?.ok) steps.set({ step: 'tls' }, main.full.ms / 1000);
  if (main.hsts?.ms !== undefined) steps.set({ step: 'http' }, main.hsts.ms / 1000);

  const full = main.full;
  if (full?.ok && full.version !== undefined) {
    gauge('tlsdoctor_tls_info', 'The negotiated TLS version, cipher suite and ALPN protocol of a full handshake (1).', ['version', 'cipher', 'alpn']).set(
      { version: versionName(full.version), cipher: full.cipher ?? '', alpn: full.alpn || '' },
      1,
    );
  }
  const leaf = full?.chain[0];
  if (leaf && !leaf.error) {
    gauge('tlsdoctor_cert_not_after_timestamp_seconds', 'The leaf certificate\'s notAfter, as a Unix time.').set(Date.parse(leaf.notAfter) / 1000);
    gauge('tlsdoctor_cert_not_before_timestamp_seconds', 'The leaf certificate\'s notBefore, as a Unix time.').set(Date.parse(leaf.notBefore) / 1000);
    const readable = full!.chain.filter((c) => !c.error);
    const earliest = Math.min(...readable.map((c) => Date.parse(c.notAfter)));
    gauge('tlsdoctor_cert_chain_earliest_not_after_timestamp_seconds', 'The earliest notAfter of the certificates the server sent (an intermediate can expire first).').set(earliest / 1000);
  }
  if (main.hsts?.status !== undefined) gauge('tlsdoctor_http_status_code', 'The status of the GET of / over HTTPS.').set(main.hsts.status);
  if (main.http3) gauge('tlsdoctor_http3_success', 'Whether a QUIC Initial to the HTTP/3 port got a server hello (1) or not (0).').set(main.http3.outcome === 'answered' ? 1 : 0);
  if (main.ws) gauge('tlsdoctor_websocket_upgraded', 'Whether the WebSocket path upgraded (101) (1) or not (0).').set(main.ws.upgraded ? 1 : 0);
}
