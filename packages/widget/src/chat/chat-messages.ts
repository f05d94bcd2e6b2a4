import { LitElement, html, css, nothing, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { callMinutes, parseCallRecord, type MessageDto } from '@direturn/protocol';
import { tokens, visuallyHidden } from '../theme/tokens.js';
import { surfaces } from '../theme/surfaces.js';
import { I18nController, type Translate } from '../i18n/i18n.js';
import type { FailedItem, OutboxItem } from './connection.js';
import { linkify } from './linkify.js';

/** System messages the visitor is shown (codes from the server, translated here; see SystemEvent). */
export const SYSTEM_EVENTS: ReadonlySet<string> = new Set([
  'claimed',
  'closed',
  'transferred',
  'requeued',
  'callback_requested',
  'callback_not_reached',
  'callback_reached',
  'callback_wrong_number',
  'callback_done',
  'callback_expired',
]);

/** A system message as the visitor reads it ('' for codes the visitor is not shown): events, and a call's kind and length. */
export function systemText(t: Translate, body: string): string {
  if (SYSTEM_EVENTS.has(body)) return t(`system.${body}`);
  const call = parseCallRecord(body);
  return call ? t(`system.call.${call.media}`, { minutes: callMinutes(call.seconds) }) : '';
}

export type OwnState = 'sending' | 'sent' | 'read' | 'failed';

/** One row of the list: a stored message, or an own message not (yet) stored. */
export interface MessageRow {
  key: string;
  author: MessageDto['author'];
  body: string;
  createdAt: number;
  agentName: string | null;
  state?: OwnState;
  errorCode?: string;
}

/** Merges stored messages, the outbox and failed sends into display rows. */
export function toRows(
  messages: readonly MessageDto[],
  outbox: readonly OutboxItem[],
  failed: readonly FailedItem[],
  conversationId: string | null,
  agentReadSeq: number,
  /** Read marks of earlier conversations of this session (read stays read after a new one began). */
  readMarks?: ReadonlyMap<string, number>,
): MessageRow[] {
  const rows: MessageRow[] = messages.map((m) => ({
    key: m.clientId ?? m.id,
    author: m.author,
    body: m.body,
    createdAt: m.createdAt,
    agentName: m.agentName,
    ...(m.author === 'visitor'
      ? { state: m.seq <= (m.conversationId === conversationId ? agentReadSeq : (readMarks?.get(m.conversationId) ?? 0)) ? ('read' as const) : ('sent' as const) }
      : {}),
  }));
  for (const item of outbox) {
    rows.push({ key: item.clientId, author: 'visitor', body: item.body, createdAt: item.createdAt, agentName: null, state: 'sending' });
  }
  for (const item of failed) {
    rows.push({
      key: item.clientId,
      author: 'visitor',
      body: item.body,
      createdAt: item.createdAt,
      agentName: null,
      state: 'failed',
      errorCode: item.code,
    });
  }
  return rows;
}

/**
 * @summary The conversation: every message as plain text (http(s) addresses as links that open
 * in a new tab), with time, author and (for the visitor's own messages) sending / sent / read
 * state. Keeps the end in view while the visitor is there, and always shows what they just sent. Children (the privacy notice) are shown above the messages.
 *
 * @fires direturn-retry - The visitor asked to send a failed message again (`detail.clientId`).
 *
 * @csspart log - The scrolling log.
 * @csspart message - Each message row (also `message-visitor`, `message-agent`, `message-system`).
 * @csspart bubble - The text of a message.
 * @csspart link - A web address in a message.
 * @csspart meta - Time and state under a message.
 * @csspart typing - The "is typing" line.
 *
 * @cssprop --direturn-accent - Background of the visitor's own bubbles.
 * @cssprop --direturn-accent-contrast - Text colour of the visitor's own bubbles.
 * @cssprop --direturn-radius - Bubble corner radius.
 */
@customElement('direturn-chat-messages')
export class ChatMessages extends LitElement {
  static override styles = [
    tokens,
    surfaces,
    visuallyHidden,
    css`
      :host {
        display: flex;
        flex-direction: column;
        background: var(--_surface);
        color: var(--_text);
      }
      /* the scrolling box; focusable, so the keyboard can scroll it too */
      .log {
        flex: 1;
        min-block-size: 0;
        overflow-y: auto;
        overscroll-behavior: contain;
        padding: 0.75rem;
      }
      .log:focus-visible {
        outline: var(--_focus-ring);
        outline-offset: -3px;
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
        display: flex;
        flex-direction: column;
        align-items: flex-start;
        max-inline-size: 85%;
      }
      li.visitor {
        align-self: flex-end;
        align-items: flex-end;
      }
      li.system {
        align-self: center;
        align-items: center;
        max-inline-size: 95%;
      }
      .name {
        font-size: 0.8rem;
        color: var(--_muted);
        margin-block-end: 0.15rem;
      }
      .bubble {
        padding: 0.55rem 0.8rem;
        border-radius: var(--_radius);
        background: var(--_surface-alt);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        line-height: 1.45;
        unicode-bidi: plaintext;
      }
      .bubble a {
        color: inherit;
        text-decoration: underline;
      }
      .bubble a:focus-visible {
        outline: var(--_focus-ring);
      }
      /* a link in an own bubble sits on the accent */
      li.visitor .bubble a:focus-visible {
        outline: var(--_focus-ring-on-accent);
      }
      ::slotted(*) {
        margin-block-end: 0.75rem;
      }
      li.agent .bubble {
        border-end-start-radius: 4px;
      }
      li.visitor .bubble {
        background: var(--_accent);
        color: var(--_accent-contrast);
        border-end-end-radius: 4px;
      }
      li.system .bubble {
        background: transparent;
        color: var(--_muted);
        font-size: 0.875rem;
        text-align: center;
        padding-block: 0.25rem;
      }
      li.failed .bubble {
        outline: 2px solid var(--_error);
      }
      .meta {
        font-size: 0.75rem;
        color: var(--_muted);
        margin-block-start: 0.2rem;
        display: flex;
        gap: 0.4rem;
        align-items: center;
        flex-wrap: wrap;
      }
      .meta .failed {
        color: var(--_error);
        font-weight: 600;
      }
      .meta button {
        font: inherit;
        color: inherit;
        text-decoration: underline;
        background: none;
        border: 0;
        padding: 0.25rem;
        cursor: pointer;
      }
      .meta button:focus-visible {
        outline: var(--_focus-ring);
      }
      .typing {
        margin: 0.6rem 0 0;
        font-size: 0.85rem;
        color: var(--_muted);
        font-style: italic;
      }
      .intro {
        margin: 0 0 0.75rem;
        color: var(--_muted);
        font-size: 0.9rem;
      }
    `,
  ];

  private i18n = new I18nController(this);

  @property({ attribute: false }) rows: MessageRow[] = [];

  /** Name shown in the typing line; empty when the counsellor is not typing. */
  @property() typing = '';

  /**
   * Whether the visitor is at the end of the log. Only their scrolling changes it: when the log
   * gets shorter (a notice appears above it, the keyboard opens) the end stays in view.
   */
  private atEnd = true;
  private resizeObserver = new ResizeObserver(() => this.atEnd && this.scrollToEnd());

  @query('.log') private log?: HTMLElement;

  protected override firstUpdated(): void {
    this.resizeObserver.observe(this.log!);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver.disconnect();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.log) this.resizeObserver.observe(this.log);
  }

  private onScroll(event: Event) {
    const log = event.currentTarget as HTMLElement;
    this.atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  }

  private scrollToEnd(): void {
    if (this.log) this.log.scrollTop = this.log.scrollHeight;
    this.atEnd = true;
  }

  private timeFormat(sameDay: boolean): Intl.DateTimeFormat {
    const lang = this.i18n.language;
    return sameDay
      ? new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' })
      : new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' });
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('rows') && !changed.has('typing')) return;
    // what the visitor just sent is always shown, even when they had scrolled up to read
    const before = new Set((changed.get('rows') as MessageRow[] | undefined)?.map((r) => r.key));
    const sent = this.rows.some((r) => r.state === 'sending' && !before.has(r.key));
    if (sent || this.atEnd) this.scrollToEnd();
  }

  private retry(key: string) {
    this.dispatchEvent(new CustomEvent('direturn-retry', { detail: { clientId: key }, bubbles: true, composed: true }));
  }

  private renderRow(row: MessageRow, today: string, short: Intl.DateTimeFormat, long: Intl.DateTimeFormat) {
    const { t } = this.i18n;
    const date = new Date(row.createdAt);
    const time = (date.toDateString() === today ? short : long).format(date);
    if (row.author === 'system') {
      const text = systemText(t, row.body);
      if (!text) return nothing;
      return html`<li class="system" part="message message-system">
        <div class="bubble" part="bubble" dir="auto">${text}</div>
      </li>`;
    }
    const who =
      row.author === 'visitor'
        ? t('messages.you')
        : row.agentName
          ? t('messages.counsellorNamed', { name: row.agentName })
          : t('messages.counsellor');
    // one message with the reason in it: word order and punctuation are the translation's
    const failed = row.errorCode
      ? t('messages.failedWithReason', { reason: t(`errors.${row.errorCode}`, { defaultValue: t('errors.generic') }) })
      : t('messages.failed');
    return html`<li class="${row.author} ${row.state ?? ''}" part="message message-${row.author}">
      ${row.author === 'agent'
        ? html`<span class="name" dir="auto">${who}</span>`
        : html`<span class="sr-only">${who}</span>`}
      <div class="bubble" part="bubble" dir="auto">${linkify(row.body)}</div>
      <div class="meta" part="meta">
        <time datetime=${date.toISOString()}>${time}</time>
        ${row.state === 'failed'
          ? html`<span class="failed">${failed}</span>
              <button type="button" @click=${() => this.retry(row.key)}>${t('messages.retry')}</button>`
          : row.state
            ? html`<span class="state ${row.state}">${t(`messages.${row.state}`)}</span>`
            : nothing}
      </div>
    </li>`;
  }

  protected override render() {
    const { t } = this.i18n;
    const today = new Date().toDateString();
    const short = this.timeFormat(true);
    const long = this.timeFormat(false);
    return html`
      <div class="log" part="log" role="log" aria-live="off" aria-label=${t('messages.label')} tabindex="0" @scroll=${this.onScroll}>
        <p class="intro">${t('app.intro')}</p>
        <slot></slot>
        <ol>
          ${repeat(
            this.rows,
            (row) => row.key,
            (row) => this.renderRow(row, today, short, long),
          )}
        </ol>
        ${this.typing ? html`<p class="typing" part="typing" dir="auto">${t('messages.typing', { name: this.typing })}</p>` : nothing}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-chat-messages': ChatMessages;
  }
  interface GlobalEventHandlersEventMap {
    'direturn-retry': CustomEvent<{ clientId: string }>;
  }
}
