import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { I18nController } from '../i18n/i18n.js';
import { homeEntries } from './entries.js';

/**
 * @summary The home view's entries besides the composer (information, and later the orientation
 * check and the office finder): one button each, only for views that are registered.
 *
 * @fires direturn-home-open - The visitor chose an entry (`detail.id`).
 * @csspart entry - One entry button.
 */
@customElement('direturn-home-entries')
export class HomeEntries extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      padding: 0.5rem 0.75rem 0;
    }
    button {
      font: inherit;
      font-size: 0.9rem;
      min-block-size: 2.75rem;
      padding-inline: 0.9rem;
      border: 1px solid var(--direturn-accent, #0b57a4);
      border-radius: 999px;
      background: none;
      color: inherit;
      cursor: pointer;
    }
    button:focus-visible {
      outline: 3px solid #1a73e8;
      outline-offset: 2px;
    }
  `;
  private i18n = new I18nController(this);

  protected override render() {
    return homeEntries().map(
      (e) => html`<button type="button" part="entry" @click=${() => this.dispatchEvent(new CustomEvent('direturn-home-open', { detail: { id: e.id }, bubbles: true, composed: true }))}>
        ${this.i18n.t(e.label)}
      </button>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-home-entries': HomeEntries;
  }
}
