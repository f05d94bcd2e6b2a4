import { LIMITS, languageDirection, type ConversationSummaryDto, type KbSearchHitDto, type MessageDto } from '@direturn/protocol';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { BackToListEvent, CloseConversationEvent, DeleteConversationEvent, ExportConversationEvent, SendEvent, TypingEvent } from '../events/events.js';
import { I18nController, t, tSlots, uiLanguage } from '../i18n/i18n.js';
import { clockTime, fullDateTime, hostAndPath, nativeLanguageName } from '../shared/format.js';
import { address } from '../shared/bidi.js';
import { buttons, tokens } from '../shared/styles.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import '../referrals/direturn-conversation-referrals.js';
import '../orientation/direturn-case-summary.js';
import { postcodeFrom } from '../referrals/referral-updates.js';
import type { Drafts } from './drafts.js';
import '../saved-replies/direturn-reply-picker.js';
import type { ReplyInsertEvent } from '../saved-replies/events.js';
import { insertIntoDraft, insertionNotice, isReplyShortcut, REPLY_SHORTCUT } from '../saved-replies/composer.js';
import { attachmentsNote, channelBadge, replyNoticeBadge, channelPartsStyles, deliveryState } from '../channels/channel-parts.js';
import './direturn-language-correction.js';
import '../reply-window/direturn-reply-window.js';
import type { ReplyWindowEvent } from '../reply-window/direturn-reply-window.js';
import { callRecordText } from '../call/call-record.js';

/** A reply the server has not acknowledged yet. */
export interface OutgoingMessage {
  clientId: string;
  body: string;
  createdAt: number;
  /** `failed` when the server refused it (e.g. the conversation was closed meanwhile). */
  state: 'sending' | 'failed';
}

export type OwnMessageState = 'sending' | 'sent' | 'read' | 'failed';

/** State of an agent message: read once the visitor's read mark reaches its seq. */
export function ownMessageState(message: MessageDto, visitorReadSeq: number): OwnMessageState {
  return message.seq <= visitorReadSeq ? 'read' : 'sent';
}

const TYPING_IDLE_MS = 4_000;
const TYPING_REPEAT_MS = 3_000;

/**
 * @summary One conversation: header, message history, visitor typing hint, reply composer, close.
 *
 * Message bodies are rendered as text only (Lit text bindings) with `dir="auto"`, so markup a
 * visitor types is shown literally and right-to-left scripts lay themselves out.
 *
 * @fires direturn-send - The agent sent a reply; carries `conversationId` and `body`.
 * @fires direturn-typing - The agent started or stopped typing; carries `conversationId` and `active`.
 * @fires direturn-close-conversation - The agent confirmed closing the conversation.
 * @fires direturn-back-to-list - The agent wants the lists again (narrow layouts).
 * @fires direturn-export-conversation - The agent asked to download the conversation as JSON.
 * @fires direturn-delete-conversation - An admin confirmed deleting the conversation for good.
 *
 * @csspart header - The conversation header.
 * @csspart history - The scrollable message history.
 * @csspart message - One message (also `message-visitor`, `message-agent`, `message-system`).
 * @csspart typing - The visitor typing indicator.
 * @csspart composer - The reply form.
 * @csspart close - The close conversation button.
 * @csspart export - The export (download) button.
 * @csspart delete - The delete button (admins only).
 * @csspart delete-at - When a closed conversation will be deleted.
 *
 * @cssprop --direturn-surface - Background of the view.
 * @cssprop --direturn-surface-alt - Background of visitor messages.
 * @cssprop --direturn-accent-soft - Background of the counsellor's messages.
 * @cssprop --direturn-accent - Colour of the send button.
 */
