import type { AgentDto } from '@direturn/protocol';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import { AgentUpdatedEvent } from '../events/events.js';
import { I18nController, t, tSlots } from '../i18n/i18n.js';
import { checkedLanguages, languagesFieldset } from '../shared/languages-fieldset.js';
import { buttons, forms, tokens } from '../shared/styles.js';
import './direturn-totp-setup.js';
import '../password/direturn-password-form.js';
import '../notify/direturn-notify-settings.js';
import type { WorkNotifier } from '../notify/work-notifier.js';

/**
 * @summary The signed-in agent's own settings: the languages they counsel in and two-factor
 * authentication (set up, or turn off with the password).
 *
 * @fires direturn-agent-updated - The agent's languages or 2FA state changed; `event.agent` is the new state.
 *
 * @csspart languages - The languages form.
 * @csspart password - The password change.
 * @csspart security - The two-factor section.
 * @csspart error - An error message.
 * @csspart status - A success message.
 */
@customElement('direturn-profile')
export class DireturnProfile extends LitElement {
  static override styles = [
    tokens,
    buttons,
    forms,
    css`
      :host {
        display: block;
      }
      section + section {
        margin-block-start: calc(var(--_space) * 2);
      }
      p {
        margin-block: 0 var(--_space);
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;
  @property({ attribute: false }) agent: AgentDto | null = null;
  /** Notification settings of this device (shown when given). */
  @property({ attribute: false }) notifier: WorkNotifier | null = null;

  @state() private languagesError = '';
  @state() private languagesStatus = '';
  @state() private securityError = '';
  @state() private securityStatus = '';
  @state() private busy = false;

  private readonly i18n = new I18nController(this);

  override render() {
    const a = this.agent;
    if (!a) return nothing;
    return html`
      <h1 id="profile-title" tabindex="-1">${t('profile.title')}</h1>
      <p>${tSlots('profile.identity', { name: html`<bdi>${a.name}</bdi>`, email: html`<bdi>${a.email}</bdi>` })}</p>
      <section aria-labelledby="languages-title">
        <h2 id="languages-title">${t('profile.languages.title')}</h2>
        <form part="languages" @submit=${this.saveLanguages} novalidate>
          <p class="hint" id="languages-hint">${t('profile.languages.hint')}</p>
          ${languagesFieldset(t('profile.languages.legend'), 'languages', a.languages, 'languages-hint')}
          <div role="alert">${this.languagesError ? html`<p class="error" part="error">${this.languagesError}</p>` : nothing}</div>
          <div class="actions">
            <button type="submit" ?disabled=${this.busy}>${t('profile.languages.save')}</button>
            <span role="status" class="success" part="status">${this.languagesStatus}</span>
          </div>
        </form>
      </section>
      <section part="password">
        <direturn-password-form .api=${this.api}></direturn-password-form>
      </section>
      <section part="security" aria-labelledby="security-title">
        <h2 id="security-title">${t('profile.security.title')}</h2>
        ${a.totpEnabled ? this.renderDisable() : html`<direturn-totp-setup .api=${this.api} heading-level="3" @direturn-totp-enabled=${this.onEnabled}></direturn-totp-setup>`}
        <p role="status" class="success">${this.securityStatus}</p>
      </section>
      ${this.notifier ? html`<section part="notifications"><direturn-notify-settings .notifier=${this.notifier}></direturn-notify-settings></section>` : nothing}
    `;
  }

  private renderDisable() {
    return html`<p>${t('profile.security.on')}</p>
      <form @submit=${this.disable} novalidate>
        <h3>${t('profile.security.disableTitle')}</h3>
        <label>
          ${t('login.password')}
          <input name="password" type="password" autocomplete="current-password" required maxlength="1024" />
        </label>
        <div role="alert">${this.securityError ? html`<p class="error" part="error">${this.securityError}</p>` : nothing}</div>
        <div class="actions"><button type="submit" class="danger" ?disabled=${this.busy}>${t('profile.security.disable')}</button></div>
      </form>`;
  }

  private readonly saveLanguages = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const languages = checkedLanguages(e.currentTarget as HTMLFormElement, 'languages');
    this.languagesStatus = '';
    if (languages.length === 0) {
      this.languagesError = t('profile.languages.errors.none');
      return;
    }
    this.busy = true;
    this.languagesError = '';
    try {
      const agent = await this.api.updateMyLanguages(languages);
      this.dispatchEvent(new AgentUpdatedEvent(agent));
      this.languagesStatus = t('profile.languages.saved');
    } catch (err) {
      this.languagesError = isApiError(err, 'network_error') ? t('common.errors.network') : t('profile.languages.errors.save');
    } finally {
      this.busy = false;
    }
  };

  private readonly onEnabled = (): void => {
    if (!this.agent) return;
    this.securityStatus = t('profile.security.enabled');
    this.dispatchEvent(new AgentUpdatedEvent({ ...this.agent, totpEnabled: true, totpSetupRequired: false }));
  };

  private readonly disable = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const password = String(new FormData(form).get('password') ?? '');
    this.securityStatus = '';
    if (!password) {
      this.securityError = t('profile.security.errors.password');
      return;
    }
    this.busy = true;
    this.securityError = '';
    try {
      await this.api.totpDisable(password);
      form.reset();
      if (this.agent) this.dispatchEvent(new AgentUpdatedEvent({ ...this.agent, totpEnabled: false }));
      this.securityStatus = t('profile.security.disabled');
    } catch (err) {
      this.securityError = isApiError(err, 'forbidden')
        ? t('profile.security.errors.required')
        : isApiError(err, 'invalid_credentials')
          ? t('profile.security.errors.wrongPassword')
          : isApiError(err, 'rate_limited') && err.retryAfterSeconds !== undefined
            ? t('login.errors.rateLimitedFor', { seconds: err.retryAfterSeconds })
            : t('common.errors.generic');
    } finally {
      this.busy = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-profile': DireturnProfile;
  }
}
