import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CarrierPreference, OfficeLookupResponse } from '@direturn/protocol';
import { I18nController, useNamespace } from '../i18n/i18n.js';
import { tokens, visuallyHidden } from '../theme/tokens.js';
import { surfaces } from '../theme/surfaces.js';
import { DiReturnOfficesCloseEvent } from '../events/direturn-offices.js';
import { officeStyles } from './offices.styles.js';
import { officeCard } from './office-card.js';

export type LookupFetch = (url: string) => Promise<Response>;

/**
 * @summary "Find my counselling office": postcode (and, where a postcode spans several districts,
 * the place) → the responsible offices, with tap to call, e-mail, map link, opening hours and
 * languages, in the visitor's language. Works without a chat and stores nothing: no cookie, no
 * storage, and the answer is not cached.
 *
 * @fires direturn-offices-close - The visitor goes back.
 * @csspart form - The postcode form.
 * @csspart results - The answer region.
 * @csspart office - One office.
 * @csspart credit - The postcode data's credit (GeoNames, CC BY 4.0).
 */
@customElement('direturn-office-search')
export class OfficeSearch extends LitElement {
  static override styles = [tokens, surfaces, visuallyHidden, officeStyles];

  /** For tests; the frame's same-origin API otherwise. */
  @property({ attribute: false }) fetcher: LookupFetch = (url) => fetch(url, { cache: 'no-store', credentials: 'omit' });

  @state() private result: OfficeLookupResponse | null = null;
  @state() private failed = false;
  @state() private searching = false;
  @state() private textsReady = false;
  private postcode = '';
  private carrier: CarrierPreference = 'any';

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    // The texts of this view travel with it, not with the chat.
    this.texts = useNamespace('offices')
      .catch(() => undefined)
      .then(() => {
        this.textsReady = true;
      });
  }

  private texts: Promise<void> = Promise.resolve();

  /** Focuses the heading (the view just opened; the heading comes with the view's texts). */
  override async focus(): Promise<void> {
    await this.texts;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  /** Looks a postcode up (also what the form does). */
  async search(postcode: string, opts: { area?: string; carrier?: CarrierPreference } = {}): Promise<void> {
    this.postcode = postcode.trim();
    if (opts.carrier) this.carrier = opts.carrier;
    const params = new URLSearchParams({ postcode: this.postcode, carrier: this.carrier });
    if (opts.area) params.set('area', opts.area);
    this.searching = true;
    this.failed = false;
    try {
      const res = await this.fetcher(`/api/public/offices/lookup?${params.toString()}`);
      if (res.status === 400) this.result = { status: 'malformed' };
      else if (!res.ok) throw new Error(`HTTP ${res.status}`);
      else this.result = (await res.json()) as OfficeLookupResponse;
    } catch {
      this.failed = true;
      this.result = null;
    } finally {
      this.searching = false;
    }
  }

  override render() {
    const { t } = this.i18n;
    if (!this.textsReady) return html`<p role="status">${t('app.loading', { defaultValue: '…' })}</p>`;
    return html`
      <h2 tabindex="-1">${t('officeSearch.title')}</h2>
      <p>${t('officeSearch.intro')}</p>
      <form part="form" role="search" @submit=${this.onSubmit} novalidate>
        <label
          >${t('officeSearch.postcode')}
          <input name="postcode" inputmode="numeric" autocomplete="postal-code" maxlength="10" dir="ltr" .value=${this.postcode} required />
        </label>
        <label
          >${t('officeSearch.carrierLabel')}
          <select name="carrier">
            <option value="any" ?selected=${this.carrier === 'any'}>${t('officeSearch.carrierAny')}</option>
            <option value="non_state" ?selected=${this.carrier === 'non_state'}>${t('officeSearch.carrier.non_state')}</option>
            <option value="state" ?selected=${this.carrier === 'state'}>${t('officeSearch.carrier.state')}</option>
          </select>
        </label>
        <button type="submit" ?disabled=${this.searching}>${t('officeSearch.search')}</button>
      </form>
      <div part="results" role="region" aria-live="polite" aria-label=${t('officeSearch.results')} aria-busy=${this.searching ? 'true' : 'false'}>
        ${this.renderResult()}
      </div>
      <p class="credit" part="credit">
        ${t('officeSearch.credit')}
        <a href="https://www.geonames.org/" target="_blank" rel="noopener noreferrer">GeoNames (geonames.org)</a>,
        <a href="https://creativecommons.org/licenses/by/4.0/" target="_blank" rel="noopener noreferrer">CC BY 4.0</a>
      </p>
      <div class="actions">
        <button type="button" class="secondary" @click=${() => this.dispatchEvent(new DiReturnOfficesCloseEvent())}>${t('officeSearch.back')}</button>
      </div>
    `;
  }

  private renderResult() {
    const { t } = this.i18n;
    if (this.searching) return html`<p>${t('officeSearch.searching')}</p>`;
    if (this.failed) return html`<p class="message">${t('officeSearch.failed')}</p>`;
    const r = this.result;
    if (!r) return nothing;
    switch (r.status) {
      case 'malformed':
      case 'unknown':
      case 'po_box':
        return html`<p class="message">${t(`officeSearch.answer.${r.status}`)}</p>`;
      case 'none':
        return html`<p class="message">${t('officeSearch.answer.none', { district: r.district.name })}</p>`;
      case 'choose_place':
        return html`<p>${t('officeSearch.answer.choosePlace')}</p>
          <ul class="places">
            ${r.places.map(
              (p) => html`<li>
                <button type="button" class="secondary" @click=${() => this.search(r.postcode, { area: p.areaKey })}>
                  <span dir="auto">${p.name}</span> <span class="meta">(${p.districtName})</span>
                </button>
              </li>`,
            )}
          </ul>`;
      case 'found':
        return html`<p>
            ${r.match === 'fallback' ? t('officeSearch.answer.fallback', { district: r.district.name }) : t('officeSearch.answer.found', { district: r.district.name })}
            ${r.offices.length > 1 ? t('officeSearch.answer.choice') : nothing}
          </p>
          <ul class="offices">
            ${r.offices.map((o) => html`<li>${officeCard(o, t, this.i18n.language)}</li>`)}
          </ul>`;
    }
  }

  private readonly onSubmit = (e: SubmitEvent): void => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    void this.search(String(data.get('postcode') ?? ''), { carrier: (String(data.get('carrier') ?? 'any') as CarrierPreference) || 'any' });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-office-search': OfficeSearch;
  }
}
