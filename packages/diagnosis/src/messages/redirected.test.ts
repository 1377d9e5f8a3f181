// A failed connection elsewhere than the URL asked: a redirect's target, first.
import { describe, expect, it } from 'vitest';
import { explain } from './explain.js';

describe('a connection that failed elsewhere than the URL asked', () => {
  it.each([
    // [text, first cause]
    ["fatal: unable to access 'https://a.example/r.git/': Failed to connect to a.example port 8443 after 0 ms: Couldn't connect to server", 'HTTP_REDIRECT_TARGET_FAILED'],
    ["fatal: unable to access 'https://a.example/r.git/': Failed to connect to b.example port 443 after 0 ms: Couldn't connect to server", 'HTTP_REDIRECT_TARGET_FAILED'],
    ["fatal: unable to access 'http://a.example/r.git/': Failed to connect to a.example port 443 after 0 ms: Couldn't connect to server", 'HTTP_REDIRECT_TARGET_FAILED'],
    ['PHP Warning:  file_get_contents(https://a.example:8443/): cURL error 7: Failed to connect to a.example port 443 after 1 ms: Connection refused', 'HTTP_REDIRECT_TARGET_FAILED'],
    // The same host and port (the default one, or the one written): the connection asked for failed.
    ["fatal: unable to access 'https://a.example/r.git/': Failed to connect to a.example port 443 after 0 ms: Couldn't connect to server", 'TCP_REFUSED'],
    ["fatal: unable to access 'https://A.example:8443/r.git/': Failed to connect to a.example port 8443 after 0 ms: Couldn't connect to server", 'TCP_REFUSED'],
    ["fatal: unable to access 'http://a.example/r.git/': Failed to connect to a.example port 80 after 0 ms: Couldn't connect to server", 'TCP_REFUSED'],
    // No URL asked in the text, or one that is no URL: nothing to compare.
    ["curl: (7) Failed to connect to a.example port 8443 after 0 ms: Couldn't connect to server", 'TCP_REFUSED'],
    ["fatal: unable to access 'https://[bad/r.git/': Failed to connect to a.example port 8443 after 0 ms: Couldn't connect to server", 'TCP_REFUSED'],
  ])('%s', (text, first) => {
    expect(explain(text).candidates[0].code).toBe(first);
  });

  it('the target moves first, the other causes keep their order, none is repeated or lost', () => {
    const e = explain("fatal: unable to access 'https://a.example/r.git/': Failed to connect to a.example port 8443 after 0 ms: Couldn't connect to server");
    expect(e.candidates.map((c) => c.code)).toEqual(['HTTP_REDIRECT_TARGET_FAILED', 'TCP_REFUSED', 'TCP_UNREACHABLE', 'TCP_TIMEOUT']);
  });

  it('a message without that cause among its candidates is left as it is', () => {
    const text = "fatal: unable to access 'https://a.example/r.git/': Failed to connect to a.example port 8443 after 4000 ms: Connection timed out";
    expect(explain(text).candidates.map((c) => c.code)).toEqual(explain(text.replace('8443', '443')).candidates.map((c) => c.code));
  });
});
