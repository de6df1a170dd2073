import { defineConfig } from 'vitest/config';

/**
 * The slow files: end-to-end runs through the CLI or a browser, the kill/fault-injection runs and
 * the fuzzers.
 * `npm run test:fast` (project "fast") leaves them out; `npm test` runs both projects.
 */
export const slowTests = [
  'test/e2e/**/*.test.ts',
  'test/reliability/kill.test.ts',
  'test/reliability/outputs.test.ts',
  'test/fuzz/**/*.test.ts',
  'test/browser/**/*.test.ts',
];

/** Tests that need Spark (`npm run setup:spark`): run by `npm run test:spark` (vitest.spark.config.ts) only. */
export const sparkTests = ['test/spark/**'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { TZ: 'Asia/Ho_Chi_Minh' },
    pool: 'forks',
    // Rebuilds dist/ when the sources changed (tests that start the CLI or workers run dist/).
    globalSetup: ['test/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: [...slowTests, ...sparkTests] } },
      { extends: true, test: { name: 'slow', include: slowTests } },
    ],
  },
});
