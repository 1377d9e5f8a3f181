// The clients lab/record-messages.mjs runs against the lab: how each is run against a URL with a
// time limit, what its version is, which TLS library it speaks through, and how it is told to
// trust the lab's root (the way that client's users do it: an option, an environment variable,
// a trust store). Compiled clients (Go, Java, Rust) are built here before a recording.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = join(ROOT, 'lab', 'clients');
/** Debian's Python, where python3-requests, -httpx and -urllib3 live (not a pyenv one on PATH). */
const DEBIAN_PYTHON = '/usr/bin/python3';

/** First line a command prints (some print their version on stderr), or why it could not run. */
export function versionOf(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });
  if (r.error) return `not installed (${r.error.code ?? r.error.message})`;
  return `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
}

/**
 * Builds the compiled clients into `dir` (Go and Java afresh; Rust with cargo, offline, against
 * Debian's packaged crates in /usr/share/cargo/registry, its target kept under .lab/ so that a
 * second run only links) and makes Java's trust store from the lab's root with keytool.
 */
export function buildClients(dir, ca) {
  mkdirSync(dir, { recursive: true });
  const bounded = { stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60_000 };
  execFileSync('go', ['build', '-o', join(dir, 'go-get'), join(SOURCES, 'go', 'get.go')], { ...bounded, env: { ...process.env, GO111MODULE: 'off', GOPROXY: 'off', GOCACHE: join(dir, 'go-cache') } });
  execFileSync('javac', ['-d', join(dir, 'java'), join(SOURCES, 'java', 'UrlConnectionGet.java'), join(SOURCES, 'java', 'HttpClientGet.java')], bounded);
  execFileSync('keytool', ['-importcert', '-noprompt', '-alias', 'tlsdoctor-lab', '-file', ca, '-keystore', join(dir, 'lab-trust.p12'), '-storetype', 'PKCS12', '-storepass', 'changeit'], bounded);
  const cargoHome = join(ROOT, '.lab', 'clients', 'cargo-home');
  mkdirSync(cargoHome, { recursive: true });
  writeFileSync(join(cargoHome, 'config.toml'), '[net]\noffline = true\n[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "/usr/share/cargo/registry"\n');
  const target = join(ROOT, '.lab', 'clients', 'rust-target');
  execFileSync('cargo', ['build', '--release', '--manifest-path', join(SOURCES, 'rust', 'Cargo.toml'), '--target-dir', target], { ...bounded, env: { ...process.env, CARGO_HOME: cargoHome } });
  return { rust: join(target, 'release', 'td-ureq'), rustLock: join(SOURCES, 'rust', 'Cargo.lock') };
}

/** The shared libraries a program loads whose names match (Debian's git speaks https through libcurl-gnutls). */
function linkedLibraries(file, re) {
  const r = spawnSync('ldd', [file], { encoding: 'utf8', timeout: 10_000 });
  return (r.stdout ?? '').split('\n').map((l) => l.trim().split(' ')[0]).filter((l) => re.test(l)).join(' ') || `no ${re} in ldd ${file}`;
}

/** The crate versions cargo resolved (its lock file), for the Rust clients' version line. */
function crates(lock, names) {
  const text = readFileSync(lock, 'utf8');
  return names.map((n) => `${n} ${text.match(new RegExp(`name = "${n}"\\nversion = "([^"]+)"`))?.[1] ?? '?'}`).join(', ');
}

/** Python run with Debian's interpreter: the script reads the URL and the limit from argv. */
const py = (script) => (url, t) => [DEBIAN_PYTHON, ['-c', script, url, String(t)]];
const pyVersion = (mods) => [DEBIAN_PYTHON, ['-c', `import sys, ssl, ${mods.join(', ')}; print('Python', sys.version.split()[0], ${mods.map((m) => `'${m}', ${m}.__version__`).join(', ')}, ssl.OPENSSL_VERSION)`]];

/**
 * nginx as a `proxy_pass https://` client (its own nginx in the client namespace, one per run,
 * on a port of its own): curl asks it for /, and what its error.log says is the message. A name
 * it cannot resolve stops it at start (`[emerg] host not found in upstream`), as in real life.
 * Exit 1 when nginx answered 4xx/5xx or did not start; the body is printed when the log is empty.
 * The body goes to `response`, not `body`: `body` is nginx's client_body_temp_path, a directory.
 */
