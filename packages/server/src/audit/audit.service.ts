import type { AuditAction, AuditEntryDto } from '@direturn/protocol';
import type { AuditQuery } from '@direturn/protocol/schemas';
import type { Db } from '../db/database.js';
import { newId } from '../shared/ids.js';
import { deleteAuditBefore, insertAudit, listAudit } from './audit.repository.js';

type Details = Record<string, string | number | boolean | null>;

/** Records which agent opened, exported or deleted which conversation (and admin actions). Visible to admins. */
export class AuditService {
  constructor(private readonly db: Db) {}

  async record(e: { agentId: string | null; action: AuditAction; conversationId?: string; targetAgentId?: string; details?: Details }): Promise<void> {
    await insertAudit(this.db, {
      id: newId(),
      at: Date.now(),
      agent_id: e.agentId,
      action: e.action,
      conversation_id: e.conversationId ?? null,
      target_agent_id: e.targetAgentId ?? null,
      details: JSON.stringify(e.details ?? {}),
    });
  }

  /** Deletes the entries recorded before `cutoff` (the retention job); returns how many. */
  deleteBefore(cutoff: number): Promise<number> {
    return deleteAuditBefore(this.db, cutoff);
  }

  async list(q: AuditQuery): Promise<AuditEntryDto[]> {
    return (await listAudit(this.db, q)).map((r) => ({
      id: r.id,
      at: Number(r.at),
      agentId: r.agent_id,
      agentName: r.agent_name,
      action: r.action,
      conversationId: r.conversation_id,
      targetAgentId: r.target_agent_id,
      details: JSON.parse(r.details) as Details,
    }));
  }
}
