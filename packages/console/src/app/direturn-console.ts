import { languageDirection, type AgentDto, type AgentServerFrame, type ConversationSummaryDto, type MessageDto } from '@direturn/protocol';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import '../conversation/direturn-conversation-view.js';
import type { DireturnConversationView, OutgoingMessage } from '../conversation/direturn-conversation-view.js';
import '../conversations/direturn-my-conversations.js';
import '../admin/agents/direturn-admin-agents.js';
import '../admin/audit/direturn-admin-audit.js';
import '../admin/privacy/direturn-admin-privacy.js';
import '../admin/settings/direturn-admin-settings.js';
import '../offices/direturn-admin-offices.js';
import '../referrals/direturn-referrals.js';
import { publishReferral } from '../referrals/referral-updates.js';
import '../knowledge/direturn-knowledge.js';
import '../orientation-editor/direturn-orientation-editor.js';
import type {
  AgentUpdatedEvent,
  ClaimEvent,
  CloseConversationEvent,
  DeleteConversationEvent,
  ExportConversationEvent,
  LoginEvent,
  OpenConversationEvent,
  SendEvent,
  TypingEvent,
} from '../events/events.js';
import { I18nController, UI_LANGUAGES, ensureI18n, isUiLanguage, setUiLanguage, t, uiLanguage } from '../i18n/i18n.js';
import '../login/direturn-login.js';
import type { DireturnLogin } from '../login/direturn-login.js';
import '../profile/direturn-profile.js';
import '../profile/direturn-totp-setup.js';
import '../queue/direturn-queue.js';
import { AgentSocket, type PendingSend, type SocketState } from '../realtime/agent-socket.js';
import { downloadFile } from '../shared/download.js';
import { languageList, nativeLanguageName } from '../shared/format.js';
import { buttons, tokens } from '../shared/styles.js';
import { applyMessage, mergeMessages, removeConversation, sortMine, sortQueue, upsertConversation } from './conversation-state.js';

type Phase = 'starting' | 'login' | 'totp-setup' | 'workspace' | 'unreachable';
/** Screens of the workspace; the admin ones are offered to admins only (the server checks every route too). */
export type Screen = 'conversations' | 'referrals' | 'knowledge' | 'orientation' | 'profile' | 'agents' | 'offices' | 'settings' | 'privacy' | 'audit';
const ADMIN_SCREENS: readonly Screen[] = ['agents', 'offices', 'settings', 'privacy', 'audit'];

/** The screens a role works with: editors the knowledge base (no conversations), counsellors conversations and referrals, admins all. */
export function screensFor(role: AgentDto['role'] | undefined): Screen[] {
  if (role === 'editor') return ['knowledge', 'orientation', 'profile'];
  if (role === 'admin') return ['conversations', 'referrals', 'knowledge', 'orientation', 'profile', ...ADMIN_SCREENS];
  return ['conversations', 'referrals', 'profile'];
}
interface Notice {
  kind: 'info' | 'error';
  text: string;
}

/** A visitor who stopped sending typing frames is considered idle after this long. */
const TYPING_EXPIRY_MS = 8_000;

/**
 * @summary The agent console: sign-in, then the workspace with the queue, the agent's
 * conversations and the open conversation. Holds the state and talks to the REST API and the socket.
 *
 * @csspart topbar - The bar with the title, connection state, language switch and logout.
 * @csspart connection - The connection state indicator.
 * @csspart notice - The notice area (e.g. "already taken").
 * @csspart workspace - The grid holding the lists and the conversation.
 * @csspart nav - The navigation between the conversations, the profile and (admins) the admin screens.
 * @csspart page - The main area of the profile and admin screens.
 *
 * @cssprop --direturn-background - Page background.
 * @cssprop --direturn-surface - Background of panels.
 * @cssprop --direturn-text - Main text colour.
 * @cssprop --direturn-text-muted - Secondary text colour.
 * @cssprop --direturn-border - Border colour.
 * @cssprop --direturn-accent - Primary colour (buttons, badges).
 * @cssprop --direturn-accent-text - Text on the primary colour.
 * @cssprop --direturn-accent-soft - Soft primary background (own messages, selection).
 * @cssprop --direturn-danger - Error and destructive colour.
 * @cssprop --direturn-focus-ring - Focus outline colour.
 * @cssprop --direturn-font-family - Font stack.
 * @cssprop --direturn-radius - Corner radius.
 * @cssprop --direturn-space - Base spacing.
 */
