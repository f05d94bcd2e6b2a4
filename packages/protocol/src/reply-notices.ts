/**
 * Reply notices (issue 15): a widget visitor may leave an e-mail address to hear that a counsellor's
 * reply is waiting. The mail says only that, and how to come back; never the message, the
 * counsellor or the topic. Shared by the widget (checks before sending) and the server (checks again).
 */

export const REPLY_NOTICE_LIMITS = {
  /** RFC 5321: a path of 256 octets, minus the angle brackets. */
  emailMaxChars: 254,
  localMaxChars: 64,
} as const;

/** What can be wrong with an opt-in; the server's `reply_notice_invalid` error lists them as `<path>: <code>`. */
export const REPLY_NOTICE_ISSUE_CODES = ['email_missing', 'email_too_long', 'email_invalid', 'consent_required'] as const;
export type ReplyNoticeIssueCode = (typeof REPLY_NOTICE_ISSUE_CODES)[number];
export interface ReplyNoticeIssue {
  path: 'email' | 'consent';
  code: ReplyNoticeIssueCode;
}

export interface ReplyNoticeInput {
  email: string;
  consent: boolean;
}

// One label of a domain: letters (any script), digits, hyphens inside.
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
// The local part as people type it (dot-atom): no spaces, quotes or brackets.
const LOCAL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;

/**
 * Checks an opt-in; `email` is the address as it will be stored (trimmed, domain in lower case).
 * Deliberately plain: one @, a dot-atom before it, a domain with at least two labels after it.
 */
export function checkReplyNoticeRequest(input: ReplyNoticeInput): { issues: ReplyNoticeIssue[]; email: string | null } {
  const issues: ReplyNoticeIssue[] = [];
  const typed = input.email.trim();
  let email: string | null = null;
  if (typed === '') issues.push({ path: 'email', code: 'email_missing' });
  else if (typed.length > REPLY_NOTICE_LIMITS.emailMaxChars) issues.push({ path: 'email', code: 'email_too_long' });
  else {
    const at = typed.lastIndexOf('@');
    const local = typed.slice(0, at);
    const domain = typed.slice(at + 1).toLowerCase().replace(/\.$/, '');
    const labels = domain.split('.');
    const ok =
      at > 0 &&
      local.length <= REPLY_NOTICE_LIMITS.localMaxChars &&
      LOCAL.test(local) &&
      labels.length >= 2 &&
      labels.every((l) => LABEL.test(l)) &&
      !/^\d+$/.test(labels[labels.length - 1]!);
    if (ok) email = `${local}@${domain}`;
    else issues.push({ path: 'email', code: 'email_invalid' });
  }
  if (!input.consent) issues.push({ path: 'consent', code: 'consent_required' });
  return { issues, email: issues.length ? null : email };
}
