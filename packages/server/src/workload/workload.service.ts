import { matchLanguage, type AgentDto, type Availability, type AvailabilityDto, type ColleagueDto, type LanguageCode, type SupervisedConversationDto } from '@direturn/protocol';
import type { AuditService } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import { counsels, supervises } from '../conversations/conversation.policy.js';
import { DomainError } from '../shared/errors.js';
import { TypedEmitter } from '../shared/events.js';
import { countHeld, findAgentStatus, findColleague, listColleagues, markSeen, upsertAvailability, upsertMaxParallel, type ColleagueRow } from './workload.repository.js';
import { isOnline } from './workload.policy.js';
import { listOpenForSupervision } from './supervision.repository.js';

export interface WorkloadEvents extends Record<string, unknown> {
  /** A counsellor's availability or load limit changed (every process updates presence). */
  changed: { agentId: string };
}

/** Availability and load of counsellors; the supervisor view. */
export class WorkloadService {
  readonly events = new TypedEmitter<WorkloadEvents>();

  constructor(
    private readonly db: Db,
    private readonly defaultMaxParallel: number,
    private readonly audit?: AuditService,
  ) {}

  async status(agentId: string): Promise<AvailabilityDto> {
    const [row, holding] = await Promise.all([findAgentStatus(this.db, agentId), countHeld(this.db, agentId)]);
    return { agentId, availability: row?.availability ?? 'available', since: Number(row?.changed_at ?? 0), maxParallel: row?.max_parallel ?? this.defaultMaxParallel, holding };
  }

  async setAvailability(agent: AgentDto, availability: Availability): Promise<AvailabilityDto> {
    if (!counsels(agent)) throw new DomainError('forbidden', 'Your role does not allow this.');
    await upsertAvailability(this.db, agent.id, availability, Date.now());
    await this.audit?.record({ agentId: agent.id, action: 'agent.availability', details: { availability } });
    this.events.emit('changed', { agentId: agent.id });
    return this.status(agent.id);
  }

  async setMaxParallel(by: AgentDto, agentId: string, maxParallel: number): Promise<ColleagueDto> {
    if (!supervises(by)) throw new DomainError('forbidden', 'Only supervisors can change this.');
    const target = await findColleague(this.db, agentId);
    if (!target) throw new DomainError('not_found', 'Agent not found.');
    await upsertMaxParallel(this.db, agentId, maxParallel, Date.now());
    await this.audit?.record({ agentId: by.id, action: 'agent.updated', targetAgentId: agentId, details: { maxParallel } });
    this.events.emit('changed', { agentId });
    return this.toColleague((await findColleague(this.db, agentId))!, Date.now());
  }

  /** The processes' connected counsellors: refreshed while connected (the requeue job reads it). */
  seen(agentIds: readonly string[]): Promise<void> {
    return markSeen(this.db, agentIds, Date.now());
  }

  /** Everyone a conversation can be handed to. */
  async colleagues(agent: AgentDto): Promise<ColleagueDto[]> {
    if (!counsels(agent)) throw new DomainError('forbidden', 'Your role does not allow this.');
    const now = Date.now();
    return (await listColleagues(this.db)).map((r) => this.toColleague(r, now));
  }

  /** Every waiting and active conversation with who holds it since when, and every counsellor's state. */
  async supervision(agent: AgentDto): Promise<{ conversations: SupervisedConversationDto[]; colleagues: ColleagueDto[] }> {
    if (!supervises(agent)) throw new DomainError('forbidden', 'Only supervisors can see this.');
    const now = Date.now();
    const colleagues = (await listColleagues(this.db)).map((r) => this.toColleague(r, now));
    const byId = new Map(colleagues.map((c) => [c.id, c]));
    const conversations = (await listOpenForSupervision(this.db)).map((r): SupervisedConversationDto => {
      const holder = r.agent_id ? byId.get(r.agent_id) : undefined;
      return {
        id: r.id,
        pseudonym: r.pseudonym,
        status: r.status === 'waiting' ? 'waiting' : 'active',
        language: matchLanguage(r.language) ?? 'de',
        siteName: r.site_name,
        agentId: r.agent_id,
        agentName: r.agent_name,
        agentAvailable: holder !== undefined && holder.online && holder.availability === 'available',
        since: Number(r.status === 'waiting' ? r.created_at : (r.held_since ?? r.claimed_at ?? r.created_at)),
        lastMessageAt: r.last_message_at === null ? null : Number(r.last_message_at),
        unread: Number(r.unread ?? 0),
      };
    });
    return { conversations, colleagues };
  }

  private toColleague(r: ColleagueRow, now: number): ColleagueDto {
    return {
      id: r.id,
      name: r.name,
      languages: (JSON.parse(r.languages) as string[]).map((l) => matchLanguage(l)).filter((l): l is LanguageCode => l !== undefined),
      availability: r.availability ?? 'available',
      online: isOnline(r.last_seen_at, now),
      holding: Number(r.holding ?? 0),
      maxParallel: r.max_parallel ?? this.defaultMaxParallel,
    };
  }
}
