// Clients the lab cannot get from curl or openssl, written with tlsdoctor's own ClientHello
// builder against the lab's real servers:
//   abort-after-flight HOST  a TLS 1.3 client that reads the server's flight, then sends one
//                            encrypted-alert-sized record and closes, as a browser does when it
//                            rejects the certificate (BoringSSL encrypts that alert)
//   malformed-hello HOST     a ClientHello whose signature_algorithms has an odd length: the
//                            server answers with a decode_error alert
//   split-hello HOST         a ClientHello in two segments: 40 bytes, then the rest 50 ms
//                            later, as a device that reads one segment must see it
// Usage (inside the client namespace): node lab/raw-client.mjs MODE HOST [PORT]
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { buildClientHello } from '../packages/tls-parser-ts/dist/index.js';

const [mode, host, portText] = process.argv.slice(2);
const port = Number(portText ?? 443);
const LIMIT_MS = 5000;

const hello = mode === 'malformed-hello'
  ? buildClientHello({
      versions: [0x0303], cipherSuites: [0xc02b, 0xc02f, 0x1301], groups: [0x001d], serverName: host,
      // signature_algorithms whose list has an odd length: no whole 16-bit value fits.
      extraExtensions: [{ type: 0x000d, data: new Uint8Array([0, 3, 4, 3, 1]) }],
    })
  : buildClientHello({ versions: [0x0304], cipherSuites: [0x1301, 0x1302, 0x1303], groups: [0x001d], signatureAlgorithms: [0x0403, 0x0804, 0x0401], serverName: host, alpn: ['h2', 'http/1.1'] });

// IPv4 only: one connection per run, whatever the hosts file says about IPv6.
const sock = net.connect({ host, port, family: 4 });
const stop = setTimeout(() => sock.destroy(), LIMIT_MS);
let quiet;
sock.on('connect', () => {
  if (mode !== 'split-hello') return sock.write(hello);
  sock.setNoDelay(true);
  sock.write(hello.subarray(0, 40));
  setTimeout(() => sock.writable && sock.write(hello.subarray(40)), 50);
});
sock.on('data', () => {
  if (mode !== 'abort-after-flight') return;
  // Once the server has been quiet for a moment its flight is complete.
  clearTimeout(quiet);
  quiet = setTimeout(() => {
    sock.write(Buffer.concat([Buffer.from([23, 3, 3, 0, 19]), randomBytes(19)]));
    sock.end();
  }, 200);
});
sock.on('error', () => {});
sock.on('close', () => clearTimeout(stop));
