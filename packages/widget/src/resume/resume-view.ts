import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formatResumeCode, normaliseResumeCode, type ErrorCode } from '@direturn/protocol';
import { I18nController, useNamespace } from '../i18n/i18n.js';
import { tokens } from '../theme/tokens.js';
import { surfaces } from '../theme/surfaces.js';
import { DiReturnResumeCloseEvent } from '../events/direturn-resume.js';
import type { VisitorConnection } from '../chat/connection.js';
import { resumeStyles } from './resume.styles.js';

type Outcome = 'malformed' | 'checking' | 'invalid' | 'limited' | 'renewed' | null;

/**
 * "Continue on another device": shows this visitor's resume code (asks the server for one, or a
 * new one), and takes a code from another device. A home entry of the chat, its own chunk with its
 * texts (locales/resume/), loaded when opened.
 *
 * @summary The visitor's resume code, and continuing with one.
 * @fires direturn-resume-close - The visitor went back, or (`resumed`) the conversation continues here.
 * @csspart code - The code, in groups of four.
 */
@customElement('direturn-resume-view')
export class ResumeView extends LitElement {
  static override styles = [tokens, surfaces, resumeStyles];

  /** The chat's connection (set by the chat app). */
  @property({ attribute: false }) connection: VisitorConnection | undefined;

  @state() private textsReady = false;
  @state() private outcome: Outcome = null;
  @state() private waitMinutes = 1;
  @state() private revision = 0;

  private readonly i18n = new I18nController(this);
  private texts: Promise<void> = Promise.resolve();

  override connectedCallback(): void {
    super.connectedCallback();
    this.texts = useNamespace('resume')
      .catch(() => undefined)
      .then(() => {
        this.textsReady = true;
      });
    this.connection?.addEventListener('change', this.onChange);
    this.connection?.addEventListener('resume', this.onResume);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connection?.removeEventListener('change', this.onChange);
    this.connection?.removeEventListener('resume', this.onResume);
  }

  /** Focuses the heading (the view just opened; the heading comes with the view's texts). */
  override async focus(): Promise<void> {
    await this.texts;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  private onChange = () => {
    this.revision++;
  };

  private onResume = (event: Event) => {
    const { ok, code, retryAfterMs } = (event as CustomEvent<{ ok: boolean; code?: ErrorCode; retryAfterMs?: number }>).detail;
    if (ok) {
      this.outcome = null;
      this.dispatchEvent(new DiReturnResumeCloseEvent(true));
      return;
    }
    this.waitMinutes = Math.max(1, Math.ceil((retryAfterMs ?? 60_000) / 60_000));
    this.outcome = code === 'rate_limited' ? 'limited' : 'invalid';
  };

  private ask(): void {
    const renewing = !!this.connection?.resumeCode;
    if (this.connection?.requestResumeCode()) this.outcome = renewing ? 'renewed' : null;
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('code') as HTMLInputElement;
    const code = normaliseResumeCode(input.value);
    if (!code) {
      this.outcome = 'malformed';
      input.focus();
      return;
    }
    this.outcome = 'checking';
    this.connection?.resumeWith(code);
  }

  override render() {
    const { t } = this.i18n;
    if (!this.textsReady) return html`<p role="status">…</p>`;
    const c = this.connection;
    const own = c?.resumeCode;
    const hasConversation = !!(c?.conversation || c?.messages.length);
    const online = c?.state === 'online';
    const outcome = this.outcome;
    return html`
      <h2 tabindex="-1">${t('resumeCode.title')}</h2>
      <p>${t('resumeCode.intro')}</p>
      <section aria-labelledby="own">
        <h3 id="own">${t('resumeCode.yourCode')}</h3>
        ${own
          ? html`<p class="code" part="code" dir="ltr" aria-label=${`${t('resumeCode.codeLabel')}: ${[...own.code].join(' ')}`}>${formatResumeCode(own.code)}</p>
              <p>${t('resumeCode.keep')}</p>
              <button type="button" class="secondary" ?disabled=${!online} @click=${this.ask}>${t('resumeCode.renew')}</button>
              <p class="hint">${t('resumeCode.renewHint')}</p>`
          : hasConversation
            ? html`<button type="button" ?disabled=${!online} @click=${this.ask}>${t('resumeCode.show')}</button>`
            : html`<p>${t('resumeCode.none')}</p>`}
        ${hasConversation && !online ? html`<p class="hint">${t('resumeCode.offline')}</p>` : nothing}
      </section>
      <section aria-labelledby="enter">
        <h3 id="enter">${t('resumeCode.enterTitle')}</h3>
        <form @submit=${this.onSubmit} novalidate>
          <label
            >${t('resumeCode.enterLabel')}
            <input
              name="code"
              dir="ltr"
              autocomplete="off"
              autocapitalize="characters"
              spellcheck="false"
              maxlength="20"
              aria-describedby="enter-hint"
              aria-invalid=${outcome === 'malformed' || outcome === 'invalid' ? 'true' : 'false'}
            />
          </label>
          <p class="hint" id="enter-hint">${t('resumeCode.enterHint')}</p>
          ${hasConversation && !own ? html`<p class="hint">${t('resumeCode.replaceWarning')}</p>` : nothing}
          <button type="submit" ?disabled=${outcome === 'checking'}>${t('resumeCode.continue')}</button>
        </form>
      </section>
      <p class="message" part="message" role="status" aria-live="polite">${outcome ? t(`resumeCode.outcome.${outcome}`, { minutes: this.waitMinutes }) : ''}</p>
      <div class="actions">
        <button type="button" class="secondary" @click=${() => this.dispatchEvent(new DiReturnResumeCloseEvent())}>${t('resumeCode.back')}</button>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-resume-view': ResumeView;
  }
}
