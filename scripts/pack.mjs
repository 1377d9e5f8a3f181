// Makes an installable tarball of the CLI: `npm run pack`, then `npm install -g ./tlsdoctor-VERSION.tgz`
// gives a `tlsdoctor` that runs anywhere, without this workspace. The workspace's own packages go
// inside the tarball as bundled dependencies (they are not published); their registry
// dependencies (yargs, undici) are the tarball's dependencies, installed by npm.
// Dev dependencies and ../shared are not needed at run time and are not included.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? ROOT);
const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const read = (dir) => JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
const cliDir = 'packages/cli';
const cli = read(cliDir);
const libraries = root.workspaces.filter((w) => w !== cliDir).map((dir) => ({ dir, pkg: read(dir) }));

const stage = mkdtempSync(join(tmpdir(), 'tlsdoctor-pack-'));
try {
  const keep = (src) => !src.endsWith('.tsbuildinfo') && !/\.test\.(js|d\.ts)(\.map)?$/.test(src) && !/fixtures\.(js|d\.ts)(\.map)?$/.test(src);
  cpSync(join(ROOT, cliDir, 'bin'), join(stage, 'bin'), { recursive: true });
  cpSync(join(ROOT, cliDir, 'dist'), join(stage, 'dist'), { recursive: true, filter: keep });
  // The bundle of dist/ and its dependencies starts faster; dist/ stays for the `tlsdoctor/main` export.
  cpSync(join(ROOT, cliDir, 'bundle'), join(stage, 'bundle'), { recursive: true });
  const external = { ...Object.fromEntries(Object.entries(cli.dependencies).filter(([n]) => !n.startsWith('@tlsdoctor/'))) };
  for (const { dir, pkg } of libraries) {
    const to = join(stage, 'node_modules', ...pkg.name.split('/'));
    mkdirSync(to, { recursive: true });
    cpSync(join(ROOT, dir, 'dist'), join(to, 'dist'), { recursive: true, filter: keep });
    // npm takes a bundled package's dependencies for parts of the bundle too, and leaves them
    // empty when the bundle lacks them: they are listed once, at the top, where Node finds them.
    const { devDependencies: _dev, scripts: _scripts, dependencies: _deps, ...rest } = pkg;
    writeFileSync(join(to, 'package.json'), JSON.stringify(rest, null, 2) + '\n');
    for (const [n, v] of Object.entries(pkg.dependencies ?? {})) if (!n.startsWith('@tlsdoctor/')) external[n] = v;
  }
  const bundled = libraries.map((l) => l.pkg.name);
  const manifest = {
    name: cli.name,
    version: cli.version,
    description: root.description,
    type: 'module',
    license: root.license,
    engines: root.engines,
    bin: cli.bin,
    files: ['bin', 'bundle', 'dist', 'README.md'],
    dependencies: { ...Object.fromEntries(bundled.map((n) => [n, libraries.find((l) => l.pkg.name === n).pkg.version])), ...external },
    bundleDependencies: bundled,
  };
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  cpSync(join(ROOT, 'README.md'), join(stage, 'README.md'));
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: stage, encoding: 'utf8' }).trim().split('\n').pop();
  console.log(join(out, name));
} finally {
  rmSync(stage, { recursive: true, force: true });
}
