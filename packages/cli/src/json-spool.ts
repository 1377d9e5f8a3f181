import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { JSON_LIST_CLOSING, jsonListOpening, listItemJson, RedactionKeys, writeJsonList, type RedactMode } from '@tlsdoctor/report';
import { TlsdoctorError } from '@tlsdoctor/tls-parser-ts';
import type { FileItem, ItemSink, PcapHead } from './report-sink.js';

/** Items' text is encoded into a staging buffer of this size and written out when it is full. */
const STAGING = 1 << 20;
/** The report is written in pieces of about this size. */
const OUTPUT_PIECE = 1 << 20;
/** Items in spool order are read this much at a time. */
const READ_WINDOW = 256 * 1024;

/** The JSON report's temporary file cannot be made or written: the report cannot be, whatever the captures hold. */
export class SpoolError extends TlsdoctorError {
  readonly code = 'SPOOL';
}

/** Where one file's items lie in the spool, in the order they arrived (their connections' ends). */
class FileIndex {
  ids = new Float64Array(1024);
  offsets = new Float64Array(1024);
  lengths = new Float64Array(1024);
  size = 0;

  push(id: number, offset: number, length: number): void {
    if (this.size === this.ids.length) {
      this.ids = grown(this.ids);
      this.offsets = grown(this.offsets);
      this.lengths = grown(this.lengths);
    }
    this.ids[this.size] = id;
    this.offsets[this.size] = offset;
    this.lengths[this.size] = length;
    this.size++;
  }

  /** Positions of the entries in id order. */
  order(): Uint32Array {
    const o = new Uint32Array(this.size);
    for (let i = 0; i < o.length; i++) o[i] = i;
    return o.sort((a, b) => this.ids[a] - this.ids[b]);
  }
}

