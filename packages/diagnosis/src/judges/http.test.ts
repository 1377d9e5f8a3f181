import { describe, expect, it } from 'vitest';
import { PROFILES } from '@tlsdoctor/probe';
import { probeRecord } from '../facts.fixtures.js';
import { judgeProbeDns } from './dns.js';
import { judgeProbeHsts, judgeProbeRedirect, judgeProbeWebSocket } from './http.js';
import { judgeProbeProfile } from './profile.js';

const codes = (fs: { code: string }[]) => fs.map((f) => f.code);

describe('HTTP judge: port 80', () => {
  it.each([
    ['not checked', undefined, []],
    ['a redirect to https', { status: 301, location: 'https://example.test/', redirectsToHttps: true }, []],
    ['content without a redirect', { status: 200, redirectsToHttps: false }, ['HTTP_NO_REDIRECT']],
    ['a redirect elsewhere', { status: 302, location: 'http://other.test/', redirectsToHttps: false }, ['HTTP_NO_REDIRECT']],
    ['nothing listening', { redirectsToHttps: false, error: 'connect ECONNREFUSED 192.0.2.10:80', errorCode: 'ECONNREFUSED' }, ['HTTP_PORT_CLOSED']],
    ['a filtered port', { redirectsToHttps: false, error: 'Connect Timeout Error', errorCode: 'UND_ERR_CONNECT_TIMEOUT' }, ['HTTP_PORT_CLOSED']],
    ['a broken answer', { redirectsToHttps: false, error: 'other side closed', errorCode: 'UND_ERR_SOCKET' }, ['HTTP_NO_REDIRECT']],
    ['an error without a code', { redirectsToHttps: false, error: 'odd' }, ['HTTP_NO_REDIRECT']],
  ])('%s', (_n, redirect, want) => {
    expect(codes(judgeProbeRedirect(probeRecord({ redirect })))).toEqual(want);
  });

  it('a closed port is information, content without a redirect a warning', () => {
    const closed = judgeProbeRedirect(probeRecord({ redirect: { redirectsToHttps: false, error: 'refused', errorCode: 'ECONNREFUSED' } }))[0];
    expect(closed.severity).toBe('info');
    expect(closed.evidence).toEqual(['http://example.test/ on 192.0.2.10:80: refused (ECONNREFUSED)']);
    const served = judgeProbeRedirect(probeRecord({ redirect: { status: 200, redirectsToHttps: false } }))[0];
    expect(served.severity).toBe('warning');
    expect(served.evidence).toEqual(['http://example.test/ on 192.0.2.10:80 answered 200 without a redirect']);
    expect(judgeProbeRedirect(probeRecord({ redirect: { status: 302, location: '/x', redirectsToHttps: false } }))[0].evidence[0]).toBe('http://example.test/ on 192.0.2.10:80 answered 302 with Location /x');
    const broken = judgeProbeRedirect(probeRecord({ redirect: { redirectsToHttps: false, error: 'odd' } }))[0];
    expect(broken.title).toBe('Port 80 does not redirect to https');
  });

  it.each([
    ['no header', { status: 200 }, ['HSTS_MISSING']],
    ['a header', { status: 200, header: 'max-age=1' }, []],
    ['an error', { error: 'x' }, []],
    ['not checked', undefined, []],
  ])('HSTS: %s', (_n, hsts, want) => {
    expect(codes(judgeProbeHsts(probeRecord({ hsts })))).toEqual(want);
  });
});

