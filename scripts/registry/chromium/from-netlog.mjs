#!/usr/bin/env node
// Takes this folder's NetLog tables from the constants block of a NetLog that Chromium wrote
// (chrome://net-export, or --log-net-log=FILE): event types, source types, phases, certificate
// status flags, and the version that wrote them. The constants come from the same Chromium build
// as the events, so a newer Chromium's tables are taken by pointing this at one of its NetLogs.
//
//   node scripts/registry/chromium/from-netlog.mjs path/to/netlog.json
//
// net-errors.tsv is not written here: its descriptions are our own words, so the script only
// lists the net errors of the NetLog that the table lacks or names otherwise.
// Then run `npm run gen:registry` to regenerate packages/netlog/src/netlog-registry.generated.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/registry/chromium/from-netlog.mjs NETLOG.json');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const constants = readConstants(readFileSync(file, 'utf8'));

const client = constants.clientInfo ?? {};
if (typeof client.version !== 'string') fail('constants.clientInfo.version is missing');

writeTable('netlog-event-types.tsv', 'number\tname', byValue(need('logEventTypes')));
writeTable('netlog-source-types.tsv', 'number\tname', byValue(need('logSourceType')));
writeTable('netlog-phases.tsv', 'number\tname', byValue(need('logEventPhase')));
writeTable('cert-status-flags.tsv', 'bit\tname', byValue(need('certStatusFlag')));
// Only the fields that say which build wrote the tables: the rest of clientInfo (command line,
// kernel) describes the machine the NetLog was taken on.
writeTable(
  'netlog-client.tsv',
  'field\tvalue',
  ['version', 'cl', 'version_mod'].filter((k) => typeof client[k] === 'string').map((k) => [k, client[k]]),
);

reportNetErrors(need('netError'));

/**
 * A NetLog of a browser that stopped while logging has no closing brackets, yet its constants
 * block (written first) is whole: read that part alone when the whole file does not parse.
 */
function readConstants(text) {
  try {
    const log = JSON.parse(text);
    if (log && typeof log.constants === 'object') return log.constants;
  } catch {
    const events = /,\s*"events"\s*:/.exec(text);
    if (events) {
      try {
        const head = JSON.parse(`${text.slice(0, events.index)}}`);
        if (head && typeof head.constants === 'object') return head.constants;
      } catch {
        // fall through to the error below
      }
    }
  }
  fail(`${file} has no readable constants block (was it written with constants?)`);
}

function need(key) {
  const table = constants[key];
  if (!table || typeof table !== 'object') fail(`constants.${key} is missing`);
  return table;
}

/**
 * Rows by number, as events carry numbers and the constants map names to them. Two names on one
 * number would leave one of them unreachable, so that stops the script rather than drop a name.
 */
function byValue(table) {
  const rows = Object.entries(table).map(([name, value]) => {
    if (!Number.isInteger(value)) fail(`${name} has the non-integer value ${JSON.stringify(value)}`);
    return [value, name];
  });
  rows.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i][0] === rows[i - 1][0]) fail(`${rows[i - 1][1]} and ${rows[i][1]} share ${rows[i][0]}`);
  }
  return rows;
}

function writeTable(name, header, rows) {
  const text = `${header}\n${rows.map((r) => r.join('\t')).join('\n')}\n`;
  writeFileSync(join(here, name), text);
  console.log(`from-netlog: wrote ${name} (${rows.length} rows)`);
}

/** The net errors the hand-written table must gain or rename before it matches this Chromium. */
function reportNetErrors(netError) {
  const known = new Map();
  for (const line of readFileSync(join(here, 'net-errors.tsv'), 'utf8').split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const [code, name] = line.split('\t');
    known.set(Number(code), name);
  }
  let missing = 0;
  for (const [logName, code] of Object.entries(netError).sort((a, b) => b[1] - a[1])) {
    // The NetLog spells success net::OK; the table, like the C++ enum, calls it OK.
    const name = logName.replace(/^net::/, '');
    if (known.get(code) === name) continue;
    missing++;
    console.log(`from-netlog: net-errors.tsv ${known.has(code) ? `names ${code} ${known.get(code)}, this NetLog` : 'lacks'} ${code}\t${name}`);
  }
  const gone = [...known.keys()].filter((code) => !Object.values(netError).includes(code));
  if (gone.length > 0) console.log(`from-netlog: codes in net-errors.tsv this Chromium does not define: ${gone.join(' ')}`);
  console.log(`from-netlog: ${client.version}: ${Object.keys(netError).length} net errors, ${missing} to add to net-errors.tsv by hand`);
}

function fail(message) {
  console.error(`from-netlog: ${message}`);
  process.exit(1);
}
