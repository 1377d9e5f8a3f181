import { describe, expect, it } from 'vitest';
import { growthPercent } from './heap-growth.js';

const MB = 1024 * 1024;

describe('growthPercent', () => {
  it.each([
    // [heap in use (MB), growth allowed past the live heap (%)]
    [0, 100],
    [8, 100],
    [64, 100],
    [71, 90],
    [80, 80],
    [100, 60],
    [127, 50],
    // Large: V8 chooses.
    [128, 0],
    [900, 0],
  ])('%i MB in use: %i%%', (used, percent) => {
    expect(growthPercent(used * MB)).toBe(percent);
  });

  it('never lets the garbage of a small heap grow much past 64 MB (within the rounding to tens of percent)', () => {
    for (let used = 1; used < 128; used++) expect(((used * growthPercent(used * MB)) / 100)).toBeLessThanOrEqual(64 * 1.1);
  });
});
