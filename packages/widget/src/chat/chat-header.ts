import { LitElement, html, css } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LANGUAGES, type ConnectionState } from '@direturn/protocol';
import { tokens, visuallyHidden } from '../theme/tokens.js';
import { surfaces } from '../theme/surfaces.js';
import { I18nController, UI_LANGUAGES } from '../i18n/i18n.js';
import { DiReturnPrivacyOpenEvent } from '../events/direturn-privacy.js';

/**
 * @summary Title bar of the chat: title, connection state, language choice, privacy and close buttons.
 *
 * @fires direturn-request-close - The visitor pressed the close button.
 * @fires direturn-privacy-open - The visitor pressed the privacy button (`DiReturnPrivacyOpenEvent`).
 * @fires direturn-language-change - The visitor picked another language (`detail.language`).
 *
 * @csspart base - The header bar.
 * @csspart title - The title.
 * @csspart state - The connection state text.
 * @csspart language - The language select.
 * @csspart privacy - The privacy button ("Privacy and your data").
 * @csspart close - The close button.
 *
 * @cssprop --direturn-accent - Background of the header.
 * @cssprop --direturn-accent-contrast - Text colour of the header.
 */
@customElement('direturn-chat-header')
export class ChatHeader extends LitElement {
  static override styles = [
    tokens,
    surfaces,
    visuallyHidden,
    css`
      :host {
        display: block;
      }
      /* one row down to 320 px in every language: the title takes what the controls leave and
         wraps (between words, inside one only when a word is wider than its space) */
      .bar {
        display: flex;
        align-items: center;
        gap: 0.25rem;
        padding-block: 0.5rem;
        padding-inline: 0.75rem 0.25rem;
        background: var(--_accent);
        color: var(--_accent-contrast);
      }
      .titles {
        flex: 1 1 0;
        min-inline-size: 0;
        margin-inline-end: 0.25rem;
      }
      h1 {
        margin: 0;
        overflow-wrap: anywhere;
        font-size: 1rem;
        line-height: 1.25;
      }
      .state {
        margin: 0;
        font-size: 0.85rem;
        display: flex;
        align-items: center;
        gap: 0.35rem;
      }
      .dot {
        inline-size: 0.55rem;
        block-size: 0.55rem;
        border-radius: 50%;
        background: #f5c542;
        border: 1px solid currentColor;
      }
      .dot.online {
        background: #3ccf6e;
      }
      .dot.offline {
        background: #e5484d;
      }
      /* after "delete my data": not connected until the visitor writes, which is fine */
      .dot.idle {
        background: transparent;
      }
      select,
      button {
        font: inherit;
        color: inherit;
        background: transparent;
        border: 1px solid currentColor;
        border-radius: 6px;
        min-block-size: 2.5rem;
      }
      select {
        /* as wide as the chosen language's name, so title and controls share one row on phones */
        field-sizing: content;
        max-inline-size: 7.5rem;
        padding-inline: 0.25rem;
        font-size: 0.875rem;
      }
      select option {
        color: #1b1f23;
        background: #fff;
      }
      button {
        flex: none;
        inline-size: 2.5rem;
        display: grid;
        place-items: center;
        cursor: pointer;
        border-color: transparent;
      }
      button svg {
        inline-size: 1.4rem;
        block-size: 1.4rem;
        fill: currentColor;
      }
      /* short screens (200 % zoom is 640×400): one line for title and state, smaller targets */
      @media (max-height: 480px) {
        .bar {
          padding-block: 0.25rem;
        }
        .titles {
          display: flex;
          flex-wrap: wrap;
          align-items: baseline;
          column-gap: 0.75rem;
        }
        select,
        button {
          min-block-size: 2.25rem;
        }
      }
      select:focus-visible,
      button:focus-visible {
        outline: var(--_focus-ring-on-accent);
        outline-offset: 2px;
      }
    `,
  ];

  private i18n = new I18nController(this);

  /** Connection state shown under the title (`idle`: deliberately not connected after "delete my data"; writing starts a new conversation). */
  @property() state: ConnectionState | 'idle' = 'connecting';

  /** Current UI language. */
  @property() language = 'de';

  private onLanguage(event: Event) {
    const language = (event.target as HTMLSelectElement).value;
    this.dispatchEvent(new CustomEvent('direturn-language-change', { detail: { language }, bubbles: true, composed: true }));
  }

  private onClose() {
    this.dispatchEvent(new Event('direturn-request-close', { bubbles: true, composed: true }));
  }

  protected override render() {
    const { t } = this.i18n;
    const languages = LANGUAGES.filter((l) => (UI_LANGUAGES as readonly string[]).includes(l.code));
    // a div, not <header>: a banner landmark in the frame would be a second one beside the page's
    return html`
      <div class="bar" part="base">
        <div class="titles">
          <h1 part="title">${t('app.title')}</h1>
          <p class="state" part="state">
            <span class="dot ${this.state}" aria-hidden="true"></span>${t(`connection.${this.state}`)}
          </p>
        </div>
        <label class="sr-only" for="language">${t('app.language')}</label>
        <select id="language" part="language" @change=${this.onLanguage}>
          ${languages.map(
            (l) => html`<option value=${l.code} lang=${l.code} ?selected=${l.code === this.language}>${l.nativeName}</option>`,
          )}
        </select>
        <button type="button" part="privacy" aria-label=${t('privacy.open')} title=${t('privacy.open')} @click=${() => this.dispatchEvent(new DiReturnPrivacyOpenEvent())}>
          <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 2 4 5v6c0 5.2 3.4 9.7 8 11 4.6-1.3 8-5.8 8-11V5zm0 5a2 2 0 0 1 1 3.7V15h-2v-4.3A2 2 0 0 1 12 7z" /></svg>
        </button>
        <button type="button" part="close" aria-label=${t('header.close')} @click=${this.onClose}>
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 0 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z" />
          </svg>
        </button>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-chat-header': ChatHeader;
  }
  interface GlobalEventHandlersEventMap {
    'direturn-request-close': Event;
    'direturn-language-change': CustomEvent<{ language: string }>;
  }
}
