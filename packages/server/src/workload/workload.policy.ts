import type { ErrorCode } from '@direturn/protocol';
import type { AgentStatusRow } from './workload.table.js';

/** A counsellor counts as connected when a process saw them within this (processes refresh every 30 s). */
export const ONLINE_WINDOW_MS = 75_000;

export const isOnline = (lastSeenAt: number | string | null | undefined, now: number): boolean => lastSeenAt != null && Number(lastSeenAt) >= now - ONLINE_WINDOW_MS;

/**
 * May this counsellor take one more conversation? `self`: they take it themselves (claim) and must be
 * available; a handover's target must also be connected. Supervisors may override the load limit.
 * @returns the refusal's code, or null.
 */
export function takeRefusal(
  status: Pick<AgentStatusRow, 'availability' | 'last_seen_at' | 'max_parallel'> | undefined,
  holding: number,
  defaultMax: number,
  now: number,
  how: { by: 'self' | 'colleague' | 'supervisor' },
): Extract<ErrorCode, 'agent_away' | 'agent_unavailable' | 'at_capacity'> | null {
  const away = status?.availability === 'away';
  if (how.by === 'self') {
    if (away) return 'agent_away';
  } else if (away || !isOnline(status?.last_seen_at, now)) {
    return 'agent_unavailable';
  }
  if (how.by !== 'supervisor' && holding >= (status?.max_parallel ?? defaultMax)) return 'at_capacity';
  return null;
}
