import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { NetlogError } from './errors.js';
import { toEvent, type NetlogEvent } from './event.js';
import { fallbackNames, namesFromConstants, type NetlogNames } from './names.js';
import { NetlogScanner } from './scanner.js';

export interface NetlogReadResult {
  names: NetlogNames;
  gzip: boolean;
  /** Bytes of NetLog text read (after decompression). */
  bytes: number;
  /** Events handed on. */
  events: number;
  /** Elements of `events` that were not events (no numbered type or source). */
  skipped: number;
  /** The file ended with its closing brackets. */
  complete: boolean;
  /** Where a cut file stopped, in words. */
  stoppedAt?: string;
  /** The error that stopped reading early; events before it were handed on. */
  error?: NetlogError;
}

export interface NetlogReadOptions {
  /** Size of each read; NetLogs are read in chunks of this size whatever their length. */
  chunkSize?: number;
}

function open(path: string): number {
  try {
    const fd = openSync(path, 'r');
    if (fstatSync(fd).isDirectory()) {
      closeSync(fd);
      throw new NetlogError('UNREADABLE', `${path}: is a directory, not a NetLog`);
    }
    return fd;
  } catch (e) {
    if (e instanceof NetlogError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new NetlogError('NOT_FOUND', `${path}: no such file`);
    if (err.code === 'EISDIR') throw new NetlogError('UNREADABLE', `${path}: is a directory, not a NetLog`);
    throw new NetlogError('UNREADABLE', `${path}: cannot open (${err.code ?? err.message})`);
  }
}

/**
 * Reads a NetLog file (plain, or gzip as support desks often pass them on) in bounded memory and
 * hands each event on as it is read. A file that is not JSON, not a NetLog, or empty throws one
 * NetlogError; one that goes wrong after events were read returns them with the error.
 */
export async function readNetlogFile(path: string, onEvent: (e: NetlogEvent, names: NetlogNames) => void, opts: NetlogReadOptions = {}): Promise<NetlogReadResult> {
  // One open for the whole read: the file sniffed is the file streamed.
  const fd = open(path);
  let gzip = false;
  try {
    const size = fstatSync(fd).size;
    if (size === 0) throw new NetlogError('EMPTY', `${path}: the file is empty`);
    const head = new Uint8Array(2);
    readSync(fd, head, 0, 2, 0);
    gzip = head[0] === 0x1f && head[1] === 0x8b;
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  const state = { names: fallbackNames(), skipped: 0, handed: 0 };
  const scanner = new NetlogScanner({
    constants: (c) => {
      state.names = namesFromConstants(c);
    },
    event: (raw, index) => {
      const e = toEvent(raw, index, state.names);
      if (!e) state.skipped++;
      else {
        state.handed++;
        onEvent(e, state.names);
      }
    },
  });
  let bytes = 0;
  let error: NetlogError | undefined;
  const raw = createReadStream(path, { fd, start: 0, autoClose: true, highWaterMark: opts.chunkSize ?? 1024 * 1024 });
  // pipeline, not pipe: an error of the file's stream must reach the loop through the gunzip.
  const stream = gzip ? pipeline(raw, createGunzip(), () => {}) : raw;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      try {
        scanner.push(chunk);
      } catch (e) {
        if (!(e instanceof NetlogError)) throw new HandlerError(e);
        error = located(path, e, state.handed);
        break;
      }
      bytes += chunk.length;
    }
  } catch (e) {
    raw.destroy();
    // A fault of ours (in reading the events) is not the file's: it goes on up as it was.
    if (e instanceof HandlerError) throw e.fault;
    const code = (e as NodeJS.ErrnoException).code;
    // A gzip stream that ends early is a cut NetLog: what was inflated before the cut is read,
    // and the scanner says where the text stops. Any other gzip fault is the file's.
    if (!(gzip && code === 'Z_BUF_ERROR')) error = new NetlogError(gzip ? 'GZIP' : 'UNREADABLE', `${path}: ${gzip ? 'gzip: ' : ''}${(e as Error).message}`);
  }
  raw.destroy();
  if (error) {
    if (state.handed === 0) throw error;
    return { names: state.names, gzip, bytes, events: state.handed, skipped: state.skipped, complete: false, error };
  }
  let end;
  try {
    end = scanner.finish();
  } catch (e) {
    if (e instanceof NetlogError) throw located(path, e, state.handed);
    throw e;
  }
  return { names: state.names, gzip, bytes, events: state.handed, skipped: state.skipped, complete: end.complete, stoppedAt: end.stoppedAt };
}

/** An error thrown while the events were read, told apart from the stream's own. */
class HandlerError extends Error {
  constructor(readonly fault: unknown) {
    super('a fault while the events were read');
  }
}

/** The error's message led by the file's name, as every input error is printed. */
function located(path: string, e: NetlogError, events: number): NetlogError {
  const after = events > 0 && e.code === 'BAD_JSON' ? ` after ${events} event(s)` : '';
  return new NetlogError(e.code, `${path}: ${e.message.replace(/ \(at byte \d+\)$/, '')}${after}`, e.offset);
}
