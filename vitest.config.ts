import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests and subprocess CLI tests are slower than unit tests; the machines are shared and noisy.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
