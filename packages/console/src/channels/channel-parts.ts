/**
 * What the conversation view shows of channels: the badge of a channel conversation, the
 * delivery state of a reply, and the attachments a person sent (type and size only). Templates,
 * styled by `channelPartsStyles` in the view that renders them.
 */
import type { ConversationSummaryDto, MessageAttachmentDto, MessageDeliveryDto } from '@direturn/protocol';
import { css, html, nothing } from 'lit';
import { t, uiLanguage } from '../i18n/i18n.js';
import { fullDateTime } from '../shared/format.js';

const ATTACHMENT_TYPES = new Set(['image', 'document', 'audio', 'voice', 'video', 'sticker', 'location', 'contact']);

/** "Telegram · Rückkehr-Bot" on a conversation that came through a channel; nothing for the widget. */
export function channelBadge(c: Pick<ConversationSummaryDto, 'channel' | 'channelAccountName'>) {
  if (c.channel === 'widget') return nothing;
  const kind = t(`channels.kinds.${c.channel}`);
  return html`<span class="channel-badge" part="channel-badge" data-channel=${c.channel}
    >${kind}${c.channelAccountName ? html` · <bdi>${c.channelAccountName}</bdi>` : nothing}</span
  >`;
}

/** A widget conversation whose visitor hears by e-mail that a reply waits: only that it is on, never the address. */
export function replyNoticeBadge(c: Pick<ConversationSummaryDto, 'replyNotice'>) {
  return c.replyNotice ? html`<span class="channel-badge" part="reply-notice-badge" title=${t('channels.replyNoticeHint')}>${t('channels.replyNotice')}</span>` : nothing;
}

/** "536 kB", "3.9 MB" in the interface language (decimal units, as Intl names them). */
export function fileSize(bytes: number, lng = uiLanguage()): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(lng === 'sr' ? 'sr-Latn' : lng, { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: unit >= 2 ? 1 : 0 }).format(value);
}

/** The attachments of a person's message: that they arrived, of which type and size, and that they were not kept. */
export function attachmentsNote(attachments: readonly MessageAttachmentDto[] | undefined) {
  if (!attachments?.length) return nothing;
  return html`<ul class="attachments" part="attachments">
    ${attachments.map((a) => {
      const type = t(`channels.attachments.types.${ATTACHMENT_TYPES.has(a.type) ? a.type : 'other'}`);
      return html`<li>${a.size !== undefined ? t('channels.attachments.withSize', { type, size: fileSize(a.size) }) : t('channels.attachments.withoutSize', { type })}</li>`;
    })}
    <li class="told">${t('channels.attachments.told')}</li>
  </ul>`;
}

/** Where a reply on a channel is: queued (with the last failed attempt), sent, delivered, read, or failed with the reason. */
export function deliveryState(d: MessageDeliveryDto) {
  const when = fullDateTime(d.updatedAt, uiLanguage());
  const label = t(`channels.delivery.${d.status}`);
  const reason = d.reason ? (d.status === 'failed' ? t('channels.delivery.reason', { reason: d.reason }) : t('channels.delivery.retrying', { reason: d.reason })) : '';
  return html`<span class="state delivery ${d.status}" part="delivery" data-delivery=${d.status} title=${when}
    >${label}${reason ? html`<span class="reason"> · <bdi>${reason}</bdi></span>` : nothing}</span
  >`;
}

export const channelPartsStyles = css`
  .channel-badge {
    display: inline-block;
    padding-inline: 0.5rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
    font-size: 0.75rem;
    font-weight: 600;
    background: var(--_surface-alt, var(--_surface));
    color: var(--_text);
  }
  .attachments {
    list-style: none;
    margin: 0.25rem 0 0;
    padding: 0.25rem 0.5rem;
    border-inline-start: 3px solid var(--_border);
    font-size: 0.8125rem;
    color: var(--_muted);
  }
  .attachments li {
    max-inline-size: none;
    border: none;
    padding: 0;
    background: transparent;
  }
  .state.delivery.delivered,
  .state.delivery.read {
    color: var(--_success);
  }
  .state.delivery.failed {
    color: var(--_danger);
    font-weight: 600;
  }
`;
