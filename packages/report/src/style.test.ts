import { afterEach, describe, expect, it } from 'vitest';
import { paint, useColor } from './style.js';

describe('colour', () => {
  const saved = { NO_COLOR: process.env.NO_COLOR, TERM: process.env.TERM };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it.each([
    [{ isTTY: true }, undefined, 'xterm', true],
    [{ isTTY: false }, undefined, 'xterm', false],
    [{}, undefined, 'xterm', false],
    [{ isTTY: true }, '1', 'xterm', false],
    [{ isTTY: true }, undefined, 'dumb', false],
  ])('stream %o, NO_COLOR=%s, TERM=%s: colour %s', (stream, noColor, term, want) => {
    if (noColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = noColor;
    process.env.TERM = term;
    expect(useColor(stream)).toBe(want);
  });

  it('paints only when asked', () => {
    expect(paint('x', 'error', false)).toBe('x');
    expect(paint('x', 'error', true)).toBe('\x1b[31mx\x1b[0m');
  });
});
