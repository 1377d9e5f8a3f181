// Bundles the CLI (packages/cli/dist, built by tsc) with everything it imports into
// packages/cli/bundle/: the entry and a few chunks (the probe and explain commands stay apart,
// loaded when they run). Node 20 has no cache of compiled modules: loading ~140 modules one by
// one (resolving, reading, compiling each) took a third of a small capture's report.
// bin/tlsdoctor.js runs the bundle when it is there, else dist/. `npm run build` makes both.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(ROOT, 'packages/cli');
const outdir = join(cli, 'bundle');

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(cli, 'dist/main.js')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Some dependencies are CommonJS and call require(): an ES module has none of its own.
  banner: { js: "import { createRequire as tlsdoctorCreateRequire } from 'node:module'; const require = tlsdoctorCreateRequire(import.meta.url);" },
  // The bundled libraries' licence notices go with it.
  legalComments: 'eof',
  logLevel: 'warning',
});
