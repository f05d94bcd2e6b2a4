import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { REPLY_NOTICE_LIMITS, checkReplyNoticeRequest, type ErrorFrame, type ReplyNoticeIssue } from '@direturn/protocol';
import { I18nController, useNamespace } from '../i18n/i18n.js';
import { tokens, visuallyHidden } from '../theme/tokens.js';
import { surfaces } from '../theme/surfaces.js';
import { DiReturnReplyNoticeCloseEvent } from '../events/direturn-reply-notice.js';
import type { VisitorConnection } from '../chat/connection.js';
import { replyNoticeStyles } from './reply-notice.styles.js';

/** Serbian ships in Latin script; Intl's plain `sr` would write Cyrillic. */
const intlLocale = (lang: string) => (lang === 'sr' ? 'sr-Latn' : lang);

/**
 * @summary E-mail me when a reply is waiting: what is stored and sent, in plain words; the address,
 * consent, whether it is on, and removing it. Opened from the conversation; its own chunk with its
 * texts (locales/reply-notice/), loaded when opened. The server checks everything again.
 *
 * @fires direturn-reply-notice-close - The visitor goes back to the chat.
 * @csspart state - Whether notices are on, with the remove button.
 * @csspart form - The address form.
 * @csspart error - A field's error.
 */
@customElement('direturn-reply-notice-view')
export class ReplyNoticeView extends LitElement {
  static override styles = [tokens, surfaces, visuallyHidden, replyNoticeStyles];

  /** The chat's connection (set by the chat app). */
  @property({ attribute: false }) connection: VisitorConnection | undefined;
  /** The UI language (the chat app sets it). */
  @property() language = 'de';

  @state() private textsReady = false;
  @state() private revision = 0;
  @state() private email = '';
  @state() private consent = false;
  @state() private issues: ReplyNoticeIssue[] = [];
  /** What was asked and is not answered yet. */
  @state() private pending: 'on' | 'off' | null = null;
  /** The form while notices are on: another address. */
  @state() private changing = false;
  @state() private message = '';

  private readonly i18n = new I18nController(this);
  private texts: Promise<void> = Promise.resolve();

  override connectedCallback(): void {
    super.connectedCallback();
    this.texts = useNamespace('reply-notice')
      .catch(() => undefined)
      .then(() => {
        this.textsReady = true;
      });
    this.connection?.addEventListener('change', this.onChange);
    this.connection?.addEventListener('error', this.onError);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connection?.removeEventListener('change', this.onChange);
    this.connection?.removeEventListener('error', this.onError);
  }

