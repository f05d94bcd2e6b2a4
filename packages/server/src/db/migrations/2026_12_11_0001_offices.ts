import type { Kysely } from 'kysely';

// The office directory. Area keys are text (zero-padded official keys: "09162", never 9162).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('offices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text', (c) => c.notNull())
    .addColumn('carrier', 'text', (c) => c.notNull())
    .addColumn('street', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('city', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('website', 'text')
    .addColumn('opening_hours', 'text')
    .addColumn('languages', 'text', (c) => c.notNull())
    .addColumn('target_groups', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('fallback', 'integer', (c) => c.notNull())
    .addColumn('example', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('office_areas')
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id').onDelete('cascade'))
    .addColumn('area_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('office_areas_pk', ['office_id', 'area_key'])
    .execute();
  await db.schema.createIndex('office_areas_key_idx').on('office_areas').columns(['area_key', 'office_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('office_areas').execute();
  await db.schema.dropTable('offices').execute();
}
