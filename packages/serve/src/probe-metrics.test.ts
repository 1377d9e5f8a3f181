import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { Finding, Severity } from '@tlsdoctor/diagnosis';
import type { ProbeRecord } from '@tlsdoctor/probe';
import { cert, intermediate, outcome, probeRecord } from '../../diagnosis/src/facts.fixtures.js';
import { probeMetrics, type ProbeResult } from './probe-metrics.js';

const finding = (code: string, severity: Severity): Finding => ({ code, severity, title: code, evidence: [], remedy: '' });

async function scrape(result: ProbeResult): Promise<Map<string, number>> {
  const registry = new Registry();
  probeMetrics(result, registry);
  const text = await registry.metrics();
  return new Map(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => {
        const i = l.lastIndexOf(' ');
        return [l.slice(0, i), Number(l.slice(i + 1))] as const;
      }),
  );
}

const probed = (records: { record: ProbeRecord; findings: Finding[] }[]): ProbeResult => ({ kind: 'probed', records, seconds: 1.5 });
const ok = finding('HANDSHAKE_OK', 'ok');

describe('a probe as metrics', () => {
  it('a healthy server: success, its TLS, its leaf\'s dates, each step it timed', async () => {
    const leaf = cert({ notBefore: '2026-11-01T00:00:00.000Z', notAfter: '2026-12-16T00:00:00.000Z' });
    const record = probeRecord({
      hello: { ...outcome.serverHello(), connectMs: 4 } as ProbeRecord['hello'],
      full: { ok: true, ms: 12, version: 0x0304, cipher: 'TLS_AES_128_GCM_SHA256', alpn: 'h2', chain: [leaf, { ...intermediate(), notAfter: '2030-01-01T00:00:00.000Z' }], intermediateMissing: false, anchored: true },
      hsts: { status: 204, header: 'max-age=63072000', ms: 30 },
    });
    const m = await scrape(probed([{ record, findings: [ok] }]));
    expect(m.get('tlsdoctor_probe_success')).toBe(1);
    expect(m.get('tlsdoctor_probe_timed_out')).toBe(0);
    expect(m.get('tlsdoctor_probe_duration_seconds')).toBe(1.5);
    expect(m.get('tlsdoctor_diagnosis{code="HANDSHAKE_OK",severity="ok"}')).toBe(1);
    expect(m.get('tlsdoctor_tls_info{version="TLS 1.3",cipher="TLS_AES_128_GCM_SHA256",alpn="h2"}')).toBe(1);
    expect(m.get('tlsdoctor_cert_not_before_timestamp_seconds')).toBe(Date.parse('2026-11-01T00:00:00Z') / 1000);
    expect(m.get('tlsdoctor_cert_not_after_timestamp_seconds')).toBe(Date.parse('2026-12-16T00:00:00Z') / 1000);
    // The intermediate outlives the leaf: the chain's earliest is the leaf's.
    expect(m.get('tlsdoctor_cert_chain_earliest_not_after_timestamp_seconds')).toBe(Date.parse('2026-12-16T00:00:00Z') / 1000);
    expect(m.get('tlsdoctor_http_status_code')).toBe(204);
    expect(m.get('tlsdoctor_probe_step_duration_seconds{step="dns"}')).toBe(0.001);
    expect(m.get('tlsdoctor_probe_family_success{family="ipv4"}')).toBe(1);
    expect(m.get('tlsdoctor_probe_step_duration_seconds{step="tcp"}')).toBe(0.004);
    expect(m.get('tlsdoctor_probe_step_duration_seconds{step="tls"}')).toBe(0.012);
    expect(m.get('tlsdoctor_probe_step_duration_seconds{step="http"}')).toBe(0.03);
    expect(m.get('tlsdoctor_probe_addresses')).toBe(1);
    expect(m.get('tlsdoctor_probe_not_permitted')).toBe(0);
    // Not tried, so not reported (an absent series is not a zero).
    expect(m.has('tlsdoctor_http3_success')).toBe(false);
    expect(m.has('tlsdoctor_websocket_upgraded')).toBe(false);
  });

  it('a warning is still a success; an error is not', async () => {
    const warned = await scrape(probed([{ record: probeRecord(), findings: [ok, finding('HSTS_MISSING', 'warning')] }]));
    expect(warned.get('tlsdoctor_probe_success')).toBe(1);
    expect(warned.get('tlsdoctor_diagnosis{code="HSTS_MISSING",severity="warning"}')).toBe(1);
    const failed = await scrape(probed([{ record: probeRecord({ full: { ok: false, ms: 3, chain: [], intermediateMissing: false, anchored: false, error: { message: 'x' } } }), findings: [finding('CERT_EXPIRED', 'error')] }]));
    expect(failed.get('tlsdoctor_probe_success')).toBe(0);
    expect(failed.get('tlsdoctor_diagnosis{code="CERT_EXPIRED",severity="error"}')).toBe(1);
    // No completed handshake: no TLS or certificate series, no tls step.
    expect([...failed.keys()].some((k) => k.startsWith('tlsdoctor_tls_info') || k.startsWith('tlsdoctor_cert_') || k.includes('step="tls"'))).toBe(false);
  });

  it('several addresses: one failing fails the probe; each code once; each IP version its own success', async () => {
    const v6 = probeRecord({ address: '2001:db8::10', family: 6 });
    const m = await scrape(
      probed([
        { record: probeRecord(), findings: [finding('HSTS_MISSING', 'warning')] },
        { record: v6, findings: [finding('SNI_FILTERED', 'error'), finding('HSTS_MISSING', 'warning')] },
      ]),
    );
    expect(m.get('tlsdoctor_probe_success')).toBe(0);
    expect(m.get('tlsdoctor_probe_family_success{family="ipv4"}')).toBe(1);
    expect(m.get('tlsdoctor_probe_family_success{family="ipv6"}')).toBe(0);
    expect([...m.keys()].some((k) => k.includes('2001:db8'))).toBe(false);
    expect([...m.keys()].filter((k) => k.startsWith('tlsdoctor_diagnosis{'))).toEqual(['tlsdoctor_diagnosis{code="HSTS_MISSING",severity="warning"}', 'tlsdoctor_diagnosis{code="SNI_FILTERED",severity="error"}']);
  });

  it('a name that did not resolve: no address probed is a failure, and nothing per address is made up', async () => {
    const record = probeRecord({ address: undefined, family: undefined, hello: undefined, full: undefined, dns: { addresses: [], via: 'getaddrinfo', error: { code: 'ENOTFOUND', message: 'x' }, ms: 40 } });
    const m = await scrape(probed([{ record, findings: [finding('DNS_NO_ADDRESS', 'error')] }]));
    expect(m.get('tlsdoctor_probe_success')).toBe(0);
    expect(m.get('tlsdoctor_probe_addresses')).toBe(0);
    // The failed lookup's time is the one step there is.
    expect([...m.keys()].filter((k) => k.startsWith('tlsdoctor_probe_step'))).toEqual(['tlsdoctor_probe_step_duration_seconds{step="dns"}']);
    expect(m.get('tlsdoctor_probe_step_duration_seconds{step="dns"}')).toBe(0.04);
    expect([...m.keys()].some((k) => k.startsWith('tlsdoctor_probe_family_success'))).toBe(false);
  });

  it('every address refused: no address probed is a failure even without a finding', async () => {
    const record = probeRecord({ address: undefined, family: undefined, hello: undefined, full: undefined, notPermitted: [{ check: 'address', address: '127.0.0.1', port: 443, reason: 'no' }] });
    const m = await scrape(probed([{ record, findings: [] }]));
    expect(m.get('tlsdoctor_probe_success')).toBe(0);
    expect(m.get('tlsdoctor_probe_not_permitted')).toBe(1);
  });

  it('an IP target, or a name pinned to an address, has no dns step', async () => {
    const literal = probeRecord({ dns: { addresses: [{ address: '192.0.2.10', family: 4 }], via: 'literal', ms: 0 } });
    const m = await scrape(probed([{ record: literal, findings: [ok] }]));
    expect(m.has('tlsdoctor_probe_step_duration_seconds{step="dns"}')).toBe(false);
  });

  it('a refused connection: no tcp or tls step, no TLS or certificate series', async () => {
    const record = probeRecord({ hello: outcome.connectFailed('refused', 'ECONNREFUSED'), full: undefined, hsts: undefined });
    const m = await scrape(probed([{ record, findings: [finding('TCP_REFUSED', 'error')] }]));
    expect([...m.keys()].filter((k) => k.startsWith('tlsdoctor_probe_step'))).toEqual(['tlsdoctor_probe_step_duration_seconds{step="dns"}']);
    expect([...m.keys()].some((k) => k.startsWith('tlsdoctor_tls_info') || k.startsWith('tlsdoctor_cert_') || k.startsWith('tlsdoctor_http_'))).toBe(false);
    // A hello over a connection the probe did not time: no tcp step either.
    const untimed = await scrape(probed([{ record: probeRecord({ hello: outcome.serverHello() }), findings: [ok] }]));
    expect(untimed.has('tlsdoctor_probe_step_duration_seconds{step="tcp"}')).toBe(false);
    // A handshake that says it completed but names no version: no info series made up.
    const full = { ok: true, ms: 5, chain: [], intermediateMissing: false, anchored: false };
    const noVersion = await scrape(probed([{ record: probeRecord({ full }), findings: [ok] }]));
    expect([...noVersion.keys()].some((k) => k.startsWith('tlsdoctor_tls_info'))).toBe(false);
    expect(noVersion.get('tlsdoctor_probe_step_duration_seconds{step="tls"}')).toBe(0.005);
  });

  it('a probe cut off at the deadline: failure, timed out, nothing else', async () => {
    const m = await scrape({ kind: 'timed-out', seconds: 9.5 });
    expect(Object.fromEntries(m)).toEqual({ tlsdoctor_probe_success: 0, tlsdoctor_probe_duration_seconds: 9.5, tlsdoctor_probe_timed_out: 1 });
  });

  it('connections the allow list refused are counted once each', async () => {
    const refused = { check: 'http-redirect' as const, address: '192.0.2.10', port: 80, reason: 'no' };
    const m = await scrape(
      probed([
        { record: probeRecord({ notPermitted: [refused, { ...refused, check: 'http3', port: 8443 }] }), findings: [ok] },
        { record: probeRecord({ address: '192.0.2.11', notPermitted: [refused] }), findings: [ok] },
      ]),
    );
    expect(m.get('tlsdoctor_probe_not_permitted')).toBe(2);
  });

  it('HTTP/3 and WebSocket, where tried', async () => {
    const h3 = (outcome: 'answered' | 'silent') => ({ port: 443, outcome, sent: 1, ms: 5, handshakePackets: 0 });
    const ws = (upgraded: boolean) => ({ path: '/ws', upgraded, status: upgraded ? 101 : 400 });
    const yes = await scrape(probed([{ record: probeRecord({ http3: h3('answered'), ws: ws(true) }), findings: [ok] }]));
    expect(yes.get('tlsdoctor_http3_success')).toBe(1);
    expect(yes.get('tlsdoctor_websocket_upgraded')).toBe(1);
    const no = await scrape(probed([{ record: probeRecord({ http3: h3('silent'), ws: ws(false) }), findings: [ok] }]));
    expect(no.get('tlsdoctor_http3_success')).toBe(0);
    expect(no.get('tlsdoctor_websocket_upgraded')).toBe(0);
  });

  it('an intermediate that expires before the leaf is the chain\'s earliest', async () => {
    const leaf = cert({ notAfter: '2027-06-01T00:00:00.000Z' });
    const ca = { ...intermediate(), notAfter: '2027-01-01T00:00:00.000Z' };
    const broken = cert({ error: 'unreadable', notAfter: '' });
    const full = { ok: true, ms: 5, version: 0x0303, cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', alpn: false as const, chain: [leaf, ca, broken], intermediateMissing: false, anchored: true };
    const m = await scrape(probed([{ record: probeRecord({ full }), findings: [ok] }]));
    expect(m.get('tlsdoctor_cert_chain_earliest_not_after_timestamp_seconds')).toBe(Date.parse('2027-01-01T00:00:00Z') / 1000);
    expect(m.get('tlsdoctor_tls_info{version="TLS 1.2",cipher="TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",alpn=""}')).toBe(1);
  });
});
