import { describe, expect, it } from 'vitest';
import { PROFILES } from '@tlsdoctor/probe';
import { probeRecord } from '../facts.fixtures.js';
import { judgeProbeDns } from './dns.js';
import { judgeProbeHsts, judgeProbeHttpsRedirects, judgeProbeMisdirected, judgeProbeRedirect, judgeProbeWebSocket } from './http.js';
import { judgeProbeProfile } from './profile.js';

const codes = (fs: { code: string }[]) => fs.map((f) => f.code);

const H = 'http://example.test/';
const S = 'https://example.test/';
const answer = (url: string, status: number, location?: string, hsts?: string) => ({ url, status, ...(location !== undefined ? { location } : {}), ...(hsts !== undefined ? { hsts } : {}) });
const failed = (url: string, error: string, errorCode?: string) => ({ url, error, ...(errorCode ? { errorCode } : {}) });
const port80 = (hops: object[], stopped?: 'loop' | 'limit') => judgeProbeRedirect(probeRecord({ redirect: { hops: hops as never, ...(stopped ? { stopped } : {}) } }));
const https = (hsts: object) => [...judgeProbeHttpsRedirects(probeRecord({ hsts })), ...judgeProbeHsts(probeRecord({ hsts }))];

describe('HTTP judge: port 80', () => {
  it.each([
    ['not checked', undefined, []],
    ['no request made', { hops: [] }, []],
    ['a redirect to https', { hops: [answer(H, 301, S), answer(S, 200)] }, []],
    ['a relative redirect that stays on http', { hops: [answer(H, 301, '/home'), answer(`${H}home`, 200)] }, ['HTTP_NO_REDIRECT']],
    ['content without a redirect', { hops: [answer(H, 200)] }, ['HTTP_NO_REDIRECT']],
    ['a 301 without Location', { hops: [answer(H, 301)] }, ['HTTP_NO_REDIRECT']],
    ['a redirect to http elsewhere that serves content', { hops: [answer(H, 302, 'http://other.test/'), answer('http://other.test/', 200)] }, ['HTTP_REDIRECT_ELSEWHERE', 'HTTP_NO_REDIRECT']],
    ['a redirect to https on another host', { hops: [answer(H, 301, 'https://www.example.test/'), answer('https://www.example.test/', 200)] }, ['HTTP_REDIRECT_ELSEWHERE']],
    ['a redirect to https on the same host, another port', { hops: [answer(H, 301, 'https://example.test:8443/'), answer('https://example.test:8443/', 200)] }, ['HTTP_REDIRECT_ELSEWHERE']],
    ['a redirect to a port that refuses', { hops: [answer(H, 301, 'https://example.test:8443/'), failed('https://example.test:8443/', 'connect ECONNREFUSED', 'ECONNREFUSED')] }, ['HTTP_REDIRECT_TARGET_FAILED']],
    ['a loop through https', { hops: [answer(H, 301, S), answer(S, 301, H)] }, ['HTTP_REDIRECT_LOOP'], 'loop'],
    ['too many redirects', { hops: Array.from({ length: 10 }, (_, i) => answer(`${S}${i}`, 302, `${S}${i + 1}`)) }, ['HTTP_REDIRECT_LOOP'], 'limit'],
    ['nothing listening', { hops: [failed(H, 'connect ECONNREFUSED 192.0.2.10:80', 'ECONNREFUSED')] }, ['HTTP_PORT_CLOSED']],
    ['a filtered port', { hops: [failed(H, 'Connect Timeout Error', 'UND_ERR_CONNECT_TIMEOUT')] }, ['HTTP_PORT_CLOSED']],
    ['a broken answer', { hops: [failed(H, 'other side closed', 'UND_ERR_SOCKET')] }, ['HTTP_NO_REDIRECT']],
    ['an error without a code', { hops: [failed(H, 'odd')] }, ['HTTP_NO_REDIRECT']],
  ] as [string, { hops: object[] } | undefined, string[], ('loop' | 'limit')?][])('%s', (_n, redirect, want, stopped) => {
    const r = redirect ? { hops: redirect.hops as never, ...(stopped ? { stopped } : {}) } : undefined;
    expect(codes(judgeProbeRedirect(probeRecord({ redirect: r })))).toEqual(want);
  });

  it('a closed port is information, content without a redirect a warning', () => {
    const closed = port80([failed(H, 'refused', 'ECONNREFUSED')])[0];
    expect(closed.severity).toBe('info');
    expect(closed.evidence).toEqual(['http://example.test/ on 192.0.2.10:80: refused (ECONNREFUSED)']);
    const served = port80([answer(H, 200)])[0];
    expect(served.severity).toBe('warning');
    expect(served.title).toBe('Port 80 serves content without redirecting to https');
    expect(served.evidence).toEqual(['http://example.test/ on 192.0.2.10:80 answered 200 without a redirect']);
    expect(port80([answer(H, 302, 'ftp://x/')])[0].evidence[0]).toBe('http://example.test/ on 192.0.2.10:80 answered 302 with Location ftp://x/');
    expect(port80([failed(H, 'odd')])[0].title).toBe('Port 80 does not redirect to https');
  });

  it('a loop shows the chain and where it closes', () => {
    const [f] = port80([answer(H, 301, S), answer(S, 301, H)], 'loop');
    expect(f.severity).toBe('error');
    expect(f.title).toBe('The redirects loop: browsers stop with "too many redirects"');
    expect(f.evidence).toEqual(['http://example.test/ answered 301 with Location https://example.test/', 'https://example.test/ answered 301 with Location http://example.test/', 'http://example.test/ was requested before: a loop']);
    expect(f.remedy).toMatch(/X-Forwarded-Proto/);
    const [limit] = port80(Array.from({ length: 10 }, (_, i) => answer(`${S}${i}`, 302, `${S}${i + 1}`)), 'limit');
    expect(limit.title).toBe('Still redirecting after 10 requests');
    expect(limit.evidence).toHaveLength(11);
    expect(limit.evidence[10]).toBe('still redirecting after 10 requests');
  });

  it('a redirect elsewhere names the target, and says when it fails', () => {
    const [away] = port80([answer(H, 301, 'https://www.other.test/'), answer('https://www.other.test/', 200)]);
    expect(away.severity).toBe('info');
    expect(away.evidence).toEqual(['redirected to https://www.other.test/', 'http://example.test/ answered 301 with Location https://www.other.test/', 'https://www.other.test/ answered 200']);
    const [broken] = port80([answer(H, 301, 'https://example.test:8443/'), failed('https://example.test:8443/', 'connect ECONNREFUSED 192.0.2.10:8443', 'ECONNREFUSED')]);
    expect(broken.severity).toBe('error');
    expect(broken.evidence).toEqual(['http://example.test/ answered 301 with Location https://example.test:8443/', 'https://example.test:8443/: connect ECONNREFUSED 192.0.2.10:8443 (ECONNREFUSED)']);
    const [, plain] = port80([answer(H, 302, 'http://other.test/'), answer('http://other.test/', 200)]);
    expect(plain.title).toBe('Port 80 redirects, but never to https');
    expect(plain.evidence).toEqual(['http://example.test/ answered 302 with Location http://other.test/', 'http://other.test/ answered 200']);
  });
});

