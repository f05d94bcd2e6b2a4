/**
 * postMessage protocol between the host element in the partner page and the chat frame on the
 * DiReturn origin. Deliberately narrow: no message text ever crosses it, so nothing the visitor
 * writes or reads can reach the partner page's scripts. Both sides post to an explicit origin and
 * check `event.origin` and `event.source` on every message they receive.
 */
import type { LanguageCode } from './languages.js';
import type { CallMedia } from './calls.js';

export const BRIDGE_VERSION = 1;

export type HostToFrame =
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'set-language'; language: LanguageCode };

export type ConnectionState = 'connecting' | 'online' | 'offline';

export type FrameToHost =
  | { type: 'ready' }
  /** The visitor asked to close (close button or Escape inside the frame). */
  | { type: 'request-close' }
  /** Counsellor messages the visitor has not seen; drives the launcher badge. */
  | { type: 'unread'; count: number }
  | { type: 'language'; language: LanguageCode }
  /**
   * The visitor accepted a call: the host grants the frame microphone (and, for video, camera) in
   * its `allow` attribute and loads it again (the browser reads `allow` when the frame navigates),
   * with `call=<media>.<callId>` added to its address so the chat goes on with the call.
   */
  | { type: 'call'; callId: string; media: CallMedia };

export interface BridgeEnvelope<T> { direturn: typeof BRIDGE_VERSION; payload: T }

export function envelope<T>(payload: T): BridgeEnvelope<T> {
  return { direturn: BRIDGE_VERSION, payload };
}

/** Narrow an untrusted `event.data` to an envelope; the payload's fields are checked by the receiver. */
export function openEnvelope(data: unknown): { type: string; [key: string]: unknown } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const env = data as Partial<BridgeEnvelope<unknown>>;
  if (env.direturn !== BRIDGE_VERSION) return undefined;
  const payload = env.payload as { type?: unknown } | undefined;
  if (typeof payload !== 'object' || payload === null || typeof payload.type !== 'string') return undefined;
  return payload as { type: string };
}
