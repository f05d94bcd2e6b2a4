import { CHANNEL_FIELDS, CHANNEL_KINDS, type ChannelAccountDto, type ChannelFieldSpec, type ChannelKind, type SiteDto, type ValidationIssue } from '@direturn/protocol';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import { I18nController, t, uiLanguage } from '../i18n/i18n.js';
import '../shared/direturn-admin-table.js';
import type { AdminTableColumn } from '../shared/direturn-admin-table.js';
import { fullDateTime } from '../shared/format.js';
import { buttons, forms, tokens } from '../shared/styles.js';
import { channelAction, createChannel, listChannels, removeChannel } from './channels-api.js';
import { adminChannelsStyles } from './direturn-admin-channels.styles.js';

/** Kinds an admin can add here: those whose adapter describes its fields (protocol CHANNEL_FIELDS). */
const addableKinds = (): ChannelKind[] => CHANNEL_KINDS.filter((k) => CHANNEL_FIELDS[k].length > 0);

/**
 * @summary Admin: the channel accounts (Telegram bots, mailboxes, WhatsApp numbers, pages) that
 * bring conversations into the console: their health (last event, last error), connect, pause,
 * resume and remove, and a form to add one. Secrets are typed into password fields, sent once and
 * never shown again (the server returns only which are set).
 *
 * @csspart table - The accounts table.
 * @csspart form - The form to add an account.
 * @csspart error - An error message.
 * @csspart status - The result of the last action.
 */
@customElement('direturn-admin-channels')
export class DireturnAdminChannels extends LitElement {
  static override styles = [tokens, buttons, forms, adminChannelsStyles];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;

