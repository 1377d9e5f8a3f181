#!/usr/bin/env node
// npm run bench: the codec's and the capture pipeline's speed and memory, beside tshark (docs/performance.md). Not a test: it prints.
//   codec:   ClientHello parses/s and JA4/s on the fixtures' hellos
//   capture: per shape of traffic (bulk data, handshake-dense one by one and interleaved, many
//            connections open at once, mostly non-TLS): the whole CLI's time (table and JSON),
//            µs per connection and per packet, peak RSS, beside tshark on the same file; on the
//            bulk shape, the pipeline's stages; the handshake-dense capture cut into rotated files
//            (editcap), read as one, and two processes on half of them each
//   netlog:  a NetLog of about 300 MB (a lab NetLog's events repeated): the whole CLI's time,
//            MB/s and peak RSS, whole and cut before its end, beside jq reading the same file
//   probe:   wall time of a full default probe of the lab's healthy nginx (needs root), next to
//            sslscan's and testssl.sh's on the same server when they are installed
//   serve:   (only with --only serve: it runs for 5 minutes) tlsdoctor serve under Prometheus with
//            200 lab targets: scrape durations by kind of host, timeouts, memory (bench/serve-load.mjs)
// Options: --shapes bulk,handshake-dense,... (default: every shape of bench/synthetic-capture.mjs),
//          --size-connections N (each shape's default otherwise), --runs N (3), --no-tshark,
//          --keep (reuse bench/out/), --no-stages, --no-rotation, --only codec|capture|netlog|probe|serve, --no-testssl,
//          --netlog-mb N (the NetLog's size, 300),
//          --stages-only (the stages alone: no whole-CLI runs), --against DIR (another checkout,
//          built: each shape's table and JSON runs, and each stage, alternate between its build and
//          this one's, and both are printed with their ratio: a paired comparison).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};

if (args[0] === '--child-capture') {
  // Runs in its own process so that its peak RSS is the pipeline's alone.
  const { analyzeCapture } = await import('../packages/analysis/dist/index.js');
  const { tuneHeapForCaptureAnalysis } = await import('../packages/cli/dist/heap-tuning.js');
  const { diagnoseConnection } = await import('../packages/diagnosis/dist/index.js');
  const file = args[1];
  // As `tlsdoctor pcap` does before it reads (packages/cli/src/heap-tuning.ts).
  if (!args.includes('--v8-defaults')) tuneHeapForCaptureAnalysis();
  const t0 = process.hrtime.bigint();
  const codes = new Map();
  let records = 0;
  const a = await analyzeCapture(file, {
    // As the CLI diagnoses: against how far the capture had gone, with what other connections showed.
    onRecord: (r, captureEnd, context) => {
      records++;
      const f = diagnoseConnection(r, { captureEnd, others: context })[0];
      codes.set(f.code, (codes.get(f.code) ?? 0) + 1);
    },
  });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ secs, packets: a.read.packets, bytes: statSync(file).size, connections: a.stats.connections, records, peakLive: a.stats.peakLive, rss, codes: Object.fromEntries(codes) }));
  process.exit(0);
}

