import yargs, { type ArgumentsCamelCase, type Argv } from 'yargs';
import { EXIT, exitForError } from './exit.js';
import { parseRedact, type Format } from './output.js';
import { runPcap } from './pcap-command.js';
import { CLIENTS } from '@tlsdoctor/diagnosis';
import { UsageError } from './exit.js';
import { skipHelpCaching } from './yargs-help.js';

const EPILOG = `Exit codes: 0 no error-level finding; 1 error-level findings (--fail-on warning: or warnings); 2 bad usage or unreadable input.
Docs: docs/diagnoses.md (every code), docs/json-schema.md (--format json).`;

/** --limit, the same for every command that writes report rows (a string: yargs would make "abc" NaN before it is seen). */
const LIMIT = { type: 'string' as const, default: '200', describe: 'table and Markdown rows at most, and details only for those rows (0: all); JSON always has everything' };

/** --fail-on, the same for every command that reports findings. */
const FAIL_ON = { choices: ['error', 'warning'] as const, default: 'error' as const, describe: 'exit 1 on an error-level finding, or on a warning too (for CI jobs)' };

/** Options given once or repeated (never greedy: they take one value each). */
function list(v: unknown): string[] {
  return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
}

function limitOption(v: unknown): number {
  const n = Number(v);
  if (typeof v === 'boolean' || String(v).trim() === '' || !Number.isInteger(n) || n < 0) throw new UsageError(`--limit must be a whole number, 0 for all (got "${String(v)}")`);
  return n;
}

/**
 * A number option, said back as it was typed when it is not one (yargs would print NaN).
 * `aboveMin`: the least value itself is refused (a timeout of 0), and the message says so.
 */
function numberOption(v: unknown, name: string, min: number, max: number, whole = false, aboveMin = false): number {
  const n = Number(v);
  if (typeof v === 'boolean' || String(v).trim() === '' || !Number.isFinite(n) || n < min || (aboveMin && n === min) || n > max || (whole && !Number.isInteger(n))) {
    const range = aboveMin ? `above ${min} and at most ${max}` : `from ${min} to ${max}`;
    throw new UsageError(`${name} must be ${whole ? 'a whole number' : 'a number'} ${range} (got "${String(v)}")`);
  }
  return n;
}

/** A file option given at most once (yargs makes a repeated one a list). */
function single(v: unknown, name: string): string | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw new UsageError(`${name} can be given once`);
  if (typeof v !== 'string' || v === '') throw new UsageError(`${name} needs a file name`);
  return v;
}

function portOption(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`${name} must be a port from 1 to 65535 (got "${String(v)}")`);
  return n;
}

/**
 * yargs names an unknown option twice (as typed and camel-cased: "bogus-flag, bogusFlag") and
 * without its dashes: said once, as the user typed it.
 */
function unknownArguments(msg: string, argv: string[]): string | undefined {
  const m = /^Unknown arguments?: (.+)$/.exec(msg);
  if (!m) return undefined;
  const typed = (name: string) => argv.find((a) => a === name || a.replace(/^--?/, '').replace(/=.*$/, '') === name && a.startsWith('-'));
  const names = m[1].split(', ').map(typed).filter((a): a is string => a !== undefined).map((a) => a.replace(/=.*$/, ''));
  if (names.length === 0) return undefined;
  const options = names.filter((a) => a.startsWith('-'));
  const words = names.filter((a) => !a.startsWith('-'));
  if (words.length === 1 && options.length === 0 && words[0] === argv[0]) return `unknown command "${words[0]}": pcap, probe, netlog, cert, serve or explain`;
  const parts = [
    ...(options.length > 0 ? [`unknown option${options.length > 1 ? 's' : ''} ${options.join(', ')}`] : []),
    ...(words.length > 0 ? [`unexpected argument${words.length > 1 ? 's' : ''} ${words.map((w) => `"${w}"`).join(', ')}`] : []),
  ];
  return parts.join('; ');
}

