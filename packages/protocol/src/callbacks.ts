/**
 * Callback requests (issue 16): a visitor asks to be called back in their language, in time windows
 * they choose; counsellors claim a request, call, and record the outcome. The number is the
 * visitor's to give and is deleted when the callback is done (see docs/callbacks.md).
 */
import { LANGUAGE_CODES } from './languages.js';

export const CALLBACK_LIMITS = {
  /** Time windows in one request. */
  maxWindows: 3,
  /** A window starts at most this many days ahead. */
  maxDaysAhead: 14,
  /** A window is at least this long (a counsellor needs a chance to call)… */
  minWindowMinutes: 30,
  /** …and at most this long. */
  maxWindowHours: 12,
  topicMaxChars: 300,
  noteMaxChars: 2000,
  /** What a visitor may type into the number field (digits, spaces, + ( ) - / .). */
  numberMaxChars: 30,
} as const;

/**
 * Languages to speak besides the 13 DiReturn ships texts for (BCP 47; names come from
 * `Intl.DisplayNames` in the reader's language). Languages of people who return from Germany.
 */
export const CALLBACK_EXTRA_LANGUAGES = [
  'prs', 'ckb', 'ur', 'hi', 'bn', 'pa', 'ta', 'ne', 'am', 'ti', 'so', 'sw', 'ha', 'yo', 'ig', 'ln', 'wo', 'ff',
  'hy', 'az', 'tg', 'uz', 'mn', 'vi', 'zh', 'ro', 'bg', 'mk', 'bs', 'hr', 'pl', 'be', 'es', 'pt', 'it',
] as const;
/** Every language a callback can be asked in: the shipped ones first, then the others. */
export const CALLBACK_LANGUAGES: readonly string[] = [...LANGUAGE_CODES, ...CALLBACK_EXTRA_LANGUAGES];

/**
 * - `waiting`: in the list, no one has it;
 * - `claimed`: one counsellor has it (only they see the number);
 * - `closed`: finished with an outcome; the number is gone.
 */
export type CallbackStatus = 'waiting' | 'claimed' | 'closed';

/** What a counsellor records. `not_reached` puts the request back in the list (the number stays); the others finish it. */
export const CALLBACK_OUTCOMES = ['reached', 'not_reached', 'wrong_number', 'done'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];
/** Outcomes after which the number is deleted. */
export const CALLBACK_FINAL_OUTCOMES: readonly CallbackOutcome[] = ['reached', 'wrong_number', 'done'];
/** How a callback ended: a counsellor's outcome, or `expired` (retention deleted the number before anyone finished it). */
export type CallbackEnd = Exclude<CallbackOutcome, 'not_reached'> | 'expired';

/** A time window as the widget sends it: ISO 8601 instants with an offset ("2026-12-21T09:00:00.000Z"). */
export interface CallbackWindowInput { start: string; end: string }
/** A time window as stored and shown (epoch ms). */
export interface CallbackWindowDto { start: number; end: number }

/** What the visitor fills in. No name. */
export interface CallbackRequestInput {
  /** The country chosen from the list (ISO 3166-1 alpha-2) and the number as typed (a leading + or 00 overrides the country). */
  phone: { country: string; number: string };
  /** One of CALLBACK_LANGUAGES. */
  language: string;
  windows: CallbackWindowInput[];
  /** The visitor's IANA time zone: windows are shown to them in it. */
  timeZone: string;
  topic?: string | undefined;
  /** Consent to be called at this number. */
  consent: boolean;
}

export const CALLBACK_ISSUE_CODES = [
  'phone_required',
  'phone_country_required',
  'phone_invalid',
  'phone_too_short',
  'phone_too_long',
  'language_invalid',
  'windows_required',
  'too_many_windows',
  /** A date or time is missing (the widget's form). */
  'window_incomplete',
  'window_invalid',
  'window_order',
  'window_too_short',
  'window_too_long',
  'window_past',
  'window_too_far',
  'time_zone_invalid',
  'topic_too_long',
  'consent_required',
] as const;
export type CallbackIssueCode = (typeof CALLBACK_ISSUE_CODES)[number];
/** `path`: `phone`, `language`, `windows` or `windows.<i>`, `timeZone`, `topic`, `consent`. */
export interface CallbackIssue { path: string; code: CallbackIssueCode }

/** The result of a phone check: the number in E.164, or why not. */
export type PhoneCheckResult = { ok: true; e164: string; country: string | undefined } | { ok: false; code: Extract<CallbackIssueCode, `phone_${string}`> };
export type PhoneCheck = (country: string, number: string) => PhoneCheckResult;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const MINUTE = 60_000;
const DAY = 86_400_000;

/** An instant as the widget sends it, or NaN. */
export function parseInstant(s: string): number {
  return ISO_INSTANT.test(s) ? Date.parse(s) : NaN;
}