if (args[0] === '--child-stage') {
  // The first stages alone, each in its own process: where the pipeline's time goes.
  //   read:  the readers alone (pcap records, no decoding);
  //   track: the readers, link/IP/TCP decoding, the connection table, the packet log and
  //          reassembly into a sink that takes views of the first 4 kB of each direction, as the
  //          TLS reader stops after a handshake;
  //   open-heap, open-heap-pipeline (run with --expose-gc): the heap per open connection at the
  //          first hand-on, when on the concurrent shape every connection is open: the tracker
  //          alone (no sinks), or the pipeline as the CLI runs it.
  // ROOT (optional) is another checkout's built tree (packages/*/dist): paired runs against an
  // older build.
  const [stage, file, root] = args.slice(1);
  const from = (pkg) => (root ? pathToFileURL(join(resolve(root), 'packages', pkg, 'dist', 'index.js')).href : `../packages/${pkg}/dist/index.js`);
  const { readCaptureFile, TcpTracker } = await import(from('capture'));
  const { analyzeCapture } = await import(from('analysis'));
  // The CLI sets this flag (packages/cli/src/heap-tuning.ts); an older build's analysis exported it.
  const tuning = join(root ? resolve(root) : ROOT, 'packages', 'cli', 'dist', 'heap-tuning.js');
  const { tuneHeapForCaptureAnalysis } = await import(existsSync(tuning) ? pathToFileURL(tuning).href : from('analysis'));
  tuneHeapForCaptureAnalysis();
  const t0 = process.hrtime.bigint();
  if (stage === 'read') {
    await readCaptureFile(file, () => {});
  } else if (stage === 'track') {
    const tracker = new TcpTracker({ onConnection: () => {}, sinkFactory: viewSink });
    await readCaptureFile(file, (p) => tracker.packet(p));
    tracker.finish();
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(JSON.stringify({ secs, packets: tracker.stats.packets, rss: process.resourceUsage().maxRSS * 1024 }));
    process.exit(0);
  } else {
    const heap = () => {
      globalThis.gc();
      const m = process.memoryUsage();
      return { heap: m.heapUsed, outside: m.arrayBuffers };
    };
    const base = heap();
    let at;
    const measure = (open) => {
      if (at) return;
      const now = heap();
      at = { open, heapPerOpen: (now.heap - base.heap) / open, outsidePerOpen: (now.outside - base.outside) / open };
    };
    if (stage === 'open-heap') {
      const tracker = new TcpTracker({ onConnection: () => measure(tracker.stats.connections) });
      await readCaptureFile(file, (p) => tracker.packet(p));
      tracker.finish();
    } else {
      // Measured at the first record; on the concurrent shape every connection is open then.
      let open = 0;
      const a = await analyzeCapture(file, { onRecord: () => measure(1) });
      open = a.stats.peakLive;
      at = { ...at, open, heapPerOpen: at.heapPerOpen / open, outsidePerOpen: at.outsidePerOpen / open };
    }
    console.log(JSON.stringify({ ...at, secs: Number(process.hrtime.bigint() - t0) / 1e9, rss: process.resourceUsage().maxRSS * 1024 }));
    process.exit(0);
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({ secs, rss: process.resourceUsage().maxRSS * 1024 }));
  process.exit(0);
}

/** A sink that takes views of the first 4 kB of each direction and keeps nothing. */
function viewSink() {
  const taken = [0, 0];
  return { data: (dir, bytes) => (taken[dir] += bytes.length) < 4096, keepsBytes: () => false };
}

const { parseClientHello, ja4, ja3, FingerprintCache, TlsStreamReader, buildClientHelloMessage } = await import('../packages/tls-parser-ts/dist/index.js');
const { readCaptureFile, TcpTracker } = await import('../packages/capture/dist/index.js');

async function fixtureHellos() {
  const hellos = [];
  for (const f of readdirSync(join(ROOT, 'fixtures')).filter((f) => !f.endsWith('.json') && !f.endsWith('.keys') && statSync(join(ROOT, 'fixtures', f)).isFile())) {
    const parts = new Map();
    const tracker = new TcpTracker({
      sinkFactory: (c) => {
        const r = new TlsStreamReader('client');
        parts.set(c, r);
        return { data: (dir, bytes) => {
          if (dir !== 0) return true;
          for (const e of r.push(bytes)) if (e.kind === 'handshake' && e.clientHello && !e.clientHello.sslv2Format) hellos.push(e.body.slice());
          return true;
        } };
      },
      onConnection: () => {},
    });
    await readCaptureFile(join(ROOT, 'fixtures', f), (p) => tracker.packet(p));
    tracker.finish();
  }
  return hellos;
}

