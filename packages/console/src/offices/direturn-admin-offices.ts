import type { OfficeAdminDto } from '@direturn/protocol';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import { I18nController, t } from '../i18n/i18n.js';
import '../shared/direturn-admin-table.js';
import type { AdminTableColumn } from '../shared/direturn-admin-table.js';
import { buttons, forms, tokens } from '../shared/styles.js';
import './direturn-office-coverage.js';
import type { DireturnOfficeCoverage } from './direturn-office-coverage.js';
import './direturn-office-form.js';
import type { OfficeSavedEvent } from './direturn-office-form.js';
import './direturn-office-import.js';

/**
 * @summary Admin: the office directory: every office with its areas, create, edit, deactivate
 * and reactivate; import and export (CSV, JSON); the coverage check.
 *
 * @csspart table - The office table.
 * @csspart export - The export links.
 */
@customElement('direturn-admin-offices')
export class DireturnAdminOffices extends LitElement {
  static override styles = [
    tokens,
    buttons,
    forms,
    css`
      :host {
        display: block;
      }
      .badge {
        display: inline-block;
        font-size: 0.75rem;
        padding-inline: 0.4rem;
        border-radius: 999px;
        border: 1px solid var(--_border);
        background: var(--_surface-alt);
        margin-inline-start: 0.25rem;
      }
      tr.inactive td {
        color: var(--_muted);
      }
      section {
        margin-block-start: calc(var(--_space) * 2);
      }
      a.button {
        display: inline-block;
        text-decoration: none;
        padding: 0.45rem 0.9rem;
        border: 1px solid var(--_accent);
        border-radius: var(--_radius);
        color: var(--_accent);
        background: var(--_surface);
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;

  @state() private offices: OfficeAdminDto[] = [];
  @state() private loading = true;
  @state() private error = '';
  /** The office in the form: null = none open, 'new' = a new one. */
  @state() private editing: OfficeAdminDto | 'new' | null = null;

  @query('direturn-office-coverage') private coverage?: DireturnOfficeCoverage;

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.loading = true;
    this.error = '';
    try {
      this.offices = await this.api.listOffices();
    } catch (err) {
      this.error = isApiError(err, 'network_error') ? t('common.errors.network') : t('common.errors.generic');
    } finally {
      this.loading = false;
    }
  }

  override render() {
    return html`<h1 tabindex="-1">${t('offices.title')}</h1>
      <p class="hint">${t('offices.intro')}</p>
      <div class="actions">
        <button type="button" @click=${() => this.edit('new')}>${t('offices.new')}</button>
        <span part="export" class="actions">
          <a class="button" href="/api/offices/export?format=csv" download="offices.csv">${t('offices.exportCsv')}</a>
          <a class="button" href="/api/offices/export?format=json" download="offices.json">${t('offices.exportJson')}</a>
        </span>
      </div>
      ${this.editing
        ? html`<section>
            <direturn-office-form
              .api=${this.api}
              .office=${this.editing === 'new' ? null : this.editing}
              @direturn-office-saved=${this.onSaved}
              @direturn-office-form-cancel=${() => (this.editing = null)}
            ></direturn-office-form>
          </section>`
        : nothing}
      <div role="alert">${this.error ? html`<p class="error">${this.error}</p>` : nothing}</div>
      <direturn-admin-table
        .rows=${this.offices}
        .columns=${this.columns()}
        .loading=${this.loading}
        .rowClass=${(o: OfficeAdminDto) => (o.active ? '' : 'inactive')}
        caption=${t('offices.caption', { count: this.offices.length })}
        empty=${t('offices.empty')}
      ></direturn-admin-table>
      <section><direturn-office-import @direturn-offices-imported=${this.onChanged}></direturn-office-import></section>
      <section><direturn-office-coverage .api=${this.api}></direturn-office-coverage></section>`;
  }

  private columns(): AdminTableColumn<OfficeAdminDto>[] {
    return [
      {
        header: t('offices.fields.name'),
        dir: 'auto',
        cell: (o) => html`${o.name}<br /><span class="hint">${o.organisation}</span>
          ${o.example ? html`<span class="badge">${t('offices.exampleBadge')}</span>` : nothing}
          ${o.fallback ? html`<span class="badge">${t('offices.fallbackBadge')}</span>` : nothing}`,
      },
      { header: t('offices.fields.carrier'), cell: (o) => t(`offices.carrier.${o.carrier}`) },
      { header: t('offices.fields.areaKeys'), className: 'mono', cell: (o) => o.areaKeys.join(', ') || '–' },
      { header: t('offices.fields.email'), dir: 'auto', cell: (o) => o.email ?? '–' },
      { header: t('offices.status'), cell: (o) => (o.active ? t('offices.active') : t('offices.inactive')) },
      {
        header: html`<span class="visually-hidden">${t('offices.actions')}</span>`,
        className: 'actions',
        cell: (o) => html`<button type="button" class="secondary" @click=${() => this.edit(o)} aria-label=${t('offices.editNamed', { name: o.name })}>${t('offices.edit')}</button>
          <button type="button" class=${o.active ? 'danger' : 'secondary'} @click=${() => this.toggle(o)} aria-label=${t(o.active ? 'offices.deactivateNamed' : 'offices.activateNamed', { name: o.name })}>
            ${o.active ? t('offices.deactivate') : t('offices.activate')}
          </button>`,
      },
    ];
  }

  private async edit(office: OfficeAdminDto | 'new'): Promise<void> {
    this.editing = office;
    await this.updateComplete;
    const form = this.renderRoot.querySelector('direturn-office-form');
    await form?.updateComplete;
    form?.shadowRoot?.querySelector<HTMLElement>('h2')?.focus();
  }

  private async toggle(o: OfficeAdminDto): Promise<void> {
    try {
      const updated = await this.api.updateOffice(o.id, { active: !o.active });
      this.offices = this.offices.map((x) => (x.id === updated.id ? updated : x));
      void this.coverage?.refresh();
    } catch {
      this.error = t('common.errors.generic');
    }
  }

  private readonly onSaved = (e: OfficeSavedEvent): void => {
    this.editing = null;
    const exists = this.offices.some((o) => o.id === e.office.id);
    this.offices = exists ? this.offices.map((o) => (o.id === e.office.id ? e.office : o)) : [...this.offices, e.office].sort((a, b) => a.name.localeCompare(b.name));
    void this.coverage?.refresh();
  };

  private readonly onChanged = (): void => {
    void this.load();
    void this.coverage?.refresh();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-admin-offices': DireturnAdminOffices;
  }
}