/**
 * yargs drops a lone `-` from positional arguments; it means standard input. It is passed
 * through as a name no file can have (paths hold no NUL).
 */
const STDIN_ARG = '\0stdin';

export async function main(argv: string[]): Promise<number> {
  argv = argv.map((a) => (a === '-' ? STDIN_ARG : a));
  const run: Run = { code: EXIT.OK, usageError: undefined, internal: undefined };
  const parser = yargs(argv)
    .scriptName('tlsdoctor')
    .usage('$0 <command> [options]\n\nWhy does my TLS handshake fail? tlsdoctor reads captures and probes servers, and names the cause.')
    .command('pcap <files..>', 'Diagnose every TLS connection in pcap/pcapng captures (gzip too)', pcapOptions, (args) => handled(run, () => pcapCommand(args)))
    .command('probe [target..]', 'Probe live servers and name why their handshake fails', probeOptions, (args) => handled(run, () => probeCommand(args)))
    .command('netlog <files..>', 'Diagnose every connection in a browser\'s NetLog (chrome://net-export), no capture needed', netlogOptions, (args) => handled(run, () => netlogCommand(args)))
    .command('cert [files..]', 'Judge certificate files offline, before nginx serves them: will this chain and key work, for which clients, until when?', certOptions, (args) => handled(run, () => certCommand(args)))
    .command('serve', 'Answer Prometheus scrapes with probes: GET /probe?target=HOST names why its handshake fails, as metrics', serveOptions, (args) => handled(run, () => serveCommand(args)))
    .command('explain [text..]', 'Explain an error message a client printed: what it means, the causes it can come from, how to decide', explainOptions, (args) => handled(run, () => explainCommand(args)))
    .demandCommand(1, 'Name a command: pcap, probe, netlog, cert, serve or explain.')
    .strict()
    .help()
    .alias('h', 'help')
    .version('0.1.0')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      // yargs reports its own validation failures with a message; an error without one came
      // from a command handler and is ours to sort: bad usage, or a bug.
      if (msg) run.usageError ??= unknownArguments(msg, argv) ?? msg;
      else if (exitForError(err) !== undefined) run.usageError ??= err.message;
      else run.internal ??= err;
    });
  skipHelpCaching(parser);
  try {
    await parser.parseAsync();
  } catch (e) {
    if (exitForError(e) !== undefined) run.usageError ??= (e as Error).message;
    else if (!run.usageError && !run.internal) throw e;
  }
  if (run.internal) throw run.internal;
  if (run.usageError) {
    process.stderr.write(`tlsdoctor: ${run.usageError}\nRun 'tlsdoctor --help' for usage.\n`);
    return EXIT.USAGE_OR_INPUT;
  }
  return run.code;
}

/** The parsed arguments of a command whose options `build` declares. */
type ArgsOf<B extends (y: Argv) => Argv<unknown>> = ReturnType<B> extends Argv<infer T> ? ArgumentsCamelCase<T> : never;

/** What a run of the parser came to: the command's exit code, or why it could not run. */
interface Run {
  code: number;
  usageError: string | undefined;
  internal: Error | undefined;
}

/** Runs a command's handler unless yargs' own validation already failed (it may still call it). */
async function handled(run: Run, command: () => Promise<number>): Promise<void> {
  if (run.usageError) return;
  run.code = await command();
}