function rate(fn, n) {
  for (let i = 0; i < Math.min(n, 20000); i++) fn(i); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  return n / secs;
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const only = opt('--only', undefined);
if (only === 'probe') {
  await probeBench();
  process.exit(0);
}
if (only === 'netlog') {
  await netlogBench();
  process.exit(0);
}
if (only === 'serve') {
  const { serveBench } = await import('../bench/serve-load.mjs');
  await serveBench(ROOT, args);
  process.exit(0);
}
console.log(`tlsdoctor bench on ${process.version}, ${(await import('node:os')).cpus()[0].model}, ${(await import('node:os')).cpus().length} cores`);

const hellos = await fixtureHellos();
// One fixture's hello carries a 20 kB ALPN list (2,000 protocol names): it is shown apart.
const typical = hellos.filter((h) => h.length < 4096);
const parses = rate((i) => parseClientHello(typical[i % typical.length]), 3_000_000);
const parsesAll = rate((i) => parseClientHello(hellos[i % hellos.length]), 500_000);
// A parse checks every length and the format of every extension it knows; arrays and strings
// are built when read. This figure adds reading what a report row shows of a hello.
let sink = 0;
const parseRead = rate((i) => {
  const h = parseClientHello(typical[i % typical.length]);
  sink += (h.serverNames?.length ?? 0) + (h.alpn?.length ?? 0) + h.cipherSuites.length + (h.supportedGroups?.length ?? 0) + (h.signatureAlgorithms?.length ?? 0) + (h.keyShares?.length ?? 0) + h.extensions.length + h.maxVersion;
}, 1_000_000);
// A capture's reader keeps fingerprints by the hello's shape and their digests by their input in
// a FingerprintCache (a capture's hellos come from a few client builds); ja3() and ja4() make
// them afresh. Each hello is parsed anew, as in a capture, and the parse is counted in: the
// fixtures' 34 hellos over and over measure a capture of a few client builds; 20,000 hellos
// whose cipher lists and signature algorithms all differ, more than the caches hold, measure a
// fingerprint made from nothing (Chrome permutes its extensions, so its hellos never repeat a
// shape). Each figure gets a new cache, as each capture does.
const fingerprintRate = (f, set, n) => rate((i) => f(parseClientHello(set[i % set.length])), n);
const cachedRate = (kind, set, n) => {
  const cache = new FingerprintCache();
  return fingerprintRate(kind === 'ja4' ? (h) => cache.ja4(h) : (h) => cache.ja3(h), set, n);
};
const distinct = Array.from({ length: 20_000 }, (_, i) => handshakeBody(buildClientHelloMessage({
  versions: [0x0304, 0x0303], cipherSuites: [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc000 + (i % 4096), 0x0100 + (i >> 12)],
  groups: [0x001d, 0x0017], signatureAlgorithms: [0x0403, 0x0804, 0x1000 + i], serverName: 'bench.test', alpn: ['h2'],
})));
/** A handshake message without its 4-byte header, as parseClientHello takes it. */
function handshakeBody(msg) {
  return msg.subarray(4);
}
const ja4s = cachedRate('ja4', hellos, 300_000);
const ja3s = cachedRate('ja3', hellos, 300_000);
const ja4Distinct = cachedRate('ja4', distinct, 100_000);
const ja3Distinct = cachedRate('ja3', distinct, 100_000);
const ja4Fresh = fingerprintRate(ja4, hellos, 100_000);
const ja3Fresh = fingerprintRate(ja3, hellos, 100_000);
console.log(`codec: ${hellos.length} ClientHellos from fixtures/ (${typical.length} of browser/curl/openssl size, ${hellos.length - typical.length} stuffed)`);
console.log(`  ClientHello parses/s: ${fmt(parses)} typical, ${fmt(parsesAll)} with the stuffed one in the rotation   (target >= 1,000,000)`);
console.log(`  parse + read of SNI, ALPN, versions, ciphers, groups, signature algorithms, key shares, extension list: ${fmt(parseRead)}/s`);
console.log(`  parse + JA4/s through a FingerprintCache: ${fmt(ja4Distinct)} all of different shapes, ${fmt(ja4s)} the fixtures' hellos over and over (shapes kept); ja4() afresh: ${fmt(ja4Fresh)}`);
console.log(`  parse + JA3/s through a FingerprintCache: ${fmt(ja3Distinct)} all of different shapes, ${fmt(ja3s)} the fixtures' hellos over and over (shapes kept); ja3() afresh: ${fmt(ja3Fresh)}`);
if (only === 'codec') process.exit(0);

const outDir = join(ROOT, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const { SHAPES, writeSyntheticCapture } = await import('../bench/synthetic-capture.mjs');
const shapes = opt('--shapes', Object.keys(SHAPES).join(',')).split(',');
const sizeOverride = opt('--size-connections', undefined);
const haveTshark = !args.includes('--no-tshark') && spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
const CLI = join(ROOT, 'packages', 'cli', 'bin', 'tlsdoctor.js');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Writes (or reuses, with --keep) the capture of one shape and reads it once into the page cache. */
function shapeFile(shape) {
  const n = Number(sizeOverride ?? SHAPES[shape].connections);
  const file = join(outDir, `${shape}-${n}.pcap`);
  if (!existsSync(file) || !args.includes('--keep')) {
    const t0 = Date.now();
    const w = writeSyntheticCapture(file, { shape, connections: n });
    console.log(`  wrote ${file}: ${(w.bytes / 1e6).toFixed(0)} MB, ${fmt(w.packets)} packets, ${fmt(w.connections)} connections in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  execFileSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 });
  return file;
}

/** Wall time and peak RSS of a whole command, as a user runs it (Node's start included), output thrown away. */
function timedCommand(cmd, argv) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, stdio: ['ignore', 'ignore', 'pipe'] });
  const [secs, kb] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { secs, rss: kb * 1024 };
}

const runs = Number(opt('--runs', '3'));
const against = opt('--against', undefined);
const OTHER_CLI = against ? join(resolve(against), 'packages', 'cli', 'bin', 'tlsdoctor.js') : undefined;
if (OTHER_CLI && !existsSync(OTHER_CLI)) {
  console.error(`bench: --against ${against}: no ${OTHER_CLI} (build that checkout first)`);
  process.exit(2);
}

/** `runs` runs of this CLI, and with --against of the other one in turn (so both meet the same machine). */
function pairedRuns(argv) {
  const ours = [];
  const theirs = [];
  for (let i = 0; i < runs; i++) {
    ours.push(timedCommand(process.execPath, [CLI, ...argv]));
    if (OTHER_CLI) theirs.push(timedCommand(process.execPath, [OTHER_CLI, ...argv]));
  }
  return { ours, theirs };
}
/** --stages-only: no whole-CLI runs, only the stages below (with --against, paired with another build). */
const stagesOnly = args.includes('--stages-only');
console.log(`capture: the whole CLI (wall time with Node's start, output to /dev/null), median of ${runs} runs, beside tshark ${haveTshark ? '(-Y tls.handshake.type == 1 -T fields: the ClientHellos with their SNI)' : '(not run)'} on the same file:`);
const results = [];
for (const shape of shapes) {
  if (!SHAPES[shape]) {
    console.error(`bench: unknown shape ${shape} (${Object.keys(SHAPES).join(', ')})`);
    process.exit(2);
  }
  console.log(`${shape}:`);
  const file = shapeFile(shape);
  if (stagesOnly) {
    results.push({ shape, file });
    continue;
  }
  // The table's head: "tlsdoctor pcap FILE (pcap, N packets)", then "N TLS connections, ... (CODE×N, ...)".
  const head = spawnSync(process.execPath, [CLI, 'pcap', file, '--limit', '1'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout.split('\n');
  const packets = Number(/([\d,]+) packets\)/.exec(head[0])[1].replace(/,/g, ''));
  const connections = Number(/^([\d,]+) TLS connection/.exec(head[1])[1].replace(/,/g, ''));
  const byCode = /\((.*)\)$/.exec(head[1])?.[1] ?? '';
  const tables = pairedRuns(['pcap', file]);
  const jsons = pairedRuns(['pcap', file, '--format', 'json']);
  const table = tables.ours;
  const json = jsons.ours;
  const t = median(table.map((x) => x.secs));
  const j = median(json.map((x) => x.secs));
  const ts = haveTshark ? timedCommand('tshark', ['-n', '-r', file, '-Y', 'tls.handshake.type == 1', '-T', 'fields', '-e', 'tcp.stream', '-e', 'tls.handshake.extensions_server_name']) : undefined;
  const mb = (x) => (x / 1e6).toFixed(0);
  console.log(`  ${fmt(packets)} packets, ${fmt(connections)} TLS connections reported; primary: ${byCode}`);
  console.log(`  table: ${t.toFixed(2)} s (runs ${table.map((x) => x.secs.toFixed(2)).join(', ')}), ${(t * 1e6 / connections).toFixed(1)} µs per TLS connection, ${(t * 1e6 / packets).toFixed(2)} µs per packet, peak RSS ${mb(median(table.map((x) => x.rss)))} MB`);
  console.log(`  json:  ${j.toFixed(2)} s (runs ${json.map((x) => x.secs.toFixed(2)).join(', ')}), ${(j / t).toFixed(2)}x the table's time, peak RSS ${mb(median(json.map((x) => x.rss)))} MB`);
  if (ts) console.log(`  tshark: ${ts.secs.toFixed(2)} s, peak RSS ${mb(ts.rss)} MB: tlsdoctor ${(ts.secs / t).toFixed(1)}x faster (table), ${(ts.secs / j).toFixed(1)}x (json)`);
  if (OTHER_CLI) {
    for (const [what, p] of [['table', tables], ['json', jsons]]) {
      const ours = median(p.ours.map((x) => x.secs));
      const theirs = median(p.theirs.map((x) => x.secs));
      const rss = [median(p.theirs.map((x) => x.rss)), median(p.ours.map((x) => x.rss))];
      console.log(`  against ${against}, ${what}: ${theirs.toFixed(2)} s (runs ${p.theirs.map((x) => x.secs.toFixed(2)).join(', ')}) -> ${ours.toFixed(2)} s here: ${(ours / theirs).toFixed(2)}x the time; peak RSS ${mb(rss[0])} -> ${mb(rss[1])} MB`);
    }
  }
  results.push({ shape, file, t });
}

// Rotated files (tcpdump -C): the handshake-dense capture cut into four by editcap, read as one
// capture, against the whole file; and the most two cores could give files read in parallel:
// two whole processes at once, each on half of the files, against one process on all of them.
const dense = results.find((x) => x.shape === 'handshake-dense');
if (dense && !stagesOnly && !args.includes('--no-rotation') && spawnSync('editcap', ['-h'], { stdio: 'ignore' }).status === 0) {
  const dir = join(outDir, 'rotation');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const head = spawnSync(process.execPath, [CLI, 'pcap', dense.file, '--limit', '1'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
  const packets = Number(/([\d,]+) packets\)/.exec(head)[1].replace(/,/g, ''));
  execFileSync('editcap', ['-F', 'pcap', '-c', String(Math.ceil(packets / 4)), dense.file, join(dir, 'part.pcap')]);
  const parts = readdirSync(dir).sort().map((f) => join(dir, f));
  const half = Math.ceil(parts.length / 2);
  const joined = Array.from({ length: runs }, () => timedCommand(process.execPath, [CLI, 'pcap', ...parts]));
  const both = ['-c', `"$0" "$1" pcap --separate ${parts.slice(0, half).map((f) => `'${f}'`).join(' ')} >/dev/null & "$0" "$1" pcap --separate ${parts.slice(half).map((f) => `'${f}'`).join(' ')} >/dev/null; wait`, process.execPath, CLI];
  const parallel = Array.from({ length: runs }, () => timedCommand('sh', both));
  const j = median(joined.map((x) => x.secs));
  const p = median(parallel.map((x) => x.secs));
  console.log(`rotation: handshake-dense cut into ${parts.length} files (editcap -c), median of ${runs} runs:`);
  console.log(`  read as one capture: ${j.toFixed(2)} s (the whole file: ${dense.t.toFixed(2)} s), peak RSS ${(median(joined.map((x) => x.rss)) / 1e6).toFixed(0)} MB`);
  console.log(`  two processes at once, each on half of the files: ${p.toFixed(2)} s: ${(j / p).toFixed(2)}x the one process (the most files read in parallel could give on this machine)`);
}

// Where the time goes, on the bulk shape: the pipeline inside one process, and its first stages
// alone, each in its own process (so that one stage's memory does not hide in another's).
const bulk = results.find((x) => x.shape === 'bulk');
if (bulk && !args.includes('--no-stages') && !stagesOnly) {
  const file = bulk.file;
  const bytes = statSync(file).size;
  const captureRun = (...extra) => {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child-capture', file, ...extra], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (child.status !== 0) {
      console.error(child.stderr);
      process.exit(1);
    }
    return JSON.parse(child.stdout.trim().split('\n').pop());
  };
  const inProcess = [captureRun(), captureRun(), captureRun()].sort((a, b) => a.secs - b.secs);
  const r = inProcess[1];
  console.log(`bulk, the pipeline in-process (readers + TCP + TLS parsing + diagnosis, streaming, no report), median of 3 runs:`);
  console.log(`  ${(bytes / 1e6 / r.secs).toFixed(0)} MB/s, ${fmt(r.packets / r.secs)} packets/s, ${r.secs.toFixed(2)} s (runs ${inProcess.map((x) => x.secs.toFixed(2)).join(', ')}), ${fmt(r.peakLive)} live at most, peak RSS ${(r.rss / 1e6).toFixed(0)} MB`);
  const plain = captureRun('--v8-defaults');
  console.log(`  with V8's default allocation-site pretenuring (not what the CLI runs): ${plain.secs.toFixed(2)} s, peak RSS ${(plain.rss / 1e6).toFixed(0)} MB`);
}

// The first stages alone, each in its own process (so that one stage's memory does not hide in
// another's), on the bulk, handshake-dense and concurrent shapes: readers, then readers and
// tracking (decoding, the connection table, the packet log, reassembly); on the concurrent
// shape the heap per open connection, of the tracker alone and of the pipeline. With --against
// ROOT (another checkout's built tree, packages/*/dist), each stage runs alternately with that
// build and this one, --runs times each, and the medians are compared: the machine's drift
// falls on both alike.
const STAGE_SHAPES = ['bulk', 'handshake-dense', 'concurrent'];
if (!args.includes('--no-stages')) {
  const stageRun = (stage, file, root) => {
    const c = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child-stage', stage, file, ...(root ? [resolve(root)] : [])], { encoding: 'utf8' });
    if (c.status !== 0) {
      console.error(c.stderr);
      process.exit(1);
    }
    return JSON.parse(c.stdout.trim().split('\n').pop());
  };
  /** Each stage --runs times (alternating with --against's build): the median of `key`, and the other build's. */
  const measured = (stage, file, key) => {
    const mine = [];
    const theirs = [];
    for (let i = 0; i < runs; i++) {
      const pair = against ? [() => theirs.push(stageRun(stage, file, against)), () => mine.push(stageRun(stage, file))] : [() => mine.push(stageRun(stage, file))];
      for (const run of i % 2 === 0 ? pair : pair.reverse()) run();
    }
    const at = (xs) => (xs.length ? { value: median(xs.map((x) => x[key])), rss: median(xs.map((x) => x.rss)), outside: median(xs.map((x) => x.outsidePerOpen ?? 0)), packets: xs[0].packets } : undefined);
    return { mine: at(mine), theirs: at(theirs) };
  };
  const versus = (m, show) => (m.theirs ? ` against ${show(m.theirs.value)} (${(m.mine.value / m.theirs.value).toFixed(2)}x)` : '');
  const secs = (x) => `${x.toFixed(2)} s`;
  const bytesOf = (x) => `${fmt(x)} bytes`;
  console.log(`stages, each in its own process, median of ${runs} runs${against ? `, alternating with the build in ${against}` : ''}:`);
  for (const x of results.filter((r) => STAGE_SHAPES.includes(r.shape))) {
    const bytes = statSync(x.file).size;
    const read = measured('read', x.file, 'secs');
    const track = measured('track', x.file, 'secs');
    const t = track.mine;
    console.log(`  ${x.shape}: readers alone ${secs(read.mine.value)} (${(bytes / 1e6 / read.mine.value).toFixed(0)} MB/s)${versus(read, secs)}`);
    console.log(`  ${x.shape}: readers + tracking ${secs(t.value)}, ${((t.value * 1e6) / t.packets).toFixed(2)} µs per packet${versus(track, secs)}; peak RSS ${(t.rss / 1e6).toFixed(0)} MB${track.theirs ? ` against ${(track.theirs.rss / 1e6).toFixed(0)} MB` : ''}`);
    if (x.shape !== 'concurrent') continue;
    for (const [stage, what] of [['open-heap', 'the tracker alone'], ['open-heap-pipeline', 'the pipeline']]) {
      const h = measured(stage, x.file, 'heapPerOpen');
      console.log(`  ${x.shape}: heap per open connection, ${what}: ${bytesOf(h.mine.value)}${versus(h, bytesOf)}, and ${bytesOf(h.mine.outside)} outside the heap${h.theirs ? ` against ${fmt(h.theirs.outside)}` : ''}`);
    }
  }
}
const start = timedCommand(process.execPath, [CLI, '--version']);
console.log(`Node's start and module loading (tlsdoctor --version): ${start.secs.toFixed(2)} s, peak RSS ${(start.rss / 1e6).toFixed(0)} MB`);

if (!only) await probeBench();

/**
 * `tlsdoctor netlog` on a NetLog of `--netlog-mb` MB: read as it streams, so its peak RSS should
 * not grow with the file. jq's whole-file read of the same file is the yardstick: a JSON tool
 * that holds the document, as a reader that is not streaming would.
 */
async function netlogBench() {
  const { writeSyntheticNetlog } = await import('../bench/synthetic-netlog.mjs');
  const mb = Number(opt('--netlog-mb', '300'));
  const runs = Number(opt('--runs', '3'));
  const dir = join(ROOT, 'bench', 'out');
  mkdirSync(dir, { recursive: true });
  const from = join(ROOT, 'fixtures', 'netlog', 'cert-expired-tls13.json.gz');
  const cli = join(ROOT, 'packages', 'cli', 'bin', 'tlsdoctor.js');
  const time = (cmd, argv) => {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, stdio: ['ignore', 'ignore', 'pipe'] });
    const [secs, kb] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
    return { secs, rss: kb * 1024 };
  };
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`netlog: the whole CLI (wall time with Node's start, output to /dev/null), median of ${runs} runs:`);
  for (const [name, cut] of [['whole', false], ['cut before its end', true]]) {
    const file = join(dir, `netlog-${mb}mb${cut ? '-cut' : ''}.json`);
    const w = writeSyntheticNetlog(file, { from, bytes: mb * 1e6, cut });
    execFileSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'] });
    for (const format of ['table', 'json']) {
      const xs = Array.from({ length: runs }, () => time(process.execPath, [cli, 'netlog', file, '--format', format]));
      const secs = med(xs.map((x) => x.secs));
      console.log(`  ${name}, ${format}: ${(w.bytes / 1e6).toFixed(0)} MB, ${fmt(w.events)} events (${fmt(w.copies)} copies of the lab log): ${secs.toFixed(2)} s (runs ${xs.map((x) => x.secs.toFixed(2)).join(', ')}), ${(w.bytes / 1e6 / secs).toFixed(0)} MB/s, ${fmt(w.events / secs)} events/s, peak RSS ${(med(xs.map((x) => x.rss)) / 1e6).toFixed(0)} MB`);
    }
    if (!cut) {
      try {
        const jq = time('jq', ['.events | length', file]);
        console.log(`  jq '.events | length' on the same file: ${jq.secs.toFixed(2)} s, peak RSS ${(jq.rss / 1e6).toFixed(0)} MB`);
      } catch {
        console.log('  jq: not installed');
      }
    }
    rmSync(file, { force: true });
  }
}

async function probeBench() {
  const { labUnavailable, labUp, labDown, labPaths, NS } = await import('../lab/lab.mjs');
  const why = labUnavailable();
  if (why) {
    console.log(`probe: skipped: ${why}`);
    return;
  }
  labUp();
  try {
    const cli = join(ROOT, 'packages', 'cli', 'bin', 'tlsdoctor.js');
    const host = 'tls13.lab.test';
    const timed = (target, extra) => {
      const times = [];
      let verdict = '';
      for (let i = 0; i < 5; i++) {
        const t0 = process.hrtime.bigint();
        const r = spawnSync('ip', ['netns', 'exec', NS.client, process.execPath, cli, 'probe', '--ca', labPaths().root, '--format', 'json', ...extra, target], { encoding: 'utf8' });
        times.push(Number(process.hrtime.bigint() - t0) / 1e9);
        verdict = JSON.parse(r.stdout).targets.map((t) => t.diagnoses.map((d) => d.code).join('+')).join(', ');
      }
      times.sort((a, b) => a - b);
      return `median ${times[2].toFixed(2)} s, best ${times[0].toFixed(2)} s, worst ${times[4].toFixed(2)} s`;
    };
    console.log(`probe: full default probe of ${host} (healthy nginx, one address; DNS, TCP, 5 versions, SNI, browser-sized and split hellos, chain, port 80, HSTS), wall time incl. Node start:`);
    console.log(`  ${timed(host, [])} (target <= 1.5 s)`);
    // The browser-sized hello is lost: the probe waits one timeout for it, the sweep runs beside it.
    console.log('probe: blackhole.lab.test with --timeout 2 (packets over 1,000 bytes dropped on the path):');
    console.log(`  ${timed('blackhole.lab.test', ['--timeout', '2'])} (target <= 3 s: the timeout plus one second)`);
    const other = (name, args, limitS) => {
      try {
        execFileSync('sh', ['-c', `command -v ${args[0]}`], { stdio: 'ignore' });
      } catch {
        console.log(`  ${name}: not installed`);
        return;
      }
      const t0 = process.hrtime.bigint();
      const r = spawnSync('ip', ['netns', 'exec', NS.client, ...args], { encoding: 'utf8', timeout: limitS * 1000, maxBuffer: 64 * 1024 * 1024 });
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      console.log(`  ${name}: ${secs.toFixed(1)} s${r.signal ? ` (stopped at the ${limitS} s limit)` : ''}, exit ${r.status ?? r.signal}`);
    };
    other('sslscan', ['sslscan', '--no-colour', `${host}:443`], 300);
    if (!args.includes('--no-testssl')) other('testssl.sh', ['testssl', '--quiet', '--color', '0', '--warnings', 'off', `${host}:443`], 600);
  } finally {
    labDown();
  }
}
