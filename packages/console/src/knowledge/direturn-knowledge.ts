import {
  KB_TOPICS,
  LANGUAGES,
  LANGUAGE_CODES,
  isLanguageCode,
  languageDirection,
  type KbArticleDto,
  type KbArticleListItemDto,
  type KbDiffPart,
  type KbSearchMissDto,
  type KbSourceChangesDto,
  type KbTopic,
  type KbTranslationDto,
  type KbTranslationStatusDto,
  type LanguageCode,
} from '@direturn/protocol';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import { I18nController, t, uiLanguage } from '../i18n/i18n.js';
import { nativeLanguageName } from '../shared/format.js';
import { buttons, forms, tokens } from '../shared/styles.js';
import './direturn-kb-versions.js';
import type { KbVersionLoadDetail } from './direturn-kb-versions.js';

type Draft = { title: string; summary: string; body: string; minor: boolean; status: 'draft' | 'review' };
const EMPTY: Draft = { title: '', summary: '', body: '', minor: false, status: 'draft' };

/**
 * @summary Editors: every article with the state of each language at a glance (missing, outdated,
 * up to date; draft, review, published), the article's settings, a translation edited beside its
 * source with what changed in the source since its last update, a preview as the widget shows it,
 * publishing, and the searches visitors made that found nothing.
 *
 * @csspart matrix - The table of articles and languages.
 * @csspart editor - The article being edited.
 * @csspart preview - The rendered preview.
 * @csspart error - An error message.
 * @csspart status - The result of the last action.
 */
