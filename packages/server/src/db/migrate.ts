import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/2026_11_25_0001_initial.js';
import * as trust from './migrations/2026_12_01_0001_trust.js';
import * as cluster from './migrations/2026_12_07_0001_cluster.js';
import * as recoveryArgon2 from './migrations/2026_12_10_0001_recovery_argon2.js';
import * as knowledge from './migrations/2026_12_11_0001_knowledge.js';
import * as offices from './migrations/2026_12_11_0001_offices.js';
import * as outbox from './migrations/2026_12_11_0002_outbox.js';
import * as referrals from './migrations/2026_12_11_0003_referrals.js';
import * as conversationWork from './migrations/2026_12_12_0001_conversation_work.js';
import * as accountsSites from './migrations/2026_12_13_0001_accounts_sites.js';
import * as savedReplies from './migrations/2026_12_15_0001_saved_replies.js';
import * as orientation from './migrations/2026_12_14_0001_orientation.js';
import * as channels from './migrations/2026_12_16_0001_channels.js';
import * as emailMailboxes from './migrations/2026_12_17_0001_email_mailboxes.js';
import * as callbacks from './migrations/2026_12_19_0001_callbacks.js';
import * as knowledgeWords from './migrations/2026_12_20_0001_knowledge_words.js';
import * as replyNotices from './migrations/2026_12_22_0001_reply_notices.js';
import { StorageError } from './storage.js';

// Listed in code rather than read from a folder, so the compiled build and the tests run the
// same set without file-system lookups. Names sort by time. One set for both dialects: a
// migration branches on dialectOf(db) only where SQLite and PostgreSQL truly differ.
const migrations: Record<string, Migration> = {
  '2026_11_25_0001_initial': initial,
  '2026_12_01_0001_trust': trust,
  '2026_12_07_0001_cluster': cluster,
  '2026_12_10_0001_recovery_argon2': recoveryArgon2,
  '2026_12_11_0001_knowledge': knowledge,
  '2026_12_11_0001_offices': offices,
  '2026_12_11_0002_outbox': outbox,
  '2026_12_11_0003_referrals': referrals,
  '2026_12_12_0001_conversation_work': conversationWork,
  '2026_12_13_0001_accounts_sites': accountsSites,
  '2026_12_15_0001_saved_replies': savedReplies,
  '2026_12_14_0001_orientation': orientation,
  '2026_12_16_0001_channels': channels,
  '2026_12_17_0001_email_mailboxes': emailMailboxes,
  '2026_12_19_0001_callbacks': callbacks,
  '2026_12_20_0001_knowledge_words': knowledgeWords,
  '2026_12_22_0001_reply_notices': replyNotices,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/**
 * `auto`: bring the schema up to date at start (the default); `check`: refuse an older schema;
 * `none`: leave it to the caller (`direturn migrate`, which reports what it applied).
 */
export type MigrateMode = 'auto' | 'check' | 'none';

/** What the database has applied against what this build knows. */
export async function migrationStatus(db: Kysely<any>): Promise<{ pending: string[]; unknown: string[] }> {
  const known = new Set(Object.keys(migrations));
  const infos = await new Migrator({ db, provider }).getMigrations();
  const pending = infos.filter((m) => !m.executedAt).map((m) => m.name);
  let applied: string[] = [];
  try {
    applied = (await db.selectFrom('kysely_migration').select('name').execute()).map((r: { name: string }) => r.name);
  } catch {
    applied = []; // a new, empty database
  }
  return { pending, unknown: applied.filter((n) => !known.has(n)) };
}

/**
 * Applies every pending migration (PostgreSQL: under kysely's advisory lock, so processes that
 * start together migrate once). Refuses, with one line, a database written by a newer DiReturn,
 * and in `check` mode one that still needs migrating.
 */
export async function migrateToLatest(db: Kysely<any>, mode: MigrateMode = 'auto'): Promise<string[]> {
  const { pending, unknown } = await migrationStatus(db);
  if (unknown.length) {
    throw new StorageError(`The database has a newer schema than this DiReturn knows (${unknown.join(', ')}): start the newer version, or restore a backup made for this one.`);
  }
  if (mode === 'none') return [];
  if (mode === 'check') {
    if (pending.length) throw new StorageError(`The database schema is older than this DiReturn (${pending.length} migration(s) pending): run \`direturn migrate\` first.`);
    return [];
  }
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

