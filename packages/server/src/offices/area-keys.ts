/**
 * Official area keys (Amtlicher Gemeindeschlüssel and its prefixes), always zero-padded strings:
 * 2 digits = federal state, 3 = government district (Regierungsbezirk), 5 = district / kreisfreie
 * Stadt, 8 = municipality. Responsibility is stored as keys of any of these depths; the longest key
 * that is a prefix of a person's key wins.
 */

export type AreaLevel = 'state' | 'region' | 'district' | 'municipality';

export const AREA_KEY_PATTERN = /^\d{2}(?:\d(?:\d{2}(?:\d{3})?)?)?$/;

const LEVEL_BY_LENGTH: Record<number, AreaLevel> = { 2: 'state', 3: 'region', 5: 'district', 8: 'municipality' };

export const levelOf = (key: string): AreaLevel | undefined => (AREA_KEY_PATTERN.test(key) ? LEVEL_BY_LENGTH[key.length] : undefined);

/** The keys an area is part of, most specific first: 09162 → 09162, 091, 09. */
export function prefixesOf(key: string): string[] {
  return [8, 5, 3, 2].filter((n) => key.length >= n).map((n) => key.slice(0, n));
}

/** The official names of the federal states by their key (GeoNames' own state numbering differs: never use it). */
export const STATES: Readonly<Record<string, string>> = {
  '01': 'Schleswig-Holstein',
  '02': 'Hamburg',
  '03': 'Niedersachsen',
  '04': 'Bremen',
  '05': 'Nordrhein-Westfalen',
  '06': 'Hessen',
  '07': 'Rheinland-Pfalz',
  '08': 'Baden-Württemberg',
  '09': 'Bayern',
  '10': 'Saarland',
  '11': 'Berlin',
  '12': 'Brandenburg',
  '13': 'Mecklenburg-Vorpommern',
  '14': 'Sachsen',
  '15': 'Sachsen-Anhalt',
  '16': 'Thüringen',
};

/** Government districts that exist today (the third digit is 0 in states without them). */
export const REGIONS: Readonly<Record<string, string>> = {
  '051': 'Regierungsbezirk Düsseldorf',
  '053': 'Regierungsbezirk Köln',
  '055': 'Regierungsbezirk Münster',
  '057': 'Regierungsbezirk Detmold',
  '059': 'Regierungsbezirk Arnsberg',
  '064': 'Regierungsbezirk Darmstadt',
  '065': 'Regierungsbezirk Gießen',
  '066': 'Regierungsbezirk Kassel',
  '081': 'Regierungsbezirk Stuttgart',
  '082': 'Regierungsbezirk Karlsruhe',
  '083': 'Regierungsbezirk Freiburg',
  '084': 'Regierungsbezirk Tübingen',
  '091': 'Oberbayern',
  '092': 'Niederbayern',
  '093': 'Oberpfalz',
  '094': 'Oberfranken',
  '095': 'Mittelfranken',
  '096': 'Unterfranken',
  '097': 'Schwaben',
};

export const stateOf = (key: string): string => key.slice(0, 2);

/** A readable hint for a key that is not one: the leading zero that spreadsheets drop is the usual cause. */
export function describeBadKey(raw: string): string {
  if (/^\d+$/.test(raw) && [1, 4, 7].includes(raw.length)) return `"${raw}" is not an area key (2, 3, 5 or 8 digits); did a spreadsheet drop its leading zero (0${raw})?`;
  return `"${raw}" is not an area key: use 2 (federal state), 3 (government district), 5 (district) or 8 (municipality) digits`;
}
