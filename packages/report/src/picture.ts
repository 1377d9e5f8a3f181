import type { Ladder, LadderStep } from './ladder.js';
import { formatEndpoint } from './model.js';
import type { Picture } from './views.js';

const ACTOR = { client: 'C', server: 'S', path: 'P' } as const;

/**
 * Mermaid's sequence syntax reserves `;` (a statement's end) and `#` (an entity), and a line
 * break ends a message: they are written otherwise, so any text a capture holds stays one message.
 */
function mermaidText(s: string): string {
  return s.replace(/[;#]/g, ',').replace(/[\r\n]+/g, ' ').replace(/[<>]/g, (c) => (c === '<' ? '‹' : '›'));
}

/** How wide a note's line may be: Mermaid draws a note one line as given, however wide, past the lifelines. */
const NOTE_WIDTH = 60;

/** A note cut at spaces into lines of NOTE_WIDTH at most (a longer word stays whole). */
function noteLines(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > NOTE_WIDTH) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/**
 * The ladder as a Mermaid sequence diagram (GitHub and GitLab draw it in issues; elsewhere its
 * text still reads as a list of arrows): client, path when something on it spoke, server.
 */
export function mermaidLadder({ client, server, ladder }: Picture): string[] {
  const hasPath = ladder.steps.some((s) => s.from === 'path');
  const out = ['```mermaid', 'sequenceDiagram'];
  out.push(`  participant C as ${mermaidText(`client ${formatEndpoint(client)}`)}`);
  if (hasPath) out.push('  participant P as path');
  out.push(`  participant S as ${mermaidText(`server ${formatEndpoint(server)}`)}`);
  for (const s of ladder.steps) {
    const to = s.from === 'client' ? 'S' : 'C';
    // Solid arrows from the client, dashed answers, a cross where the connection is torn down.
    const arrow = s.ends ? (s.from === 'client' ? '-x' : '--x') : s.from === 'client' ? '->>' : '-->>';
    out.push(`  ${ACTOR[s.from]}${arrow}${to}: ${mermaidText(`${s.what} · ${time(s)}`)}`);
  }
  for (const n of ladder.notes) out.push(`  Note over C,S: ${noteLines(n).map(mermaidText).join('<br/>')}`);
  out.push('```');
  return out;
}

/** The same ladder as text for a terminal: one line per arrow. */
export function textLadder(ladder: Ladder): string[] {
  const width = Math.max(...ladder.steps.map((s) => time(s).length));
  const arrow = { client: 'client → server', server: 'client ← server', path: 'client ← path  ' } as const;
  const lines = ladder.steps.map((s) => `${time(s).padStart(width)}  ${arrow[s.from]}  ${s.what}${s.ends ? ' ✕' : ''}`);
  return [...lines, ...ladder.notes.map((n) => `${' '.repeat(width)}  (${n})`)];
}

function time(s: LadderStep): string {
  return `${s.atMs.toFixed(2)} ms`;
}
