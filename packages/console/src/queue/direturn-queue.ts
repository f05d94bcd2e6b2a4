import { LANGUAGES, queueRank, type ConversationSummaryDto } from '@direturn/protocol';
import { channelBadge, channelPartsStyles } from '../channels/channel-parts.js';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ClaimEvent } from '../events/events.js';
import { I18nController, messageParts, t, uiLanguage } from '../i18n/i18n.js';
import { ClockController } from '../shared/clock.js';
import { formatNumber, fullDateTime, hostAndPath, nativeLanguageName, relativeTime } from '../shared/format.js';
import { address, languageName } from '../shared/bidi.js';
import { buttons, tokens } from '../shared/styles.js';

/** A "Label: value" message of which only the value is shown; the label is for screen readers. */
function labelled(key: string, slot: string, value: unknown) {
  return messageParts(key, [slot]).map((part) => ('text' in part ? html`<span class="visually-hidden">${part.text}</span>` : value));
}

/**
 * @summary Live list of conversations waiting for a counsellor, from every partner site. Those in
 * the agent's languages come first; the agent can show one language only.
 *
 * @fires direturn-claim - The agent pressed "Claim"; `event.conversationId` names the conversation.
 *
 * @csspart list - The list of waiting conversations.
 * @csspart item - One waiting conversation.
 * @csspart claim - The claim button of an item.
 * @csspart empty - The text shown when nobody is waiting.
 * @csspart filter - The language filter.
 *
 * @cssprop --direturn-surface - Background of an item.
 * @cssprop --direturn-border - Border colour of items.
 * @cssprop --direturn-accent - Colour of the claim button.
 */
@customElement('direturn-queue')
export class DireturnQueue extends LitElement {
  static override styles = [
    tokens,
    buttons,
    channelPartsStyles,
    css`
      :host {
        display: block;
      }
      h2 {
        font-size: 1rem;
        margin-block: 0 var(--_space);
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      .count {
        background: var(--_accent);
        color: var(--_accent-text);
        border-radius: 999px;
        font-size: 0.8125rem;
        padding-inline: 0.5rem;
        min-inline-size: 1.5rem;
        text-align: center;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.5rem;
      }
      li {
        background: var(--_surface);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space);
        display: grid;
        gap: 0.35rem;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
        font-size: 0.8125rem;
        color: var(--_muted);
      }
      .site {
        font-weight: 600;
        color: var(--_text);
      }
      .page {
        overflow-wrap: anywhere;
      }
      .first {
        margin: 0;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        display: -webkit-box;
        -webkit-line-clamp: 3;
        -webkit-box-orient: vertical;
        overflow: hidden;
      }
      .actions {
        display: flex;
        justify-content: flex-end;
      }
      .empty {
        color: var(--_muted);
        margin: 0;
      }
      .filter {
        display: flex;
        align-items: center;
        gap: 0.35rem;
        font-size: 0.875rem;
        margin-block-end: var(--_space);
      }
      select {
        font: inherit;
        padding-block: 0.25rem;
        border-radius: var(--_radius);
        border: 1px solid var(--_muted);
        background: var(--_surface);
        color: var(--_text);
      }
      .yours {
        font-weight: 600;
        color: var(--_text);
      }
    `,
  ];

  /** Waiting conversations, oldest first. */
  @property({ attribute: false }) conversations: ConversationSummaryDto[] = [];

  /** Languages the signed-in agent speaks: their conversations are listed first. */
  @property({ attribute: false }) agentLanguages: readonly string[] = [];

  /** Federal states the agent covers: orientation cases from there come first (after language). */
  @property({ attribute: false }) agentRegions: readonly string[] = [];

  /** Language the agent filters by ('' = all). */
  @state() languageFilter = '';

  /** Ids whose claim request is under way; their buttons are disabled. */
  @property({ attribute: false }) claiming: ReadonlySet<string> = new Set();

