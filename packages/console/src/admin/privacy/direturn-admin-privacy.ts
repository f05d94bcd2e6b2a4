import { LANGUAGES, isLanguageCode, type PrivacyLinkDto, type PrivacyOverrideDto, type SiteDto } from '@direturn/protocol';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../../api/api-client.js';
import { isApiError } from '../../api/api-error.js';
import { I18nController, t } from '../../i18n/i18n.js';
import { nativeLanguageName } from '../../shared/format.js';
import '../../shared/direturn-admin-table.js';
import type { AdminTableColumn } from '../../shared/direturn-admin-table.js';
import { buttons, forms, tokens } from '../../shared/styles.js';

const ALL_SITES = '';
const MAX_LINKS = 10;

/**
 * @summary Admin: the privacy notice the widget shows before the first message. Lists the texts that
 * replace the built-in notice (per site, or for all sites) and language, and edits or removes them.
 *
 * @csspart table - The table of notices.
 * @csspart form - The form to write a notice.
 * @csspart error - An error message.
 * @csspart status - The result of the last action.
 */
@customElement('direturn-admin-privacy')
export class DireturnAdminPrivacy extends LitElement {
  static override styles = [
    tokens,
    buttons,
    forms,
    css`
      :host {
        display: block;
      }
      textarea {
        min-block-size: 10rem;
        resize: vertical;
      }
      .link {
        display: grid;
        grid-template-columns: 1fr 2fr auto;
        gap: 0.5rem;
        align-items: end;
        margin-block-end: 0.5rem;
      }
      .excerpt {
        white-space: pre-line;
        max-inline-size: 30rem;
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;

  @state() private overrides: PrivacyOverrideDto[] = [];
  @state() private sites: SiteDto[] = [];
  @state() private error = '';
  @state() private formError = '';
  @state() private status = '';
  /** The notice in the form (new or one being edited). */
  @state() private draft: { siteId: string; language: string; text: string; links: PrivacyLinkDto[] } = { siteId: ALL_SITES, language: 'de', text: '', links: [] };

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const [overrides, sites] = await Promise.all([this.api.listPrivacyOverrides(), this.api.listSites()]);
      this.overrides = overrides;
      this.sites = sites;
    } catch (err) {
      this.error = isApiError(err, 'network_error') ? t('common.errors.network') : t('common.errors.generic');
    }
  }

  private siteName(siteId: string | null): string {
    if (!siteId) return t('admin.privacy.allSites');
    return this.sites.find((s) => s.id === siteId)?.name ?? siteId;
  }

  override render() {
    const d = this.draft;
    return html`
      <h1 tabindex="-1">${t('admin.privacy.title')}</h1>
      <p>${t('admin.privacy.intro')}</p>
      <div role="alert">${this.error ? html`<p class="error" part="error">${this.error}</p>` : nothing}</div>
      <p role="status" class="success" part="status">${this.status}</p>
      <direturn-admin-table
        .rows=${this.overrides}
        .columns=${this.columns()}
        .key=${(o: PrivacyOverrideDto) => `${o.siteId ?? '*'}:${o.language}`}
        caption=${t('admin.privacy.caption')}
        empty=${t('admin.privacy.empty')}
      ></direturn-admin-table>
      <h2 id="form-title">${t('admin.privacy.formTitle')}</h2>
      <form part="form" @submit=${this.save} novalidate aria-labelledby="form-title">
        <label>
          ${t('admin.privacy.site')}
          <select name="siteId" .value=${d.siteId} @change=${(e: Event) => (this.draft = { ...this.draft, siteId: (e.target as HTMLSelectElement).value })}>
            <option value=${ALL_SITES} ?selected=${d.siteId === ALL_SITES}>${t('admin.privacy.allSites')}</option>
            ${this.sites.map((s) => html`<option value=${s.id} ?selected=${d.siteId === s.id}>${s.name}</option>`)}
          </select>
        </label>
        <label>
          ${t('admin.privacy.language')}
          <select name="language" @change=${(e: Event) => (this.draft = { ...this.draft, language: (e.target as HTMLSelectElement).value })}>
            ${LANGUAGES.map((l) => html`<option value=${l.code} lang=${l.code} ?selected=${d.language === l.code}>${l.nativeName}</option>`)}
          </select>
        </label>
        <label>
          ${t('admin.privacy.text')}
          <textarea name="text" required maxlength="4000" dir="auto" lang=${d.language} aria-describedby="text-hint" .value=${d.text} @input=${(e: Event) => (this.draft = { ...this.draft, text: (e.target as HTMLTextAreaElement).value })}></textarea>
        </label>
        <p class="hint" id="text-hint">${t('admin.privacy.textHint')}</p>
        <fieldset>
          <legend>${t('admin.privacy.links')}</legend>
          ${d.links.map(
            (l, i) => html`<div class="link" role="group" aria-label=${t('admin.privacy.linkN', { n: i + 1 })}>
              <label>${t('admin.privacy.linkLabel')}<input .value=${l.label} maxlength="200" @input=${(e: Event) => this.setLink(i, { label: (e.target as HTMLInputElement).value })} /></label>
              <label>${t('admin.privacy.linkUrl')}<input type="url" .value=${l.url} maxlength="2048" dir="ltr" placeholder="https://" @input=${(e: Event) => this.setLink(i, { url: (e.target as HTMLInputElement).value })} /></label>
              <button type="button" class="secondary" aria-label=${t('admin.privacy.removeLinkN', { n: i + 1 })} @click=${() => this.removeLink(i)}>${t('admin.privacy.remove')}</button>
            </div>`,
          )}
          ${d.links.length < MAX_LINKS ? html`<button type="button" class="secondary" @click=${this.addLink}>${t('admin.privacy.addLink')}</button>` : nothing}
        </fieldset>
        <div role="alert">${this.formError ? html`<p class="error" part="error">${this.formError}</p>` : nothing}</div>
        <div class="actions">
          <button type="submit">${t('admin.privacy.save')}</button>
          <button type="button" class="secondary" @click=${this.resetDraft}>${t('admin.privacy.clear')}</button>
        </div>
      </form>
    `;
  }

  private columns(): AdminTableColumn<PrivacyOverrideDto>[] {
    const label = (o: PrivacyOverrideDto) => t('admin.privacy.rowLabel', { site: this.siteName(o.siteId), language: nativeLanguageName(o.language) });
    return [
      { header: t('admin.privacy.site'), rowHeader: true, dir: 'auto', cell: (o) => this.siteName(o.siteId) },
      { header: t('admin.privacy.language'), lang: (o) => o.language, cell: (o) => nativeLanguageName(o.language) },
      { header: t('admin.privacy.text'), className: 'excerpt', dir: 'auto', lang: (o) => o.language, cell: (o) => (o.text.length > 160 ? `${o.text.slice(0, 160)}…` : o.text) },
      { header: t('admin.privacy.links'), cell: (o) => o.links.map((l) => html`<div dir="auto">${l.label}</div>`) },
      {
        header: t('admin.agents.actions'),
        cell: (o) => html`<div class="actions">
          <button type="button" class="secondary" aria-label=${t('admin.privacy.editFor', { label: label(o) })} @click=${() => this.edit(o)}>${t('admin.agents.edit')}</button>
          <button type="button" class="danger" aria-label=${t('admin.privacy.removeFor', { label: label(o) })} @click=${() => this.removeOverride(o)}>${t('admin.privacy.remove')}</button>
        </div>`,
      },
    ];
  }

  private setLink(i: number, change: Partial<PrivacyLinkDto>): void {
    this.draft = { ...this.draft, links: this.draft.links.map((l, j) => (j === i ? { ...l, ...change } : l)) };
  }

  private removeLink(i: number): void {
    this.draft = { ...this.draft, links: this.draft.links.filter((_, j) => j !== i) };
  }

  private readonly addLink = (): void => {
    this.draft = { ...this.draft, links: [...this.draft.links, { label: '', url: '' }] };
    void this.updateComplete.then(() => [...this.renderRoot.querySelectorAll<HTMLInputElement>('.link input')].at(-2)?.focus());
  };

  private readonly resetDraft = (): void => {
    this.draft = { siteId: ALL_SITES, language: 'de', text: '', links: [] };
    this.formError = '';
  };

  private edit(o: PrivacyOverrideDto): void {
    this.draft = { siteId: o.siteId ?? ALL_SITES, language: o.language, text: o.text, links: o.links.map((l) => ({ ...l })) };
    this.status = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLTextAreaElement>('textarea')?.focus());
  }

  private async removeOverride(o: PrivacyOverrideDto): Promise<void> {
    this.error = '';
    this.status = '';
    try {
      await this.api.deletePrivacyOverride(o.siteId, o.language);
      this.overrides = this.overrides.filter((x) => !(x.siteId === o.siteId && x.language === o.language));
      this.status = t('admin.privacy.removed');
    } catch (err) {
      this.error = isApiError(err, 'network_error') ? t('common.errors.network') : t('common.errors.generic');
    }
  }

  private readonly save = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const d = this.draft;
    const text = d.text.trim();
    const links = d.links.map((l) => ({ label: l.label.trim(), url: l.url.trim() })).filter((l) => l.label || l.url);
    this.status = '';
    if (!text) {
      this.formError = t('admin.privacy.errors.text');
      return;
    }
    if (links.some((l) => !l.label || !/^https?:\/\/\S+$/.test(l.url))) {
      this.formError = t('admin.privacy.errors.link');
      return;
    }
    if (!isLanguageCode(d.language)) return;
    this.formError = '';
    try {
      this.overrides = await this.api.putPrivacyOverride({ siteId: d.siteId || null, language: d.language, text, links });
      this.status = t('admin.privacy.saved');
      this.resetDraft();
    } catch (err) {
      this.formError = isApiError(err, 'bad_request') ? t('admin.privacy.errors.invalid') : isApiError(err, 'network_error') ? t('common.errors.network') : t('common.errors.generic');
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-admin-privacy': DireturnAdminPrivacy;
  }
}
