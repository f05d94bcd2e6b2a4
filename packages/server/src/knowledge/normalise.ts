/**
 * One normal form for every text that is searched and every query, so that the index and the
 * query meet whatever the writer typed (and whichever database indexes it):
 * Unicode NFKC; lower case; Latin, Cyrillic and Arabic diacritics removed (NFKD, then every
 * combining mark: ü→u, ё→е, أ→ا, harakat gone); tatweel and invisible joiners removed (a Persian
 * half-space joins, as people type without it); Arabic/Persian letter variants unified
 * (ي ى→ی, ك→ک, ة ە→ه, ٱ→ا); ß→ss, ı→i and a few Latin letters without a decomposition;
 * Arabic-Indic and Persian digits → 0-9; everything that is no letter or digit → one space.
 * The result has only letters, digits and single spaces: both databases split it into the same
 * words, and a query token never contains a LIKE or FTS5 operator.
 */

const LETTERS: Record<string, string> = {
  '\u064A': '\u06CC', // ي → ی
  '\u0649': '\u06CC', // ى → ی
  '\u0643': '\u06A9', // ك → ک
  '\u0629': '\u0647', // ة → ه (for matching only)
  '\u06D5': '\u0647', // ە → ه
  '\u0671': '\u0627', // ٱ → ا
  'ı': 'i',
  'ß': 'ss',
  'ø': 'o',
  'đ': 'd',
  'ł': 'l',
  'æ': 'ae',
  'œ': 'oe',
  'ð': 'd',
  'þ': 'th',
  'ħ': 'h',
};
for (let i = 0; i < 10; i++) {
  LETTERS[String.fromCharCode(0x0660 + i)] = String(i);
  LETTERS[String.fromCharCode(0x06f0 + i)] = String(i);
}

/** Removed without a trace: tatweel, zero-width (non-)joiners and spaces, soft hyphen, bidi controls, BOM. */
const DROP = /^[\u0640\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]$/u;
const MARK = /^\p{M}$/u;
const WORD = /^[\p{L}\p{N}]$/u;

const cache = new Map<string, string>();

/** What one code point becomes: '' (dropped), ' ' (a separator) or letters/digits. */
function fold(cp: string): string {
  const hit = cache.get(cp);
  if (hit !== undefined) return hit;
  let out = '';
  for (const ch of cp.normalize('NFKC').toLowerCase().normalize('NFKD')) {
    if (MARK.test(ch) || DROP.test(ch)) continue;
    const mapped = LETTERS[ch] ?? ch;
    out += WORD.test(mapped) || mapped.length > 1 ? mapped : ' ';
  }
  if (cache.size < 20_000) cache.set(cp, out);
  return out;
}

export interface Normalised {
  text: string;
  /** For each UTF-16 unit of `text`, the offset in the original text of the character it came from. */
  map: number[];
}

/** The normal form and where each of its characters came from (for highlighting in the original). */
export function normaliseWithMap(input: string): Normalised {
  // A flag for "ends with a space": asking the growing string (endsWith) flattens it every time.
  let text = '';
  let spaced = true; // no space at the start
  const map: number[] = [];
  let offset = 0;
  for (const cp of input) {
    const f = fold(cp);
    if (f === ' ') {
      if (!spaced) {
        text += ' ';
        map.push(offset);
        spaced = true;
      }
    } else if (f.length === 1) {
      text += f;
      map.push(offset);
      spaced = false;
    } else {
      for (const ch of f) {
        if (ch === ' ' && spaced) continue;
        text += ch;
        for (let k = 0; k < ch.length; k++) map.push(offset);
        spaced = ch === ' ';
      }
    }
    offset += cp.length;
  }
  if (spaced && text.length > 0) {
    text = text.slice(0, -1);
    map.pop();
  }
  return { text, map };
}

/** The normal form: letters and digits, words separated by single spaces, no space at either end. */
export function normalise(input: string): string {
  let text = '';
  let spaced = true;
  for (const cp of input) {
    const f = fold(cp);
    if (f === ' ') {
      if (!spaced) text += ' ';
      spaced = true;
    } else if (f !== '') {
      text += f;
      spaced = f.endsWith(' ');
    }
  }
  return spaced && text.length > 0 ? text.slice(0, -1) : text;
}

/** Tokens that can still find something; more only make the query narrower. */
export const MAX_QUERY_TOKENS = 8;

/**
 * The words of a query, normalised: deduplicated, at most MAX_QUERY_TOKENS, each cut at 64
 * characters. Single letters are dropped when longer words are there (they would match almost
 * every text); a query of single letters only finds nothing.
 */
export function queryTokens(query: string): string[] {
  // cut by characters, not UTF-16 units (half a surrogate pair would reach the databases as U+FFFD)
  const words = [...new Set(normalise(query).split(' ').filter(Boolean).map((w) => [...w].slice(0, 64).join('')))];
  const useful = words.filter((w) => [...w].length >= 2);
  return useful.slice(0, MAX_QUERY_TOKENS);
}

/** The indexed form of a translation: ` title summary body ` (a space at both ends, so " word" finds a word's beginning). */
export function searchText(title: string, summary: string, body: string): string {
  return ` ${[normalise(title), normalise(summary), normalise(body)].filter(Boolean).join(' ')} `;
}

/**
 * The matching rule both databases implement (and tests use as the reference): a token of three
 * or more characters is found anywhere (inside a compound, after an Arabic article); a shorter one
 * only at the beginning of a word. Every token must be found.
 */
export function matches(indexed: string, tokens: readonly string[]): boolean {
  return tokens.length > 0 && tokens.every((t) => ([...t].length >= 3 ? indexed.includes(t) : indexed.includes(` ${t}`)));
}
