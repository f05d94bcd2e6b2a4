import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LANGUAGE_CODES, SAVED_REPLY_LIMITS, pickReplyTranslation, type AgentDto, type LanguageCode, type SavedReplyDto, type SavedReplyScope } from '@direturn/protocol';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import { I18nController, t, uiLanguage } from '../i18n/i18n.js';
import { nativeLanguageName } from '../shared/format.js';
import { buttons, forms, tokens } from '../shared/styles.js';
import { libraryStyles } from './saved-replies.styles.js';

interface Draft {
  id: string | null;
  scope: SavedReplyScope;
  shortcut: string;
  translations: Array<{ language: LanguageCode; title: string; body: string }>;
}

/**
 * @summary Saved replies: the shared library (admins change it) and the counsellor's own, each
 * with a text per language; create, edit the translations, delete. Placeholders `{{counsellor}}`
 * and `{{site}}` are filled when a reply is inserted into a conversation.
 *
 * @csspart list - The table of replies.
 * @csspart editor - The form of the reply being edited.
 * @csspart status - The result of the last action.
 */
@customElement('direturn-saved-replies')
export class DireturnSavedReplies extends LitElement {
  static override styles = [tokens, buttons, forms, libraryStyles];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;
  /** The signed-in agent (admins may write to the shared library). */
  @property({ attribute: false }) me: AgentDto | null = null;

