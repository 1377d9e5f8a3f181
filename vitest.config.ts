import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run on the TypeScript sources of sibling packages, not on their build output.
    conditions: ['source'],
  },
  ssr: {
    resolve: { conditions: ['source'], externalConditions: ['source'] },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Lab tests share one set of network namespaces; run files one after another.
    fileParallelism: false,
    server: { deps: { inline: [/@tlsdoctor\//] } },
  },
});
