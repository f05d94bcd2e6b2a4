// Temporary: the channel port as docs (notes for issue 15) define it, until branch channels-core's
// channels/channel.ts is merged; then this file only re-exports from '../channel.js'.
import { PermanentFailure } from '../../outbox/outbox.service.js';

export { PermanentFailure };

/** A provider asked us to wait (429): try again after `retryAfterMs`. */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export type ChannelKind = 'email' | 'telegram' | 'whatsapp' | 'messenger' | 'instagram';

export interface ChannelAccount {
  id: string;
  kind: ChannelKind;
  name: string;
  siteId: string;
  status: 'active' | 'paused';
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

export interface InboundAttachment {
  type: string;
  size?: number;
}

export interface InboundMessage {
  accountId: string;
  providerMessageId: string;
  contact: string;
  text: string;
  attachments: InboundAttachment[];
  languageHint?: string;
  sentAt: number;
  thread?: Record<string, string>;
  conversationHint?: string;
}

export interface DeliveryStatusEvent {
  accountId: string;
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  reason?: string;
  at: number;
}

export interface ChannelInbox {
  receive(message: InboundMessage): Promise<{ conversationId: string; messageId: string; duplicate: boolean }>;
  status(event: DeliveryStatusEvent): Promise<void>;
  recordEvent(accountId: string): Promise<void>;
  recordError(accountId: string, error: string): Promise<void>;
}

export interface OutboundMessage {
  conversationId: string;
  messageId: string;
  contact: string;
  text: string;
  language: string;
  lastInboundAt: number | null;
  thread?: Record<string, string>;
  template?: { name: string; language: string };
}

export interface ChannelAdapter {
  readonly kind: ChannelKind;
  send(account: ChannelAccount, message: OutboundMessage): Promise<{ providerMessageId: string }>;
  replyWindow?(message: Pick<OutboundMessage, 'lastInboundAt'>, now: number): { open: boolean; rule?: 'whatsapp-24h' | 'meta-7d-human-agent' };
}
