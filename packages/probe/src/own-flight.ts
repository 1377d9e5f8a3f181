import net from 'node:net';
import { describeCertificate, nodeHandshakeCrypto, type CertificateInfo } from '@tlsdoctor/analysis';
import { Duplex } from 'node:stream';
import {
  handshakeTypeName,
  HandshakeType,
  parseCertificate,
  parseTls13CertificateRequest,
  Version,
  Tls13RecordOpener,
  TLS13_DECRYPTABLE_SUITES,
  TlsParseError,
  TlsStreamReader,
  type CertificateRequest,
} from '@tlsdoctor/tls-parser-ts';

/** Most bytes of the server's stream kept for reading its flight: a first flight is far smaller. */
const MAX_KEPT = 256 * 1024;

/**
 * A TCP connection handed to Node's TLS through a stream that keeps a copy of what the server
 * sends, and the key log Node writes for it: together they let the probe read its own TLS 1.3
 * handshake, whose server flight (EncryptedExtensions, CertificateRequest, Certificate) is
 * encrypted on the wire.
 */
export class TappedConnection {
  readonly stream: Duplex;
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private readonly secrets = new Map<string, Buffer>();

  constructor(address: string, port: number) {
    const raw = net.connect({ host: address, port, family: net.isIP(address) });
    this.stream = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        raw.write(chunk, cb);
      },
      final(cb) {
        raw.end();
        cb();
      },
      destroy(err, cb) {
        raw.destroy();
        cb(err);
      },
    });
    raw.on('data', (d: Buffer) => {
      if (this.kept < MAX_KEPT) {
        this.chunks.push(d);
        this.kept += d.length;
      }
      this.stream.push(d);
    });
    raw.on('end', () => this.stream.push(null));
    raw.on('error', (e) => this.stream.destroy(e));
  }

  /** Feed Node's `keylog` lines here (NSS format). */
  keylog(line: Buffer): void {
    const [label, , secret] = line.toString('latin1').trim().split(' ');
    if (label && secret) this.secrets.set(label, Buffer.from(secret, 'hex'));
  }

  /**
   * The server's TLS 1.3 flight as the probe's own keys decrypt it: message names in order and
   * the CertificateRequest, if any. Undefined when the suite is not one the codec decrypts or no
   * key was logged.
   */
  serverFlight(cipherStandardName: string | undefined): ServerFlight | undefined {
    const suite = cipherStandardName ? TLS13_CODES[cipherStandardName] : undefined;
    const params = suite === undefined ? undefined : TLS13_DECRYPTABLE_SUITES[suite];
    const secret = this.secrets.get('SERVER_HANDSHAKE_TRAFFIC_SECRET');
    if (!params || !secret) return undefined;
    // The same reader, with the same opener, as a capture read with a key log.
    let opener: Tls13RecordOpener;
    try {
      opener = new Tls13RecordOpener(nodeHandshakeCrypto, params, new Uint8Array(secret));
    } catch (e) {
      if (e instanceof RangeError) return { messages: [], opened: false, error: e.message };
      throw e;
    }
    const reader = new TlsStreamReader('server', { opener: () => opener });
    const messages: { type: number; body: Uint8Array }[] = [];
    let error: string | undefined;
    for (const ev of reader.push(new Uint8Array(Buffer.concat(this.chunks)))) {
      if (ev.kind === 'handshake' && ev.decrypted) messages.push({ type: ev.msgType, body: ev.body });
      else if (ev.kind === 'error') error ??= ev.error.message;
    }
    let certificateRequest: CertificateRequest | undefined;
    const req = messages.find((m) => m.type === CERTIFICATE_REQUEST);
    if (req) {
      try {
        certificateRequest = parseTls13CertificateRequest(req.body);
      } catch (e) {
        if (!(e instanceof TlsParseError)) throw e;
        error ??= e.message;
      }
    }
    const served = messages.find((m) => m.type === HandshakeType.Certificate);
    let servedChain: CertificateInfo[] | undefined;
    if (served) {
      try {
        servedChain = parseCertificate(served.body, Version.TLS13).certificates.map((der) => describeCertificate(der).info);
      } catch (e) {
        if (!(e instanceof TlsParseError)) throw e;
        error ??= e.message;
      }
    }
    return { messages: messages.map((m) => handshakeTypeName(m.type)), opened: reader.decryptedRecords > 0, certificateRequest, ...(servedChain ? { servedChain } : {}), ...(error ? { error } : {}) };
  }
}

const CERTIFICATE_REQUEST = 13;

/** Node names suites by their IANA names; the codec by code. */
const TLS13_CODES: Record<string, number> = { TLS_AES_128_GCM_SHA256: 0x1301, TLS_AES_256_GCM_SHA384: 0x1302, TLS_CHACHA20_POLY1305_SHA256: 0x1303 };

export interface ServerFlight {
  /** The decrypted handshake messages, by name, in order. */
  messages: string[];
  /** Whether any protected record opened with the logged secret. */
  opened: boolean;
  certificateRequest?: CertificateRequest;
  /** The server's Certificate message as sent (its order, duplicates and extras). */
  servedChain?: CertificateInfo[];
  error?: string;
}
