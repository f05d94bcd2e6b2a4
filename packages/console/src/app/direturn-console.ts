import { languageDirection, type AgentDto } from '@direturn/protocol';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import type { DireturnConversationView } from '../conversation/direturn-conversation-view.js';
import { Drafts } from '../conversation/drafts.js';
import type { AgentUpdatedEvent, LoginEvent, OpenConversationEvent } from '../events/events.js';
import '../availability/direturn-availability-toggle.js';
import '../password/direturn-password-form.js';
import { I18nController, UI_LANGUAGES, ensureI18n, isUiLanguage, setUiLanguage, t, tSlots, uiLanguage } from '../i18n/i18n.js';
import '../login/direturn-login.js';
import type { DireturnLogin } from '../login/direturn-login.js';
import { WorkNotifier } from '../notify/work-notifier.js';
import '../profile/direturn-totp-setup.js';
import { AgentSocket, type SocketState } from '../realtime/agent-socket.js';
import { isolate, languageListParts } from '../shared/bidi.js';
import { nativeLanguageName } from '../shared/format.js';
import { buttons, tokens } from '../shared/styles.js';
import { ConsoleStore } from './console-store.js';
import { consoleStyles } from './direturn-console.styles.js';
import { formatRoute, parseRoute, type Route, type ScreenDefinition } from './screen-registry.js';
import { screens } from './screens.js';
import { SessionController } from './session-controller.js';

/** Id of a registered screen (see `app/screens.ts`). */
export type Screen = string;

/** The ids of the screens a role works with, in navigation order. */
export function screensFor(role: AgentDto['role'] | undefined): Screen[] {
  return screens.for(role).map((s) => s.id);
}

