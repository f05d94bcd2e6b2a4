import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  fillReplyPlaceholders,
  matchLanguage,
  pickReplyTranslation,
  SAVED_REPLY_LIMITS,
  type AgentDto,
  type SavedReplyDto,
  type SavedReplyRenderDto,
} from '@direturn/protocol';
import { parse, SavedReplyInputSchema, type SavedReplyInput } from '@direturn/protocol/schemas';
import * as v from 'valibot';
import type { AuditService } from '../audit/audit.service.js';
import { canView } from '../conversations/conversation.policy.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { canCreateSavedReply, canEditSavedReply, canUseSavedReplies } from './saved-reply.policy.js';
import { toSavedReplyDto } from './saved-reply.presenter.js';
import { conversationForReply, countExamples, deleteReply, findVisible, insertReply, listVisible, replaceReply, translationsOf } from './saved-reply.repository.js';
import type { SavedReplyRow, SavedReplyTranslationRow } from './saved-reply.table.js';

type Agent = Pick<AgentDto, 'id' | 'role' | 'name'>;

/** The demo replies (packages/server/content/saved-replies/demo.json): seeded on demo installations only. */
export const DEMO_REPLIES_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../content/saved-replies/demo.json');

const DemoFileSchema = v.object({ replies: v.array(v.object({ id: v.pipe(v.string(), v.uuid()), ...SavedReplyInputSchema.entries })) });

/** The shared library and each agent's personal replies; inserting one into a conversation. */
export class SavedReplyService {
  constructor(
    private readonly db: Db,
    private readonly audit?: AuditService,
  ) {}

  private mustUse(agent: Agent): void {
    if (!canUseSavedReplies(agent)) throw new DomainError('forbidden', 'Saved replies are for counsellors and admins.');
  }

  /** A reply the agent may see, or not_found (another agent's personal reply is "not found", never "forbidden"). */
  private async visible(id: string, agent: Agent): Promise<SavedReplyRow> {
    const row = await findVisible(this.db, id, agent.id);
    if (!row) throw new DomainError('not_found', 'Saved reply not found.');
    return row;
  }

  private async present(rows: SavedReplyRow[], agent: Agent): Promise<SavedReplyDto[]> {
    const translations = await translationsOf(this.db, rows.map((r) => r.id));
    return rows.map((r) => toSavedReplyDto(r, translations.filter((t) => t.reply_id === r.id), agent));
  }

  async list(agent: Agent): Promise<SavedReplyDto[]> {
    this.mustUse(agent);
    return this.present(await listVisible(this.db, agent.id, SAVED_REPLY_LIMITS.listMax), agent);
  }

  async get(id: string, agent: Agent): Promise<SavedReplyDto> {
    this.mustUse(agent);
    return (await this.present([await this.visible(id, agent)], agent))[0]!;
  }

  async create(input: SavedReplyInput, agent: Agent): Promise<SavedReplyDto> {
    if (!canCreateSavedReply(agent, input.scope)) throw new DomainError('forbidden', 'Only admins add to the shared library; counsellors may add personal replies.');
    const now = Date.now();
    const row: SavedReplyRow = {
      id: newId(),
      scope: input.scope,
      owner_id: input.scope === 'personal' ? agent.id : null,
      shortcut: input.shortcut,
      example: 0,
      created_at: now,
      updated_at: now,
    };
    await this.db.transaction().execute((trx) => insertReply(trx, row, translationRows(row.id, input, now)));
    await this.audit?.record({ agentId: agent.id, action: 'saved_reply.created', details: { replyId: row.id, scope: row.scope, languages: input.translations.length } });
    return this.get(row.id, agent);
  }

  /** Replaces text and translations. The scope stays: a personal reply is not published by editing it. */
  async update(id: string, input: SavedReplyInput, agent: Agent): Promise<SavedReplyDto> {
    this.mustUse(agent);
    const row = await this.visible(id, agent);
    if (!canEditSavedReply(agent, row)) throw new DomainError('forbidden', 'Only admins change the shared library.');
    if (input.scope !== row.scope) throw new DomainError('bad_request', 'The scope of a saved reply cannot change.', ['scope: cannot change']);
    const now = Date.now();
    await this.db.transaction().execute((trx) => replaceReply(trx, id, { shortcut: input.shortcut, updated_at: now, example: 0 }, translationRows(id, input, now)));
    await this.audit?.record({ agentId: agent.id, action: 'saved_reply.updated', details: { replyId: id, scope: row.scope, languages: input.translations.length } });
    return this.get(id, agent);
  }

  async remove(id: string, agent: Agent): Promise<void> {
    this.mustUse(agent);
    const row = await this.visible(id, agent);
    if (!canEditSavedReply(agent, row)) throw new DomainError('forbidden', 'Only admins change the shared library.');
    await this.db.transaction().execute((trx) => deleteReply(trx, id));
    await this.audit?.record({ agentId: agent.id, action: 'saved_reply.deleted', details: { replyId: id, scope: row.scope } });
  }

  /**
   * The text to insert into a conversation: the translation in the conversation's language or the
   * first fallback (replyLanguageOrder in the protocol), the placeholders filled with the agent's
   * display name and the site's name. `language` picks a translation explicitly.
   */
  async render(id: string, conversationId: string, agent: Agent, language?: string): Promise<SavedReplyRenderDto> {
    this.mustUse(agent);
    const c = await conversationForReply(this.db, conversationId);
    if (!c || !canView(agent as AgentDto, c)) throw new DomainError('not_found', 'Conversation not found.');
    const reply = await this.get(id, agent);
    const requested = matchLanguage(c.language) ?? 'de';
    const explicit = language ? reply.translations.find((t) => t.language === language) : undefined;
    const picked = explicit ? { translation: explicit, fallback: explicit.language !== requested } : pickReplyTranslation(reply.translations, requested);
    if (!picked) throw new DomainError('not_found', 'This saved reply has no text.');
    return {
      replyId: id,
      language: picked.translation.language,
      requested,
      fallback: picked.fallback,
      text: fillReplyPlaceholders(picked.translation.body, { counsellor: agent.name, site: c.site_name }),
    };
  }

  /**
   * Demo installations: the shipped demo replies in the shared library, marked as demo text, once.
   * Fixed ids: of processes starting together one inserts them, the others' inserts are refused.
   */
  async seedDemo(file = DEMO_REPLIES_FILE): Promise<number> {
    if ((await countExamples(this.db)) > 0) return 0;
    const r = parse(DemoFileSchema, JSON.parse(readFileSync(file, 'utf8')));
    if (!r.ok) throw new Error(`${file}: ${r.issues.join('; ')}`);
    const now = Date.now();
    await this.db.transaction().execute(async (trx) => {
      for (const { id, ...input } of r.value.replies) {
        await insertReply(trx, { id, scope: 'shared', owner_id: null, shortcut: input.shortcut, example: 1, created_at: now, updated_at: now }, translationRows(id, input, now));
      }
    });
    return r.value.replies.length;
  }
}

function translationRows(replyId: string, input: SavedReplyInput, now: number): SavedReplyTranslationRow[] {
  return input.translations.map((t) => ({ reply_id: replyId, language: t.language, title: t.title, body: t.body, updated_at: now }));
}
