import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { COUNTRY_CODES, FEDERAL_STATES, languageDirection, type KbArticleCardDto, type OrAnswers, type OrItem, type OrQuestion, type OrRuleSet, type OrRuleSetResponse } from '@direturn/protocol';
import { evaluate, statesOfPostcode, textFor } from '@direturn/protocol/orientation';
import { I18nController, namespaceTexts, useNamespace, type Translate } from '../i18n/i18n.js';
import { translate, type Resources } from '../i18n/translate.js';
import { tokens, visuallyHidden } from '../theme/tokens.js';
import { surfaces } from '../theme/surfaces.js';
import { DiReturnOrientationCloseEvent, DiReturnOrientationSendEvent } from '../events/direturn-orientation.js';
import { orientationStyles } from './orientation.styles.js';

export type OrientationFetch = (url: string) => Promise<Response>;

const KINDS = ['step', 'document', 'programme', 'note'] as const;

/**
 * @summary The orientation check: one question per step (each optional, skippable, back and forward
 * without losing answers), then what usually comes next in a case like this, the documents that
 * matter, the programmes that may apply and links to knowledge articles. The answers stay in this
 * element: nothing about them reaches the server until the visitor taps "send to a counsellor"
 * (the only requests are the questionnaire and the article list, the same for everyone).
 * Printing shows the result in the visitor's language and a German copy on the same sheet.
 *
 * @fires direturn-orientation-close - The visitor closes the check (its answers are forgotten).
 * @fires direturn-orientation-send - "Send to a counsellor" with the answers and the rule-set version.
 * @csspart question - The current question.
 * @csspart progress - "Question n of m".
 * @csspart result - The result.
 * @csspart item - One result item.
 * @csspart german-copy - The German copy for the counselling office (printed only).
 * @cssprop --direturn-accent - Accent of buttons (from the theme).
 */
@customElement('direturn-orientation-view')
export class OrientationView extends LitElement {
  static override styles = [tokens, surfaces, visuallyHidden, orientationStyles];

  /** For tests; the frame's same-origin API otherwise (no cookies: nothing identifies the visitor). */
  @property({ attribute: false }) fetcher: OrientationFetch = (url) => fetch(url, { credentials: 'omit' });
  /** The UI language (the chat app sets it). */
  @property() language = 'de';

  @state() private ruleSet: OrRuleSet | null = null;
  @state() private version = 0;
  @state() private failed = false;
  @state() private step = 0;
  @state() private answers: OrAnswers = {};
  @state() private articles = new Map<string, KbArticleCardDto>();
  @state() private germanTexts: Resources | null = null;
  @state() private announcement = '';
  /** What the postcode field found (never part of the answers: only the state is). */
  @state() private postcodeNote = '';

