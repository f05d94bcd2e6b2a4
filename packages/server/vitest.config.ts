import { defineConfig } from 'vitest/config';

/** Tests of SQLite itself (its files, WAL, group commit) or of no database at all: run once. */
const SQLITE_ONLY = ['src/sites/opening-hours.test.ts', 'src/sites/away-texts.test.ts', 'src/cluster/redis-throttle-store.test.ts', 'src/realtime/visitor-limits.test.ts', 'src/realtime/delivery.test.ts', 'src/cluster/ephemeral-store.test.ts', 'src/offices/postcodes/import.test.ts', 'src/db/database.test.ts', 'src/db/group-commit.test.ts', 'src/db/compiled-once.test.ts', 'src/config.test.ts', 'src/security/keyring.test.ts', 'src/security/client-key.test.ts', 'src/channels/channel-units.test.ts', 'src/channels/email/imap-reader.test.ts', 'src/channels/email/parse-mail.test.ts', 'src/channels/email/outgoing.test.ts'];

export default defineConfig({
  test: {
    // Each test file starts real servers on real databases; argon2 hashing makes some slow.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Every repository, service and realtime test runs on both databases.
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['src/**/*.test.ts'], env: { DIRETURN_TEST_DATABASE: 'sqlite' } } },
      { extends: true, test: { name: 'postgres', include: ['src/**/*.test.ts'], exclude: SQLITE_ONLY, env: { DIRETURN_TEST_DATABASE: 'postgres' } } },
    ],
  },
});
