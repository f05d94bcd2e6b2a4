import { CALLBACK_LIMITS, CALLBACK_OUTCOMES, LANGUAGES, type AgentDto, type CallbackDto, type CallbackOutcome, type CallbackWindowDto } from '@direturn/protocol';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import type { SessionController } from '../app/session-controller.js';
import { I18nController, t, uiLanguage } from '../i18n/i18n.js';
import '../shared/direturn-admin-table.js';
import type { AdminTableColumn } from '../shared/direturn-admin-table.js';
import { buttons, forms, tokens } from '../shared/styles.js';
import { callbacksStyles } from './direturn-callbacks.styles.js';
import { claimCallback, getCallback, listCallbacks, recordOutcome, releaseCallback } from './callbacks-api.js';
import { onCallback } from './callback-updates.js';

type Filter = 'open' | 'mine' | 'closed';
interface Notice { kind: 'info' | 'error'; text: string }

/** Serbian is shipped in Latin script; Intl's plain `sr` would write Cyrillic. */
const intlLocale = (lang: string) => (lang === 'sr' ? 'sr-Latn' : lang);

/**
 * @summary Callback requests (issue 16): the open ones by due time window (in the counsellor's
 * time zone, the visitor's beside it when it differs) with the language to speak and the topic,
 * how many wait; claim (one counsellor only: a colleague who was first wins), the number only
 * after claiming (a tel: link), then the outcome with a note. Finished ones under "done".
 *
 * @csspart table - The callback table.
 * @csspart counts - How many wait, how many are yours.
 * @csspart number - The number to call (the claimer only).
 * @csspart outcome - The outcome form.
 */
@customElement('direturn-callbacks')
export class DireturnCallbacks extends LitElement {
  static override styles = [tokens, buttons, forms, callbacksStyles];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;
  @property({ attribute: false }) me: AgentDto | null = null;
  @property({ attribute: false }) session: SessionController | undefined;

  @state() private filter: Filter = 'open';
  /** Waiting and claimed ones (the counts come from here, whatever the filter). */
  @state() private open: CallbackDto[] = [];
  @state() private closed: CallbackDto[] = [];
  @state() private loading = true;
  @state() private notice: Notice | null = null;
  /** Numbers (and notes) of the callbacks this counsellor holds, as their claim returned them. */
  @state() private held = new Map<string, CallbackDto>();
  @state() private busy: string | null = null;

  private readonly i18n = new I18nController(this);
  private off: (() => void) | undefined;
  private readonly zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  override connectedCallback(): void {
    super.connectedCallback();
    this.off = onCallback((c) => this.apply(c));
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.off?.();
  }

  /** A row as the server now has it (a frame, or an answer). Numbers stay only with their claimer. */
  private apply(c: CallbackDto): void {
    const others = this.open.filter((x) => x.id !== c.id);
    this.open = c.status === 'closed' ? others : [...others, c].sort((a, b) => a.dueAt - b.dueAt || a.createdAt - b.createdAt);
    if (c.status === 'closed') this.closed = [c, ...this.closed.filter((x) => x.id !== c.id)];
    const mine = c.status === 'claimed' && c.agentId === this.me?.id;
    if (!mine && this.held.has(c.id)) {
      const held = new Map(this.held);
      held.delete(c.id);
      this.held = held;
    } else if (mine && c.phone) this.held = new Map(this.held).set(c.id, c);
    else if (mine && !this.held.has(c.id)) void this.fetchHeld(c.id);
  }

  /** A callback this counsellor holds but whose number this page has not seen (after a reload). */
  private async fetchHeld(id: string): Promise<void> {
    try {
      const c = await getCallback(this.api, id);
      if (c.phone) this.held = new Map(this.held).set(id, c);
    } catch (err) {
      this.fail(err);
    }
  }

  private async load(): Promise<void> {
    this.loading = true;
    try {
      const open = await listCallbacks(this.api, 'open');
      this.open = open;
      if (this.filter === 'closed') this.closed = await listCallbacks(this.api, 'closed');
      for (const c of open) if (c.status === 'claimed' && c.agentId === this.me?.id && !this.held.has(c.id)) void this.fetchHeld(c.id);
    } catch (err) {
      this.fail(err);
    } finally {
      this.loading = false;
    }
  }

  private fail(err: unknown): void {
    if (this.session?.handle(err)) return;
    this.notice = { kind: 'error', text: isApiError(err, 'network_error') ? t('common.errors.network') : t('common.errors.generic') };
  }

