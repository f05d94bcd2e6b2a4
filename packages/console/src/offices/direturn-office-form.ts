import type { OfficeAdminDto, OfficeChannel } from '@direturn/protocol';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient, type OfficeInput } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import { I18nController, t } from '../i18n/i18n.js';
import { buttons, forms, tokens } from '../shared/styles.js';

const CHANNELS: OfficeChannel[] = ['in_person', 'phone', 'video', 'chat'];

/** The office was created or changed. */
export class OfficeSavedEvent extends Event {
  static readonly eventName = 'direturn-office-saved';
  constructor(readonly office: OfficeAdminDto) {
    super(OfficeSavedEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The admin left the form without saving. */
export class OfficeFormCancelEvent extends Event {
  static readonly eventName = 'direturn-office-form-cancel';
  constructor() {
    super(OfficeFormCancelEvent.eventName, { bubbles: true, composed: true });
  }
}

const list = (s: string, separator: RegExp): string[] =>
  s
    .split(separator)
    .map((x) => x.trim())
    .filter(Boolean);
const text = (f: FormData, name: string): string | null => String(f.get(name) ?? '').trim() || null;
const num = (f: FormData, name: string): number | null => {
  const s = String(f.get(name) ?? '').trim().replace(',', '.');
  return s === '' ? null : Number(s);
};

/**
 * @summary Admin: creates or edits one office of the directory (all fields, area keys of any
 * depth, active/fallback/example), showing the server's reasons when it refuses.
 *
 * @fires direturn-office-saved - The office was saved (`office`).
 * @fires direturn-office-form-cancel - The admin cancelled.
 * @csspart form - The form.
 * @csspart error - The server's reasons.
 */
@customElement('direturn-office-form')
export class DireturnOfficeForm extends LitElement {
  static override styles = [
    tokens,
    buttons,
    forms,
    css`
      :host {
        display: block;
      }
      form {
        max-inline-size: 48rem;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
      }
      .wide {
        grid-column: 1 / -1;
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;
  /** The office to edit; null creates a new one. */
  @property({ attribute: false }) office: OfficeAdminDto | null = null;

  @state() private saving = false;
  @state() private errors: string[] = [];

  private readonly i18n = new I18nController(this);

  override render() {
    const o = this.office;
    const title = o ? t('offices.form.editTitle', { name: o.name }) : t('offices.form.newTitle');
    return html`<h2 tabindex="-1">${title}</h2>
      <form part="form" @submit=${this.submit} novalidate>
        <label>${t('offices.fields.name')}<input name="name" required maxlength="200" .value=${o?.name ?? ''} /></label>
        <label>${t('offices.fields.organisation')}<input name="organisation" required maxlength="200" .value=${o?.organisation ?? ''} /></label>
        <label
          >${t('offices.fields.carrier')}
          <select name="carrier">
            <option value="non_state" ?selected=${o?.carrier !== 'state'}>${t('offices.carrier.non_state')}</option>
            <option value="state" ?selected=${o?.carrier === 'state'}>${t('offices.carrier.state')}</option>
          </select>
        </label>
        <label class="wide"
          >${t('offices.fields.areaKeys')}
          <input name="areaKeys" spellcheck="false" inputmode="numeric" .value=${o?.areaKeys.join(', ') ?? ''} aria-describedby="area-hint" />
          <span class="hint" id="area-hint">${t('offices.form.areaHint')}</span>
        </label>
        <label>${t('offices.fields.street')}<input name="street" maxlength="200" autocomplete="off" .value=${o?.address?.street ?? ''} /></label>
        <label>${t('offices.fields.postalCode')}<input name="postalCode" inputmode="numeric" maxlength="5" .value=${o?.address?.postalCode ?? ''} /></label>
        <label>${t('offices.fields.city')}<input name="city" maxlength="120" .value=${o?.address?.city ?? ''} /></label>
        <label>${t('offices.fields.latitude')}<input name="latitude" inputmode="decimal" .value=${o?.latitude?.toString() ?? ''} /></label>
        <label>${t('offices.fields.longitude')}<input name="longitude" inputmode="decimal" .value=${o?.longitude?.toString() ?? ''} /></label>
        <label>${t('offices.fields.phone')}<input name="phone" type="tel" maxlength="40" .value=${o?.phone ?? ''} /></label>
        <label>${t('offices.fields.email')}<input name="email" type="email" maxlength="254" .value=${o?.email ?? ''} /></label>
        <label>${t('offices.fields.website')}<input name="website" type="url" maxlength="2048" .value=${o?.website ?? ''} /></label>
        <label class="wide">${t('offices.fields.openingHours')}<textarea name="openingHours" rows="2" maxlength="1000" .value=${o?.openingHours ?? ''}></textarea></label>
        <label
          >${t('offices.fields.languages')}<input name="languages" spellcheck="false" .value=${o?.languages.join(', ') ?? 'de'} aria-describedby="lang-hint" />
          <span class="hint" id="lang-hint">${t('offices.form.languagesHint')}</span>
        </label>
        <label>${t('offices.fields.targetGroups')}<input name="targetGroups" .value=${o?.targetGroups.join('; ') ?? ''} /></label>
        <fieldset class="wide">
          <legend>${t('offices.fields.channels')}</legend>
          <div class="checks">
            ${CHANNELS.map(
              (ch) => html`<label class="check"><input type="checkbox" name="channels" value=${ch} ?checked=${o?.channels.includes(ch) ?? false} /> ${t(`offices.channels.${ch}`)}</label>`,
            )}
          </div>
        </fieldset>
        <label class="wide">${t('offices.fields.note')}<input name="note" maxlength="500" .value=${o?.note ?? ''} /></label>
        <fieldset class="wide">
          <legend>${t('offices.fields.flags')}</legend>
          <div class="checks">
            <label class="check"><input type="checkbox" name="active" ?checked=${o?.active ?? true} /> ${t('offices.fields.active')}</label>
            <label class="check"><input type="checkbox" name="fallback" ?checked=${o?.fallback ?? false} /> ${t('offices.fields.fallback')}</label>
            <label class="check"><input type="checkbox" name="example" ?checked=${o?.example ?? false} /> ${t('offices.fields.example')}</label>
          </div>
        </fieldset>
        <div role="alert" class="wide">
          ${this.errors.length ? html`<div class="error" part="error"><p>${t('offices.form.refused')}</p><ul>${this.errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : nothing}
        </div>
        <div class="actions wide">
          <button type="submit" ?disabled=${this.saving}>${this.saving ? t('offices.form.saving') : t('offices.form.save')}</button>
          <button type="button" class="secondary" @click=${() => this.dispatchEvent(new OfficeFormCancelEvent())}>${t('common.cancel')}</button>
        </div>
      </form>`;
  }

  private readonly submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const input: OfficeInput = {
      name: String(f.get('name') ?? '').trim(),
      organisation: String(f.get('organisation') ?? '').trim(),
      carrier: f.get('carrier') === 'state' ? 'state' : 'non_state',
      street: text(f, 'street'),
      postalCode: text(f, 'postalCode'),
      city: text(f, 'city'),
      latitude: num(f, 'latitude'),
      longitude: num(f, 'longitude'),
      phone: text(f, 'phone'),
      email: text(f, 'email'),
      website: text(f, 'website'),
      openingHours: text(f, 'openingHours'),
      languages: list(String(f.get('languages') ?? ''), /[\s,;]+/).map((l) => l.toLowerCase()),
      targetGroups: list(String(f.get('targetGroups') ?? ''), /;/),
      channels: f.getAll('channels').map(String) as OfficeInput['channels'],
      note: text(f, 'note'),
      active: f.get('active') === 'on',
      fallback: f.get('fallback') === 'on',
      example: f.get('example') === 'on',
      areaKeys: list(String(f.get('areaKeys') ?? ''), /[\s,;]+/),
    };
    this.saving = true;
    this.errors = [];
    try {
      const saved = this.office ? await this.api.updateOffice(this.office.id, input) : await this.api.createOffice(input);
      this.dispatchEvent(new OfficeSavedEvent(saved));
    } catch (err) {
      this.errors = isApiError(err) && err.issues.length ? [...err.issues] : [isApiError(err, 'network_error') ? t('common.errors.network') : t('common.errors.generic')];
    } finally {
      this.saving = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-office-form': DireturnOfficeForm;
  }
  interface GlobalEventHandlersEventMap {
    'direturn-office-saved': OfficeSavedEvent;
    'direturn-office-form-cancel': OfficeFormCancelEvent;
  }
}
