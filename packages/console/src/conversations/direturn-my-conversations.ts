import type { ConversationSummaryDto } from '@direturn/protocol';
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { OpenConversationEvent } from '../events/events.js';
import { I18nController, t, tSlots, uiLanguage } from '../i18n/i18n.js';
import { ClockController } from '../shared/clock.js';
import { address, languageName } from '../shared/bidi.js';
import { formatNumber, hostAndPath, relativeTime } from '../shared/format.js';
import { tokens } from '../shared/styles.js';

/**
 * @summary The signed-in counsellor's active conversations, with unread counts and typing hints.
 *
 * @fires direturn-open-conversation - The agent picked a conversation; `event.conversationId` names it.
 *
 * @csspart list - The list of conversations.
 * @csspart item - The button of one conversation.
 * @csspart unread - The unread badge of a conversation.
 * @csspart empty - The text shown when the agent has no active conversation.
 * @csspart last-message - The latest message of a conversation (visitor's or counsellor's).
 *
 * @cssprop --direturn-surface - Background of an item.
 * @cssprop --direturn-accent - Colour of the selected item's border and the unread badge.
 * @cssprop --direturn-accent-soft - Background of the selected item.
 */
@customElement('direturn-my-conversations')
export class DireturnMyConversations extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: block;
      }
      h2 {
        font-size: 1rem;
        margin-block: 0 var(--_space);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.5rem;
      }
      button {
        font: inherit;
        color: inherit;
        inline-size: 100%;
        text-align: start;
        background: var(--_surface);
        border: 1px solid var(--_border);
        border-inline-start: 4px solid var(--_border);
        border-radius: var(--_radius);
        padding: 0.6rem var(--_space);
        cursor: pointer;
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0.2rem 0.5rem;
      }
      button[aria-current='true'] {
        background: var(--_accent-soft);
        border-inline-start-color: var(--_accent);
      }
      .site {
        font-weight: 600;
      }
      .meta {
        grid-column: 1 / -1;
        font-size: 0.8125rem;
        color: var(--_muted);
        overflow-wrap: anywhere;
      }
      .last {
        display: -webkit-box;
        -webkit-line-clamp: 2;
        -webkit-box-orient: vertical;
        overflow: hidden;
        color: var(--_text);
      }
      .unread {
        align-self: start;
        background: var(--_accent);
        color: var(--_accent-text);
        border-radius: 999px;
        font-size: 0.8125rem;
        font-weight: 600;
        padding-inline: 0.5rem;
        min-inline-size: 1.5rem;
        text-align: center;
      }
      .typing {
        font-style: italic;
      }
      .empty {
        color: var(--_muted);
        margin: 0;
      }
    `,
  ];

  @property({ attribute: false }) conversations: ConversationSummaryDto[] = [];

  /** Id of the conversation shown in the main view. */
  @property({ attribute: false }) selectedId: string | null = null;

  /** Ids of conversations whose visitor is typing right now. */
  @property({ attribute: false }) typing: ReadonlySet<string> = new Set();

  private readonly i18n = new I18nController(this);
  private readonly clock = new ClockController(this, 30_000);

  override render() {
    const lng = uiLanguage();
    const now = Math.max(this.clock.now, Date.now());
    return html`
      <section aria-labelledby="mine-title">
        <h2 id="mine-title">${t('mine.title')}</h2>
        ${this.conversations.length === 0
          ? html`<p class="empty" part="empty">${t('mine.empty')}</p>`
          : html`<ul part="list">
              ${repeat(
                this.conversations,
                (c) => c.id,
                (c) => html`<li>
                  <button
                    part="item"
                    type="button"
                    aria-current=${this.selectedId === c.id ? 'true' : 'false'}
                    @click=${() => this.dispatchEvent(new OpenConversationEvent(c.id))}
                  >
                    <span class="site"
                      >${c.pseudonym ? html`<bdi>${c.pseudonym}</bdi> · ` : ''}<bdi>${c.siteName}</bdi></span
                    >
                    ${c.unread > 0
                      ? html`<span class="unread" part="unread"
                          ><span aria-hidden="true">${formatNumber(c.unread, lng)}</span
                          ><span class="visually-hidden">${t('mine.unread', { count: c.unread })}</span></span
                        >`
                      : html`<span></span>`}
                    <span class="meta"
                      >${tSlots('mine.languageAndPage', {
                        language: languageName(c.language),
                        page: hostAndPath(c.pageUrl) ? address(hostAndPath(c.pageUrl)) : t('conversation.unknownPage'),
                      })}</span
                    >
                    ${c.lastMessage ? html`<span class="meta last" part="last-message" dir="auto">${c.lastMessage}</span>` : ''}
                    <span class="meta ${this.typing.has(c.id) ? 'typing' : ''}">
                      ${this.typing.has(c.id)
                        ? t('conversation.visitorTyping')
                        : t('mine.lastActivity', { time: relativeTime(c.lastMessageAt ?? c.claimedAt ?? c.createdAt, now, lng) })}
                    </span>
                  </button>
                </li>`,
              )}
            </ul>`}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-my-conversations': DireturnMyConversations;
  }
}