describe('HTTP judge: WebSocket', () => {
  const ws = (o: object) => judgeProbeWebSocket(probeRecord({ ws: { path: '/ws', upgraded: false, ...o } }));
  it.each([
    ['not asked', undefined],
    ['upgraded', { path: '/ws', upgraded: true, status: 101 }],
  ])('no finding when %s', (_n, w) => {
    expect(judgeProbeWebSocket(probeRecord({ ws: w }))).toEqual([]);
  });

  it.each([301, 302, 303, 307, 308])('a %s redirect shows the Location and says to use it', (status) => {
    const [f] = ws({ status, statusLine: `HTTP/1.1 ${status} Moved`, location: 'https://example.test/ws/' });
    expect(f.code).toBe('WEBSOCKET_UPGRADE_FAILED');
    expect(f.title).toBe('The WebSocket URL is redirected');
    expect(f.evidence).toEqual([`GET /ws with Upgrade: websocket got "HTTP/1.1 ${status} Moved"`, 'Location: https://example.test/ws/']);
    expect(f.remedy).toMatch(/https:\/\/example\.test\/ws\/, as wss:/);
    expect(f.remedy).not.toMatch(/proxy_set_header Upgrade/);
  });

  it('a redirect without a Location says so', () => {
    expect(ws({ status: 301, statusLine: 'HTTP/1.1 301' })[0].evidence[1]).toBe('no Location header');
  });

  it.each([200, 400, 404, 426])('%s from the backend: the proxy dropped the headers', (status) => {
    const [f] = ws({ status, statusLine: `HTTP/1.1 ${status} X` });
    expect(f.evidence[1]).toBe('the backend saw a plain request: the proxy dropped the Upgrade and Connection headers');
    expect(f.remedy).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
  });

  it.each([403, 502])('%s: no Upgrade-header fix', (status) => {
    const [f] = ws({ status, statusLine: `HTTP/1.1 ${status} X` });
    expect(f.evidence).toHaveLength(1);
    expect(f.remedy).toMatch(new RegExp(`answered the upgrade with ${status}`));
  });

  it('no HTTP answer at all', () => {
    const [f] = ws({ error: 'closed without an answer' });
    expect(f.evidence).toEqual(['GET /ws with Upgrade: websocket got closed without an answer']);
    expect(f.remedy).toMatch(/^No HTTP answer/);
  });
});

describe('profile judge', () => {
  const wechat = PROFILES['wechat-miniprogram'];
  const ipTarget = { input: '192.0.2.10', host: '192.0.2.10', port: 443, path: '/', isIp: true, scheme: 'host' as const };
  it.each([
    ['a browser needs no allow list', { allowList: ['x.test'] }, []],
    ['WeChat, an IP address', { profile: wechat, target: ipTarget }, ['DOMAIN_NOT_ALLOWED']],
    ['WeChat, a name that is an IP literal', { profile: wechat, target: { ...ipTarget, isIp: false } }, ['DOMAIN_NOT_ALLOWED']],
    ['WeChat without a list', { profile: wechat }, []],
    ['WeChat, listed', { profile: wechat, allowList: ['example.test'] }, []],
    ['WeChat, not listed', { profile: wechat, allowList: ['other.test'] }, ['DOMAIN_NOT_ALLOWED']],
    ['WeChat, another port not listed', { profile: wechat, allowList: ['example.test'], target: { ...ipTarget, host: 'example.test', isIp: false, port: 8443 } }, ['DOMAIN_NOT_ALLOWED']],
    ['WeChat, another port listed', { profile: wechat, allowList: ['example.test', 'example.test:8443'], target: { ...ipTarget, host: 'example.test', isIp: false, port: 8443 } }, []],
  ])('%s', (_n, over, want) => {
    expect(codes(judgeProbeProfile(probeRecord(over as never)))).toEqual(want);
  });

  it('says how long the list is', () => {
    const one = judgeProbeProfile(probeRecord({ profile: wechat, allowList: ['a.test'] }))[0];
    expect(one.evidence).toEqual(['example.test is not on the allow list (1 entry)']);
    const two = judgeProbeProfile(probeRecord({ profile: wechat, allowList: ['a.test', 'b.test'] }))[0];
    expect(two.evidence).toEqual(['example.test is not on the allow list (2 entries)']);
  });
});

