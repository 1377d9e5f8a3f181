import { hex, latin1 } from './reader.js';

export type NonTlsKind = 'http-response' | 'http-request' | 'ssh' | 'text' | 'binary' | 'empty';

export interface NonTlsDescription {
  kind: NonTlsKind;
  /** The first line as text when the bytes are printable (up to 200 characters). */
  firstLine?: string;
  /** For an HTTP response: its status code. */
  status?: number;
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
    return { kind: 'http-response', firstLine, status: Number(status[1]), hexPrefix, summary: `plain HTTP response "${firstLine}"` };
  }
  if (HTTP_METHODS.test(firstLine)) return { kind: 'http-request', firstLine, hexPrefix, summary: `plain HTTP request "${firstLine}"` };
  if (firstLine.startsWith('SSH-')) return { kind: 'ssh', firstLine, hexPrefix, summary: `SSH banner "${firstLine}"` };
  return { kind: 'text', firstLine, hexPrefix, summary: `text "${firstLine}"` };
}
