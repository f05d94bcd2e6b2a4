import { afterEach, describe, expect, it } from 'vitest';
import { insertAudit } from '../audit/audit.repository.js';
import { newId } from '../shared/ids.js';
import { countRows, login, startTestServer, visitor, type TestServer } from '../test-support/harness.js';

let t: TestServer;
afterEach(async () => {
  await t?.stop();
});
const DAY = 86_400_000;

async function auditAt(at: number, action: 'conversation.opened' | 'auth.login' = 'conversation.opened'): Promise<string> {
  const id = newId();
  await insertAudit(t.running.services.db, { id, at, agent_id: null, action, conversation_id: null, target_agent_id: null, details: '{}' });
  return id;
}

describe('retention of the audit log', () => {
  it('deletes the entries older than DIRETURN_AUDIT_RETENTION_DAYS, keeps the newer ones and reports the count', async () => {
    const logs: string[] = [];
    t = await startTestServer({ env: { DIRETURN_AUDIT_RETENTION_DAYS: '30' }, logs });
    const { retention, db } = t.running.services;
    const now = Date.now() + 5 * DAY;
    const cutoff = now - 30 * DAY;
    const kept = await db.selectFrom('audit_log').select('id').execute(); // recorded at start, now
    // More than one deletion batch (500) of old entries, and both sides of the cutoff.
    const old: string[] = [];
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 1203; i++) {
        const id = newId();
        old.push(id);
        await insertAudit(trx, { id, at: cutoff - 1 - i * 3600_000, agent_id: null, action: 'conversation.opened', conversation_id: null, target_agent_id: null, details: '{}' });
      }
    });
    old.push(await auditAt(cutoff - 1, 'auth.login'));
    const young = [await auditAt(cutoff), await auditAt(cutoff + 1), await auditAt(now - DAY)];

    expect(await retention.run(now)).toEqual({ conversations: 0, visitors: 0, auditEntries: old.length, searchMisses: 0 });
    const left = (await db.selectFrom('audit_log').select('id').execute()).map((r) => r.id);
    const trace = await db.selectFrom('audit_log').selectAll().where('action', '=', 'retention.deleted').execute();
    expect(trace.map((r) => JSON.parse(r.details))).toEqual([{ conversations: 0, visitors: 0, auditEntries: 1204, searchMisses: 0 }]); // the pruning is on record
    expect(left.sort()).toEqual([...kept.map((r) => r.id), ...young, trace[0]!.id].sort());
    const line = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'retention: deleted expired data');
    expect(line).toMatchObject({ conversations: 0, visitors: 0, auditEntries: 1204, searchMisses: 0 });

    // Nothing more is due: the next run deletes nothing.
    expect(await retention.run(now)).toEqual({ conversations: 0, visitors: 0, auditEntries: 0, searchMisses: 0 });
    expect(await countRows(t, 'audit_log')).toBe(kept.length + young.length + 1);
  });

  it('never deletes the retention.deleted entry of the same run', async () => {
    t = await startTestServer({ env: { DIRETURN_RETENTION_DAYS: '30', DIRETURN_AUDIT_RETENTION_DAYS: '60' } });
    const idle = await visitor(t); // said hello, never wrote: due for deletion after 30 days
    await idle.client.close();
    await login(t); // audited now, by the clock
    const before = await countRows(t, 'audit_log');
    expect(before).toBeGreaterThan(0);

    // 100 days on, everything recorded so far (by the clock, today) is past the audit period, and
    // so would be the retention.deleted entry this run records if the log were pruned after it.
    const result = await t.running.services.retention.run(Date.now() + 100 * DAY);
    expect(result).toEqual({ conversations: 0, visitors: 1, auditEntries: before, searchMisses: 0 });
    const left = await t.running.services.db.selectFrom('audit_log').selectAll().execute();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ action: 'retention.deleted', details: JSON.stringify({ conversations: 0, visitors: 1, auditEntries: before, searchMisses: 0 }) });
  });
});

describe('retention of counted searches without hits', () => {
  it('deletes a counted miss not repeated within the retention period and keeps one searched again since', async () => {
    t = await startTestServer({ env: { DIRETURN_RETENTION_DAYS: '30' } });
    const { retention, db } = t.running.services;
    // Ten days ahead: the run the server starts with (at the real time) must find nothing due.
    const now = Date.now() + 10 * DAY;
    await db
      .insertInto('kb_search_misses')
      .values([
        { language: 'de', query: 'rentenkasse', count: 4, first_at: now - 90 * DAY, last_at: now - 31 * DAY },
        { language: 'ar', query: 'جواز', count: 2, first_at: now - 90 * DAY, last_at: now - 29 * DAY },
      ])
      .execute();
    expect(await retention.run(now)).toEqual({ conversations: 0, visitors: 0, auditEntries: 0, searchMisses: 1 });
    expect((await db.selectFrom('kb_search_misses').select('query').execute()).map((r) => r.query)).toEqual(['جواز']);
    const trace = await db.selectFrom('audit_log').select('details').where('action', '=', 'retention.deleted').execute();
    expect(trace.map((r) => JSON.parse(r.details))).toEqual([{ conversations: 0, visitors: 0, auditEntries: 0, searchMisses: 1 }]);
  });
});
