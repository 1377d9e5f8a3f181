import { readSync } from 'node:fs';
import { CLIENTS, diagnoseProbe, explain, type ClientName, type Explanation } from '@tlsdoctor/diagnosis';
import { loadExtraCa, parseTarget, probeTarget, TargetError } from '@tlsdoctor/probe';
import { bold, useColor } from '@tlsdoctor/report';
import { EXIT, UsageError } from './exit.js';

export interface ExplainOptions {
  text: string[];
  client?: string;
  format: 'table' | 'json' | 'markdown';
  probe?: string;
  ca: string[];
  timeout: number;
}

/** Most of standard input read: an error message is short; a pasted log is cut here. */
const MAX_STDIN = 4 * 1024 * 1024;

/**
 * Where bytes stop being text: a control byte no terminal prints (NUL, SUB, …; tabs, line ends
 * and the escape of colour codes are text), or a run of bytes that are not UTF-8 (a pasted image,
 * a capture file). A lone byte of another encoding in a message is let through.
 */
export function notTextAt(bytes: Buffer): number | undefined {
  const control = bytes.findIndex((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b);
  if (control >= 0) return control;
  const text = bytes.toString('utf8');
  const bad = text.search(/(?:\ufffd[^\n]{0,8}){4}/);
  return bad < 0 ? undefined : Buffer.byteLength(text.slice(0, bad));
}

function readStdin(): string {
  if (process.stdin.isTTY) throw new UsageError('standard input is a terminal: give the message as an argument, or pipe it in');
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.alloc(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((e as NodeJS.ErrnoException).code === 'EOF') break;
      throw e;
    }
    if (n === 0 || total >= MAX_STDIN) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
    total += n;
  }
  const bytes = Buffer.concat(chunks);
  const at = notTextAt(bytes);
  if (at !== undefined) throw new UsageError(`standard input is not text (byte ${at} of ${bytes.length} is binary): paste the message or transcript the client printed`);
  return bytes.toString('utf8');
}

/** What a probe of the server confirmed among the candidates. */
interface Confirmation {
  target: string;
  found: string[];
  confirmed: string[];
}

export async function runExplain(o: ExplainOptions): Promise<number> {
  if (o.client !== undefined && !(CLIENTS as readonly string[]).includes(o.client)) throw new UsageError(`--client must be one of ${CLIENTS.join(', ')} (got "${o.client}")`);
  const text = o.text.length === 1 && o.text[0] === '-' ? readStdin() : o.text.join(' ');
  if (text.trim() === '') throw new UsageError('the message is empty: give it as an argument (quoted), or - to read it from standard input');
  const e = explain(text, o.client as ClientName | undefined);
  let confirmation: Confirmation | undefined;
  if (o.probe) {
    let target;
    try {
      target = parseTarget(o.probe);
    } catch (err) {
      if (err instanceof TargetError) throw new UsageError(err.message);
      throw err;
    }
    const records = await probeTarget(target, { timeoutMs: o.timeout * 1000, profile: 'browser', decoySni: 'example.com', extraCa: loadExtraCa(o.ca), resolve: new Map(), ciphers: false, warnDays: 21, http: false });
    const found = [...new Set(records.flatMap((r) => diagnoseProbe(r).map((f) => f.code)))];
    confirmation = { target: o.probe, found, confirmed: e.candidates.map((c) => c.code).filter((c) => found.includes(c)) };
  }
  const out = o.format === 'json' ? JSON.stringify(asJson(text, e, confirmation), null, 2) + '\n' : o.format === 'markdown' ? markdown(text, e, confirmation) : terminal(text, e, confirmation, useColor(process.stdout));
  process.stdout.write(out);
  return e.recognised ? EXIT.OK : EXIT.FINDINGS;
}

function asJson(text: string, e: Explanation, c?: Confirmation) {
  return {
    input: text.length > 500 ? `${text.slice(0, 500)}…` : text,
    recognised: e.recognised,
    client: e.client ?? null,
    host: e.host ?? null,
    messages: e.matches.map((m) => ({ id: m.entry.id, matched: m.matched, means: m.meaning.means, certainty: m.meaning.certainty, source: m.entry.source })),
    candidates: e.candidates,
    check: e.check ?? null,
    closest: e.closest.map((x) => ({ id: x.id, example: x.example })),
    netError: e.netError ?? null,
    wrappers: e.wrappers,
    target: e.target ?? null,
    probeTarget: e.probe ?? null,
    namesNoCause: e.matches[0]?.meaning.namesNoCause ?? null,
    transcript: e.transcript ?? null,
    ...(c ? { probe: c } : {}),
  };
}

