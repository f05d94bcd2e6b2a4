import type { Selectable } from 'kysely';
import type { ChannelDeliveryStatus } from '@direturn/protocol';
import type { ChannelKind } from './channel.js';

/** A connected provider account; `secrets` sealed (AAD `channel-secrets:<id>`), `settings` JSON. */
export interface ChannelAccountTable {
  id: string;
  kind: ChannelKind;
  name: string;
  site_id: string;
  status: 'active' | 'paused';
  settings: string;
  secrets: string;
  created_at: number;
  updated_at: number;
  last_event_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
}
export type ChannelAccountRow = Selectable<ChannelAccountTable>;

/** A provider message id handled once per account; the message it became (null: none, or deleted since). */
export interface ChannelInboundTable {
  account_id: string;
  provider_message_id: string;
  conversation_id: string | null;
  message_id: string | null;
  created_at: number;
}

/** Delivery of one outgoing message on its channel. */
export interface ChannelDeliveryTable {
  message_id: string;
  conversation_id: string;
  account_id: string;
  status: ChannelDeliveryStatus;
  /** Why it failed, in words (no personal data). */
  reason: string | null;
  provider_message_id: string | null;
  created_at: number;
  updated_at: number;
}
export type ChannelDeliveryRow = Selectable<ChannelDeliveryTable>;

/** A provider's status for a message id not known yet (it arrived before the send's answer). */
export interface ChannelEarlyStatusTable {
  account_id: string;
  provider_message_id: string;
  status: Exclude<ChannelDeliveryStatus, 'queued'>;
  reason: string | null;
  at: number;
  created_at: number;
}
