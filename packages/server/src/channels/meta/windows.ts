// When Meta lets a business answer (pure; `now` comes from the caller so tests need no clock).
// WhatsApp: free-form messages only within 24 hours of the person's last message, afterwards only an
// approved template. Messenger and Instagram: 24 hours as a normal response, up to 7 days with the
// HUMAN_AGENT tag (a person answering, never automation), closed afterwards until the person writes.

export const HOUR_MS = 3_600_000;
export const STANDARD_WINDOW_MS = 24 * HOUR_MS;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR_MS;

export function whatsappWindowOpen(lastInboundAt: number | null, now: number): boolean {
  return lastInboundAt !== null && now - lastInboundAt < STANDARD_WINDOW_MS;
}

/** How a Messenger/Instagram reply may go out now: `messaging_type` RESPONSE, the HUMAN_AGENT tag, or not at all. */
export type MessagingMode = 'response' | 'human-agent' | 'closed';

export function messagingMode(lastInboundAt: number | null, now: number): MessagingMode {
  if (lastInboundAt === null) return 'closed';
  const since = now - lastInboundAt;
  if (since < STANDARD_WINDOW_MS) return 'response';
  if (since < HUMAN_AGENT_WINDOW_MS) return 'human-agent';
  return 'closed';
}