  private readonly i18n = new I18nController(this);
  private readonly clock = new ClockController(this);

  /** The conversations shown: filtered by language, the agent's languages (and regions) first, else oldest first. */
  get visibleConversations(): ConversationSummaryDto[] {
    // the server's rule: language and region, then language, then region, each oldest first
    const agent = { languages: this.agentLanguages, regions: this.agentRegions };
    const mine = (c: ConversationSummaryDto) => queueRank(c, agent);
    return this.conversations
      .filter((c) => !this.languageFilter || c.language === this.languageFilter)
      .map((c, i) => [c, i] as const)
      .sort(([a, i], [b, j]) => mine(a) - mine(b) || i - j)
      .map(([c]) => c);
  }

  override render() {
    const lng = uiLanguage();
    const now = Math.max(this.clock.now, Date.now());
    const shown = this.visibleConversations;
    // the languages waiting, plus the chosen one so the select never loses its value
    const languages = LANGUAGES.filter((l) => l.code === this.languageFilter || this.conversations.some((c) => c.language === l.code));
    return html`
      <section aria-labelledby="queue-title">
        <h2 id="queue-title">
          ${t('queue.title')}
          <span class="count" aria-hidden="true">${formatNumber(this.conversations.length, lng)}</span>
          <span class="visually-hidden">${t('queue.count', { count: this.conversations.length })}</span>
        </h2>
        ${this.conversations.length || this.languageFilter
          ? html`<label class="filter">
              ${t('queue.filter')}
              <select part="filter" @change=${(e: Event) => (this.languageFilter = (e.target as HTMLSelectElement).value)}>
                <option value="" ?selected=${!this.languageFilter}>${t('queue.allLanguages')}</option>
                ${languages.map(
                  (l) => html`<option value=${l.code} lang=${l.code} ?selected=${l.code === this.languageFilter}>
                    ${t('queue.filterOption', { language: l.nativeName, count: this.conversations.filter((c) => c.language === l.code).length })}
                  </option>`,
                )}
              </select>
            </label>`
          : nothing}
        ${shown.length === 0
          ? html`<p class="empty" part="empty">${t(this.conversations.length ? 'queue.filteredEmpty' : 'queue.empty')}</p>`
          : html`<ul part="list">
              ${repeat(
                shown,
                (c) => c.id,
                (c) => this.renderItem(c, now, lng),
              )}
            </ul>`}
      </section>
    `;
  }

  private renderItem(c: ConversationSummaryDto, now: number, lng: string) {
    const page = hostAndPath(c.pageUrl);
    const titleId = `q-${c.id}`;
    return html`
      <li part="item" aria-labelledby=${titleId}>
        <div class="meta">
          <span class="site" id=${titleId} dir="auto">${c.siteName}</span>
          ${channelBadge(c)}
          <span>${labelled('queue.languageLabel', 'language', languageName(c.language))}</span>
          ${this.agentLanguages.includes(c.language) ? html`<span class="yours">${t('queue.inYourLanguage')}</span>` : nothing}
          <time datetime=${new Date(c.createdAt).toISOString()} title=${fullDateTime(c.createdAt, lng)}>
            ${t('queue.waiting', { time: relativeTime(c.createdAt, now, lng) })}
          </time>
        </div>
        ${page ? html`<div class="meta page">${labelled('queue.pageLabel', 'page', address(page))}</div>` : nothing}
        ${c.firstMessage
          ? html`<p class="first" dir="auto" lang=${c.language}>${c.firstMessage}</p>`
          : html`<p class="first empty">${t('queue.noMessage')}</p>`}
        <div class="actions">
          <button
            part="claim"
            type="button"
            ?disabled=${this.claiming.has(c.id)}
            aria-describedby=${titleId}
            @click=${() => this.dispatchEvent(new ClaimEvent(c.id))}
          >
            ${t('queue.claim')}
          </button>
        </div>
      </li>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-queue': DireturnQueue;
  }
}
