import type { ErrorCode } from '@direturn/protocol';

/** Codes the client adds for failures that never reached the server's error format. */
export type ClientErrorCode = 'network_error' | 'bad_response';

/** A failed API call: the server's `{ error: { code, message } }`, or a client-side failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly issues: readonly string[];

  constructor(status: number, code: ErrorCode | ClientErrorCode, message: string, issues: readonly string[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

export function isApiError(value: unknown, code?: ApiError['code']): value is ApiError {
  return value instanceof ApiError && (code === undefined || value.code === code);
}