function pcapOptions(y: Argv) {
  return y
    .positional('files', { type: 'string', array: true, describe: 'capture files (.pcap, .pcapng, optionally gzip-compressed); - reads standard input', demandOption: true })
    .option('format', { alias: 'f', choices: ['table', 'json', 'markdown', 'ndjson'] as const, default: 'table' as const, describe: 'output format (ndjson: a line per connection as it ends, then the summary)' })
    .option('redact', { describe: 'mask client addresses; --redact=all also masks server names and addresses', type: 'string' })
    .option('sni', { type: 'string', describe: 'only connections with this SNI (*.example.com matches subdomains)' })
    .option('host', { type: 'string', describe: 'only connections to or from this address, or with this SNI' })
    .option('port', { type: 'string', describe: 'only connections to this server port' })
    .option('tls-port', { type: 'string', describe: 'also count SYN-only connections to this port as TLS attempts (443 and 8443 always are)' })
    .option('keylog', { type: 'string', describe: 'NSS key log (SSLKEYLOGFILE) to open TLS 1.3 handshakes with (repeat for more; a pcapng\'s secrets blocks are used by themselves)' })
    .option('failures-only', { type: 'boolean', default: false, describe: 'only connections with an error or a warning' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'show every ClientHello field and the fingerprints' })
    .option('fail-on', FAIL_ON)
    .option('limit', LIMIT)
    .option('separate', { type: 'boolean', default: false, describe: 'read each file as a capture of its own, even one that takes up where the file before it stopped (a tcpdump -C/-G rotation is otherwise read as one capture)' })
    .example('$0 pcap capture.pcapng', 'diagnose every TLS connection in the capture')
    .example('$0 pcap rotated.pcap*', 'files that follow each other in time are read as one capture')
    .example('$0 pcap capture.pcap --failures-only --format markdown > ticket.md', 'a report for a support ticket')
    .example('$0 pcap capture.pcap.gz --sni api.example.com --redact', 'one server name, client addresses masked')
    .example("tcpdump -U -w - 'tcp port 443 or udp port 443 or icmp' | $0 pcap - --format ndjson", 'diagnose live traffic, a line per connection')
    .epilog(EPILOG);
}

async function pcapCommand(args: ArgsOf<typeof pcapOptions>): Promise<number> {
  return runPcap({
    files: (args.files as string[]).map((f) => (f === STDIN_ARG ? '-' : f)),
    format: args.format as Format,
    redact: parseRedact(args.redact),
    verbose: args.verbose,
    failuresOnly: args['failures-only'],
    failOn: args['fail-on'],
    sni: args.sni,
    host: args.host,
    port: portOption(args.port, '--port'),
    tlsPorts: list(args['tls-port']).map((p) => portOption(p, '--tls-port') as number),
    keylogs: list(args.keylog),
    limit: limitOption(args.limit),
    separate: args.separate,
  });
}

function netlogOptions(y: Argv) {
  return y
    .positional('files', { type: 'string', array: true, describe: 'NetLog files (JSON from chrome://net-export or --log-net-log, optionally gzip-compressed)', demandOption: true })
    .option('format', { alias: 'f', choices: ['table', 'json', 'markdown', 'ndjson'] as const, default: 'table' as const, describe: 'output format (ndjson: a line per connection as the log ends it, then the summary)' })
    .option('redact', { describe: 'mask client addresses; --redact=all also masks server names, addresses and certificate identities', type: 'string' })
    .option('host', { type: 'string', describe: 'only connections for this name or address (*.example.com matches subdomains)' })
    .option('failures-only', { type: 'boolean', default: false, describe: 'only connections with an error or a warning' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'show every finding with its evidence, and the ClientHello fields' })
    .option('fail-on', FAIL_ON)
    .option('limit', LIMIT)
    .example('$0 netlog chrome-net-export-log.json', 'every connection the browser made, and why each failed')
    .example('$0 netlog netlog.json --host api.example.com --format markdown > ticket.md', 'one site, for a support ticket')
    .epilog(EPILOG);
}

async function netlogCommand(args: ArgsOf<typeof netlogOptions>): Promise<number> {
  const { runNetlog } = await import('./netlog-command.js');
  return runNetlog({
    files: (args.files as string[]).map((f) => (f === STDIN_ARG ? '-' : f)),
    format: args.format as Format,
    redact: parseRedact(args.redact),
    verbose: args.verbose,
    failuresOnly: args['failures-only'],
    failOn: args['fail-on'],
    host: args.host,
    limit: limitOption(args.limit),
  });
}

