import { LANGUAGE_CODES } from '@direturn/protocol';
import { describe, expect, it } from 'vitest';
import { awayNotice, DEFAULT_AWAY_TEXTS } from './away-texts.js';

const MONDAY_9_BERLIN = Date.parse('2026-12-14T08:00:00Z');

describe('away notice', () => {
  it('ships a message and a back line for every language, each its own text', () => {
    for (const l of LANGUAGE_CODES) {
      expect(DEFAULT_AWAY_TEXTS[l].message.length, l).toBeGreaterThan(30);
      expect(DEFAULT_AWAY_TEXTS[l].back, l).toContain('{back}');
    }
    expect(new Set(LANGUAGE_CODES.map((l) => DEFAULT_AWAY_TEXTS[l].message)).size).toBe(LANGUAGE_CODES.length);
  });

  it('says when counsellors are back, in the visitor’s language and the site’s time zone', () => {
    expect(awayNotice('de', {}, MONDAY_9_BERLIN, 'Europe/Berlin')).toEqual({
      text: 'Wieder erreichbar: Montag, 09:00 MEZ. Unsere Beraterinnen und Berater sind gerade nicht erreichbar. Sie können trotzdem schreiben: Wir antworten, sobald wir wieder da sind.',
      backAt: MONDAY_9_BERLIN,
    });
    expect(awayNotice('sr', {}, MONDAY_9_BERLIN, 'Europe/Berlin').text).toMatch(/^Ponovo dostupni: ponedeljak/);
    expect(awayNotice('fa', {}, MONDAY_9_BERLIN, 'Europe/Berlin').text).toContain('۰۹:۰۰');
  });

  it('uses the operator’s message where there is one; without a next opening, no time', () => {
    expect(awayNotice('en', { en: 'Closed for the holidays. Write anyway.' }, null, 'Europe/Berlin')).toEqual({ text: 'Closed for the holidays. Write anyway.', backAt: null });
    expect(awayNotice('tr', { en: 'Closed.' }, null, 'Europe/Berlin').text).toBe(DEFAULT_AWAY_TEXTS.tr.message);
  });
});