export function isTimeZone(tz: string): boolean {
  if (tz.length > 64 || !(tz.includes('/') || tz === 'UTC')) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface CheckedCallback {
  issues: CallbackIssue[];
  /** When there are no issues: the number in E.164 and the windows in epoch ms, sorted. */
  e164?: string;
  windows?: CallbackWindowDto[];
}

/**
 * The one rule for a callback request, run by the widget (phone metadata `min`, before sending) and
 * again by the server (metadata `max`, stricter). Every issue is reported, each with its field.
 */
export function checkCallbackRequest(input: CallbackRequestInput, opts: { now: number; phone: PhoneCheck }): CheckedCallback {
  const issues: CallbackIssue[] = [];
  const phone = opts.phone(input.phone.country, input.phone.number);
  if (!phone.ok) issues.push({ path: 'phone', code: phone.code });
  if (!CALLBACK_LANGUAGES.includes(input.language)) issues.push({ path: 'language', code: 'language_invalid' });
  if (!isTimeZone(input.timeZone)) issues.push({ path: 'timeZone', code: 'time_zone_invalid' });
  const windows: CallbackWindowDto[] = [];
  if (input.windows.length === 0) issues.push({ path: 'windows', code: 'windows_required' });
  else if (input.windows.length > CALLBACK_LIMITS.maxWindows) issues.push({ path: 'windows', code: 'too_many_windows' });
  else {
    input.windows.forEach((w, i) => {
      const code = windowIssue(w, opts.now);
      if (code) issues.push({ path: `windows.${i}`, code });
      else windows.push({ start: parseInstant(w.start), end: parseInstant(w.end) });
    });
  }
  if ((input.topic ?? '').length > CALLBACK_LIMITS.topicMaxChars) issues.push({ path: 'topic', code: 'topic_too_long' });
  if (input.consent !== true) issues.push({ path: 'consent', code: 'consent_required' });
  if (issues.length || !phone.ok) return { issues };
  return { issues, e164: phone.e164, windows: windows.sort((a, b) => a.start - b.start) };
}

function windowIssue(w: CallbackWindowInput, now: number): CallbackIssueCode | undefined {
  const start = parseInstant(w.start);
  const end = parseInstant(w.end);
  if (Number.isNaN(start) || Number.isNaN(end)) return 'window_invalid';
  if (end <= start) return 'window_order';
  // A window may already have begun ("now until 18:00"), not ended.
  if (end <= now) return 'window_past';
  if (start > now + CALLBACK_LIMITS.maxDaysAhead * DAY) return 'window_too_far';
  if (end - start < CALLBACK_LIMITS.minWindowMinutes * MINUTE) return 'window_too_short';
  if (end - start > CALLBACK_LIMITS.maxWindowHours * 60 * MINUTE) return 'window_too_long';
  return undefined;
}

/** When a callback is due: the start of its first window that has not ended, else the end of the last. */
export function callbackDueAt(windows: readonly CallbackWindowDto[], now: number): number {
  const open = windows.find((w) => w.end > now);
  return open ? open.start : (windows.at(-1)?.end ?? now);
}

/** What the visitor sees in the widget: that the request arrived, and when and how it was handled. Never the number. */
export interface VisitorCallbackDto {
  id: string;
  status: CallbackStatus;
  /** How it ended (closed only). */
  outcome: CallbackEnd | null;
  /** Calls tried without reaching the visitor so far. */
  attempts: number;
  language: string;
  windows: CallbackWindowDto[];
  timeZone: string;
  createdAt: number;
  /** When it was finished (closed only). */
  handledAt: number | null;
  /** Asked outside the site's opening hours: when calls happen again (epoch ms). */
  callsFrom: number | null;
}

/** A callback as counsellors see it. `phone` only for the counsellor who claimed it, while they have it. */
export interface CallbackDto {
  id: string;
  conversationId: string;
  status: CallbackStatus;
  outcome: CallbackEnd | null;
  attempts: number;
  /** The outcome of the last attempt (`not_reached` after an attempt that did not reach them). */
  lastAttempt: CallbackOutcome | null;
  language: string;
  windows: CallbackWindowDto[];
  /** The visitor's time zone. */
  timeZone: string;
  /** See callbackDueAt (at the time the list was made). */
  dueAt: number;
  topic: string | null;
  agentId: string | null;
  agentName: string | null;
  createdAt: number;
  claimedAt: number | null;
  closedAt: number | null;
  callsFrom: number | null;
  /** E.164, only to the counsellor who claimed it. */
  phone: string | null;
  /** The number as written internationally ("+49 170 5550199"), same rule. */
  phoneDisplay: string | null;
  /** The counsellor's note (the claimer, the counsellor who recorded it, admins). */
  note: string | null;
}

export interface CallbackListResponse { callbacks: CallbackDto[] }
export interface CallbackResponse { callback: CallbackDto }
