import { execFileSync } from 'node:child_process';

export function tsharkAvailable(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs tshark -T fields and returns one record per packet, fields by name. */
export function tsharkFields(file: string, fields: string[], filter?: string, options: string[] = []): Record<string, string>[] {
  // Out-of-order reassembly is off by default in tshark 4.0; a careful analyst turns it on.
  const args = ['-o', 'tcp.reassemble_out_of_order:TRUE', ...options, '-r', file, '-n', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  if (filter) args.push('-Y', filter);
  for (const f of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 }).toString();
  return out
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const cols = l.split('\t');
      return Object.fromEntries(fields.map((f, i) => [f, cols[i] ?? '']));
    });
}