describe('HTTP judge: the https answer', () => {
  it.each([
    ['no header', { status: 200 }, ['HSTS_MISSING']],
    ['a header', { status: 200, header: 'max-age=1' }, []],
    ['an error', { error: 'x' }, []],
    ['a client-certificate refusal', { status: 400, clientCertRefusal: 'HTTP 400 "x"' }, []],
    ['a redirect to a page with HSTS', { status: 301, location: '/home', redirects: { hops: [answer(`${S}home`, 200, undefined, 'max-age=1')] } }, []],
    ['a redirect to a page without HSTS', { status: 301, header: 'max-age=1', location: '/home', redirects: { hops: [answer(`${S}home`, 200)] } }, ['HSTS_MISSING']],
    ['a redirect to http', { status: 301, location: H, redirects: { hops: [answer(H, 200)] } }, ['HTTPS_DOWNGRADE']],
    ['a loop through http', { status: 301, location: H, redirects: { hops: [answer(H, 301, S)], stopped: 'loop' } }, ['HTTP_REDIRECT_LOOP']],
    ['a redirect that fails', { status: 302, location: 'https://example.test:8443/', redirects: { hops: [failed('https://example.test:8443/', 'refused', 'ECONNREFUSED')] } }, ['HTTP_REDIRECT_TARGET_FAILED']],
    ['a redirect to another host', { status: 302, location: 'https://other.test/', redirects: { hops: [answer('https://other.test/', 200, undefined, 'max-age=1')] } }, ['HTTP_REDIRECT_ELSEWHERE']],
    ['a redirect to another host without HSTS', { status: 302, location: 'https://other.test/', redirects: { hops: [answer('https://other.test/', 200)] } }, ['HTTP_REDIRECT_ELSEWHERE', 'HSTS_MISSING']],
    ['a redirect to http on another host', { status: 302, location: 'http://other.test/', redirects: { hops: [answer('http://other.test/', 200)] } }, ['HTTPS_DOWNGRADE', 'HTTP_REDIRECT_ELSEWHERE']],
    ['a redirect without a followed chain', { status: 301, location: 'mailto:x' }, ['HSTS_MISSING']],
    ['not checked', undefined, []],
  ])('%s', (_n, hsts, want) => {
    expect(codes(hsts ? https(hsts) : [])).toEqual(want);
  });

  it('evidence', () => {
    expect(https({ status: 200 })[0].evidence).toEqual(['https://example.test/ answered 200 without Strict-Transport-Security']);
    expect(https({ status: 301, location: '/home', redirects: { hops: [answer(`${S}home`, 200)] } })[0].evidence).toEqual([
      'https://example.test/home answered 200 without Strict-Transport-Security (the end of the redirects from https://example.test/)',
    ]);
    const [down] = https({ status: 301, location: H, redirects: { hops: [answer(H, 200)] } });
    expect(down.evidence).toEqual(['https://example.test/ answered 301 with Location http://example.test/', 'the chain:', 'https://example.test/ answered 301 with Location http://example.test/', 'http://example.test/ answered 200']);
    expect(down.remedy).toMatch(/HSTS/);
    const on8443 = judgeProbeHsts(probeRecord({ hsts: { status: 200 }, target: { input: 'x', host: 'example.test', port: 8443, path: '/', isIp: false, scheme: 'host' } }));
    expect(on8443[0].evidence[0]).toBe('https://example.test:8443/ answered 200 without Strict-Transport-Security');
  });
});

