import { LANGUAGES, isLanguageCode, type ConversationSummaryDto } from '@direturn/protocol';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import { setConversationLanguage } from '../channels/channels-api.js';
import { I18nController, t } from '../i18n/i18n.js';
import { nativeLanguageName } from '../shared/format.js';
import { buttons, tokens } from '../shared/styles.js';

/**
 * @summary A way for the counsellor to correct the open conversation's language (a channel guessed
 * it from a short message, or the person switched): the queue then shows, filters and routes the
 * conversation by the corrected language. Shown beside the language in the conversation's header
 * to whoever may correct it; the new summary also arrives over the socket.
 *
 * @fires direturn-language-corrected - The server took the new language; carries the summary in `detail`.
 */
@customElement('direturn-language-correction')
export class DireturnLanguageCorrection extends LitElement {
  static override styles = [
    tokens,
    buttons,
    css`
      :host {
        display: inline-flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.25rem 0.5rem;
      }
      button {
        font-size: 0.75rem;
        min-block-size: 1.75rem;
        padding-inline: 0.5rem;
      }
      select {
        font: inherit;
        font-size: 0.8125rem;
      }
      .error {
        color: var(--_danger);
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;
  @property({ attribute: false }) conversation: ConversationSummaryDto | null = null;

  @state() private editing = false;
  @state() private error = '';
  @state() private status = '';
  private readonly i18n = new I18nController(this);

  override render() {
    const c = this.conversation;
    if (!c) return nothing;
    if (!this.editing) {
      return html`<button type="button" class="secondary" aria-label=${t('conversation.languageCorrection.openLabel', { language: nativeLanguageName(c.language) })} @click=${this.open}>
          ${t('conversation.languageCorrection.open')}
        </button>
        <span role="status">${this.status}</span>`;
    }
    return html`<form @submit=${this.save}>
      <label for="language" class="visually-hidden">${t('conversation.languageCorrection.label')}</label>
      <select id="language" name="language">
        ${LANGUAGES.map((l) => html`<option value=${l.code} lang=${l.code} ?selected=${l.code === c.language}>${l.nativeName}</option>`)}
      </select>
      <button type="submit">${t('conversation.languageCorrection.save')}</button>
      <button type="button" class="secondary" @click=${this.cancel}>${t('common.cancel')}</button>
      <span class="error" role="alert">${this.error}</span>
    </form>`;
  }

  private readonly open = (): void => {
    this.editing = true;
    this.error = '';
    this.status = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector('select')?.focus());
  };

  private readonly cancel = (): void => {
    this.editing = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector('button')?.focus());
  };

  private readonly save = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const c = this.conversation;
    const language = (this.renderRoot.querySelector('select') as HTMLSelectElement).value;
    if (!c || !isLanguageCode(language)) return;
    try {
      const updated = await setConversationLanguage(this.api, c.id, language);
      this.conversation = updated;
      this.editing = false;
      this.status = t('conversation.languageCorrection.saved', { language: nativeLanguageName(language) });
      this.dispatchEvent(new CustomEvent('direturn-language-corrected', { detail: updated, bubbles: true, composed: true }));
      void this.updateComplete.then(() => this.renderRoot.querySelector('button')?.focus());
    } catch (err) {
      this.error = isApiError(err, 'network_error') ? t('common.errors.network') : t('conversation.languageCorrection.failed');
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-language-correction': DireturnLanguageCorrection;
  }
}
