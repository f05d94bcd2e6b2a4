import type { ErrorCode, ValidationIssue } from '@direturn/protocol';

/** Codes the client adds for failures that never reached the server's error format. */
export type ClientErrorCode = 'network_error' | 'bad_response';

/** A failed API call: the server's `{ error: { code, message } }`, or a client-side failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly issues: readonly string[];
  /** With `rate_limited`: seconds until the server accepts the request again (body or `Retry-After`). */
  readonly retryAfterSeconds: number | undefined;
  /** The issues as codes to translate (shared/validation-text.ts); empty from older servers. */
  details: readonly ValidationIssue[] = [];

  constructor(status: number, code: ErrorCode | ClientErrorCode, message: string, issues: readonly string[] = [], retryAfterSeconds?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.issues = issues;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isApiError(value: unknown, code?: ApiError['code']): value is ApiError {
  return value instanceof ApiError && (code === undefined || value.code === code);
}
