import { LitElement, html, css, nothing, type PropertyValues } from 'lit';
import {
  MIN_TEXT_CONTRAST,
  contrastColor,
  contrastRatio,
  envelope,
  openEnvelope,
  isLanguageCode,
  matchLanguage,
  type HostToFrame,
  type LanguageCode,
  type Rgb,
} from '@direturn/protocol';
import { tokens, visuallyHidden } from '../theme/tokens.js';
import { DiReturnReadyEvent } from '../events/direturn-ready.js';
import { DiReturnOpenEvent } from '../events/direturn-open.js';
import { DiReturnCloseEvent } from '../events/direturn-close.js';
import { formatCount, titleText, unreadText } from './texts.js';
import { resolveLanguage } from './language.js';

/** Origin widget.js was loaded from: the DiReturn server, which also serves the chat frame. */
export const SERVER_ORIGIN = new URL(import.meta.url).origin;

const MAX_BADGE = 99;

/** When the panel covers the whole viewport (as in the styles below): then it is modal. */
const FULL_SCREEN = '(max-width: 480px), (max-height: 480px)';

/** The design tokens the frame takes from the page: query parameter → `--direturn-*` token. */
const FRAME_TOKENS = { accent: 'accent', contrast: 'accent-contrast', radius: 'radius', font: 'font-family' };

