import type { ValidationIssue } from './validation.js';

/** Every error a client can receive, over HTTP (`{ error }`) or as an `error` frame. */
export const ERROR_CODES = [
  'bad_request',
  'too_large',
  'unknown_site',
  'origin_not_allowed',
  'unauthorized',
  'forbidden',
  'invalid_credentials',
  'not_found',
  'conversation_taken',
  'conversation_closed',
  /** A handover's or reassignment's target cannot take it (away, offline, disabled, or no counsellor). */
  'agent_unavailable',
  /** The counsellor holds as many conversations as they may at once. */
  'at_capacity',
  /** The counsellor is set to away: set available before taking conversations. */
  'agent_away',
  'not_ready',
  'rate_limited',
  /** Login needs a second factor: answer with POST /api/auth/login/totp. */
  'totp_required',
  /** Two-factor authentication is enforced and this agent has not enrolled yet. */
  'totp_setup_required',
  /** An admin reset this agent's password: only the password change (and logout) answers until it is done. */
  'password_change_required',
  /** The one-time password an admin gave was not used in time (DIRETURN_ONE_TIME_PASSWORD_HOURS): ask for a new one. */
  'password_expired',
  /** The site still has conversations: disable it instead of removing it. */
  'site_in_use',
  /** A rule set of the orientation check does not validate (`issues` say what); nothing was saved. */
  'orientation_invalid',
  /** A case summary does not match the current questionnaire (`issues` say what); nothing was sent. */
  'orientation_answers_invalid',
  /** The visitor deleted their data; the token is void. */
  'gone',
  /** A resume code that does not open any conversation (wrong, renewed or deleted). */
  'resume_invalid',
  /** The conversation's channel account is paused or was removed: nothing can be sent through it now. */
  'channel_unavailable',
  /** A callback request with wrong fields (`issues`: `<path>: <code>`, see CALLBACK_ISSUE_CODES); nothing was stored. */
  'callback_invalid',
  /** The visitor has a callback request that is not handled yet. */
  'callback_pending',
  /** Another counsellor has already claimed this callback. */
  'callback_taken',
  /** A reply-notice opt-in with a wrong address or without consent (`issues`: `<path>: <code>`); nothing was stored. */
  'reply_notice_invalid',
  /** Reply notices need a conversation that is open, and mail configured on the server. */
  'reply_notice_unavailable',
  /** The counsellor or the conversation is in a call already (one call at a time). */
  'call_busy',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  /**
   * `retryAfterSeconds` accompanies `rate_limited` (and the HTTP `Retry-After` header). `issues` are
   * English lines for logs and the CLI; `details` carry the same issues as codes to translate.
   */
  error: { code: ErrorCode; message: string; issues?: string[]; details?: ValidationIssue[]; retryAfterSeconds?: number };
}
