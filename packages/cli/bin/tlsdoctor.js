#!/usr/bin/env node
import { main } from '../dist/main.js';

// A reader that stops early (`tlsdoctor pcap big.pcap | head`) closes the pipe: stop quietly, as
// other command-line tools do, instead of dying on an unhandled write error.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`tlsdoctor: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 70;
  },
);