@customElement('direturn-conversation-view')
export class DireturnConversationView extends LitElement {
  static override styles = [
    tokens,
    buttons,
    channelPartsStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-block-size: 0;
        block-size: 100%;
        background: var(--_surface);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem var(--_space);
        padding: var(--_space);
        border-block-end: 1px solid var(--_border);
      }
      header .referrals {
        flex: 1 1 100%;
      }
      header .info {
        flex: 1 1 12rem;
        min-inline-size: 0;
      }
      h2 {
        margin: 0;
        font-size: 1.125rem;
      }
      .details {
        margin: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0 1rem;
        font-size: 0.8125rem;
        color: var(--_muted);
      }
      .details div {
        display: flex;
        gap: 0.25rem;
        min-inline-size: 0;
      }
      .details dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .back {
        display: none;
      }
      .confirm,
      .header-actions {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
      }
      .history {
        flex: 1 1 auto;
        overflow-y: auto;
        padding: var(--_space);
        background: var(--_bg);
        min-block-size: 8rem;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-direction: column;
        gap: 0.6rem;
      }
      li {
        max-inline-size: min(42rem, 85%);
        border-radius: var(--_radius);
        padding: 0.5rem 0.75rem;
        border: 1px solid var(--_border);
      }
      li.visitor {
        align-self: flex-start;
        background: var(--_surface);
      }
      li.agent {
        align-self: flex-end;
        background: var(--_accent-soft);
      }
      li.system {
        align-self: center;
        background: transparent;
        border: none;
        color: var(--_muted);
        font-size: 0.8125rem;
        text-align: center;
      }
      li.failed {
        border-color: var(--_danger);
      }
      .byline {
        display: flex;
        flex-wrap: wrap;
        gap: 0 0.5rem;
        font-size: 0.75rem;
        color: var(--_muted);
        margin-block-end: 0.2rem;
      }
      .author {
        font-weight: 600;
      }
      .context {
        margin: 0 0 0.25rem;
        font-size: 0.8125rem;
        color: var(--_text-muted);
      }
      .lookup {
        font-size: 0.875rem;
      }
      .lookup-row {
        display: flex;
        gap: 0.5rem;
      }
      .lookup ul {
        padding-inline-start: 1rem;
      }
      .body {
        margin: 0;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .state {
        display: block;
        text-align: end;
        font-size: 0.75rem;
        color: var(--_muted);
        margin-block-start: 0.2rem;
      }
      .state.failed {
        color: var(--_danger);
      }
      .state.read {
        color: var(--_success);
      }
      .typing {
        min-block-size: 1.5rem;
        padding-inline: var(--_space);
        font-size: 0.8125rem;
        font-style: italic;
        color: var(--_muted);
      }
      form {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0.5rem;
        align-items: end;
        padding: var(--_space);
        border-block-start: 1px solid var(--_border);
      }
      form label {
        grid-column: 1 / -1;
        font-weight: 600;
        font-size: 0.875rem;
      }
      textarea {
        font: inherit;
        resize: vertical;
        min-block-size: 4.5rem;
        max-block-size: 40vh;
        padding: 0.5rem;
        border: 1px solid var(--_muted);
        border-radius: var(--_radius);
        background: var(--_surface);
        color: var(--_text);
      }
      .hint {
        grid-column: 1 / -1;
        margin: 0;
        font-size: 0.75rem;
        color: var(--_muted);
      }
      .closed-note,
      .empty {
        padding: var(--_space);
        color: var(--_muted);
        margin: 0;
      }
      .empty-state {
        display: grid;
        place-content: center;
        text-align: center;
        block-size: 100%;
        padding: calc(var(--_space) * 2);
        color: var(--_muted);
      }
      .empty-state h2 {
        color: var(--_text);
      }
      @media (max-width: 56rem) {
        .back {
          display: inline-flex;
        }
      }
    `,
  ];

  @property({ attribute: false }) conversation: ConversationSummaryDto | null = null;

  /** Persisted messages, in seq order. */
  @property({ attribute: false }) messages: MessageDto[] = [];

  /** Replies of this conversation still waiting for the server's ack. */
  @property({ attribute: false }) outgoing: OutgoingMessage[] = [];

  /** The visitor is typing right now. */
  @property({ type: Boolean, attribute: 'visitor-typing' }) visitorTyping = false;

  /** True while the conversation is being loaded. */
  @property({ type: Boolean }) loading = false;

  /** Shows "Delete conversation" (admins; the server checks the role too). */
  @property({ type: Boolean, attribute: 'can-delete' }) canDelete = false;

  /** The counsellor has taken this conversation: the Refer action is offered. */
  @property({ type: Boolean, attribute: 'can-refer' }) canRefer = false;

  /** The counsellor may correct the conversation's language (its holder, or anyone while it waits). */
  @property({ type: Boolean, attribute: 'can-correct-language' }) canCorrectLanguage = false;

  /** For the referrals of this conversation, and to look up published articles and send a link in the visitor's language. */
  @property({ attribute: false }) api: ApiClient = defaultApiClient;

  /** Where unsent replies are kept per conversation (restored after a reload); none: only in the field. */
  @property({ attribute: false }) drafts: Drafts | null = null;

  @state() private lookupHits: KbSearchHitDto[] | null = null;
  @state() private confirmingClose = false;
  @state() private confirmingDelete = false;
  @state() private draft = '';
  /** The saved-reply picker is open (Alt+R or its button). */
  @state() private pickingReply = false;
  /** After inserting a saved reply: its language, or the fallback taken. */
  @state() private replyNotice = '';
  /** The channel's reply window is closed (WhatsApp after 24 h, Messenger/Instagram after 7 days): no free text. */
  @state() private windowClosed = false;

  @query('textarea') private textarea?: HTMLTextAreaElement;
  @query('.history') private history?: HTMLElement;
  @query('#empty-title') private emptyTitle?: HTMLElement;

  private readonly i18n = new I18nController(this);
  private typingActive = false;
  private typingSentAt = 0;
  private typingIdleTimer: ReturnType<typeof setTimeout> | undefined;
  private stickToBottom = true;

  /** Moves focus to the reply field (or to the view's heading when there is nothing to answer). */
  async focusComposer(): Promise<void> {
    await this.updateComplete;
    if (this.textarea) this.textarea.focus();
    else (this.emptyTitle ?? this.renderRoot.querySelector<HTMLElement>('h2'))?.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTyping();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversation')) {
      const previous = changed.get('conversation') as ConversationSummaryDto | null | undefined;
      if (previous?.id !== this.conversation?.id) {
        if (previous && this.typingActive) this.dispatchEvent(new TypingEvent(previous.id, false));
        this.typingActive = false;
        clearTimeout(this.typingIdleTimer);
        this.confirmingClose = false;
        this.confirmingDelete = false;
        this.draft = this.conversation ? (this.drafts?.get(this.conversation.id) ?? '') : '';
        this.pickingReply = false;
        this.replyNotice = '';
        this.windowClosed = false;
        this.stickToBottom = true;
      }
    }
    if (this.history && (changed.has('messages') || changed.has('outgoing'))) {
      const h = this.history;
      this.stickToBottom = h.scrollHeight - h.scrollTop - h.clientHeight < 48;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('messages') || changed.has('outgoing') || changed.has('conversation')) && this.stickToBottom && this.history) {
      this.history.scrollTop = this.history.scrollHeight;
    }
  }

  override render() {
    const c = this.conversation;
    if (!c) {
      return html`<div class="empty-state">
        <h2 id="empty-title" tabindex="-1">${this.loading ? t('conversation.loading') : t('conversation.noneTitle')}</h2>
        <p>${this.loading ? nothing : t('conversation.noneHint')}</p>
      </div>`;
    }
    const lng = uiLanguage();
    const page = hostAndPath(c.pageUrl);
    const closed = c.status === 'closed';
    return html`
      <header part="header">
        <button class="back secondary" type="button" @click=${() => this.dispatchEvent(new BackToListEvent())}>
          ${t('conversation.back')}
        </button>
        <div class="info">
          <h2 tabindex="-1" dir="auto">${c.siteName}</h2>
          ${channelBadge(c)} ${replyNoticeBadge(c)}
          <dl class="details">
            <div>
              <dt>${t('common.label', { label: t('conversation.language') })}</dt>
              <dd>
                <span lang=${c.language}>${nativeLanguageName(c.language)}</span>
                ${this.canCorrectLanguage && !closed ? html`<direturn-language-correction .api=${this.api} .conversation=${c}></direturn-language-correction>` : nothing}
              </dd>
            </div>
            <div>
              <dt>${t('common.label', { label: t('conversation.page') })}</dt>
              <dd>${page ? address(page) : t('conversation.unknownPage')}</dd>
            </div>
            <div>
              <dt>${t('common.label', { label: t('conversation.status') })}</dt>
              <dd>${t(`conversation.statuses.${c.status}`)}</dd>
            </div>
          </dl>
        </div>
        <div class="header-actions">
          <button part="export" class="secondary" type="button" @click=${() => this.dispatchEvent(new ExportConversationEvent(c.id))}>
            ${t('conversation.export')}
          </button>
          ${this.canDelete ? this.renderDeleteControls(c) : nothing}
          ${closed ? nothing : this.renderCloseControls(c)}
        </div>
        <direturn-conversation-referrals
          class="referrals"
          .api=${this.api}
          .conversationId=${c.id}
          .language=${c.language}
          .postcode=${postcodeFrom(this.messages.filter((m) => m.author === 'visitor').map((m) => m.body))}
          ?can-refer=${this.canRefer}
        ></direturn-conversation-referrals>
      </header>
      ${this.renderCaseSummary()}
      <section
        class="history"
        part="history"
        tabindex="0"
        aria-label=${t('conversation.history')}
        @scroll=${this.onScroll}
      >
        ${this.messages.length === 0 && this.outgoing.length === 0
          ? html`<p class="empty">${this.loading ? t('conversation.loading') : t('conversation.noMessages')}</p>`
          : html`<ol>
              ${repeat(
                this.messages,
                (m) => m.id,
                (m) => this.renderMessage(m, c, lng),
              )}
              ${repeat(
                this.outgoing,
                (o) => o.clientId,
                (o) => this.renderOutgoing(o, lng),
              )}
            </ol>`}
      </section>
      <div class="typing" part="typing" aria-live="polite">
        ${this.visitorTyping && !closed ? t('conversation.visitorTyping') : nothing}
      </div>
      ${closed
        ? html`<p class="closed-note" role="status">
            ${t('conversation.closedNote')}
            ${c.deleteAt ? html`<span part="delete-at">${t('conversation.deleteAt', { date: new Intl.DateTimeFormat(lng, { dateStyle: 'long' }).format(c.deleteAt) })}</span>` : nothing}
          </p>`
        : this.renderComposer()}
    `;
  }

  private renderCloseControls(c: ConversationSummaryDto) {
    if (!this.confirmingClose) {
      return html`<button part="close" class="danger" type="button" @click=${this.askClose}>${t('conversation.close')}</button>`;
    }
    return html`<div class="confirm close-confirm" role="group" aria-labelledby="confirm-text">
      <span id="confirm-text">${t('conversation.confirmClose')}</span>
      <button class="danger" type="button" @click=${() => this.confirmClose(c.id)}>${t('conversation.confirmCloseYes')}</button>
      <button class="secondary" type="button" @click=${this.cancelClose}>${t('common.cancel')}</button>
    </div>`;
  }

  private renderDeleteControls(c: ConversationSummaryDto) {
    if (!this.confirmingDelete) {
      return html`<button part="delete" class="danger" type="button" @click=${this.askDelete}>${t('conversation.delete')}</button>`;
    }
    return html`<div class="confirm delete-confirm" role="group" aria-labelledby="confirm-delete-text">
      <span id="confirm-delete-text">${t('conversation.confirmDelete')}</span>
      <button class="danger" type="button" @click=${() => this.confirmDelete(c.id)}>${t('conversation.confirmDeleteYes')}</button>
      <button class="secondary" type="button" @click=${this.cancelDelete}>${t('common.cancel')}</button>
    </div>`;
  }

  private askDelete(): void {
    this.confirmingDelete = true;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('.delete-confirm button')?.focus());
  }

  private cancelDelete(): void {
    this.confirmingDelete = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('button[part="delete"]')?.focus());
  }

  private confirmDelete(id: string): void {
    this.confirmingDelete = false;
    this.dispatchEvent(new DeleteConversationEvent(id));
  }

  /** The newest case summary from the orientation check, at the top of the conversation. */
  private renderCaseSummary() {
    const summary = this.messages.findLast((m) => m.context?.kind === 'case')?.context;
    return summary?.kind === 'case' ? html`<direturn-case-summary class="case" .summary=${summary} .api=${this.api}></direturn-case-summary>` : nothing;
  }

  private renderMessage(m: MessageDto, c: ConversationSummaryDto, lng: string) {
    const time = html`<time datetime=${new Date(m.createdAt).toISOString()} title=${fullDateTime(m.createdAt, lng)}
      >${clockTime(m.createdAt, lng)}</time
    >`;
    if (m.author === 'system') {
      return html`<li class="system" part="message message-system">${tSlots('conversation.system.line', { event: this.systemText(m), time })}</li>`;
    }
    if (m.author === 'visitor') {
      return html`<li class="visitor" part="message message-visitor">
        <div class="byline"><span class="author">${t('conversation.author.visitor')}</span>${time}</div>
        ${m.context?.kind === 'case' ? html`<p class="context" part="message-context">${t('orientation.sentSummary')}</p>` : nothing}
        ${m.context?.kind === 'article'
          ? html`<p class="context" part="message-context">
              ${t('conversation.context')}
              <a href="/info/${m.context.language}/${m.context.slug}" target="_blank" rel="noopener noreferrer" lang=${m.context.language} dir=${languageDirection(m.context.language)}>${m.context.title}</a>
            </p>`
          : nothing}
        ${m.body ? html`<p class="body" dir="auto" lang=${c.language}>${m.body}</p>` : nothing}
        ${attachmentsNote(m.attachments)}
      </li>`;
    }
    const st = ownMessageState(m, c.visitorReadSeq);
    // On a channel the provider tells where the reply is (queued, sent, delivered, read, failed).
    return html`<li class="agent ${m.delivery?.status === 'failed' ? 'failed' : ''}" part="message message-agent" data-state=${m.delivery ? m.delivery.status : st}>
      <div class="byline"><span class="author">${m.agentName ?? t('conversation.author.agent')}</span>${time}</div>
      <p class="body" dir="auto">${m.body}</p>
      ${m.delivery ? deliveryState(m.delivery) : html`<span class="state ${st}">${t(`conversation.state.${st}`)}</span>`}
    </li>`;
  }

  private renderOutgoing(o: OutgoingMessage, lng: string) {
    return html`<li class="agent ${o.state}" part="message message-agent" data-state=${o.state}>
      <div class="byline">
        <span class="author">${t('conversation.author.you')}</span>
        <time datetime=${new Date(o.createdAt).toISOString()}>${clockTime(o.createdAt, lng)}</time>
      </div>
      <p class="body" dir="auto">${o.body}</p>
      <span class="state ${o.state}">${t(`conversation.state.${o.state}`)}</span>
    </li>`;
  }

  private renderComposer() {
    const remaining = LIMITS.messageMaxChars - this.draft.length;
    const c = this.conversation;
    return html`${c && c.channel !== 'widget'
        ? html`<direturn-reply-window
            .api=${this.api}
            .conversation=${c}
            .inbound=${this.messages.filter((m) => m.author === 'visitor').length}
            ?can-send=${this.canRefer}
            @direturn-reply-window=${this.onReplyWindow}
          ></direturn-reply-window>`
        : nothing}
      <form part="composer" @submit=${this.onSubmit}>
      <label for="reply">${t('conversation.replyLabel')}</label>
      <textarea
        id="reply"
        name="reply"
        rows="3"
        maxlength=${LIMITS.messageMaxChars}
        dir="auto"
        aria-describedby="reply-hint"
        ?disabled=${this.windowClosed}
        .value=${this.draft}
        @input=${this.onInput}
        @keydown=${this.onKeydown}
        @blur=${this.stopTyping}
      ></textarea>
      <button type="submit" ?disabled=${this.draft.trim().length === 0 || this.windowClosed}>${t('conversation.send')}</button>
      <button type="button" class="secondary" aria-keyshortcuts=${REPLY_SHORTCUT} aria-expanded=${this.pickingReply ? 'true' : 'false'} @click=${this.openReplies}>
        ${t('savedReplies.open', { shortcut: REPLY_SHORTCUT })}
      </button>
      ${this.pickingReply && this.conversation
        ? html`<direturn-reply-picker
            .api=${this.api}
            .conversation=${{ id: this.conversation.id, language: this.conversation.language }}
            @direturn-reply-insert=${this.onReplyInsert}
            @direturn-reply-cancel=${this.closeReplies}
          ></direturn-reply-picker>`
        : nothing}
      <p class="hint" role="status">${this.replyNotice}</p>
      ${this.api ? this.renderLookup() : nothing}
      <p class="hint" id="reply-hint">
        ${this.windowClosed ? html`${t('replyWindow.composerClosed')} ` : nothing}${remaining < 200
          ? t('conversation.hintAndRemaining', { hint: t('conversation.replyHint'), remaining: t('conversation.remaining', { count: remaining }) })
          : t('conversation.replyHint')}
      </p>
    </form>`;
  }

  private renderLookup() {
    return html`<details class="lookup" part="lookup">
      <summary>${t('conversation.lookup.open')}</summary>
      <div class="lookup-row">
        <label for="lookup-q" class="visually-hidden">${t('conversation.lookup.label')}</label>
        <input id="lookup-q" type="search" dir="auto" placeholder=${t('conversation.lookup.label')} @keydown=${this.onLookupKey} />
        <button type="button" class="secondary" @click=${this.lookUp}>${t('conversation.lookup.search')}</button>
      </div>
      <div role="status">
        ${this.lookupHits === null
          ? nothing
          : this.lookupHits.length === 0
            ? html`<p>${t('conversation.lookup.none')}</p>`
            : html`<ul>
                ${this.lookupHits.map(
                  (h) => html`<li>
                    <span lang=${h.language} dir="auto">${h.title}</span>${h.fallback ? html` <small>(${nativeLanguageName(h.language)})</small>` : nothing}
                    <button type="button" class="secondary" @click=${() => this.insertLink(h)}>${t('conversation.lookup.insert')}</button>
                  </li>`,
                )}
              </ul>`}
      </div>
    </details>`;
  }

  private onLookupKey(e: KeyboardEvent): void {
    if (e.key === 'Enter') {
      e.preventDefault();
      void this.lookUp();
    }
  }

  private readonly lookUp = async (): Promise<void> => {
    const q = this.renderRoot.querySelector<HTMLInputElement>('#lookup-q')?.value ?? '';
    if (!this.api || !this.conversation || !q.trim()) return;
    try {
      this.lookupHits = await this.api.lookUpArticles(q, this.conversation.language);
    } catch {
      this.lookupHits = [];
    }
  };

  /** Puts the article's link in the visitor's language (or its fallback) into the reply. */
  private insertLink(h: KbSearchHitDto): void {
    const url = `${location.origin}/info/${this.conversation?.language ?? h.language}/${h.slug}`;
    this.draft = `${this.draft.trim() ? `${this.draft.trimEnd()}\n` : ''}${h.title}: ${url}`;
    if (this.conversation) this.drafts?.set(this.conversation.id, this.draft);
    this.textarea?.focus();
  }

  private systemText(m: MessageDto): string {
    switch (m.body) {
      case 'claimed':
        return m.agentName ? t('conversation.system.claimedBy', { name: m.agentName }) : t('conversation.system.claimed');
      case 'closed':
        return t('conversation.system.closed');
      case 'transferred':
      case 'requeued':
        return t(`conversationWork.system.${m.body}`);
      case 'callback_requested':
      case 'callback_not_reached':
      case 'callback_reached':
      case 'callback_wrong_number':
      case 'callback_done':
      case 'callback_expired':
        return t(`callbacks.system.${m.body}`);
      default:
        return callRecordText(m.body) ?? t('conversation.system.unknown');
    }
  }

  private onScroll(): void {
    const h = this.history;
    if (h) this.stickToBottom = h.scrollHeight - h.scrollTop - h.clientHeight < 48;
  }

  private onInput(e: InputEvent): void {
    this.draft = (e.target as HTMLTextAreaElement).value;
    const c = this.conversation;
    if (!c) return;
    this.drafts?.set(c.id, this.draft);
    if (this.draft.trim().length === 0) {
      this.stopTyping();
      return;
    }
    const now = Date.now();
    if (!this.typingActive || now - this.typingSentAt > TYPING_REPEAT_MS) {
      this.typingActive = true;
      this.typingSentAt = now;
      this.dispatchEvent(new TypingEvent(c.id, true));
    }
    clearTimeout(this.typingIdleTimer);
    this.typingIdleTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private readonly stopTyping = (): void => {
    clearTimeout(this.typingIdleTimer);
    if (this.typingActive && this.conversation) this.dispatchEvent(new TypingEvent(this.conversation.id, false));
    this.typingActive = false;
  };

  private onKeydown(e: KeyboardEvent): void {
    if (isReplyShortcut(e)) {
      e.preventDefault();
      void this.openReplies();
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      this.submit();
    }
  }

  private readonly openReplies = async (): Promise<void> => {
    this.pickingReply = true;
    await this.updateComplete;
    await this.renderRoot.querySelector('direturn-reply-picker')?.focus();
  };

  private readonly closeReplies = async (): Promise<void> => {
    this.pickingReply = false;
    await this.updateComplete;
    this.textarea?.focus();
  };

  /** Puts the chosen reply where the caret was, says which language it is in, and gives focus back. */
  private readonly onReplyInsert = async (e: ReplyInsertEvent): Promise<void> => {
    const ta = this.textarea;
    const { draft, caret } = insertIntoDraft(this.draft, e.rendered.text, ta?.selectionStart ?? this.draft.length, ta?.selectionEnd ?? this.draft.length);
    this.draft = draft.slice(0, LIMITS.messageMaxChars);
    this.replyNotice = insertionNotice(e.rendered);
    await this.closeReplies();
    this.textarea?.setSelectionRange(caret, caret);
  };

  private onReplyWindow(e: ReplyWindowEvent): void {
    this.windowClosed = !e.open;
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    this.submit();
  }

  private submit(): void {
    const c = this.conversation;
    const body = this.draft.trim();
    if (!c || c.status === 'closed' || body.length === 0 || this.windowClosed) return;
    this.stopTyping();
    this.dispatchEvent(new SendEvent(c.id, body.slice(0, LIMITS.messageMaxChars)));
    this.draft = '';
    this.drafts?.clear(c.id);
    this.stickToBottom = true;
    this.textarea?.focus();
  }

  private askClose(): void {
    this.confirmingClose = true;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('.close-confirm button')?.focus());
  }

  private cancelClose(): void {
    this.confirmingClose = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('button[part="close"]')?.focus());
  }

  private confirmClose(id: string): void {
    this.confirmingClose = false;
    this.dispatchEvent(new CloseConversationEvent(id));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-conversation-view': DireturnConversationView;
  }
}