function probeOptions(y: Argv) {
  return y
    .positional('target', { type: 'string', array: true, describe: 'host, host:port, https://host[:port]/path, IPv4/IPv6 literal or IDN name' })
    .option('targets', { alias: 'T', type: 'string', describe: 'read more targets from FILE, one a line (# comments)' })
    .option('format', { alias: 'f', choices: ['table', 'json', 'markdown', 'ndjson'] as const, default: 'table' as const, describe: 'output format' })
    .option('redact', { describe: 'mask client addresses; --redact=all also masks server names and addresses', type: 'string' })
    .option('timeout', { type: 'string', default: '5', describe: 'seconds allowed for each step (connect, hello, handshake, request)' })
    .option('concurrency', { type: 'string', default: '4', describe: 'targets probed at once' })
    .option('resolve', { type: 'string', describe: 'HOST:PORT:ADDRESS, as curl: use this address for HOST:PORT' })
    .option('ca', { type: 'string', describe: 'PEM file of extra trusted CAs, added to Node\'s store (repeat for more)' })
    .option('cert', { type: 'string', describe: 'client certificate (PEM) to present when a server asks for one; with --key' })
    .option('key', { type: 'string', describe: 'the private key (PEM) of --cert' })
    .option('profile', { choices: ['browser', 'wechat-miniprogram', 'modern', 'intermediate'] as const, default: 'browser' as const, describe: 'the client whose point of view to take' })
    .option('allow-list', { type: 'string', describe: 'with --profile wechat-miniprogram: FILE of allowed domains, one a line' })
    .option('decoy-sni', { type: 'string', default: 'example.com', describe: 'the neutral name for the SNI differential' })
    .option('ws', { type: 'string', describe: 'also try a WebSocket upgrade on PATH' })
    .option('ciphers', { type: 'boolean', default: false, describe: 'enumerate the cipher suites of each accepted version' })
    .option('warn-days', { type: 'string', default: '21', describe: 'warn when the certificate expires within this many days' })
    .option('http', { type: 'boolean', default: true, describe: 'the HTTP requests after the handshake: port-80 and https redirects, HSTS, 421, the HTTP-level client-certificate check, and the Alt-Svc that starts the HTTP/3 check (--no-http skips them all)' })
    .option('http3', { type: 'boolean', describe: 'send a QUIC Initial to UDP even if Alt-Svc does not advertise h3 (default: only when it does; --no-http3 never)' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'show every finding with its evidence' })
    .option('fail-on', FAIL_ON)
    .option('limit', LIMIT)
    .example('$0 probe example.com', 'the full default probe: DNS, TCP, each TLS version, the chain, HTTP checks')
    .example('$0 probe https://api.example.com:8443/ws --ws /ws', 'also try a WebSocket upgrade')
    .example('$0 probe api.example.com --profile wechat-miniprogram --allow-list domains.txt', 'judge as a WeChat mini-program would')
    .example('$0 probe example.com --resolve example.com:443:203.0.113.7', 'probe one server behind the name')
    .epilog(EPILOG);
}

async function probeCommand(args: ArgsOf<typeof probeOptions>): Promise<number> {
  // Loaded when asked for: reading a capture needs none of the probe's sockets and HTTP client.
  const { runProbe } = await import('./probe-command.js');
  return runProbe({
    targets: (args.target as string[] | undefined) ?? [],
    targetsFile: args.targets,
    format: args.format as Format,
    redact: parseRedact(args.redact),
    verbose: args.verbose,
    timeout: numberOption(args.timeout, '--timeout', 0, 120, false, true),
    concurrency: numberOption(args.concurrency, '--concurrency', 1, 64, true),
    resolve: list(args.resolve),
    ca: list(args.ca),
    cert: single(args.cert, '--cert'),
    key: single(args.key, '--key'),
    profile: args.profile,
    allowList: args['allow-list'],
    decoySni: args['decoy-sni'],
    ws: args.ws,
    ciphers: args.ciphers,
    warnDays: numberOption(args['warn-days'], '--warn-days', 0, 3650),
    http: args.http,
    http3: args.http3,
    limit: limitOption(args.limit),
    failOn: args['fail-on'],
  });
}

