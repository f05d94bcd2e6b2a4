import type { AgentDto, SettingsDto } from '@direturn/protocol';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../../api/api-client.js';
import { isApiError } from '../../api/api-error.js';
import { I18nController, t } from '../../i18n/i18n.js';
import { buttons, forms, tokens } from '../../shared/styles.js';

/**
 * @summary Admin: installation settings — how many days closed conversations are kept, and whether
 * every agent must use two-factor authentication (the server refuses that until the admin has it).
 *
 * @csspart form - The settings form.
 * @csspart error - An error message.
 * @csspart status - "Saved".
 */
@customElement('direturn-admin-settings')
export class DireturnAdminSettings extends LitElement {
  static override styles = [
    tokens,
    buttons,
    forms,
    css`
      :host {
        display: block;
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;
  /** The signed-in admin: enforcing 2FA needs their own 2FA first. */
  @property({ attribute: false }) me: AgentDto | null = null;

  @state() private settings: SettingsDto | null = null;
  @state() private error = '';
  @state() private status = '';
  @state() private busy = false;

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.settings = await this.api.getSettings();
    } catch (err) {
      this.error = isApiError(err, 'network_error') ? t('common.errors.network') : t('common.errors.generic');
    }
  }

  override render() {
    const s = this.settings;
    return html`
      <h1 tabindex="-1">${t('admin.settings.title')}</h1>
      ${s
        ? html`<form part="form" @submit=${this.save} novalidate>
            <label>
              ${t('admin.settings.retention')}
              <input name="retentionDays" type="number" inputmode="numeric" min="1" max="3650" step="1" required .value=${String(s.retentionDays)} aria-describedby="retention-hint" />
            </label>
            <p class="hint" id="retention-hint">${t('admin.settings.retentionHint')}</p>
            <label class="check">
              <input name="requireTotp" type="checkbox" .checked=${s.requireTotp} aria-describedby="totp-hint" />
              ${t('admin.settings.requireTotp')}
            </label>
            <p class="hint" id="totp-hint">
              ${this.me?.totpEnabled ? t('admin.settings.requireTotpHint') : t('admin.settings.requireTotpNeedsOwn')}
            </p>
            <div role="alert">${this.error ? html`<p class="error" part="error">${this.error}</p>` : nothing}</div>
            <div class="actions">
              <button type="submit" ?disabled=${this.busy}>${t('admin.settings.save')}</button>
              <span role="status" class="success" part="status">${this.status}</span>
            </div>
          </form>`
        : html`<div role="alert">${this.error ? html`<p class="error" part="error">${this.error}</p>` : nothing}</div>
            ${this.error ? nothing : html`<p>${t('app.starting')}</p>`}`}
    `;
  }

  private readonly save = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const days = Number((form.elements.namedItem('retentionDays') as HTMLInputElement).value);
    const requireTotp = (form.elements.namedItem('requireTotp') as HTMLInputElement).checked;
    this.status = '';
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      this.error = t('admin.settings.errors.retention');
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      this.settings = await this.api.updateSettings({ retentionDays: days, requireTotp });
      this.status = t('admin.settings.saved');
    } catch (err) {
      if (requireTotp && !this.settings?.requireTotp && isApiError(err, 'bad_request')) this.error = t('admin.settings.errors.ownTotpFirst');
      else if (isApiError(err, 'bad_request')) this.error = t('admin.settings.errors.retention');
      else this.error = isApiError(err, 'network_error') ? t('common.errors.network') : t('common.errors.generic');
    } finally {
      this.busy = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-admin-settings': DireturnAdminSettings;
  }
}
