import { REPLY_WINDOW_MS, type ChannelTemplateDto, type ConversationSummaryDto, type ReplyWindowDto } from '@direturn/protocol';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { I18nController, t, uiLanguage } from '../i18n/i18n.js';
import { fullDateTime, nativeLanguageName } from '../shared/format.js';
import { buttons, tokens } from '../shared/styles.js';
import { replyWindowStyles } from './direturn-reply-window.styles.js';
import { replyWindow, sendTemplate } from './reply-window-api.js';

/** Fired when free text becomes possible or impossible; the composer follows it. */
export class ReplyWindowEvent extends Event {
  static readonly eventName = 'direturn-reply-window';
  constructor(readonly open: boolean) {
    super(ReplyWindowEvent.eventName, { bubbles: true, composed: true });
  }
}

const STANDARD_MS = 24 * 3_600_000;
/** setTimeout's limit (about 24.8 days); a longer wait is split. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * @summary Above the composer of a channel conversation: until when a reply is possible, and when
 * the provider's window has closed, why, and what can still be sent (WhatsApp: the approved
 * templates of the account, each with a Send button) instead of letting a reply fail later.
 *
 * Asks the server when the conversation or the number of the person's messages changes, and turns
 * itself closed when the time comes. Fires `direturn-reply-window` (ReplyWindowEvent) on changes.
 *
 * @csspart notice - The closed-window notice.
 * @csspart templates - The list of templates.
 */
@customElement('direturn-reply-window')
export class DireturnReplyWindow extends LitElement {
  static override styles = [tokens, buttons, replyWindowStyles];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;
  @property({ attribute: false }) conversation: ConversationSummaryDto | null = null;
  /** The number of the person's messages: when it grows, the window opened again. */
  @property({ type: Number }) inbound = 0;
  /** The counsellor holds the conversation (may send a template). */
  @property({ type: Boolean, attribute: 'can-send' }) canSend = false;
  /** The clock (tests set it). */
  now: () => number = Date.now;

  @state() private window: ReplyWindowDto | null = null;
  @state() private busy = false;
  @state() private status = '';
  @state() private error = '';
  @state() private tick = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private announcedOpen: boolean | undefined;
  private loadedFor = '';
  private shownFor = '';

  constructor() {
    super();
    new I18nController(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversation') || changed.has('inbound')) {
      const id = this.conversation?.id ?? '';
      if (id !== this.shownFor) {
        // Another conversation: nothing of the last one's window or messages stays.
        this.shownFor = id;
        this.window = null;
        this.status = '';
        this.error = '';
      }
      const key = this.conversation && this.conversation.channel !== 'widget' ? `${id}:${this.inbound}` : '';
      if (key !== this.loadedFor) {
        this.loadedFor = key;
        if (key) void this.load(id, key);
        else this.window = null;
      }
    }
  }

  protected override updated(): void {
    const open = this.isOpen();
    if (open !== this.announcedOpen) {
      this.announcedOpen = open;
      this.dispatchEvent(new ReplyWindowEvent(open));
    }
  }

  /** Open unless the server said closed or its time has come (undefined window: not a windowed channel, so open). */
  private isOpen(): boolean {
    const w = this.window;
    if (!w) return true;
    return w.open && (w.closesAt === null || this.now() < w.closesAt);
  }

  private async load(conversationId: string, key: string): Promise<void> {
    try {
      const w = await replyWindow(this.api, conversationId);
      if (this.loadedFor !== key) return;
      this.window = w;
      this.error = '';
      this.schedule();
    } catch {
      // Without an answer nothing is claimed about the window; the server refuses what it cannot send.
      if (this.loadedFor === key) this.window = null;
    }
  }

  /** Re-renders when the window closes (and, on Messenger/Instagram, when the 24 hours of a normal response end). */
  private schedule(): void {
    clearTimeout(this.timer);
    const w = this.window;
    if (!w?.open || w.closesAt === null) return;
    const lastInbound = w.closesAt - REPLY_WINDOW_MS[w.rule];
    const moments = [w.closesAt, lastInbound + STANDARD_MS].filter((at) => at > this.now());
    if (!moments.length) return;
    const wait = Math.min(Math.min(...moments) - this.now() + 50, MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.tick++;
      this.schedule();
    }, wait);
  }

  private async send(template: ChannelTemplateDto): Promise<void> {
    if (!this.conversation || this.busy) return;
    this.busy = true;
    this.status = '';
    this.error = '';
    try {
      const clientId = `tpl-${crypto.randomUUID().replace(/-/g, '').slice(0, 24)}`;
      await sendTemplate(this.api, this.conversation.id, { clientId, name: template.name, language: template.language });
      this.status = t('replyWindow.sent', { name: template.name });
    } catch {
      this.error = t('replyWindow.sendFailed', { name: template.name });
    } finally {
      this.busy = false;
    }
  }

  override render() {
    void this.tick;
    const w = this.window;
    if (!w) return nothing;
    const lng = uiLanguage();
    const lastInbound = w.closesAt === null ? null : w.closesAt - REPLY_WINDOW_MS[w.rule];
    if (this.isOpen()) {
      const humanAgent = w.rule === 'meta-7d-human-agent' && lastInbound !== null && this.now() - lastInbound >= STANDARD_MS;
      return html`<p class="open" part="open">
        ${humanAgent ? html`${t('replyWindow.humanAgent')} ` : nothing}${w.closesAt !== null ? t('replyWindow.openUntil', { time: fullDateTime(w.closesAt, lng) }) : nothing}
      </p>`;
    }
    const why =
      lastInbound === null
        ? t('replyWindow.neverWrote')
        : t(w.rule === 'whatsapp-24h' ? 'replyWindow.closedWhatsApp' : 'replyWindow.closedMeta', { time: fullDateTime(lastInbound, lng) });
    return html`<section class="closed" part="notice" aria-labelledby="reply-window-title">
      <h3 id="reply-window-title">${t('replyWindow.closedTitle')}</h3>
      <p>${why}</p>
      ${w.rule === 'whatsapp-24h' ? this.renderTemplates(w.templates) : nothing}
      <p role="status">${this.status}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }

  private renderTemplates(templates: ChannelTemplateDto[]) {
    if (!templates.length) return html`<p>${t('replyWindow.noTemplates')}</p>`;
    return html`<h3 id="reply-window-templates">${t('replyWindow.templatesTitle')}</h3>
      <p>${t('replyWindow.templatesHint')}</p>
      <ul part="templates" aria-labelledby="reply-window-templates">
        ${templates.map(
          (tpl) => html`<li>
            <span class="template" dir="ltr">${tpl.name}</span>
            <span>(<span lang=${tpl.language.split('_')[0]!}>${nativeLanguageName(tpl.language.split('_')[0]!)}</span> · <bdi dir="ltr">${tpl.language}</bdi>)</span>
            ${this.canSend
              ? html`<button type="button" ?disabled=${this.busy} aria-label=${t('replyWindow.sendLabel', { name: tpl.name, language: tpl.language })} @click=${() => this.send(tpl)}>
                  ${t('replyWindow.send')}
                </button>`
              : nothing}
          </li>`,
        )}
      </ul>
      ${this.canSend ? nothing : html`<p>${t('replyWindow.takeFirst')}</p>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-reply-window': DireturnReplyWindow;
  }
  interface HTMLElementEventMap {
    'direturn-reply-window': ReplyWindowEvent;
  }
}
