import type { OfficeCoverageReport } from '@direturn/protocol';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { I18nController, t } from '../i18n/i18n.js';
import { buttons, forms, tokens } from '../shared/styles.js';

/**
 * @summary Admin: the coverage check: districts and federal states where no active office is
 * responsible, and the fallback office people there are offered.
 *
 * @csspart summary - The line with the counts.
 * @csspart gaps - The list of districts without an office, by state.
 */
@customElement('direturn-office-coverage')
export class DireturnOfficeCoverage extends LitElement {
  static override styles = [
    tokens,
    buttons,
    forms,
    css`
      :host {
        display: block;
      }
      details {
        margin-block: 0.25rem;
      }
      ul.districts {
        columns: 16rem;
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;

  @state() private report: OfficeCoverageReport | null = null;
  @state() private loading = false;
  @state() private error = '';

  private readonly i18n = new I18nController(this);

  /** Runs the check again (after an edit or import). */
  async refresh(): Promise<void> {
    this.loading = true;
    this.error = '';
    try {
      this.report = await this.api.officeCoverage();
    } catch {
      this.error = t('common.errors.generic');
    } finally {
      this.loading = false;
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  override render() {
    const r = this.report;
    const byState = new Map<string, { name: string; districts: OfficeCoverageReport['uncoveredDistricts'] }>();
    for (const d of r?.uncoveredDistricts ?? []) {
      const entry = byState.get(d.stateKey) ?? { name: d.stateName, districts: [] };
      entry.districts.push(d);
      byState.set(d.stateKey, entry);
    }
    return html`<h2>${t('offices.coverage.title')}</h2>
      <div class="actions"><button class="secondary" type="button" ?disabled=${this.loading} @click=${() => this.refresh()}>${t('offices.coverage.check')}</button></div>
      <div role="alert">${this.error ? html`<p class="error">${this.error}</p>` : nothing}</div>
      ${r
        ? html`<p part="summary" aria-live="polite">${t('offices.coverage.summary', { covered: r.coveredDistricts, total: r.districts })}</p>
            <p>
              ${r.fallbackOffices.length
                ? t('offices.coverage.fallback', { names: r.fallbackOffices.map((o) => o.name).join(', ') })
                : html`<strong>${t('offices.coverage.noFallback')}</strong>`}
            </p>
            ${r.uncoveredStates.length
              ? html`<p>${t('offices.coverage.states', { names: r.uncoveredStates.map((s) => s.name).join(', ') })}</p>`
              : nothing}
            <div part="gaps">
              ${[...byState.entries()].map(
                ([key, s]) => html`<details>
                  <summary>${t('offices.coverage.stateLine', { state: s.name, count: s.districts.length })}</summary>
                  <ul class="districts">
                    ${s.districts.map((d) => html`<li><span class="mono">${d.key}</span> ${d.name}${d.partly ? ` (${t('offices.coverage.partly')})` : ''}</li>`)}
                  </ul>
                </details>`,
              )}
            </div>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-office-coverage': DireturnOfficeCoverage;
  }
}
