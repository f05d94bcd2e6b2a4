import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { LIMITS } from '@direturn/protocol';
import { tokens, visuallyHidden } from '../theme/tokens.js';
import { surfaces } from '../theme/surfaces.js';
import { I18nController, uiDirection } from '../i18n/i18n.js';

/** While typing, `typing {active:true}` is sent at most this often. */
const TYPING_THROTTLE_MS = 3_000;
/** No keystroke for this long ends "typing". */
const TYPING_IDLE_MS = 4_000;
/** The remaining characters are shown once fewer than this are left. */
const SHOW_REMAINING_BELOW = 400;

/**
 * @summary Where the visitor writes: a labelled textarea (Enter sends, Shift+Enter adds a line)
 * and a send button.
 *
 * @fires direturn-send - The visitor sent a message (`detail.body`, trimmed, never empty).
 * @fires direturn-typing - Typing started or stopped (`detail.active`); throttled.
 *
 * @csspart base - The composer form.
 * @csspart textarea - The text field.
 * @csspart send - The send button.
 * @csspart hint - The keyboard hint and remaining characters.
 *
 * @cssprop --direturn-accent - Background of the send button.
 * @cssprop --direturn-accent-contrast - Icon colour of the send button.
 */
@customElement('direturn-chat-composer')
export class ChatComposer extends LitElement {
  static override styles = [
    tokens,
    surfaces,
    visuallyHidden,
    css`
      :host {
        display: block;
        border-block-start: 1px solid var(--_border);
        background: var(--_surface);
      }
      form {
        display: flex;
        align-items: flex-end;
        gap: 0.5rem;
        padding: 0.6rem;
      }
      textarea {
        flex: 1;
        min-inline-size: 0;
        resize: none;
        box-sizing: border-box;
        min-block-size: 2.75rem;
        max-block-size: 8rem;
        padding: 0.6rem 0.75rem;
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) * 0.75);
        font: inherit;
        font-size: 1rem;
        color: var(--_text);
        background: var(--_surface);
        field-sizing: content;
      }
      textarea::placeholder {
        color: var(--_muted);
      }
      textarea:focus-visible,
      button:focus-visible {
        outline: var(--_focus-ring);
        outline-offset: 2px;
      }
      button {
        flex: none;
        inline-size: 2.75rem;
        block-size: 2.75rem;
        border: 0;
        border-radius: 50%;
        background: var(--_accent);
        color: var(--_accent-contrast);
        display: grid;
        place-items: center;
        cursor: pointer;
      }
      button[aria-disabled='true'] {
        opacity: 0.6;
        cursor: default;
      }
      button svg {
        inline-size: 1.3rem;
        block-size: 1.3rem;
        fill: currentColor;
      }
      :host(:dir(rtl)) button svg {
        transform: scaleX(-1);
      }
      .hint {
        margin: 0;
        padding-inline: 0.75rem;
        padding-block-end: 0.4rem;
        font-size: 0.75rem;
        color: var(--_muted);
        display: flex;
        justify-content: space-between;
        gap: 0.5rem;
      }
      @media (pointer: coarse) {
        .keys {
          display: none;
        }
      }
      /* short screens (200 % zoom is 640×400): the conversation needs the height; the keyboard
         hint stays for screen readers (it describes the field) */
      @media (max-height: 480px) {
        form {
          padding-block: 0.3rem;
        }
        textarea {
          min-block-size: 2.5rem;
          padding-block: 0.45rem;
        }
        button {
          inline-size: 2.5rem;
          block-size: 2.5rem;
        }
        .hint {
          padding-block-end: 0;
        }
        .keys {
          position: absolute;
          clip-path: inset(50%);
          inline-size: 1px;
          block-size: 1px;
          overflow: hidden;
          white-space: nowrap;
        }
      }
    `,
  ];

  private i18n = new I18nController(this);

  /** Disables sending (e.g. the site is not allowed). */
  @property({ type: Boolean }) disabled = false;

  @state() private value = '';

  @query('textarea') private textarea?: HTMLTextAreaElement;

  private typing = false;
  private lastTypingSent = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  override focus(options?: FocusOptions): void {
    this.textarea?.focus(options);
  }

  /** Continues a text the visitor began elsewhere (the frame's first screen); the caret goes to its end. */
  continueDraft(text: string): void {
    this.value = text;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.idleTimer);
  }

  private emitTyping(active: boolean) {
    this.typing = active;
    this.dispatchEvent(new CustomEvent('direturn-typing', { detail: { active }, bubbles: true, composed: true }));
  }

  private onInput(event: Event) {
    this.value = (event.target as HTMLTextAreaElement).value;
    const now = Date.now();
    if (this.value.trim() && (!this.typing || now - this.lastTypingSent > TYPING_THROTTLE_MS)) {
      this.lastTypingSent = now;
      this.emitTyping(true);
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.typing && this.emitTyping(false), TYPING_IDLE_MS);
  }

  private onKeydown(event: KeyboardEvent) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      this.submit();
    }
  }

  private onSubmit(event: Event) {
    event.preventDefault();
    this.submit();
  }

  /** Sends what is in the field (if anything) and clears it. */
  submit(): void {
    const body = this.value.trim();
    if (this.disabled || !body || body.length > LIMITS.messageMaxChars) return;
    clearTimeout(this.idleTimer);
    if (this.typing) this.emitTyping(false);
    this.dispatchEvent(new CustomEvent('direturn-send', { detail: { body }, bubbles: true, composed: true }));
    this.value = '';
    if (this.textarea) this.textarea.value = '';
    this.textarea?.focus();
  }

  protected override render() {
    const { t } = this.i18n;
    const remaining = LIMITS.messageMaxChars - this.value.length;
    // Empty, dir="auto" is left-to-right (no letter to go by): the cursor starts on the
    // interface's side instead; once there is text, the text decides.
    const dir = this.value ? 'auto' : uiDirection();
    return html`
      <form part="base" @submit=${this.onSubmit}>
        <label class="sr-only" for="text">${t('composer.label')}</label>
        <textarea
          id="text"
          part="textarea"
          rows="1"
          dir=${dir}
          maxlength=${LIMITS.messageMaxChars}
          placeholder=${t('composer.placeholder')}
          aria-describedby="hint"
          ?disabled=${this.disabled}
          .value=${this.value}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
        ></textarea>
        <button type="submit" part="send" aria-label=${t('composer.send')} aria-disabled=${this.disabled || !this.value.trim() ? 'true' : 'false'}>
          <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z" /></svg>
        </button>
      </form>
      <p class="hint" part="hint" id="hint">
        <span class="keys">${t('composer.hint')}</span>
        ${remaining < SHOW_REMAINING_BELOW ? html`<span>${t('composer.remaining', { count: remaining })}</span>` : nothing}
      </p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-chat-composer': ChatComposer;
  }
  interface GlobalEventHandlersEventMap {
    'direturn-send': CustomEvent<{ body: string }>;
    'direturn-typing': CustomEvent<{ active: boolean }>;
  }
}
