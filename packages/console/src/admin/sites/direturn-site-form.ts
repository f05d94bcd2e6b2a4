import { LANGUAGES, WEEKDAYS, type LanguageCode, type OpeningHours, type OpeningPeriod, type SiteDto, type Weekday } from '@direturn/protocol';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { I18nController, t } from '../../i18n/i18n.js';
import { buttons, forms, tokens } from '../../shared/styles.js';
import { weekdayName } from '../../shared/validation-text.js';
import { siteFormStyles } from './direturn-admin-sites.styles.js';
import { SiteSubmitEvent } from './site-submit-event.js';

type Week = Record<Weekday, OpeningPeriod[]>;
const emptyWeek = (): Week => Object.fromEntries(WEEKDAYS.map((d) => [d, []])) as unknown as Week;
/** A sensible start for a new schedule: weekdays 09:00–16:00. */
const officeWeek = (): Week => ({ ...emptyWeek(), ...Object.fromEntries(WEEKDAYS.slice(0, 5).map((d) => [d, [{ from: '09:00', to: '16:00' }]])) });

let zones: string[] | undefined;
const timeZones = (): string[] => (zones ??= (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? ['Europe/Berlin']);

/**
 * @summary Admin: the fields of a site (name, allowed origins, default language, first view,
 * enabled, time zone, weekly opening hours, away messages per language). Validation happens on
 * the server; its coded issues come back through `errors`.
 *
 * @fires direturn-site-submit - The form was submitted; `event.fields` holds every field.
 *
 * @csspart form - The form.
 * @csspart hours - The opening hours fieldset.
 * @csspart away - The away messages.
 * @csspart error - The list of what is wrong.
 */
@customElement('direturn-site-form')
export class DireturnSiteForm extends LitElement {
  static override styles = [tokens, buttons, forms, siteFormStyles];

  /** The site to edit; null for a new one. */
  @property({ attribute: false }) site: SiteDto | null = null;
  /** The built-in away message per language (shown beside each field). */
  @property({ attribute: false }) defaults: Record<string, string> = {};
  /** What the server refused, as sentences. */
  @property({ attribute: false }) errors: string[] = [];
  @property({ attribute: false }) submitLabel = '';

  @state() private week: Week = emptyWeek();
  @state() private alwaysOpen = true;

  private readonly i18n = new I18nController(this);

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('site')) {
      const hours = this.site?.openingHours ?? null;
      this.alwaysOpen = hours === null;
      this.week = hours ? { ...emptyWeek(), ...(hours as Partial<Week>) } : officeWeek();
    }
  }

  override render() {
    const s = this.site;
    const id = s?.id ?? 'new';
    return html`<form part="form" @submit=${this.submit} novalidate>
      <label>${t('accounts.sites.name')}<input name="name" required maxlength="200" .value=${s?.name ?? ''} dir="auto" /></label>
      <label>
        ${t('accounts.sites.origins')}
        <textarea name="origins" rows="3" required spellcheck="false" dir="ltr" aria-describedby=${`origins-hint-${id}`} .value=${(s?.allowedOrigins ?? []).join('\n')}></textarea>
      </label>
      <p class="hint" id=${`origins-hint-${id}`}>${t('accounts.sites.originsHint')}</p>
      <label>
        ${t('accounts.sites.language')}
        <select name="language">
          ${LANGUAGES.map((l) => html`<option value=${l.code} lang=${l.code} ?selected=${(s?.defaultLanguage ?? 'de') === l.code}>${l.nativeName}</option>`)}
        </select>
      </label>
      <label>
        ${t('accounts.sites.startView')}
        <select name="startView">
          <option value="home" ?selected=${(s?.startView ?? 'home') === 'home'}>${t('accounts.sites.startHome')}</option>
          <option value="chat" ?selected=${s?.startView === 'chat'}>${t('accounts.sites.startChat')}</option>
        </select>
      </label>
      <label class="check"><input type="checkbox" name="enabled" .checked=${s?.enabled ?? true} />${t('accounts.sites.enabledLabel')}</label>

      <fieldset part="hours">
        <legend>${t('accounts.sites.hoursLegend')}</legend>
        <label class="check"><input type="checkbox" .checked=${this.alwaysOpen} @change=${(e: Event) => (this.alwaysOpen = (e.target as HTMLInputElement).checked)} />${t('accounts.sites.alwaysOpen')}</label>
        ${this.alwaysOpen ? nothing : this.renderWeek(s, id)}
      </fieldset>

      <details part="away">
        <summary>${t('accounts.sites.awayLegend')}</summary>
        <p class="hint">${t('accounts.sites.awayHint')}</p>
        ${LANGUAGES.map(
          (l) => html`<label lang=${l.code} dir=${l.dir}>
              ${l.nativeName}
              <textarea name=${`away-${l.code}`} rows="2" maxlength="1000" dir=${l.dir} aria-describedby=${`away-default-${id}-${l.code}`} .value=${s?.awayMessages[l.code] ?? ''}></textarea>
            </label>
            <p class="hint" id=${`away-default-${id}-${l.code}`} lang=${l.code} dir=${l.dir}>${this.defaults[l.code] ?? ''}</p>`,
        )}
      </details>

      <div role="alert">${this.errors.length ? html`<ul class="error" part="error">${this.errors.map((e) => html`<li>${e}</li>`)}</ul>` : nothing}</div>
      <div class="actions"><button type="submit">${this.submitLabel || t('accounts.sites.save')}</button><slot name="actions"></slot></div>
    </form>`;
  }

  private renderWeek(s: SiteDto | null, id: string) {
    return html`<label>
        ${t('accounts.sites.timeZone')}
        <input name="timeZone" list=${`zones-${id}`} required spellcheck="false" dir="ltr" .value=${s?.timeZone ?? 'Europe/Berlin'} />
        <datalist id=${`zones-${id}`}>${timeZones().map((z) => html`<option value=${z}></option>`)}</datalist>
      </label>
      <div class="days">
        ${WEEKDAYS.map((day) => {
          const name = weekdayName(day);
          const periods = this.week[day];
          const legend = `day-${id}-${day}`;
          return html`<fieldset class="day">
            <legend id=${legend}>${name}</legend>
            ${periods.length === 0 ? html`<p class="hint">${t('accounts.sites.closed')}</p>` : nothing}
            ${periods.map(
              (p, i) => html`<div class="period" role="group" aria-label=${t('accounts.fields.period', { day: name, n: i + 1 })}>
                <label>${t('accounts.sites.from')}<input type="time" .value=${p.from} @change=${(e: Event) => this.setPeriod(day, i, 'from', (e.target as HTMLInputElement).value)} /></label>
                <label>${t('accounts.sites.to')}<input type="time" .value=${p.to === '24:00' ? '23:59' : p.to} @change=${(e: Event) => this.setPeriod(day, i, 'to', (e.target as HTMLInputElement).value)} /></label>
                <button type="button" class="secondary small" aria-describedby=${legend} @click=${() => this.removePeriod(day, i)}>
                  ${t('accounts.sites.removePeriod')}
                </button>
              </div>`,
            )}
            <div><button type="button" class="secondary small" aria-describedby=${legend} @click=${() => this.addPeriod(day)}>${t('accounts.sites.addPeriod')}</button></div>
          </fieldset>`;
        })}
      </div>`;
  }

  private setPeriod(day: Weekday, i: number, end: 'from' | 'to', value: string): void {
    this.week = { ...this.week, [day]: this.week[day].map((p, j) => (j === i ? { ...p, [end]: value } : p)) };
  }

  private addPeriod(day: Weekday): void {
    const last = this.week[day].at(-1);
    this.week = { ...this.week, [day]: [...this.week[day], last ? { from: last.to, to: last.to < '20:00' ? '20:00' : '23:59' } : { from: '09:00', to: '16:00' }] };
  }

  private removePeriod(day: Weekday, i: number): void {
    this.week = { ...this.week, [day]: this.week[day].filter((_, j) => j !== i) };
  }

  private readonly submit = (e: SubmitEvent): void => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '');
    const awayMessages: Partial<Record<LanguageCode, string>> = {};
    for (const l of LANGUAGES) awayMessages[l.code] = text(`away-${l.code}`).trim();
    const openingHours: OpeningHours | null = this.alwaysOpen ? null : this.week;
    this.dispatchEvent(
      new SiteSubmitEvent({
        name: text('name').trim(),
        allowedOrigins: text('origins').split(/[\s,]+/).filter(Boolean),
        defaultLanguage: text('language') as LanguageCode,
        startView: text('startView') === 'chat' ? 'chat' : 'home',
        enabled: (form.elements.namedItem('enabled') as HTMLInputElement).checked,
        timeZone: this.alwaysOpen ? (this.site?.timeZone ?? 'Europe/Berlin') : text('timeZone').trim(),
        openingHours,
        awayMessages,
      }),
    );
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-site-form': DireturnSiteForm;
  }
}