function certOptions(y: Argv) {
  return y
    .positional('files', { type: 'string', array: true, describe: 'certificate files, PEM (a bundle) or DER, leaf first: the order nginx\'s ssl_certificate serves', demandOption: true })
    .option('key', { type: 'string', describe: 'the private key (PEM or DER): is it the leaf\'s?' })
    .option('password', { type: 'string', describe: 'the --key file\'s password: pass:TEXT, env:VAR, file:PATH (as openssl -passin)' })
    .option('name', { type: 'string', describe: 'the host name (Unicode or xn--) or IP address clients ask for; without it, names are not checked' })
    .option('purpose', { choices: ['server', 'client'] as const, default: 'server' as const, describe: 'a server\'s chain, or a client certificate for mutual TLS' })
    .option('at', { type: 'string', describe: 'judge at this time: 2026-03-01, 2026-03-01T12:00:00Z, +30d (default: now)' })
    .option('ca', { type: 'string', describe: 'PEM or DER file of extra trusted CAs, added to every store (repeat for more)' })
    .option('store', { type: 'string', describe: 'client families to judge for: default (Chrome and Mozilla/Node roots), system, java, none (--ca only); repeat for more (default: every store this machine has)' })
    .option('warn-days', { type: 'string', default: '21', describe: 'warn when the leaf expires within this many days of the time judged' })
    .option('format', { alias: 'f', choices: ['table', 'json', 'markdown'] as const, default: 'table' as const, describe: 'output format' })
    .option('redact', { describe: '--redact=all masks the certificates\' names, serials and fingerprints', type: 'string' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'show every finding with its evidence' })
    .option('fail-on', FAIL_ON)
    .option('limit', LIMIT)
    .example('$0 cert fullchain.pem --key privkey.pem --name example.com', 'will nginx serve this chain and key, to which clients, until when?')
    .example('$0 cert leaf.pem intermediate.pem --store java --at +30d', 'will Java clients still accept it in 30 days?')
    .example('$0 cert client.pem --key client.key --purpose client --ca private-ca.pem --store none', 'a client certificate for mutual TLS')
    .epilog(EPILOG);
}

async function certCommand(args: ArgsOf<typeof certOptions>): Promise<number> {
  const { runCert } = await import('./cert-command.js');
  return runCert({
    files: (args.files as string[]).map((f) => (f === STDIN_ARG ? '-' : f)),
    key: single(args.key, '--key'),
    password: args.password === undefined ? undefined : String(single(args.password, '--password')),
    name: args.name === undefined ? undefined : String(single(args.name, '--name')),
    purpose: args.purpose,
    at: args.at === undefined ? undefined : String(single(args.at, '--at')),
    ca: list(args.ca),
    stores: list(args.store),
    warnDays: numberOption(args['warn-days'], '--warn-days', 0, 3650),
    format: args.format as Format,
    redact: parseRedact(args.redact),
    verbose: args.verbose,
    failOn: args['fail-on'],
    limit: limitOption(args.limit),
  });
}