describe('HTTP judge: chains, edges', () => {
  it.each([
    ['a loop that never leaves http', [answer(H, 301, `${H}a`), answer(`${H}a`, 301, H)], 'loop', ['HTTP_REDIRECT_LOOP']],
    ['an http redirect to a host that fails', [answer(H, 301, 'http://other.test/'), failed('http://other.test/', 'getaddrinfo ENOTFOUND other.test', 'ENOTFOUND')], undefined, ['HTTP_REDIRECT_TARGET_FAILED']],
    ['through https and back to http content', [answer(H, 301, S), answer(S, 302, `${H}x`), answer(`${H}x`, 200)], undefined, ['HTTPS_DOWNGRADE']],
  ] as [string, object[], 'loop' | 'limit' | undefined, string[]][])('port 80: %s', (_n, hops, stopped, want) => {
    expect(codes(port80(hops, stopped))).toEqual(want);
  });

  it('a target the probe was not permitted to request is no failure', () => {
    const hops = [answer(H, 301, 'https://other.test/'), failed('https://other.test/', 'not requested: other.test is not on the allow list', 'NOT_PERMITTED')];
    expect(codes(port80(hops))).toEqual([]);
  });

  it('a failure without a system code is quoted alone', () => {
    const [f] = port80([answer(H, 301, 'https://other.test/'), failed('https://other.test/', 'self-signed certificate')]);
    expect(f.evidence[1]).toBe('https://other.test/: self-signed certificate');
  });

  it('an IPv6 target: a redirect to the same address in brackets stays on the server', () => {
    const target = { input: '[2001:db8::1]', host: '2001:db8::1', port: 443, path: '/', isIp: true, scheme: 'host' as const };
    const r = probeRecord({ target, redirect: { hops: [answer('http://[2001:db8::1]/', 301, 'https://[2001:db8::1]/'), answer('https://[2001:db8::1]/', 200)] } });
    expect(codes(judgeProbeRedirect(r))).toEqual([]);
    const misdirected = judgeProbeMisdirected(probeRecord({ target, hsts: { status: 421 } }));
    expect(misdirected[0].evidence).toEqual(['https://[2001:db8::1]/ answered 421', 'SNI (none: an IP address) and Host [2001:db8::1] were sent on a connection of their own']);
  });

  it('HSTS is not judged where the redirects did not end in an answer', () => {
    const stopped = { status: 302, location: `${S}1`, redirects: { hops: [answer(`${S}1`, 302, `${S}2`)], stopped: 'limit' as const } };
    expect(codes(judgeProbeHsts(probeRecord({ hsts: stopped })))).toEqual([]);
    expect(codes(judgeProbeHsts(probeRecord({ hsts: { status: 302, location: `${S}1`, redirects: { hops: [] } } })))).toEqual([]);
    expect(codes(judgeProbeHsts(probeRecord({ hsts: { status: 302, location: `${S}1`, redirects: { hops: [failed(`${S}1`, 'x')] } } })))).toEqual([]);
  });
});

