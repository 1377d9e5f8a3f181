import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CaptureError } from './errors.js';
import { describeFileStart, detectFormat } from './magic.js';
import type { BlockParser, RawPacket } from './packet.js';
import { PcapParser } from './pcap.js';
import { PcapngParser } from './pcapng.js';

export interface ReadOptions {
  /**
   * Called now and then with bytes read from the file (compressed bytes for gzip) and its size;
   * from a stream, with the capture bytes read (after decompression) and a size of 0 (unknown).
   */
  onProgress?: (bytesRead: number, fileSize: number) => void;
  /** Size of the read buffer; blocks larger than it make it grow, up to 128 MiB. */
  chunkSize?: number;
  /** pcapng Decryption Secrets Blocks holding a TLS key log: their text, in file order. */
  onTlsKeyLog?: (text: string) => void;
}

export interface ReadResult {
  format: 'pcap' | 'pcapng';
  gzip: boolean;
  packets: number;
  bytes: number;
  warnings: string[];
  /** The error that stopped reading early; packets before it were delivered. */
  error?: CaptureError;
}

const MAX_BUFFER = 128 * 1024 * 1024;

/**
 * Reads a capture file block by block and hands each packet to `onPacket`. The format comes
 * from the magic bytes; gzip is undone on the fly. Memory stays at one read buffer, whatever
 * the size of the file.
 */
export async function readCaptureFile(path: string, onPacket: (p: RawPacket) => void, opts: ReadOptions = {}): Promise<ReadResult> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new CaptureError('NOT_FOUND', `${path}: no such file`);
    if (err.code === 'EISDIR') throw new CaptureError('UNREADABLE', `${path}: is a directory, not a capture file`);
    throw new CaptureError('UNREADABLE', `${path}: cannot open (${err.code ?? err.message})`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new CaptureError('UNREADABLE', `${path}: is a directory, not a capture file`);
    if (st.size === 0) throw new CaptureError('EMPTY', `${path}: the file is empty`);
    const head = new Uint8Array(4);
    const got = readSync(fd, head, 0, 4, 0);
    if (got >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      closeSync(fd);
      fd = -1;
      return await readGzip(path, st.size, onPacket, opts);
    }
    return readPlain(path, fd, st.size, onPacket, opts);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

const FOUND = new Error('first packet found');

/**
 * The time of a capture file's first packet in seconds, or undefined when it holds none or
 * cannot be read: enough to tell whether it takes up where another file stopped (a rotation).
 */
export async function firstPacketTime(path: string): Promise<number | undefined> {
  let t: number | undefined;
  try {
    await readCaptureFile(path, (p) => {
      t = p.tsSec + p.tsNsec / 1e9;
      throw FOUND;
    }, { chunkSize: 64 * 1024 });
  } catch (e) {
    if (e !== FOUND && !(e instanceof CaptureError)) throw e;
  }
  return t;
}

function makeParser(path: string, first: Uint8Array, onPacket: (p: RawPacket) => void, gzip: boolean, onTlsKeyLog?: (text: string) => void): { parser: BlockParser; format: 'pcap' | 'pcapng' } {
  const format = detectFormat(first);
  if (!format) {
    const what = describeFileStart(first);
    throw new CaptureError('BAD_MAGIC', `${path}: not a pcap or pcapng capture${gzip ? ' (inside gzip)' : ''}: it starts with ${what}`, 0);
  }
  return { parser: format === 'pcap' ? new PcapParser(onPacket) : new PcapngParser(onPacket, onTlsKeyLog), format };
}

/** A full read buffer, doubled for a block that does not fit it; up to MAX_BUFFER. */
function grown(buf: Uint8Array<ArrayBuffer>, path: string, bufFileOffset: number): Uint8Array<ArrayBuffer> {
  if (buf.length >= MAX_BUFFER) throw new CaptureError('BAD_BLOCK', `${path}: a block larger than ${MAX_BUFFER} bytes`, bufFileOffset);
  const bigger = new Uint8Array(buf.length * 2);
  bigger.set(buf);
  return bigger;
}

function countingSink(onPacket: (p: RawPacket) => void, stats: { packets: number; bytes: number }) {
  return (p: RawPacket) => {
    stats.packets++;
    stats.bytes += p.capLen;
    onPacket(p);
  };
}

function readPlain(path: string, fd: number, size: number, onPacket: (p: RawPacket) => void, opts: ReadOptions): ReadResult {
  let buf = new Uint8Array(opts.chunkSize ?? 4 * 1024 * 1024);
  let fill = 0;
  let filePos = 0;
  let bufFileOffset = 0;
  const stats = { packets: 0, bytes: 0 };
  let parser: BlockParser | undefined;
  let format: 'pcap' | 'pcapng' = 'pcap';
  const sink = countingSink(onPacket, stats);
  for (;;) {
    if (fill === buf.length) buf = grown(buf, path, bufFileOffset);
    const n = readSync(fd, buf, fill, buf.length - fill, filePos);
    filePos += n;
    fill += n;
    const eof = n === 0 || filePos >= size;
    if (!parser) {
      if (fill < 4 && !eof) continue;
      ({ parser, format } = makeParser(path, buf.subarray(0, fill), sink, false, opts.onTlsKeyLog));
    }
    let consumed: number;
    try {
      consumed = parser.feed(buf, fill, eof, bufFileOffset);
    } catch (e) {
      if (e instanceof CaptureError) return { format, gzip: false, ...stats, warnings: parser.warnings, error: e };
      throw e;
    }
    opts.onProgress?.(filePos, size);
    if (eof) return { format, gzip: false, ...stats, warnings: parser.warnings };
    // Keep the unfinished block at the front; the next read fills in behind it.
    buf.copyWithin(0, consumed, fill);
    fill -= consumed;
    bufFileOffset += consumed;
  }
}

async function readGzip(path: string, size: number, onPacket: (p: RawPacket) => void, opts: ReadOptions): Promise<ReadResult> {
  const file = createReadStream(path);
  const gunzip = createGunzip();
  file.pipe(gunzip);
  try {
    return await readChunks(path, gunzip, true, onPacket, opts, () => opts.onProgress?.(file.bytesRead, size));
  } finally {
    file.destroy();
  }
}

/**
 * Reads a capture from a stream (standard input, a pipe): pcap or pcapng, gzip-compressed or
 * not (told by the first two bytes, as for a file). Packets are handed on as their blocks
 * arrive, so a capture still being written (`tcpdump -U -w - | tlsdoctor pcap -`) is read as it
 * grows. `name` is what messages call the input.
 */
export async function readCaptureStream(name: string, source: Readable, onPacket: (p: RawPacket) => void, opts: ReadOptions = {}): Promise<ReadResult> {
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first: Buffer[] = [];
  let got = 0;
  let ended = false;
  while (got < 2) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    first.push(r.value);
    got += r.value.length;
  }
  if (got === 0) throw new CaptureError('EMPTY', `${name}: no data (the input is empty)`);
  const head = Buffer.concat(first);
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    if (ended) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  const bytes = Readable.from(all(), { objectMode: false });
  const progress = (read: number) => opts.onProgress?.(read, 0);
  if (head[0] !== 0x1f || head[1] !== 0x8b) return readChunks(name, bytes, false, onPacket, opts, progress);
  const gunzip = createGunzip();
  // pipeline, not pipe: an error of the input reaches the gunzip stream, and so the reader.
  pipeline(bytes, gunzip, () => undefined);
  return readChunks(name, gunzip, true, onPacket, opts, progress);
}

