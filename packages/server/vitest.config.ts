import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Each test file starts real servers on SQLite files; argon2 hashing makes some slow.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
