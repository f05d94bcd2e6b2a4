import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { pickReplyTranslation, type LanguageCode, type SavedReplyDto } from '@direturn/protocol';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import { I18nController, t } from '../i18n/i18n.js';
import { nativeLanguageName } from '../shared/format.js';
import { buttons, forms, tokens } from '../shared/styles.js';
import { ReplyCancelEvent, ReplyInsertEvent } from './events.js';
import { pickerStyles } from './saved-replies.styles.js';

/** Words of the query, each to be found in the shortcut, a title or a text (any language). */
export function matchesReply(reply: SavedReplyDto, query: string): boolean {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [reply.shortcut, ...reply.translations.flatMap((x) => [x.title, x.body])].join('\n').toLocaleLowerCase();
  return words.every((w) => hay.includes(w));
}

/**
 * @summary Searches the saved replies while the counsellor types (a combobox with a listbox, the
 * active option named by aria-activedescendant, so focus stays in the search field). Enter inserts
 * the highlighted reply in the conversation's language (the server fills the placeholders and says
 * when it fell back to another language); Escape closes. Either way the composer gets focus back.
 *
 * @fires direturn-reply-insert - A reply was chosen; `rendered` is its text for this conversation.
 * @fires direturn-reply-cancel - Closed without choosing.
 * @csspart search - The search field.
 * @csspart options - The list of replies.
 */
@customElement('direturn-reply-picker')
export class DireturnReplyPicker extends LitElement {
  static override styles = [tokens, buttons, forms, pickerStyles];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;
  /** The conversation the reply is for (its id and language). */
  @property({ attribute: false }) conversation: { id: string; language: LanguageCode } | null = null;

  @state() private replies: SavedReplyDto[] | null = null;
  @state() private query = '';
  @state() private active = 0;
  @state() private error = '';

  @query('input') private input?: HTMLInputElement;
  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override async focus(): Promise<void> {
    await this.updateComplete;
    this.input?.focus();
  }

  private async load(): Promise<void> {
    try {
      this.replies = await this.api.listSavedReplies();
    } catch (err) {
      this.replies = [];
      this.error = isApiError(err) ? t('savedReplies.loadFailed') : String(err);
    }
  }

  private get found(): SavedReplyDto[] {
    return (this.replies ?? []).filter((r) => matchesReply(r, this.query));
  }

  private onInput(e: InputEvent): void {
    this.query = (e.target as HTMLInputElement).value;
    this.active = 0;
  }

  private onKeydown(e: KeyboardEvent): void {
    const n = this.found.length;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (n) this.active = (this.active + 1) % n;
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (n) this.active = (this.active - 1 + n) % n;
        break;
      case 'Home':
        if (e.ctrlKey) {
          e.preventDefault();
          this.active = 0;
        }
        break;
      case 'End':
        if (e.ctrlKey) {
          e.preventDefault();
          this.active = Math.max(0, n - 1);
        }
        break;
      case 'Enter':
        e.preventDefault();
        if (n) void this.choose(this.found[this.active]!);
        break;
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        this.dispatchEvent(new ReplyCancelEvent());
        break;
    }
  }

  protected override updated(): void {
    this.renderRoot.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }

  private async choose(reply: SavedReplyDto): Promise<void> {
    if (!this.conversation) return;
    try {
      this.dispatchEvent(new ReplyInsertEvent(await this.api.renderSavedReply(reply.id, this.conversation.id)));
    } catch {
      this.error = t('savedReplies.insertFailed');
    }
  }

  override render() {
    const lang = this.conversation?.language ?? 'de';
    const matches = this.found;
    const activeId = matches[this.active] ? `reply-${matches[this.active]!.id}` : '';
    return html`
      <div class="row">
        <label for="reply-search" class="visually-hidden">${t('savedReplies.search')}</label>
        <input
          id="reply-search"
          part="search"
          type="text"
          role="combobox"
          autocomplete="off"
          aria-autocomplete="list"
          aria-expanded="true"
          aria-controls="reply-options"
          aria-activedescendant=${activeId || nothing}
          aria-describedby="reply-keys"
          placeholder=${t('savedReplies.search')}
          dir="auto"
          .value=${this.query}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
        />
        <button type="button" class="secondary" @click=${() => this.dispatchEvent(new ReplyCancelEvent())}>${t('common.cancel')}</button>
      </div>
      <p class="hint" id="reply-keys">${t('savedReplies.keys')}</p>
      <ul id="reply-options" part="options" role="listbox" aria-label=${t('savedReplies.title')}>
        ${matches.map((r, i) => {
          const picked = pickReplyTranslation(r.translations, lang);
          const x = picked?.translation;
          return html`<li
            id="reply-${r.id}"
            role="option"
            aria-selected=${i === this.active ? 'true' : 'false'}
            @click=${() => void this.choose(r)}
            @mousemove=${() => (this.active = i)}
          >
            <span><bdi lang=${x?.language ?? nothing}>${x?.title ?? r.shortcut}</bdi>${r.shortcut ? html` <span class="meta">#<bdi>${r.shortcut}</bdi></span>` : nothing}</span>
            <span class="meta"
              >${picked?.fallback ? t('savedReplies.onlyIn', { language: nativeLanguageName(x!.language) }) : nativeLanguageName(lang)} ·
              ${t(r.scope === 'shared' ? 'savedReplies.scopeShared' : 'savedReplies.scopePersonal')}</span
            >
            <span class="preview" dir="auto" lang=${x?.language ?? nothing}>${x?.body ?? ''}</span>
          </li>`;
        })}
      </ul>
      <p role="status" class="hint">
        ${this.replies === null ? t('savedReplies.loading') : this.error || (matches.length === 0 ? t('savedReplies.noMatch') : t('savedReplies.count', { count: matches.length }))}
      </p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-reply-picker': DireturnReplyPicker;
  }
}
