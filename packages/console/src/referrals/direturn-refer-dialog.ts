import { LANGUAGE_CODES, type CarrierPreference, type LanguageCode, type OfficeLookupResponse, type OfficeMatchDto, type ReferralDto } from '@direturn/protocol';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import { I18nController, t } from '../i18n/i18n.js';
import { nativeLanguageName } from '../shared/format.js';
import { buttons, forms, tokens } from '../shared/styles.js';

/** A referral was proposed to the visitor. */
export class ReferralProposedEvent extends Event {
  static readonly eventName = 'direturn-referral-proposed';
  constructor(readonly referral: ReferralDto) {
    super(ReferralProposedEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * @summary The Refer dialog: find the responsible office by postcode (prefilled from what the
 * visitor wrote), pick one, draft the summary for it (no transcript: the visitor decides that),
 * and propose it to the visitor, who sees exactly this and agrees or declines.
 *
 * @fires direturn-referral-proposed - The referral was created (`referral`).
 * @csspart dialog - The modal dialog.
 * @csspart results - The offices found.
 */
@customElement('direturn-refer-dialog')
export class DireturnReferDialog extends LitElement {
  static override styles = [
    tokens,
    buttons,
    forms,
    css`
      dialog {
        inline-size: min(44rem, calc(100vw - 2rem));
        max-block-size: calc(100dvh - 2rem);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_surface);
        color: var(--_text);
        padding: calc(var(--_space) * 1.5);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.4);
      }
      form.search {
        grid-template-columns: 1fr auto auto;
        align-items: end;
        max-inline-size: none;
      }
      .offices {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 0.5rem;
      }
      .offices label {
        display: flex;
        gap: 0.5rem;
        align-items: start;
        font-weight: 400;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 0.5rem;
      }
      .offices strong {
        display: block;
      }
      textarea {
        min-block-size: 4rem;
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;
  @property({ attribute: false }) conversationId = '';
  /** The visitor's language, preset in the summary. */
  @property({ attribute: false }) language: LanguageCode = 'de';
  /** A postcode the visitor wrote, preset in the search. */
  @property({ attribute: false }) postcode = '';

  @state() private result: OfficeLookupResponse | null = null;
  @state() private officeId = '';
  @state() private searching = false;
  @state() private saving = false;
  @state() private error = '';
  @state() private issues: string[] = [];
  private carrier: CarrierPreference = 'any';
  private area = '';

  @query('dialog') private dialog!: HTMLDialogElement;

  private readonly i18n = new I18nController(this);

  /** Opens the dialog (focus goes to the postcode field) and searches if a postcode is known. */
  async open(): Promise<void> {
    this.result = null;
    this.officeId = '';
    this.error = '';
    this.issues = [];
    this.area = '';
    await this.updateComplete;
    this.dialog.showModal();
    this.renderRoot.querySelector<HTMLInputElement>('input[name="postcode"]')?.focus();
    if (this.postcode) await this.search(this.postcode);
  }

  close(): void {
    this.dialog?.close();
  }

  override render() {
    return html`<dialog part="dialog" aria-labelledby="refer-title" @close=${() => (this.result = null)}>
      <h2 id="refer-title">${t('referrals.dialog.title')}</h2>
      <form class="search" role="search" @submit=${this.onSearch} novalidate>
        <label>${t('referrals.dialog.postcode')}<input name="postcode" inputmode="numeric" autocomplete="off" maxlength="10" .value=${this.postcode} /></label>
        <label
          >${t('referrals.dialog.carrier')}
          <select name="carrier">
            <option value="any">${t('referrals.dialog.carrierAny')}</option>
            <option value="non_state">${t('offices.carrier.non_state')}</option>
            <option value="state">${t('offices.carrier.state')}</option>
          </select>
        </label>
        <button type="submit" ?disabled=${this.searching}>${t('referrals.dialog.search')}</button>
      </form>
      <div aria-live="polite">${this.renderResult()}</div>
      ${this.result?.status === 'found' ? this.renderSummary() : nothing}
      <div role="alert">
        ${this.error ? html`<p class="error">${this.error}</p>` : nothing}
        ${this.issues.length ? html`<ul class="error">${this.issues.map((i) => html`<li>${i}</li>`)}</ul>` : nothing}
      </div>
      <div class="actions">
        <button type="button" class="secondary" @click=${() => this.close()}>${t('common.cancel')}</button>
      </div>
    </dialog>`;
  }

  private renderResult() {
    const r = this.result;
    if (!r) return this.searching ? html`<p>${t('referrals.dialog.searching')}</p>` : nothing;
    switch (r.status) {
      case 'malformed':
      case 'unknown':
      case 'po_box':
        return html`<p>${t(`referrals.dialog.${r.status}`)}</p>`;
      case 'none':
        return html`<p>${t('referrals.dialog.none', { district: r.district.name })}</p>`;
      case 'choose_place':
        return html`<fieldset>
          <legend>${t('referrals.dialog.choosePlace')}</legend>
          ${r.places.map(
            (p) => html`<label class="check"><input type="radio" name="place" value=${p.areaKey} @change=${() => this.choosePlace(r.postcode, p.areaKey)} /> ${p.name} (${p.districtName})</label>`,
          )}
        </fieldset>`;
      case 'found':
        return html`<p>
            ${r.match === 'fallback' ? t('referrals.dialog.fallback', { district: r.district.name }) : t('referrals.dialog.found', { district: r.district.name, state: r.state.name })}
            ${r.offices.length > 1 ? t('referrals.dialog.choice') : nothing}
          </p>
          <ul class="offices" part="results">
            ${r.offices.map((o) => this.renderOffice(o))}
          </ul>`;
    }
  }

  private renderOffice(o: OfficeMatchDto) {
    return html`<li>
      <label>
        <input type="radio" name="office" value=${o.id} .checked=${this.officeId === o.id} @change=${() => (this.officeId = o.id)} ?disabled=${!o.email} />
        <span>
          <strong dir="auto">${o.name}</strong>
          <span dir="auto">${o.organisation}</span> · ${t(`offices.carrier.${o.carrier}`)}${o.distanceKm !== null ? ` · ${t('referrals.dialog.distance', { km: o.distanceKm })}` : ''}
          ${o.example ? html`<br /><em>${t('offices.exampleBadge')}</em>` : nothing}
          ${o.email ? nothing : html`<br /><em>${t('referrals.dialog.noEmail')}</em>`}
        </span>
      </label>
    </li>`;
  }

  private renderSummary() {
    return html`<form @submit=${this.onPropose} novalidate>
      <h3>${t('referrals.dialog.summaryTitle')}</h3>
      <p class="hint">${t('referrals.dialog.summaryHint')}</p>
      <label
        >${t('referrals.summary.language')}
        <select name="language">
          ${LANGUAGE_CODES.map((code) => html`<option value=${code} ?selected=${code === this.language} lang=${code}>${nativeLanguageName(code)}</option>`)}
        </select>
      </label>
      <label>${t('referrals.summary.countryOfReturn')}<input name="countryOfReturn" maxlength="100" /></label>
      <label>${t('referrals.summary.situation')}<textarea name="situation" maxlength="2000" required></textarea></label>
      <label>${t('referrals.summary.needs')}<textarea name="needs" maxlength="2000"></textarea></label>
      <label>${t('referrals.summary.discussed')}<textarea name="discussed" maxlength="2000"></textarea></label>
      <div class="actions">
        <button type="submit" ?disabled=${this.saving || !this.officeId}>${t('referrals.dialog.propose')}</button>
        ${this.officeId ? nothing : html`<span class="hint">${t('referrals.dialog.pickOffice')}</span>`}
      </div>
    </form>`;
  }

  private readonly onSearch = (e: SubmitEvent): void => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    this.carrier = (String(f.get('carrier')) as CarrierPreference) || 'any';
    this.area = '';
    void this.search(String(f.get('postcode') ?? ''));
  };

  private choosePlace(postcode: string, area: string): void {
    this.area = area;
    void this.search(postcode);
  }

  private async search(postcode: string): Promise<void> {
    this.searching = true;
    this.error = '';
    this.officeId = '';
    try {
      this.result = await this.api.lookupOffices(postcode.trim(), { carrier: this.carrier, ...(this.area ? { area: this.area } : {}) });
      if (this.result.status === 'found') this.officeId = this.result.offices.find((o) => o.email)?.id ?? '';
    } catch (err) {
      this.error = isApiError(err, 'bad_request') ? t('referrals.dialog.malformed') : t('common.errors.generic');
    } finally {
      this.searching = false;
    }
  }

  private readonly onPropose = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const r = this.result;
    if (r?.status !== 'found' || !this.officeId) return;
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const v = (name: string) => String(f.get(name) ?? '').trim();
    this.saving = true;
    this.error = '';
    this.issues = [];
    try {
      const referral = await this.api.createReferral({
        conversationId: this.conversationId,
        officeId: this.officeId,
        districtKey: r.district.key,
        summary: { language: v('language') as LanguageCode, countryOfReturn: v('countryOfReturn'), situation: v('situation'), needs: v('needs'), discussed: v('discussed') },
      });
      this.dispatchEvent(new ReferralProposedEvent(referral));
      this.close();
    } catch (err) {
      if (isApiError(err) && err.issues.length) this.issues = [...err.issues];
      else
        this.error = isApiError(err, 'not_ready')
          ? t('referrals.errors.noMail')
          : isApiError(err, 'forbidden')
            ? t('referrals.errors.forbidden')
            : isApiError(err, 'network_error')
              ? t('common.errors.network')
              : t('common.errors.generic');
    } finally {
      this.saving = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-refer-dialog': DireturnReferDialog;
  }
  interface GlobalEventHandlersEventMap {
    'direturn-referral-proposed': ReferralProposedEvent;
  }
}
