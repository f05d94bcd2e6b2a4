import { isLanguageCode, type AgentDto } from '@direturn/protocol';
import type { AgentInput } from '@direturn/protocol/schemas';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { countAgents, findAgentByEmail, insertAgent, listAgents } from './agent.repository.js';
import type { AgentRow } from './agent.table.js';
import { hashPassword } from './password.js';

export function toAgentDto(row: AgentRow): AgentDto {
  const languages = (JSON.parse(row.languages) as unknown[]).filter(isLanguageCode);
  return { id: row.id, email: row.email, name: row.name, role: row.role, languages };
}

/** Counsellors and admins who work in the console. */
export class AgentService {
  constructor(private readonly db: Db) {}

  async create(input: AgentInput): Promise<AgentDto> {
    if (await findAgentByEmail(this.db, input.email)) {
      throw new DomainError('bad_request', 'An agent with this e-mail address exists already.');
    }
    const row: AgentRow = {
      id: newId(),
      email: input.email,
      name: input.name,
      password_hash: await hashPassword(input.password),
      role: input.role,
      languages: JSON.stringify([...new Set(input.languages)]),
      created_at: Date.now(),
      disabled_at: null,
    };
    await insertAgent(this.db, row);
    return toAgentDto(row);
  }

  async list(): Promise<AgentDto[]> {
    return (await listAgents(this.db)).map(toAgentDto);
  }

  count(): Promise<number> {
    return countAgents(this.db);
  }
}
