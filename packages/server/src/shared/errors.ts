import type { ErrorCode, ValidationIssue } from '@direturn/protocol';

/**
 * A rule of the domain was broken. Services throw these; the HTTP and WebSocket edges translate
 * them (status code or error frame). The message is safe to show: it never contains user content.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: string[],
    /** The same issues as codes clients translate. */
    readonly details?: ValidationIssue[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/** Too many attempts: the edges add `Retry-After` (HTTP) or `retryAfterMs` (frames). */
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super('rate_limited', message);
  }
}
