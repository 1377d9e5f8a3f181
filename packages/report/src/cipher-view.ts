import type { CipherFacts } from './row-facts.js';

function orderWords(order: 'server' | 'client' | null): string {
  return order === 'server' ? "in the server's order of preference" : order === 'client' ? "the server follows the client's order" : '';
}

function untestedLine(c: CipherFacts): string | undefined {
  const u = c.untested;
  return u.count > 0 ? `${u.count} registry suites not offered: ${u.kinds.join(', ')} suites need credentials a probe does not have` : undefined;
}

/** The accepted suites per version, as lines for a terminal. */
export function cipherLines(c: CipherFacts): string[] {
  const out: string[] = [];
  for (const [version, v] of Object.entries(c.versions)) {
    const order = orderWords(v.order);
    out.push(`${version}: ${v.accepted.length} of ${v.offered} registry suites accepted${order ? `, ${order}` : ''}`);
    v.accepted.forEach((s, i) => out.push(`  ${String(i + 1).padStart(2)}. ${s.suite}${s.keyExchange ? ` (${s.keyExchange})` : ''}`));
  }
  const u = untestedLine(c);
  if (u) out.push(`(${u})`);
  return out;
}

/** The same as Markdown: a table per version. */
export function cipherMarkdown(c: CipherFacts): string[] {
  const out: string[] = ['**Cipher suites** (every suite of the IANA registry a ClientHello can offer):', ''];
  for (const [version, v] of Object.entries(c.versions)) {
    const order = orderWords(v.order);
    out.push(`${version}: ${v.accepted.length} of ${v.offered} accepted${order ? `, ${order}` : ''}.`, '');
    if (v.accepted.length === 0) continue;
    out.push('| # | suite | code | key exchange |', '|---|---|---|---|');
    v.accepted.forEach((s, i) => out.push(`| ${i + 1} | ${s.suite} | ${s.code} | ${s.keyExchange ?? '—'} |`));
    out.push('');
  }
  const u = untestedLine(c);
  if (u) out.push(`${u[0].toUpperCase()}${u.slice(1)}.`, '');
  return out;
}
