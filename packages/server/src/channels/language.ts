import { franc } from 'franc';
import { matchLanguage, type LanguageCode } from '@direturn/protocol';

/**
 * The ISO 639-3 codes franc (6.x, its 187-language set) may answer, mapped to the languages DiReturn
 * ships. franc-min lacks Albanian and Georgian; no franc set has Kurmanji (ku), so Kurdish is found
 * only as Sorani (ckb, Arabic script) or from the channel's hint, and the counsellor corrects the rest.
 * Serbian, Croatian and Bosnian are one language for counselling purposes.
 */
const FROM_ISO3: Record<string, LanguageCode> = {
  deu: 'de',
  eng: 'en',
  arb: 'ar',
  pes: 'fa',
  prs: 'fa',
  pbu: 'ps',
  tur: 'tr',
  rus: 'ru',
  ukr: 'uk',
  ckb: 'ku',
  als: 'sq',
  srp: 'sr',
  hrv: 'sr',
  bos: 'sr',
  kat: 'ka',
  fra: 'fr',
};
const ONLY = Object.keys(FROM_ISO3);

/**
 * The language of a conversation that starts on a channel: the channel's own hint (Telegram's
 * language_code) when it names a shipped language, else franc's guess from the text restricted to
 * the shipped languages (short texts, under 10 letters, give no guess), else undefined.
 */
export function channelLanguage(hint: string | undefined, text: string): LanguageCode | undefined {
  const hinted = matchLanguage(hint);
  if (hinted) return hinted;
  return detectLanguage(text);
}

export function detectLanguage(text: string): LanguageCode | undefined {
  const iso3 = franc(text, { only: ONLY, minLength: 10 });
  return FROM_ISO3[iso3];
}