  private readonly i18n = new I18nController(this);
  private loading: Promise<void> | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.loading ??= this.load();
  }

  private async load(): Promise<void> {
    try {
      const [res] = await Promise.all([this.fetcher(`/api/orientation/current?lang=${encodeURIComponent(this.i18n.language)}`), useNamespace('orientation')]);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const { current } = (await res.json()) as OrRuleSetResponse;
      this.ruleSet = current.ruleSet;
      this.version = current.version;
      this.failed = false;
    } catch {
      this.failed = true;
    }
  }

  /** Focuses the view's heading (the view just opened, or a step changed). */
  override async focus(): Promise<void> {
    await this.loading;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  /** Forgets every answer and starts again at the first question. */
  reset(): void {
    this.answers = {};
    this.step = 0;
  }

  private get questions(): OrQuestion[] {
    return this.ruleSet?.questions ?? [];
  }

  private async go(step: number): Promise<void> {
    this.step = step;
    this.postcodeNote = '';
    const { t } = this.i18n;
    if (step >= this.questions.length) {
      this.announcement = t('orientation.resultReady');
      void this.loadArticles();
    } else this.announcement = t('orientation.progress', { n: step + 1, total: this.questions.length });
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  /** Titles of linked articles: the language's whole list (the same request for everyone), and the German texts for the print copy. */
  private async loadArticles(): Promise<void> {
    try {
      const res = await this.fetcher(`/api/info/articles?lang=${encodeURIComponent(this.i18n.language)}`);
      if (res.ok) this.articles = new Map(((await res.json()) as { articles: KbArticleCardDto[] }).articles.map((a) => [a.slug, a]));
    } catch {
      // links without titles use the item's own
    }
    if (!this.germanTexts) this.germanTexts = await namespaceTexts('orientation', 'de').catch(() => null);
  }

  private setAnswer(q: OrQuestion, value: string | string[] | null): void {
    const next = { ...this.answers };
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) delete next[q.id];
    else next[q.id] = value;
    this.answers = next;
  }

  private text(texts: OrQuestion['text'] | undefined, lang = this.i18n.language) {
    const chosen = textFor(texts, lang);
    return html`<span lang=${chosen.language} dir=${languageDirection(chosen.language)}>${chosen.text}</span>`;
  }

  override render() {
    const { t } = this.i18n;
    if (this.failed) {
      return html`<h2 tabindex="-1">${t('orientation.title', { defaultValue: '…' })}</h2>
        <p class="message" role="alert">${t('orientation.failed', { defaultValue: '…' })}</p>
        ${this.closeButton()}`;
    }
    if (!this.ruleSet) return html`<p role="status">${t('app.loading', { defaultValue: '…' })}</p>`;
    const live = html`<div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>`;
    return this.step < this.questions.length ? html`${this.renderQuestion(this.questions[this.step]!)}${live}` : html`${this.renderResult()}${live}`;
  }

  private closeButton() {
    return html`<button type="button" class="secondary" @click=${this.close}>${this.i18n.t('orientation.close')}</button>`;
  }

  private renderQuestion(q: OrQuestion) {
    const { t } = this.i18n;
    const total = this.questions.length;
    const answer = this.answers[q.id];
    const helpId = `help-${q.id}`;
    return html`
      <p class="progress" part="progress">${t('orientation.progress', { n: this.step + 1, total })}</p>
      ${this.step === 0 ? html`<p>${t('orientation.intro')}</p>` : nothing}
      <form part="question" @submit=${this.onNext} novalidate>
        <fieldset aria-describedby=${q.help ? helpId : nothing}>
          <legend><h2 tabindex="-1">${this.text(q.text)}</h2></legend>
          ${q.help ? html`<p class="help" id=${helpId}>${this.text(q.help)}</p>` : nothing}
          ${this.renderInput(q, answer)}
        </fieldset>
        <p class="optional">${t('orientation.optional')}</p>
        <div class="actions">
          ${this.step > 0 ? html`<button type="button" class="secondary" @click=${() => this.go(this.step - 1)}>${t('orientation.back')}</button>` : nothing}
          <button type="button" class="secondary" @click=${() => this.go(this.step + 1)}>${t('orientation.skip')}</button>
          <button type="submit">${this.step === total - 1 ? t('orientation.showResult') : t('orientation.next')}</button>
        </div>
      </form>
      <div class="actions end">${this.closeButton()}</div>
    `;
  }

  private renderInput(q: OrQuestion, answer: string | string[] | undefined) {
    const { t } = this.i18n;
    if (q.kind === 'single' || q.kind === 'multi') {
      const type = q.kind === 'single' ? 'radio' : 'checkbox';
      const chosen = new Set(Array.isArray(answer) ? answer : answer ? [answer] : []);
      return html`<div class="options">
        ${(q.options ?? []).map(
          (o) => html`<label class="option">
            <input type=${type} name=${q.id} value=${o.value} .checked=${chosen.has(o.value)} @change=${(e: Event) => this.onOption(q, e)} />
            ${this.text(o.text)}
          </label>`,
        )}
      </div>`;
    }
    if (q.kind === 'state') return html`${this.renderPostcode(q)}${this.renderSelect(q, answer)}`;
    return this.renderSelect(q, answer);
  }

  /**
   * A postcode instead of choosing from the list: its state is found in the browser
   * (@direturn/protocol's postcode runs) and chosen below; the postcode itself is kept nowhere.
   */
  private renderPostcode(q: OrQuestion) {
    const { t } = this.i18n;
    return html`<label class="select"
        >${t('orientation.postcode')}
        <input name="postcode" inputmode="numeric" autocomplete="postal-code" maxlength="7" size="7" dir="ltr" aria-describedby="postcode-note" @input=${(e: Event) => this.onPostcode(q, (e.target as HTMLInputElement).value)} /></label
      ><p id="postcode-note" class="help">${this.postcodeNote || t('orientation.postcodeHint')}</p>`;
  }

  private onPostcode(q: OrQuestion, value: string): void {
    const { t } = this.i18n;
    if (value.replace(/\s+/g, '').length < 5) {
      this.postcodeNote = '';
      return;
    }
    const found = statesOfPostcode(value);
    const name = (key: string) => FEDERAL_STATES.find((s) => s.key === key)?.name ?? key;
    if (found.kind !== 'states') this.postcodeNote = t(found.kind === 'malformed' ? 'orientation.postcodeMalformed' : 'orientation.postcodeUnknown');
    else if (found.states.length === 1) {
      this.setAnswer(q, found.states[0]!);
      this.postcodeNote = t('orientation.postcodeFound', { state: name(found.states[0]!) });
    } else {
      this.setAnswer(q, null);
      this.postcodeNote = t('orientation.postcodeSeveral', { states: found.states.map(name).join(' / ') });
    }
    this.announcement = this.postcodeNote;
  }

  private renderSelect(q: OrQuestion, answer: string | string[] | undefined) {
    const { t } = this.i18n;
    const options =
      q.kind === 'state'
        ? FEDERAL_STATES.map((s) => ({ value: s.key, label: s.name, lang: 'de' }))
        : countryOptions(this.i18n.language);
    return html`<label class="select"
      ><span class="sr-only">${this.text(q.text)}</span>
      <select name=${q.id} @change=${(e: Event) => this.setAnswer(q, (e.target as HTMLSelectElement).value || null)}>
        <option value="" ?selected=${!answer}>${t(q.kind === 'state' ? 'orientation.chooseState' : 'orientation.chooseCountry')}</option>
        ${options.map((o) => html`<option value=${o.value} lang=${o.lang} ?selected=${answer === o.value}>${o.label}</option>`)}
      </select></label
    >`;
  }

  private onOption(q: OrQuestion, e: Event): void {
    const input = e.target as HTMLInputElement;
    if (q.kind === 'single') return this.setAnswer(q, input.checked ? input.value : null);
    const current = new Set(Array.isArray(this.answers[q.id]) ? (this.answers[q.id] as string[]) : []);
    if (input.checked) current.add(input.value);
    else current.delete(input.value);
    // in the order the options are listed, whatever order they were ticked in
    this.setAnswer(q, (q.options ?? []).map((o) => o.value).filter((v) => current.has(v)));
  }

  private readonly onNext = (e: SubmitEvent): void => {
    e.preventDefault();
    void this.go(this.step + 1);
  };

  private renderResult() {
    const { t } = this.i18n;
    const rs = this.ruleSet!;
    const { items } = evaluate(rs, this.answers);
    const byId = new Map(rs.items.map((i) => [i.id, i]));
    const shown = items.map((id) => byId.get(id)!).filter(Boolean);
    return html`
      <section part="result" class="result" aria-labelledby="result-title">
        <h2 id="result-title" tabindex="-1">${t('orientation.resultTitle')}</h2>
        <p>${t('orientation.resultIntro')}</p>
        ${rs.example ? html`<p class="example" role="note">${t('orientation.example')}</p>` : nothing}
        ${this.renderGroups(shown, this.i18n.language, t)}
        ${this.renderAnswers(this.i18n.language, t)}
        <p class="version">${t('orientation.version', { version: this.version })}</p>
      </section>
      ${this.germanTexts && this.i18n.language !== 'de' ? this.renderGermanCopy(shown) : nothing}
      <div class="actions">
        <button type="button" @click=${this.send}>${t('orientation.send')}</button>
        <button type="button" class="secondary" @click=${() => window.print()}>${t('orientation.print')}</button>
        <button type="button" class="secondary" @click=${() => this.go(0)}>${t('orientation.change')}</button>
        ${this.closeButton()}
      </div>
    `;
  }

  private renderGroups(shown: OrItem[], lang: string, t: Translate, print = false) {
    return KINDS.map((kind) => {
      const list = shown.filter((i) => i.kind === kind);
      if (!list.length) return nothing;
      const items = list.map(
        (item) => html`<li part="item">
          <strong>${this.text(item.title, lang)}</strong>
          ${item.text ? html`<p>${this.text(item.text, lang)}</p>` : nothing}
          ${kind === 'programme' ? html`<p class="checks">${t('orientation.counsellorChecks')}</p>` : nothing}
          ${!print && item.articles?.length
            ? html`<p class="links">
                ${t('orientation.readMore')}
                ${item.articles.map((slug) => {
                  const a = this.articles.get(slug);
                  return html`<a href="/info/${a?.language ?? lang}/${slug}" target="_blank" rel="noopener noreferrer" lang=${a?.language ?? nothing} dir="auto">${a?.title ?? slug}</a>`;
                })}
              </p>`
            : nothing}
        </li>`,
      );
      return html`<h3>${t(`orientation.kind.${kind}`)}</h3>
        ${kind === 'step' ? html`<ol>${items}</ol>` : html`<ul>${items}</ul>`}`;
    });
  }

  /** The visitor's answers in the questionnaire's own words (skipped ones say so). */
  private renderAnswers(lang: string, t: Translate) {
    return html`<details class="answers" ?open=${false}>
      <summary>${t('orientation.yourAnswers')}</summary>
      <dl>
        ${this.questions.map((q) => html`<dt>${this.text(q.text, lang)}</dt><dd>${this.answerText(q, lang, t)}</dd>`)}
      </dl>
    </details>`;
  }

  private answerText(q: OrQuestion, lang: string, t: Translate) {
    const a = this.answers[q.id];
    if (a === undefined) return t('orientation.notAnswered');
    const values = Array.isArray(a) ? a : [a];
    if (q.kind === 'state') return html`<span lang="de">${FEDERAL_STATES.find((s) => s.key === a)?.name ?? a}</span>`;
    if (q.kind === 'country') return countryName(a as string, lang);
    return values.map((v, i) => html`${i ? ', ' : ''}${this.text(q.options?.find((o) => o.value === v)?.text, lang)}`);
  }

  /** Printed only: the same result in German for the counselling office. */
  private renderGermanCopy(shown: OrItem[]) {
    const texts = this.germanTexts!;
    const de: Translate = (key, values) => translate('de', texts, key, values);
    return html`<section class="german-copy" part="german-copy" lang="de" dir="ltr" aria-hidden="true">
      <h2>${de('orientation.germanCopy')}</h2>
      ${this.renderGroups(shown, 'de', de, true)}
      <h3>${de('orientation.yourAnswers')}</h3>
      <dl>${this.questions.map((q) => html`<dt>${this.text(q.text, 'de')}</dt><dd>${this.answerText(q, 'de', de)}</dd>`)}</dl>
      <p class="version">${de('orientation.version', { version: this.version })}</p>
    </section>`;
  }

  private readonly send = (): void => {
    this.dispatchEvent(new DiReturnOrientationSendEvent({ ...this.answers }, this.version, this.i18n.t('orientation.sendBody')));
    this.reset();
  };

  private readonly close = (): void => {
    // Closing the check forgets the answers (they were never sent).
    this.reset();
    this.dispatchEvent(new DiReturnOrientationCloseEvent());
  };
}

function countryName(code: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang, 'en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

const countryCache = new Map<string, { value: string; label: string; lang: string }[]>();
/** Every country in the reader's language (the browser's names), sorted as that language sorts. */
function countryOptions(lang: string) {
  let list = countryCache.get(lang);
  if (!list) {
    const collator = new Intl.Collator(lang);
    list = COUNTRY_CODES.filter((c) => c !== 'DE')
      .map((c) => ({ value: c, label: countryName(c, lang), lang }))
      .sort((a, b) => collator.compare(a.label, b.label));
    countryCache.set(lang, list);
  }
  return list;
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-orientation-view': OrientationView;
  }
}
