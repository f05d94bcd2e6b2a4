import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  CALLBACK_EXTRA_LANGUAGES,
  CALLBACK_LIMITS,
  LANGUAGES,
  checkCallbackRequest,
  type CallbackIssue,
  type CallbackRequestInput,
  type ErrorFrame,
  type VisitorCallbackDto,
} from '@direturn/protocol';
import { phone } from '@direturn/protocol/phone-min';
import { I18nController, useNamespace } from '../i18n/i18n.js';
import { tokens, visuallyHidden } from '../theme/tokens.js';
import { surfaces } from '../theme/surfaces.js';
import { DiReturnCallbackCloseEvent } from '../events/direturn-callback.js';
import type { VisitorConnection } from '../chat/connection.js';
import { callbackStyles } from './callback.styles.js';

interface WindowFields { date: string; from: string; to: string }
type Field = 'phone' | 'language' | 'windows' | 'topic' | 'consent' | `windows.${number}`;

const pad = (n: number) => String(n).padStart(2, '0');
const localDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
/** Serbian ships in Latin script; Intl's plain `sr` would write Cyrillic. */
const intlLocale = (lang: string) => (lang === 'sr' ? 'sr-Latn' : lang);

/** A first window that makes sense: the next full hour for two hours (from 09:00), else tomorrow morning. */
export function defaultWindow(now = new Date()): WindowFields {
  const start = new Date(now);
  start.setMinutes(0, 0, 0);
  start.setHours(Math.max(9, start.getHours() + 1));
  if (start.getHours() > 18 || start.getDate() !== now.getDate()) {
    start.setTime(now.getTime());
    start.setDate(start.getDate() + 1);
    start.setHours(9, 0, 0, 0);
  }
  return { date: localDate(start), from: `${pad(start.getHours())}:00`, to: `${pad(start.getHours() + 2)}:00` };
}