@customElement('direturn-knowledge')
export class DireturnKnowledge extends LitElement {
  static override styles = [
    tokens,
    buttons,
    forms,
    css`
      :host {
        display: block;
      }
      table {
        border-collapse: collapse;
        font-size: 0.875rem;
      }
      th,
      td {
        border-block-end: 1px solid var(--_border);
        padding: 0.25rem 0.4rem;
        text-align: start;
        vertical-align: top;
      }
      .matrix-wrap {
        overflow-x: auto;
        max-inline-size: 100%;
      }
      .cell {
        font-family: ui-monospace, monospace;
        white-space: nowrap;
      }
      .cell[data-state='outdated'] {
        color: var(--_danger);
        font-weight: 700;
      }
      .cell[data-state='missing'] {
        opacity: 0.55;
      }
      .side {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr));
        gap: var(--_space);
      }
      textarea {
        min-block-size: 14rem;
        resize: vertical;
        font-family: ui-monospace, monospace;
      }
      .source {
        white-space: pre-wrap;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 0.5rem;
        max-block-size: 24rem;
        overflow: auto;
        font-size: 0.875rem;
      }
      .diff ins {
        background: color-mix(in srgb, green 25%, transparent);
        text-decoration: none;
      }
      .diff del {
        background: color-mix(in srgb, red 25%, transparent);
      }
      .preview {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 0.5rem 0.75rem;
        max-inline-size: 24rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      fieldset {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;

  @state() private articles: KbArticleListItemDto[] = [];
  @state() private misses: KbSearchMissDto[] = [];
  @state() private article: KbArticleDto | null = null;
  @state() private language: LanguageCode = 'en';
  @state() private draft: Draft = EMPTY;
  @state() private changes: KbSourceChangesDto | null = null;
  @state() private preview = '';
  @state() private error = '';
  @state() private status = '';

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private fail(err: unknown): void {
    this.status = '';
    this.error = isApiError(err, 'network_error')
      ? t('common.errors.network')
      : isApiError(err) && err.issues.length
        ? `${t('knowledge.errors.invalid')} ${err.issues.join('; ')}`
        : t('common.errors.generic');
  }

  private async load(): Promise<void> {
    try {
      const [articles, misses] = await Promise.all([this.api.listArticles(), this.api.listSearchMisses()]);
      this.articles = articles;
      this.misses = misses;
    } catch (err) {
      this.fail(err);
    }
  }

  override render() {
    return html`<h1 tabindex="-1">${t('knowledge.title')}</h1>
      <div role="alert">${this.error ? html`<p class="error" part="error">${this.error}</p>` : nothing}</div>
      <p role="status" class="success" part="status">${this.status}</p>
      ${this.article ? this.renderEditor(this.article) : nothing}
      <h2>${t('knowledge.articles')}</h2>
      ${this.renderMatrix()} ${this.renderCreate()} ${this.renderMisses()}`;
  }

  private renderMatrix() {
    if (!this.articles.length) return html`<p>${t('knowledge.none')}</p>`;
    return html`<p class="hint">${t('knowledge.legend')}</p>
      <div class="matrix-wrap">
        <table part="matrix">
          <thead>
            <tr>
              <th scope="col">${t('knowledge.article')}</th>
              <th scope="col">${t('knowledge.topic')}</th>
              ${LANGUAGE_CODES.map((l) => html`<th scope="col" title=${nativeLanguageName(l)}>${l}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${this.articles.map(
              (a) => html`<tr>
                <th scope="row"><button type="button" class="link" @click=${() => this.open(a.id)}>${a.title}</button>${a.example ? html` <small>(${t('knowledge.example')})</small>` : nothing}</th>
                <td>${t(`knowledge.topics.${a.topic}`)}</td>
                ${LANGUAGE_CODES.map((l) => this.renderCell(a.translations.find((x) => x.language === l)))}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  private renderCell(tr: KbTranslationStatusDto | undefined) {
    const state = tr?.state ?? 'missing';
    const mark = state === 'missing' ? '–' : state === 'outdated' ? '!' : '✓';
    const status = tr ? { draft: 'D', review: 'R', published: 'P' }[tr.status] : '';
    const label = tr ? `${t(`knowledge.state.${state}`)}, ${t(`knowledge.status.${tr.status}`)}${tr.publishedVersion ? `, ${t('knowledge.publishedVersion', { version: tr.publishedVersion })}` : ''}` : t('knowledge.state.missing');
    return html`<td class="cell" data-state=${state} title=${label}><span aria-hidden="true">${mark}${status}</span><span class="visually-hidden">${label}</span></td>`;
  }

  private renderCreate() {
    return html`<h2 id="kb-create">${t('knowledge.create')}</h2>
      <form @submit=${this.create} aria-labelledby="kb-create" novalidate>
        <div class="row">
          <label>${t('knowledge.slug')}<input name="slug" required maxlength="80" pattern="[a-z0-9]+(-[a-z0-9]+)*" spellcheck="false" /></label>
          <label>${t('knowledge.topic')}<select name="topic">${KB_TOPICS.map((x) => html`<option value=${x}>${t(`knowledge.topics.${x}`)}</option>`)}</select></label>
          <label>${t('knowledge.sourceLanguage')}<select name="source">${LANGUAGES.map((l) => html`<option value=${l.code} ?selected=${l.code === 'de'}>${l.nativeName}</option>`)}</select></label>
          <button type="submit">${t('knowledge.createButton')}</button>
        </div>
      </form>`;
  }

  private renderMisses() {
    return html`<h2>${t('knowledge.misses')}</h2>
      <p class="hint">${t('knowledge.missesHint')}</p>
      ${this.misses.length
        ? html`<table>
            <thead><tr><th scope="col">${t('knowledge.language')}</th><th scope="col">${t('knowledge.query')}</th><th scope="col">${t('knowledge.count')}</th></tr></thead>
            <tbody>
              ${this.misses.map((m) => html`<tr><td>${nativeLanguageName(m.language)}</td><td dir="auto" lang=${m.language}>${m.query}</td><td>${m.count}</td></tr>`)}
            </tbody>
          </table>`
        : html`<p>${t('knowledge.noMisses')}</p>`}`;
  }

  private renderEditor(a: KbArticleDto) {
    const source = a.translations.find((x) => x.language === a.sourceLanguage);
    const target = a.translations.find((x) => x.language === this.language);
    const isSource = this.language === a.sourceLanguage;
    return html`<section part="editor" aria-labelledby="kb-editor">
      <h2 id="kb-editor" tabindex="-1">${source?.title ?? a.slug}</h2>
      <form @submit=${this.saveMeta} novalidate>
        <fieldset>
          <legend>${t('knowledge.settings')}</legend>
          <div class="row">
            <label>${t('knowledge.slug')}<input name="slug" .value=${a.slug} maxlength="80" spellcheck="false" /></label>
            <label>${t('knowledge.topic')}<select name="topic">${KB_TOPICS.map((x) => html`<option value=${x} ?selected=${a.topic === x}>${t(`knowledge.topics.${x}`)}</option>`)}</select></label>
            <label>${t('knowledge.countries')}<input name="countries" .value=${a.countries === 'all' ? 'all' : a.countries.join(', ')} /></label>
          </div>
          <label>${t('knowledge.sources')}<textarea name="sources" style="min-block-size:4rem" .value=${a.sources.map((s) => `${s.title} | ${s.url}`).join('\n')}></textarea></label>
          <p class="hint">${t('knowledge.sourcesHint')}</p>
          <button type="submit" class="secondary">${t('knowledge.saveSettings')}</button>
        </fieldset>
      </form>
      <div class="row">
        <label
          >${t('knowledge.editLanguage')}
          <select @change=${(e: Event) => this.pick((e.target as HTMLSelectElement).value)}>
            ${LANGUAGES.map((l) => html`<option value=${l.code} ?selected=${l.code === this.language}>${l.nativeName}</option>`)}
          </select></label
        >
        ${target
          ? html`<span>${t(`knowledge.state.${target.state}`)}, ${t(`knowledge.status.${target.status}`)} (v${target.version}${target.publishedVersion ? `, ${t('knowledge.publishedVersion', { version: target.publishedVersion })}` : ''})</span>`
          : html`<span>${t('knowledge.state.missing')}</span>`}
      </div>
      ${this.changes && !isSource ? this.renderChanges(this.changes) : nothing}
      <div class="side">
        ${isSource ? nothing : html`<div>
              <h3>${t('knowledge.sourceText', { language: nativeLanguageName(a.sourceLanguage) })}</h3>
              ${source
                ? html`<div class="source" lang=${a.sourceLanguage} dir=${languageDirection(a.sourceLanguage)}><strong>${source.title}</strong>\n${source.summary}\n\n${source.body}</div>`
                : html`<p>${t('knowledge.noSource')}</p>`}
            </div>`}
        <form @submit=${this.save} novalidate>
          <h3>${nativeLanguageName(this.language)}</h3>
          <label>${t('knowledge.fieldTitle')}<input name="title" maxlength="200" dir="auto" lang=${this.language} .value=${this.draft.title} @input=${this.edit} /></label>
          <label>${t('knowledge.fieldSummary')}<input name="summary" maxlength="600" dir="auto" lang=${this.language} .value=${this.draft.summary} @input=${this.edit} /></label>
          <label>${t('knowledge.fieldBody')}<textarea name="body" dir="auto" lang=${this.language} .value=${this.draft.body} @input=${this.edit}></textarea></label>
          <p class="hint">${t('knowledge.markdownHint')}</p>
          <label class="check"><input type="checkbox" name="minor" .checked=${this.draft.minor} @change=${this.edit} /> ${isSource ? t('knowledge.minorSource') : t('knowledge.minorTranslation')}</label>
          <label
            >${t('knowledge.reviewStatus')}<select name="status" @change=${this.edit}>
              <option value="draft" ?selected=${this.draft.status === 'draft'}>${t('knowledge.status.draft')}</option>
              <option value="review" ?selected=${this.draft.status === 'review'}>${t('knowledge.status.review')}</option>
            </select></label
          >
          <div class="row">
            <button type="submit">${t('knowledge.save')}</button>
            <button type="button" class="secondary" @click=${this.showPreview}>${t('knowledge.preview')}</button>
            ${target ? html`<button type="button" @click=${() => this.publish(true)}>${t('knowledge.publish')}</button>` : nothing}
            ${target?.publishedVersion ? html`<button type="button" class="secondary" @click=${() => this.publish(false)}>${t('knowledge.unpublish')}</button>` : nothing}
            <button type="button" class="secondary" @click=${() => (this.article = null)}>${t('knowledge.closeEditor')}</button>
          </div>
        </form>
      </div>
      <direturn-kb-versions .api=${this.api} .articleId=${a.id} .language=${this.language} .latest=${target?.version ?? 0} @direturn-kb-version-load=${this.loadVersion}></direturn-kb-versions>
      ${this.preview
        ? html`<h3>${t('knowledge.previewTitle')}</h3>
            <div class="preview" part="preview" lang=${this.language} dir=${languageDirection(this.language)}>
              <h4>${this.draft.title}</h4>
              <p><strong>${this.draft.summary}</strong></p>
              ${unsafeHTML(this.preview /* rendered and made safe by the server, as visitors get it */)}
            </div>`
        : nothing}
    </section>`;
  }

  private renderChanges(c: KbSourceChangesDto) {
    const parts = (p: KbDiffPart[]) => p.map((x) => (x.added ? html`<ins>${x.value}</ins>` : x.removed ? html`<del>${x.value}</del>` : x.value));
    const changed = [...c.title, ...c.summary, ...c.body].some((p) => p.added || p.removed);
    return html`<details class="diff" ?open=${changed}>
      <summary>${c.fromVersion ? t('knowledge.changesSince', { from: c.fromVersion, to: c.toVersion }) : t('knowledge.changesAll', { to: c.toVersion })}</summary>
      ${changed
        ? html`<div class="source" lang=${c.sourceLanguage}>${parts(c.title)}\n${parts(c.summary)}\n\n${parts(c.body)}</div>`
        : html`<p>${t('knowledge.noChanges')}</p>`}
    </details>`;
  }

  private async open(id: string): Promise<void> {
    try {
      this.article = await this.api.getArticle(id);
      this.error = '';
      this.status = '';
      const first = LANGUAGE_CODES.find((l) => l !== this.article!.sourceLanguage && l === uiLanguage()) ?? (this.article.sourceLanguage === 'en' ? 'de' : 'en');
      await this.pick(first);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#kb-editor')?.focus();
    } catch (err) {
      this.fail(err);
    }
  }

  private async pick(lang: string): Promise<void> {
    if (!isLanguageCode(lang) || !this.article) return;
    this.language = lang;
    this.preview = '';
    const tr: KbTranslationDto | undefined = this.article.translations.find((x) => x.language === lang);
    this.draft = tr ? { title: tr.title, summary: tr.summary, body: tr.body, minor: false, status: tr.status === 'published' ? 'review' : tr.status } : EMPTY;
    this.changes = null;
    if (lang !== this.article.sourceLanguage && this.article.translations.some((x) => x.language === this.article!.sourceLanguage)) {
      try {
        this.changes = await this.api.sourceChanges(this.article.id, lang);
      } catch (err) {
        this.fail(err);
      }
    }
  }

  /** An earlier version's text goes into the editor; saving it makes it the newest version. */
  private loadVersion(e: CustomEvent<KbVersionLoadDetail>): void {
    const { version, title, summary, body } = e.detail;
    this.draft = { ...this.draft, title, summary, body };
    this.preview = '';
    this.status = t('knowledge.versions.loaded', { version });
  }

  private edit(e: Event): void {
    const el = e.target as HTMLInputElement;
    const value = el.type === 'checkbox' ? el.checked : el.value;
    this.draft = { ...this.draft, [el.name]: value } as Draft;
  }

  private async save(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (!this.article) return;
    try {
      this.article = await this.api.saveTranslation(this.article.id, this.language, this.draft);
      this.status = t('knowledge.saved');
      this.error = '';
      await this.pick(this.language);
      await this.load();
    } catch (err) {
      this.fail(err);
    }
  }

  private async publish(on: boolean): Promise<void> {
    if (!this.article) return;
    try {
      this.article = await this.api.publishTranslation(this.article.id, this.language, on);
      this.status = on ? t('knowledge.publishedDone') : t('knowledge.unpublishedDone');
      this.error = '';
      await this.load();
    } catch (err) {
      this.fail(err);
    }
  }

  private async showPreview(): Promise<void> {
    try {
      this.preview = await this.api.previewArticle(this.draft.body);
    } catch (err) {
      this.fail(err);
    }
  }

  private async saveMeta(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (!this.article) return;
    const data = new FormData(e.target as HTMLFormElement);
    const countriesText = String(data.get('countries') ?? '').trim();
    const sources = String(data.get('sources') ?? '')
      .split('\n')
      .map((line) => line.split('|').map((x) => x.trim()))
      .filter(([title, url]) => title && url)
      .map(([title, url]) => ({ title: title!, url: url! }));
    try {
      this.article = await this.api.updateArticle(this.article.id, {
        slug: String(data.get('slug') ?? '').trim(),
        topic: String(data.get('topic')) as KbTopic,
        countries: countriesText === '' || countriesText.toLowerCase() === 'all' ? 'all' : countriesText.split(/[\s,]+/).filter(Boolean),
        sources,
      });
      this.status = t('knowledge.saved');
      this.error = '';
      await this.load();
    } catch (err) {
      this.fail(err);
    }
  }

  private async create(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const source = String(data.get('source'));
    try {
      const created = await this.api.createArticle({
        slug: String(data.get('slug') ?? '').trim(),
        topic: String(data.get('topic')) as KbTopic,
        countries: 'all',
        sources: [],
        sourceLanguage: isLanguageCode(source) ? source : 'de',
      });
      form.reset();
      await this.load();
      await this.open(created.id);
      await this.pick(created.sourceLanguage);
    } catch (err) {
      this.fail(err);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-knowledge': DireturnKnowledge;
  }
}
