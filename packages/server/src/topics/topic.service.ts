import { BUILTIN_TOPICS, type AgentDto, type TopicDto } from '@direturn/protocol';
import type { AuditService } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import { counsels } from '../conversations/conversation.policy.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { findTopic, insertMissingBuiltins, insertTopic, listTopics, updateTopic } from './topic.repository.js';
import type { TopicRow } from './topic.table.js';

const toDto = (r: TopicRow): TopicDto => ({ id: r.id, key: r.key, label: r.label, archived: r.archived_at !== null });

/** The managed list of topics counsellors tag conversations with (statistics will count them). */
export class TopicService {
  constructor(
    private readonly db: Db,
    private readonly audit?: AuditService,
  ) {}

  /** At start: the built-in topics (travel documents, REAG/GARP, …) exist. */
  ensureBuiltins(): Promise<void> {
    return insertMissingBuiltins(this.db, BUILTIN_TOPICS, Date.now(), newId);
  }

  async list(agent: AgentDto): Promise<TopicDto[]> {
    if (!counsels(agent)) throw new DomainError('forbidden', 'Your role does not allow this.');
    return (await listTopics(this.db)).map(toDto);
  }

  async create(agent: AgentDto, label: string): Promise<TopicDto> {
    if (agent.role !== 'admin') throw new DomainError('forbidden', 'Only admins manage topics.');
    const row: TopicRow = { id: newId(), key: null, label, created_at: Date.now(), archived_at: null };
    await insertTopic(this.db, row);
    await this.audit?.record({ agentId: agent.id, action: 'topic.created' });
    return toDto(row);
  }

  /** Renames (a built-in one gets a label that replaces its translated name) or archives/restores. */
  async update(agent: AgentDto, id: string, changes: { label?: string | undefined; archived?: boolean | undefined }): Promise<TopicDto> {
    if (agent.role !== 'admin') throw new DomainError('forbidden', 'Only admins manage topics.');
    const topic = await findTopic(this.db, id);
    if (!topic) throw new DomainError('not_found', 'Topic not found.');
    await updateTopic(this.db, id, {
      ...(changes.label !== undefined ? { label: changes.label } : {}),
      ...(changes.archived !== undefined ? { archived_at: changes.archived ? (topic.archived_at ?? Date.now()) : null } : {}),
    });
    await this.audit?.record({ agentId: agent.id, action: 'topic.updated', details: { archived: changes.archived ?? null } });
    return toDto((await findTopic(this.db, id))!);
  }
}
