import type { AgentAdminDto, AgentDto, AgentRole } from '@direturn/protocol';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../../api/api-client.js';
import { isApiError } from '../../api/api-error.js';
import { resetPassword } from '../../api/accounts-api.js';
import { issueTexts } from '../../shared/validation-text.js';
import { I18nController, t, uiLanguage } from '../../i18n/i18n.js';
import { languageList } from '../../shared/format.js';
import { checkedLanguages, languagesFieldset } from '../../shared/languages-fieldset.js';
import '../../shared/direturn-admin-table.js';
import type { AdminTableColumn } from '../../shared/direturn-admin-table.js';
import { buttons, forms, tokens } from '../../shared/styles.js';

/**
 * @summary Admin: the agents table (role, languages, status, 2FA, sessions) with actions per agent,
 * an edit form (role, languages) and a form to create an agent.
 *
 * @csspart table - The agents table.
 * @csspart create - The form that creates an agent.
 * @csspart edit - The form that edits an agent's role and languages.
 * @csspart error - An error message.
 * @csspart status - The result of the last action.
 * @csspart one-time - A one-time password just issued (shown once).
 */
@customElement('direturn-admin-agents')
export class DireturnAdminAgents extends LitElement {
  static override styles = [
    tokens,
    buttons,
    forms,
    css`
      :host {
        display: block;
      }
      td .actions button {
        font-size: 0.875rem;
        min-block-size: 2rem;
        padding-inline: 0.6rem;
      }
      .disabled {
        color: var(--_danger);
        font-weight: 600;
      }
      .one-time {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_warning-soft);
        padding: var(--_space);
        margin-block-end: var(--_space);
      }
      .one-time code {
        font-size: 1.25rem;
        letter-spacing: 0.05em;
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;
  /** The signed-in admin (they cannot disable themselves or drop their own role). */
  @property({ attribute: false }) me: AgentDto | null = null;

  @state() private agents: AgentAdminDto[] = [];
  @state() private loading = true;
  @state() private error = '';
  @state() private status = '';
  @state() private createError = '';
  @state() private editing: string | null = null;
  @state() private confirmingReset: string | null = null;
  @state() private confirmingPassword: string | null = null;
  /** A one-time password just issued: shown once, beside the agent it belongs to. */
  @state() private oneTime: { agentId: string; name: string; password: string } | null = null;

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.agents = await this.api.listAgents();
      this.error = '';
    } catch (err) {
      this.error = this.errorText(err);
    } finally {
      this.loading = false;
    }
  }

  override render() {
    const lng = uiLanguage();
    return html`
      <h1 tabindex="-1">${t('admin.agents.title')}</h1>
      <div role="alert">${this.error ? html`<p class="error" part="error">${this.error}</p>` : nothing}</div>
      <p role="status" class="success" part="status">${this.status}</p>
      ${this.oneTime
        ? html`<div class="one-time" part="one-time" role="region" aria-labelledby="one-time-title">
            <p id="one-time-title">${t('accounts.reset.done', { name: this.oneTime.name })}</p>
            <p><code class="mono" dir="ltr">${this.oneTime.password}</code></p>
            <button type="button" class="secondary" @click=${() => (this.oneTime = null)}>${t('accounts.reset.hide')}</button>
          </div>`
        : nothing}
      ${this.loading
        ? html`<p>${t('app.starting')}</p>`
        : html`<direturn-admin-table
            .rows=${this.agents}
            .columns=${this.columns(lng)}
            .detail=${(a: AgentAdminDto) => (this.editing === a.id ? this.renderEdit(a) : nothing)}
            caption=${t('admin.agents.caption', { count: this.agents.length })}
          ></direturn-admin-table>`}
      ${this.renderCreate()}
    `;
  }

  private columns(lng: string): AdminTableColumn<AgentAdminDto>[] {
    return [
      { header: t('admin.agents.name'), rowHeader: true, dir: 'auto', id: (a) => `agent-${a.id}`, cell: (a) => a.name },
      { header: t('admin.agents.email'), className: 'mono', cell: (a) => a.email },
      { header: t('admin.agents.role'), cell: (a) => t(`admin.roles.${a.role}`) },
      { header: t('admin.agents.languages'), cell: (a) => languageList(a.languages, lng) },
      {
        header: t('admin.agents.status'),
        cell: (a) =>
          html`${a.disabledAt ? html`<span class="disabled">${t('admin.agents.disabled')}</span>` : t('admin.agents.active')}
          ${a.passwordChangeRequired ? html`<br /><span>${t('accounts.reset.pending')}</span>` : nothing}`,
      },
      { header: t('admin.agents.totp'), cell: (a) => (a.totpEnabled ? t('admin.agents.totpOn') : t('admin.agents.totpOff')) },
      { header: t('admin.agents.sessions'), cell: (a) => new Intl.NumberFormat(lng).format(a.sessions) },
      { header: t('admin.agents.actions'), cell: (a) => this.renderActions(a) },
    ];
  }

  private renderActions(a: AgentAdminDto) {
    const self = this.me?.id === a.id;
    const name = a.name;
    if (this.confirmingPassword === a.id) {
      return html`<div class="actions" role="group" aria-label=${t('accounts.reset.confirm', { name })}>
        <span>${t('accounts.reset.confirm', { name })}</span>
        <button type="button" class="danger" @click=${() => this.resetPassword(a)}>${t('accounts.reset.yes')}</button>
        <button type="button" class="secondary" @click=${() => (this.confirmingPassword = null)}>${t('common.cancel')}</button>
      </div>`;
    }
    if (this.confirmingReset === a.id) {
      return html`<div class="actions" role="group" aria-label=${t('admin.agents.confirmReset', { name })}>
        <span>${t('admin.agents.confirmReset', { name })}</span>
        <button type="button" class="danger" @click=${() => this.resetTotp(a)}>${t('admin.agents.resetTotpYes')}</button>
        <button type="button" class="secondary" @click=${() => (this.confirmingReset = null)}>${t('common.cancel')}</button>
      </div>`;
    }
    return html`<div class="actions">
      <button type="button" class="secondary" aria-expanded=${this.editing === a.id ? 'true' : 'false'} aria-describedby=${`agent-${a.id}`} @click=${() => (this.editing = this.editing === a.id ? null : a.id)}>
        ${t('admin.agents.edit')}
      </button>
      ${self
        ? nothing
        : html`<button type="button" class="secondary" aria-describedby=${`agent-${a.id}`} @click=${() => this.setDisabled(a, !a.disabledAt)}>
            ${a.disabledAt ? t('admin.agents.enable') : t('admin.agents.disable')}
          </button>`}
      <button type="button" class="secondary" aria-describedby=${`agent-${a.id}`} @click=${() => this.revoke(a)}>${t('admin.agents.revoke')}</button>
      ${self
        ? nothing
        : html`<button type="button" class="danger" aria-describedby=${`agent-${a.id}`} @click=${() => (this.confirmingPassword = a.id)}>${t('accounts.reset.action')}</button>`}
      ${a.totpEnabled
        ? html`<button type="button" class="danger" aria-describedby=${`agent-${a.id}`} @click=${() => (this.confirmingReset = a.id)}>${t('admin.agents.resetTotp')}</button>`
        : nothing}
    </div>`;
  }

  private renderEdit(a: AgentAdminDto) {
    const self = this.me?.id === a.id;
    return html`<form part="edit" @submit=${(e: SubmitEvent) => this.saveEdit(e, a)} novalidate aria-label=${t('admin.agents.editFor', { name: a.name })}>
      <label>
        ${t('admin.agents.role')}
        <select name="role" ?disabled=${self}>
          ${(['counsellor', 'editor', 'admin'] as const).map((r) => html`<option value=${r} ?selected=${a.role === r}>${t(`admin.roles.${r}`)}</option>`)}
        </select>
      </label>
      ${self ? html`<p class="hint">${t('admin.agents.ownRole')}</p>` : nothing}
      ${languagesFieldset(t('admin.agents.languages'), 'languages', a.languages)}
      <p class="hint">${t('admin.agents.roleChangeHint')}</p>
      <div class="actions">
        <button type="submit">${t('admin.agents.save')}</button>
        <button type="button" class="secondary" @click=${() => (this.editing = null)}>${t('common.cancel')}</button>
      </div>
    </form>`;
  }

  private renderCreate() {
    return html`<h2 id="create-title">${t('admin.agents.createTitle')}</h2>
      <form part="create" @submit=${this.create} novalidate aria-labelledby="create-title">
        <label>${t('admin.agents.name')}<input name="name" required maxlength="100" autocomplete="off" /></label>
        <label>${t('admin.agents.email')}<input name="email" type="email" required maxlength="254" autocomplete="off" spellcheck="false" /></label>
        <label>
          ${t('admin.agents.password')}
          <input name="password" type="password" required minlength="12" maxlength="1024" autocomplete="new-password" aria-describedby="password-hint" />
        </label>
        <p class="hint" id="password-hint">${t('admin.agents.passwordHint')}</p>
        <label>
          ${t('admin.agents.role')}
          <select name="role">
            <option value="counsellor" selected>${t('admin.roles.counsellor')}</option>
            <option value="editor">${t('admin.roles.editor')}</option>
            <option value="admin">${t('admin.roles.admin')}</option>
          </select>
        </label>
        ${languagesFieldset(t('admin.agents.languages'), 'languages', ['de'])}
        <div role="alert">
          ${this.createError ? html`<p class="error" part="error">${this.createError}</p>` : nothing}
        </div>
        <div class="actions"><button type="submit">${t('admin.agents.create')}</button></div>
      </form>`;
  }

  private errorText(err: unknown): string {
    if (isApiError(err, 'network_error')) return t('common.errors.network');
    if (isApiError(err, 'forbidden')) return t('admin.errors.forbidden');
    return t('common.errors.generic');
  }

  private replace(agent: AgentAdminDto): void {
    this.agents = this.agents.map((a) => (a.id === agent.id ? agent : a));
  }

  private async act(work: () => Promise<void>, done: string): Promise<void> {
    this.error = '';
    this.status = '';
    try {
      await work();
      this.status = done;
    } catch (err) {
      this.error = this.errorText(err);
    }
  }

  private setDisabled(a: AgentAdminDto, disabled: boolean): Promise<void> {
    return this.act(
      async () => this.replace(await this.api.updateAgent(a.id, { disabled })),
      disabled ? t('admin.agents.disabledDone', { name: a.name }) : t('admin.agents.enabledDone', { name: a.name }),
    );
  }

  private revoke(a: AgentAdminDto): Promise<void> {
    return this.act(async () => {
      await this.api.revokeSessions(a.id);
      this.replace({ ...a, sessions: 0 });
    }, t('admin.agents.revokedDone', { name: a.name }));
  }

  private resetTotp(a: AgentAdminDto): Promise<void> {
    this.confirmingReset = null;
    return this.act(async () => this.replace(await this.api.resetTotp(a.id)), t('admin.agents.resetDone', { name: a.name }));
  }

  private resetPassword(a: AgentAdminDto): Promise<void> {
    this.confirmingPassword = null;
    return this.act(async () => {
      const { oneTimePassword, agent } = await resetPassword(this.api, a.id);
      this.replace(agent);
      this.oneTime = { agentId: a.id, name: a.name, password: oneTimePassword };
    }, t('accounts.reset.status', { name: a.name }));
  }

  private async saveEdit(e: SubmitEvent, a: AgentAdminDto): Promise<void> {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const languages = checkedLanguages(form, 'languages');
    const role = (form.elements.namedItem('role') as HTMLSelectElement).value as AgentRole;
    if (languages.length === 0) {
      this.error = t('profile.languages.errors.none');
      return;
    }
    const changes = role !== a.role && this.me?.id !== a.id ? { role, languages } : { languages };
    await this.act(async () => {
      this.replace(await this.api.updateAgent(a.id, changes));
      this.editing = null;
    }, t('admin.agents.savedDone', { name: a.name }));
  }

  private readonly create = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    const chosen = String(data.get('role'));
    const role = chosen === 'admin' || chosen === 'editor' ? chosen : 'counsellor';
    const languages = checkedLanguages(form, 'languages');
    this.status = '';
    if (!name || !email || !password || languages.length === 0) {
      this.createError = t('admin.agents.errors.missing');
      return;
    }
    this.createError = '';
    try {
      const agent = await this.api.createAgent({ name, email, password, role, languages });
      this.agents = [...this.agents, agent];
      form.reset();
      this.status = t('admin.agents.createdDone', { name: agent.name });
    } catch (err) {
      if (isApiError(err, 'bad_request')) {
        // Coded issues in the interface language; an e-mail in use has no code (the server's sentence).
        this.createError = err.details.length ? issueTexts(err, '').join(' ') : t('admin.agents.errors.invalid', { reason: err.message });
      } else {
        this.createError = this.errorText(err);
      }
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-admin-agents': DireturnAdminAgents;
  }
}
