import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import { LoginEvent } from '../events/events.js';
import { I18nController, t } from '../i18n/i18n.js';
import { buttons, tokens } from '../shared/styles.js';

/**
 * @summary Sign-in form for counsellors: e-mail and password, posted to `/api/auth/login`.
 *
 * @fires direturn-login - The server accepted the credentials; `event.agent` is the signed-in agent.
 *
 * @csspart form - The form element.
 * @csspart error - The error message shown after a failed attempt.
 * @csspart submit - The submit button.
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

  @query('input[name="email"]') private emailInput!: HTMLInputElement;

  private readonly i18n = new I18nController(this);

  override focus(options?: FocusOptions): void {
    this.emailInput?.focus(options);
  }

  override render() {
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
      const agent = await this.api.login({ email, password });
      form.reset();
      this.dispatchEvent(new LoginEvent(agent));
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
    if (isApiError(err, 'rate_limited')) return t('login.errors.rateLimited');
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
