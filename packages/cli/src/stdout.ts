import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes to standard output and returns once the piece is written, whatever standard output is;
 * returns true then (the caller may fill the piece's buffer again).
 *
 * Why: process.stdout queues what a pipe cannot take at once, and a report written in one
 * synchronous pass never lets that queue drain: a JSON report of 100,000 connections piped to a
 * slower reader (jq, gzip, ssh) was held whole in memory, 600 MB of it. Here a full pipe is
 * waited for, a millisecond at a time. A reader that has gone (`| head`) ends the process
 * quietly, as it does for process.stdout (bin/tlsdoctor.js).
 */
export function writeOut(piece: string | Uint8Array): boolean {
  // Whatever process.stdout still holds must go out first: the piece joins its queue.
  if (process.stdout.writableLength > 0) {
    process.stdout.write(piece);
    return false;
  }
  const buf = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
  for (let off = 0; off < buf.length; ) {
    try {
      off += writeSync(1, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    }
  }
  return true;
}
