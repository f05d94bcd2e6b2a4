import { describe, expect, it } from 'vitest';
import { fillReplyPlaceholders, pickReplyTranslation, replyLanguageOrder } from './saved-replies.js';
import { formatResumeCode, normaliseResumeCode, RESUME_CODE_ALPHABET } from './resume.js';
import { LANGUAGE_CODES } from './languages.js';

describe('saved reply language choice', () => {
  const t = (...languages: Array<(typeof LANGUAGE_CODES)[number]>) => languages.map((language) => ({ language }));

  it("uses the conversation's language when there is a text in it", () => {
    expect(pickReplyTranslation(t('de', 'en', 'ps'), 'ps')).toEqual({ translation: { language: 'ps' }, fallback: false });
  });

  it('falls back to English, then German, then the first other language, and says so', () => {
    expect(pickReplyTranslation(t('de', 'en'), 'ps')).toEqual({ translation: { language: 'en' }, fallback: true });
    expect(pickReplyTranslation(t('tr', 'de'), 'ar')).toEqual({ translation: { language: 'de' }, fallback: true });
    // Neither: the first in LANGUAGE_CODES order, never a guess between related languages.
    expect(pickReplyTranslation(t('uk', 'ru'), 'ka')).toEqual({ translation: { language: 'ru' }, fallback: true });
    expect(pickReplyTranslation(t('fa'), 'ps')).toEqual({ translation: { language: 'fa' }, fallback: true });
    expect(pickReplyTranslation([], 'de')).toBeUndefined();
  });

  it('orders every shipped language exactly once', () => {
    for (const l of LANGUAGE_CODES) {
      const order = replyLanguageOrder(l);
      expect(order[0]).toBe(l);
      expect([...order].sort()).toEqual([...LANGUAGE_CODES].sort());
    }
  });

  it('fills the two placeholders and leaves other braces alone', () => {
    expect(fillReplyPlaceholders('Ich bin {{counsellor}} ({{ site }}), {{other}} {x}', { counsellor: 'Cem', site: 'Caritas Köln' })).toBe('Ich bin Cem (Caritas Köln), {{other}} {x}');
    // A name that looks like a placeholder is not filled again.
    expect(fillReplyPlaceholders('{{counsellor}} {{site}}', { counsellor: '{{site}}', site: 'S' })).toBe('{{site}} S');
  });
});

describe('resume code format', () => {
  it('has no look-alike characters', () => {
    for (const ch of '01OIL') expect(RESUME_CODE_ALPHABET).not.toContain(ch);
    expect(new Set(RESUME_CODE_ALPHABET).size).toBe(31);
  });

  it('accepts what people type (lower case, spaces, dashes) and refuses the rest', () => {
    expect(normaliseResumeCode(' abcd-efgh jkmn ')).toBe('ABCDEFGHJKMN');
    expect(normaliseResumeCode('ABCD EFGH JKM')).toBeUndefined();
    expect(normaliseResumeCode('ABCD EFGH JKM0')).toBeUndefined();
    expect(normaliseResumeCode('ABCD EFGH JKMNP')).toBeUndefined();
    expect(formatResumeCode('ABCDEFGHJKMN')).toBe('ABCD EFGH JKMN');
  });
});
