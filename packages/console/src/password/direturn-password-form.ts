import type { AgentDto } from '@direturn/protocol';
import { LIMITS } from '@direturn/protocol';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { changePassword } from '../api/accounts-api.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import { AgentUpdatedEvent } from '../events/events.js';
import { I18nController, t } from '../i18n/i18n.js';
import { buttons, forms, tokens } from '../shared/styles.js';
import { issueTexts } from '../shared/validation-text.js';
import { passwordFormStyles } from './direturn-password-form.styles.js';

/**
 * @summary The agent changes their own password: the current one (after an admin's reset, the
 * one-time password) and a new one. The server ends the agent's other sessions.
 *
 * @fires direturn-agent-updated - The password was changed; `event.agent` is the agent as now (no longer `passwordChangeRequired`).
 *
 * @csspart form - The form.
 * @csspart error - The list of what is wrong.
 * @csspart status - The success message.
 */
@customElement('direturn-password-form')
export class DireturnPasswordForm extends LitElement {
  static override styles = [tokens, buttons, forms, passwordFormStyles];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;
  /** After an admin's reset: explains the one-time password. */
  @property({ type: Boolean }) required = false;
  /** Level of the form's heading (2 inside the profile, 1 as its own page). */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  @state() private errors: string[] = [];
  @state() private status = '';
  @state() private busy = false;
  @state() private reveal = false;

  private readonly i18n = new I18nController(this);

  override render() {
    const title = this.required ? t('accounts.password.required.title') : t('accounts.password.title');
    const type = this.reveal ? 'text' : 'password';
    return html`
      ${this.headingLevel === 1 ? html`<h1 id="password-title" tabindex="-1">${title}</h1>` : html`<h2 id="password-title">${title}</h2>`}
      ${this.required ? html`<p>${t('accounts.password.required.intro')}</p>` : nothing}
      <form part="form" @submit=${this.submit} novalidate aria-labelledby="password-title">
        <label>
          ${this.required ? t('accounts.password.oneTime') : t('accounts.password.current')}
          <input name="current" type=${type} autocomplete="current-password" required maxlength=${LIMITS.passwordMaxChars} spellcheck="false" />
        </label>
        <label>
          ${t('accounts.password.new')}
          <input name="new" type=${type} autocomplete="new-password" required minlength=${LIMITS.passwordMinChars} maxlength=${LIMITS.passwordMaxChars} spellcheck="false" aria-describedby="new-password-hint" />
        </label>
        <p class="hint" id="new-password-hint">${t('accounts.password.hint', { min: LIMITS.passwordMinChars })}</p>
        <label class="check"><input type="checkbox" .checked=${this.reveal} @change=${(e: Event) => (this.reveal = (e.target as HTMLInputElement).checked)} />${t('accounts.password.show')}</label>
        <div role="alert">${this.errors.length ? html`<ul class="error" part="error">${this.errors.map((e) => html`<li>${e}</li>`)}</ul>` : nothing}</div>
        <div class="actions">
          <button type="submit" ?disabled=${this.busy}>${t('accounts.password.save')}</button>
          <span role="status" class="success" part="status">${this.status}</span>
        </div>
      </form>
    `;
  }

  private readonly submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const current = String(data.get('current') ?? '');
    const next = String(data.get('new') ?? '');
    this.status = '';
    if (!current || !next) {
      this.errors = [t('accounts.password.errors.missing')];
      return;
    }
    this.busy = true;
    this.errors = [];
    try {
      const { agent, otherSessionsEnded } = await changePassword(this.api, current, next);
      form.reset();
      this.status = otherSessionsEnded > 0 ? t('accounts.password.savedOthersEnded') : t('accounts.password.saved');
      this.dispatchEvent(new AgentUpdatedEvent(agent as AgentDto));
    } catch (err) {
      this.errors = isApiError(err, 'invalid_credentials')
        ? [t('accounts.password.errors.wrongCurrent')]
        : isApiError(err, 'rate_limited') && err.retryAfterSeconds !== undefined
          ? [t('login.errors.rateLimitedFor', { seconds: err.retryAfterSeconds })]
          : issueTexts(err, t('common.errors.generic'));
    } finally {
      this.busy = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-password-form': DireturnPasswordForm;
  }
}