function nginxProxy(url, t, { dir, ca, port }) {
  const conf = `worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 64; }
http { access_log off; client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server { listen 127.0.0.1:${port}; server_name app.example.test;
    location / { proxy_pass ${url}; proxy_ssl_verify on; proxy_ssl_trusted_certificate ${ca}; proxy_ssl_verify_depth 3; proxy_ssl_server_name on;
      proxy_connect_timeout ${t}s; proxy_send_timeout ${t}s; proxy_read_timeout ${t}s; } } }
`;
  const script = `set -u; d="$1"; mkdir -p "$d"; printf '%s' "$2" > "$d/nginx.conf"
nginx -q -e "$d/error.log" -c "$d/nginx.conf" || exit 1
code=$(curl -s -o "$d/response" -w '%{http_code}' -m $(( $3 * 3 + 2 )) http://127.0.0.1:${port}/)
kill "$(cat "$d/nginx.pid")"; for i in 1 2 3 4 5 6 7 8 9 10; do [ -e "$d/nginx.pid" ] || break; sleep 0.1; done
grep -v '\\[notice\\]' "$d/error.log" >&2
case "$code" in 2*|3*) exit 0 ;; esac
[ -s "$d/error.log" ] && grep -qv '\\[notice\\]' "$d/error.log" || { echo "HTTP $code"; sed -e 's/<[^>]*>//g' "$d/response" | grep -v '^\\s*$' | head -3; } >&2
exit 1`;
  return ['sh', ['-c', script, 'nginx-proxy', dir, conf, String(t)]];
}

/**
 * Headless Chromium, trusting the lab's root through the NSS database in its HOME (made by the
 * recorder), with a profile of its own each run. It exits 0 whatever happened and says on stderr `Page load failed: net::ERR_...`
 * beside BoringSSL's `handshake failed` lines; its D-Bus complaints are not the message. A page
 * with no text when its --timeout stops it is a wait that never ended.
 */
function chromium(url, t, { home, dir }) {
  return ['env', [`HOME=${home}`, 'chromium', '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--no-pings', '--dns-prefetch-disable', '--disable-sync', `--user-data-dir=${dir}/profile`, `--timeout=${t * 1000}`, '--dump-dom', url]];
}

/**
 * Every client: `library` is the TLS library whose words it prints (the unit the rules are
 * measured by); `heldOut` clients are recorded in run B only, and the rules are never tuned on
 * them; `served` tells a failure in the words the client prints on a healthy host too (a lab
 * page is no git repository, package index or npm registry) from one to explain; `failed` overrides the exit
 * status where a client exits 0 on failure; `keep` picks its message lines from chatter, and
 * `frames` the indented lines that are its message rather than a stack.
 */
