/**
 * Constants both clients and the server share for the WebSocket endpoints: close codes and
 * timings. One place, so the widget, the console and the server cannot drift apart.
 */

/** Close codes of `/ws/visitor` and `/ws/agent` (docs/api.md). */
export const CLOSE_CODES = {
  normal: 1000,
  /** Client side: no pong in time, the connection is dropped and reopened. */
  pongTimeout: 4000,
  /** Agent: the session ended (logout elsewhere, revoked, agent disabled, role changed). No reconnect. */
  sessionEnded: 4401,
  /** Visitor: site or origin refused (no retry). Agent: two-factor enrolment required first. */
  refused: 4403,
  /** Visitor: no `hello` in time. */
  helloExpected: 4408,
  /** Visitor: they continued on another device with their resume code; this token is void. */
  resumedElsewhere: 4409,
  /** Visitor: their data was deleted; the widget forgets its token. */
  deleted: 4410,
  /** Too many connections from this site or client; retry after the announced wait. */
  rateLimited: 4429,
} as const;

/**
 * Typing indicators. A typing sender repeats `active: true` every `repeatMs` while the text keeps
 * changing and sends `active: false` after `idleMs` without a keystroke (or on send). A receiver
 * hides the indicator `expiryMs` after the last `active: true`, in case the stop frame was lost
 * (socket gone, tab closed): 8 s is more than two repeats, so a live typist never flickers,
 * while a stale "is typing" disappears soon. (The widget used 15 s and the console 8 s.)
 */
export const TYPING = {
  repeatMs: 3_000,
  idleMs: 4_000,
  expiryMs: 8_000,
} as const;

/** Application-level keep-alive of both clients. */
export const KEEPALIVE = {
  /** A ping after this long without one. */
  pingIntervalMs: 25_000,
  /** A connection silent this long after a ping (or after opening) is dead. */
  deadAfterMs: 10_000,
} as const;