@customElement('direturn-console')
export class DireturnConsole extends LitElement {
  static override styles = [
    tokens,
    buttons,
    css`
      :host {
        display: block;
        block-size: 100%;
        min-block-size: 100dvh;
        background: var(--_bg);
      }
      .app {
        display: grid;
        grid-template-rows: auto auto 1fr;
        block-size: 100dvh;
      }
      .topbar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem var(--_space);
        padding-block: 0.5rem;
        padding-inline: var(--_space);
        background: var(--_surface);
        border-block-end: 1px solid var(--_border);
      }
      .brand {
        font-weight: 700;
        font-size: 1.0625rem;
        margin: 0;
        margin-inline-end: auto;
      }
      .connection {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        font-size: 0.875rem;
      }
      .dot {
        inline-size: 0.65rem;
        block-size: 0.65rem;
        border-radius: 50%;
        background: var(--_muted);
      }
      .connection[data-state='online'] .dot {
        background: var(--_success);
      }
      .connection[data-state='connecting'] .dot {
        background: #b7791f;
      }
      .connection[data-state='offline'] .dot {
        background: var(--_danger);
      }
      .agent {
        font-size: 0.875rem;
        color: var(--_muted);
        display: inline-flex;
        flex-wrap: wrap;
        gap: 0 0.75rem;
      }
      .lang {
        display: inline-flex;
        align-items: center;
        gap: 0.35rem;
        font-size: 0.875rem;
      }
      select {
        font: inherit;
        padding-block: 0.25rem;
        border-radius: var(--_radius);
        border: 1px solid var(--_muted);
        background: var(--_surface);
        color: var(--_text);
      }
      .notice-area:empty {
        display: none;
      }
      .notice {
        display: flex;
        align-items: center;
        gap: var(--_space);
        margin: var(--_space);
        margin-block-end: 0;
        padding-block: 0.5rem;
        padding-inline: var(--_space);
        border-radius: var(--_radius);
        background: var(--_warning-soft);
        border: 1px solid #d9b44a;
      }
      .notice.error {
        background: var(--_danger-soft);
        border-color: var(--_danger);
      }
      .notice p {
        margin: 0;
        flex: 1;
      }
      .workspace {
        display: grid;
        grid-template-columns: minmax(16rem, 22rem) 1fr;
        grid-template-rows: auto 1fr;
        grid-template-areas:
          'queue main'
          'mine main';
        gap: var(--_space);
        padding: var(--_space);
        min-block-size: 0;
      }
      .col {
        min-block-size: 0;
        overflow-y: auto;
      }
      .queue-col {
        grid-area: queue;
        max-block-size: 55vh;
      }
      .mine-col {
        grid-area: mine;
      }
      .main-col {
        grid-area: main;
        overflow: hidden;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_surface);
        min-block-size: 20rem;
      }
      @media (min-width: 75rem) {
        .workspace {
          grid-template-columns: minmax(16rem, 22rem) minmax(14rem, 18rem) 1fr;
          grid-template-rows: 1fr;
          grid-template-areas: 'queue mine main';
        }
        .queue-col {
          max-block-size: none;
        }
      }
      @media (max-width: 56rem) {
        .workspace {
          grid-template-columns: minmax(0, 1fr);
          /* rows as tall as their content: auto rows would shrink to fit the fixed height and overlap */
          grid-template-rows: max-content;
          grid-auto-rows: max-content;
          grid-template-areas: 'queue' 'mine' 'main';
          overflow-y: auto;
        }
        .col {
          overflow: visible;
        }
        .queue-col {
          max-block-size: none;
        }
        .workspace[data-view='list'] .main-col,
        .workspace[data-view='conversation'] .queue-col,
        .workspace[data-view='conversation'] .mine-col {
          display: none;
        }
        .workspace[data-view='conversation'] {
          grid-template-areas: 'main';
          grid-template-rows: minmax(0, 1fr);
          overflow: hidden;
          padding: 0;
        }
        .workspace[data-view='conversation'] .main-col {
          border: none;
          border-radius: 0;
          min-block-size: 0;
        }
      }
      .centered {
        padding: calc(var(--_space) * 2) var(--_space);
      }
      nav {
        flex-basis: 100%;
      }
      nav ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.5rem;
      }
      nav button[aria-current='page'] {
        background: var(--_accent);
        color: var(--_accent-text);
      }
      .page {
        padding: var(--_space);
        overflow-y: auto;
        min-block-size: 0;
      }
      .setup {
        max-inline-size: 44rem;
        margin-inline: auto;
      }
      .setup h1 {
        font-size: 1.375rem;
      }
      .centered p {
        text-align: center;
      }
    `,
  ];

