import { LANGUAGE_CODES, type ConversationSearchFilters, type ConversationSummaryDto, type SiteDto, type TopicDto } from '@direturn/protocol';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import { topicName, WorkApi } from '../conversation-work/work-api.js';
import { OpenConversationEvent } from '../events/events.js';
import { I18nController, t, uiLanguage } from '../i18n/i18n.js';
import { fullDateTime, nativeLanguageName } from '../shared/format.js';
import { buttons, tokens } from '../shared/styles.js';
import { conversationSearchStyles } from './conversation-search.styles.js';

/** `yyyy-mm-dd` of a date input → epoch ms at the start of that local day. */
const dayStart = (value: string): number | undefined => (value ? new Date(`${value}T00:00:00`).getTime() : undefined);

/**
 * @summary Find & filter: every conversation the agent may see (the queue, their own, and for
 * supervisors all), closed ones too until retention deletes them, by status, language, site, topic
 * and date.
 *
 * @fires direturn-open-conversation - The agent opened a result; `event.conversationId` names it.
 *
 * @csspart filters - The filter form.
 * @csspart results - The list of results.
 *
 * @cssprop --direturn-surface - Background of the form and of each result.
 */
@customElement('direturn-conversation-search')
export class DireturnConversationSearch extends LitElement {
  static override styles = [tokens, buttons, conversationSearchStyles];

  @property({ attribute: false }) api: ApiClient | null = null;

  @state() private filters: ConversationSearchFilters = {};
  @state() private fromDay = '';
  @state() private toDay = '';
  @state() private results: ConversationSummaryDto[] = [];
  @state() private nextBefore: number | null = null;
  @state() private topics: TopicDto[] = [];
  @state() private sites: SiteDto[] = [];
  @state() private searched = false;
  @state() private error = '';

  constructor() {
    super();
    new I18nController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.api) return;
    const api = this.api;
    void new WorkApi(api).topics().then((topics) => (this.topics = topics), () => undefined);
    // Only admins may list sites; others filter without.
    void api.listSites().then((sites) => (this.sites = sites), () => undefined);
    void this.search();
  }

  private set(key: keyof ConversationSearchFilters, value: string): void {
    this.filters = { ...this.filters, [key]: value || undefined };
  }

  private async search(more = false): Promise<void> {
    if (!this.api) return;
    const to = dayStart(this.toDay);
    const filters: ConversationSearchFilters = { ...this.filters, from: dayStart(this.fromDay), to: to === undefined ? undefined : to + 86_400_000 };
    try {
      const r = await new WorkApi(this.api).search(filters, more ? (this.nextBefore ?? undefined) : undefined);
      this.results = more ? [...this.results, ...r.conversations] : r.conversations;
      this.nextBefore = r.nextBefore;
      this.searched = true;
      this.error = '';
    } catch (err) {
      this.error = err instanceof ApiError && err.code === 'bad_request' ? t('conversationWork.search.invalid') : t('conversationWork.errors.load');
    }
  }

  override render() {
    const lng = uiLanguage();
    const topicById = new Map(this.topics.map((tp) => [tp.id, tp]));
    return html`<h1 tabindex="-1">${t('conversationWork.search.title')}</h1>
      <form
        part="filters"
        role="search"
        @submit=${(e: Event) => {
          e.preventDefault();
          void this.search();
        }}
      >
        <label
          >${t('conversationWork.search.status')}
          <select @change=${(e: Event) => this.set('status', (e.target as HTMLSelectElement).value)}>
            <option value="">${t('conversationWork.search.any')}</option>
            ${(['waiting', 'active', 'closed'] as const).map((s) => html`<option value=${s}>${t(`conversationWork.supervision.state.${s}`)}</option>`)}
          </select></label
        >
        <label
          >${t('conversationWork.search.language')}
          <select @change=${(e: Event) => this.set('language', (e.target as HTMLSelectElement).value)}>
            <option value="">${t('conversationWork.search.any')}</option>
            ${LANGUAGE_CODES.map((l) => html`<option value=${l} lang=${l}>${nativeLanguageName(l)}</option>`)}
          </select></label
        >
        ${this.sites.length
          ? html`<label
              >${t('conversationWork.search.site')}
              <select @change=${(e: Event) => this.set('site', (e.target as HTMLSelectElement).value)}>
                <option value="">${t('conversationWork.search.any')}</option>
                ${this.sites.map((s) => html`<option value=${s.id}>${s.name}</option>`)}
              </select></label
            >`
          : nothing}
        <label
          >${t('conversationWork.search.topic')}
          <select @change=${(e: Event) => this.set('topic', (e.target as HTMLSelectElement).value)}>
            <option value="">${t('conversationWork.search.any')}</option>
            ${this.topics.map((tp) => html`<option value=${tp.id}>${topicName(tp, t)}</option>`)}
          </select></label
        >
        <label>${t('conversationWork.search.from')} <input type="date" .value=${this.fromDay} @change=${(e: Event) => (this.fromDay = (e.target as HTMLInputElement).value)} /></label>
        <label>${t('conversationWork.search.to')} <input type="date" .value=${this.toDay} @change=${(e: Event) => (this.toDay = (e.target as HTMLInputElement).value)} /></label>
        <button type="submit">${t('conversationWork.search.submit')}</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <p class="muted" role="status">${this.searched ? t('conversationWork.search.count', { count: this.results.length }) : ''}</p>
      <ol part="results">
        ${this.results.map(
          (c) => html`<li>
            <button type="button" @click=${() => this.dispatchEvent(new OpenConversationEvent(c.id))}>
              <span><bdi>${c.pseudonym ?? '—'}</bdi> · <bdi>${c.siteName}</bdi> · <span lang=${c.language}>${nativeLanguageName(c.language)}</span></span>
              <span class="meta"
                >${t(`conversationWork.supervision.state.${c.status}`)} · ${fullDateTime(c.createdAt, lng)}${c.agentName ? html` · <bdi>${c.agentName}</bdi>` : nothing}
                ${(c.topicIds ?? []).map((id) => (topicById.get(id) ? html` · <bdi>${topicName(topicById.get(id)!, t)}</bdi>` : nothing))}</span
              >
              ${c.lastMessage ?? c.firstMessage ? html`<span class="preview" dir="auto">${c.lastMessage ?? c.firstMessage}</span>` : nothing}
            </button>
          </li>`,
        )}
      </ol>
      ${this.nextBefore !== null ? html`<button type="button" class="secondary" @click=${() => this.search(true)}>${t('conversationWork.search.more')}</button>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-conversation-search': DireturnConversationSearch;
  }
}
