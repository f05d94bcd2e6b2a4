import { existsSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { KEY_FILE_NAME, Keyring } from '../security/keyring.js';
import { keysInUse } from '../security/rotate.js';
import { migrationStatus } from './migrate.js';
import { describeUrl, openPostgres } from './dialects/postgres.js';
import type { Database } from './schema.js';
import type { Db } from './storage.js';

/**
 * Every table of the schema, parents before children (foreign keys are checked row by row). A
 * migration that adds a table must add it here: the type below does not compile otherwise, and
 * a copy refuses a source whose tables this list does not name.
 */
export const COPY_ORDER = [
  'sites',
  'agents',
  'sessions',
  'visitors',
  'channel_accounts',
  'conversations',
  'messages',
  'agent_totp',
  'agent_recovery_codes',
  'audit_log',
  'settings',
  'kb_articles',
  'kb_translations',
  'kb_versions',
  'kb_search',
  'kb_search_state',
  'kb_search_misses',
  'offices',
  'office_areas',
  'outbox',
  'referrals',
  'referral_events',
  'referral_stats',
  'conversation_notes',
  'agent_status',
  'topics',
  'conversation_topics',
  'saved_replies',
  'saved_reply_translations',
  'visitor_resume_codes',
  'orientation_rule_sets',
  'channel_inbound',
  'channel_deliveries',
  'channel_early_statuses',
  'callbacks',
  'reply_notices',
  'email_mailboxes',
] as const satisfies ReadonlyArray<keyof Database>;

/**
 * What only SQLite has: its FTS5 indexes over kb_search (virtual tables and their shadow tables;
 * PostgreSQL builds its trigram index from the copied rows) and the integer key they point at.
 */
const SQLITE_ONLY_TABLE = /^kb_search_(trigram|words)(_(data|idx|content|docsize|config))?$/;
const SQLITE_ONLY_COLUMNS: Record<string, readonly string[]> = { kb_search: ['n'] };

type Forgotten = Exclude<keyof Database, (typeof COPY_ORDER)[number]>;
// A compile error here names a table of `Database` that COPY_ORDER lacks.
const everyTable: [Forgotten] extends [never] ? true : Forgotten = true;
void everyTable;

/** A reason not to copy (or that the copy failed and was rolled back): printed as one line. */
export class CopyError extends Error {
  override readonly name = 'CopyError';
}

export interface TableReport {
  table: string;
  sqlite: number;
  postgres: number;
}

export interface CopyOptions {
  /** The SQLite file of the installation (DIRETURN_DATA_DIR/direturn.sqlite). */
  sqliteFile: string;
  /** postgres://… of an empty database (migrated here if it is new). */
  targetUrl: string;
  /** Where the server finds its keys: checked to open every encrypted value before copying. */
  keys: { envKeys: string | undefined; dataDir: string };
  /** Called after each table is copied (progress for large installations). */
  onTable?: (report: TableReport) => void;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** PostgreSQL allows 65535 parameters per statement; stay well below. */
const MAX_PARAMS = 30_000;
const MAX_ROWS = 1000;

/**
 * Moves an installation from its SQLite file to PostgreSQL, with the server stopped. The SQLite
 * file is only read (an exclusive lock, released without changes, proves no server has it open
 * and keeps one from starting meanwhile). The target is migrated, must be empty, and is filled in
 * one transaction: all of it, or nothing. Encrypted values are copied as they are.
 */
export async function copyToPostgres(opts: CopyOptions): Promise<TableReport[]> {
  if (!existsSync(opts.sqliteFile)) throw new CopyError(`No SQLite database at ${opts.sqliteFile} (set DIRETURN_DATA_DIR to the installation's data directory).`);
  const sqlite = new SQLite(opts.sqliteFile, { fileMustExist: true, timeout: 0 });
  try {
    lockSource(sqlite);
    const source: Db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    const columns = await checkSource(source);
    await checkKeys(source, opts.keys);
    return await copyInto(sqlite, columns, opts);
  } finally {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    sqlite.close();
  }
}

/**
 * A running server keeps its connection open; in exclusive locking mode BEGIN EXCLUSIVE then
 * fails at once (busy timeout 0). Held until the end, the lock also keeps a server from starting
 * on the file during the copy, and every read sees one snapshot.
 */
function lockSource(sqlite: SQLite.Database): void {
  try {
    sqlite.pragma('locking_mode = EXCLUSIVE');
    sqlite.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new CopyError('The SQLite database is in use: stop the DiReturn server first (the copy needs it stopped).');
    }
    throw new CopyError(`Cannot open the SQLite database: ${(err as Error).message}`);
  }
}

/** The source's tables and their columns, refusing an older, newer or unknown schema. */
async function checkSource(source: Db): Promise<Map<string, string[]>> {
  const tables = (await source.introspection.getTables()).filter((t) => !t.isView && !SQLITE_ONLY_TABLE.test(t.name));
  if (!tables.some((t) => t.name === 'sites')) throw new CopyError('The SQLite file is not a DiReturn database.');
  const { pending, unknown } = await migrationStatus(source);
  if (unknown.length) throw new CopyError(`The SQLite database has a newer schema than this DiReturn knows (${unknown.join(', ')}): copy with the newer version.`);
  if (pending.length) {
    throw new CopyError(
      `The SQLite database is of an older DiReturn (${pending.length} migration(s) pending): run \`direturn migrate\` on it first (without DIRETURN_DATABASE_URL), then copy.`,
    );
  }
  const known = new Set<string>(COPY_ORDER);
  const unlisted = tables.map((t) => t.name).filter((n) => !known.has(n));
  if (unlisted.length) {
    throw new CopyError(`The SQLite database has tables copy-to-postgres does not know (${unlisted.join(', ')}): nothing was copied. Add them to COPY_ORDER in db/copy-to-postgres.ts.`);
  }
  const columns = new Map(tables.map((t) => [t.name, t.columns.map((c) => c.name).filter((c) => !SQLITE_ONLY_COLUMNS[t.name]?.includes(c))]));
  const absent = COPY_ORDER.filter((n) => !columns.has(n));
  if (absent.length) throw new CopyError(`The SQLite database lacks tables of its schema (${absent.join(', ')}): is it damaged?`);
  for (const [table, cols] of columns) {
    const odd = [table, ...cols].find((n) => !IDENTIFIER.test(n));
    if (odd) throw new CopyError(`Unexpected name in the SQLite schema: ${odd}`);
  }
  return columns;
}

/**
 * The copy keeps ciphertexts as they are, so PostgreSQL is only readable with the same keys:
 * refuse when a stored value is sealed with a key the server would not have. Never creates a
 * key file (Keyring.load would, and a new key opens nothing).
 */
async function checkKeys(source: Db, keys: CopyOptions['keys']): Promise<void> {
  const used = [...(await keysInUse(source)).keys()].filter((k) => k !== 'plaintext');
  if (!used.length) return;
  const configured = keys.envKeys?.trim() || existsSync(join(keys.dataDir, KEY_FILE_NAME)) ? Keyring.load(keys).keyIds : [];
  const missing = used.filter((k) => !configured.includes(k));
  if (missing.length) {
    throw new CopyError(
      `Stored messages are encrypted with key(s) ${missing.join(', ')} that neither DIRETURN_ENCRYPTION_KEY nor ${join(keys.dataDir, KEY_FILE_NAME)} holds: ` +
        'run the copy with the installation\'s key, or the copied messages could not be read.',
    );
  }
}

async function copyInto(sqlite: SQLite.Database, columns: Map<string, string[]>, opts: CopyOptions): Promise<TableReport[]> {
  const target = await openPostgres(opts.targetUrl, { migrate: 'auto', poolSize: 2 });
  try {
    const targetColumns = new Map((await target.db.introspection.getTables()).map((t) => [t.name, new Set(t.columns.map((c) => c.name))]));
    for (const table of COPY_ORDER) {
      const missing = columns.get(table)!.filter((c) => !targetColumns.get(table)?.has(c));
      if (missing.length) throw new CopyError(`PostgreSQL's ${table} lacks columns of SQLite's (${missing.join(', ')}): are both of this DiReturn version?`);
    }
    const reports: TableReport[] = [];
    await target.db.transaction().execute(async (trx) => {
      // Nobody may write while we check that the target is empty and fill it (a server started on it meanwhile).
      await sql.raw(`lock table ${COPY_ORDER.join(', ')} in exclusive mode`).execute(trx);
      const filled: string[] = [];
      for (const table of COPY_ORDER) {
        const { rows } = await sql.raw<{ any: boolean }>(`select exists (select 1 from ${table}) as any`).execute(trx);
        if (rows[0]?.any) filled.push(table);
      }
      if (filled.length) {
        throw new CopyError(`The target database holds data already (${filled.join(', ')}): copy-to-postgres fills only an empty one. Nothing was copied.`);
      }
      for (const table of COPY_ORDER) {
        const report = await copyTable(sqlite, trx, table, columns.get(table)!);
        reports.push(report);
        opts.onTable?.(report);
      }
    });
    // Fresh statistics, so the first queries on the new database get good plans.
    await sql.raw(`analyze ${COPY_ORDER.join(', ')}`).execute(target.db);
    return reports;
  } catch (err) {
    if (err instanceof CopyError) throw err;
    throw new CopyError(`Copying to PostgreSQL at ${describeUrl(opts.targetUrl)} failed, nothing was copied: ${(err as Error).message}`);
  } finally {
    await target.close();
  }
}

/** Keyset batches by rowid (every DiReturn table has one), then the counts on both sides. */
async function copyTable(sqlite: SQLite.Database, trx: Db, table: string, cols: string[]): Promise<TableReport> {
  const list = cols.map((c) => `"${c}"`).join(', ');
  const batch = Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / cols.length));
  const read = sqlite.prepare(`select rowid as "__rowid", ${list} from "${table}" where rowid > ? order by rowid limit ?`);
  let after: number | bigint = -(2n ** 63n);
  for (;;) {
    const rows = read.all(after, batch) as Array<Record<string, unknown>>;
    if (!rows.length) break;
    after = rows.at(-1)!.__rowid as number;
    const values = rows.map(({ __rowid, ...row }) => row);
    try {
      await trx.insertInto(table as keyof Database).values(values as never).execute();
    } catch (err) {
      throw new CopyError(`Copying ${table} failed, nothing was copied: ${(err as Error).message}`);
    }
  }
  const sqliteCount = (sqlite.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
  const { rows } = await sql.raw<{ n: number }>(`select count(*) as n from ${table}`).execute(trx);
  const report = { table, sqlite: sqliteCount, postgres: Number(rows[0]!.n) };
  if (report.sqlite !== report.postgres) {
    throw new CopyError(`Row counts differ for ${table} (SQLite ${report.sqlite}, PostgreSQL ${report.postgres}): nothing was copied.`);
  }
  return report;
}
