// Records whole transcripts, as users paste them, of four clients against every faulty host of
// the failure lab: `curl -v`, `openssl s_client -showcerts`, a Java HttpsURLConnection run with
// -Djavax.net.debug=ssl:handshake, and `gnutls-cli --verbose`. `tlsdoctor explain -` is tested
// against them (packages/diagnosis/src/messages/transcript.test.ts): the host's cause first.
//
// Usage: node lab/record-transcripts.mjs [HOST ...]   (root and network namespaces; needs curl,
// openssl, gnutls-bin and a JDK with javac). Writes test/data/transcripts/KIND/HOST.txt and
// test/data/transcripts/index.json (the clients' versions, the date, each host's diagnosis).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labDown, labUnavailable, labUp, labPaths, NS } from './lab.mjs';
import { SCENARIOS } from './scenarios.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'test', 'data', 'transcripts');

/** The smallest Java client: what a service's HTTP call does, with the timeouts most set. */
const JAVA = `import java.net.URL;
import javax.net.ssl.HttpsURLConnection;
public class Get {
  public static void main(String[] a) throws Exception {
    HttpsURLConnection c = (HttpsURLConnection) new URL(a[0]).openConnection();
    c.setConnectTimeout(4000);
    c.setReadTimeout(4000);
    System.out.println(c.getResponseCode());
  }
}
`;

function javaClient(ca) {
  const dir = mkdtempSync(join(tmpdir(), 'td-transcript-java-'));
  writeFileSync(join(dir, 'Get.java'), JAVA);
  const built = spawnSync('javac', ['-d', dir, join(dir, 'Get.java')], { encoding: 'utf8', timeout: 60_000 });
  if (built.status !== 0) throw new Error(`javac: ${built.stderr}`);
  const store = join(dir, 'trust.p12');
  const imported = spawnSync('keytool', ['-importcert', '-noprompt', '-alias', 'lab', '-file', ca, '-keystore', store, '-storetype', 'PKCS12', '-storepass', 'changeit'], { encoding: 'utf8', timeout: 60_000 });
  if (imported.status !== 0) throw new Error(`keytool: ${imported.stderr}`);
  return { dir, store };
}

/** Each kind: how to run it (through sh, so that its two streams interleave as on a terminal), and its version. */
function kinds(ca, java) {
  const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    { kind: 'curl', version: ['curl', ['--version']], run: (h) => `curl -v -sS -o /dev/null -m 4 --cacert ${q(ca)} https://${h}/` },
    // stdbuf: line by line, as on a terminal, so that what was printed before ^C is kept.
    { kind: 'openssl', version: ['openssl', ['version']], run: (h) => `stdbuf -oL openssl s_client -showcerts -CAfile ${q(ca)} -connect ${h}:443 -servername ${h} </dev/null` },
    // The JVM's start is slow on a loaded machine: its own limits are 4 s each, its stop is later.
    { kind: 'java', version: ['java', ['-version']], stopAfter: 25, run: (h) => `java -Djavax.net.debug=ssl:handshake -Djavax.net.ssl.trustStore=${q(java.store)} -Djavax.net.ssl.trustStorePassword=changeit -cp ${q(java.dir)} Get https://${h}/` },
    { kind: 'gnutls', version: ['gnutls-cli', ['--version']], run: (h) => `stdbuf -oL gnutls-cli --verbose --x509cafile ${q(ca)} -p 443 ${h} </dev/null` },
  ];
}

const versionOf = ([cmd, args]) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.split('\n').find((l) => l.trim())?.trim() ?? '';
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const why = labUnavailable();
  if (why) {
    console.error(`transcripts: cannot start the lab: ${why}`);
    process.exit(2);
  }
  const only = process.argv.slice(2);
  // Every fault: the hosts whose probe finds something other than a healthy handshake.
  const hosts = SCENARIOS.filter((s) => s.expect?.probe && s.expect.probe !== 'HANDSHAKE_OK' && (only.length === 0 || only.includes(s.host)));
  const indexPath = join(OUT, 'index.json');
  const before = only.length > 0 && existsSync(indexPath) ? JSON.parse(readFileSync(indexPath, 'utf8')) : { transcripts: [] };
  labUp();
  const ca = labPaths().root;
  const java = javaClient(ca);
  try {
    const list = kinds(ca, java);
    const versions = Object.fromEntries(list.map((k) => [k.kind, versionOf(k.version)]));
    const transcripts = before.transcripts.filter((t) => !hosts.some((s) => s.host === t.host));
    for (const s of hosts) {
      for (const k of list) {
        mkdirSync(join(OUT, k.kind), { recursive: true });
        // Bounded: curl and Java stop at 4 s; openssl and gnutls-cli wait on a silent server, and are stopped at 8 s (a transcript cut there is what a user pastes after ^C).
        // timeout(1) signals the client itself (as ^C would); spawnSync's own limit is the backstop.
        const stop = k.stopAfter ?? 8;
        const r = spawnSync('ip', ['netns', 'exec', NS.client, 'timeout', '-s', 'INT', '-k', '2', String(stop), 'sh', '-c', `exec ${k.run(s.host)} 2>&1`], { encoding: 'utf8', timeout: (stop + 7) * 1000 });
        const file = `${k.kind}/${s.host}.txt`;
        writeFileSync(join(OUT, file), r.stdout ?? '');
        transcripts.push({ kind: k.kind, host: s.host, diagnosis: s.expect.probe, file, exit: r.status, ...(r.status === 124 || r.status === null ? { stopped: true } : {}) });
        process.stdout.write(`${k.kind} ${s.host}: exit ${r.status}\n`);
      }
    }
    transcripts.sort((a, b) => a.kind.localeCompare(b.kind) || a.host.localeCompare(b.host));
    writeFileSync(indexPath, JSON.stringify({ recorded: new Date().toISOString(), clients: versions, transcripts }, null, 2) + '\n');
    console.log(`wrote ${transcripts.length} transcripts under ${OUT}`);
  } finally {
    rmSync(java.dir, { recursive: true, force: true });
    labDown();
  }
}
