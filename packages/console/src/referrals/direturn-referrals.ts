import type { AgentDto, ReferralDto, ReferralStatsRow } from '@direturn/protocol';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import { I18nController, t, uiLanguage } from '../i18n/i18n.js';
import '../shared/direturn-admin-table.js';
import type { AdminTableColumn } from '../shared/direturn-admin-table.js';
import { buttons, forms, tokens } from '../shared/styles.js';
import './direturn-referral-timeline.js';
import { onReferral } from './referral-updates.js';

type Filter = 'open' | 'action' | 'all';

/**
 * @summary Referrals: each one's office, status and status over time (the counsellor's own;
 * admins see all), what needs action (the office is not responsible, the mail failed), and for
 * admins the anonymous counts by month, office, district, state and status.
 *
 * @csspart table - The referral table.
 * @csspart stats - The statistics table (admins).
 */
@customElement('direturn-referrals')
export class DireturnReferrals extends LitElement {
  static override styles = [
    tokens,
    buttons,
    forms,
    css`
      :host {
        display: block;
      }
      tr.action td {
        background: var(--_danger-soft);
      }
      .filters {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
        margin-block-end: var(--_space);
      }
      .filters [aria-pressed='true'] {
        background: var(--_accent);
        color: var(--_accent-text);
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;
  @property({ attribute: false }) me: AgentDto | null = null;

  @state() private filter: Filter = 'open';
  @state() private referrals: ReferralDto[] = [];
  @state() private stats: ReferralStatsRow[] = [];
  @state() private loading = true;
  @state() private error = '';

  private readonly i18n = new I18nController(this);
  private off: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.off = onReferral((r) => {
      const exists = this.referrals.some((x) => x.id === r.id);
      this.referrals = exists ? this.referrals.map((x) => (x.id === r.id ? r : x)) : [r, ...this.referrals];
    });
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.off?.();
  }

  private async load(): Promise<void> {
    this.loading = true;
    this.error = '';
    try {
      this.referrals = await this.api.listReferrals({ filter: this.filter });
      if (this.me?.role === 'admin') this.stats = await this.api.referralStats();
    } catch (err) {
      this.error = isApiError(err, 'network_error') ? t('common.errors.network') : t('common.errors.generic');
    } finally {
      this.loading = false;
    }
  }

  override render() {
    const time = new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'medium', timeStyle: 'short' });
    return html`<h1 tabindex="-1">${t('referrals.title')}</h1>
      <div class="filters" role="group" aria-label=${t('referrals.filterLabel')}>
        ${(['open', 'action', 'all'] as const).map(
          (f) => html`<button type="button" class="secondary" aria-pressed=${this.filter === f ? 'true' : 'false'} @click=${() => this.setFilter(f)}>${t(`referrals.filters.${f}`)}</button>`,
        )}
      </div>
      <div role="alert">${this.error ? html`<p class="error">${this.error}</p>` : nothing}</div>
      <direturn-admin-table
        .rows=${this.referrals}
        .columns=${this.columns(time)}
        .loading=${this.loading}
        .rowClass=${(r: ReferralDto) => (r.needsAction ? 'action' : '')}
        caption=${t(`referrals.captions.${this.filter}`)}
        empty=${t('referrals.empty')}
      ></direturn-admin-table>
      ${this.me?.role === 'admin' ? this.renderStats() : nothing}`;
  }

  private columns(time: Intl.DateTimeFormat): AdminTableColumn<ReferralDto>[] {
    return [
      { header: t('referrals.columns.updated'), cell: (r) => html`<time datetime=${new Date(r.updatedAt).toISOString()}>${time.format(r.updatedAt)}</time>` },
      { header: t('referrals.columns.office'), dir: 'auto', cell: (r) => r.office.name },
      {
        header: t('referrals.columns.status'),
        cell: (r) => html`<strong>${t(`referrals.status.${r.status}`)}</strong>
          ${r.needsAction ? html`<br />${t(`referrals.action.${r.status}`, { defaultValue: '' })}` : nothing}
          <direturn-referral-timeline .referral=${r}></direturn-referral-timeline>`,
      },
      { header: t('referrals.columns.counsellor'), dir: 'auto', cell: (r) => r.agentName ?? '–' },
      { header: t('referrals.columns.conversation'), className: 'mono', cell: (r) => r.conversationId },
    ];
  }

  private renderStats() {
    return html`<h2>${t('referrals.stats.title')}</h2>
      <p class="hint">${t('referrals.stats.hint')}</p>
      <div class="table-wrap">
        <table part="stats">
          <caption>
            ${t('referrals.stats.caption')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('referrals.stats.month')}</th>
              <th scope="col">${t('referrals.columns.office')}</th>
              <th scope="col">${t('referrals.stats.district')}</th>
              <th scope="col">${t('referrals.stats.state')}</th>
              <th scope="col">${t('referrals.columns.status')}</th>
              <th scope="col">${t('referrals.stats.count')}</th>
            </tr>
          </thead>
          <tbody>
            ${this.stats.map(
              (s) => html`<tr>
                <td>${s.month}</td>
                <td dir="auto">${s.officeName ?? s.officeId}</td>
                <td class="mono">${s.districtKey ?? '–'}</td>
                <td class="mono">${s.stateKey ?? '–'}</td>
                <td>${t(`referrals.status.${s.status}`)}</td>
                <td>${s.count}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  private setFilter(f: Filter): void {
    this.filter = f;
    void this.load();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-referrals': DireturnReferrals;
  }
}
