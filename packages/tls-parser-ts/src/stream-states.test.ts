import { describe, expect, it } from 'vitest';
import { DECRYPTION_TRANSITIONS, ENCRYPTION_REASON, PHASES, TRANSITIONS, type Phase } from './stream-states.js';

const phases = Object.keys(PHASES) as Phase[];
const edges = phases.flatMap((from) => Object.entries(TRANSITIONS[from]).map(([input, to]) => ({ from, input, to: to! })));

describe('the stream reader’s transition table', () => {
  it('names only phases it describes, and describes every phase it names', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...phases].sort());
    for (const e of edges) expect(phases, `${e.from} --${e.input}-->`).toContain(e.to);
  });

  it('reaches every phase from start', () => {
    const seen = new Set<Phase>(['start']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const e of edges) if (seen.has(e.from) && !seen.has(e.to)) grew = seen.add(e.to) !== undefined;
    }
    expect([...seen].sort()).toEqual([...phases].sort());
  });

  it('leaves the ends for nothing', () => {
    expect(edges.filter((e) => e.from === 'failed' || e.from === 'sslv2')).toEqual([]);
  });

  it('changes keys only on an input that names why (the reason encryption-started gives)', () => {
    const clearToKeys = edges.filter((e) => PHASES[e.from].encrypted === false && PHASES[e.to].encrypted === true);
    expect(clearToKeys.length).toBeGreaterThan(0);
    for (const e of clearToKeys) expect([...ENCRYPTION_REASON.keys()], `${e.from} --${e.input}--> ${e.to}`).toContain(e.input);
  });

  it('ends decryption for good', () => {
    expect(DECRYPTION_TRANSITIONS.ended).toEqual({});
    expect(Object.values(DECRYPTION_TRANSITIONS.reading).every((d) => d === 'ended')).toBe(true);
  });
});
