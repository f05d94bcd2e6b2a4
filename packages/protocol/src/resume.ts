/**
 * Resume codes: a visitor continues their conversation on another device or browser by typing a
 * code their first device showed them. Twelve characters from an alphabet without look-alikes
 * (no 0/O, 1/I/L), shown in three groups of four: 31^12 ≈ 2^59.4 possible codes.
 */
export const RESUME_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const RESUME_CODE_LENGTH = 12;
/** The first four characters find the code's row (selector); the other eight are checked against a hash. */
export const RESUME_CODE_SELECTOR_LENGTH = 4;

/**
 * What a person typed, as the canonical code: upper case, without spaces, dashes or dots;
 * undefined when it cannot be a code (wrong length, a character outside the alphabet).
 */
export function normaliseResumeCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s\-.·_]/g, '');
  if (code.length !== RESUME_CODE_LENGTH) return undefined;
  for (const ch of code) if (!RESUME_CODE_ALPHABET.includes(ch)) return undefined;
  return code;
}

/** `ABCD EFGH JKMN`: groups of four for reading aloud and copying by hand. */
export const formatResumeCode = (code: string): string => code.replace(/(.{4})(?=.)/g, '$1 ');
