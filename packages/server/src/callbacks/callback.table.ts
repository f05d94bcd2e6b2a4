import type { Selectable } from 'kysely';
import type { CallbackEnd, CallbackOutcome, CallbackStatus } from '@direturn/protocol';

export interface CallbackTable {
  id: string;
  conversation_id: string;
  /** The widget's id of the request: a resend is answered, not stored twice. */
  request_id: string;
  status: CallbackStatus;
  /** How it ended (closed only). */
  outcome: CallbackEnd | null;
  /** The outcome of the last call (`not_reached` keeps the request open). */
  last_attempt: CallbackOutcome | null;
  attempts: number;
  /** The number in E.164, sealed (aad `callback-phone:<id>`); null once the callback is done or retention took it. */
  phone: string | null;
  language: string;
  /** CallbackWindowDto[] as JSON (epoch ms). */
  windows: string;
  time_zone: string;
  /** The start of the first window (the list's order). */
  due_at: number;
  /** Retention counts its days from here. */
  last_window_end: number;
  /** What the visitor wants to talk about, sealed (aad `callback-topic:<id>`); goes with the number. */
  topic: string | null;
  /** The counsellor's note, sealed (aad `callback-note:<id>`); goes with the conversation. */
  note: string | null;
  /** Who has it (claimed), or who finished it (closed). */
  agent_id: string | null;
  created_at: number;
  claimed_at: number | null;
  closed_at: number | null;
  /** Asked outside the site's opening hours: when they open again. */
  calls_from: number | null;
}
export type CallbackRow = Selectable<CallbackTable>;