const rgbOf = (colour: string): Rgb | undefined => {
  const m = colour.match(/^rgba?\((\d+), (\d+), (\d+)/);
  return m ? [+m[1]!, +m[2]!, +m[3]!] : undefined;
};

/**
 * @summary The DiReturn chat for partner pages: a launcher button and a panel holding the chat
 * frame. The frame (and with it every connection) is created only when the visitor first opens it.
 * Launcher and panel sit at the inline end of the page (right on a left-to-right page, left on a
 * right-to-left one; `side="start"` for the other corner), whatever language the chat speaks.
 * Where the panel covers the whole screen (phones, 200 % zoom) it is modal: the page behind is
 * inert until it closes.
 *
 * Only what is listed here can be themed from the page. The chat itself runs in a frame on
 * DiReturn's origin: the page's CSS (and `::part`) cannot reach inside it; the four tokens
 * `--direturn-accent`, `--direturn-accent-contrast`, `--direturn-radius` and
 * `--direturn-font-family` are passed to it, checked, when it is created.
 *
 * @fires direturn-ready - The chat frame has loaded (after the first open).
 * @fires direturn-open - The panel opened.
 * @fires direturn-close - The panel closed.
 *
 * @csspart launcher - The round button that opens and closes the chat (its icon follows
 * `--direturn-accent-contrast` when that reaches 4.5:1 on the accent, else black or white).
 * @csspart badge - The unread counter on the launcher.
 * @csspart panel - The box that holds the frame.
 * @csspart frame - The iframe with the chat.
 *
 * @cssprop --direturn-accent - Launcher background and accent colour of the chat (a CSS colour; passed to the frame).
 * @cssprop --direturn-accent-contrast - Text/icon colour on the accent (a CSS colour; passed to the frame, used where it reaches 4.5:1).
 * @cssprop --direturn-radius - Corner radius of the panel; in the chat, of bubbles and fields (passed to the frame: 0 to 40px, in px, rem or em).
 * @cssprop --direturn-font-family - Font of the launcher and badge, and of the chat (passed to the frame: family names and generic families, no URLs; a web font of the page is not loaded in the frame).
 * @cssprop --direturn-z-index - Stacking order of launcher and panel.
 * @cssprop --direturn-panel-width - Width of the panel on larger screens.
 * @cssprop --direturn-panel-height - Height of the panel on larger screens.
 */
export class DiReturnChat extends LitElement {
  // Plain `static properties` instead of decorators: keeps the host script small.
  static override properties = {
    site: { reflect: true },
    side: { reflect: true },
    lang: {},
    accent: {},
    open: { type: Boolean, reflect: true },
    unread: { state: true },
    chosenLanguage: { state: true },
    frameUrl: { state: true },
  };

  static override styles = [
    tokens,
    visuallyHidden,
    css`
      :host {
        position: fixed;
        inset-block-end: 0;
        inset-inline-end: 0;
        z-index: var(--_z-index);
        font-family: var(--_font-family);
        /* the element itself takes no space and never shifts the page */
        inline-size: 0;
        block-size: 0;
      }
      .launcher {
        position: fixed;
        inset-block-end: 1rem;
        inset-inline-end: 1rem;
        z-index: var(--_z-index);
        inline-size: 3.5rem;
        block-size: 3.5rem;
        border: 2px solid transparent;
        border-radius: 50%;
        padding: 0;
        display: grid;
        place-items: center;
        background: var(--_accent);
        color: var(--_accent-contrast);
        cursor: pointer;
        box-shadow: 0 2px 10px rgb(0 0 0 / 0.3);
      }
      /* the page's corner, never the chat's language: launcher and panel stay put when the
         visitor switches to Arabic (logical insets follow the page's direction) */
      :host([side='start']) .launcher,
      :host([side='start']) .panel {
        inset-inline: 1rem auto;
      }
      /* the speech bubble's tail points to the page's reading start */
      :host(:dir(rtl)) svg {
        transform: scaleX(-1);
      }
      /* the page's colour is unknown: a ring in the accent's text colour between the accent and an
         accent halo contrasts on both sides, whatever the page */
      .launcher:focus-visible {
        outline: var(--_focus-ring-on-accent);
        box-shadow: 0 0 0 6px var(--_accent), 0 2px 10px rgb(0 0 0 / 0.3);
      }
      .launcher svg {
        inline-size: 1.75rem;
        block-size: 1.75rem;
        fill: none;
        stroke: currentColor;
        stroke-width: 2;
        stroke-linecap: round;
        stroke-linejoin: round;
      }
      .badge {
        position: absolute;
        inset-block-start: -0.25rem;
        inset-inline-end: -0.25rem;
        min-inline-size: 1.4rem;
        block-size: 1.4rem;
        padding-inline: 0.3rem;
        box-sizing: border-box;
        border-radius: 0.7rem;
        background: #b3261e;
        color: #fff;
        border: 2px solid #fff;
        font: bold 0.75rem/1.1rem var(--_font-family);
        text-align: center;
      }
      .panel {
        position: fixed;
        inset-block-end: calc(1rem + 3.5rem + 0.75rem);
        inset-inline-end: 1rem;
        z-index: var(--_z-index);
        inline-size: min(var(--_panel-width), calc(100vw - 2rem));
        block-size: min(var(--_panel-height), calc(100vh - 6.5rem));
        border-radius: var(--_radius);
        overflow: hidden;
        background: #fff;
        box-shadow: 0 8px 32px rgb(0 0 0 / 0.3);
      }
      .panel[hidden] {
        display: none;
      }
      iframe {
        /* the frame's prefers-color-scheme follows this; pages rarely declare one (then: light only) */
        color-scheme: light dark;
        display: block;
        inline-size: 100%;
        block-size: 100%;
        border: 0;
      }
      /* narrow screens, and short ones (a laptop at 200 % zoom is 640×400 CSS px): the panel
         takes the whole viewport, else the message list would be squeezed to a few lines */
      @media (max-width: 480px), (max-height: 480px) {
        .panel {
          inset: 0 !important;
          inline-size: 100%;
          block-size: 100%;
          block-size: 100dvh;
          border-radius: 0;
        }
        /* the frame has its own close button; the launcher would cover the composer */
        :host([open]) .launcher {
          display: none;
        }
      }
    `,
  ];

  /** Key of the partner site (from the DiReturn console). */
  site = '';

  /** The page's corner for launcher and panel: `end` (default; right on a left-to-right page) or `start`. */
  side: 'start' | 'end' = 'end';

  /** The chat's language; defaults to the page's language or the browser's. Changing it switches an open chat. */
  override lang = '';

  /** Accent colour for the chat frame; defaults to the computed `--direturn-accent`. */
  accent = '';

  /** Whether the panel is open. */
  open = false;

  /** Counsellor messages the visitor has not seen yet. */
  unread = 0;

  /** Language set through the host API (`setLanguage`) or reported by the frame. */
  private chosenLanguage: LanguageCode | undefined;

  /** The frame's URL, fixed when it is created (a later language change must not reload it). */
  private frameUrl: string | undefined;

  /** The devices the frame may use: none until the visitor accepts a call (see the `call` message). */
  private allow: string | undefined;

  private get launcher(): HTMLButtonElement | null | undefined {
    return this.renderRoot?.querySelector('.launcher');
  }
  private get iframe(): HTMLIFrameElement | null | undefined {
    return this.renderRoot?.querySelector('iframe');
  }

  private frameReady = false;
  private restoreFocus = false;
  private fullScreen = matchMedia(FULL_SCREEN);
  /** The page's elements this element made inert (only these are given back). */
  private inerted: HTMLElement[] = [];

  /** The language the launcher speaks and the frame starts in. */
  get language(): LanguageCode {
    return this.chosenLanguage ?? resolveLanguage(this.lang);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('message', this.onMessage);
    this.fullScreen.onchange = () => this.requestUpdate();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('message', this.onMessage);
    this.fullScreen.onchange = null;
    this.setInert(false);
    super.disconnectedCallback();
  }

  /** Whether the open panel covers the screen: then it is modal. */
  private get modal(): boolean {
    return this.open && this.fullScreen.matches;
  }

  /**
   * Makes everything of the page but this element inert (the rest of the page is behind the
   * full-screen chat: Tab must not reach it), or gives back exactly what it took.
   */
  private setInert(on: boolean): void {
    for (const el of this.inerted.splice(0)) el.inert = false;
    for (let node: Element = this; on && node.parentElement && node !== document.body; node = node.parentElement) {
      for (const el of node.parentElement.children as HTMLCollectionOf<HTMLElement>) {
        if (el !== node && !el.inert) {
          el.inert = true;
          this.inerted.push(el);
        }
      }
    }
  }

  /** Opens the panel (creating the frame on first use) and moves focus into the chat. */
  show(): void {
    this.open = true;
  }

  /** Closes the panel. Focus returns to the launcher if it was inside the chat. */
  hide(): void {
    this.open = false;
  }

  toggle(): void {
    this.open = !this.open;
  }

  /** Switches the chat's language (`de`, `ar`, `ar-SY`, …); unknown languages are ignored. */
  setLanguage(tag: string): void {
    const language = matchLanguage(tag);
    if (!language) return;
    this.chosenLanguage = language;
    this.post({ type: 'set-language', language });
  }

  /**
   * The URL of the chat frame document. The frame picks the language: `lang` (the attribute or
   * `setLanguage`) → the visitor's earlier choice (only the frame can see it) → `pagelang`
   * (`<html lang>`) → the browser's languages → the site's default.
   */
  get frameSrc(): string {
    // page: where the visitor is (path only; query strings can hold personal data) for the counsellor.
    const params = new URLSearchParams({ site: this.site, host: location.origin, page: location.origin + location.pathname });
    const lang = this.chosenLanguage ?? matchLanguage(this.lang);
    const pageLang = matchLanguage(document.documentElement.lang);
    if (lang) params.set('lang', lang);
    if (pageLang) params.set('pagelang', pageLang);
    // The theme crosses into the frame only as these values, which the frame checks (theme.ts);
    // the contrast colour lets it warn when a theme's pair is below WCAG AA.
    const style = getComputedStyle(this);
    for (const [param, token] of Object.entries(FRAME_TOKENS)) {
      const value = (param === 'accent' && this.accent) || style.getPropertyValue(`--direturn-${token}`).trim();
      if (value) params.set(param, value);
    }
    return `${SERVER_ORIGIN}/widget/frame?${params.toString()}`;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // a later change of the attribute means setLanguage (an open frame switches, it is not reloaded)
    if (changed.has('lang') && this.hasUpdated) this.setLanguage(this.lang);
    if (changed.has('open')) {
      if (this.open) {
        this.frameUrl ??= this.frameSrc;
      } else if (changed.get('open') === true) {
        this.restoreFocus ||= this.matches(':focus-within') || document.activeElement === this;
      }
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.fitIconContrast();
    if (this.modal !== this.inerted.length > 0) this.setInert(this.modal);
    if (!changed.has('open')) return;
    const wasOpen = changed.get('open') === true;
    if (this.open) {
      this.iframe?.focus();
      this.post({ type: 'open' });
      this.dispatchEvent(new DiReturnOpenEvent());
      window.dispatchEvent(new CustomEvent('direturn:open'));
    } else if (wasOpen) {
      this.post({ type: 'close' });
      if (this.restoreFocus) this.launcher?.focus();
      this.restoreFocus = false;
      this.dispatchEvent(new DiReturnCloseEvent());
      window.dispatchEvent(new CustomEvent('direturn:close'));
    }
  }

  /**
   * The launcher's icon keeps 4.5:1 on the accent, as the chat does (and warns in the console,
   * theme.ts): a theme's `--direturn-accent-contrast` below that gives way to black or white.
   */
  private fitIconContrast(): void {
    const launcher = this.launcher;
    if (!launcher) return;
    launcher.style.color = '';
    const style = getComputedStyle(launcher);
    const [background, icon] = [rgbOf(style.backgroundColor), rgbOf(style.color)];
    if (background && icon && contrastRatio(background, icon) < MIN_TEXT_CONTRAST) launcher.style.color = contrastColor(background);
  }

  private post(message: HostToFrame): void {
    const target = this.iframe?.contentWindow;
    if (!this.frameReady || !target) return;
    target.postMessage(envelope(message), SERVER_ORIGIN);
  }

  private onMessage = (event: MessageEvent): void => {
    const frame = this.iframe?.contentWindow;
    if (!frame || event.origin !== SERVER_ORIGIN || event.source !== frame) return;
    const message = openEnvelope(event.data);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        this.frameReady = true;
        // The frame starts in the language of its URL; tell it what happened since.
        if (this.chosenLanguage) this.post({ type: 'set-language', language: this.chosenLanguage });
        this.post({ type: this.open ? 'open' : 'close' });
        this.dispatchEvent(new DiReturnReadyEvent());
        break;
      case 'request-close':
        if (this.open) {
          this.restoreFocus = true;
          this.open = false;
        }
        break;
      case 'unread': {
        const count = message['count'];
        if (typeof count === 'number' && Number.isInteger(count) && count >= 0) this.unread = count;
        break;
      }
      case 'language':
        if (isLanguageCode(message['language'])) this.chosenLanguage = message['language'];
        break;
      case 'call': {
        // Only now that the visitor accepted a call: microphone (camera for video), read by the
        // browser when the frame navigates, so it loads again and goes on with the call.
        const video = message['media'] === 'video';
        this.allow = `microphone; ${video ? 'camera; ' : ''}autoplay`;
        this.frameReady = false;
        this.frameUrl = `${this.frameSrc}&call=${video ? 'video' : 'voice'}.${encodeURIComponent(String(message['callId']))}`;
        break;
      }
    }
  };

  private onLauncherClick(): void {
    if (this.open) this.restoreFocus = true;
    this.toggle();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.open) {
      event.stopPropagation();
      this.restoreFocus = true;
      this.open = false;
    }
  }

  protected override render() {
    const lang = this.language;
    const title = titleText(lang);
    const unread = this.open ? 0 : this.unread;
    // lang only: direction (and with it the corner) is the page's
    return html`
      <div @keydown=${this.onKeydown} lang=${lang}>
        <div class="panel" id="panel" part="panel" role="dialog" aria-label=${title} aria-modal=${this.modal ? 'true' : nothing} ?hidden=${!this.open}>
          ${this.frameUrl
            ? html`<iframe
                part="frame"
                allow=${this.allow ?? nothing}
                src=${this.frameUrl}
                title=${title}
                sandbox="allow-scripts allow-same-origin allow-forms"
              ></iframe>`
            : nothing}
        </div>
        <button
          class="launcher"
          part="launcher"
          type="button"
          aria-expanded=${this.open ? 'true' : 'false'}
          aria-controls="panel"
          @click=${this.onLauncherClick}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d=${this.open ? 'M6 6l12 12M18 6 6 18' : 'M4 4h16v12H9l-5 4z'} />
          </svg>
          <span class="sr-only">${title}</span>
          ${unread > 0
            ? html`<span class="sr-only">${unreadText(lang, unread)}</span
                ><span class="badge" part="badge" aria-hidden="true">${formatCount(lang, Math.min(unread, MAX_BADGE))}${unread > MAX_BADGE ? '+' : ''}</span>`
            : nothing}
        </button>
      </div>
    `;
  }
}

customElements.define('direturn-chat', DiReturnChat);

declare global {
  interface HTMLElementTagNameMap {
    'direturn-chat': DiReturnChat;
  }
}
