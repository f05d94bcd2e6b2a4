/**
 * Validation issues as data: a field path, a code and its numbers. Clients translate the code
 * (the English `issues` strings beside them are for logs and the CLI), so a German console never
 * shows "password: must be at least 12 characters".
 */
export const VALIDATION_CODES = [
  /** A required field is missing or empty. */
  'required',
  /** Wrong JSON type (text where a number belongs, …). */
  'invalid_type',
  /** `params.min` characters or entries at least. */
  'too_short',
  /** `params.max` characters or entries at most. */
  'too_long',
  /** A number below `params.min`. */
  'too_small',
  /** A number above `params.max`. */
  'too_large',
  'invalid_email',
  'invalid_origin',
  'invalid_language',
  'invalid_choice',
  'invalid_time_zone',
  /** A time of day that is not HH:MM (00:00–24:00). */
  'invalid_time',
  /** An opening period whose end is not after its start. */
  'hours_order',
  /** Opening periods of one day overlap. */
  'hours_overlap',
  /** Any other malformed value (pattern, id, address). */
  'invalid_format',
  /** The password is on the list of common passwords or a trivial pattern. */
  'password_common',
  /** The password contains the account's e-mail address or its whole local part. */
  'password_contains_email',
  /** The new password is the current one. */
  'password_unchanged',
] as const;
export type ValidationCode = (typeof VALIDATION_CODES)[number];

export interface ValidationIssue {
  /** Dotted path of the field ("allowedOrigins.0", "openingHours.mon.0.from"); "" for the whole body. */
  path: string;
  code: ValidationCode;
  /** Numbers or names the translated sentence needs (`min`, `max`). */
  params?: Record<string, number | string>;
}

export const isValidationCode = (value: unknown): value is ValidationCode => typeof value === 'string' && (VALIDATION_CODES as readonly string[]).includes(value);