  /** REST client; replaceable for tests. */
  @property({ attribute: false }) api: ApiClient = defaultApiClient;

  /** Creates the agent socket after sign-in; replaceable for tests. */
  @property({ attribute: false }) createSocket: () => AgentSocket = () => new AgentSocket();

  @state() private phase: Phase = 'starting';
  @state() private agent: AgentDto | null = null;
  @state() private queue: ConversationSummaryDto[] = [];
  @state() private mine: ConversationSummaryDto[] = [];
  @state() private claiming: ReadonlySet<string> = new Set();
  @state() private openId: string | null = null;
  @state() private openConversation: ConversationSummaryDto | null = null;
  @state() private openMessages: MessageDto[] = [];
  @state() private openLoading = false;
  @state() private outbox: readonly PendingSend[] = [];
  @state() private failed: (OutgoingMessage & { conversationId: string })[] = [];
  @state() private typing: ReadonlySet<string> = new Set();
  @state() private connection: SocketState = 'offline';
  @state() private notice: Notice | null = null;
  @state() private announcement = '';
  @state() private mobileView: 'list' | 'conversation' = 'list';
  @state() private screen: Screen = 'conversations';

  @query('direturn-conversation-view') private view?: DireturnConversationView;
  @query('direturn-login') private loginForm?: DireturnLogin;

