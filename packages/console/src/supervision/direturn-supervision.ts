import type { ColleagueDto, ConversationSummaryDto, SupervisedConversationDto } from '@direturn/protocol';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/api-client.js';
import '../conversation-work/direturn-handover-dialog.js';
import type { DireturnHandoverDialog } from '../conversation-work/direturn-handover-dialog.js';
import { WorkApi } from '../conversation-work/work-api.js';
import { I18nController, t, uiLanguage } from '../i18n/i18n.js';
import { ClockController } from '../shared/clock.js';
import { formatNumber, nativeLanguageName, relativeTime } from '../shared/format.js';
import { buttons, tokens } from '../shared/styles.js';
import { supervisionStyles } from './supervision.styles.js';

/** How often the view refreshes by itself (the API is the truth; frames do not carry every change). */
const REFRESH_MS = 15_000;

/**
 * @summary Supervisors (admins) see every waiting and active conversation with who holds it since
 * when, and every counsellor's availability and load; they reassign or take over (nothing stays
 * with someone who is away).
 *
 * @csspart conversations - The table of open conversations.
 * @csspart colleagues - The table of counsellors.
 *
 * @cssprop --direturn-warning-soft - Background of a conversation whose holder is away or offline.
 */
@customElement('direturn-supervision')
export class DireturnSupervision extends LitElement {
  static override styles = [tokens, buttons, supervisionStyles];

  @query('direturn-handover-dialog') private dialog!: DireturnHandoverDialog;
  @property({ attribute: false }) api: ApiClient | null = null;
  @property({ attribute: false }) meId: string | null = null;

  @state() private conversations: SupervisedConversationDto[] = [];
  @state() private colleagues: ColleagueDto[] = [];
  @state() private error = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly clock = new ClockController(this);

  constructor() {
    super();
    new I18nController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    if (!this.api) return;
    try {
      const r = await new WorkApi(this.api).supervision();
      this.conversations = r.conversations;
      this.colleagues = r.colleagues;
      this.error = false;
    } catch {
      this.error = true;
    }
  }

  /** The dialog needs a summary; the supervised row has what it uses. */
  private reassign(c: SupervisedConversationDto): void {
    void this.dialog.open({ id: c.id, agentId: c.agentId, language: c.language } as ConversationSummaryDto);
  }

  override render() {
    const lng = uiLanguage();
    const now = this.clock.now;
    return html`<h1 tabindex="-1">${t('conversationWork.supervision.title')}</h1>
      <div class="bar">
        <p class="muted">${t('conversationWork.supervision.intro')}</p>
        <button type="button" class="secondary" @click=${() => this.refresh()}>${t('conversationWork.supervision.refresh')}</button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${t('conversationWork.errors.load')}</p>` : nothing}
      <h2>${t('conversationWork.supervision.conversations')}</h2>
      ${this.conversations.length === 0
        ? html`<p class="muted">${t('conversationWork.supervision.none')}</p>`
        : html`<table part="conversations" @direturn-handed-over=${() => this.refresh()}>
            <thead>
              <tr>
                <th scope="col">${t('conversationWork.supervision.visitor')}</th>
                <th scope="col">${t('conversationWork.supervision.status')}</th>
                <th scope="col">${t('conversationWork.supervision.holder')}</th>
                <th scope="col">${t('conversationWork.supervision.since')}</th>
                <th scope="col">${t('conversationWork.supervision.unread')}</th>
                <th scope="col"><span class="visually-hidden">${t('conversationWork.supervision.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              ${this.conversations.map(
                (c) => html`<tr ?data-stuck=${c.status === 'active' && !c.agentAvailable}>
                  <td>
                    <bdi>${c.pseudonym ?? '—'}</bdi><br /><span class="muted"><bdi>${c.siteName}</bdi> · <span lang=${c.language}>${nativeLanguageName(c.language)}</span></span>
                  </td>
                  <td>${t(`conversationWork.supervision.state.${c.status}`)}</td>
                  <td>
                    ${c.agentName ? html`<bdi>${c.agentName}</bdi>` : '—'}
                    ${c.status === 'active' && !c.agentAvailable ? html`<br /><span class="muted">${t('conversationWork.supervision.holderAway')}</span>` : nothing}
                  </td>
                  <td><time datetime=${new Date(c.since).toISOString()}>${relativeTime(c.since, now, lng)}</time></td>
                  <td>${formatNumber(c.unread, lng)}</td>
                  <td><button type="button" class="secondary" @click=${() => this.reassign(c)}>${t('conversationWork.supervision.reassign')}</button></td>
                </tr>`,
              )}
            </tbody>
          </table>`}
      <h2>${t('conversationWork.supervision.counsellors')}</h2>
      <table part="colleagues">
        <thead>
          <tr>
            <th scope="col">${t('conversationWork.supervision.name')}</th>
            <th scope="col">${t('conversationWork.supervision.state.title')}</th>
            <th scope="col">${t('conversationWork.supervision.load')}</th>
          </tr>
        </thead>
        <tbody>
          ${this.colleagues.map(
            (c) => html`<tr>
              <td><bdi>${c.name}</bdi></td>
              <td>${t(!c.online ? 'conversationWork.availability.offline' : c.availability === 'away' ? 'conversationWork.availability.away' : 'conversationWork.availability.available')}</td>
              <td>${t('conversationWork.availability.load', { holding: c.holding, max: c.maxParallel })}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <direturn-handover-dialog as-supervisor .api=${this.api} .meId=${this.meId} @direturn-handed-over=${() => this.refresh()}></direturn-handover-dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-supervision': DireturnSupervision;
  }
}