  /** Focuses the heading (the view just opened; the heading comes with the view's texts). */
  override async focus(): Promise<void> {
    await this.texts;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  private get on(): boolean {
    return this.connection?.replyNotice?.on ?? false;
  }

  private onChange = async () => {
    this.revision++;
    const asked = this.pending;
    if (!asked || this.on !== (asked === 'on')) return;
    const { t } = this.i18n;
    this.pending = null;
    this.changing = false;
    this.email = '';
    this.consent = false;
    this.message = asked === 'on' ? t('replyNoticeView.turnedOn') : t('replyNoticeView.turnedOff');
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(asked === 'on' ? '#state-title' : 'input[name="email"]')?.focus();
  };

  private onError = (event: Event) => {
    const frame = (event as CustomEvent<ErrorFrame>).detail;
    if (!this.pending || frame.ref !== 'reply-notice') return;
    this.pending = null;
    const { t } = this.i18n;
    if (frame.code === 'reply_notice_invalid') {
      this.issues = (frame.issues ?? []).map((line) => {
        const [path = '', code = ''] = line.split(': ');
        return { path, code } as ReplyNoticeIssue;
      });
      void this.focusFirstIssue();
      return;
    }
    const known = ['reply_notice_unavailable', 'rate_limited'];
    this.message = t(`replyNoticeView.errors.${known.includes(frame.code) ? frame.code : 'generic'}`);
  };

  private async focusFirstIssue(): Promise<void> {
    await this.updateComplete;
    const first = this.issues[0];
    if (first) this.renderRoot.querySelector<HTMLElement>(`input[name="${first.path}"]`)?.focus();
  }

  private issueFor(path: ReplyNoticeIssue['path']): ReplyNoticeIssue | undefined {
    return this.issues.find((i) => i.path === path);
  }

  private error(path: ReplyNoticeIssue['path']) {
    const issue = this.issueFor(path);
    return html`<p class="error" part="error" id="${path}-error">${issue ? this.i18n.t(`replyNoticeView.issues.${issue.code}`) : ''}</p>`;
  }

  private send(email: string | null): void {
    this.message = '';
    if (!this.connection?.setReplyNotice(email, this.consent)) {
      this.message = this.i18n.t('replyNoticeView.errors.offline');
      return;
    }
    this.pending = email === null ? 'off' : 'on';
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const checked = checkReplyNoticeRequest({ email: this.email, consent: this.consent });
    this.issues = checked.issues;
    if (checked.issues.length || !checked.email) {
      void this.focusFirstIssue();
      return;
    }
    this.send(checked.email);
  }

  override render() {
    const { t } = this.i18n;
    if (!this.textsReady) return html`<p role="status">…</p>`;
    return html`
      <h2 tabindex="-1">${t('replyNoticeView.title')}</h2>
      <p>${t('replyNoticeView.intro')}</p>
      <ul>
        <li>${t('replyNoticeView.what')}</li>
        <li>${t('replyNoticeView.once')}</li>
        <li>${t('replyNoticeView.stored')}</li>
        <li>${t('replyNoticeView.careful')}</li>
      </ul>
      ${this.on ? this.renderState() : nothing}
      ${!this.on || this.changing ? this.renderForm() : nothing}
      <p class="message" role="status" aria-live="polite">${this.message}</p>
      <div class="actions">
        <button type="button" class="secondary" @click=${() => this.dispatchEvent(new DiReturnReplyNoticeCloseEvent())}>${t('replyNoticeView.back')}</button>
      </div>
    `;
  }

  private renderState() {
    const { t } = this.i18n;
    const since = this.connection?.replyNotice?.since;
    const date = since ? new Intl.DateTimeFormat(intlLocale(this.i18n.language), { dateStyle: 'long', timeStyle: 'short' }).format(since) : '';
    return html`<section part="state" aria-labelledby="state-title">
      <h3 id="state-title" tabindex="-1">${t('replyNoticeView.onTitle')}</h3>
      ${date ? html`<p>${t('replyNoticeView.onSince', { date })}</p>` : nothing}
      <div class="actions">
        <button type="button" ?disabled=${this.pending !== null} @click=${() => this.send(null)}>${t('replyNoticeView.remove')}</button>
        ${this.changing ? nothing : html`<button type="button" class="secondary" @click=${() => (this.changing = true)}>${t('replyNoticeView.change')}</button>`}
      </div>
    </section>`;
  }

  private renderForm() {
    const { t } = this.i18n;
    const emailIssue = this.issueFor('email');
    const consentIssue = this.issueFor('consent');
    return html`<form part="form" novalidate @submit=${this.onSubmit}>
      <label
        >${t('replyNoticeView.email')}
        <input
          name="email"
          type="email"
          inputmode="email"
          autocomplete="email"
          dir="ltr"
          maxlength=${REPLY_NOTICE_LIMITS.emailMaxChars}
          .value=${this.email}
          aria-invalid=${emailIssue ? 'true' : 'false'}
          aria-describedby="email-hint email-error"
          @input=${(e: Event) => {
            this.email = (e.target as HTMLInputElement).value;
            this.issues = this.issues.filter((i) => i.path !== 'email');
          }}
        />
      </label>
      <p class="hint" id="email-hint">${t('replyNoticeView.emailHint')}</p>
      ${this.error('email')}
      <label class="check">
        <input
          type="checkbox"
          name="consent"
          .checked=${this.consent}
          aria-invalid=${consentIssue ? 'true' : 'false'}
          aria-describedby="consent-error"
          @change=${(e: Event) => {
            this.consent = (e.target as HTMLInputElement).checked;
            this.issues = this.issues.filter((i) => i.path !== 'consent');
          }}
        />
        <span>${t('replyNoticeView.consent')}</span>
      </label>
      ${this.error('consent')}
      <button type="submit" ?disabled=${this.pending !== null}>${this.pending === 'on' ? t('replyNoticeView.sending') : t(this.on ? 'replyNoticeView.submitChange' : 'replyNoticeView.submit')}</button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-reply-notice-view': ReplyNoticeView;
  }
}
