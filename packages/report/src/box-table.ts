// The terminal report's table, drawn here rather than by a table library: the cells come already
// wrapped to their columns, so drawing is padding and borders. The library this replaced drew
// the same borders but measured every cell line again and again (0.3 ms a row), and its layout
// grew faster than the rows: 20,000 rows (--limit 0) took 39 s (docs/decisions.md).

/** ANSI SGR sequences (colour, bold): they take no room on the screen. */
const SGR = /\x1b\[[0-9;]*m/g;

/**
 * Columns a string takes on a terminal: colour codes none, combining marks and zero-width
 * characters none, East Asian wide and fullwidth characters (CJK, Hangul, fullwidth forms,
 * emoji) two, every other character one. Control characters are escaped before they get here
 * (`visible`).
 */
export function displayWidth(s: string): number {
  const plain = s.includes('\x1b') ? s.replace(SGR, '') : s;
  let w = 0;
  for (let i = 0; i < plain.length; i++) {
    const c = plain.charCodeAt(i);
    if (c < 0x300) {
      w++;
      continue;
    }
    const cp = plain.codePointAt(i)!;
    if (cp > 0xffff) i++;
    w += columnsOf(cp);
  }
  return w;
}

function columnsOf(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  for (let i = 0; i < WIDE.length; i += 2) if (cp >= WIDE[i] && cp <= WIDE[i + 1]) return 2;
  return 1;
}

/** Ranges of East Asian Wide (W) and Fullwidth (F) code points (Unicode's EastAsianWidth.txt, the large blocks). */
const WIDE = [
  0x1100, 0x115f, 0x2e80, 0x303e, 0x3041, 0x33ff, 0x3400, 0x4dbf, 0x4e00, 0x9fff, 0xa000, 0xa4cf, 0xa960, 0xa97f, 0xac00, 0xd7a3,
  0xf900, 0xfaff, 0xfe10, 0xfe19, 0xfe30, 0xfe6f, 0xff00, 0xff60, 0xffe0, 0xffe6, 0x1f300, 0x1f64f, 0x1f900, 0x1f9ff, 0x20000, 0x3fffd,
];

/**
 * Text from a capture or a server as a terminal shows it harmlessly: control characters (C0,
 * DEL, C1), which could move the cursor, clear the screen or break a table line, become `\xNN`.
 */
export function visible(s: string): string {
  return /[\x00-\x1f\x7f-\x9f]/.test(s) ? s.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : s;
}

/**
 * A table with box-drawing borders: a head, then the rows, a rule between every two. `widths`
 * are the columns' widths with one space of padding each side; a cell's lines (split at "\n")
 * must fit them, a longer line is cut and ends in "…". Cells may hold colour codes.
 */
export function boxTable(head: string[], rows: string[][], widths: number[]): string {
  const rule = (left: string, mid: string, right: string) => left + widths.map((w) => '─'.repeat(w)).join(mid) + right;
  const out = [rule('┌', '┬', '┐')];
  const between = rule('├', '┼', '┤');
  const draw = (cells: string[]) => {
    const lines = cells.map((c) => c.split('\n'));
    const height = Math.max(...lines.map((l) => l.length));
    for (let k = 0; k < height; k++) {
      let line = '│';
      for (let i = 0; i < widths.length; i++) line += ` ${fitted(lines[i]?.[k] ?? '', widths[i] - 2)} │`;
      out.push(line);
    }
  };
  draw(head);
  for (const r of rows) {
    out.push(between);
    draw(r);
  }
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}

/** A cell line padded to `room` columns, or cut to fit with "…". */
function fitted(text: string, room: number): string {
  const w = displayWidth(text);
  if (w <= room) return text + ' '.repeat(room - w);
  // Cut by columns; colour codes inside a cut line are dropped with the rest of it.
  const start = leadingColumns(text.replace(SGR, ''), room - 1);
  // A first character wider than the room is not drawn at all.
  const cut = displayWidth(start) <= room - 1 ? start : '';
  return cut + '…' + ' '.repeat(Math.max(0, room - 1 - displayWidth(cut)));
}

/** The longest start of `s` that takes at most `width` columns, and at least its first character. */
export function leadingColumns(s: string, width: number): string {
  let used = 0;
  let end = 0;
  for (const ch of s) {
    const w = displayWidth(ch);
    if (used + w > width && end > 0) break;
    used += w;
    end += ch.length;
  }
  return s.slice(0, end);
}
