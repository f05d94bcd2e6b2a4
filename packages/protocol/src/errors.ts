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
  'not_ready',
  'rate_limited',
  /** Login needs a second factor: answer with POST /api/auth/login/totp. */
  'totp_required',
  /** Two-factor authentication is enforced and this agent has not enrolled yet. */
  'totp_setup_required',
  /** A rule set of the orientation check does not validate (`issues` say what); nothing was saved. */
  'orientation_invalid',
  /** A case summary does not match the current questionnaire (`issues` say what); nothing was sent. */
  'orientation_answers_invalid',
  /** The visitor deleted their data; the token is void. */
  'gone',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  /** `retryAfterSeconds` accompanies `rate_limited` (and the HTTP `Retry-After` header). */
  error: { code: ErrorCode; message: string; issues?: string[]; retryAfterSeconds?: number };
}
