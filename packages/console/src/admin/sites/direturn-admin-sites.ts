import { embedSnippet, type SiteDto } from '@direturn/protocol';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { awayDefaults, createSite, listSitesWithUrl, removeSite as deleteSite, updateSite } from '../../api/accounts-api.js';
import { ApiClient, defaultApiClient } from '../../api/api-client.js';
import { isApiError } from '../../api/api-error.js';
import { I18nController, t } from '../../i18n/i18n.js';
import { nativeLanguageName } from '../../shared/format.js';
import { buttons, forms, tokens } from '../../shared/styles.js';
import { issueTexts } from '../../shared/validation-text.js';
import { adminSitesStyles } from './direturn-admin-sites.styles.js';
import './direturn-site-form.js';
import type { SiteSubmitEvent } from './site-submit-event.js';

/**
 * @summary Admin: the partner sites that embed the chat: a table (origins, language, status,
 * opening hours), an edit form per site with its embed code, removal, and a form to add a site.
 *
 * @csspart table - The sites table.
 * @csspart snippet - The embed code of a site.
 * @csspart error - An error message.
 * @csspart status - The result of the last action.
 */
@customElement('direturn-admin-sites')
export class DireturnAdminSites extends LitElement {
  static override styles = [tokens, buttons, forms, adminSitesStyles];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;