/** The message's first line, short and printable (a binary paste must not drive the terminal). */
function quoted(text: string): string {
  const line = (text.split('\n').find((l) => l.trim()) ?? '').replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?');
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

function terminal(text: string, e: Explanation, c: Confirmation | undefined, color: boolean): string {
  const lines: string[] = [];
  const chromium = e.netError && `Chromium's net error ${e.netError.name} (${e.netError.code})${e.netError.description ? `: ${e.netError.description.replace(/\.$/, '')}` : ''}`;
  if (!e.recognised) {
    lines.push(`tlsdoctor explain: message not recognised: "${quoted(text)}"`);
    if (chromium) lines.push(`${chromium}. tlsdoctor maps no cause to it; a NetLog of the failure (tlsdoctor netlog, docs/netlog.md) shows what led to it.`);
    if (e.closest.length > 0) lines.push('Closest messages the catalogue knows:', ...e.closest.map((x) => `  - ${x.example}`));
    lines.push('A capture names the cause whatever the client printed: tlsdoctor pcap (docs/reports.md), or probe the server: tlsdoctor probe HOST');
    return lines.join('\n') + '\n';
  }
  const [first] = e.matches;
  if (e.transcript) lines.push(`${bold('Transcript', color)}: ${e.transcript.kind}${e.transcript.host ? ` to ${e.transcript.host}` : ''}`);
  if (first) {
    lines.push(`${bold('Message', color)}: ${first.matched}${e.client ? ` (${e.client})` : ''}`);
    lines.push(`${bold('Means', color)}: ${first.meaning.means}`);
  }
  if (chromium) lines.push(`  ${chromium}`);
  for (const m of e.matches.slice(1)) lines.push(`  also: "${m.matched}": ${m.meaning.means}`);
  if (e.wrappers.length > 0) lines.push(`  Read through: ${e.wrappers.join(', ')}`);
  if (e.transcript && e.transcript.shown.length > 0) {
    lines.push('', bold('What the transcript shows:', color));
    for (const x of e.transcript.shown) lines.push(`  ${x.code}: ${x.says}`, `    > ${quoted(x.line)}`);
  }
  if (first?.meaning.namesNoCause) lines.push('', `${bold('Names no cause', color)}: ${first.meaning.namesNoCause}.`);
  lines.push('', bold(first?.meaning.namesNoCause ? 'Causes such answers are known for:' : 'Possible causes, most likely first:', color));
  e.candidates.forEach((x, i) => lines.push(`  ${i + 1}. ${x.code}${c?.confirmed.includes(x.code) ? ' (confirmed by the probe)' : ''}: ${x.sign}`));
  lines.push('', `${bold('To decide', color)}: ${e.check}`);
  if (e.probe && !c) lines.push(`The message names the server: tlsdoctor explain ... --probe ${e.probe.split(' ')[0]}`);
  if (c) lines.push('', c.confirmed.length > 0 ? `The probe of ${c.target} confirmed: ${c.confirmed.join(', ')}.` : `The probe of ${c.target} confirmed none of these; it found: ${c.found.join(', ') || 'nothing'}.`);
  return lines.join('\n') + '\n';
}

function markdown(text: string, e: Explanation, c: Confirmation | undefined): string {
  if (!e.recognised) return `**Message not recognised:** \`${quoted(text)}\`\n\n${e.closest.map((x) => `- closest: \`${x.example}\``).join('\n')}\n`;
  const [first] = e.matches;
  const out = [
    ...(e.transcript ? [`**Transcript:** ${e.transcript.kind}`, '', ...e.transcript.shown.map((x) => `- \`${x.code}\`: ${x.says}: \`${quoted(x.line)}\``), ''] : []),
    ...(first ? [`**Message:** \`${first.matched}\`${e.client ? ` (${e.client})` : ''}`, '', `**Means:** ${first.meaning.means}`] : []),
    ...(first?.meaning.namesNoCause ? ['', `**Names no cause:** ${first.meaning.namesNoCause}.`] : []),
    '',
    '| # | cause | sign |',
    '|---|---|---|',
  ];
  e.candidates.forEach((x, i) => out.push(`| ${i + 1} | \`${x.code}\`${c?.confirmed.includes(x.code) ? ' (confirmed)' : ''} | ${x.sign.replace(/\|/g, '\\|')} |`));
  out.push('', `**To decide:** \`${e.check}\``);
  if (c) out.push('', c.confirmed.length > 0 ? `The probe of \`${c.target}\` confirmed: ${c.confirmed.map((x) => `\`${x}\``).join(', ')}.` : `The probe of \`${c.target}\` confirmed none; it found ${c.found.map((x) => `\`${x}\``).join(', ')}.`);
  return out.join('\n') + '\n';
}
