import { ContentType } from './names.js';
import { hex, latin1 } from './reader.js';

export type NonTlsKind = 'http-response' | 'http-request' | 'ssh' | 'text' | 'binary' | 'empty';

export interface NonTlsDescription {
  kind: NonTlsKind;
  /** The first line as text when the bytes are printable (up to 200 characters). */
  firstLine?: string;
  /** For an HTTP response: its status code. */
  status?: number;
  /** For an HTTP response: its HTML page's title, when the bytes kept hold it (nginx says its reason there). */
  title?: string;
  /** The first bytes in hex (up to 16), for the binary case and for the record. */
  hexPrefix: string;
  summary: string;
}

const HTTP_METHODS = /^(GET|POST|PUT|HEAD|DELETE|OPTIONS|PATCH|CONNECT|TRACE|PRI) \S+ HTTP\/\d/;

function printable(b: number): boolean {
  return (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d;
}

/**
 * Describes bytes that are not TLS so a report can say what answered instead: nginx's plain
 * HTTP 400 on a `listen 443` without `ssl`, an SSH banner, some other text or binary.
 */
export function describeNonTls(bytes: Uint8Array): NonTlsDescription {
  const head = bytes.subarray(0, Math.min(bytes.length, 1024));
  const hexPrefix = hex(head.subarray(0, 16));
  if (head.length === 0) return { kind: 'empty', hexPrefix, summary: 'no bytes' };
  let end = 0;
  let allPrintable = true;
  while (end < head.length && head[end] !== 0x0a) {
    if (!printable(head[end])) allPrintable = false;
    end++;
  }
  if (!allPrintable) return { kind: 'binary', hexPrefix, summary: `binary data starting ${hexPrefix}` };
  const firstLine = latin1(head.subarray(0, Math.min(end, 200))).replace(/\r$/, '');
  const status = /^HTTP\/\d(?:\.\d)? (\d{3})\b/.exec(firstLine);
  if (status) {
    const title = /<title>([^<]{1,200})<\/title>/i.exec(latin1(head))?.[1].trim();
    return { kind: 'http-response', firstLine, status: Number(status[1]), ...(title ? { title } : {}), hexPrefix, summary: `plain HTTP response "${firstLine}"` };
  }
  if (HTTP_METHODS.test(firstLine)) return { kind: 'http-request', firstLine, hexPrefix, summary: `plain HTTP request "${firstLine}"` };
  if (firstLine.startsWith('SSH-')) return { kind: 'ssh', firstLine, hexPrefix, summary: `SSH banner "${firstLine}"` };
  return { kind: 'text', firstLine, hexPrefix, summary: `text "${firstLine}"` };
}

/** The longest status line read: HTTP's are short (nginx's "HTTP/1.1 400 Bad Request" is 24). */
const STATUS_LINE_MAX = 200;

/**
 * The HTTP/1.x status line that begins these bytes (the first application data record a server
 * sent), or undefined: anything else (HTTP/2's binary frames, a line cut by the record's end, a
 * control character) gives nothing. Only the line itself is read, never what follows it.
 */
export function httpStatusLine(bytes: Uint8Array): string | undefined {
  const end = bytes.subarray(0, STATUS_LINE_MAX + 2).indexOf(0x0a);
  if (end < 0) return undefined;
  const line = latin1(bytes.subarray(0, end)).replace(/\r$/, '');
  return /^HTTP\/1\.[01] \d{3}(?: [\x20-\x7e]*)?$/.test(line) ? line : undefined;
}

const EMPTY = new Uint8Array(0);

/**
 * The first bytes of a stream that is not TLS, kept up to a cap: for describeNonTls, and to
 * find TLS after a proxy's preamble (a SOCKS or HTTP CONNECT exchange, then the hello).
 */
export class NonTlsPrefix {
  bytes: Uint8Array = EMPTY;
  /** Where the search for a record stopped: it goes on from there as bytes come. */
  private scanned = 0;

  constructor(readonly cap: number) {}

  /** True once the prefix is as long as it will get. */
  get full(): boolean {
    return this.bytes.length >= this.cap;
  }

  /** Keeps what fits of `more`; returns how many of its bytes were kept. */
  keep(more: Uint8Array): number {
    const had = this.bytes;
    const room = this.cap - had.length;
    if (room <= 0) return 0;
    const add = more.subarray(0, room);
    const next = new Uint8Array(had.length + add.length);
    next.set(had);
    next.set(add, had.length);
    this.bytes = next;
    return add.length;
  }

  /**
   * Where a handshake record opening with a hello of type `hello` begins, after the first
   * byte: the end of a preamble; -1 while none is there.
   */
  findRecord(hello: number): number {
    const b = this.bytes;
    for (let k = Math.max(1, this.scanned); k + 6 <= b.length; k++) {
      if (b[k] === ContentType.Handshake && b[k + 1] === 3 && b[k + 2] <= 4 && b[k + 5] === hello && ((b[k + 3] << 8) | b[k + 4]) >= 4) return k;
    }
    this.scanned = Math.max(1, b.length - 5);
    return -1;
  }

  /** Keeps only the first `n` bytes: the preamble, once TLS was found after it. */
  cut(n: number): void {
    this.bytes = this.bytes.slice(0, n);
  }
}
