// What each program's wrapping is taken for, and the server it names, one shape at a time.
import { describe, expect, it } from 'vitest';
import { unwrap } from './wrappers.js';

describe('the wrapping named', () => {
  it.each([
    // [text, wrappers]
    ["fatal: unable to access 'https://a.example/r.git/': x", ['git']],
    ["see: fatal: unable to access 'https://a.example/r.git/': x", []],
    ['cURL error 60: SSL certificate problem', ['php curl']],
    ['cURL error: 60', []],
    ['SSL operation failed with code 1. OpenSSL Error messages:\nerror:0A000086', ['php stream']],
    ['Exception in thread "main" javax.net.ssl.SSLHandshakeException: x', ['java exception']],
    ['Caused by: java.security.cert.CertificateException: x', ['java exception']],
    ['  Caused by: java.security.cert.CertificateException: x', []],
    ['Traceback (most recent call last):\n  File "a.py", line 1', ['python traceback']],
    ['urllib3.exceptions.MaxRetryError: x', ['urllib3']],
    ["HTTPSConnectionPool(host='a.example', port=443): Read timed out.", ['urllib3']],
    ["SSLError(SSLCertVerificationError(1, 'x'))", ['urllib3']],
    ['2026/12/07 10:00:00 [crit] 12#12: *1 SSL_do_handshake() failed', ['nginx error.log', 'log line']],
    ['[warn] 1#0: x', ['nginx error.log']],
    ['[error] 1#: x', []],
    ['SSL_connect SYSCALL returned=5 errno=0 state=x', ['ruby']],
    ['x (OpenSSL::SSL::SSLError)', ['ruby']],
    ['Net::ReadTimeout with #<TCPSocket:(closed)>', ['ruby']],
    ['reqwest::Error { kind: Request }', ['reqwest']],
    ['error sending request for url (https://a.example/)', ['reqwest']],
    ['2026-12-07T10:00:00Z ERROR x', ['log line']],
    ['[2026-12-07 10:00:00] x', ['log line']],
    ['at 2026-12-07 10:00:00 x', []],
  ])('%j', (text, wrappers) => {
    expect(unwrap(text).wrappers).toEqual(wrappers);
  });
});

describe('the server named, and what the probe is given', () => {
  it.each([
    // [text, target, probe]
    ['upstream: "https://10.0.0.2/"', { address: '10.0.0.2' }, '10.0.0.2:443'],
    ['upstream: "http://10.0.0.2:8080/x"', { address: '10.0.0.2', port: 8080 }, '10.0.0.2:8080'],
    ['upstream: "https://backend.internal:8443/"', { name: 'backend.internal', port: 8443 }, 'backend.internal:8443'],
    ['SSL_connect returned=1 errno=0 peeraddr=[fd00::1]:8443 state=error', { address: 'fd00::1', port: 8443 }, '[fd00::1]:8443'],
    ['Failed to open TCP connection to api.example.com:8443 (execution expired)', { name: 'api.example.com', port: 8443 }, 'api.example.com:8443'],
    ['error sending request for url (https://api.example.com:8443/v1): x', { name: 'api.example.com', port: 8443 }, 'api.example.com:8443'],
    ['Server returned HTTP response code: 400 for URL: https://api.example.com/v1', { name: 'api.example.com' }, 'api.example.com'],
    // The first server named is the one; a port comes from where one is said.
    ["HTTPSConnectionPool(host='a.example', port=8443): x peeraddr=203.0.113.7:443", { name: 'a.example', port: 8443 }, 'a.example:8443'],
    // nginx: the name it checked the certificate against, with the address it reached.
    ['upstream SSL certificate does not match "b.internal" while SSL handshaking to upstream, upstream: "https://10.0.0.2:443/"', { name: 'b.internal', address: '10.0.0.2', port: 443 }, 'https://b.internal:443/ --resolve b.internal:443:10.0.0.2'],
    ['upstream SSL certificate does not match "b.internal" while SSL handshaking to upstream, upstream: "https://c.internal:443/"', { name: 'c.internal', port: 443 }, 'c.internal'],
    ['nothing named', {}, undefined],
  ])('%j', (text, target, probe) => {
    const w = unwrap(text);
    expect(w.target).toEqual(target);
    expect(w.probe).toBe(probe);
  });
});
