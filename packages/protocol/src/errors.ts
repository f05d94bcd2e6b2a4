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
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: string[] };
}
