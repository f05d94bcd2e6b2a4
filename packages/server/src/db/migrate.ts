import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/2026_11_25_0001_initial.js';
import * as trust from './migrations/2026_12_01_0001_trust.js';
import * as recoveryArgon2 from './migrations/2026_12_10_0001_recovery_argon2.js';

// Listed in code rather than read from a folder, so the compiled build and the tests run the
// same set without file-system lookups. Names sort by time.
const migrations: Record<string, Migration> = {
  '2026_11_25_0001_initial': initial,
  '2026_12_01_0001_trust': trust,
  '2026_12_10_0001_recovery_argon2': recoveryArgon2,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
