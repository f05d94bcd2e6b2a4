import { matchLanguage, type AgentDto, type LanguageCode, type SavedReplyDto } from '@direturn/protocol';
import { canEditSavedReply } from './saved-reply.policy.js';
import type { SavedReplyRow, SavedReplyTranslationRow } from './saved-reply.table.js';

const lang = (l: string): LanguageCode => matchLanguage(l) ?? 'de';

export function toSavedReplyDto(r: SavedReplyRow, translations: readonly SavedReplyTranslationRow[], viewer: Pick<AgentDto, 'id' | 'role'>): SavedReplyDto {
  return {
    id: r.id,
    scope: r.scope,
    shortcut: r.shortcut,
    translations: translations.map((t) => ({ language: lang(t.language), title: t.title, body: t.body, updatedAt: Number(t.updated_at) })),
    example: Number(r.example) === 1,
    canEdit: canEditSavedReply(viewer, r),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}
