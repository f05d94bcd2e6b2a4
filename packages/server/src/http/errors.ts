import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody, ErrorCode, ValidationIssue } from '@direturn/protocol';
import { isDomainError, RateLimitedError } from '../shared/errors.js';
import type { Logger } from '../logger.js';

export const HTTP_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  too_large: 413,
  unknown_site: 404,
  origin_not_allowed: 403,
  unauthorized: 401,
  forbidden: 403,
  invalid_credentials: 401,
  not_found: 404,
  conversation_taken: 409,
  conversation_closed: 409,
  agent_unavailable: 409,
  at_capacity: 409,
  agent_away: 409,
  not_ready: 409,
  rate_limited: 429,
  totp_required: 401,
  totp_setup_required: 403,
  password_change_required: 403,
  password_expired: 403,
  site_in_use: 409,
  orientation_invalid: 422,
  orientation_answers_invalid: 422,
  gone: 410,
  resume_invalid: 400,
  channel_unavailable: 409,
  callback_invalid: 422,
  callback_pending: 409,
  callback_taken: 409,
  reply_notice_invalid: 422,
  reply_notice_unavailable: 409,
  call_busy: 409,
  internal: 500,
};

export function errorResponse(c: Context, code: ErrorCode, message: string, issues?: string[], details?: ValidationIssue[]): Response {
  const body: ErrorBody = { error: { code, message, ...(issues ? { issues } : {}), ...(details ? { details } : {}) } };
  return c.json(body, HTTP_STATUS[code]);
}

/** Domain errors become their status; anything else is logged (without request data) and hidden. */
export function handleError(logger: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof RateLimitedError) return rateLimitedResponse(c, err.message, err.retryAfterMs);
    if (isDomainError(err)) return errorResponse(c, err.code, err.message, err.issues, err.details);
    logger.error({ err: { name: err.name, message: err.message, stack: err.stack }, path: c.req.routePath }, 'unhandled error');
    return errorResponse(c, 'internal', 'Something went wrong on the server.');
  };
}

/** 429 with `Retry-After` (whole seconds, at least 1) in the header and the body. */
export function rateLimitedResponse(c: Context, message: string, retryAfterMs: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  c.header('Retry-After', String(seconds));
  const body: ErrorBody = { error: { code: 'rate_limited', message, retryAfterSeconds: seconds } };
  return c.json(body, 429);
}