describe('HTTP judge: 421 Misdirected Request', () => {
  it.each([
    ['the https answer', { hsts: { status: 421 } }, ['HTTP_MISDIRECTED_REQUEST']],
    ['a 200', { hsts: { status: 200, header: 'max-age=1' } }, []],
    ['along the https redirects', { hsts: { status: 301, location: 'https://www.example.test/', redirects: { hops: [answer('https://www.example.test/', 421)] } } }, ['HTTP_MISDIRECTED_REQUEST']],
    ['along the port-80 redirects', { redirect: { hops: [answer(H, 301, S), answer(S, 421)] } }, ['HTTP_MISDIRECTED_REQUEST']],
    ['a 421 over plain http is no TLS routing', { redirect: { hops: [answer(H, 421)] } }, []],
    ['not checked', {}, []],
  ])('%s', (_n, over, want) => {
    expect(codes(judgeProbeMisdirected(probeRecord(over as never)))).toEqual(want);
  });

  it('names the SNI and Host sent, and is not judged for HSTS', () => {
    const [f] = judgeProbeMisdirected(probeRecord({ hsts: { status: 421 } }));
    expect(f.severity).toBe('error');
    expect(f.evidence).toEqual(['https://example.test/ answered 421', 'SNI example.test and Host example.test were sent on a connection of their own']);
    expect(judgeProbeHsts(probeRecord({ hsts: { status: 421 } }))).toEqual([]);
    const ip = judgeProbeMisdirected(probeRecord({ hsts: { status: 421 }, target: { input: '192.0.2.10:8443', host: '192.0.2.10', port: 8443, path: '/', isIp: true, scheme: 'host' } }));
    expect(ip[0].evidence).toEqual(['https://192.0.2.10:8443/ answered 421', 'SNI (none: an IP address) and Host 192.0.2.10:8443 were sent on a connection of their own']);
  });
});

