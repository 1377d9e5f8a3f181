#!/usr/bin/env node
// The bundle (`npm run build` makes it) starts a third faster than the ~140 modules of dist/,
// which it is made from; without it (a build by tsc alone), dist/ runs.
const { main } = await import('../bundle/main.js').catch((e) => {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && e.url === new URL('../bundle/main.js', import.meta.url).href) return import('../dist/main.js');
  throw e;
});

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