/** Reads the blocks of a capture from a stream of chunks; `gzip`: the chunks are decompressed ones. */
async function readChunks(path: string, chunks: AsyncIterable<Uint8Array>, gzip: boolean, onPacket: (p: RawPacket) => void, opts: ReadOptions, progress: (captureBytesRead: number) => void): Promise<ReadResult> {
  const stats = { packets: 0, bytes: 0 };
  const sink = countingSink(onPacket, stats);
  let buf = new Uint8Array(opts.chunkSize ?? 4 * 1024 * 1024);
  let fill = 0;
  let bufFileOffset = 0;
  let parser: BlockParser | undefined;
  let format: 'pcap' | 'pcapng' = 'pcap';
  const step = (eof: boolean): void => {
    if (!parser) {
      if (fill < 4 && !eof) return;
      if (fill === 0) throw new CaptureError('EMPTY', gzip ? `${path}: the gzip stream holds no data` : `${path}: no data (the input is empty)`);
      ({ parser, format } = makeParser(path, buf.subarray(0, fill), sink, gzip, opts.onTlsKeyLog));
    }
    const consumed = parser.feed(buf, fill, eof, bufFileOffset);
    buf.copyWithin(0, consumed, fill);
    fill -= consumed;
    bufFileOffset += consumed;
  };
  try {
    for await (const chunk of chunks) {
      let off = 0;
      while (off < chunk.length) {
        if (fill === buf.length) buf = grown(buf, path, bufFileOffset);
        const take = Math.min(chunk.length - off, buf.length - fill);
        buf.set(chunk.subarray(off, off + take), fill);
        fill += take;
        off += take;
        step(false);
      }
      progress(bufFileOffset + fill);
    }
    step(true);
  } catch (e) {
    if (e instanceof CaptureError) {
      if (!parser) throw e;
      return { format, gzip, ...stats, warnings: parser.warnings, error: e };
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code && err.code.startsWith('Z_')) {
      // Cut-off gzip data: what was decompressed so far still counts.
      const ce = new CaptureError('GZIP', `${path}: the gzip data is damaged or cut short (${err.message})`);
      if (!parser) throw ce;
      try {
        step(true);
      } catch {
        /* the partial block is reported through the parser's warnings */
      }
      return { format, gzip, ...stats, warnings: parser.warnings, error: ce };
    }
    throw e;
  }
  return { format, gzip, ...stats, warnings: parser ? parser.warnings : [] };
}