  @state() private sites: SiteDto[] = [];
  /** The server's configured public address (DIRETURN_PUBLIC_URL): the snippet uses it. */
  @state() private publicUrl = '';
  @state() private defaults: Record<string, string> = {};
  @state() private loading = true;
  @state() private error = '';
  @state() private status = '';
  @state() private editing: string | null = null;
  @state() private confirmingRemove: string | null = null;
  @state() private formErrors: string[] = [];
  @state() private createErrors: string[] = [];
  /** The key of the site just added: its embed code is shown under the form. */
  @state() private created: SiteDto | null = null;

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const [list, defaults] = await Promise.all([listSitesWithUrl(this.api), awayDefaults(this.api)]);
      this.sites = list.sites;
      this.publicUrl = list.publicUrl;
      this.defaults = defaults;
      this.error = '';
    } catch (err) {
      this.error = isApiError(err, 'network_error') ? t('common.errors.network') : isApiError(err, 'forbidden') ? t('admin.errors.forbidden') : t('common.errors.generic');
    } finally {
      this.loading = false;
    }
  }

  override render() {
    return html`
      <h1 tabindex="-1">${t('accounts.sites.title')}</h1>
      <div role="alert">${this.error ? html`<p class="error" part="error">${this.error}</p>` : nothing}</div>
      <p role="status" class="success" part="status">${this.status}</p>
      ${this.loading ? html`<p>${t('app.starting')}</p>` : this.renderTable()}
      <h2 id="site-create-title">${t('accounts.sites.createTitle')}</h2>
      <direturn-site-form
        aria-labelledby="site-create-title"
        .defaults=${this.defaults}
        .errors=${this.createErrors}
        .submitLabel=${t('accounts.sites.create')}
        @direturn-site-submit=${this.create}
      ></direturn-site-form>
      ${this.created ? this.renderSnippet(this.created) : nothing}
    `;
  }

  private renderTable() {
    return html`<div class="table-wrap">
      <table part="table">
        <caption>
          ${t('accounts.sites.caption')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('accounts.sites.name')}</th>
            <th scope="col">${t('accounts.sites.key')}</th>
            <th scope="col">${t('accounts.sites.origins')}</th>
            <th scope="col">${t('accounts.sites.language')}</th>
            <th scope="col">${t('accounts.sites.status')}</th>
            <th scope="col">${t('accounts.sites.hours')}</th>
            <th scope="col">${t('accounts.sites.actions')}</th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            this.sites,
            (s) => s.id,
            (s) => html`<tr>
                <th scope="row" dir="auto" id=${`site-${s.id}`}>${s.name}</th>
                <td class="mono"><bdi>${s.key}</bdi></td>
                <td><ul class="plain">${s.allowedOrigins.map((o) => html`<li><bdi class="mono">${o}</bdi></li>`)}</ul></td>
                <td lang=${s.defaultLanguage}>${nativeLanguageName(s.defaultLanguage)}</td>
                <td>${s.enabled ? t('accounts.sites.enabled') : html`<span class="disabled">${t('accounts.sites.disabled')}</span>`}</td>
                <td>${s.openingHours ? html`${t('accounts.sites.hoursSet')} <bdi>${s.timeZone}</bdi>` : t('accounts.sites.alwaysOpenShort')}</td>
                <td>${this.renderActions(s)}</td>
              </tr>
              ${this.editing === s.id
                ? html`<tr>
                    <td colspan="7">
                      <h2 id=${`site-edit-${s.id}`}>${t('accounts.sites.editFor', { name: s.name })}</h2>
                      ${this.renderSnippet(s)}
                      <direturn-site-form
                        aria-labelledby=${`site-edit-${s.id}`}
                        .site=${s}
                        .defaults=${this.defaults}
                        .errors=${this.formErrors}
                        @direturn-site-submit=${(e: SiteSubmitEvent) => this.save(s, e)}
                      ></direturn-site-form>
                    </td>
                  </tr>`
                : nothing}`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderSnippet(s: SiteDto) {
    return html`<p id=${`snippet-${s.id}`}>${t('accounts.sites.snippetHint', { name: s.name })}</p>
      <pre class="snippet" part="snippet" dir="ltr" aria-labelledby=${`snippet-${s.id}`}><code>${embedSnippet(this.publicUrl, s.key)}</code></pre>`;
  }

  private renderActions(s: SiteDto) {
    if (this.confirmingRemove === s.id) {
      return html`<div class="actions" role="group" aria-label=${t('accounts.sites.confirmRemove', { name: s.name })}>
        <span>${t('accounts.sites.confirmRemove', { name: s.name })}</span>
        <button type="button" class="danger" @click=${() => this.removeSite(s)}>${t('accounts.sites.removeYes')}</button>
        <button type="button" class="secondary" @click=${() => (this.confirmingRemove = null)}>${t('common.cancel')}</button>
      </div>`;
    }
    return html`<div class="actions">
      <button type="button" class="secondary" aria-expanded=${this.editing === s.id ? 'true' : 'false'} aria-describedby=${`site-${s.id}`} @click=${() => this.toggleEdit(s)}>
        ${t('accounts.sites.edit')}
      </button>
      <button type="button" class="danger" aria-describedby=${`site-${s.id}`} @click=${() => (this.confirmingRemove = s.id)}>${t('accounts.sites.remove')}</button>
    </div>`;
  }

  private toggleEdit(s: SiteDto): void {
    this.editing = this.editing === s.id ? null : s.id;
    this.formErrors = [];
  }

  private async save(s: SiteDto, e: SiteSubmitEvent): Promise<void> {
    this.status = '';
    this.formErrors = [];
    try {
      const saved = await updateSite(this.api, s.id, e.fields);
      this.sites = this.sites.map((x) => (x.id === saved.id ? saved : x));
      this.editing = null;
      this.status = t('accounts.sites.saved', { name: saved.name });
    } catch (err) {
      this.formErrors = issueTexts(err, t('common.errors.generic'));
    }
  }

  private async removeSite(s: SiteDto): Promise<void> {
    this.confirmingRemove = null;
    this.status = '';
    this.error = '';
    try {
      await deleteSite(this.api, s.id);
      this.sites = this.sites.filter((x) => x.id !== s.id);
      this.status = t('accounts.sites.removed', { name: s.name });
    } catch (err) {
      this.error = isApiError(err, 'site_in_use') ? t('accounts.sites.inUse', { name: s.name }) : t('common.errors.generic');
    }
  }

  private readonly create = async (e: SiteSubmitEvent): Promise<void> => {
    const form = e.target as HTMLElement;
    this.status = '';
    this.createErrors = [];
    try {
      const site = await createSite(this.api, e.fields);
      this.sites = [...this.sites, site];
      this.created = site;
      this.status = t('accounts.sites.created', { name: site.name });
      // A fresh, empty form for the next site.
      (form as HTMLElement & { site: SiteDto | null }).site = null;
      form.shadowRoot?.querySelector('form')?.reset();
    } catch (err) {
      this.createErrors = issueTexts(err, t('common.errors.generic'));
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-admin-sites': DireturnAdminSites;
  }
}