  @state() private accounts: ChannelAccountDto[] = [];
  @state() private sites: SiteDto[] = [];
  @state() private loading = true;
  @state() private error = '';
  @state() private status = '';
  @state() private formErrors: string[] = [];
  @state() private kind: ChannelKind = addableKinds()[0] ?? 'telegram';
  @state() private confirmingRemove: string | null = null;
  @state() private busy: string | null = null;

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const [accounts, sites] = await Promise.all([listChannels(this.api), this.api.listSites()]);
      this.accounts = accounts;
      this.sites = sites;
      this.error = '';
    } catch (err) {
      this.error = this.failure(err);
    } finally {
      this.loading = false;
    }
  }

  private failure(err: unknown): string {
    if (isApiError(err, 'network_error')) return t('common.errors.network');
    if (isApiError(err, 'forbidden')) return t('admin.errors.forbidden');
    return t('common.errors.generic');
  }

  override render() {
    const kinds = addableKinds();
    return html`
      <h1 tabindex="-1">${t('channels.title')}</h1>
      <p>${t('channels.intro')}</p>
      <div role="alert">${this.error ? html`<p class="error" part="error">${this.error}</p>` : nothing}</div>
      <p role="status" class="success" part="status">${this.status}</p>
      <direturn-admin-table
        .rows=${this.accounts}
        .columns=${this.columns()}
        .loading=${this.loading}
        .rowClass=${(a: ChannelAccountDto) => (a.status === 'paused' ? 'inactive' : '')}
        caption=${t('channels.caption')}
        empty=${t('channels.empty')}
      ></direturn-admin-table>
      <h2 id="channel-create-title">${t('channels.formTitle')}</h2>
      <form part="form" novalidate aria-labelledby="channel-create-title" @submit=${this.create}>
        <label>
          ${t('channels.name')}
          <input name="name" required maxlength="100" dir="auto" autocomplete="off" />
        </label>
        <label>
          ${t('channels.kind')}
          <select name="kind" @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as ChannelKind)}>
            ${kinds.map((k) => html`<option value=${k} ?selected=${k === this.kind}>${t(`channels.kinds.${k}`)}</option>`)}
          </select>
        </label>
        <label>
          ${t('channels.site')}
          <select name="siteId" required>
            ${this.sites.map((s) => html`<option value=${s.id}>${s.name}</option>`)}
          </select>
        </label>
        ${CHANNEL_FIELDS[this.kind].map((f) => this.renderField(f))}
        <p class="hint">${t('channels.secretHint')}</p>
        <div role="alert">
          ${this.formErrors.length ? html`<ul class="error" part="error">${this.formErrors.map((e) => html`<li>${e}</li>`)}</ul>` : nothing}
        </div>
        <div class="actions"><button type="submit" ?disabled=${this.busy === 'create'}>${t('channels.add')}</button></div>
      </form>
    `;
  }

  private renderField(f: ChannelFieldSpec) {
    const id = `field-${f.name}`;
    const hint = t(`channels.fieldHints.${f.name}`, { defaultValue: '' });
    return html`<label>
        ${t(`channels.field.${f.name}`, { defaultValue: f.name })}
        <input
          id=${id}
          name=${`${f.secret ? 'secret' : 'setting'}.${f.name}`}
          type=${f.secret ? 'password' : 'text'}
          autocomplete=${f.secret ? 'new-password' : 'off'}
          spellcheck="false"
          dir="ltr"
          ?required=${f.required}
          maxlength=${f.maxLength ?? 4096}
          aria-describedby=${hint ? `${id}-hint` : nothing}
        />
      </label>
      ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : nothing}`;
  }

  private columns(): AdminTableColumn<ChannelAccountDto>[] {
    const lng = uiLanguage();
    return [
      { header: t('channels.name'), rowHeader: true, dir: 'auto', id: (a) => `channel-${a.id}`, cell: (a) => a.name },
      { header: t('channels.kind'), cell: (a) => t(`channels.kinds.${a.kind}`) },
      { header: t('channels.site'), dir: 'auto', cell: (a) => a.siteName },
      {
        header: t('channels.status'),
        cell: (a) => (a.status === 'active' ? t('channels.statuses.active') : html`<span class="paused">${t('channels.statuses.paused')}</span>`),
      },
      {
        header: t('channels.health'),
        className: 'health',
        cell: (a) => html`<div>${a.lastEventAt ? t('channels.lastEvent', { time: fullDateTime(a.lastEventAt, lng) }) : t('channels.noEvent')}</div>
          ${a.lastError && a.lastErrorAt
            ? html`<div class="last-error">${t('channels.lastError', { time: fullDateTime(a.lastErrorAt, lng) })} <bdi dir="ltr">${a.lastError}</bdi></div>`
            : nothing}
          ${a.webhookUrl ? html`<div class="webhook">${t('channels.webhookUrl')} <bdi class="mono" dir="ltr">${a.webhookUrl}</bdi></div>` : nothing}
          ${a.settings.verifyToken ? html`<div class="webhook">${t('channels.verifyToken')} <bdi class="mono" dir="ltr">${a.settings.verifyToken}</bdi></div>` : nothing}`,
      },
      { header: t('channels.actions'), cell: (a) => this.renderActions(a) },
    ];
  }

  private renderActions(a: ChannelAccountDto) {
    if (this.confirmingRemove === a.id) {
      return html`<div class="actions" role="group" aria-label=${t('channels.confirmRemove', { name: a.name })}>
        <span>${t('channels.confirmRemove', { name: a.name })}</span>
        <button type="button" class="danger" @click=${() => this.removeAccount(a)}>${t('channels.removeYes')}</button>
        <button type="button" class="secondary" @click=${() => (this.confirmingRemove = null)}>${t('common.cancel')}</button>
      </div>`;
    }
    const busy = this.busy === a.id;
    return html`<div class="actions">
      ${a.webhookUrl
        ? html`<button type="button" class="secondary" ?disabled=${busy} aria-describedby=${`channel-${a.id}`} @click=${() => this.act(a, 'connect')}>${t('channels.connect')}</button>`
        : nothing}
      ${a.status === 'active'
        ? html`<button type="button" class="secondary" ?disabled=${busy} aria-describedby=${`channel-${a.id}`} @click=${() => this.act(a, 'pause')}>${t('channels.pause')}</button>`
        : html`<button type="button" class="secondary" ?disabled=${busy} aria-describedby=${`channel-${a.id}`} @click=${() => this.act(a, 'resume')}>${t('channels.resume')}</button>`}
      <button type="button" class="danger" ?disabled=${busy} aria-describedby=${`channel-${a.id}`} @click=${() => (this.confirmingRemove = a.id)}>${t('channels.remove')}</button>
    </div>`;
  }

  private async act(a: ChannelAccountDto, action: 'connect' | 'pause' | 'resume'): Promise<void> {
    this.busy = a.id;
    this.status = '';
    this.error = '';
    try {
      const updated = await channelAction(this.api, a.id, action);
      this.accounts = this.accounts.map((x) => (x.id === updated.id ? updated : x));
      // Meta accounts: the admin enters the address and the verify token at Meta (shown under Health).
      const done = action === 'connect' && updated.settings.verifyToken ? 'connectMeta' : action;
      this.status = t(`channels.done.${done}`, { name: updated.name, url: updated.webhookUrl ?? '' });
    } catch (err) {
      // A refused connect (the provider said why) is on the account's health line after a reload.
      this.error = action === 'connect' && isApiError(err, 'bad_request') ? t('channels.connectFailed', { name: a.name }) : this.failure(err);
      if (action === 'connect') void this.load();
    } finally {
      this.busy = null;
    }
  }

  private async removeAccount(a: ChannelAccountDto): Promise<void> {
    this.confirmingRemove = null;
    this.busy = a.id;
    this.status = '';
    this.error = '';
    try {
      await removeChannel(this.api, a.id);
      this.accounts = this.accounts.filter((x) => x.id !== a.id);
      this.status = t('channels.done.remove', { name: a.name });
    } catch (err) {
      this.error = this.failure(err);
    } finally {
      this.busy = null;
    }
  }

  private issueText(issue: ValidationIssue): string {
    const name = issue.path.split('.').at(-1) ?? issue.path;
    const field = t(`channels.field.${name}`, { defaultValue: t(`channels.${name}`, { defaultValue: name }) });
    return t(`accounts.validation.${issue.code}`, { field, ...(issue.params ?? {}) });
  }

  private readonly create = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const settings: Record<string, string> = {};
    const secrets: Record<string, string> = {};
    for (const [key, value] of data.entries()) {
      const [group, name] = key.split('.');
      if (!name || typeof value !== 'string') continue;
      if (group === 'secret') secrets[name] = value;
      else if (group === 'setting' && value.trim()) settings[name] = value.trim();
    }
    const name = String(data.get('name') ?? '').trim();
    const missing = [
      ...(name ? [] : [t('accounts.validation.required', { field: t('channels.name') })]),
      ...CHANNEL_FIELDS[this.kind].filter((f) => f.required && !(f.secret ? secrets : settings)[f.name]?.trim()).map((f) => t('accounts.validation.required', { field: t(`channels.field.${f.name}`, { defaultValue: f.name }) })),
    ];
    this.status = '';
    if (missing.length) {
      this.formErrors = missing;
      return;
    }
    this.formErrors = [];
    this.busy = 'create';
    try {
      const account = await createChannel(this.api, { kind: this.kind, name, siteId: String(data.get('siteId')), settings, secrets });
      this.accounts = [...this.accounts, account];
      // The secrets leave the page with the form: never kept, never shown again.
      form.reset();
      this.kind = addableKinds()[0] ?? 'telegram';
      this.status = account.webhookUrl ? t('channels.done.createWithWebhook', { name: account.name }) : t('channels.done.create', { name: account.name });
    } catch (err) {
      this.formErrors = isApiError(err) && err.details.length ? err.details.map((d) => this.issueText(d)) : [this.failure(err)];
    } finally {
      this.busy = null;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-admin-channels': DireturnAdminChannels;
  }
}