describe('HTTP judge: WebSocket', () => {
  const ws = (o: object) => judgeProbeWebSocket(probeRecord({ ws: { path: '/ws', upgraded: false, ...o } }));
  it('no finding when not asked', () => {
    expect(judgeProbeWebSocket(probeRecord({ ws: undefined }))).toEqual([]);
  });

  it('a working upgrade is an info finding with the 101 and the path', () => {
    const [f] = judgeProbeWebSocket(probeRecord({ ws: { path: '/ws', upgraded: true, status: 101, statusLine: 'HTTP/1.1 101 Switching Protocols' } }));
    expect(f.code).toBe('WEBSOCKET_UPGRADE_OK');
    expect(f.severity).toBe('info');
    expect(f.evidence).toEqual(['GET /ws with Upgrade: websocket got "HTTP/1.1 101 Switching Protocols"']);
  });

  it.each([
    ['the same 200 to a plain GET', { status: 200, statusLine: 'HTTP/1.1 200 OK', body: 'app ok\n', plain: { status: 200, statusLine: 'HTTP/1.1 200 OK', body: 'app ok\n' } }, 'WEBSOCKET_NOT_AN_ENDPOINT'],
    ['the same 404 to a plain GET', { status: 404, statusLine: 'HTTP/1.1 404 Not Found', plain: { status: 404, statusLine: 'HTTP/1.1 404 Not Found' } }, 'WEBSOCKET_NOT_AN_ENDPOINT'],
    ['a 400 that asks for an upgrade, the same to a plain GET', { status: 400, statusLine: 'HTTP/1.1 400 Bad Request', body: 'websocket upgrade expected', plain: { status: 400, statusLine: 'HTTP/1.1 400 Bad Request' } }, 'WEBSOCKET_UPGRADE_FAILED'],
    ['a 426 the same to a plain GET', { status: 426, statusLine: 'HTTP/1.1 426 Upgrade Required', plain: { status: 426, statusLine: 'HTTP/1.1 426 Upgrade Required' } }, 'WEBSOCKET_UPGRADE_FAILED'],
    ['a 400, a plain GET 200', { status: 400, statusLine: 'HTTP/1.1 400 Bad Request', plain: { status: 200, statusLine: 'HTTP/1.1 200 OK' } }, 'WEBSOCKET_UPGRADE_FAILED'],
    ['a 200, the plain GET failed', { status: 200, statusLine: 'HTTP/1.1 200 OK', plain: { error: 'closed without an answer' } }, 'WEBSOCKET_UPGRADE_FAILED'],
  ])('%s', (_n, w, code) => {
    expect(codes(ws(w))).toEqual([code]);
  });

  it('a path that is no endpoint says which answer came back, with and without the upgrade', () => {
    const [f] = ws({ path: '/socket', status: 200, statusLine: 'HTTP/1.1 200 OK', body: '\n  <html>app</html>\n', plain: { status: 200, statusLine: 'HTTP/1.1 200 OK', body: 'x' } });
    expect(f.title).toBe('The WebSocket path is not a WebSocket endpoint');
    expect(f.evidence).toEqual(['GET /socket with Upgrade: websocket got "HTTP/1.1 200 OK" (body: "<html>app</html>")', 'a plain GET /socket got "HTTP/1.1 200 OK" (body: "x")', 'the same answer with and without the upgrade: /socket is not a WebSocket endpoint']);
    expect(f.remedy).not.toMatch(/proxy_set_header/);
  });

  it('an answer that is not HTTP, the same to a plain GET, is no verdict on the path', () => {
    expect(codes(ws({ statusLine: 'SSH-2.0-OpenSSH_9.2', plain: { statusLine: 'SSH-2.0-OpenSSH_9.2' } }))).toEqual(['WEBSOCKET_UPGRADE_FAILED']);
  });

  it('quotes the first line of the body with words, at most 120 characters', () => {
    const long = 'x'.repeat(130);
    const [f] = ws({ status: 403, statusLine: 'HTTP/1.1 403 Forbidden', body: `  \n\t\n${long}\nsecond` });
    expect(f.evidence[0]).toBe(`GET /ws with Upgrade: websocket got "HTTP/1.1 403 Forbidden" (body: "${'x'.repeat(120)}")`);
    expect(ws({ status: 403, statusLine: 'HTTP/1.1 403 Forbidden', body: 'one\ntwo' })[0].evidence[0]).toMatch(/\(body: "one"\)$/);
  });

  it('a backend that says it wanted the upgrade gets the proxy-headers fix', () => {
    const [f] = ws({ status: 400, statusLine: 'HTTP/1.1 400 Bad Request', body: 'websocket upgrade expected\n', plain: { error: 'timeout' } });
    expect(f.evidence).toEqual(['GET /ws with Upgrade: websocket got "HTTP/1.1 400 Bad Request" (body: "websocket upgrade expected")', 'the backend says it expected an upgrade: the proxy dropped the Upgrade and Connection headers', 'a plain GET /ws got timeout']);
    expect(f.remedy).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
    expect(ws({ status: 426, statusLine: 'HTTP/1.1 426 Upgrade Required' })[0].evidence[1]).toMatch(/^the backend says it expected an upgrade/);
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

  it.each([200, 400, 404])('%s from the backend: the proxy dropped the headers', (status) => {
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

  it('an empty list allows nothing and says so; the fix names the entry to add, with its port', () => {
    const empty = judgeProbeProfile(probeRecord({ profile: wechat, allowList: [] }))[0];
    expect(empty.evidence).toEqual(['the allow list holds no domain: it allows none (is it the right file?)']);
    expect(empty.remedy).toMatch(/add `example\.test` to the request/);
    const port = judgeProbeProfile(probeRecord({ profile: wechat, allowList: ['example.test'], target: { ...ipTarget, host: 'example.test', isIp: false, port: 8443 } }))[0];
    expect(port.remedy).toMatch(/add `example\.test:8443` to the request/);
    const missing = judgeProbeProfile(probeRecord({ profile: wechat, allowList: ['other.test'] }))[0];
    expect(missing.remedy).toMatch(/add `example\.test` to the request/);
    const ip = judgeProbeProfile(probeRecord({ profile: wechat, target: ipTarget }))[0];
    expect(ip.remedy).toMatch(/not an IP address/);
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
    expect(codes(port80([failed(H, 'x', errorCode)]))).toEqual(['HTTP_PORT_CLOSED']);
  });

  it('evidence', () => {
    expect(port80([failed(H, 'odd')])[0].evidence).toEqual(['http://example.test/ on 192.0.2.10:80: odd']);
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