function grown(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * The items of a JSON report, every one of them, without holding them: each item's JSON text
 * goes to a temporary file as its connection ends, and is read back, file after file and by id
 * within a file, when the report is written. Memory holds 24 bytes per item (where its text lies)
 * and one entry per distinct address or name (for --redact), not the items.
 *
 * The file is unlinked as soon as it is opened (where the system allows): nothing is left behind,
 * even if the process is killed. It is created readable by its owner only: it holds what the
 * capture showed.
 */
export class JsonSpool implements ItemSink {
  private readonly fd: number;
  private readonly path: string;
  private unlinked = false;
  private written = 0;
  private staging = Buffer.allocUnsafe(STAGING);
  private staged = 0;
  private current = new FileIndex();
  private readonly files: FileIndex[] = [];
  private readonly keys = new RedactionKeys();
  private fileKeys = new RedactionKeys();
  /** Items of earlier files come first: a file's place times this, plus the id, orders items for redaction. */
  private fileNumber = 0;

  /**
   * `mode`: how the report will be redacted (the values to replace are noted only then); `write`
   * takes the report's pieces (see writeReport).
   */
  constructor(private readonly mode: RedactMode, private readonly write: (piece: string | Uint8Array) => boolean | void, dir = tmpdir()) {
    this.path = join(dir, `tlsdoctor-${process.pid}-${randomBytes(6).toString('hex')}.json.tmp`);
    try {
      this.fd = openSync(this.path, 'wx+', 0o600);
    } catch (e) {
      throw new SpoolError(`cannot create the JSON report's temporary file in ${dir} (${errorCode(e)}); set TMPDIR to a writable directory`);
    }
    try {
      unlinkSync(this.path);
      this.unlinked = true;
    } catch {
      // Windows keeps an open file's name: it goes in close().
    }
  }

  private get redacting(): boolean {
    return this.mode !== 'none';
  }

  startFile(): void {}

  add(it: FileItem): void {
    if (this.redacting) this.fileKeys.note(it, this.fileNumber * 2 ** 32 + it.id);
    const text = listItemJson(it);
    // UTF-8 takes at most 3 bytes per UTF-16 unit: room for that means the text fits whole.
    if (this.staged + text.length * 3 > this.staging.length) {
      this.flush();
      if (text.length * 3 > this.staging.length) this.staging = Buffer.allocUnsafe(text.length * 3);
    }
    // Encoded once, straight into the buffer that is written: its length comes from the write.
    const bytes = this.staging.write(text, this.staged);
    this.current.push(it.id, this.written, bytes);
    this.written += bytes;
    this.staged += bytes;
  }

  endFile(): void {
    this.files.push(this.current);
    this.current = new FileIndex();
    this.keys.absorb(this.fileKeys);
    this.fileKeys = new RedactionKeys();
    this.fileNumber++;
  }

  /** Forgets the current file's items (a file that could not be read); their text stays unread in the spool. */
  dropFile(): void {
    this.current = new FileIndex();
    this.fileKeys = new RedactionKeys();
    this.fileNumber++;
  }

  private get count(): number {
    return this.files.reduce((n, f) => n + f.size, 0);
  }

  /** Writes the report, then lets the spool go. */
  finish(head: PcapHead): void {
    try {
      this.writeReport(head);
    } finally {
      this.close();
    }
  }

  /**
   * Writes the report: `head` (everything but the list) and the spooled items, in report order,
   * redacted as the mode says with placeholders numbered in that order, head included. Redaction
   * works on the items' text: they are never parsed back. `write` returns true when it is done
   * with the piece it was given (written out, not queued), so that its buffer can be filled again.
   */
  writeReport(head: PcapHead): void {
    const { mode, write } = this;
    this.flush();
    head.input.files.forEach((f, i) => this.keys.noteFile(f.path, i));
    if (mode === 'none' && this.count > 0) this.writeBytes(head, write);
    else writeJsonList(this.keys.redactor(mode)(head), 'connections', this.count, this.texts(this.keys.textRedactor(mode)), write);
  }

  /**
   * The report unredacted: the items' bytes go from the spool into the output as they are, never
   * decoded into strings and encoded again (that was most of a JSON report's writing time).
   * A piece's buffer is filled again only when `write` says it is done with it: a stream that
   * queues a piece holds on to it. Fresh buffers cost a page fault per 4 kB, a sixth of the
   * writing time on a 120 MB report.
   */
  private writeBytes(head: PcapHead, write: (piece: Uint8Array | string) => boolean | void): void {
    write(jsonListOpening(head, 'connections'));
    const count = this.count;
    let out = Buffer.allocUnsafe(OUTPUT_PIECE);
    let used = 0;
    let n = 0;
    for (const f of this.files) {
      for (const i of f.order()) {
        const len = f.lengths[i];
        if (used + len + 2 > out.length) {
          const done = used === 0 || write(out.subarray(0, used)) === true;
          if (!done || len + 2 > out.length) out = Buffer.allocUnsafe(Math.max(OUTPUT_PIECE, len + 2));
          used = 0;
        }
        this.readItem(out, used, len, f.offsets[i]);
        used += len;
        if (++n < count) out[used++] = 0x2c; // ','
        out[used++] = 0x0a;
      }
    }
    if (used > 0) write(out.subarray(0, used));
    write(JSON_LIST_CLOSING);
  }

  private *texts(redact: (json: string) => string): Generator<string> {
    let buf = Buffer.alloc(64 * 1024);
    for (const f of this.files) {
      for (const i of f.order()) {
        const len = f.lengths[i];
        if (len > buf.length) buf = Buffer.alloc(Math.max(len, buf.length * 2));
        this.readItem(buf, 0, len, f.offsets[i]);
        yield redact(buf.toString('utf8', 0, len));
      }
    }
  }

  private readonly window = { bytes: Buffer.allocUnsafe(READ_WINDOW), start: 0, end: 0, lastEnd: -1 };

  /**
   * Reads the `len` bytes of an item spooled at `offset` into `into` at `at`. Items are read in
   * id order and were spooled as their connections ended, which on most captures is nearly the
   * same order: an item that starts where the last one ended is read through a window of the
   * spool, one read for many items; any other is read alone.
   */
  private readItem(into: Buffer, at: number, len: number, offset: number): void {
    const w = this.window;
    if (offset >= w.start && offset + len <= w.end) {
      w.bytes.copy(into, at, offset - w.start, offset - w.start + len);
    } else if (offset === w.lastEnd && len <= READ_WINDOW / 4) {
      const want = Math.min(READ_WINDOW, this.written - offset);
      this.readFully(w.bytes, 0, want, offset);
      w.start = offset;
      w.end = offset + want;
      w.bytes.copy(into, at, 0, len);
    } else {
      this.readFully(into, at, len, offset);
    }
    w.lastEnd = offset + len;
  }

  private readFully(into: Buffer, at: number, len: number, offset: number): void {
    for (let got = 0; got < len; ) {
      const n = readSync(this.fd, into, at + got, len - got, offset + got);
      if (n === 0) throw new Error(`the JSON report's temporary file ${this.path} ended early`);
      got += n;
    }
  }

  close(): void {
    closeSync(this.fd);
    if (!this.unlinked) {
      try {
        unlinkSync(this.path);
      } catch {
        // Already gone.
      }
    }
  }

  private flush(): void {
    const b = this.staging;
    try {
      for (let off = 0; off < this.staged; ) off += writeSync(this.fd, b, off, this.staged - off);
    } catch (e) {
      throw new SpoolError(`cannot write the JSON report's temporary file in ${dirname(this.path)} (${errorCode(e)}); set TMPDIR to a directory with room`);
    }
    this.staged = 0;
  }
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}
