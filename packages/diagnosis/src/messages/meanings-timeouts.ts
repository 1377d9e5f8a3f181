import { PROBE, type Meaning } from './meaning.js';

/** The one check that splits a silence by the size of the hello: a one-packet hello answered while a browser's is not. */
const HELLO_SIZE_CHECK = `${PROBE}   (it times TCP and TLS apart, and sends a one-packet hello, a browser-sized one and one split in two segments)`;

/**
 * Meanings of the timeouts a library words by the phase it was in: only the SYN (a TCP connect
 * timeout), the answer after the handshake (a read timeout), or Chromium's ERR_TIMED_OUT, which
 * is never the SYN's (that is ERR_CONNECTION_TIMED_OUT).
 */
export const TIMEOUT_MEANINGS = {
  synTimeout: {
    means: 'The TCP connection was never set up: the library says it was still connecting (the SYN got no answer) when time ran out.',
    causes: [
      { code: 'TCP_TIMEOUT', sign: 'no SYN-ACK came: a firewall or security group drops the SYN, or the address is wrong' },
    ],
    certainty: 'decides',
    check: `${PROBE}   (it times TCP and TLS separately)`,
  },
  chromeTimedOut: {
    means: "Chromium's generic timeout: the connection was set up (a SYN that got no answer is ERR_CONNECTION_TIMED_OUT), then nothing came back in time.",
    causes: [
      { code: 'NO_SERVER_HELLO', sign: 'every client hangs after its ClientHello, curl too: the server (or a device in front) reads the hello and says nothing' },
      { code: 'MTU_BLACKHOLE', sign: "only the browser hangs while curl from the same machine works: Chrome's post-quantum ClientHello (about 1.8 KB) starts with a full-size packet that is lost on the path, with no ICMP back" },
      { code: 'SPLIT_CLIENT_HELLO_REJECTED', sign: 'only the browser hangs, and a one-packet hello of the same size is answered: a device in front reads the first segment only' },
      { code: 'SNI_FILTERED', sign: 'the silence comes only with the real name: a filter that drops instead of resetting' },
      { code: 'TCP_TIMEOUT', sign: 'rarely: Chromium counted the wait on a proxy or a tunnel as its own' },
    ],
    certainty: 'narrows',
    check: HELLO_SIZE_CHECK,
  },
  readTimeout: {
    means: 'The connection was set up but the answer did not come in time: the library was reading (the handshake, or the response after it) when its read timeout ran out.',
    causes: [
      { code: 'NO_SERVER_HELLO', sign: 'the read was the handshake\'s: the server took the ClientHello and said nothing (libraries that set up TLS inside the read count it so)' },
      { code: 'MTU_BLACKHOLE', sign: 'the hello or the server\'s certificate flight is a full-size packet lost on the path: small requests pass, large ones hang' },
      { code: 'SNI_FILTERED', sign: 'only with the real name: a filter that drops instead of resetting' },
    ],
    certainty: 'narrows',
    check: `${PROBE} --http   (a TLS answer with no HTTP answer after it is the application being slow: its access log shows the request's time)`,
  },
} satisfies Record<string, Meaning>;
