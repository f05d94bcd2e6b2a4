import { franc } from 'franc';
import type { LanguageCode } from '@direturn/protocol';

/**
 * franc's ISO 639-3 codes → the languages DiReturn ships. franc (trigram statistics, no model to
 * download) is asked only about these: a text in another language gets the nearest of ours.
 * Serbian written in Latin letters looks like Croatian or Bosnian to franc; Kurmanji in Latin
 * letters is filed under franc's Kurdish (ckb) profile.
 */
const FROM_FRANC: Record<string, LanguageCode> = {
  deu: 'de',
  eng: 'en',
  tur: 'tr',
  arb: 'ar',
  rus: 'ru',
  pes: 'fa',
  prs: 'fa',
  ukr: 'uk',
  pbu: 'ps',
  pbt: 'ps',
  ckb: 'ku',
  kmr: 'ku',
  als: 'sq',
  srp: 'sr',
  hrv: 'sr',
  bos: 'sr',
  kat: 'ka',
  fra: 'fr',
};
const ONLY = Object.keys(FROM_FRANC);

/** Below this many letters a guess is noise ("Hallo", "ok"). */
const MIN_LETTERS = 20;

/** The language a person wrote `text` in, if it can be told. */
export function detectLanguage(text: string): LanguageCode | undefined {
  const sample = text.slice(0, 2000);
  if ((sample.match(/\p{L}/gu) ?? []).length < MIN_LETTERS) return undefined;
  return FROM_FRANC[franc(sample, { only: ONLY, minLength: MIN_LETTERS })];
}