  private readonly i18n = new I18nController(this);
  private socket: AgentSocket | null = null;
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private openRequest = 0;
  private checkingSession = false;
  private liveUpdates: Map<string, ConversationSummaryDto> | null = null;
  private readyCount = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisibility);
    if (this.phase === 'starting') void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.stopSocket();
  }

  /** The state of the socket as shown in the top bar. */
  get connectionState(): SocketState {
    return this.connection;
  }

  private async start(): Promise<void> {
    try {
      await ensureI18n();
    } catch {
      // Texts could not be loaded: keys are shown, but the console still works.
    }
    await this.checkSession();
  }

  private async checkSession(): Promise<void> {
    try {
      const agent = await this.api.me();
      await this.enterWorkspace(agent);
    } catch (err) {
      if (isApiError(err) && (err.status === 401 || err.code === 'unauthorized')) this.showLogin();
      else this.phase = 'unreachable';
    }
  }

  // ---- rendering ----

  override render() {
    return html`
      <div class="app">
        ${this.renderTopbar()}
        <div class="notice-area" part="notice" role="status" aria-live="polite">${this.renderNotice()}</div>
        ${this.renderBody()}
      </div>
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    `;
  }

  private renderTopbar() {
    const lng = uiLanguage();
    return html`<header class="topbar" part="topbar">
      <p class="brand">${t('app.title')}</p>
      ${this.phase === 'workspace'
        ? html`<span class="connection" part="connection" data-state=${this.connection}>
              <span class="dot" aria-hidden="true"></span>${t(`app.connection.${this.connection}`)}
            </span>
            <span class="agent" part="profile">
              <span>${t('app.signedInAs', { name: this.agent?.name ?? '' })}</span>
              ${this.agent?.languages.length
                ? html`<span class="agent-languages">${t('app.profileLanguages', { languages: languageList(this.agent.languages, lng) })}</span>`
                : nothing}
            </span>`
        : nothing}
      <label class="lang">
        ${t('app.language')}
        <select @change=${this.onLanguage}>
          ${UI_LANGUAGES.map(
            (code) =>
              html`<option value=${code} ?selected=${code === lng} lang=${code} dir=${languageDirection(code)}>${nativeLanguageName(code)}</option>`,
          )}
        </select>
      </label>
      ${this.phase === 'workspace' || this.phase === 'totp-setup'
        ? html`<button class="secondary" type="button" @click=${this.logout}>${t('app.logout')}</button>`
        : nothing}
      ${this.phase === 'workspace' ? this.renderNav() : nothing}
    </header>`;
  }

  private renderNav() {
    const screens = screensFor(this.agent?.role);
    return html`<nav part="nav" aria-label=${t('nav.label')}>
      <ul>
        ${screens.map(
          (s) => html`<li>
            <button
              type="button"
              class="secondary"
              data-screen=${s}
              aria-current=${this.screen === s ? 'page' : 'false'}
              @click=${() => this.showScreen(s)}
            >
              ${s === 'orientation' ? t('orientation.screen') : t(`nav.${s}`)}
            </button>
          </li>`,
        )}
      </ul>
    </nav>`;
  }

  /** Switches the workspace screen and moves focus to its heading. */
  async showScreen(screen: Screen): Promise<void> {
    if (!screensFor(this.agent?.role).includes(screen)) return;
    this.screen = screen;
    await this.updateComplete;
    const page = this.renderRoot.querySelector('.page > *') as LitElement | null;
    await page?.updateComplete;
    page?.shadowRoot?.querySelector<HTMLElement>('h1')?.focus();
  }

  private renderNotice() {
    if (!this.notice) return nothing;
    return html`<div class="notice ${this.notice.kind}">
      <p>${this.notice.text}</p>
      <button class="secondary" type="button" @click=${() => (this.notice = null)}>${t('common.dismiss')}</button>
    </div>`;
  }

  private renderBody() {
    switch (this.phase) {
      case 'starting':
        return html`<main class="centered"><p>${t('app.starting')}</p></main>`;
      case 'unreachable':
        return html`<main class="centered">
          <p>${t('common.errors.unreachable')}</p>
          <p><button type="button" @click=${this.retry}>${t('common.retry')}</button></p>
        </main>`;
      case 'login':
        return html`<main class="centered"><direturn-login .api=${this.api} @direturn-login=${this.onLogin}></direturn-login></main>`;
      case 'totp-setup':
        return html`<main class="page setup" part="page">
          <h1>${t('totp.required.title')}</h1>
          <p>${t('totp.required.intro')}</p>
          <direturn-totp-setup .api=${this.api} autostart heading-level="2" @direturn-totp-enabled=${this.onTotpEnabled}></direturn-totp-setup>
        </main>`;
      case 'workspace':
        return this.screen === 'conversations' ? this.renderWorkspace() : this.renderPage();
    }
  }

  private renderPage() {
    const page = (() => {
      switch (this.screen) {
        case 'profile':
          return html`<direturn-profile .api=${this.api} .agent=${this.agent}></direturn-profile>`;
        case 'knowledge':
          return html`<direturn-knowledge .api=${this.api}></direturn-knowledge>`;
        case 'orientation':
          return html`<direturn-orientation-editor .api=${this.api}></direturn-orientation-editor>`;
        case 'agents':
          return html`<direturn-admin-agents .api=${this.api} .me=${this.agent}></direturn-admin-agents>`;
        case 'settings':
          return html`<direturn-admin-settings .api=${this.api} .me=${this.agent}></direturn-admin-settings>`;
        case 'privacy':
          return html`<direturn-admin-privacy .api=${this.api}></direturn-admin-privacy>`;
        case 'audit':
          return html`<direturn-admin-audit .api=${this.api}></direturn-admin-audit>`;
        case 'offices':
          return html`<direturn-admin-offices .api=${this.api}></direturn-admin-offices>`;
        case 'referrals':
          return html`<direturn-referrals .api=${this.api} .me=${this.agent}></direturn-referrals>`;
        default:
          return nothing;
      }
    })();
    return html`<main class="page" part="page" @direturn-agent-updated=${this.onAgentUpdated}>${page}</main>`;
  }

  private renderWorkspace() {
    const outgoing: OutgoingMessage[] = [
      ...this.outbox
        .filter((p) => p.conversationId === this.openId)
        .map((p): OutgoingMessage => ({ clientId: p.clientId, body: p.body, createdAt: p.createdAt, state: 'sending' })),
      ...this.failed.filter((f) => f.conversationId === this.openId),
    ];
    return html`<main
      class="workspace"
      part="workspace"
      data-view=${this.mobileView}
      @direturn-claim=${this.onClaim}
      @direturn-open-conversation=${this.onOpen}
      @direturn-send=${this.onSend}
      @direturn-typing=${this.onTyping}
      @direturn-close-conversation=${this.onClose}
      @direturn-back-to-list=${this.onBack}
      @direturn-export-conversation=${this.onExport}
      @direturn-delete-conversation=${this.onDelete}
    >
      <h1 class="visually-hidden">${t('app.workspace')}</h1>
      <div class="col queue-col">
        <direturn-queue
          .conversations=${this.queue}
          .claiming=${this.claiming}
          .agentLanguages=${this.agent?.languages ?? []}
          .agentRegions=${this.agent?.regions ?? []}
        ></direturn-queue>
      </div>
      <div class="col mine-col">
        <direturn-my-conversations .conversations=${this.mine} .selectedId=${this.openId} .typing=${this.typing}></direturn-my-conversations>
      </div>
      <div class="main-col">
        <direturn-conversation-view
          .conversation=${this.openConversation}
          .messages=${this.openMessages}
          .outgoing=${outgoing}
          .loading=${this.openLoading}
          ?visitor-typing=${this.openId !== null && this.typing.has(this.openId)}
          ?can-delete=${this.agent?.role === 'admin'}
          ?can-refer=${this.openConversation?.status === 'active' && this.openConversation.agentId === this.agent?.id}
          .api=${this.api}
        ></direturn-conversation-view>
      </div>
    </main>`;
  }

  // ---- session ----

  private showLogin(): void {
    this.stopSocket();
    this.phase = 'login';
    this.agent = null;
    this.queue = [];
    this.mine = [];
    this.openId = null;
    this.openConversation = null;
    this.openMessages = [];
    this.outbox = [];
    this.failed = [];
    this.typing = new Set();
    this.mobileView = 'list';
    this.screen = 'conversations';
    void this.updateComplete.then(() => this.loginForm?.focus());
  }

  private readonly onLogin = (e: LoginEvent): void => {
    this.notice = null;
    void this.enterWorkspace(e.agent);
  };

  private async enterWorkspace(agent: AgentDto): Promise<void> {
    this.agent = agent;
    if (agent.totpSetupRequired) {
      this.enterTotpSetup();
      return;
    }
    this.phase = 'workspace';
    // Editors never see conversations: no socket, no lists.
    if (agent.role === 'editor') {
      this.screen = 'knowledge';
      return;
    }
    this.startSocket();
    await this.reloadLists();
  }

  private async reloadLists(): Promise<void> {
    // Conversation frames that arrive while the lists load are newer than the response: replay them.
    const live = new Map<string, ConversationSummaryDto>();
    this.liveUpdates = live;
    try {
      const [waiting, mine] = await Promise.all([this.api.listConversations('waiting'), this.api.listConversations('mine')]);
      if (this.liveUpdates !== live) return;
      let lists = { queue: sortQueue(waiting), mine: sortMine(mine) };
      for (const c of live.values()) lists = upsertConversation(lists, c, this.agent?.id ?? null);
      this.queue = lists.queue;
      this.mine = lists.mine;
    } catch (err) {
      if (isApiError(err, 'unauthorized')) this.showLogin();
      else if (isApiError(err, 'totp_setup_required')) this.enterTotpSetup();
      else this.showNotice('error', t('common.errors.loadLists'));
    } finally {
      if (this.liveUpdates === live) this.liveUpdates = null;
    }
  }

  /** Two-factor authentication is enforced and this agent has none yet: only enrolment is possible. */
  private enterTotpSetup(): void {
    this.stopSocket();
    this.phase = 'totp-setup';
    this.queue = [];
    this.mine = [];
    this.openId = null;
    this.openConversation = null;
    this.openMessages = [];
  }

  private readonly onTotpEnabled = async (): Promise<void> => {
    try {
      await this.enterWorkspace(await this.api.me());
      this.showNotice('info', t('totp.required.done'));
    } catch (err) {
      if (isApiError(err, 'unauthorized')) this.showLogin();
      else this.phase = 'unreachable';
    }
  };

  private readonly onAgentUpdated = (e: AgentUpdatedEvent): void => {
    this.agent = e.agent;
  };

  private readonly logout = async (): Promise<void> => {
    try {
      await this.api.logout();
    } catch {
      /* the session is gone for this tab either way */
    }
    this.socket?.clearOutbox();
    this.notice = null;
    this.showLogin();
  };

  private readonly retry = (): void => {
    this.phase = 'starting';
    void this.checkSession();
  };

  // ---- socket ----

  private startSocket(): void {
    this.stopSocket();
    const socket = this.createSocket();
    this.socket = socket;
    this.readyCount = 0;
    socket.addEventListener('state', this.onSocketState);
    socket.addEventListener('frame', this.onFrame);
    socket.addEventListener('message', this.onMessage);
    socket.addEventListener('outbox', this.onOutbox);
    socket.addEventListener('send-error', this.onSendError);
    socket.addEventListener('ready', this.onReady);
    socket.addEventListener('session-ended', this.onSessionEnded);
    this.connection = socket.state;
    socket.connect();
  }

  private stopSocket(): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    socket.removeEventListener('state', this.onSocketState);
    socket.removeEventListener('frame', this.onFrame);
    socket.removeEventListener('message', this.onMessage);
    socket.removeEventListener('outbox', this.onOutbox);
    socket.removeEventListener('send-error', this.onSendError);
    socket.removeEventListener('ready', this.onReady);
    socket.removeEventListener('session-ended', this.onSessionEnded);
    socket.disconnect();
    this.connection = 'offline';
    for (const timer of this.typingTimers.values()) clearTimeout(timer);
    this.typingTimers.clear();
  }

  private readonly onSocketState = (e: CustomEvent<SocketState>): void => {
    this.connection = e.detail;
    // Repeated failures may mean the session expired (the upgrade is refused with 401).
    if (e.detail === 'offline' && this.socket && this.socket.failedAttempts >= 2) void this.verifySession();
  };

  /** The server closed the socket with 4401: logged out elsewhere, revoked by an admin, or disabled. */
  private readonly onSessionEnded = (): void => {
    this.socket?.clearOutbox();
    this.showLogin();
    this.showNotice('info', t('app.sessionEnded'));
  };

  private async verifySession(): Promise<void> {
    if (this.checkingSession) return;
    this.checkingSession = true;
    try {
      const agent = await this.api.me();
      // With 2FA newly enforced the socket upgrade is refused (403): enrol first.
      if (agent.totpSetupRequired) {
        this.agent = agent;
        this.enterTotpSetup();
      }
    } catch (err) {
      if (isApiError(err) && err.status === 401) {
        this.showLogin();
        this.showNotice('info', t('app.sessionExpired'));
      }
    } finally {
      this.checkingSession = false;
    }
  }

  private readonly onReady = (): void => {
    // After a reconnect the lists may be stale: reload them (the open conversation syncs itself).
    this.readyCount++;
    if (this.readyCount > 1 && this.socket && this.phase === 'workspace') void this.reloadLists();
    this.markRead();
  };

  private readonly onOutbox = (e: CustomEvent<readonly PendingSend[]>): void => {
    this.outbox = e.detail;
  };

  private readonly onSendError = (e: CustomEvent<{ pending: PendingSend; error: { code: string } }>): void => {
    const { pending, error } = e.detail;
    this.failed = [
      ...this.failed,
      { conversationId: pending.conversationId, clientId: pending.clientId, body: pending.body, createdAt: pending.createdAt, state: 'failed' },
    ];
    this.showNotice('error', error.code === 'conversation_closed' ? t('conversation.errors.closed') : t('conversation.errors.sendFailed'));
  };

  private readonly onFrame = (e: CustomEvent<AgentServerFrame>): void => {
    const frame = e.detail;
    switch (frame.type) {
      case 'conversation':
        this.applyConversation(frame.conversation);
        break;
      case 'typing':
        if (frame.author === 'visitor') this.setTyping(frame.conversationId, frame.active);
        break;
      case 'read':
        this.applyRead(frame.conversationId, frame.by, frame.seq);
        break;
      case 'conversation-deleted':
        this.dropConversation(frame.conversationId, t('conversation.deletedNotice'));
        break;
      case 'referral':
        publishReferral(frame.referral);
        break;
      case 'error':
        if (frame.code === 'unauthorized') {
          this.showLogin();
          this.showNotice('info', t('app.sessionExpired'));
        } else if (!frame.ref) {
          this.showNotice('error', t('common.errors.generic'));
        }
        break;
      default:
        break;
    }
  };

  private readonly onMessage = (e: CustomEvent<MessageDto>): void => {
    const m = e.detail;
    const isOpen = m.conversationId === this.openId;
    const beingRead = isOpen && document.visibilityState === 'visible';
    if (isOpen) {
      this.openMessages = mergeMessages(this.openMessages, [m]);
      if (this.openConversation) this.openConversation = applyMessage(this.openConversation, m, beingRead);
      if (beingRead) this.socket?.read(m.conversationId, m.seq);
    }
    if (m.author === 'visitor') this.setTyping(m.conversationId, false);
    const idx = this.mine.findIndex((c) => c.id === m.conversationId);
    const mineEntry = this.mine[idx];
    if (mineEntry) {
      const next = [...this.mine];
      next[idx] = applyMessage(mineEntry, m, beingRead);
      this.mine = sortMine(next);
      if (m.author === 'visitor') {
        const excerpt = m.body.length > 140 ? `${m.body.slice(0, 140)}…` : m.body;
        this.announce(t('app.announce.newMessage', { site: mineEntry.siteName, text: excerpt }));
      }
    }
  };

  private applyConversation(c: ConversationSummaryDto): void {
    const me = this.agent?.id ?? null;
    this.liveUpdates?.set(c.id, c);
    const wasQueued = this.queue.some((q) => q.id === c.id);
    const lists = upsertConversation({ queue: this.queue, mine: this.mine }, c, me);
    this.queue = lists.queue;
    this.mine = lists.mine;
    if (!wasQueued && c.status === 'waiting') this.announce(t('app.announce.newWaiting', { site: c.siteName }));
    if (c.id === this.openId) {
      const open = this.openConversation;
      this.openConversation = open ? { ...c, unread: open.id === c.id && document.visibilityState === 'visible' ? 0 : c.unread } : c;
      if (c.status === 'active' && c.agentId !== me) {
        // A colleague (e.g. an admin) took it over: it is no longer ours to answer.
        this.showNotice('info', t('conversation.errors.takenOver'));
      }
    }
  }

  /** A conversation is gone (visitor, retention or admin): out of every list and the view. */
  private dropConversation(id: string, text: string | null): void {
    const lists = removeConversation({ queue: this.queue, mine: this.mine }, id);
    this.queue = lists.queue;
    this.mine = lists.mine;
    this.failed = this.failed.filter((f) => f.conversationId !== id);
    this.setTyping(id, false);
    if (this.openId === id) {
      this.openRequest++;
      this.openId = null;
      this.openConversation = null;
      this.openMessages = [];
      this.openLoading = false;
      this.mobileView = 'list';
      this.socket?.setOpenConversation(null);
      if (text) this.showNotice('info', text);
    }
  }

  private readonly onExport = async (e: ExportConversationEvent): Promise<void> => {
    try {
      const data = await this.api.exportConversation(e.conversationId);
      const day = new Date(data.conversation.createdAt).toISOString().slice(0, 10);
      downloadFile(`direturn-conversation-${day}-${e.conversationId}.json`, JSON.stringify(data, null, 2), 'application/json');
      this.showNotice('info', t('conversation.exported'));
    } catch (err) {
      if (isApiError(err, 'unauthorized')) this.showLogin();
      else this.showNotice('error', t('conversation.errors.exportFailed'));
    }
  };

  private readonly onDelete = async (e: DeleteConversationEvent): Promise<void> => {
    try {
      await this.api.deleteConversation(e.conversationId);
      this.dropConversation(e.conversationId, null);
      this.showNotice('info', t('conversation.deletedByYou'));
    } catch (err) {
      if (isApiError(err, 'unauthorized')) this.showLogin();
      else if (isApiError(err, 'not_found')) this.dropConversation(e.conversationId, t('conversation.deletedNotice'));
      else this.showNotice('error', t('conversation.errors.deleteFailed'));
    }
  };

  private applyRead(conversationId: string, by: 'visitor' | 'agent', seq: number): void {
    const update = (c: ConversationSummaryDto): ConversationSummaryDto =>
      by === 'visitor'
        ? { ...c, visitorReadSeq: Math.max(c.visitorReadSeq, seq) }
        : { ...c, agentReadSeq: Math.max(c.agentReadSeq, seq), unread: seq >= c.lastSeq ? 0 : c.unread };
    this.mine = this.mine.map((c) => (c.id === conversationId ? update(c) : c));
    if (this.openConversation?.id === conversationId) this.openConversation = update(this.openConversation);
  }

  private setTyping(conversationId: string, active: boolean): void {
    clearTimeout(this.typingTimers.get(conversationId));
    this.typingTimers.delete(conversationId);
    const next = new Set(this.typing);
    if (active) {
      next.add(conversationId);
      this.typingTimers.set(
        conversationId,
        setTimeout(() => this.setTyping(conversationId, false), TYPING_EXPIRY_MS),
      );
    } else {
      next.delete(conversationId);
    }
    this.typing = next;
  }

  // ---- user actions ----

  private readonly onClaim = async (e: ClaimEvent): Promise<void> => {
    const id = e.conversationId;
    if (this.claiming.has(id)) return;
    this.claiming = new Set([...this.claiming, id]);
    try {
      const conversation = await this.api.claim(id);
      this.applyConversation(conversation);
      await this.openConversationById(id);
    } catch (err) {
      if (isApiError(err, 'conversation_taken')) {
        const lists = removeConversation({ queue: this.queue, mine: this.mine }, id);
        this.queue = lists.queue;
        this.showNotice('info', t('queue.taken'));
      } else if (isApiError(err, 'unauthorized')) {
        this.showLogin();
      } else if (isApiError(err, 'not_found') || isApiError(err, 'conversation_closed')) {
        this.queue = this.queue.filter((c) => c.id !== id);
        this.showNotice('info', t('queue.gone'));
      } else {
        this.showNotice('error', t('queue.claimFailed'));
      }
    } finally {
      const next = new Set(this.claiming);
      next.delete(id);
      this.claiming = next;
    }
  };

  private readonly onOpen = (e: OpenConversationEvent): void => {
    void this.openConversationById(e.conversationId);
  };

  /** Shows a conversation: loads its history, marks it read, and focuses the composer. */
  async openConversationById(id: string): Promise<void> {
    const request = ++this.openRequest;
    const switching = this.openId !== id;
    this.openId = id;
    this.mobileView = 'conversation';
    if (switching) {
      this.openConversation = null;
      this.openMessages = [];
    }
    this.openLoading = true;
    this.socket?.setOpenConversation(id, 0);
    try {
      const detail = await this.api.getConversation(id);
      if (request !== this.openRequest) return;
      const messages = mergeMessages(detail.messages, this.openMessages.filter((m) => m.conversationId === id));
      this.socket?.markSeen(messages);
      const lastSeq = messages.reduce((max, m) => Math.max(max, m.seq), detail.conversation.lastSeq);
      this.socket?.setOpenConversation(id, lastSeq);
      this.openConversation = { ...detail.conversation, unread: 0 };
      this.openMessages = messages;
      this.mine = this.mine.map((c) => (c.id === id ? { ...c, unread: 0 } : c));
      this.markRead();
    } catch (err) {
      if (request !== this.openRequest) return;
      if (isApiError(err, 'unauthorized')) {
        this.showLogin();
        return;
      }
      this.openId = null;
      this.socket?.setOpenConversation(null);
      this.showNotice('error', isApiError(err, 'not_found') ? t('queue.gone') : t('conversation.errors.loadFailed'));
    } finally {
      if (request === this.openRequest) this.openLoading = false;
    }
    await this.updateComplete;
    await this.view?.focusComposer();
  }

  private markRead(): void {
    const c = this.openConversation;
    if (!c || document.visibilityState !== 'visible') return;
    const lastSeq = this.openMessages.reduce((max, m) => Math.max(max, m.seq), c.lastSeq);
    if (lastSeq > 0) this.socket?.read(c.id, lastSeq);
  }

  private readonly onVisibility = (): void => {
    if (document.visibilityState === 'visible') this.markRead();
  };

  private readonly onSend = (e: SendEvent): void => {
    if (!this.socket) return;
    this.socket.send(e.conversationId, e.body);
    if (this.connection !== 'online') this.showNotice('info', t('conversation.queuedOffline'));
  };

  private readonly onTyping = (e: TypingEvent): void => {
    this.socket?.typing(e.conversationId, e.active);
  };

  private readonly onClose = async (e: CloseConversationEvent): Promise<void> => {
    try {
      const conversation = await this.api.close(e.conversationId);
      this.applyConversation(conversation);
      this.showNotice('info', t('conversation.closedNotice'));
      await this.view?.focusComposer();
    } catch (err) {
      if (isApiError(err, 'unauthorized')) this.showLogin();
      else this.showNotice('error', t('conversation.errors.closeFailed'));
    }
  };

  private readonly onBack = (): void => {
    this.mobileView = 'list';
  };

  private readonly onLanguage = (e: Event): void => {
    const value = (e.target as HTMLSelectElement).value;
    if (isUiLanguage(value)) void setUiLanguage(value);
  };

  private showNotice(kind: Notice['kind'], text: string): void {
    this.notice = { kind, text };
  }

  private announce(text: string): void {
    // Clear first so repeating the same text is announced again.
    this.announcement = '';
    void this.updateComplete.then(() => {
      this.announcement = text;
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-console': DireturnConsole;
  }
}
