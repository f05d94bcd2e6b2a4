/**
 * The one place that knows whether someone is signed in. Every REST failure and every socket
 * close that means "the session is gone" ends up in `handle()` or `ended()`, which show the
 * login (with a notice saying why) and make the store forget everything of the session.
 */
import type { AgentDto } from '@direturn/protocol';
import type { ApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import { t } from '../i18n/i18n.js';

export type Phase = 'starting' | 'login' | 'totp-setup' | 'password-change' | 'workspace' | 'unreachable';

/** Why the login is shown again (each has its notice; `null` shows none). */
export type EndReason = 'ended' | 'expired' | null;

export interface SessionHooks {
  /** The workspace opens for this agent (start the socket, load lists…). */
  enter(agent: AgentDto): Promise<void> | void;
  /** The workspace closes (login or enrolment): stop the socket, forget the session's state. */
  leave(): void;
  notify(kind: 'info' | 'error', text: string): void;
}

export class SessionController extends EventTarget {
  phase: Phase = 'starting';
  agent: AgentDto | null = null;
  private checking = false;

  constructor(
    private readonly api: () => ApiClient,
    private readonly hooks: SessionHooks,
  ) {
    super();
  }

  /** Asks the server who is signed in and opens the matching phase. */
  async check(): Promise<void> {
    this.set('starting');
    try {
      await this.enter(await this.api().me());
    } catch (err) {
      if (!this.handle(err)) this.set('unreachable');
    }
  }

  /** Signed in (after the login form, or a session that still holds). */
  async enter(agent: AgentDto): Promise<void> {
    this.agent = agent;
    if (agent.passwordChangeRequired) return this.requirePasswordChange();
    if (agent.totpSetupRequired) return this.enrol();
    this.set('workspace');
    await this.hooks.enter(agent);
  }

  /** Two-factor authentication is enforced and this agent has none yet: only enrolment is possible. */
  enrol(): void {
    this.hooks.leave();
    this.set('totp-setup');
  }

  /** An admin reset this agent's password: a new one before anything else (the server refuses the rest). */
  requirePasswordChange(): void {
    this.hooks.leave();
    this.set('password-change');
  }

  /** Back to the login, saying why. */
  ended(reason: EndReason): void {
    this.hooks.leave();
    this.agent = null;
    this.set('login');
    if (reason === 'ended') this.hooks.notify('info', t('app.sessionEnded'));
    else if (reason === 'expired') this.hooks.notify('info', t('app.sessionExpired'));
  }

  /**
   * For any failed request: true when it meant the session is gone (or must enrol first) and
   * that was taken care of; false when the caller should report the error itself.
   */
  handle(err: unknown, reason: EndReason = null): boolean {
    if (isApiError(err) && (err.status === 401 || err.code === 'unauthorized')) {
      this.ended(reason);
      return true;
    }
    if (isApiError(err, 'totp_setup_required')) {
      this.enrol();
      return true;
    }
    if (isApiError(err, 'password_change_required')) {
      this.requirePasswordChange();
      return true;
    }
    return false;
  }

  /**
   * The socket keeps failing: the session may have expired (the upgrade is refused with 401), or
   * 2FA became required (403). Asks the server once at a time.
   */
  async verify(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const agent = await this.api().me();
      if (agent.passwordChangeRequired) {
        this.agent = agent;
        this.requirePasswordChange();
      } else if (agent.totpSetupRequired) {
        this.agent = agent;
        this.enrol();
      }
    } catch (err) {
      if (isApiError(err) && err.status === 401) this.ended('expired');
    } finally {
      this.checking = false;
    }
  }

  async logout(): Promise<void> {
    try {
      await this.api().logout();
    } catch {
      /* the session is gone for this tab either way */
    }
    this.ended(null);
  }

  /** The agent changed their own profile. */
  updateAgent(agent: AgentDto): void {
    this.agent = agent;
    this.changed();
  }

  private set(phase: Phase): void {
    this.phase = phase;
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