/**
 * @summary The agent console: sign-in, then the workspace. A thin shell: the session controller
 * decides what is shown (login, enrolment, workspace), the store holds the conversations and the
 * socket, and the screen registry (`app/screens.ts`) supplies the navigation and the pages.
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
  static override styles = [tokens, buttons, consoleStyles, ...screens.all.flatMap((s) => (s.styles ? [s.styles] : []))];

  /** REST client; replaceable for tests. */
  @property({ attribute: false }) api: ApiClient = defaultApiClient;

  /** Creates the agent socket after sign-in; replaceable for tests. */
  @property({ attribute: false }) createSocket: () => AgentSocket = () => new AgentSocket();

  /**
   * Keeps the page's address in step with the screen and the open conversation
   * (`#/conversations/<id>`, `#/knowledge` …) and restores them after a reload. Off when the
   * console is embedded somewhere that owns the address (tests).
   */
  @property({ type: Boolean, attribute: 'sync-address' }) syncAddress = false;

  /** Desktop notifications, sound and the tab title's count; replaceable for tests. */
  @property({ attribute: false }) notifier = new WorkNotifier();

  /** Unsent replies per conversation; replaceable for tests. */
  @property({ attribute: false }) drafts = new Drafts();

  @state() private screen: Screen = 'conversations';

  @query('direturn-conversation-view') private view?: DireturnConversationView;
  @query('direturn-login') private loginForm?: DireturnLogin;

  private readonly i18n = new I18nController(this);

  readonly session: SessionController = new SessionController(() => this.api, {
    enter: (agent) => this.enterWorkspace(agent),
    leave: () => this.leaveWorkspace(),
    notify: (kind, text) => this.store.showNotice(kind, text),
  });

  readonly store: ConsoleStore = new ConsoleStore(() => this.api, () => this.createSocket(), this.session, {
    rendered: () => this.updateComplete,
    focusComposer: async () => {
      await this.view?.focusComposer();
    },
    opened: (id) => this.writeAddress({ screen: 'conversations', param: id }),
  });

  /** The address the page was opened with, applied once the workspace is there. */
  private pendingRoute: Route | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.session.addEventListener('change', this.onStateChange);
    this.store.addEventListener('change', this.onStateChange);
    this.store.addEventListener('dropped', this.onDropped);
    this.notifier.addEventListener('activate', this.onActivate);
    document.addEventListener('visibilitychange', this.onVisibility);
    window.addEventListener('hashchange', this.onHashChange);
    if (this.syncAddress) this.pendingRoute = parseRoute(location.hash);
    if (this.session.phase === 'starting') void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.session.removeEventListener('change', this.onStateChange);
    this.store.removeEventListener('change', this.onStateChange);
    this.store.removeEventListener('dropped', this.onDropped);
    this.notifier.removeEventListener('activate', this.onActivate);
    document.removeEventListener('visibilitychange', this.onVisibility);
    window.removeEventListener('hashchange', this.onHashChange);
    this.notifier.detach();
    this.store.reset();
  }

  /** The state of the socket as shown in the top bar. */
  get connectionState(): SocketState {
    return this.store.connection;
  }

  private readonly onStateChange = (): void => this.requestUpdate();

  private async start(): Promise<void> {
    try {
      await ensureI18n();
    } catch {
      // Texts could not be loaded: keys are shown, but the console still works.
    }
    await this.session.check();
  }

  // ---- session ----

  private async enterWorkspace(agent: AgentDto): Promise<void> {
    const offered = screens.for(agent.role);
    const route = this.pendingRoute;
    this.pendingRoute = null;
    const wanted = route && offered.find((s) => s.id === route.screen);
    this.screen = (wanted ?? offered[0])?.id ?? 'profile';
    this.drafts.setOwner(agent.id);
    // Editors never see conversations: no socket, no lists.
    if (!offered.some((s) => s.realtime)) return;
    this.notifier.attach(this.store, agent.id);
    await this.store.start();
    if (wanted?.id === 'conversations' && route?.param) await this.store.open(route.param);
  }

  private leaveWorkspace(): void {
    this.notifier.detach();
    this.store.reset();
    this.screen = 'conversations';
    void this.updateComplete.then(() => this.loginForm?.focus());
  }

  private readonly onLogin = (e: LoginEvent): void => {
    this.store.dismissNotice();
    void this.session.enter(e.agent);
  };

  private readonly onTotpEnabled = async (): Promise<void> => {
    try {
      await this.session.enter(await this.api.me());
      this.store.showNotice('info', t('totp.required.done'));
    } catch (err) {
      if (!this.session.handle(err)) void this.session.check();
    }
  };

  /** The new password after an admin's reset is set: on into the workspace. */
  private readonly onPasswordChanged = (e: AgentUpdatedEvent): void => {
    void this.session.enter(e.agent);
    this.store.showNotice('info', t('accounts.password.saved'));
  };

  private readonly onAgentUpdated = (e: AgentUpdatedEvent): void => {
    this.session.updateAgent(e.agent);
  };

  private readonly logout = async (): Promise<void> => {
    this.store.clearOutbox();
    this.store.dismissNotice();
    this.drafts.clearAll();
    await this.session.logout();
  };

  private readonly retry = (): void => {
    void this.session.check();
  };

  // ---- screens and the address ----

  /** Switches the workspace screen and moves focus to its heading. */
  async showScreen(screen: Screen): Promise<void> {
    if (!screensFor(this.session.agent?.role).includes(screen)) return;
    this.screen = screen;
    this.writeAddress({ screen, param: screen === 'conversations' ? this.store.openId : null });
    await this.updateComplete;
    const page = this.renderRoot.querySelector('.page > *') as LitElement | null;
    await page?.updateComplete;
    page?.shadowRoot?.querySelector<HTMLElement>('h1')?.focus();
  }

  private writeAddress(route: Route): void {
    if (!this.syncAddress || this.session.phase !== 'workspace' || route.screen !== this.screen) return;
    const hash = formatRoute(route);
    if (location.hash !== hash) history.pushState(null, '', hash);
  }

  /** A conversation opened from another screen (a search result, the supervision view). */
  private readonly onOpenFromPage = (e: OpenConversationEvent): void => {
    void this.showScreen('conversations').then(() => this.store.open(e.conversationId));
  };

  /** Back and forward in the browser, or an address typed by hand. */
  private readonly onHashChange = (): void => {
    if (!this.syncAddress || this.session.phase !== 'workspace') return;
    const route = parseRoute(location.hash);
    if (!route) return;
    if (route.screen !== this.screen) void this.showScreen(route.screen);
    if (route.screen === 'conversations' && route.param && route.param !== this.store.openId) void this.store.open(route.param);
  };

  private readonly onDropped = (e: Event): void => {
    this.drafts.clear((e as CustomEvent<string>).detail);
  };

  /** A notification was clicked: show what it was about. */
  private readonly onActivate = (e: Event): void => {
    const id = (e as CustomEvent<string | null>).detail;
    void this.showScreen('conversations').then(() => (id ? this.store.open(id) : undefined));
  };

  private readonly onVisibility = (): void => {
    if (document.visibilityState === 'visible') this.store.markRead();
  };

  private readonly onLanguage = (e: Event): void => {
    const value = (e.target as HTMLSelectElement).value;
    if (isUiLanguage(value)) void setUiLanguage(value);
  };

  // ---- rendering ----

  override render() {
    return html`
      <div class="app">
        ${this.renderTopbar()}
        <div class="notice-area" part="notice" role="status" aria-live="polite">${this.renderNotice()}</div>
        ${this.renderBody()}
      </div>
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.store.announcement}</div>
    `;
  }

  private renderTopbar() {
    const lng = uiLanguage();
    const { phase, agent } = this.session;
    const connection = this.store.connection;
    return html`<header class="topbar" part="topbar">
      <p class="brand">${t('app.title')}</p>
      ${phase === 'workspace'
        ? html`<span class="connection" part="connection" data-state=${connection}>
              <span class="dot" aria-hidden="true"></span>${t(`app.connection.${connection}`)}
            </span>
            ${agent && agent.role !== 'editor' ? html`<direturn-availability-toggle .api=${this.api}></direturn-availability-toggle>` : nothing}
            <span class="agent" part="profile">
              <span>${tSlots('app.signedInAs', { name: isolate(agent?.name ?? '') })}</span>
              ${agent?.languages.length
                ? html`<span class="agent-languages">${tSlots('app.profileLanguages', { languages: languageListParts(agent.languages, lng) })}</span>`
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
      ${phase === 'workspace' || phase === 'totp-setup' || phase === 'password-change'
        ? html`<button class="secondary" type="button" @click=${this.logout}>${t('app.logout')}</button>`
        : nothing}
      ${phase === 'workspace' ? this.renderNav() : nothing}
    </header>`;
  }

  private renderNav() {
    return html`<nav part="nav" aria-label=${t('nav.label')}>
      <ul>
        ${screens.for(this.session.agent?.role).map(
          (s) => html`<li>
            <button
              type="button"
              class="secondary"
              data-screen=${s.id}
              aria-current=${this.screen === s.id ? 'page' : 'false'}
              @click=${() => this.showScreen(s.id)}
            >
              ${t(s.label ?? `nav.${s.id}`)}
            </button>
          </li>`,
        )}
      </ul>
    </nav>`;
  }

  private renderNotice() {
    const notice = this.store.notice;
    if (!notice) return nothing;
    return html`<div class="notice ${notice.kind}">
      <p>${notice.text}</p>
      <button class="secondary" type="button" @click=${() => this.store.dismissNotice()}>${t('common.dismiss')}</button>
    </div>`;
  }

  private renderBody() {
    switch (this.session.phase) {
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
      case 'password-change':
        return html`<main class="page setup" part="page"><direturn-password-form .api=${this.api} required heading-level="1" @direturn-agent-updated=${this.onPasswordChanged}></direturn-password-form></main>`;
      case 'workspace':
        return this.renderScreen();
    }
  }

  private renderScreen() {
    const agent = this.session.agent;
    const screen: ScreenDefinition | undefined = agent ? screens.for(agent.role).find((s) => s.id === this.screen) : undefined;
    if (!agent || !screen) return nothing;
    const content = screen.render({
      api: this.api,
      agent,
      store: this.store,
      session: this.session,
      notifier: this.notifier,
      drafts: this.drafts,
      param: this.screen === 'conversations' ? this.store.openId : null,
    });
    if (screen.layout === 'own') return content;
    return html`<main class="page" part="page" @direturn-agent-updated=${this.onAgentUpdated} @direturn-open-conversation=${this.onOpenFromPage}>${content}</main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-console': DireturnConsole;
  }
}
