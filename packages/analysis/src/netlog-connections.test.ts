import { describe, expect, it } from 'vitest';
import { fallbackNames, type NetlogEvent, type NetlogNames, type Phase } from '@tlsdoctor/netlog';
import { PublicRoots } from './chain-check.js';
import { endpointOf, groupTarget, NetlogConnections } from './netlog-connections.js';
import type { NetlogRecord } from './record.js';

const NAMES: NetlogNames = { ...fallbackNames(), timeTickOffset: 1_700_000_000_000, clockAnchored: true, fallback: undefined };

/** Events as a log lists them: [source id, source type, event type, phase, params]. */
type Row = [number, string, string, Phase, Record<string, unknown>?];

function read(rows: Row[], names = NAMES): NetlogRecord[] {
  const out: NetlogRecord[] = [];
  const c = new NetlogConnections(new PublicRoots(), (r) => out.push(r));
  rows.forEach(([sourceId, sourceType, type, phase, params], index) => c.event({ index, time: index, type, phase, sourceId, sourceType, params } satisfies NetlogEvent, names));
  c.finish();
  return out;
}

const job = (id: number, group: string, socket: number): Row[] => [
  [id, 'SSL_CONNECT_JOB', 'SOCKET_POOL_CONNECT_JOB_CREATED', 'none', { group_id: group }],
  [socket, 'SOCKET', 'SOCKET_ALIVE', 'begin', { source_dependency: { id, type: 5 } }],
];

