// The judges' own tests and the exporter's pure ones, for mutation testing (npm run mutation): facts in, findings out, no
// root, no network, no fixtures on disk; fast enough to run once per mutant.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

export default mergeConfig(base, defineConfig({ test: { include: ['packages/diagnosis/src/**/*.test.ts', 'packages/serve/src/**/*.test.ts'], fileParallelism: true } }));
