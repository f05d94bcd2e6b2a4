import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { KB_TOPICS, LANGUAGES, languageDirection, type KbArticleCardDto, type KbPublicArticleDto, type KbSearchHitDto } from '@direturn/protocol';
import { I18nController, i18n, isUiLanguage, type Resources } from '../i18n/i18n.js';

type Screen = { kind: 'list' } | { kind: 'results'; query: string; hits: KbSearchHitDto[] } | { kind: 'article'; article: KbPublicArticleDto };

const nativeName = (code: string) => LANGUAGES.find((l) => l.code === code)?.nativeName ?? code;

/**
 * @summary Information inside the widget: topics and articles in the visitor's language (or, said
 * so, in English/German), full-text search with highlighted matches, and an article view with
 * "Talk to a counsellor about this". Loaded as its own chunk when the visitor opens it; reads the
 * published texts from /api/info (same origin as the frame). Article HTML is rendered and made
 * safe on the server; the frame's CSP runs no inline script in any case.
 *
 * @fires direturn-info-close - Back to the chat.
 * @fires direturn-talk-about - Talk to a counsellor about this article (`detail.articleId`, `detail.language`, `detail.title`).
 * @csspart article - The article's text.
 * @csspart talk - The "talk to a counsellor about this" button.
 */
@customElement('direturn-info-view')
export class InfoView extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      min-block-size: 0;
      flex: 1;
      overflow-y: auto;
      padding: 0.75rem;
      line-height: 1.5;
      overflow-wrap: anywhere;
    }
    h2 {
      font-size: 1.1rem;
      margin: 0.25rem 0 0.5rem;
    }
    h3 {
      font-size: 1rem;
      margin: 1rem 0 0.25rem;
    }
    h2:focus,
    h3:focus {
      outline: none;
    }
    button,
    input {
      font: inherit;
    }
    button {
      min-block-size: 2.75rem;
      cursor: pointer;
    }
    .link {
      background: none;
      border: none;
      padding: 0.25rem 0;
      color: LinkText;
      text-decoration: underline;
      text-align: start;
      min-block-size: 2.75rem;
    }
    form {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
    }
    input {
      flex: 1 1 10rem;
      min-inline-size: 0;
      padding: 0.5rem;
      border: 1px solid #6b7680;
      border-radius: 8px;
    }
    ul {
      list-style: none;
      padding: 0;
      margin: 0;
    }
    li {
      margin-block: 0.4rem;
    }
    .meta {
      font-size: 0.875rem;
      opacity: 0.85;
      margin: 0;
    }
    .note {
      border-inline-start: 4px solid #b35c00;
      padding: 0.4rem 0.6rem;
      margin: 0.5rem 0;
      font-size: 0.9rem;
    }
    mark {
      background: #ffe28a;
      color: #000;
    }
    article :is(table, pre) {
      display: block;
      max-inline-size: 100%;
      overflow-x: auto;
    }
    .talk {
      margin-block: 1rem;
      border: none;
      border-radius: 999px;
      padding-inline: 1rem;
      background: var(--direturn-accent, #0b57a4);
      color: var(--direturn-accent-contrast, #fff);
    }
    .top {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      flex-wrap: wrap;
    }
  `;

  private i18n = new I18nController(this);

  /** The language the visitor reads (the chat's UI language). */
  @property() language = 'de';

  @state() private screen: Screen = { kind: 'list' };
  @state() private cards: KbArticleCardDto[] | null = null;
  @state() private failed = false;
  @state() private status = '';
  private loadedTexts = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('language') && changed.get('language') !== undefined) {
      this.cards = null;
      void this.load();
    }
  }

  /** The view's own texts come with the full locale file (the frame carries only the chat's inline). */
  private async texts(): Promise<void> {
    const lang = this.language;
    if (this.loadedTexts === lang || !isUiLanguage(lang)) return;
    const res = await fetch(`/widget/locales/${lang}.json`);
    if (!res.ok) return;
    i18n.add(lang, (await res.json()) as Resources);
    this.loadedTexts = lang;
    if (i18n.language === lang) i18n.use(lang);
  }

  private async get<T>(path: string): Promise<T> {
    const res = await fetch(path, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return (await res.json()) as T;
  }

  private async load(): Promise<void> {
    try {
      const [, list] = await Promise.all([this.texts(), this.get<{ articles: KbArticleCardDto[] }>(`/api/info/articles?lang=${this.language}`)]);
      this.cards = list.articles;
      this.failed = false;
    } catch {
      this.failed = true;
    }
    if (this.screen.kind === 'list') this.focusHeading();
  }

  private focusHeading(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[data-focus]')?.focus());
  }

  private async search(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const query = new FormData(e.target as HTMLFormElement).get('q')?.toString().trim() ?? '';
    if (!query) return;
    try {
      const { hits } = await this.get<{ hits: KbSearchHitDto[] }>(`/api/info/search?lang=${this.language}&q=${encodeURIComponent(query)}`);
      this.screen = { kind: 'results', query, hits };
      this.status = this.i18n.t('info.resultCount', { n: String(hits.length) });
    } catch {
      this.failed = true;
    }
  }

  /** Opens an article (also for a page that links to one). */
  async open(slug: string): Promise<void> {
    try {
      const { article } = await this.get<{ article: KbPublicArticleDto }>(`/api/info/articles/${encodeURIComponent(slug)}?lang=${this.language}`);
      this.screen = { kind: 'article', article };
      this.focusHeading();
      this.scrollTop = 0;
    } catch {
      this.failed = true;
    }
  }

  private back(): void {
    if (this.screen.kind === 'list') this.dispatchEvent(new CustomEvent('direturn-info-close', { bubbles: true, composed: true }));
    else {
      this.screen = { kind: 'list' };
      this.focusHeading();
    }
  }

  private talk(a: KbPublicArticleDto): void {
    this.dispatchEvent(new CustomEvent('direturn-talk-about', { detail: { articleId: a.id, language: this.language, title: a.title }, bubbles: true, composed: true }));
  }

  protected override render() {
    const { t } = this.i18n;
    const s = this.screen;
    return html`<div class="top">
        <button type="button" class="link" @click=${this.back}>${s.kind === 'list' ? t('info.backToChat') : t('info.allArticles')}</button>
      </div>
      ${this.failed ? html`<p role="alert">${t('info.loadFailed')}</p>` : nothing}
      <p class="sr-only" role="status" style="position:absolute;inline-size:1px;block-size:1px;overflow:hidden;clip-path:inset(50%)">${this.status}</p>
      ${s.kind === 'article' ? this.renderArticle(s.article) : this.renderList(s)}`;
  }

  private card(c: KbArticleCardDto, snippet?: KbSearchHitDto['snippet']) {
    const other = c.language !== this.language;
    return html`<li>
      <button type="button" class="link" lang=${other ? c.language : nothing} dir=${other ? languageDirection(c.language) : nothing} @click=${() => this.open(c.slug)}>${c.title}</button>
      <p class="meta" lang=${other ? c.language : nothing} dir="auto">
        ${snippet ? snippet.map((p) => (p.hit ? html`<mark>${p.text}</mark>` : p.text)) : c.summary}
      </p>
      ${other ? html`<p class="meta">${this.i18n.t('info.inLanguage', { language: nativeName(c.language) })}</p>` : nothing}
    </li>`;
  }

  private renderList(s: Screen) {
    const { t } = this.i18n;
    const form = html`<form role="search" @submit=${this.search}>
      <label for="q" class="meta" style="flex-basis:100%">${t('info.searchLabel')}</label>
      <input id="q" name="q" type="search" dir="auto" maxlength="200" .value=${s.kind === 'results' ? s.query : ''} />
      <button type="submit">${t('info.search')}</button>
    </form>`;
    if (s.kind === 'results') {
      return html`<h2 tabindex="-1" data-focus>${t('info.searchResults', { query: s.query })}</h2>
        ${form}
        ${s.hits.length ? html`<ul>${s.hits.map((h) => this.card(h, h.snippet))}</ul>` : html`<p>${t('info.noResults')}</p>`}`;
    }
    const cards = this.cards;
    return html`<h2 tabindex="-1" data-focus>${t('info.siteTitle')}</h2>
      ${form}
      ${cards === null
        ? html`<p>${t('info.loading')}</p>`
        : KB_TOPICS.map((topic) => {
            const items = cards.filter((c) => c.topic === topic);
            return items.length ? html`<h3>${t(`topic.${topic}`)}</h3><ul>${items.map((c) => this.card(c))}</ul>` : nothing;
          })}`;
  }

  private renderArticle(a: KbPublicArticleDto) {
    const { t } = this.i18n;
    return html`${a.fallback
        ? html`<p class="note" role="note">${t('info.fallbackNotice', { language: nativeName(this.language), fallback: nativeName(a.language) })}
            ${t('info.askInOwnLanguage', { language: nativeName(this.language) })}</p>`
        : nothing}
      ${a.example ? html`<p class="note" role="note">${t('info.example')}</p>` : nothing}
      <article part="article" lang=${a.language} dir=${languageDirection(a.language)}>
        <h2 tabindex="-1" data-focus>${a.title}</h2>
        <p><strong>${a.summary}</strong></p>
        ${unsafeHTML(a.html)}
      </article>
      <button type="button" class="talk" part="talk" @click=${() => this.talk(a)}>${t('info.talkAbout')}</button>
      ${a.sources.length
        ? html`<h3>${t('info.sources')}</h3>
            <ul>
              ${a.sources.map((src) => html`<li><a href=${src.url} target="_blank" rel="noopener noreferrer" dir="auto">${src.title}</a></li>`)}
            </ul>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-info-view': InfoView;
  }
}
