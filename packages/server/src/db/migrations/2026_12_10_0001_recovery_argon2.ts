import type { Kysely } from 'kysely';
import { hashPassword } from '../../agents/password.js';

// Recovery codes were stored as unsalted SHA-256 (50 bits of entropy: a GPU tries them all in a
// day). They are now argon2id over that SHA-256 (auth/recovery-codes.ts), so the stored values
// can be upgraded without knowing the codes.
export async function up(db: Kysely<any>): Promise<void> {
  const rows = await db.selectFrom('agent_recovery_codes').select(['id', 'code_hash']).execute();
  for (const row of rows as Array<{ id: string; code_hash: string }>) {
    if (row.code_hash.startsWith('$argon2')) continue;
    await db.updateTable('agent_recovery_codes').set({ code_hash: await hashPassword(row.code_hash) }).where('id', '=', row.id).execute();
  }
}

// One way: the SHA-256 values cannot be recovered from the argon2 hashes (codes keep working).
export async function down(): Promise<void> {}