describe('NetlogConnections', () => {
  it('makes one record per socket, named by its pool group, with its connect and its end', () => {
    const [r] = read([
      ...job(1, 'https://api.example.test:8443 <null>', 2),
      [2, 'SOCKET', 'TCP_CONNECT', 'begin', { address_list: ['192.0.2.1:8443'] }],
      [2, 'SOCKET', 'TCP_CONNECT_ATTEMPT', 'begin', { address: '192.0.2.1:8443' }],
      [2, 'SOCKET', 'TCP_CONNECT_ATTEMPT', 'end', { os_error: 111 }],
      [2, 'SOCKET', 'TCP_CONNECT', 'end', { net_error: -102 }],
      [2, 'SOCKET', 'SOCKET_ALIVE', 'end'],
    ]);
    expect(r).toMatchObject({ kind: 'tcp', id: 2, host: 'api.example.test', port: 8443, server: { ip: '192.0.2.1', port: 8443 }, cut: false, firstEvent: 1, lastEvent: 6 });
    expect(r.connect?.end?.error).toMatchObject({ code: -102, name: 'ERR_CONNECTION_REFUSED', frame: 5 });
    expect(r.connect?.attempts).toEqual([{ address: '192.0.2.1:8443', frame: 3, time: 1_700_000_000.003, ms: 1, osError: 111 }]);
  });

  it('leaves out the sockets of plain http:// (TCP_CONNECT_JOB, as Chromium 156 names their jobs)', () => {
    const c = new NetlogConnections(new PublicRoots(), () => {});
    const rows: Row[] = [
      [1, 'TCP_CONNECT_JOB', 'SOCKET_POOL_CONNECT_JOB_CREATED', 'none', { group_id: 'pm/http://example.test <null>' }],
      [2, 'SOCKET', 'SOCKET_ALIVE', 'begin', { source_dependency: { id: 1 } }],
      [2, 'SOCKET', 'SOCKET_ALIVE', 'end'],
    ];
    rows.forEach(([sourceId, sourceType, type, phase, params], index) => c.event({ index, time: index, type, phase, sourceId, sourceType, params }, NAMES));
    c.finish();
    expect(c.plain).toBe(1);
  });

  it('gives a verifier\'s verdict to the sockets bound to its job only', () => {
    const recs = read([
      ...job(1, 'https://a.example.test <null>', 2),
      ...job(3, 'https://b.example.test <null>', 4),
      [9, 'CERT_VERIFIER_JOB', 'CERT_VERIFIER_JOB', 'begin', {}],
      [2, 'SOCKET', 'CERT_VERIFIER_REQUEST_BOUND_TO_JOB', 'none', { source_dependency: { id: 9 } }],
      [9, 'CERT_VERIFIER_JOB', 'CERT_VERIFIER_JOB', 'end', { net_error: -201, cert_status: 2 }],
      [2, 'SOCKET', 'SOCKET_ALIVE', 'end'],
      [4, 'SOCKET', 'SOCKET_ALIVE', 'end'],
    ]);
    expect(recs.find((r) => r.id === 2)?.verify).toMatchObject({ error: { name: 'ERR_CERT_DATE_INVALID' }, status: ['DATE_INVALID'] });
    expect(recs.find((r) => r.id === 4)?.verify).toBeUndefined();
  });

  it('a name that never resolved is a request record; a socket open at the log\'s end is cut', () => {
    const recs = read([
      [1, 'SSL_CONNECT_JOB', 'SOCKET_POOL_CONNECT_JOB_CREATED', 'none', { group_id: 'https://nx.example.test <null>' }],
      [1, 'SSL_CONNECT_JOB', 'SSL_CONNECT_JOB_CONNECT', 'end', { net_error: -105 }],
      ...job(3, 'https://open.example.test <null>', 4),
    ]);
    expect(recs.map((r) => [r.kind, r.host, r.cut, r.dns?.name])).toEqual([
      ['request', 'nx.example.test', false, 'ERR_NAME_NOT_RESOLVED'],
      ['tcp', 'open.example.test', true, undefined],
    ]);
  });

  it('takes hostile params without throwing, and keeps at most a few of each list', () => {
    const hostile = { toString: 1, valueOf: 1 };
    const many = Array.from({ length: 1000 }, (_, i) => `192.0.2.${i % 250}:443`);
    const [r] = read([
      ...job(1, 'https://h.example.test <null>', 2),
      [2, 'SOCKET', 'TCP_CONNECT', 'begin', { address_list: [hostile, ...many] }],
      ...Array.from({ length: 100 }, (): Row => [2, 'SOCKET', 'TCP_CONNECT_ATTEMPT', 'begin', { address: hostile }]),
      [2, 'SOCKET', 'SSL_CERTIFICATES_RECEIVED', 'none', { certificates: [hostile, 'not a pem'] }],
      [2, 'SOCKET', 'SSL_HANDSHAKE_MESSAGE_SENT', 'none', { bytes: 'AQAAAQ==', type: 1 }],
      [2, 'SOCKET', 'SSL_ALERT_RECEIVED', 'none', { bytes: hostile }],
      [2, 'SOCKET', 'SOCKET_BYTES_RECEIVED', 'none', { byte_count: hostile, bytes: 'SFRUUC8xLjEgNDAw'.repeat(100) }],
      [2, 'SOCKET', 'SOCKET_ALIVE', 'end'],
    ]);
    expect(r.connect?.addresses).toHaveLength(16);
    expect(r.connect?.attempts).toHaveLength(16);
    expect(r.parseErrors.length).toBe(1);
    expect(r.firstServerBytes?.length).toBe(64);
    expect(r.firstServerBytes?.buffer.byteLength).toBe(64);
  });

  it.each([
    ['https://expired.lab.test <https://lab.test same_site>', { scheme: 'https', host: 'expired.lab.test' }],
    ['pm/https://update.example.test:8443 <null>', { scheme: 'https', host: 'update.example.test', port: 8443 }],
    ['dsd/pm/http://[2001:db8::1]:8080 <null>', { scheme: 'http', host: '2001:db8::1', port: 8080 }],
    ['no group', undefined],
  ])('reads the pool group %s', (group, want) => {
    expect(groupTarget(group)).toEqual(want);
  });

  it.each([
    ['198.18.2.14:443', { ip: '198.18.2.14', port: 443 }],
    ['[fd7d:2::10]:443', { ip: 'fd7d:2::10', port: 443 }],
    ['no port', undefined],
  ])('reads the address %s', (text, want) => {
    expect(endpointOf(text)).toEqual(want);
  });
});
