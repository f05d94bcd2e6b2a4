import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LANGUAGE_CODES } from '@direturn/protocol';
import { replyNoticeMail, removalPage } from './reply-notice-mail.js';
import { NEEDS_REVIEW, REPLY_NOTICE_TEXTS } from './reply-notice-texts.js';

// The notice mail's texts: every language, the resume entry named as the widget labels it, and
// nothing in the mail but the way back and the removal link.

/** The widget's own texts (source locale files), where the resume entry's label lives. */
const widgetLocale = (lang: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../../widget/src/i18n/locales/${lang}.json`, import.meta.url)), 'utf8')) as { resume: { entry: string } };

describe('reply notice texts', () => {
  for (const lang of LANGUAGE_CODES) {
    it(`name the resume entry as the widget does, and fill every text (${lang})`, () => {
      const t = REPLY_NOTICE_TEXTS[lang];
      expect(t.device).toContain(widgetLocale(lang).resume.entry);
      for (const value of Object.values(t)) expect(value.trim()).not.toBe('');
    });
  }

  it('marks every language but de and en as needing review', () => {
    expect([...NEEDS_REVIEW].sort()).toEqual(LANGUAGE_CODES.filter((l) => l !== 'de' && l !== 'en').sort());
  });

  it('builds the mail from the way back and the removal link only; an unknown language falls back', () => {
    const mail = replyNoticeMail({ to: 'a@example.org', language: 'xx', page: null, removal: 'https://chat.example.org/reply-notice/1/t?lang=xx' });
    expect(mail.subject).toBe(REPLY_NOTICE_TEXTS.de.subject);
    expect(mail.text).toContain(REPLY_NOTICE_TEXTS.de.returnSomewhere);
    expect(mail.headers).toMatchObject({ 'Auto-Submitted': 'auto-generated', 'List-Unsubscribe': '<https://chat.example.org/reply-notice/1/t?lang=xx>' });
    expect(removalPage('fa', '/x?lang=fa" onload="x', false)).toContain('dir="rtl"');
    expect(removalPage('fa', '/x?lang=fa" onload="x', false)).not.toContain('" onload="');
  });
});
