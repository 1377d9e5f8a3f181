import { readFileSync, statSync } from 'node:fs';
import type { X509Certificate } from 'node:crypto';
import { ByteReader, TlsParseError } from '@tlsdoctor/tls-parser-ts';
import { describeCertificate, type CertificateInfo } from './certificate.js';
import { CertFileError } from './cert-file-error.js';

/** One certificate of a file, and where it came from: `file:index` (from 1) in reports. */
export interface FileCertificate {
  file: string;
  index: number;
  cert?: X509Certificate;
  info: CertificateInfo;
}

/** What a certificate file held. */
export interface CertificateFileRead {
  path: string;
  bytes: number;
  encoding: 'pem' | 'der';
  certificates: FileCertificate[];
  /** Blocks that are not certificates, each said once: "block 3: a private key (PRIVATE KEY)". */
  notes: string[];
  /** A private key sits in the file beside the certificates. */
  privateKeyInside: boolean;
}

/** Larger than any bundle of every public root there is (about 200 kB), and small enough to read at once. */
export const MAX_CERT_FILE_BYTES = 64 * 1024 * 1024;

/** The line that says how to turn a PKCS#12 file into the PEM files nginx reads. */
export const PKCS12_HINT = 'convert it first: `openssl pkcs12 -in FILE -nokeys -out fullchain.pem` and `openssl pkcs12 -in FILE -nocerts -nodes -out privkey.pem`';

/** Reads a file whole, or says in one line why it cannot: `what` names it as the user did ("--key k.pem"). */
export function readInputFile(path: string, what: string): Buffer {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new CertFileError('UNREADABLE', `${what}: a directory, not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof CertFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CertFileError(code === 'ENOENT' ? 'NOT_FOUND' : 'UNREADABLE', `${what}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (size > MAX_CERT_FILE_BYTES) throw new CertFileError('TOO_LARGE', `${what}: ${size} bytes, more than the ${MAX_CERT_FILE_BYTES} a certificate file may have`);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CertFileError('UNREADABLE', `${what}: ${(e as Error).message}`);
  }
}

/** A PEM block: its label, its base64 body decoded, and the line it starts on. */
export interface PemBlock {
  label: string;
  der: Buffer;
  line: number;
  /** The body holds RFC 1421 headers (Proc-Type: 4,ENCRYPTED): an old-style encrypted key. */
  headers: boolean;
}

