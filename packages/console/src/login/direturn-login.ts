import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import { LoginEvent } from '../events/events.js';
import { I18nController, t } from '../i18n/i18n.js';
import { buttons, tokens } from '../shared/styles.js';

/**
 * @summary Sign-in form for counsellors: e-mail and password, posted to `/api/auth/login`; for an
 * agent with two-factor authentication a second step asks for the authenticator code (or a recovery
 * code), posted to `/api/auth/login/totp`.
 *
 * @fires direturn-login - The server accepted the credentials; `event.agent` is the signed-in agent.
 *
 * @csspart form - The form element (of either step).
 * @csspart error - The error message shown after a failed attempt.
 * @csspart submit - The submit button.
 * @csspart totp-code - The code field of the second step.
 * @csspart back - The button of the second step that starts over.
 *
 * @cssprop --direturn-surface - Background of the form card.
 * @cssprop --direturn-accent - Colour of the submit button.
 * @cssprop --direturn-danger - Colour of the error text.
 */
@customElement('direturn-login')
export class DireturnLogin extends LitElement {
  static override styles = [
    tokens,
    buttons,
    css`
      :host {
        display: block;
        max-inline-size: 26rem;
        margin-inline: auto;
      }
      form {
        display: grid;
        gap: var(--_space);
        background: var(--_surface);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: calc(var(--_space) * 2);
      }
      h1 {
        font-size: 1.375rem;
        margin: 0;
      }
      p.intro {
        margin: 0;
        color: var(--_muted);
      }
      label {
        display: grid;
        gap: 0.25rem;
        font-weight: 600;
      }
      input {
        font: inherit;
        font-weight: 400;
        padding-block: 0.5rem;
        padding-inline: 0.6rem;
        border: 1px solid var(--_muted);
        border-radius: var(--_radius);
        background: var(--_surface);
        color: var(--_text);
      }
      .hint {
        margin: 0;
        margin-block-start: -0.5rem;
        font-size: 0.875rem;
        color: var(--_muted);
      }
      .error {
        margin: 0;
        color: var(--_danger);
        background: var(--_danger-soft);
        border-radius: var(--_radius);
        padding: 0.5rem 0.75rem;
      }
    `,
  ];

  /** Client used for the request; replaceable for tests. */
  @property({ attribute: false }) api: ApiClient = defaultApiClient;

  @state() private busy = false;
  @state() private error = '';
  /** Set while the second step is shown: the server's single-use challenge. */
  @state() private challenge: string | null = null;

  @query('input[name="email"]') private emailInput?: HTMLInputElement;
  @query('input[name="code"]') private codeInput?: HTMLInputElement;

  private readonly i18n = new I18nController(this);

  override focus(options?: FocusOptions): void {
    (this.codeInput ?? this.emailInput)?.focus(options);
  }

  override render() {
    if (this.challenge) return this.renderTotp();
    return html`
      <form part="form" @submit=${this.onSubmit} novalidate aria-labelledby="login-title" aria-busy=${this.busy ? 'true' : 'false'}>
        <h1 id="login-title">${t('login.title')}</h1>
        <p class="intro">${t('login.intro')}</p>
        <label>
          ${t('login.email')}
          <input name="email" type="email" autocomplete="username" required maxlength="254" spellcheck="false" />
        </label>
        <label>
          ${t('login.password')}
          <input name="password" type="password" autocomplete="current-password" required maxlength="1024" />
        </label>
        <div role="alert">${this.error ? html`<p class="error" part="error">${this.error}</p>` : nothing}</div>
        <button part="submit" type="submit" ?disabled=${this.busy}>${this.busy ? t('login.submitting') : t('login.submit')}</button>
      </form>
    `;
  }

  private renderTotp() {
    return html`
      <form part="form" @submit=${this.onSubmitCode} novalidate aria-labelledby="totp-title" aria-busy=${this.busy ? 'true' : 'false'}>
        <h1 id="totp-title">${t('login.totp.title')}</h1>
        <p class="intro" id="totp-intro">${t('login.totp.intro')}</p>
        <label>
          ${t('login.totp.code')}
          <input
            part="totp-code"
            name="code"
            type="text"
            inputmode="numeric"
            autocomplete="one-time-code"
            autocapitalize="off"
            spellcheck="false"
            required
            maxlength="11"
            aria-describedby="totp-hint"
            aria-invalid=${this.error ? 'true' : 'false'}
          />
        </label>
        <p class="hint" id="totp-hint">${t('login.totp.hint')}</p>
        <div role="alert">${this.error ? html`<p class="error" part="error">${this.error}</p>` : nothing}</div>
        <button part="submit" type="submit" ?disabled=${this.busy}>${this.busy ? t('login.submitting') : t('login.totp.submit')}</button>
        <button part="back" class="secondary" type="button" @click=${this.startOver}>${t('login.totp.back')}</button>
      </form>
    `;
  }

  private readonly startOver = (): void => {
    this.challenge = null;
    this.error = '';
    void this.updateComplete.then(() => this.emailInput?.focus());
  };

  private async onSubmitCode(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy || !this.challenge) return;
    const form = event.currentTarget as HTMLFormElement;
    // Authenticator apps show "123 456"; recovery codes are lower case.
    const raw = String(new FormData(form).get('code') ?? '').trim().toLowerCase();
    const code = /^[\d\s]+$/.test(raw) ? raw.replace(/\s+/g, '') : raw;
    if (!/^(\d{6}|[a-z0-9]{5}-[a-z0-9]{5})$/.test(code)) {
      this.error = t('login.totp.errors.format');
      this.codeInput?.focus();
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const agent = await this.api.loginTotp(this.challenge, code);
      this.challenge = null;
      this.dispatchEvent(new LoginEvent(agent));
    } catch (err) {
      if (isApiError(err, 'invalid_credentials') || isApiError(err, 'unauthorized')) {
        this.error = t('login.totp.errors.invalid');
      } else {
        this.error = this.messageFor(err);
      }
      if (this.codeInput) {
        this.codeInput.value = '';
        this.codeInput.focus();
      }
    } finally {
      this.busy = false;
    }
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    if (!email || !password) {
      this.error = t('login.errors.missing');
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const step = await this.api.login({ email, password });
      form.reset();
      if (step.kind === 'totp') {
        this.challenge = step.challenge;
        await this.updateComplete;
        this.codeInput?.focus();
      } else {
        this.dispatchEvent(new LoginEvent(step.agent));
      }
    } catch (err) {
      this.error = this.messageFor(err);
      const pw = form.elements.namedItem('password');
      if (pw instanceof HTMLInputElement) {
        pw.value = '';
        pw.focus();
      }
    } finally {
      this.busy = false;
    }
  }

  private messageFor(err: unknown): string {
    if (isApiError(err, 'invalid_credentials') || isApiError(err, 'unauthorized')) return t('login.errors.invalid');
    if (isApiError(err, 'rate_limited')) {
      return err.retryAfterSeconds !== undefined ? t('login.errors.rateLimitedFor', { seconds: err.retryAfterSeconds }) : t('login.errors.rateLimited');
    }
    if (isApiError(err, 'password_expired')) return t('login.errors.passwordExpired');
    if (isApiError(err, 'bad_request')) return t('login.errors.invalid');
    if (isApiError(err, 'network_error')) return t('common.errors.network');
    return t('common.errors.generic');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-login': DireturnLogin;
  }
}
