import { sql, type Kysely } from 'kysely';

// Several processes on one PostgreSQL: what SQLite's single writer guaranteed by serialising,
// constraints guarantee now. Two sends of one visitor arriving at two processes must not open two
// conversations (the loser's transaction is rerun and joins the winner's). Partial unique indexes
// are the same SQL on both dialects.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create unique index conversations_one_open_per_visitor on conversations (visitor_id) where status <> 'closed'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('conversations_one_open_per_visitor').execute();
}
