import { LIMITS, type ValidationIssue } from '@direturn/protocol';
import { DomainError } from '../shared/errors.js';

/**
 * NIST SP 800-63B rev. 4 (§3.1.1.2) password rules: a minimum length (we ask 12), a generous
 * maximum, no composition rules, and a blocklist of commonly used, expected and context-specific
 * passwords, compared with the whole password. See docs/security.md.
 */
const COMMON = new Set(
  [
    'password1234', 'password12345', 'password123456', 'password123!', 'password2024', 'password2025', 'passwordpassword',
    'passw0rd1234', 'p@ssw0rd1234', 'p@ssword1234', 'passwort1234', 'passwort12345', 'passwortpasswort',
    '123456789012', '1234567890123', '12345678901234', '123456123456', '123123123123', '112233445566',
    '111111111111', '000000000000', '123412341234', '098765432109', '987654321098',
    'qwertyuiopas', 'qwerty123456', 'qwertyqwerty', 'qwertz123456', 'qwertzuiop12', 'qwertyuiop12', 'qwertyuiop123',
    '1q2w3e4r5t6y', '1qaz2wsx3edc', 'zaq12wsxcde3', 'qazwsxedcrfv', 'asdfghjkl123', 'asdfasdfasdf', 'zxcvbnm12345',
    'iloveyou1234', 'letmein12345', 'welcome12345', 'welcome2024!', 'welcome12345!', 'changeme1234', 'administrator',
    'administrator1', 'admin1234567', 'adminadmin12', 'trustno1trustno1', 'football1234', 'baseball1234', 'superman1234',
    'princess1234', 'sunshine1234', 'monkey123456', 'dragon123456', 'master123456', 'shadow123456', 'michael12345',
    'abc123456789', 'abcdefghijkl', 'abcd1234abcd', 'hallo1234567', 'geheim123456', 'sommer2024!!', 'summer2024!!',
    'winter2024!!', 'direturn1234', 'direturn2024', 'direturnadmin', 'rueckkehr1234', 'counsellor12', 'beratung1234',
  ].map((p) => p.toLowerCase()),
);

/** Repeats of a short pattern ("abcabcabcabc") or straight runs ("123456789012", "abcdefghijkl"). */
function isTrivial(p: string): boolean {
  for (let n = 1; n <= 4; n++) {
    const unit = p.slice(0, n);
    if (unit.repeat(Math.ceil(p.length / n)).slice(0, p.length) === p) return true;
  }
  let run = true;
  for (let i = 1; i < p.length && run; i++) {
    const d = p.charCodeAt(i) - p.charCodeAt(i - 1);
    if (d !== 1 && d !== -1 && !(d === -9 && p[i] === '0')) run = false;
  }
  return run;
}

/** Lower case, without accents, letters and digits only: "Anna.Bérger" and "anna berger" are the same word. */
const fold = (s: string): string => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/**
 * The context-specific words of NIST SP 800-63B rev. 4, §3.1.1.2 ("the name of the service, the
 * username, and derivatives thereof"): the whole e-mail address, its local part, the agent's
 * name and the service's names, each folded.
 */
function contextWords(context: { email?: string | undefined; name?: string | undefined }): Set<string> {
  const words = ['direturn', 'rueckkehrberatung', 'rückkehrberatung', 'returncounselling'];
  if (context.email) words.push(context.email, context.email.split('@')[0] ?? '');
  if (context.name) words.push(context.name);
  return new Set(words.map(fold).filter((w) => w.length > 0));
}

/**
 * The password as compared with the blocklist: folded, without the digits and symbols people add
 * at the end to get past a rule ("Anna.Berger2026!" → "annaberger"). The comparison is of the
 * whole password (rev. 4: "not substrings or words that might be contained therein").
 */
const base = (password: string): string => fold(password).replace(/\p{N}+$/u, '');

export type PasswordContext = { email?: string | undefined; name?: string | undefined };

/**
 * @returns what is wrong with a new password, as codes (empty when it is acceptable). Rules: at
 * least 12 characters, at most 1024, not on the blocklist of common passwords or trivial patterns,
 * and not the account's own e-mail address, name or the service's name (or those with a few
 * digits or symbols added). A password that merely contains such a word, like a first name in a
 * sentence, is accepted.
 */
export function passwordIssues(password: string, context: PasswordContext = {}): ValidationIssue[] {
  const path = 'password';
  if ([...password].length < LIMITS.passwordMinChars) return [{ path, code: 'too_short', params: { min: LIMITS.passwordMinChars } }];
  if (password.length > LIMITS.passwordMaxChars) return [{ path, code: 'too_long', params: { max: LIMITS.passwordMaxChars } }];
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || isTrivial(lower)) return [{ path, code: 'password_common' }];
  const candidate = base(password);
  if (candidate === '' || contextWords(context).has(candidate) || contextWords(context).has(fold(password))) return [{ path, code: 'password_contains_email' }];
  return [];
}

const ENGLISH: Partial<Record<ValidationIssue['code'], (i: ValidationIssue) => string>> = {
  too_short: (i) => `must be at least ${i.params?.min} characters`,
  too_long: (i) => `must be at most ${i.params?.max} characters`,
  password_common: () => 'is too common or too easy to guess; a few unrelated words make a good one',
  password_contains_email: () => 'must not be your e-mail address, your name or the name of this service (a sentence that contains your name is fine)',
  password_unchanged: () => 'must differ from the current password',
};

/** The English line of a password issue, for logs, the CLI and the `issues` beside the codes. */
export const issueLine = (i: ValidationIssue): string => `${i.path}: ${ENGLISH[i.code]?.(i) ?? i.code}`;

/** Throws the issues as a 400 with codes (bad_request). */
export function refusePassword(issues: ValidationIssue[]): never {
  throw new DomainError('bad_request', 'The password is not acceptable.', issues.map(issueLine), issues);
}