/** The instant of a day and time in this browser's zone (the visitor's), or null when a field is empty. */
function instant(date: string, time: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return null;
  const d = new Date(`${date}T${time}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * @summary Ask for a call back: the phone number (country from a list + number, checked with
 * libphonenumber-js), the language for the call, one to three time windows in the visitor's time
 * zone, an optional topic and consent; no name. Then what became of the request: received (and
 * when calls happen, outside opening hours), tried, handled. A home entry of the chat, its own
 * chunk with its texts (locales/callback/) and the phone rules, loaded when opened.
 *
 * @fires direturn-callback-close - The visitor goes back to the chat.
 * @csspart status - What became of the latest request.
 * @csspart form - The request form.
 * @csspart error - A field's error.
 */
@customElement('direturn-callback-view')
export class CallbackView extends LitElement {
  static override styles = [tokens, surfaces, visuallyHidden, callbackStyles];

  /** The chat's connection (set by the chat app). */
  @property({ attribute: false }) connection: VisitorConnection | undefined;
  /** The UI language (the chat app sets it). */
  @property() language = 'de';

  @state() private textsReady = false;
  @state() private revision = 0;
  @state() private country = 'DE';
  @state() private number = '';
  @state() private speak = '';
  @state() private windows: WindowFields[] = [defaultWindow()];
  @state() private topic = '';
  @state() private consent = false;
  @state() private issues: CallbackIssue[] = [];
  /** The request on its way (its id), until the server answers. */
  @state() private pending: string | null = null;
  @state() private message = '';
  /** The form instead of the latest request's state ("ask again"). */
  @state() private asking = false;
  @state() private announcement = '';

  private readonly i18n = new I18nController(this);
  private texts: Promise<void> = Promise.resolve();
  private readonly zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  override connectedCallback(): void {
    super.connectedCallback();
    this.texts = useNamespace('callback')
      .catch(() => undefined)
      .then(() => {
        this.textsReady = true;
      });
    this.connection?.addEventListener('change', this.onChange);
    this.connection?.addEventListener('error', this.onError);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connection?.removeEventListener('change', this.onChange);
    this.connection?.removeEventListener('error', this.onError);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The call's language follows the chat's until the visitor picks one.
    if (!this.speak || (changed.has('language') && this.speak === changed.get('language'))) this.speak = this.language;
  }

  /** Focuses the heading (the view just opened; the heading comes with the view's texts). */
  override async focus(): Promise<void> {
    await this.texts;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  private get latest(): VisitorCallbackDto | undefined {
    return this.connection?.callbacks[0];
  }

  private onChange = () => {
    this.revision++;
    if (!this.pending) return;
    const latest = this.latest;
    // The answer: the list now starts with a request that is not handled yet.
    if (latest && latest.status !== 'closed') {
      this.pending = null;
      this.asking = false;
      this.message = '';
      void this.focusStatus();
    }
  };

  private onError = (event: Event) => {
    const frame = (event as CustomEvent<ErrorFrame>).detail;
    if (!this.pending || frame.ref !== this.pending) return;
    this.pending = null;
    const { t } = this.i18n;
    if (frame.code === 'callback_invalid') {
      // The server's issues, "<path>: <code>", as the form's own.
      this.issues = (frame.issues ?? []).map((line) => {
        const [path = '', code = ''] = line.split(': ');
        return { path, code } as CallbackIssue;
      });
      void this.focusFirstIssue();
      return;
    }
    this.message =
      frame.code === 'callback_pending' ? t('callbackView.errors.callback_pending') : frame.code === 'rate_limited' ? t('callbackView.errors.rate_limited') : t('callbackView.errors.generic');
    this.say(this.message);
  };

  private say(text: string): void {
    // The same text again is read again only after a change.
    this.announcement = '';
    requestAnimationFrame(() => (this.announcement = text));
  }

  private input(): CallbackRequestInput {
    return {
      phone: { country: this.country, number: this.number },
      language: this.speak,
      windows: this.windows.map((w) => ({ start: instant(w.date, w.from) ?? '', end: instant(w.date, w.to) ?? '' })),
      timeZone: this.zone,
      topic: this.topic.trim(),
      consent: this.consent,
    };
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const { t } = this.i18n;
    const input = this.input();
    const { issues } = checkCallbackRequest(input, { now: Date.now(), phone: phone.check });
    // An empty day or time is the form's own problem: say which, not "invalid".
    this.issues = issues.map((i) => {
      const w = /^windows\.(\d+)$/.exec(i.path);
      const fields = w ? this.windows[Number(w[1])] : undefined;
      return i.code === 'window_invalid' && fields && (!fields.date || !fields.from || !fields.to) ? { ...i, code: 'window_incomplete' } : i;
    });
    this.message = '';
    if (this.issues.length) {
      void this.focusFirstIssue();
      return;
    }
    const id = this.connection?.requestCallback(input) ?? null;
    if (!id) {
      this.message = t('callbackView.offline');
      this.say(this.message);
      return;
    }
    this.pending = id;
  }

  private async focusFirstIssue(): Promise<void> {
    await this.updateComplete;
    const { t } = this.i18n;
    this.say(t('callbackView.checkFields', { count: this.issues.length }));
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  private async focusStatus(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part="status"] h3')?.focus();
  }

  private issueFor(path: Field): CallbackIssue | undefined {
    return this.issues.find((i) => i.path === path);
  }

  private issueText(issue: CallbackIssue): string {
    return this.i18n.t(`callbackView.issues.${issue.code}`, {
      defaultValue: this.i18n.t('callbackView.errors.generic'),
      max: issue.code === 'too_many_windows' ? CALLBACK_LIMITS.maxWindows : issue.code === 'window_too_long' ? CALLBACK_LIMITS.maxWindowHours : CALLBACK_LIMITS.topicMaxChars,
      min: CALLBACK_LIMITS.minWindowMinutes,
      days: CALLBACK_LIMITS.maxDaysAhead,
    });
  }

  private clear(path: Field): void {
    if (this.issues.some((i) => i.path === path)) this.issues = this.issues.filter((i) => i.path !== path);
  }

  private setWindow(i: number, key: keyof WindowFields, value: string): void {
    this.windows = this.windows.map((w, n) => (n === i ? { ...w, [key]: value } : w));
    this.clear(`windows.${i}`);
  }

  private async addWindow(): Promise<void> {
    const last = this.windows.at(-1) ?? defaultWindow();
    const next = new Date(`${last.date}T12:00`);
    next.setDate(next.getDate() + 1);
    this.windows = [...this.windows, { ...last, date: localDate(next) }];
    this.issues = this.issues.filter((i) => i.path !== 'windows');
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>(`#w${this.windows.length - 1}-date`)?.focus();
  }

  private async removeWindow(i: number): Promise<void> {
    this.windows = this.windows.filter((_, n) => n !== i);
    // Issues name windows by position: the form is checked again on sending.
    this.issues = this.issues.filter((x) => !x.path.startsWith('windows.'));
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('.add-window')?.focus();
  }

  private error(path: Field, id: string) {
    const issue = this.issueFor(path);
    return html`<p class="error" part="error" id=${id}>${issue ? this.issueText(issue) : ''}</p>`;
  }

  override render() {
    const { t } = this.i18n;
    if (!this.textsReady) return html`<p role="status">…</p>`;
    const latest = this.latest;
    const showStatus = latest && !this.asking;
    return html`
      <h2 tabindex="-1">${t('callbackView.title')}</h2>
      ${showStatus ? this.renderStatus(latest) : this.renderForm()}
      <p class="message" role="status" aria-live="polite">${this.message}</p>
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
      <div class="actions">
        <button type="button" class="secondary" @click=${() => this.dispatchEvent(new DiReturnCallbackCloseEvent())}>${t('callbackView.back')}</button>
      </div>
    `;
  }

  private when(at: number, timeZone?: string): string {
    return new Intl.DateTimeFormat(intlLocale(this.i18n.language), { dateStyle: 'full', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(at);
  }

  private languageName(code: string): string {
    const shipped = LANGUAGES.find((l) => l.code === code);
    if (shipped) return shipped.nativeName;
    try {
      return new Intl.DisplayNames([intlLocale(this.i18n.language), 'en'], { type: 'language' }).of(code) ?? code;
    } catch {
      return code;
    }
  }

  private renderStatus(c: VisitorCallbackDto) {
    const { t } = this.i18n;
    const range = new Intl.DateTimeFormat(intlLocale(this.i18n.language), { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZone: c.timeZone });
    if (c.status === 'closed') {
      return html`<section part="status" aria-labelledby="status-title">
          <h3 id="status-title" tabindex="-1">${t('callbackView.status.handledTitle')}</h3>
          <p>${t(`callbackView.status.handled.${c.outcome ?? 'done'}`, { date: this.when(c.handledAt ?? c.createdAt, c.timeZone) })}</p>
          <p>${t('callbackView.status.deleted')}</p>
        </section>
        <button type="button" @click=${this.askAgain}>${t('callbackView.status.another')}</button>`;
    }
    return html`<section part="status" aria-labelledby="status-title">
      <h3 id="status-title" tabindex="-1">${t('callbackView.status.receivedTitle')}</h3>
      <p>${t('callbackView.status.received', { date: this.when(c.createdAt, c.timeZone), language: this.languageName(c.language) })}</p>
      <ul class="windows">
        ${c.windows.map((w) => html`<li>${range.formatRange(w.start, w.end)}</li>`)}
      </ul>
      ${c.callsFrom ? html`<p class="hours">${t('callbackView.status.closedHours', { date: this.when(c.callsFrom, c.timeZone) })}</p>` : nothing}
      ${c.status === 'claimed' ? html`<p>${t('callbackView.status.claimed')}</p>` : nothing}
      ${c.attempts > 0 ? html`<p>${t('callbackView.status.attempts', { count: c.attempts })}</p>` : nothing}
      <p class="hint">${t('callbackView.status.keepChat')}</p>
    </section>`;
  }

  private askAgain = async () => {
    this.asking = true;
    this.issues = [];
    this.windows = [defaultWindow()];
    this.consent = false;
    this.number = '';
    this.topic = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('select[name="country"]')?.focus();
  };

  private renderForm() {
    const { t } = this.i18n;
    const lang = intlLocale(this.i18n.language);
    let regions: Intl.DisplayNames | undefined;
    try {
      regions = new Intl.DisplayNames([lang, 'en'], { type: 'region' });
    } catch {
      regions = undefined;
    }
    const countries = phone
      .countries()
      .map((code) => ({ code, name: regions?.of(code) ?? code, calling: phone.callingCode(code) }))
      .sort((a, b) => a.name.localeCompare(b.name, lang));
    const others = CALLBACK_EXTRA_LANGUAGES.map((code) => ({ code, name: this.languageName(code) })).sort((a, b) => a.name.localeCompare(b.name, lang));
    const phoneIssue = this.issueFor('phone');
    const sending = this.pending !== null;
    const today = localDate(new Date());
    const last = new Date();
    last.setDate(last.getDate() + CALLBACK_LIMITS.maxDaysAhead);
    return html`
      <p>${t('callbackView.intro')}</p>
      <form part="form" novalidate @submit=${this.onSubmit}>
        <fieldset>
          <legend>${t('callbackView.phoneLegend')}</legend>
          <label
            >${t('callbackView.country')}
            <select
              name="country"
              @change=${(e: Event) => {
                this.country = (e.target as HTMLSelectElement).value;
                this.clear('phone');
              }}
            >
              ${countries.map((c) => html`<option value=${c.code} ?selected=${c.code === this.country}>${c.name} (+${c.calling})</option>`)}
            </select>
          </label>
          <label
            >${t('callbackView.number')}
            <input
              name="number"
              type="tel"
              inputmode="tel"
              autocomplete="tel"
              dir="ltr"
              maxlength=${CALLBACK_LIMITS.numberMaxChars}
              .value=${this.number}
              aria-invalid=${phoneIssue ? 'true' : 'false'}
              aria-describedby="number-hint number-error"
              @input=${(e: Event) => {
                this.number = (e.target as HTMLInputElement).value;
                this.clear('phone');
              }}
            />
          </label>
          <p class="hint" id="number-hint">${t('callbackView.numberHint')}</p>
          ${this.error('phone', 'number-error')}
        </fieldset>

        <label
          >${t('callbackView.language')}
          <select name="language" aria-invalid=${this.issueFor('language') ? 'true' : 'false'} aria-describedby="language-error" @change=${(e: Event) => (this.speak = (e.target as HTMLSelectElement).value)}>
            <optgroup label=${t('callbackView.languagesShipped')}>
              ${LANGUAGES.map((l) => html`<option value=${l.code} lang=${l.code} ?selected=${l.code === this.speak}>${l.nativeName}</option>`)}
            </optgroup>
            <optgroup label=${t('callbackView.languagesOther')}>
              ${others.map((l) => html`<option value=${l.code} ?selected=${l.code === this.speak}>${l.name}</option>`)}
            </optgroup>
          </select>
        </label>
        ${this.error('language', 'language-error')}

        <fieldset aria-describedby="windows-hint windows-error">
          <legend>${t('callbackView.windowsLegend')}</legend>
          <p class="hint" id="windows-hint">${t('callbackView.windowsHint', { zone: this.zone })}</p>
          ${this.windows.map((w, i) => this.renderWindow(w, i, today, localDate(last)))}
          ${this.error('windows', 'windows-error')}
          ${this.windows.length < CALLBACK_LIMITS.maxWindows
            ? html`<button type="button" class="secondary add-window" @click=${this.addWindow}>${t('callbackView.addWindow')}</button>`
            : nothing}
        </fieldset>

        <label
          >${t('callbackView.topic')}
          <textarea
            name="topic"
            rows="2"
            maxlength=${CALLBACK_LIMITS.topicMaxChars}
            dir="auto"
            .value=${this.topic}
            aria-invalid=${this.issueFor('topic') ? 'true' : 'false'}
            aria-describedby="topic-hint topic-error"
            @input=${(e: Event) => {
              this.topic = (e.target as HTMLTextAreaElement).value;
              this.clear('topic');
            }}
          ></textarea>
        </label>
        <p class="hint" id="topic-hint">${t('callbackView.topicHint')}</p>
        ${this.error('topic', 'topic-error')}

        <label class="check">
          <input
            type="checkbox"
            name="consent"
            .checked=${this.consent}
            aria-invalid=${this.issueFor('consent') ? 'true' : 'false'}
            aria-describedby="consent-error"
            @change=${(e: Event) => {
              this.consent = (e.target as HTMLInputElement).checked;
              this.clear('consent');
            }}
          />
          <span>${t('callbackView.consent')}</span>
        </label>
        ${this.error('consent', 'consent-error')}

        <button type="submit" ?disabled=${sending}>${sending ? t('callbackView.sending') : t('callbackView.submit')}</button>
      </form>
    `;
  }

  private renderWindow(w: WindowFields, i: number, min: string, max: string) {
    const { t } = this.i18n;
    const issue = this.issueFor(`windows.${i}`);
    const invalid = issue ? 'true' : 'false';
    const described = `w${i}-error`;
    return html`<div class="window" role="group" aria-labelledby="w${i}-label">
      <span class="window-label" id="w${i}-label">${t('callbackView.windowLabel', { n: i + 1 })}</span>
      <label class="day"
        >${t('callbackView.day')}
        <input id="w${i}-date" type="date" min=${min} max=${max} .value=${w.date} aria-invalid=${invalid} aria-describedby=${described} @input=${(e: Event) => this.setWindow(i, 'date', (e.target as HTMLInputElement).value)}
      /></label>
      <label
        >${t('callbackView.from')}
        <input type="time" step="900" .value=${w.from} aria-invalid=${invalid} aria-describedby=${described} @input=${(e: Event) => this.setWindow(i, 'from', (e.target as HTMLInputElement).value)}
      /></label>
      <label
        >${t('callbackView.to')}
        <input type="time" step="900" .value=${w.to} aria-invalid=${invalid} aria-describedby=${described} @input=${(e: Event) => this.setWindow(i, 'to', (e.target as HTMLInputElement).value)}
      /></label>
      ${this.windows.length > 1
        ? html`<button type="button" class="secondary remove" @click=${() => this.removeWindow(i)}>${t('callbackView.removeWindow', { n: i + 1 })}</button>`
        : nothing}
      ${this.error(`windows.${i}`, described)}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-callback-view': CallbackView;
  }
}
