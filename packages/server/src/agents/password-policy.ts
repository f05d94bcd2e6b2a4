import { LIMITS } from '@direturn/protocol';

/**
 * NIST SP 800-63B (rev. 4) password rules: a minimum length (we ask 12), a generous maximum, no
 * composition rules, and a check against commonly used and context-specific passwords.
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

/** @returns issues in the same shape as schema issues, empty when the password is acceptable. */
export function passwordIssues(password: string, context: { email?: string; name?: string } = {}): string[] {
  if ([...password].length < LIMITS.passwordMinChars) return [`password: must be at least ${LIMITS.passwordMinChars} characters`];
  if (password.length > LIMITS.passwordMaxChars) return [`password: must be at most ${LIMITS.passwordMaxChars} characters`];
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || isTrivial(lower)) return ['password: is too common or too easy to guess; a few unrelated words make a good one'];
  const local = context.email?.split('@')[0]?.toLowerCase();
  if ((local && local.length >= 4 && lower.includes(local)) || (context.email && lower.includes(context.email.toLowerCase()))) {
    return ['password: must not contain the e-mail address'];
  }
  return [];
}
