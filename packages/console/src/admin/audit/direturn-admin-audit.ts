import type { AuditEntryDto } from '@direturn/protocol';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../../api/api-client.js';
import { isApiError } from '../../api/api-error.js';
import { I18nController, t, uiLanguage } from '../../i18n/i18n.js';
import '../../shared/direturn-admin-table.js';
import type { AdminTableColumn } from '../../shared/direturn-admin-table.js';
import { buttons, forms, tokens } from '../../shared/styles.js';

/** Entries per page. */
export const AUDIT_PAGE_SIZE = 50;

/**
 * @summary Admin: the audit log, newest first — time, agent, action, conversation — with paging to
 * older entries and a filter by conversation id.
 *
 * @csspart table - The audit table.
 * @csspart filter - The conversation filter form.
 * @csspart more - The "older entries" button.
 * @csspart error - An error message.
 */
@customElement('direturn-admin-audit')
export class DireturnAdminAudit extends LitElement {
  static override styles = [
    tokens,
    buttons,
    forms,
    css`
      :host {
        display: block;
      }
      form.filter {
        grid-template-columns: minmax(12rem, 24rem) auto auto;
        align-items: end;
        margin-block-end: var(--_space);
      }
      .more {
        margin-block-start: var(--_space);
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;

  @state() private entries: AuditEntryDto[] = [];
  @state() private loading = true;
  @state() private hasMore = false;
  @state() private error = '';
  @state() private conversationId = '';

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load(false);
  }

  private async load(more: boolean): Promise<void> {
    this.loading = true;
    this.error = '';
    const before = more ? this.entries.at(-1)?.at : undefined;
    try {
      const page = await this.api.listAudit({
        limit: AUDIT_PAGE_SIZE,
        ...(before !== undefined ? { before } : {}),
        ...(this.conversationId ? { conversationId: this.conversationId } : {}),
      });
      this.entries = more ? [...this.entries, ...page] : page;
      this.hasMore = page.length === AUDIT_PAGE_SIZE;
    } catch (err) {
      this.error = isApiError(err, 'bad_request')
        ? t('admin.audit.errors.filter')
        : isApiError(err, 'network_error')
          ? t('common.errors.network')
          : t('common.errors.generic');
    } finally {
      this.loading = false;
    }
  }

  override render() {
    const lng = uiLanguage();
    const time = new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'medium' });
    return html`
      <h1 tabindex="-1">${t('admin.audit.title')}</h1>
      <form class="filter" part="filter" role="search" @submit=${this.filter} novalidate>
        <label>
          ${t('admin.audit.filterLabel')}
          <input name="conversationId" type="text" spellcheck="false" autocomplete="off" maxlength="36" .value=${this.conversationId} />
        </label>
        <button type="submit">${t('admin.audit.filter')}</button>
        ${this.conversationId ? html`<button type="button" class="secondary" @click=${this.clearFilter}>${t('admin.audit.clearFilter')}</button>` : nothing}
      </form>
      <div role="alert">${this.error ? html`<p class="error" part="error">${this.error}</p>` : nothing}</div>
      <direturn-admin-table
        .rows=${this.entries}
        .columns=${this.columns(time)}
        .loading=${this.loading}
        caption=${this.conversationId ? t('admin.audit.captionFiltered', { id: this.conversationId }) : t('admin.audit.caption')}
        empty=${t('admin.audit.empty')}
      ></direturn-admin-table>
      ${this.hasMore
        ? html`<button part="more" class="more secondary" type="button" ?disabled=${this.loading} @click=${() => this.load(true)}>${t('admin.audit.older')}</button>`
        : nothing}
    `;
  }

  private columns(time: Intl.DateTimeFormat): AdminTableColumn<AuditEntryDto>[] {
    return [
      { header: t('admin.audit.time'), cell: (e) => html`<time datetime=${new Date(e.at).toISOString()}>${time.format(e.at)}</time>` },
      { header: t('admin.audit.agent'), dir: 'auto', cell: (e) => e.agentName ?? (e.agentId ? t('admin.audit.removedAgent') : t('admin.audit.system')) },
      { header: t('admin.audit.action'), cell: (e) => t(`admin.audit.actions.${e.action}`, { defaultValue: e.action }) },
      { header: t('admin.audit.conversation'), className: 'mono', cell: (e) => e.conversationId ?? '' },
    ];
  }

  private readonly filter = (e: SubmitEvent): void => {
    e.preventDefault();
    this.conversationId = String(new FormData(e.currentTarget as HTMLFormElement).get('conversationId') ?? '').trim();
    void this.load(false);
  };

  private readonly clearFilter = (): void => {
    this.conversationId = '';
    void this.load(false);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-admin-audit': DireturnAdminAudit;
  }
}
