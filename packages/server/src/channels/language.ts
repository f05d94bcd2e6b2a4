import { franc } from 'franc';
import { matchLanguage, type LanguageCode } from '@direturn/protocol';

/**
 * The language of a conversation that starts on a channel, from the text when the channel names
 * none. Two small detectors, each where it is good (measured on short chat sentences in the 13
 * languages, see channel-units.test.ts):
 *
 * - eld 2.x ("Efficient Language Detector", its `small` n-gram set): right on short Latin- and
 *   Cyrillic-script messages ("Hi, can you help me please?") where franc guesses wildly, and it
 *   says when a guess is unreliable. It has no Pashto.
 * - franc 6.x (its 187-language set, restricted): tells Arabic, Persian/Dari, Pashto and Sorani
 *   apart, which eld cannot.
 *
 * eld's data (about 50 MB in memory) is loaded on the first detection only. Neither knows Kurmanji
 * (Latin script): it comes from the channel's hint or the counsellor's correction.
 */
const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/g;
const LETTERS = /\p{L}/gu;

/** franc's ISO 639-3 answers for Arabic-script text. */
const FRANC_ARABIC: Record<string, LanguageCode> = { arb: 'ar', pes: 'fa', prs: 'fa', pbu: 'ps', ckb: 'ku' };
/** eld's answers (ISO 639-1) mapped to the shipped languages; Croatian and Bosnian are served in Serbian. */
const ELD: Record<string, LanguageCode> = { de: 'de', en: 'en', tr: 'tr', ru: 'ru', uk: 'uk', sq: 'sq', sr: 'sr', hr: 'sr', bs: 'sr', ka: 'ka', fr: 'fr', ar: 'ar', fa: 'fa', ku: 'ku' };

type Eld = { detect(text: string): { language: string; isReliable(): boolean } };
let eldReady: Promise<Eld> | undefined;
function loadEld(): Promise<Eld> {
  eldReady ??= import('eld/small').then(({ eld }) => {
    eld.setLanguageSubset(Object.keys(ELD));
    return eld as Eld;
  });
  return eldReady;
}

/**
 * The channel's own hint (Telegram's language_code) when it names a shipped language, else the
 * language detected from the text, else undefined (the site's default language applies).
 */
export async function channelLanguage(hint: string | undefined, text: string): Promise<LanguageCode | undefined> {
  return matchLanguage(hint) ?? (await detectLanguage(text));
}

export async function detectLanguage(text: string): Promise<LanguageCode | undefined> {
  const letters = text.match(LETTERS)?.length ?? 0;
  if (letters < 3) return undefined;
  const arabic = text.match(ARABIC_SCRIPT)?.length ?? 0;
  if (arabic * 2 > letters) return FRANC_ARABIC[franc(text, { only: Object.keys(FRANC_ARABIC), minLength: 3 })];
  const result = (await loadEld()).detect(text);
  return result.isReliable() ? ELD[result.language] : undefined;
}
