import { LitElement, html, css, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { PrivacyNoticeDto } from '@direturn/protocol';
import { tokens } from '../theme/tokens.js';
import { surfaces } from '../theme/surfaces.js';
import { I18nController } from '../i18n/i18n.js';
import { linkify, safeHref } from './linkify.js';
import { DiReturnDeleteDataEvent, DiReturnPrivacyCloseEvent } from '../events/direturn-privacy.js';

/**
 * @summary The privacy notice (what is stored, for how long, who reads it; text from the server in
 * the visitor's language) and "delete my data" with a confirmation step: focus moves into the
 * confirmation, Escape cancels, the consequences are said plainly.
 *
 * @fires direturn-delete-data - The visitor confirmed deleting their data (`DiReturnDeleteDataEvent`).
 * @fires direturn-privacy-close - The visitor pressed "Back to the chat" (`DiReturnPrivacyCloseEvent`; only with `panel`).
 *
 * @csspart base - The notice.
 * @csspart heading - Its heading.
 * @csspart link - Each link to more information (opens in a new tab).
 * @csspart delete - The "delete my data" button.
 * @csspart confirm - The confirmation step.
 * @csspart back - The "back to the chat" button.
 *
 * @cssprop --direturn-error - Colour of the delete controls.
 */
@customElement('direturn-chat-privacy')
export class ChatPrivacy extends LitElement {
  static override styles = [
    tokens,
    surfaces,
    css`
      :host {
        display: block;
        color: var(--_text);
        font-size: 0.9rem;
        line-height: 1.45;
      }
      section {
        padding: 0.75rem;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_surface-alt);
      }
      h2 {
        margin: 0 0 0.4rem;
        font-size: 1rem;
      }
      h2:focus {
        outline: none;
      }
      p {
        margin: 0 0 0.5rem;
        white-space: pre-line;
        overflow-wrap: anywhere;
      }
      ul {
        margin: 0 0 0.5rem;
        padding-inline-start: 1.2rem;
      }
      a {
        color: inherit;
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      button {
        font: inherit;
        min-block-size: 2.75rem;
        padding-inline: 0.9rem;
        border-radius: 6px;
        border: 1px solid var(--_border);
        background: var(--_surface);
        color: var(--_text);
        cursor: pointer;
      }
      .danger {
        border-color: var(--_error);
        color: var(--_error);
      }
      .confirm {
        margin-block-start: 0.6rem;
        padding: 0.6rem;
        border: 2px solid var(--_error);
        border-radius: 6px;
        background: var(--_surface);
      }
      .confirm .danger {
        background: var(--_error);
        color: var(--_surface);
      }
      h3 {
        margin: 0 0 0.3rem;
        font-size: 0.95rem;
      }
      a:focus-visible,
      button:focus-visible {
        outline: var(--_focus-ring);
        outline-offset: 2px;
      }
    `,
  ];

  private i18n = new I18nController(this);

  /** The notice from the server; without it only the delete control is shown. */
  @property({ attribute: false }) notice: PrivacyNoticeDto | null = null;

  /** Whether there is anything to delete (an identity or a conversation). */
  @property({ type: Boolean, attribute: 'can-delete' }) canDelete = false;

  /** The deletion was confirmed and the server has not answered yet. */
  @property({ type: Boolean }) deleting = false;

  /** Shown as its own view (with "Back to the chat") rather than above the first message. */
  @property({ type: Boolean }) panel = false;

  @state() private confirming = false;

  @query('h2') private heading?: HTMLElement;
  @query('[part="delete"]') private deleteButton?: HTMLButtonElement;
  @query('.confirm button:last-child') private cancelButton?: HTMLButtonElement;

  /** Moves focus to the heading (when the view opens). */
  override focus(): void {
    this.heading?.focus();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('confirming' as keyof ChatPrivacy)) {
      if (this.confirming) this.cancelButton?.focus();
      else if (changed.get('confirming' as keyof ChatPrivacy)) this.deleteButton?.focus();
    }
  }

  private onConfirmKeydown(event: KeyboardEvent) {
    if (event.key !== 'Escape') return;
    event.preventDefault(); // Escape cancels the confirmation, not the chat
    this.confirming = false;
  }

  private renderConfirm() {
    const { t } = this.i18n;
    return html`<div class="confirm" part="confirm" role="alertdialog" aria-labelledby="ct" aria-describedby="cd" @keydown=${this.onConfirmKeydown}>
      <h3 id="ct">${t('privacy.confirmTitle')}</h3>
      <p id="cd">${t('privacy.confirmText')}</p>
      <div class="actions">
        <button
          type="button"
          class="danger"
          aria-disabled=${this.deleting ? 'true' : 'false'}
          @click=${() => this.deleting || this.dispatchEvent(new DiReturnDeleteDataEvent())}
        >
          ${this.deleting ? t('privacy.deleting') : t('privacy.confirm')}
        </button>
        <button type="button" @click=${() => (this.confirming = false)}>${t('privacy.cancel')}</button>
      </div>
    </div>`;
  }

  protected override render() {
    const { t } = this.i18n;
    const n = this.notice;
    const links = (n?.links ?? []).flatMap((l) => {
      const href = safeHref(l.url);
      return href ? [html`<li><a part="link" href=${href} target="_blank" rel="noopener noreferrer" dir="auto">${l.label}</a></li>`] : [];
    });
    return html`<section part="base" aria-labelledby="h" lang=${n?.language ?? nothing}>
      <h2 id="h" part="heading" tabindex="-1" lang=${this.i18n.language}>${t('privacy.heading')}</h2>
      ${n
        ? html`${n.text.split(/\n\s*\n/).map((p) => html`<p dir="auto">${linkify(p.trim())}</p>`)}
            <p lang=${this.i18n.language}>${t('privacy.retention', { count: n.retentionDays })}</p>
            ${links.length ? html`<ul>${links}</ul>` : nothing}`
        : nothing}
      <div lang=${this.i18n.language}>
        ${this.confirming
          ? this.renderConfirm()
          : html`<div class="actions">
              ${this.canDelete
                ? html`<button type="button" class="danger" part="delete" @click=${() => (this.confirming = true)}>${t('privacy.delete')}</button>`
                : nothing}
              ${this.panel
                ? html`<button type="button" part="back" @click=${() => this.dispatchEvent(new DiReturnPrivacyCloseEvent())}>${t('privacy.back')}</button>`
                : nothing}
            </div>`}
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-chat-privacy': ChatPrivacy;
  }
}