  private setFilter(f: Filter): void {
    this.filter = f;
    if (f === 'closed') void this.load();
  }

  private async claim(c: CallbackDto): Promise<void> {
    this.busy = c.id;
    this.notice = null;
    try {
      const claimed = await claimCallback(this.api, c.id);
      this.apply(claimed);
      this.notice = { kind: 'info', text: t('callbacks.claimed') };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#number-${c.id}`)?.focus();
    } catch (err) {
      if (isApiError(err, 'callback_taken') || isApiError(err, 'not_found')) {
        this.notice = { kind: 'error', text: t(isApiError(err, 'callback_taken') ? 'callbacks.errors.taken' : 'callbacks.errors.gone') };
        await this.load();
      } else this.fail(err);
    } finally {
      this.busy = null;
    }
  }

  private async release(c: CallbackDto): Promise<void> {
    this.busy = c.id;
    try {
      this.apply(await releaseCallback(this.api, c.id));
      this.notice = { kind: 'info', text: t('callbacks.released') };
    } catch (err) {
      this.fail(err);
    } finally {
      this.busy = null;
    }
  }

  private async submitOutcome(event: SubmitEvent, c: CallbackDto): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const outcome = data.get('outcome') as CallbackOutcome | null;
    if (!outcome) {
      this.notice = { kind: 'error', text: t('callbacks.errors.chooseOutcome') };
      form.querySelector<HTMLInputElement>('input[name="outcome"]')?.focus();
      return;
    }
    this.busy = c.id;
    try {
      const after = await recordOutcome(this.api, c.id, outcome, String(data.get('note') ?? ''));
      this.apply(after);
      this.notice = { kind: 'info', text: t(outcome === 'not_reached' ? 'callbacks.savedRetry' : 'callbacks.savedDone') };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
    } catch (err) {
      if (isApiError(err, 'callback_taken') || isApiError(err, 'forbidden')) {
        this.notice = { kind: 'error', text: t('callbacks.errors.changed') };
        await this.load();
      } else this.fail(err);
    } finally {
      this.busy = null;
    }
  }

  // ---- rendering ----

  private languageName(code: string): string {
    const shipped = LANGUAGES.find((l) => l.code === code);
    if (shipped) return shipped.nativeName;
    try {
      return new Intl.DisplayNames([intlLocale(uiLanguage()), 'en'], { type: 'language' }).of(code) ?? code;
    } catch {
      return code;
    }
  }

  private range(w: CallbackWindowDto, timeZone?: string): string {
    return new Intl.DateTimeFormat(intlLocale(uiLanguage()), { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', ...(timeZone ? { timeZone } : {}) }).formatRange(w.start, w.end);
  }

  private renderWindows(c: CallbackDto) {
    const now = Date.now();
    const otherZone = c.timeZone !== this.zone;
    return html`<ul class="windows">
      ${c.windows.map(
        (w) => html`<li class=${w.end <= now ? 'past' : ''}>
          <span>${this.range(w)}</span>
          ${otherZone ? html`<span class="visitor-time">${t('callbacks.visitorTime', { time: this.range(w, c.timeZone), zone: c.timeZone })}</span>` : nothing}
          ${w.end <= now ? html`<span class="tag">${t('callbacks.windowOver')}</span>` : nothing}
        </li>`,
      )}
    </ul>`;
  }

  private statusText(c: CallbackDto): string {
    if (c.status === 'closed') return t(`callbacks.outcomes.${c.outcome ?? 'done'}`);
    if (c.status === 'claimed') return c.agentId === this.me?.id ? t('callbacks.status.yours') : t('callbacks.status.claimedBy', { name: c.agentName ?? '–' });
    return t('callbacks.status.waiting');
  }

  private columns(): AdminTableColumn<CallbackDto>[] {
    const time = new Intl.DateTimeFormat(intlLocale(uiLanguage()), { dateStyle: 'medium', timeStyle: 'short' });
    const closed = this.filter === 'closed';
    return [
      { header: closed ? t('callbacks.columns.closed') : t('callbacks.columns.due'), cell: (c) => (closed ? time.format(c.closedAt ?? c.createdAt) : this.renderWindows(c)) },
      { header: t('callbacks.columns.language'), cell: (c) => html`<span lang=${c.language}>${this.languageName(c.language)}</span>`, rowHeader: true },
      { header: t('callbacks.columns.topic'), dir: 'auto', cell: (c) => c.topic ?? '–' },
      {
        header: t('callbacks.columns.status'),
        cell: (c) => html`<strong>${this.statusText(c)}</strong>
          ${c.attempts > 0 ? html`<br /><span class="hint">${t('callbacks.attempts', { count: c.attempts })}</span>` : nothing}
          ${c.callsFrom && c.status !== 'closed' ? html`<br /><span class="hint">${t('callbacks.askedWhileClosed')}</span>` : nothing}`,
      },
      { header: html`<span class="visually-hidden">${t('callbacks.columns.actions')}</span>`, cell: (c) => this.actions(c) },
    ];
  }

  private actions(c: CallbackDto) {
    if (c.status === 'waiting') {
      return html`<button type="button" part="claim" ?disabled=${this.busy === c.id} @click=${() => this.claim(c)} aria-label=${t('callbacks.claimLabel', { language: this.languageName(c.language) })}>
        ${t('callbacks.claim')}
      </button>`;
    }
    if (c.status === 'claimed' && (c.agentId === this.me?.id || this.me?.role === 'admin')) {
      return html`<button type="button" class="secondary" ?disabled=${this.busy === c.id} @click=${() => this.release(c)}>${t('callbacks.release')}</button>`;
    }
    return nothing;
  }

  /** Under a callback this counsellor holds: the number, the conversation, the outcome form. */
  private detail(c: CallbackDto) {
    if (c.status !== 'claimed' || c.agentId !== this.me?.id) return nothing;
    const held = this.held.get(c.id);
    return html`<div class="held">
      <p class="number">
        ${t('callbacks.number')}
        ${held?.phone
          ? html`<a id="number-${c.id}" part="number" dir="ltr" href="tel:${held.phone}">${held.phoneDisplay ?? held.phone}</a>`
          : html`<span class="hint">…</span>`}
        <a class="conversation" href="#/conversations/${c.conversationId}">${t('callbacks.openConversation')}</a>
      </p>
      <form part="outcome" novalidate @submit=${(e: SubmitEvent) => this.submitOutcome(e, c)}>
        <fieldset>
          <legend>${t('callbacks.outcomeLegend')}</legend>
          ${CALLBACK_OUTCOMES.map(
            (o) => html`<label class="check"><input type="radio" name="outcome" value=${o} required /> ${t(`callbacks.choices.${o}`)}</label>`,
          )}
        </fieldset>
        <label
          >${t('callbacks.note')}
          <textarea name="note" rows="3" dir="auto" maxlength=${CALLBACK_LIMITS.noteMaxChars} .value=${held?.note ?? ''}></textarea>
        </label>
        <p class="hint">${t('callbacks.noteHint')}</p>
        <div><button type="submit" ?disabled=${this.busy === c.id}>${t('callbacks.save')}</button></div>
      </form>
    </div>`;
  }

  override render() {
    const waiting = this.open.filter((c) => c.status === 'waiting').length;
    const mine = this.open.filter((c) => c.status === 'claimed' && c.agentId === this.me?.id).length;
    const rows = this.filter === 'closed' ? this.closed : this.filter === 'mine' ? this.open.filter((c) => c.status === 'claimed' && c.agentId === this.me?.id) : this.open;
    return html`<h1 tabindex="-1">${t('callbacks.title')}</h1>
      <p class="counts" part="counts" role="status">${t('callbacks.counts', { waiting, mine })}</p>
      <p class="hint">${t('callbacks.zoneHint', { zone: this.zone })}</p>
      <div class="filters" role="group" aria-label=${t('callbacks.filterLabel')}>
        ${(['open', 'mine', 'closed'] as const).map(
          (f) => html`<button type="button" class="secondary" aria-pressed=${this.filter === f ? 'true' : 'false'} @click=${() => this.setFilter(f)}>${t(`callbacks.filters.${f}`)}</button>`,
        )}
      </div>
      <div role="alert">${this.notice?.kind === 'error' ? html`<p class="error">${this.notice.text}</p>` : nothing}</div>
      <div role="status">${this.notice?.kind === 'info' ? html`<p class="info">${this.notice.text}</p>` : nothing}</div>
      <direturn-admin-table
        .rows=${rows}
        .columns=${this.columns()}
        .loading=${this.loading}
        .detail=${(c: CallbackDto) => this.detail(c)}
        .rowClass=${(c: CallbackDto) => (c.status === 'claimed' && c.agentId === this.me?.id ? 'mine' : '')}
        caption=${t(`callbacks.captions.${this.filter}`)}
        empty=${t(`callbacks.empty.${this.filter}`)}
      ></direturn-admin-table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-callbacks': DireturnCallbacks;
  }
}