describe('DNS judge', () => {
  it.each([
    ['an address', {}, []],
    ['NXDOMAIN', { address: undefined, dns: { addresses: [], via: 'getaddrinfo', ms: 1, error: { code: 'ENOTFOUND', message: 'x' } } }, ['DNS_NO_ADDRESS']],
    ['no data', { address: undefined, dns: { addresses: [], via: 'getaddrinfo', ms: 1, error: { code: 'ENODATA', message: 'x' } } }, ['DNS_NO_ADDRESS']],
    ['EAI_NODATA', { address: undefined, dns: { addresses: [], via: 'getaddrinfo', ms: 1, error: { code: 'EAI_NODATA', message: 'x' } } }, ['DNS_NO_ADDRESS']],
    ['no error and no address', { address: undefined, dns: { addresses: [], via: 'getaddrinfo', ms: 1 } }, ['DNS_NO_ADDRESS']],
    ['a resolver failure', { address: undefined, dns: { addresses: [], via: 'getaddrinfo', ms: 1, error: { code: 'ETIMEOUT', message: 'no answer' } } }, ['DNS_ERROR']],
  ])('%s', (_n, over, want) => {
    const fs = judgeProbeDns(probeRecord(over as never));
    expect(codes(fs)).toEqual(want);
  });

  it('evidence', () => {
    const err = { address: undefined, dns: { addresses: [], via: 'getaddrinfo' as const, ms: 1, error: { code: 'ETIMEOUT', message: 'no answer' } } };
    expect(judgeProbeDns(probeRecord(err))[0].evidence).toEqual(['getaddrinfo(example.test) failed: ETIMEOUT: no answer']);
    const nx = { address: undefined, dns: { addresses: [], via: 'getaddrinfo' as const, ms: 1, error: { code: 'ENOTFOUND', message: 'x' } } };
    expect(judgeProbeDns(probeRecord(nx))[0].evidence).toEqual(['getaddrinfo(example.test) found no address (ENOTFOUND): neither the hosts file nor DNS has an A or AAAA record']);
  });
});

describe('HTTP, profile and DNS: evidence and edges', () => {
  it.each(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNREFUSED'])('%s on port 80 is a closed port', (errorCode) => {
    expect(codes(judgeProbeRedirect(probeRecord({ redirect: { redirectsToHttps: false, error: 'x', errorCode } })))).toEqual(['HTTP_PORT_CLOSED']);
  });

  it('evidence', () => {
    expect(judgeProbeRedirect(probeRecord({ redirect: { redirectsToHttps: false, error: 'odd' } }))[0].evidence).toEqual(['http://example.test/ on 192.0.2.10:80: odd']);
    expect(judgeProbeHsts(probeRecord({ hsts: { status: 200 } }))[0].evidence).toEqual(['https://example.test/ answered 200 without Strict-Transport-Security']);
    const wechat = PROFILES['wechat-miniprogram'];
    expect(judgeProbeProfile(probeRecord({ profile: wechat, target: { input: '192.0.2.10', host: '192.0.2.10', port: 443, path: '/', isIp: true, scheme: 'host' } }))[0].evidence).toEqual(['192.0.2.10 is an IP address: mini-programs only reach domain names on their allow list']);
    expect(judgeProbeProfile(probeRecord({ profile: wechat, allowList: ['example.test'], target: { input: 'x', host: 'example.test', port: 8443, path: '/', isIp: false, scheme: 'host' } }))[0].evidence).toEqual(['port 8443: an https entry without a port allows no explicit port']);
    expect(judgeProbeDns(probeRecord({ address: undefined, dns: { addresses: [], via: 'getaddrinfo', ms: 1 } }))[0].evidence).toEqual(['getaddrinfo(example.test) found no address: neither the hosts file nor DNS has an A or AAAA record']);
  });

  it('a redirect fix names the path to use', () => {
    const [f] = judgeProbeWebSocket(probeRecord({ ws: { path: '/ws', upgraded: false, status: 301, location: '/ws/' } }));
    expect(f.remedy).toBe('WebSocket clients do not follow redirects. Connect to the URL the server redirects to (/ws/, as wss://), or make the server answer the upgrade at /ws (nginx: a `location` that matches /ws exactly, e.g. `location = /ws` beside `location /ws/`).');
    const [none] = judgeProbeWebSocket(probeRecord({ ws: { path: '/ws', upgraded: false, status: 302 } }));
    expect(none.remedy).toMatch(/^WebSocket clients do not follow redirects\. Connect to the URL the server redirects to, or/);
  });
});