  @state() private replies: SavedReplyDto[] | null = null;
  @state() private draft: Draft | null = null;
  @state() private status = '';
  @state() private error = '';
  @state() private confirmingDelete: string | null = null;
  @state() private addLanguage: LanguageCode = 'en';

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.replies = await this.api.listSavedReplies();
    } catch (err) {
      this.replies = [];
      this.error = this.explain(err);
    }
  }

  private explain(err: unknown): string {
    if (!isApiError(err)) return t('savedReplies.failed');
    if (err.code === 'forbidden') return t('savedReplies.forbidden');
    if (err.code === 'bad_request') return t('savedReplies.invalid');
    if (err.code === 'not_found') return t('savedReplies.notFound');
    return t('savedReplies.failed');
  }

  private async edit(reply: SavedReplyDto | null): Promise<void> {
    const mine = this.me?.languages?.[0] ?? 'de';
    this.draft = reply
      ? { id: reply.id, scope: reply.scope, shortcut: reply.shortcut, translations: reply.translations.map(({ language, title, body }) => ({ language, title, body })) }
      : { id: null, scope: this.me?.role === 'admin' ? 'shared' : 'personal', shortcut: '', translations: [{ language: mine, title: '', body: '' }] };
    this.status = this.error = '';
    this.addLanguage = LANGUAGE_CODES.find((l) => !this.draft!.translations.some((x) => x.language === l)) ?? 'en';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#editor-title')?.focus();
  }

  private async save(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const d = this.draft;
    if (!d) return;
    try {
      const saved = await this.api.saveSavedReply({ scope: d.scope, shortcut: d.shortcut, translations: d.translations }, d.id ?? undefined);
      this.draft = null;
      await this.load();
      this.status = t('savedReplies.saved');
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`[data-reply="${saved.id}"] button`)?.focus();
    } catch (err) {
      this.error = this.explain(err);
    }
  }

  private async deleteReply(id: string): Promise<void> {
    try {
      await this.api.deleteSavedReply(id);
      this.confirmingDelete = null;
      await this.load();
      this.status = t('savedReplies.deleted');
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
    } catch (err) {
      this.error = this.explain(err);
    }
  }

  private setTranslation(i: number, field: 'title' | 'body', value: string): void {
    const d = this.draft!;
    this.draft = { ...d, translations: d.translations.map((x, j) => (j === i ? { ...x, [field]: value } : x)) };
  }

  private addTranslation(): void {
    const d = this.draft!;
    if (d.translations.some((x) => x.language === this.addLanguage)) return;
    this.draft = { ...d, translations: [...d.translations, { language: this.addLanguage, title: '', body: '' }] };
    const lang = this.addLanguage;
    this.addLanguage = LANGUAGE_CODES.find((l) => !this.draft!.translations.some((x) => x.language === l)) ?? 'en';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#title-${lang}`)?.focus());
  }

  private removeTranslation(i: number): void {
    const d = this.draft!;
    this.draft = { ...d, translations: d.translations.filter((_, j) => j !== i) };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#add-language')?.focus());
  }

  override render() {
    return html`
      <h2 tabindex="-1">${t('savedReplies.title')}</h2>
      <p>${t('savedReplies.intro')}</p>
      <p role="status" part="status">${this.status}</p>
      ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}
      ${this.draft ? this.renderEditor(this.draft) : html`<div class="actions"><button type="button" @click=${() => this.edit(null)}>${t('savedReplies.new')}</button></div>`}
      ${this.renderList()}
    `;
  }

  private renderList() {
    if (this.replies === null) return html`<p>${t('savedReplies.loading')}</p>`;
    if (this.replies.length === 0) return html`<p>${t('savedReplies.empty')}</p>`;
    const ui = uiLanguage() as LanguageCode;
    return html`<table part="list">
      <caption class="visually-hidden">${t('savedReplies.title')}</caption>
      <thead>
        <tr>
          <th scope="col">${t('savedReplies.titleLabel')}</th>
          <th scope="col">${t('savedReplies.shortcut')}</th>
          <th scope="col">${t('savedReplies.scope')}</th>
          <th scope="col">${t('savedReplies.languages')}</th>
          <th scope="col"><span class="visually-hidden">${t('savedReplies.actions')}</span></th>
        </tr>
      </thead>
      <tbody>
        ${this.replies.map((r) => {
          const x = pickReplyTranslation(r.translations, ui)?.translation;
          return html`<tr data-reply=${r.id}>
            <td><bdi lang=${x?.language ?? nothing}>${x?.title ?? ''}</bdi> ${r.example ? html`<span class="badge">${t('savedReplies.demo')}</span>` : nothing}</td>
            <td><bdi>${r.shortcut}</bdi></td>
            <td>${t(r.scope === 'shared' ? 'savedReplies.scopeShared' : 'savedReplies.scopePersonal')}</td>
            <td>${r.translations.map((tr) => html`<span lang=${tr.language}>${nativeLanguageName(tr.language)}</span> `)}</td>
            <td>
              ${r.canEdit
                ? this.confirmingDelete === r.id
                  ? html`<span>${t('savedReplies.confirmDelete')}</span>
                      <button type="button" class="danger" @click=${() => this.deleteReply(r.id)}>${t('savedReplies.delete')}</button>
                      <button type="button" class="secondary" @click=${() => (this.confirmingDelete = null)}>${t('common.cancel')}</button>`
                  : html`<button type="button" class="secondary" @click=${() => this.edit(r)} aria-label=${t('savedReplies.editNamed', { title: x?.title ?? r.shortcut })}>${t('savedReplies.edit')}</button>
                      <button type="button" class="secondary" @click=${() => (this.confirmingDelete = r.id)} aria-label=${t('savedReplies.deleteNamed', { title: x?.title ?? r.shortcut })}>
                        ${t('savedReplies.delete')}
                      </button>`
                : nothing}
            </td>
          </tr>`;
        })}
      </tbody>
    </table>`;
  }

  private renderEditor(d: Draft) {
    const isAdmin = this.me?.role === 'admin';
    const free = LANGUAGE_CODES.filter((l) => !d.translations.some((x) => x.language === l));
    return html`<form part="editor" @submit=${this.save} aria-labelledby="editor-title">
      <h3 id="editor-title" tabindex="-1">${d.id ? t('savedReplies.editTitle') : t('savedReplies.newTitle')}</h3>
      <label
        >${t('savedReplies.scope')}
        <select .value=${d.scope} ?disabled=${!!d.id || !isAdmin} @change=${(e: Event) => (this.draft = { ...d, scope: (e.target as HTMLSelectElement).value as SavedReplyScope })}>
          <option value="personal" ?selected=${d.scope === 'personal'}>${t('savedReplies.scopePersonal')}</option>
          ${isAdmin || d.scope === 'shared' ? html`<option value="shared" ?selected=${d.scope === 'shared'}>${t('savedReplies.scopeShared')}</option>` : nothing}
        </select>
      </label>
      <label
        >${t('savedReplies.shortcut')}
        <input .value=${d.shortcut} maxlength=${SAVED_REPLY_LIMITS.shortcutMaxChars} pattern="[\\p{L}\\p{N}_\\-]*" dir="auto" aria-describedby="shortcut-hint" @input=${(e: Event) => (this.draft = { ...d, shortcut: (e.target as HTMLInputElement).value })} />
      </label>
      <p class="hint" id="shortcut-hint">${t('savedReplies.shortcutHint')}</p>
      <p class="hint" id="placeholders-hint">${t('savedReplies.placeholders', { counsellor: '{{counsellor}}', site: '{{site}}' })}</p>
      ${d.translations.map(
        (x, i) => html`<fieldset lang=${x.language}>
          <legend>${nativeLanguageName(x.language)}</legend>
          <label for="title-${x.language}">${t('savedReplies.titleLabel')}</label>
          <input id="title-${x.language}" required dir="auto" maxlength=${SAVED_REPLY_LIMITS.titleMaxChars} .value=${x.title} @input=${(e: Event) => this.setTranslation(i, 'title', (e.target as HTMLInputElement).value)} />
          <label for="body-${x.language}">${t('savedReplies.body')}</label>
          <textarea
            id="body-${x.language}"
            required
            dir="auto"
            maxlength=${SAVED_REPLY_LIMITS.bodyMaxChars}
            aria-describedby="placeholders-hint"
            .value=${x.body}
            @input=${(e: Event) => this.setTranslation(i, 'body', (e.target as HTMLTextAreaElement).value)}
          ></textarea>
          ${d.translations.length > 1
            ? html`<button type="button" class="secondary" @click=${() => this.removeTranslation(i)}>${t('savedReplies.removeLanguage', { language: nativeLanguageName(x.language) })}</button>`
            : nothing}
        </fieldset>`,
      )}
      ${free.length
        ? html`<div class="actions">
            <label
              >${t('savedReplies.addLanguage')}
              <select id="add-language" @change=${(e: Event) => (this.addLanguage = (e.target as HTMLSelectElement).value as LanguageCode)}>
                ${free.map((l) => html`<option value=${l} lang=${l} ?selected=${l === this.addLanguage}>${nativeLanguageName(l)}</option>`)}
              </select>
            </label>
            <button type="button" class="secondary" @click=${this.addTranslation}>${t('savedReplies.add')}</button>
          </div>`
        : nothing}
      <div class="actions">
        <button type="submit">${t('savedReplies.save')}</button>
        <button type="button" class="secondary" @click=${() => (this.draft = null)}>${t('common.cancel')}</button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-saved-replies': DireturnSavedReplies;
  }
}
