// Reply windows (issue 15): when a channel lets a counsellor answer with free text, and what may be
// sent when it does not (WhatsApp's approved templates). The console asks when a conversation opens.

import type { ChannelKind } from './channels.js';
import type { MessageDto } from './model.js';

/** The provider's rule: WhatsApp's 24 hours; Messenger/Instagram's 7 days with the HUMAN_AGENT tag. */
export type ReplyWindowRule = 'whatsapp-24h' | 'meta-7d-human-agent';

/** An approved template an account may send outside the window (name and language as approved at Meta). */
export interface ChannelTemplateDto {
  name: string;
  language: string;
}

export interface ReplyWindowDto {
  kind: ChannelKind;
  /** Free text can be sent now. */
  open: boolean;
  rule: ReplyWindowRule;
  /** When it closes (open) or closed (ms); null when the person never wrote. */
  closesAt: number | null;
  /** What can be sent while it is closed (empty: nothing until the person writes again). */
  templates: ChannelTemplateDto[];
}

/** `GET /api/conversations/:id/reply-window`: null for conversations whose channel has no window (widget, Telegram, e-mail). */
export interface ReplyWindowResponse {
  window: ReplyWindowDto | null;
}

/** `POST /api/conversations/:id/template`: a counsellor sends an approved template. */
export interface ChannelTemplateSend {
  clientId: string;
  name: string;
  language: string;
}

export interface ChannelTemplateSendResponse {
  message: MessageDto;
}

/** How long each rule keeps the window open after the person's last message. */
export const REPLY_WINDOW_MS: Record<ReplyWindowRule, number> = {
  'whatsapp-24h': 24 * 3_600_000,
  'meta-7d-human-agent': 7 * 24 * 3_600_000,
};
