import { describe, expect, it } from 'vitest';
import { EXIT, exitFor } from './exit.js';

describe('exit codes', () => {
  it.each([
    ['ok', false, 'error', EXIT.OK],
    ['info', false, 'error', EXIT.OK],
    ['warning', false, 'error', EXIT.OK],
    ['error', false, 'error', EXIT.FINDINGS],
    ['ok', false, 'warning', EXIT.OK],
    ['info', false, 'warning', EXIT.OK],
    ['warning', false, 'warning', EXIT.FINDINGS],
    ['error', false, 'warning', EXIT.FINDINGS],
    // An input that could not be read says so, whatever was found in what could.
    ['error', true, 'error', EXIT.USAGE_OR_INPUT],
    ['ok', true, 'warning', EXIT.USAGE_OR_INPUT],
  ] as const)('worst %s, input failed %s, --fail-on %s: %i', (worst, failed, failOn, code) => {
    expect(exitFor(worst, failed, failOn)).toBe(code);
  });

  it('fails on errors only by default', () => {
    expect(exitFor('warning', false)).toBe(EXIT.OK);
    expect(exitFor('error', false)).toBe(EXIT.FINDINGS);
  });
});