function serveOptions(y: Argv) {
  return y
    .option('listen', { type: 'string', default: '127.0.0.1:9219', describe: 'ADDRESS:PORT to answer on ([IPv6]:PORT; :PORT for every address)' })
    .option('allow', { type: 'string', describe: 'FILE of what may be probed, one a line: example.com, *.example.com, 203.0.113.0/24, [2001:db8::]/32, each with :PORT[,PORT] or none for any port' })
    .option('allow-any', { type: 'boolean', default: false, describe: 'probe any target asked for (only where nobody untrusted can reach the exporter)' })
    .option('ca', { type: 'string', describe: 'PEM file of extra trusted CAs, added to Node\'s store (repeat for more)' })
    .option('timeout', { type: 'string', default: '10', describe: 'seconds a probe may take at most (a scrape\'s own timeout shortens it)' })
    .option('concurrency', { type: 'string', default: '64', describe: 'probes run at once (a silent target holds one for its whole timeout)' })
    .option('queue', { type: 'string', default: '256', describe: 'probes waiting for a slot at most; a scrape beyond is answered 503' })
    .option('share', { type: 'string', default: '5', describe: 'seconds a finished probe answers other scrapes of the same target' })
    .option('profile', { choices: ['browser', 'wechat-miniprogram', 'modern', 'intermediate'] as const, default: 'browser' as const, describe: 'the client whose point of view to take when a scrape names none' })
    .option('decoy-sni', { type: 'string', default: 'example.com', describe: 'the neutral name for the SNI differential' })
    .option('warn-days', { type: 'string', default: '21', describe: 'warn when the certificate expires within this many days' })
    .option('http', { type: 'boolean', default: true, describe: 'check the port-80 redirect and HSTS (--no-http to skip)' })
    .example('$0 serve --allow targets.txt', 'answer http://127.0.0.1:9219/probe?target=example.com for Prometheus')
    .epilog('Metrics and the scrape configuration: docs/monitoring.md. Exits 0 on SIGTERM once the probes under way have ended; 2 on bad usage.');
}

async function serveCommand(args: ArgsOf<typeof serveOptions>): Promise<number> {
  const { runServe } = await import('./serve-command.js');
  return runServe({
    listen: args.listen,
    allow: single(args.allow, '--allow'),
    allowAny: args['allow-any'],
    ca: list(args.ca),
    timeout: numberOption(args.timeout, '--timeout', 0.5, 120),
    concurrency: numberOption(args.concurrency, '--concurrency', 1, 256, true),
    queue: numberOption(args.queue, '--queue', 0, 100_000, true),
    share: numberOption(args.share, '--share', 0, 3600),
    profile: args.profile,
    decoySni: args['decoy-sni'],
    warnDays: numberOption(args['warn-days'], '--warn-days', 0, 3650),
    http: args.http,
  });
}

function explainOptions(y: Argv) {
  return y
    .positional('text', { type: 'string', array: true, describe: 'the message, as printed (quote it); - reads it from standard input' })
    .option('client', { type: 'string', describe: `the client that printed it (${CLIENTS.join(', ')}); guessed from the message's shape when left out` })
    .option('format', { alias: 'f', choices: ['table', 'json', 'markdown'] as const, default: 'table' as const, describe: 'output format' })
    .option('probe', { type: 'string', describe: 'probe this host or URL and say which of the causes it confirms' })
    .option('ca', { type: 'string', describe: 'with --probe: PEM file of extra trusted CAs (repeat for more)' })
    .option('timeout', { type: 'string', default: '5', describe: 'with --probe: seconds allowed for each step' })
    .example('$0 explain "curl: (35) Recv failure: Connection reset by peer"', 'what a reset during the handshake can mean')
    .example('$0 explain "request:fail ssl hand shake error" --probe https://api.example.com/', 'and which cause the server shows')
    .epilog('Exit codes: 0 the message was recognised; 1 it was not (the closest known messages are listed); 2 bad usage.');
}

async function explainCommand(args: ArgsOf<typeof explainOptions>): Promise<number> {
  const { runExplain } = await import('./explain-command.js');
  return runExplain({
    text: ((args.text as string[] | undefined) ?? []).map((t) => (t === STDIN_ARG ? '-' : t)),
    client: args.client,
    format: args.format as 'table' | 'json' | 'markdown',
    probe: args.probe,
    ca: list(args.ca),
    timeout: numberOption(args.timeout, '--timeout', 0, 120, false, true),
  });
}