export function clients({ ca, built, t }) {
  const ssl = { SSL_CERT_FILE: ca };
  const requests = 'import sys, requests\nr = requests.get(sys.argv[1], timeout=int(sys.argv[2]))\nr.raise_for_status()';
  const httpx = 'import sys, httpx\nr = httpx.get(sys.argv[1], timeout=int(sys.argv[2]), follow_redirects=True)\nr.raise_for_status()';
  const urllib3 = 'import os, sys, urllib3\nhttp = urllib3.PoolManager(ca_certs=os.environ["TD_CA"], timeout=int(sys.argv[2]), retries=urllib3.Retry(1))\nr = http.request("GET", sys.argv[1])\nif r.status >= 400: sys.exit(f"HTTP {r.status} {r.reason}")';
  const ruby = "require 'net/http'\nu = URI(ARGV[0]); t = Integer(ARGV[1])\nNet::HTTP.start(u.host, u.port, use_ssl: true, ca_file: ENV['TD_CA'], open_timeout: t, read_timeout: t) { |h| h.get(u.path) }";
  const openUri = "require 'open-uri'\nURI.open(ARGV[0], ssl_ca_cert: ENV['TD_CA'], open_timeout: Integer(ARGV[1]), read_timeout: Integer(ARGV[1])) { |f| f.read }";
  const phpCurl = '$c = curl_init($argv[1]); curl_setopt_array($c, [CURLOPT_CAINFO => getenv("TD_CA"), CURLOPT_CONNECTTIMEOUT => (int) $argv[2], CURLOPT_TIMEOUT => (int) $argv[2], CURLOPT_RETURNTRANSFER => true]); if (curl_exec($c) === false) { fwrite(STDERR, "cURL error " . curl_errno($c) . ": " . curl_error($c) . "\\n"); exit(1); }';
  const phpStream = '$ctx = stream_context_create(["ssl" => ["cafile" => getenv("TD_CA")], "http" => ["timeout" => (int) $argv[2]]]); if (file_get_contents($argv[1], false, $ctx) === false) exit(1);';
  const java = (cls) => (url, _t) => ['java', ['-Djavax.net.ssl.trustStore=' + join(built.dir, 'lab-trust.p12'), '-Djavax.net.ssl.trustStorePassword=changeit', '-cp', join(built.dir, 'java'), cls, url, String(t)]];
  const rust = (tls) => (url) => [built.rust, [tls, url, String(t)]];
  const rustVersion = (tls) => `${versionOf('rustc', ['--version'])}; ${crates(built.rustLock, ['ureq', ...(tls === 'rustls' ? ['rustls'] : ['native-tls', 'openssl'])])}; ${tls === 'openssl' ? versionOf('openssl', ['version']) : 'ring'}`;
  return [
    { name: 'go', library: 'Go crypto/tls', version: versionOf('go', ['version']), env: ssl, run: (url) => [join(built.dir, 'go-get'), [url, String(t)]] },
    { name: 'java-urlconnection', library: 'Java JSSE', version: versionOf('java', ['-version']), run: java('UrlConnectionGet') },
    { name: 'java-httpclient', library: 'Java JSSE', version: versionOf('java', ['-version']), run: java('HttpClientGet') },
    { name: 'chromium', library: 'BoringSSL', version: versionOf('chromium', ['--version']), run: chromium,
      failed: (r) => /Page load failed|net::ERR_/.test(r.stderr) || !/\S/.test((r.stdout.match(/<body[^>]*>([\s\S]*)<\/body>/i)?.[1] ?? '').replace(/<[^>]*>/g, '')), keep: (l) => /net::ERR_|net_error|handshake failed/.test(l) },
    { name: 'ruby', library: 'OpenSSL', version: versionOf('ruby', ['-ropenssl', '-e', 'puts "ruby #{RUBY_VERSION}, #{OpenSSL::OPENSSL_LIBRARY_VERSION}"']), env: { TD_CA: ca }, run: (url) => ['ruby', ['-e', ruby, url, String(t)]] },
    { name: 'php-curl', library: 'OpenSSL', version: versionOf('php', ['-r', 'echo "PHP ", PHP_VERSION, ", libcurl ", curl_version()["version"], " ", curl_version()["ssl_version"];']), env: { TD_CA: ca }, run: (url) => ['php', ['-r', phpCurl, url, String(t)]] },
    { name: 'php-stream', library: 'OpenSSL', version: versionOf('php', ['-r', 'echo "PHP ", PHP_VERSION, ", ", OPENSSL_VERSION_TEXT;']), env: { TD_CA: ca }, run: (url) => ['php', ['-r', phpStream, url, String(t)]] },
    { name: 'python-requests', library: 'OpenSSL', version: versionOf(...pyVersion(['requests', 'urllib3'])), env: { REQUESTS_CA_BUNDLE: ca }, run: py(requests) },
    { name: 'python-httpx', library: 'OpenSSL', version: versionOf(...pyVersion(['httpx', 'httpcore'])), env: ssl, run: py(httpx) },
    { name: 'rust-rustls', library: 'rustls', version: rustVersion('rustls'), env: ssl, run: rust('rustls') },
    { name: 'rust-openssl', library: 'OpenSSL', version: rustVersion('openssl'), env: ssl, run: rust('openssl') },
    { name: 'nginx-proxy', library: 'OpenSSL', version: versionOf('nginx', ['-v']), run: nginxProxy },
    { name: 'git', library: 'GnuTLS', version: `${versionOf('git', ['--version'])}, ${linkedLibraries('/usr/lib/git-core/git-remote-http', /curl|gnutls|libssl/)}`, env: { GIT_SSL_CAINFO: ca, GIT_TERMINAL_PROMPT: '0', GIT_HTTP_LOW_SPEED_LIMIT: '1', GIT_HTTP_LOW_SPEED_TIME: String(t) },
      run: (url) => ['git', ['ls-remote', `${url}app.git`]], served: (text) => /not valid: is this a git repository|repository '.*' not found/.test(text) },
    // pip reads pip.conf files too: this machine's own (indexes, find-links, a CA bundle) are
    // kept out, so that it asks the lab host alone. One retry, as its default five would outlast
    // the limit: the retry's warning is where pip names what went wrong.
    { name: 'pip', library: 'OpenSSL', version: versionOf(DEBIAN_PYTHON, ['-m', 'pip', '--version']), env: { PIP_CONFIG_FILE: '/dev/null', PIP_CERT: ca, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_CACHE_DIR: '1' },
      run: (url, _t, { dir }) => [DEBIAN_PYTHON, ['-m', 'pip', 'download', '--no-deps', '--retries', '1', '--timeout', String(t), '--index-url', `${url}simple/`, '-d', dir, 'tlsdoctor-lab-package']],
      served: (text) => /from versions: none/.test(text) && !/Could not fetch URL|Retrying|HTTP error/.test(text) },
    { name: 'npm', library: 'OpenSSL', version: `npm ${versionOf('npm', ['--version'])}, node ${process.version}`,
      env: { npm_config_cafile: ca, npm_config_fetch_retries: '0', npm_config_fetch_timeout: String(t * 1000), npm_config_update_notifier: 'false' },
      run: (url, _t, { dir }) => ['npm', ['ping', '--registry', url, '--cache', join(dir, 'cache'), '--logs-dir', join(dir, 'logs')]],
      served: (text) => /invalid json response body|Unexpected token/.test(text) },
    // Programs that word failures in their own terms, around GnuTLS's: tuned on run A, measured on run B.
    { name: 'aria2c', library: 'GnuTLS', version: versionOf('aria2c', ['--version']),
      // Its reason is on an indented `-> [SocketCore.cc:…]` line; the progress lines, the results table and its advice are chatter.
      frames: /^\s+-> /, keep: (l) => !/^\[#|^Download Results|^aria2 will resume|^If there are any errors|^gid\s|^=+\+|^[0-9a-f]{6}\|\w+\s*\||^Status Legend|^\(\w+\):/.test(l),
      run: (url, _t, { dir }) => ['aria2c', ['--enable-color=false', '--ca-certificate', ca, '--connect-timeout', String(t), '--timeout', String(t), '--max-tries', '1', '--console-log-level', 'error', '--summary-interval', '0', '-d', dir, url]] },
    // A page it got (a 400's) is dumped as centred, so indented, text: that text is its message.
    { name: 'lynx', library: 'GnuTLS', version: versionOf('lynx', ['-version']), env: ssl, frames: /^\s+\S/, keep: (l) => !/^\s*_+$/.test(l),
      run: (url) => ['lynx', ['-dump', '-connect_timeout', String(t), '-read_timeout', String(t), url]] },
    // Held out: recorded in run B only; the rules are never tuned on them.
    { name: 'httpie', library: 'OpenSSL', heldOut: true, version: versionOf('http', ['--version']), env: { REQUESTS_CA_BUNDLE: ca }, run: (url) => ['http', ['--ignore-stdin', '--check-status', '--timeout', String(t), 'GET', url]] },
    { name: 'ruby-open-uri', library: 'OpenSSL', heldOut: true, version: versionOf('ruby', ['-ropenssl', '-e', 'puts "ruby #{RUBY_VERSION}, #{OpenSSL::OPENSSL_LIBRARY_VERSION}"']), env: { TD_CA: ca },
      run: (url) => ['ruby', ['-ropen-uri', '-e', openUri, url, String(t)]] },
    { name: 'python-urllib3', library: 'OpenSSL', heldOut: true, version: versionOf(...pyVersion(['urllib3'])), env: { TD_CA: ca }, run: py(urllib3) },
    ...moreHeldOut({ ca, t }),
  ];
}

/**
 * apt's https method (GnuTLS) as `apt-get update` drives it, against a one-line sources.list
 * naming the host as a Debian mirror, with every list and cache in the run's directory. The
 * method runs as root, not as _apt, which could not write the run's private directory. apt
 * exits 0 when an index failed to download (its `W:` lines say so), so those lines mark failure.
 */
function aptUpdate(url, t, { dir, ca }) {
  const opts = [`Dir::Etc::SourceList=${dir}/sources.list`, 'Dir::Etc::SourceParts=/dev/null', `Dir::State::Lists=${dir}/lists`, `Dir::Cache=${dir}/cache`,
    `Acquire::https::CaInfo=${ca}`, `Acquire::https::Timeout=${t}`, 'Acquire::Retries=0', 'Acquire::Languages=none', 'APT::Sandbox::User=root', 'Debug::NoLocking=1'];
  const script = `set -u; d="$1"; u="$2"; shift 2; mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
printf 'deb [trusted=yes] %sdebian stable main\n' "$u" > "$d/sources.list"
exec apt-get update -q "$@"`;
  return ['sh', ['-c', script, 'apt-update', dir, url, ...opts.flatMap((o) => ['-o', o])]];
}

/** Where apt, lftp and w3m say what went wrong (w3m exits 0 whatever happened). */
const APT_FAILED = /^[EW]: /m;
const W3M_FAILED = /Can't load|SSL error|SSL session was rejected/;
/** A server's error page, as a text browser dumps it: its heading is the status (`400 Bad Request`). */
const ERROR_PAGE = /^\s*[45]\d\d [A-Z]/;

/**
 * The programs held out beside httpie, open-uri and urllib3: each a real tool people paste from,
 * on a library the tuned clients use, trusting the lab's root its own way.
 */
function moreHeldOut({ ca, t }) {
  const rcloneVersion = () => versionLines('rclone', ['version'], /^rclone |go\/version/);
  return [
    { name: 'apt', library: 'GnuTLS', heldOut: true, version: `${versionOf('apt-get', ['--version'])}, ${linkedLibraries('/usr/lib/apt/methods/https', /gnutls|libssl/)}`, run: aptUpdate,
      failed: (r) => r.status !== 0 || APT_FAILED.test(r.stderr), keep: (l) => !/^(Get|Ign|Hit):|^Reading package lists|^Fetched /.test(l), frames: /^\s+\S/,
      served: (text) => /Signed file isn't valid|does not have a Release file|is not signed/.test(text) && !/Failed to fetch|Could not/.test(text) },
    { name: 'lftp', library: 'GnuTLS', heldOut: true, version: `${versionOf('lftp', ['--version'])}, ${linkedLibraries(which('lftp'), /gnutls|libssl/)}`,
      run: (url, _t, { dir }) => ['lftp', ['-c', `set ssl:ca-file ${ca}; set net:timeout ${t}; set net:max-retries 1; get ${url} -o ${dir}/page`]] },
    { name: 'w3m', library: 'OpenSSL', heldOut: true, version: `${versionOf('w3m', ['-version'])}, ${linkedLibraries(which('w3m'), /gnutls|libssl/)}`,
      // A page it got (a 400's) is dumped as centred, so indented, text: that text is its message.
      failed: (r) => r.status !== 0 || W3M_FAILED.test(r.stderr) || ERROR_PAGE.test(r.stdout.split('\n').find((l) => l.trim()) ?? ''), frames: /^\s+\S/, keep: (l) => !/^\s*━+$/.test(l),
      run: (url, _t, { dir }) => ['env', [`HOME=${dir}`, 'w3m', '-dump', '-o', 'ssl_verify_server=1', '-o', `ssl_ca_file=${ca}`, '-o', 'ssl_ca_path=', url]] },
    { name: 'rclone', library: 'Go crypto/tls', heldOut: true, version: rcloneVersion(),
      // The lab's page is no directory listing: on a healthy host rclone cannot parse it.
      served: (text) => /can't parse content type/.test(text) && !/failed to readDir/.test(text),
      run: (url) => ['rclone', ['lsf', '--config', '', '--http-url', url, ':http:', '--ca-cert', ca, '--contimeout', `${t}s`, '--timeout', `${t}s`, '--retries', '1', '--low-level-retries', '1']] },
  ];
}

/** The lines of a command's output that name its version and build, joined. */
function versionLines(cmd, args, re) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  if (r.error) return `not installed (${r.error.code ?? r.error.message})`;
  return `${r.stdout ?? ''}`.split('\n').map((l) => l.replace(/^- /, '').trim()).filter((l) => re.test(l)).join(', ');
}

/** A program's path on PATH, for ldd. */
function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8', timeout: 10_000 }).stdout.trim() || cmd;
}