/** Every PEM block of a text, in order: one pass, so a bundle of thousands reads in linear time. */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const begin = /-----BEGIN ([A-Z0-9 #._-]{1,64})-----/g;
  let line = 1;
  let counted = 0;
  for (let m = begin.exec(text); m; m = begin.exec(text)) {
    const endMark = `-----END ${m[1]}-----`;
    const end = text.indexOf(endMark, begin.lastIndex);
    if (end < 0) break;
    for (let i = counted; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    counted = m.index;
    const body = text.slice(begin.lastIndex, end);
    out.push({ label: m[1], der: Buffer.from(body.replace(/^[\w-]+:.*$/gm, ''), 'base64'), line, headers: /^[\w-]+:/m.test(body) });
    begin.lastIndex = end + endMark.length;
  }
  return out;
}

/** The length of the DER element at the start of `der` (tag, length, contents), read through the bounds-checked reader. */
export function derElementLength(der: Uint8Array): number {
  const r = new ByteReader(der);
  r.u8('DER tag');
  const first = r.u8('DER length');
  if (first < 0x80) return r.pos + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4) r.fail('a DER length of 1 to 4 bytes', `${n} length bytes`);
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + r.u8('DER length');
  return r.pos + len;
}

/** A PKCS#12 file: a DER SEQUENCE whose first element is INTEGER 3 (RFC 7292's PFX version). */
export function looksLikePkcs12(der: Uint8Array): boolean {
  try {
    const r = new ByteReader(der);
    if (r.u8('tag') !== 0x30) return false;
    const first = r.u8('length');
    if (first >= 0x80) for (let i = 0; i < (first & 0x7f); i++) r.u8('length');
    return r.u8('tag') === 0x02 && r.u8('length') === 1 && r.u8('version') === 3;
  } catch (e) {
    if (e instanceof TlsParseError) return false;
    throw e;
  }
}

const KEY_LABEL = /PRIVATE KEY$/;

/**
 * Certificates read from one file at most: a chain has a handful and a CA bundle a few hundred;
 * past this the blocks are counted, not parsed (each costs a parse and a signature check), so a
 * file of any size is read in bounded time.
 */
export const MAX_CERTIFICATES_PER_FILE = 1000;

function certificateOf(der: Uint8Array, path: string, index: number): FileCertificate {
  const d = describeCertificate(der);
  return { file: path, index, info: d.info, ...(d.cert ? { cert: d.cert } : {}) };
}

function fromPem(path: string, what: string, text: string, bytes: number): CertificateFileRead {
  const blocks = pemBlocks(text);
  const certificates: FileCertificate[] = [];
  const notes: string[] = [];
  let privateKeyInside = false;
  let skipped = 0;
  blocks.forEach((b, k) => {
    const where = `block ${k + 1} (line ${b.line})`;
    const isCertificate = b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE';
    if (isCertificate && certificates.length >= MAX_CERTIFICATES_PER_FILE) {
      skipped++;
    } else if (isCertificate) {
      // OpenSSL's trusted form is the certificate followed by its trust settings: the first element is the certificate.
      let der: Uint8Array = b.der;
      if (b.label === 'TRUSTED CERTIFICATE') {
        der = b.der.subarray(0, Math.min(b.der.length, safeLength(b.der)));
        notes.push(`${where}: OpenSSL's TRUSTED CERTIFICATE form; its trust settings are not read`);
      }
      const c = certificateOf(der, path, certificates.length + 1);
      if (c.info.error) throw new CertFileError('NOT_CERTIFICATE', `${what}: ${where} is labelled ${b.label} but is not a readable certificate (${c.info.error})`);
      certificates.push(c);
    } else if (KEY_LABEL.test(b.label)) {
      privateKeyInside = true;
      notes.push(`${where}: a private key (${b.label}) in the certificate file; nginx's ssl_certificate skips it, but the file must then be as secret as the key`);
    } else {
      notes.push(`${where}: ${b.label}, not a certificate: skipped`);
    }
  });
  if (certificates.length === 0) throw new CertFileError('NOT_CERTIFICATE', `${what}: holds no certificate, only ${describeBlocks(blocks)}`);
  if (skipped > 0) notes.push(`${skipped} more certificate(s) after the first ${MAX_CERTIFICATES_PER_FILE} were not read`);
  return { path, bytes, encoding: 'pem', certificates, notes, privateKeyInside };
}

function safeLength(der: Uint8Array): number {
  try {
    return derElementLength(der);
  } catch {
    return der.length;
  }
}

function describeBlocks(blocks: PemBlock[]): string {
  const labels = [...new Set(blocks.map((b) => b.label))];
  const key = labels.some((l) => KEY_LABEL.test(l)) ? ': is it the private key? Name it with --key and give the certificate file first' : '';
  const csr = labels.some((l) => l.includes('REQUEST')) ? ': a certificate signing request is what a CA signs, not the certificate it returns' : '';
  return `${blocks.length} PEM block(s) of ${labels.join(', ')}${key || csr}`;
}

/** What a file that is neither PEM nor a DER certificate looks like, in a few words. */
function whatItIs(bytes: Buffer): string {
  const head = bytes.subarray(0, 64).toString('latin1');
  if (/^[\t\n\r\x20-\x7e]*$/.test(head)) {
    const first = head.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
    return `text with no PEM block (it starts "${first.slice(0, 40)}")`;
  }
  return `${bytes.length} bytes that are neither PEM nor a DER certificate (they start ${bytes.subarray(0, 4).toString('hex')})`;
}

/**
 * The certificates of one file, PEM (any number of blocks, other blocks noted and skipped) or
 * DER (one certificate). PKCS#12 is refused with the command that converts it: Node has no
 * reader for it, and the file usually holds the key too.
 */
export function parseCertificateFile(path: string, bytes: Buffer, what = path): CertificateFileRead {
  if (bytes.length === 0) throw new CertFileError('EMPTY', `${what}: the file is empty`);
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN ')) return fromPem(path, what, text, bytes.length);
  if (looksLikePkcs12(bytes)) throw new CertFileError('PKCS12', `${what}: a PKCS#12 (.p12/.pfx) file, which tlsdoctor does not read: ${PKCS12_HINT.replace(/FILE/g, path)}`);
  const c = certificateOf(bytes, path, 1);
  if (c.info.error) throw new CertFileError('NOT_CERTIFICATE', `${what}: holds no certificate: ${whatItIs(bytes)}`);
  return { path, bytes: bytes.length, encoding: 'der', certificates: [c], notes: [], privateKeyInside: false };
}

export function readCertificateFile(path: string, what = path): CertificateFileRead {
  return parseCertificateFile(path, readInputFile(path, what), what);
}
