import yargs from 'yargs';
import { EXIT } from './exit.js';
import { parseRedact, type Format } from './output.js';
import { runPcap } from './pcap-command.js';

const EPILOG = `Exit codes: 0 no error-level finding; 1 error-level findings; 2 bad usage or unreadable input.
Docs: docs/diagnoses.md (every code), docs/json-schema.md (--format json).`;

function portOption(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port from 1 to 65535 (got "${String(v)}")`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.OK;
  let usageError: string | undefined;
  const parser = yargs(argv)
    .scriptName('tlsdoctor')
    .usage('$0 <command> [options]\n\nWhy does my TLS handshake fail? tlsdoctor reads captures and probes servers, and names the cause.')
    .command(
      'pcap <files..>',
      'Diagnose every TLS connection in pcap/pcapng captures (gzip too)',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, describe: 'capture files (.pcap, .pcapng, optionally gzip-compressed)', demandOption: true })
          .option('format', { alias: 'f', choices: ['table', 'json', 'markdown'] as const, default: 'table' as const, describe: 'output format' })
          .option('redact', { describe: 'mask client addresses; --redact=all also masks server names and addresses', type: 'string' })
          .option('sni', { type: 'string', describe: 'only connections with this SNI (*.example.com matches subdomains)' })
          .option('host', { type: 'string', describe: 'only connections to or from this address, or with this SNI' })
          .option('port', { type: 'string', describe: 'only connections to this server port' })
          .option('tls-port', { type: 'string', array: true, default: [] as string[], describe: 'also count SYN-only connections to this port as TLS attempts (443 and 8443 always are)' })
          .option('failures-only', { type: 'boolean', default: false, describe: 'only connections with an error or a warning' })
          .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'show every ClientHello field and the fingerprints' })
          .example('$0 pcap capture.pcapng', 'diagnose every TLS connection in the capture')
          .example('$0 pcap capture.pcap --failures-only --format markdown > ticket.md', 'a report for a support ticket')
          .example('$0 pcap capture.pcap.gz --sni api.example.com --redact', 'one server name, client addresses masked')
          .epilog(EPILOG),
      async (args) => {
        code = await runPcap({
          files: args.files as string[],
          format: args.format as Format,
          redact: parseRedact(args.redact),
          verbose: args.verbose,
          failuresOnly: args['failures-only'],
          sni: args.sni,
          host: args.host,
          port: portOption(args.port, '--port'),
          tlsPorts: (args['tls-port'] as string[]).map((p) => portOption(p, '--tls-port') as number),
        });
      },
    )
    .demandCommand(1, 'Name a command: pcap or probe.')
    .strict()
    .help()
    .alias('h', 'help')
    .version('0.1.0')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      usageError = msg ?? err?.message ?? 'bad usage';
    });
  try {
    await parser.parseAsync();
  } catch (e) {
    usageError ??= (e as Error).message;
  }
  if (usageError) {
    process.stderr.write(`tlsdoctor: ${usageError}\nRun 'tlsdoctor --help' for usage.\n`);
    return EXIT.USAGE_OR_INPUT;
  }
  return code;
}
