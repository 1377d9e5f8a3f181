// Mutation testing of the diagnosis engine: each mutant changes one judgement (a condition, a
// threshold, a code) and the judges' tests must notice. `npm run mutation`; docs/testing.md has
// the score and what is left alive.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  // The message catalogue and its meanings are data (patterns, texts), checked against what real
  // clients printed (explain.test.ts); explain.ts, the logic that ranks them, is mutated.
  // The exporter's judgements (what the allow list refuses, what counts as success, which query is
  // refused, which scrapes share a probe) are mutated with it: a changed verdict there is as wrong as in a judge.
  mutate: ['packages/serve/src/allow-list.ts', 'packages/serve/src/probe-metrics.ts', 'packages/serve/src/probe-query.ts', 'packages/serve/src/probe-pool.ts', 'packages/diagnosis/src/**/*.ts', '!packages/diagnosis/src/**/*.test.ts', '!packages/diagnosis/src/**/*.fixtures.ts', '!packages/diagnosis/src/index.ts', '!packages/diagnosis/src/messages/catalogue.ts', '!packages/diagnosis/src/messages/meanings.ts', '!packages/diagnosis/src/messages/meanings-after-handshake.ts', '!packages/diagnosis/src/messages/meaning.ts', '!packages/diagnosis/src/messages/meanings-timeouts.ts', '!packages/diagnosis/src/messages/vocabularies.ts', '!packages/diagnosis/src/messages/index.ts'],
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  concurrency: 2,
  thresholds: { high: 95, low: 90, break: 90 },
};
