/**
 * Phone numbers for callback requests, on libphonenumber-js (Google's libphonenumber rules, kept
 * up to date with its metadata). The metadata is chosen by the caller: the widget binds `min`
 * (about 19 KB gzip: length checks), the server `max` (about 39 KB gzip: the number ranges of every
 * country), see phone-min.ts and phone-max.ts. Never imported by the open chat.
 */
import { getCountries, getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode, type MetadataJson } from 'libphonenumber-js/core';
import { CALLBACK_LIMITS, type PhoneCheck } from './callbacks.js';

/** What a person may type: digits, spaces, + ( ) - / . (no letters, no extensions). */
const TYPED = /^[\d\s+()\-/.]+$/;
/** Arabic-Indic and Eastern Arabic-Indic (Persian, Urdu) digits, as phone keyboards in those scripts type them. */
const ARABIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;
const asciiDigits = (s: string): string => s.replace(ARABIC_DIGITS, (d) => String(d.charCodeAt(0) & 0xf));

export interface PhoneRules {
  /** ISO 3166-1 alpha-2 codes of every country with numbers. */
  countries(): string[];
  /** "49" for DE; undefined for an unknown country. */
  callingCode(country: string): string | undefined;
  check: PhoneCheck;
  /** "+49 170 5550199" for "+491705550199" (the stored E.164 form). */
  formatInternational(e164: string): string;
}

export function phoneRules(metadata: MetadataJson): PhoneRules {
  const supported = (c: string): c is CountryCode => /^[A-Z]{2}$/.test(c) && isSupportedCountry(c as CountryCode, metadata);
  return {
    countries: () => getCountries(metadata),
    callingCode: (country) => (supported(country) ? getCountryCallingCode(country, metadata) : undefined),
    check(country, typed) {
      const text = asciiDigits(typed).trim();
      if (text === '') return { ok: false, code: 'phone_required' };
      if (text.length > CALLBACK_LIMITS.numberMaxChars || !TYPED.test(text)) return { ok: false, code: 'phone_invalid' };
      // "0049…" is how many people write an international number.
      const number = text.replace(/^00/, '+');
      const international = number.startsWith('+');
      if (!international && !supported(country)) return { ok: false, code: 'phone_country_required' };
      const defaultCountry = supported(country) ? country : undefined;
      const length = validatePhoneNumberLength(number, { ...(defaultCountry ? { defaultCountry } : {}) }, metadata);
      if (length === 'TOO_SHORT') return { ok: false, code: 'phone_too_short' };
      if (length === 'TOO_LONG') return { ok: false, code: 'phone_too_long' };
      const parsed = parsePhoneNumberFromString(number, { ...(defaultCountry ? { defaultCountry } : {}), extract: false }, metadata);
      if (!parsed || !parsed.isValid()) return { ok: false, code: 'phone_invalid' };
      return { ok: true, e164: parsed.number, country: parsed.country };
    },
    formatInternational(e164) {
      return parsePhoneNumberFromString(e164, { extract: false }, metadata)?.formatInternational() ?? e164;
    },
  };
}
