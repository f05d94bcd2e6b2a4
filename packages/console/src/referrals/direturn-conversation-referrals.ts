import type { LanguageCode, ReferralDto } from '@direturn/protocol';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { I18nController, t, uiLanguage } from '../i18n/i18n.js';
import { buttons, forms, tokens } from '../shared/styles.js';
import './direturn-refer-dialog.js';
import type { DireturnReferDialog, ReferralProposedEvent } from './direturn-refer-dialog.js';
import { onReferral } from './referral-updates.js';
import './direturn-referral-timeline.js';

/**
 * @summary The referrals of the open conversation, in its header: the Refer action (for the
 * counsellor who has taken it), each referral's office and status over time, cancel while the
 * visitor has not answered, send again when the mail failed. Live through the agent socket.
 *
 * @csspart refer - The Refer button.
 * @csspart list - The referrals of this conversation.
 */
@customElement('direturn-conversation-referrals')
export class DireturnConversationReferrals extends LitElement {
  static override styles = [
    tokens,
    buttons,
    forms,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0.5rem 0 0;
        padding: 0;
        display: grid;
        gap: 0.35rem;
      }
      li {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 0.35rem 0.6rem;
        font-size: 0.875rem;
      }
      li.action {
        border-color: var(--_danger);
        background: var(--_danger-soft);
      }
      .line {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
        align-items: center;
      }
      .status {
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;
  @property({ attribute: false }) conversationId = '';
  @property({ attribute: false }) language: LanguageCode = 'de';
  /** Visitor message texts, to prefill the postcode. */
  @property({ attribute: false }) postcode = '';
  /** The counsellor has taken the conversation and may refer. */
  @property({ type: Boolean, attribute: 'can-refer' }) canRefer = false;

  @state() private referrals: ReferralDto[] = [];
  @state() private error = '';

  @query('direturn-refer-dialog') private dialog!: DireturnReferDialog;

  private readonly i18n = new I18nController(this);
  private off: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.off = onReferral((r) => {
      if (r.conversationId !== this.conversationId) return;
      const exists = this.referrals.some((x) => x.id === r.id);
      this.referrals = exists ? this.referrals.map((x) => (x.id === r.id ? r : x)) : [...this.referrals, r];
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.off?.();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversationId')) {
      this.referrals = [];
      if (this.conversationId) void this.load();
    }
  }

  private async load(): Promise<void> {
    const id = this.conversationId;
    try {
      const list = await this.api.listReferrals({ conversationId: id });
      if (id === this.conversationId) this.referrals = list;
    } catch {
      // The conversation view works without: referrals appear as frames arrive.
    }
  }

  override render() {
    const time = new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'short', timeStyle: 'short' });
    return html`${this.canRefer
        ? html`<button part="refer" type="button" class="secondary" @click=${() => this.dialog.open()}>${t('referrals.refer')}</button>
            <direturn-refer-dialog
              .api=${this.api}
              .conversationId=${this.conversationId}
              .language=${this.language}
              .postcode=${this.postcode}
              @direturn-referral-proposed=${this.onProposed}
            ></direturn-refer-dialog>`
        : nothing}
      <div role="alert">${this.error ? html`<p class="error">${this.error}</p>` : nothing}</div>
      ${this.referrals.length
        ? html`<ul part="list" aria-label=${t('referrals.listLabel')}>
            ${this.referrals.map(
              (r) => html`<li class=${r.needsAction ? 'action' : ''}>
                <div class="line">
                  <span dir="auto">${r.office.name}</span>
                  <span class="status">${t(`referrals.status.${r.status}`)}</span>
                  <time datetime=${new Date(r.updatedAt).toISOString()}>${time.format(r.updatedAt)}</time>
                  ${r.needsAction ? html`<span>${t(`referrals.action.${r.status}`, { defaultValue: '' })}</span>` : nothing}
                  ${r.status === 'proposed' ? html`<button type="button" class="secondary" @click=${() => this.cancel(r)}>${t('referrals.cancel')}</button>` : nothing}
                  ${r.status === 'failed' ? html`<button type="button" @click=${() => this.retry(r)}>${t('referrals.retry')}</button>` : nothing}
                </div>
                <direturn-referral-timeline .referral=${r}></direturn-referral-timeline>
              </li>`,
            )}
          </ul>`
        : nothing}`;
  }

  private readonly onProposed = (e: ReferralProposedEvent): void => {
    if (!this.referrals.some((r) => r.id === e.referral.id)) this.referrals = [...this.referrals, e.referral];
    this.renderRoot.querySelector<HTMLElement>('button[part="refer"]')?.focus();
  };

  private async cancel(r: ReferralDto): Promise<void> {
    await this.act(() => this.api.cancelReferral(r.id));
  }

  private async retry(r: ReferralDto): Promise<void> {
    await this.act(() => this.api.retryReferral(r.id));
  }

  private async act(call: () => Promise<ReferralDto>): Promise<void> {
    this.error = '';
    try {
      const updated = await call();
      this.referrals = this.referrals.map((x) => (x.id === updated.id ? updated : x));
    } catch {
      this.error = t('common.errors.generic');
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-conversation-referrals': DireturnConversationReferrals;
  }
}
