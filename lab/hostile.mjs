// Servers that misbehave on purpose, for the probe's hostile-server verdicts, and the WebSocket
// backend behind nginx. Run inside the lab's server namespace: node hostile.mjs ADDR:BEHAVIOUR ...
import net from 'node:net';
import http from 'node:http';
import https from 'node:https';
import http2 from 'node:http2';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';

const LIFETIME_MS = 60_000; // no connection is kept longer than this, whatever the client does

function serve(addr, behaviour) {
  const server = net.createServer((sock) => {
    sock.on('error', () => {});
    const limit = setTimeout(() => sock.destroy(), LIFETIME_MS);
    sock.on('close', () => clearTimeout(limit));
    if (behaviour === 'silent') return; // accept, read, never answer
    if (behaviour.startsWith('one-segment:')) return oneSegmentFront(sock, behaviour.slice('one-segment:'.length));
    sock.once('data', () => {
      if (behaviour === 'garbage') {
        sock.end(Buffer.from('00ff13379a0c0000deadbeefcafe0102030405060708090a0b0c0d0e0f', 'hex'));
      } else if (behaviour === 'endless') {
        // Valid records that never finish a handshake: HelloRequest after HelloRequest.
        const rec = Buffer.from([0x16, 0x03, 0x03, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00]);
        const timer = setInterval(() => {
          if (!sock.writable) return clearInterval(timer);
          sock.write(rec);
        }, 5);
        sock.on('close', () => clearInterval(timer));
      }
    });
  });
  server.listen(443, addr);
}

/**
 * Reads one chunk (what one segment brought) and resets the connection unless it holds a whole
 * TLS record, as devices that route on the SNI of the first segment do; a whole hello goes on
 * to the backend's port 443 and the two are joined.
 */
function oneSegmentFront(sock, backend) {
  sock.once('data', (chunk) => {
    const whole = chunk.length >= 5 && chunk[0] === 0x16 && chunk.length >= 5 + chunk.readUInt16BE(3);
    if (!whole) return sock.resetAndDestroy();
    const up = net.connect({ host: backend, port: 443 });
    up.on('error', () => sock.destroy());
    up.write(chunk);
    sock.pipe(up).pipe(sock);
    sock.on('close', () => up.destroy());
  });
}

/**
 * HTTPS that requires a client certificate from the lab's CA, TLS 1.3 only: OpenSSL sends
 * certificate_required (or unknown_ca for a stranger's) once it has the client's answer.
 */
function clientCertServer(addr, pki) {
  const read = (f) => readFileSync(join(pki, f));
  const server = https.createServer(
    { key: read('good.key'), cert: read('good.chain.crt'), ca: [read('root.crt'), read('intermediate.crt')], requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' },
    (req, res) => res.end(`${req.socket.getPeerCertificate().subject?.CN ?? 'someone'} ok\n`),
  );
  server.on('tlsClientError', () => {});
  server.listen(443, addr);
}

/**
 * HTTP/2 only, as gRPC servers are: ALPN h2 or the alert no_application_protocol (120), which
 * Node's TLS sends when ALPNCallback returns nothing. A socket that negotiated h2 is handed to an
 * HTTP/2 server that speaks no HTTP/1.
 */
function h2OnlyServer(addr, pki) {
  const read = (f) => readFileSync(join(pki, f));
  const h2 = http2.createServer((req, res) => res.end('h2 only ok\n'));
  const server = tls.createServer({ key: read('good.key'), cert: read('good.chain.crt'), ALPNCallback: ({ protocols }) => (protocols.includes('h2') ? 'h2' : undefined) }, (sock) => {
    sock.on('error', () => {});
    if (sock.alpnProtocol === 'h2') return h2.emit('connection', sock);
    // A client that offered no ALPN: Node's HTTP/2 server answers its HTTP/1 request with 403.
    // Said here at once, so that a client that sends nothing (openssl s_client) gets a clean close.
    sock.once('data', () => sock.end('HTTP/1.0 403 Forbidden\r\n\r\n'));
  });
  server.on('tlsClientError', () => {});
  server.listen(443, addr);
}

function websocketBackend(port) {
  const server = http.createServer((req, res) => {
    // Reached when the proxy did not pass the Upgrade header: a plain GET.
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end('websocket upgrade expected\n');
  });
  server.on('upgrade', (req, sock) => {
    const key = req.headers['sec-websocket-key'] ?? '';
    const accept = createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    sock.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    setTimeout(() => sock.destroy(), 2000);
  });
  server.listen(port, '127.0.0.1');
}

/** Answers every DNS query with NXDOMAIN (RFC 1035: same id and question, QR set, RCODE 3). */
function nxdomainDns(addr) {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    const out = Buffer.from(msg);
    out[2] = 0x81 | (msg[2] & 0x01); // QR, opcode 0, RD copied
    out[3] = 0x83; // RA, RCODE 3
    out.writeUInt16BE(0, 6);
    out.writeUInt16BE(0, 8);
    out.writeUInt16BE(0, 10);
    // Keep only the header and the question.
    let p = 12;
    while (p < msg.length && msg[p] !== 0) p += msg[p] + 1;
    sock.send(out.subarray(0, Math.min(msg.length, p + 5)), rinfo.port, rinfo.address);
  });
  sock.bind(53, addr);
}

for (const arg of process.argv.slice(2)) {
  const [addr, behaviour] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
  if (behaviour === 'nxdomain-dns') nxdomainDns(addr);
  else if (behaviour === 'websocket') websocketBackend(Number(addr));
  else if (behaviour.startsWith('https-client-cert:')) clientCertServer(addr, behaviour.slice('https-client-cert:'.length));
  else if (behaviour.startsWith('h2-only:')) h2OnlyServer(addr, behaviour.slice('h2-only:'.length));
  else serve(addr, behaviour);
}
process.on('SIGTERM', () => process.exit(0));
