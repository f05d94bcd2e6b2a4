import { LitElement, html, css, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import {
  isLanguageCode,
  languageDirection,
  type ErrorCode,
  type ErrorFrame,
  type FrameToHost,
  type HostToFrame,
  type LanguageCode,
  type MessageDto,
  type PrivacyNoticeDto,
} from '@direturn/protocol';
import { tokens, visuallyHidden } from '../theme/tokens.js';
import { surfaces } from '../theme/surfaces.js';
import { I18nController, setUiLanguage } from '../i18n/i18n.js';
import type { VisitorConnection } from './connection.js';
import { systemText, toRows } from './chat-messages.js';
import { openFrameStorage, type FrameStorage } from './storage.js';
import type { ChatComposer } from './chat-composer.js';
import type { ChatPrivacy } from './chat-privacy.js';
import type { ChatHeader } from './chat-header.js';
import './chat-header.js';
import './chat-messages.js';
import './chat-composer.js';
import './chat-privacy.js';
import type { DiReturnResumeCloseEvent } from '../events/direturn-resume.js';
import { DiReturnOpenOfficesEvent, type DiReturnReferralAnswerEvent } from '../events/direturn-offices.js';
import '../home/registry.js';
import { homeEntriesStyles, homeEntriesTemplate } from '../home/home-entries.js';
import { homeEntries } from '../home/entries.js';
import type { ContextInput } from './connection.js';
import type { DiReturnOrientationSendEvent } from '../events/direturn-orientation.js';

/** What a message will carry: the article the visitor asked about (shown above the composer). */
type PendingContext = Extract<ContextInput, { kind: 'article' }> & { title: string };

/** The part of FrameBridge the app uses. */
export interface HostBridge {
  post(message: FrameToHost): void;
  onHostMessage(handler: (message: HostToFrame) => void): () => void;
}

export const LANGUAGE_STORAGE_KEY = 'direturn:v1:lang';
const readKey = (site: string) => `direturn:v1:read:${site}`;

/**
 * Errors shown as a banner above the composer when they answer no particular send (a send's error
 * is shown at that message; `rate_limited` is shown from the connection's state).
 */
const BANNER_ERRORS: readonly ErrorCode[] = ['not_ready', 'internal', 'conversation_closed', 'too_large', 'bad_request'];


/**
 * @summary The chat inside the frame: header, presence notice, privacy notice, messages, composer.
 * Talks to the server through a `VisitorConnection` and to the partner page only through the
 * narrow bridge. The privacy notice shows above the conversation until the visitor writes, and as
 * its own view from the header's privacy button; "delete my data" lives there.
 *
 * The office search ("Find my counselling office", its own lazily loaded view) is the home view's
 * `offices` entry and opens from any element that dispatches `direturn-open-offices` too; proposals of a
 * warm referral show above the composer (the consent view, also loaded when first needed).
 * It and its parts live in the chat frame, on DiReturn's origin: a partner page's CSS cannot reach
 * them (not even `::part`), which is why they are not in the package's custom-elements manifest.
 * The page themes the chat only through the tokens `<direturn-chat>` passes on (src/theme/theme.ts).
 *
 * @csspart notice - The "no counsellor online", "not remembered" and "data deleted" notices.
 * @csspart entries - The home view's entries (find information, …) beside the composer.
 * @csspart entry - One entry.
 * @csspart context - The article the next message will be about.
 * @csspart error - The error banner.
 *
 * @cssprop --direturn-accent - Accent colour (header, own bubbles, send button).
 * @cssprop --direturn-accent-contrast - Text on the accent colour.
 * @cssprop --direturn-radius - Corner radius of bubbles.
 * @cssprop --direturn-font-family - Font of the chat.
 */
@customElement('direturn-chat-app')
export class ChatApp extends LitElement {
  static override styles = [
    tokens,
    surfaces,
    visuallyHidden,
    homeEntriesStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        block-size: 100%;
        font-family: var(--_font-family);
        color: var(--_text);
        background: var(--_surface);
      }
      direturn-chat-messages,
      .panel {
        flex: 1;
        min-block-size: 0;
      }
      .panel {
        overflow-y: auto;
        padding: 0.75rem;
      }
      .notice:focus {
        outline: none;
      }
      .notice .link {
        font: inherit;
        padding: 0;
        border: 0;
        background: none;
        color: inherit;
        text-decoration: underline;
        cursor: pointer;
      }
      .view {
        display: flex;
        padding: 0;
      }
      /* the reply-notice entry: present, never loud */
      .quiet {
        align-self: flex-start;
        min-block-size: 2.5rem;
        margin-inline: 0.5rem;
        padding-inline: 0.25rem;
        border: 0;
        background: none;
        color: inherit;
        font: inherit;
        font-size: 0.85rem;
        text-decoration: underline;
        cursor: pointer;
      }
      .quiet:focus-visible {
        outline: 3px solid #1a73e8;
        outline-offset: 2px;
      }
      /* printing (the orientation check's result): the open view only */
      @media print {
        :host > :not(.view) {
          display: none !important;
        }
      }
      .context {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        margin: 0.5rem 0.75rem 0;
        font-size: 0.9rem;
      }
      .context button {
        font: inherit;
        min-inline-size: 2.75rem;
        min-block-size: 2.75rem;
        background: none;
        border: 1px solid var(--_border);
        border-radius: 50%;
        color: inherit;
      }
      .notice,
      .error {
        margin: 0;
        padding: 0.6rem 1rem;
        font-size: 0.9rem;
        line-height: 1.4;
      }
      .notice {
        background: var(--_notice);
        border-block-end: 1px solid var(--_border);
      }
      .error {
        color: var(--_error);
        font-weight: 600;
        border-block-start: 1px solid var(--_border);
      }
      .error:empty {
        display: none;
      }
      .call {
        flex: none;
        max-block-size: 75%;
        overflow-y: auto;
      }
      .referrals {
        max-block-size: 60%;
        overflow-y: auto;
        flex: none;
      }
      /* short screens (200 % zoom is 640×400): notices take less of the conversation's height */
      @media (max-height: 480px) {
        .notice,
        .error {
          padding-block: 0.3rem;
          font-size: 0.85rem;
          line-height: 1.3;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        :host *,
        :host *::before,
        :host *::after {
          transition: none !important;
          animation: none !important;
          scroll-behavior: auto !important;
        }
      }
    `,
  ];

  private i18n = new I18nController(this);

  /** The connection to the server (set before the element is connected). */
  @property({ attribute: false }) connection!: VisitorConnection;

  /** Bridge to the host element; absent when the frame is opened on its own. */
  @property({ attribute: false }) bridge: HostBridge | undefined;

  /** Site key (used for per-site storage keys). */
  @property() site = '';

  /** Where token, outbox and choices are kept; memory when the browser blocks storage in frames. */
  @property({ attribute: false }) storage: FrameStorage = openFrameStorage();

  /** Whether the host shows the panel. Read receipts are sent only while open and visible. */
  @property({ type: Boolean }) open = true;

  @state() private announcement = '';
  @state() private errorCode: ErrorCode | null = null;
  @state() private revision = 0;
  /** The privacy notice is shown as its own view. */
  @state() private privacyOpen = false;
  /** Fetched after a language change (the welcome's notice is in the language of the hello). */
  @state() private privacyNotice: PrivacyNoticeDto | null = null;
  /** A home entry's view (its element, loaded on first use) instead of the chat. */
  @state() private entryView: HTMLElement | null = null;
  @state() private context: PendingContext | null = null;
  /** The call view (its own chunk, loaded when a call is offered). */
  @state() private callView: HTMLElement | null = null;

  /** `<media>.<call id>` from the address: a call the visitor accepted before the host loaded the frame again with the devices (set before connecting). */
  callGrant: string | null = null;

  /** The site's first view: 'home' (the chat with the home entries) or 'chat' (the chat alone). */
  @property({ attribute: false }) startView: 'home' | 'chat' = document.documentElement.dataset['startView'] === 'chat' ? 'chat' : 'home';

  private readonly views = new Map<string, HTMLElement>();

  @query('direturn-chat-composer') private composer?: ChatComposer;

  private seenOnline = false;
  private readSeq = 0;
  private readConversation: string | null = null;
  private lastUnreadPosted = -1;
  private unsubscribeBridge: (() => void) | undefined;
  private attached: VisitorConnection | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.applyDocumentLanguage();
    this.loadReadState();
    document.addEventListener('visibilitychange', this.onVisibility);
    window.addEventListener('keydown', this.onWindowKeydown);
    // Any view of the frame (the home view, a link) may ask for the office search.
    this.addEventListener(DiReturnOpenOfficesEvent.eventName, this.onOpenOffices);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    window.removeEventListener('keydown', this.onWindowKeydown);
    this.removeEventListener(DiReturnOpenOfficesEvent.eventName, this.onOpenOffices);
    this.detach();
    this.unsubscribeBridge?.();
    this.unsubscribeBridge = undefined;
  }

  /**
   * Takes over what the visitor typed before the app ran: the text, the focus if they were
   * typing, and sends it if they already asked to (`send`).
   */
  async continueDraft(text: string, { focus, send }: { focus: boolean; send: boolean }): Promise<void> {
    await this.updateComplete;
    const composer = this.composer;
    if (!composer) return;
    composer.continueDraft(text);
    await composer.updateComplete;
    if (send) composer.submit();
    else if (focus) composer.focus();
  }

  /** Moves focus to the message field. */
  focusComposer(): void {
    this.composer?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('connection') && this.connection !== this.attached) {
      this.detach();
      this.attach();
    }
    if (changed.has('bridge')) {
      this.unsubscribeBridge?.();
      this.unsubscribeBridge = this.bridge?.onHostMessage(this.onHostMessage);
    }
  }

  protected override firstUpdated(): void {
    this.bridge?.post({ type: 'ready' });
    // The host cannot see the visitor's stored choice; tell it which language the chat speaks.
    const language = this.i18n.language;
    if (isLanguageCode(language)) this.bridge?.post({ type: 'language', language });
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) this.markRead();
    this.postUnread();
  }

  // ---- connection ----
  private attach(): void {
    const c = this.connection;
    if (!c) return;
    this.attached = c;
    this.seenOnline = c.state === 'online';
    c.addEventListener('change', this.onChange);
    c.addEventListener('state', this.onState);
    c.addEventListener('message', this.onConnectionMessage);
    c.addEventListener('error', this.onConnectionError);
    c.addEventListener('deleted', this.onDeleted);
  }

  private detach(): void {
    const c = this.attached;
    if (!c) return;
    c.removeEventListener('change', this.onChange);
    c.removeEventListener('state', this.onState);
    c.removeEventListener('message', this.onConnectionMessage);
    c.removeEventListener('error', this.onConnectionError);
    c.removeEventListener('deleted', this.onDeleted);
    this.attached = undefined;
  }

  private onChange = () => {
    this.revision++;
    this.markRead();
    this.noticeReferrals();
    this.noticeCall();
  };

  /** A call offered (or accepted before a reload): the call view's code and texts load now. */
  private noticeCall(): void {
    const call = this.connection?.call;
    if (this.callView || this.callLoading || !((call && call.state !== 'ended') || this.callGrant)) return;
    this.callLoading = true;
    void import('../call/call-view.js')
      .then(() => {
        const view = Object.assign(document.createElement('direturn-call-view'), { connection: this.connection, bridge: this.bridge, grant: this.callGrant });
        this.callGrant = null;
        this.callView = view;
      })
      .finally(() => (this.callLoading = false));
  }
  private callLoading = false;
  /** A call that cannot happen here: the callback form instead. */
  private callBack = (): void => {
    this.callView = null;
    void this.openFocused('callback');
  };

  /** Proposals the visitor has been told about (announced once, never focused: they may be typing). */
  private announcedReferrals = new Set<string>();
  private noticeReferrals(): void {
    const referrals = this.connection?.referrals ?? [];
    if (referrals.length) void import('../offices/referral-consent.js');
    for (const r of referrals) {
      if (r.status !== 'proposed' || this.announcedReferrals.has(r.id)) continue;
      this.announcedReferrals.add(r.id);
      this.announce(this.i18n.t('app.referralProposed'));
    }
  }

  private onReferralAnswer = (event: DiReturnReferralAnswerEvent) => {
    if (!this.connection.answerReferral(event.answer)) this.errorCode = 'not_ready';
  };

  /** Opens the office search, the home view's `offices` entry (its code and texts load now, the first time). */
  async openOffices(): Promise<void> {
    await this.openFocused('offices');
  }

  /** Opens a home entry's view and focuses it (its heading). */
  private async openFocused(id: string): Promise<void> {
    await this.openEntry(id);
    await this.updateComplete;
    const view = this.entryView as LitElement | null;
    await view?.updateComplete;
    view?.focus();
  }

  private onOpenOffices = () => void this.openOffices();

  private onState = () => {
    const state = this.connection.state;
    if (this.connection.deleting || this.connection.deleted) return;
    if (state === 'online') {
      if (this.seenOnline && this.wasLost) this.announce(this.i18n.t('connection.restored'));
      this.seenOnline = true;
      this.wasLost = false;
    } else if (state === 'offline' && this.seenOnline && !this.wasLost) {
      this.wasLost = true;
      this.announce(this.i18n.t('connection.lost'));
    }
  };
  private wasLost = false;

  private onConnectionMessage = (event: Event) => {
    const message = (event as CustomEvent<MessageDto>).detail;
    if (message.author === 'visitor') this.errorCode = null;
    // history arriving with the first welcome is not news
    if (!this.seenOnline) return;
    const { t } = this.i18n;
    if (message.author === 'agent') {
      const name = message.agentName ?? t('messages.counsellor');
      this.announce(t('messages.announce', { name, body: message.body }));
    } else if (message.author === 'system') {
      const text = systemText(t, message.body);
      if (text) this.announce(text);
    }
  };

  private onConnectionError = (event: Event) => {
    const frame = (event as CustomEvent<ErrorFrame>).detail;
    if ((BANNER_ERRORS.includes(frame.code) && !frame.ref) || this.connection.fatalError) this.errorCode = frame.code;
  };

  /**
   * "Delete my data" is done: forget the read position too, say so calmly, focus the confirmation.
   * Nothing of the deleted conversation stays in the live region either.
   */
  private onDeleted = async () => {
    this.announcement = '';
    this.announcing++;
    this.storage.storage.removeItem(readKey(this.site));
    this.readConversation = null;
    this.readSeq = 0;
    this.errorCode = null;
    this.privacyOpen = false;
    this.seenOnline = this.wasLost = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#deleted, #moved')?.focus();
  };

  private onResumeClose = async (event: DiReturnResumeCloseEvent) => {
    await this.closeEntry();
    if (event.resumed) this.announce(this.i18n.t('resume.continued'));
  };

  private async openPrivacy(): Promise<void> {
    this.entryView = null;
    this.privacyOpen = true;
    await this.updateComplete;
    const view = this.renderRoot.querySelector<ChatPrivacy>('.panel direturn-chat-privacy');
    await view?.updateComplete;
    view?.focus();
  }

  private async closePrivacy(): Promise<void> {
    this.privacyOpen = false;
    await this.updateComplete;
    const header = this.renderRoot.querySelector<ChatHeader>('direturn-chat-header');
    header?.renderRoot.querySelector<HTMLElement>('[part="privacy"]')?.focus();
  }

  private async fetchPrivacy(language: LanguageCode): Promise<void> {
    try {
      const res = await fetch(`/api/privacy?site=${encodeURIComponent(this.site)}&lang=${language}`);
      if (res.ok) this.privacyNotice = ((await res.json()) as { privacy?: PrivacyNoticeDto }).privacy ?? this.privacyNotice;
    } catch {
      /* keep the notice we have */
    }
  }

  /** Counts announcements, so that one still waiting for its frame is dropped after a deletion. */
  private announcing = 0;

  private announce(text: string): void {
    // Re-setting the same text would not be read again; clear first.
    this.announcement = '';
    const id = ++this.announcing;
    requestAnimationFrame(() => id === this.announcing && (this.announcement = text));
  }

  // ---- read state and unread count ----
  private loadReadState(): void {
    try {
      const raw = JSON.parse(this.storage.storage.getItem(readKey(this.site)) ?? 'null') as { c?: unknown; s?: unknown } | null;
      if (raw && typeof raw.c === 'string' && typeof raw.s === 'number') {
        this.readConversation = raw.c;
        this.readSeq = raw.s;
      }
    } catch {
      /* ignore */
    }
  }

  private get visible(): boolean {
    return this.open && document.visibilityState === 'visible';
  }

  private agentMessages(): MessageDto[] {
    const id = this.connection?.conversation?.id;
    return (this.connection?.messages ?? []).filter((m) => m.conversationId === id && m.author !== 'visitor');
  }

  /** Counsellor (and system) messages of the current conversation the visitor has not seen. */
  get unread(): number {
    const id = this.connection?.conversation?.id ?? null;
    const after = id === this.readConversation ? this.readSeq : 0;
    return this.agentMessages().filter((m) => m.author === 'agent' && m.seq > after).length;
  }

  private markRead(): void {
    const c = this.connection;
    if (!c?.conversation || !this.visible) return;
    const latest = this.agentMessages().reduce((max, m) => Math.max(max, m.seq), 0);
    const id = c.conversation.id;
    const known = id === this.readConversation ? this.readSeq : 0;
    if (latest <= known) return;
    this.readConversation = id;
    this.readSeq = latest;
    this.storage.storage.setItem(readKey(this.site), JSON.stringify({ c: id, s: latest }));
    c.markRead(latest);
    this.postUnread();
  }

  private postUnread(): void {
    const count = this.unread;
    if (count === this.lastUnreadPosted) return;
    this.lastUnreadPosted = count;
    this.bridge?.post({ type: 'unread', count });
  }

  private onVisibility = () => this.markRead();

  // ---- host bridge ----
  private onHostMessage = (message: HostToFrame) => {
    switch (message.type) {
      case 'open':
        this.open = true;
        this.focusComposer();
        break;
      case 'close':
        this.open = false;
        break;
      case 'set-language':
        void this.changeLanguage(message.language, false);
        break;
    }
  };

  private onWindowKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    if (this.entryView) void this.closeEntry();
    else if (this.privacyOpen) void this.closePrivacy();
    else this.requestClose();
  };

  private requestClose() {
    this.bridge?.post({ type: 'request-close' });
  }

  /** lang and dir of the frame document follow the UI language (screen readers' voice, layout direction). */
  private applyDocumentLanguage(): void {
    const ui = this.i18n.language;
    document.documentElement.lang = ui;
    document.documentElement.dir = languageDirection(ui);
  }

  /** Switches the UI (and the conversation's) language and remembers the choice. */
  async changeLanguage(language: LanguageCode, fromVisitor: boolean): Promise<void> {
    const ui = await setUiLanguage(language);
    this.applyDocumentLanguage();
    for (const view of this.views.values()) (view as HTMLElement & { language?: string }).language = ui;
    if (fromVisitor) this.storage.storage.setItem(LANGUAGE_STORAGE_KEY, language);
    this.connection?.setLanguage(language);
    this.bridge?.post({ type: 'language', language });
    const notice = this.privacyNotice ?? this.connection?.privacy;
    if (notice && notice.language !== ui) void this.fetchPrivacy(language);
  }

  private onLanguageChange = (event: CustomEvent<{ language: string }>) => {
    const language = event.detail.language;
    if (isLanguageCode(language)) void this.changeLanguage(language, true);
  };

  private onSend = (event: CustomEvent<{ body: string }>) => {
    this.errorCode = null;
    const c = this.context;
    this.connection.send(event.detail.body, c ? { kind: c.kind, articleId: c.articleId, language: c.language } : undefined);
    this.context = null;
  };

  /** Opens a home entry's view, loading its code the first time. */
  async openEntry(id: string): Promise<void> {
    const entry = homeEntries().find((e) => e.id === id);
    if (!entry) return;
    let view = this.views.get(id);
    if (!view) {
      view = document.createElement(await entry.load());
      this.views.set(id, view);
    }
    (view as HTMLElement & { language?: string }).language = this.i18n.language;
    // The resume and callback views work through the connection.
    if (id === 'resume' || id === 'callback' || id === 'reply-notice') (view as HTMLElement & { connection?: VisitorConnection }).connection = this.connection;
    this.entryView = view;
  }

  private async closeEntry(): Promise<void> {
    this.entryView = null;
    await this.updateComplete;
    this.focusComposer();
  }

  private onTalkAbout = async (event: CustomEvent<PendingContext>) => {
    const { articleId, language, title } = event.detail;
    this.context = { kind: 'article', articleId, language, title };
    await this.closeEntry();
  };

  /** "Send to a counsellor" from the orientation check: a message carrying the answers; the server adds the result. */
  private onOrientationSend = async (event: DiReturnOrientationSendEvent) => {
    this.errorCode = null;
    this.connection.send(event.body, { kind: 'case', ruleSetVersion: event.ruleSetVersion, answers: event.answers });
    await this.closeEntry();
  };

  private onTyping = (event: CustomEvent<{ active: boolean }>) => {
    this.connection.setTyping(event.detail.active);
  };

  private onRetry = (event: CustomEvent<{ clientId: string }>) => {
    this.errorCode = null;
    this.connection.retry(event.detail.clientId);
  };

  protected override render() {
    const { t } = this.i18n;
    const c = this.connection;
    if (!c) return nothing;
    const conversation = c.conversation;
    const rows = toRows(c.messages, c.outbox, c.failed, conversation?.id ?? null, conversation?.agentReadSeq ?? 0, c.readMarks);
    const typing = c.agentTyping ? (conversation?.agentName ?? t('messages.counsellor')) : '';
    const error = c.fatalError ?? (c.throttled ? 'busy' : c.holding ? 'rate_limited' : this.errorCode);
    const notice = this.privacyNotice ?? c.privacy;
    const privacy = (panel: boolean) => html`<direturn-chat-privacy
      .notice=${notice}
      ?panel=${panel}
      ?can-delete=${!!(conversation || c.messages.length || c.outbox.length)}
      ?deleting=${c.deleting}
      @direturn-delete-data=${() => c.deleteData()}
      @direturn-privacy-close=${this.closePrivacy}
    ></direturn-chat-privacy>`;
    return html`
      <direturn-chat-header
        .state=${c.deleted ? 'idle' : c.state}
        .language=${this.i18n.language}
        @direturn-request-close=${this.requestClose}
        @direturn-language-change=${this.onLanguageChange}
        @direturn-privacy-open=${this.openPrivacy}
      ></direturn-chat-header>
      ${c.fatalError
        ? nothing
        : c.away && (c.away.backAt === null || c.away.backAt > Date.now())
          ? html`<p class="notice" part="notice away" role="status">${c.away.text}</p>`
          : c.agentsOnline
            ? nothing
            : html`<p class="notice" part="notice" role="status">${t('notice.noAgents')}</p>`}
      ${this.storage.persistent
        ? nothing
        : html`<p class="notice" part="notice" role="note">
            ${t('notice.notRemembered')}
            <button type="button" class="link" part="resume-offer" @click=${() => void this.openFocused('resume')}>${t('resume.offer')}</button>
          </p>`}
      ${c.movedAway ? html`<p class="notice" part="notice" id="moved" tabindex="-1" role="status">${t('resume.movedAway')}</p>` : nothing}
      ${c.deleted ? html`<p class="notice" part="notice" id="deleted" tabindex="-1" role="status">${t('privacy.deleted')}</p>` : nothing}
      ${this.callView ? html`<div class="call" @direturn-call-close=${() => (this.callView = null)} @direturn-open-callback=${this.callBack}>${this.callView}</div>` : nothing}
      ${this.entryView
        ? html`<div
            class="panel view"
            @direturn-info-close=${this.closeEntry}
            @direturn-offices-close=${this.closeEntry}
            @direturn-orientation-close=${this.closeEntry}
            @direturn-orientation-send=${this.onOrientationSend}
            @direturn-resume-close=${this.onResumeClose}
            @direturn-callback-close=${this.closeEntry}
            @direturn-reply-notice-close=${this.closeEntry}
            @direturn-talk-about=${this.onTalkAbout}
          >
            ${this.entryView}
          </div>`
        : this.privacyOpen
        ? html`<div class="panel">${privacy(true)}</div>`
        : html`<direturn-chat-messages .rows=${rows} .typing=${typing} @direturn-retry=${this.onRetry}
            >${rows.some((r) => r.author === 'visitor') || !notice ? nothing : privacy(false)}</direturn-chat-messages
          >`}
      ${c.referrals.length && !this.privacyOpen && !this.entryView
        ? html`<direturn-referral-consent class="referrals" .referrals=${c.referrals} @direturn-referral-answer=${this.onReferralAnswer}></direturn-referral-consent>`
        : nothing}
      ${c.replyNotice && conversation && conversation.status !== 'closed' && !this.entryView && !this.privacyOpen
        ? html`<button type="button" class="link quiet" part="reply-notice-entry" @click=${() => void this.openFocused('reply-notice')}>
            ${t(c.replyNotice.on ? 'replyNotice.entryOn' : 'replyNotice.entry')}
          </button>`
        : nothing}
      <p class="error" part="error" role="alert">${error ? t(`errors.${error}`, { defaultValue: t('errors.generic') }) : ''}</p>
      ${this.entryView || this.privacyOpen || this.startView === 'chat'
        ? nothing
        : homeEntriesTemplate(t, (id) => void (id === 'offices' || id === 'resume' || id === 'callback' ? this.openFocused(id) : this.openEntry(id)), rows.length > 0)}
      ${this.context
        ? html`<p class="context" part="context">
            <span dir="auto">${t('home.about', { title: this.context.title })}</span>
            <button type="button" @click=${() => (this.context = null)} aria-label=${t('home.removeAbout')}>×</button>
          </p>`
        : nothing}
      <direturn-chat-composer
        ?disabled=${!!c.fatalError}
        @direturn-send=${this.onSend}
        @direturn-typing=${this.onTyping}
      ></direturn-chat-composer>
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-chat-app': ChatApp;
  }
}