/** The clients of the first table, recorded before these (lab/record-messages.mjs keeps their rows). */
export function firstClients({ ca, t }) {
  // As most code calls it: no timeout of its own (a silent server makes it hang) and no error handler.
  const nodeHttps = `require('https').get(process.argv[1], (r) => { r.resume(); r.on('end', () => process.exit(0)); })`;
  const nodeFetch = `fetch(process.argv[1], { signal: AbortSignal.timeout(${t * 1000}) }).then((r) => r.arrayBuffer())`;
  const python = `import ssl, sys, urllib.request\nctx = ssl.create_default_context(cafile=${JSON.stringify(ca)})\nurllib.request.urlopen(sys.argv[1], context=ctx, timeout=${t}).read()`;
  const node = { NODE_EXTRA_CA_CERTS: ca };
  const host = (url) => new URL(url).hostname;
  return [
    { name: 'curl', library: 'OpenSSL', version: versionOf('curl', ['--version']), run: (url) => ['curl', ['-sS', '-o', '/dev/null', '-m', String(t), '--cacert', ca, url]] },
    { name: 'wget', library: 'GnuTLS', version: versionOf('wget', ['--version']), run: (url) => ['wget', ['-nv', '-O', '/dev/null', '--tries=1', `--timeout=${t}`, `--ca-certificate=${ca}`, url]] },
    { name: 'openssl', library: 'OpenSSL', version: versionOf('openssl', ['version']), run: (url) => ['openssl', ['s_client', '-brief', '-verify_return_error', '-CAfile', ca, '-connect', `${host(url)}:443`, '-servername', host(url)]] },
    { name: 'gnutls-cli', library: 'GnuTLS', version: versionOf('gnutls-cli', ['--version']), run: (url) => ['gnutls-cli', ['--x509cafile', ca, '-p', '443', host(url)]] },
    { name: 'python', library: 'OpenSSL', version: versionOf('python3', ['--version']), run: (url) => ['python3', ['-c', python, url]] },
    { name: 'node-https', library: 'OpenSSL', version: versionOf('node', ['--version']), env: node, run: (url) => [process.execPath, ['-e', nodeHttps, url]] },
    { name: 'node-fetch', library: 'OpenSSL', version: versionOf('node', ['--version']), env: node, run: (url) => [process.execPath, ['-e', nodeFetch, url]] },
  ];
}
