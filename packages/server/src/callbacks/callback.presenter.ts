import { callbackDueAt, type CallbackDto, type CallbackWindowDto, type VisitorCallbackDto } from '@direturn/protocol';
import type { CallbackWithNames } from './callback.repository.js';

const windowsOf = (r: Pick<CallbackWithNames, 'windows'>): CallbackWindowDto[] => JSON.parse(r.windows) as CallbackWindowDto[];

/** The console's view; `open` carries what this agent may see decrypted (the number, topic, note), null otherwise. */
export function toCallbackDto(r: CallbackWithNames, open: { phone: string | null; phoneDisplay: string | null; topic: string | null; note: string | null }, now = Date.now()): CallbackDto {
  const windows = windowsOf(r);
  return {
    id: r.id,
    conversationId: r.conversation_id,
    status: r.status,
    outcome: r.outcome,
    attempts: Number(r.attempts),
    lastAttempt: r.last_attempt,
    language: r.language,
    windows,
    timeZone: r.time_zone,
    dueAt: callbackDueAt(windows, now),
    topic: open.topic,
    agentId: r.agent_id,
    agentName: r.agent_name,
    createdAt: Number(r.created_at),
    claimedAt: r.claimed_at === null ? null : Number(r.claimed_at),
    closedAt: r.closed_at === null ? null : Number(r.closed_at),
    callsFrom: r.calls_from === null ? null : Number(r.calls_from),
    phone: open.phone,
    phoneDisplay: open.phoneDisplay,
    note: open.note,
  };
}

export function toVisitorCallbackDto(r: CallbackWithNames): VisitorCallbackDto {
  return {
    id: r.id,
    status: r.status,
    outcome: r.outcome,
    attempts: Number(r.attempts),
    language: r.language,
    windows: windowsOf(r),
    timeZone: r.time_zone,
    createdAt: Number(r.created_at),
    handledAt: r.closed_at === null ? null : Number(r.closed_at),
    callsFrom: r.calls_from === null ? null : Number(r.calls_from),
  };
}
