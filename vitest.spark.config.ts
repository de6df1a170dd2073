import { defineConfig } from 'vitest/config';

/**
 * `npm run test:spark`: the tests that run Apache Spark (installed by `npm run setup:spark`): the
 * normalisers on both engines, the same case list from `--engine spark`, the loopback cluster with
 * a worker killed mid-run. One file at a time: each starts JVMs, and CI has two cores.
 */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/spark/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    env: { TZ: 'Asia/Ho_Chi_Minh' },
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['test/global-setup.ts'],
  },
});
