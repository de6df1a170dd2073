import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { TZ: 'Asia/Ho_Chi_Minh' },
    pool: 'forks',
  },
});
