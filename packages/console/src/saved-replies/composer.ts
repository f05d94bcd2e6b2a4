import type { SavedReplyRenderDto } from '@direturn/protocol';
import { t } from '../i18n/i18n.js';
import { nativeLanguageName } from '../shared/format.js';

/** Alt+R (by key position, so it works on every keyboard layout) opens the saved replies from the composer. */
export const REPLY_SHORTCUT = 'Alt+R';
export const isReplyShortcut = (e: KeyboardEvent): boolean => e.altKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyR';

/** The draft with `text` in place of the selection `[start, end)`, and where the caret goes. */
export function insertIntoDraft(draft: string, text: string, start: number, end: number): { draft: string; caret: number } {
  const before = draft.slice(0, start);
  const after = draft.slice(end);
  const sep = before && !/\s$/.test(before) ? ' ' : '';
  return { draft: before + sep + text + after, caret: before.length + sep.length + text.length };
}

/** What the composer says after an insertion: nothing special, or which language it fell back to. */
export function insertionNotice(r: SavedReplyRenderDto): string {
  return r.fallback
    ? t('savedReplies.fallback', { language: nativeLanguageName(r.language), requested: nativeLanguageName(r.requested) })
    : t('savedReplies.inserted', { language: nativeLanguageName(r.language) });
}
