import { LANGUAGE_CODES, type ColleagueDto, type ConversationSummaryDto, type LanguageCode } from '@direturn/protocol';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import { I18nController, t } from '../i18n/i18n.js';
import { nativeLanguageName } from '../shared/format.js';
import { buttons, tokens } from '../shared/styles.js';
import { handoverDialogStyles } from './handover-dialog.styles.js';
import { WorkApi, type HandoverTarget } from './work-api.js';

/** A conversation changed hands (handover or reassignment). */
export class HandedOverEvent extends Event {
  static readonly eventName = 'direturn-handed-over';
  constructor(readonly conversation: ConversationSummaryDto) {
    super(HandedOverEvent.eventName, { bubbles: true, composed: true });
  }
}
declare global {
  interface GlobalEventHandlersEventMap {
    'direturn-handed-over': HandedOverEvent;
  }
  interface HTMLElementTagNameMap {
    'direturn-handover-dialog': DireturnHandoverDialog;
  }
}

/** Error codes of a handover the dialog explains in words. */
const KNOWN_ERRORS = new Set(['agent_unavailable', 'at_capacity', 'conversation_taken', 'forbidden', 'not_found', 'conversation_closed']);

/**
 * @summary Hands a conversation to a named colleague or back to the queue for a language, with an
 * internal handover note (never shown to the visitor). Supervisors use it to reassign or take over.
 *
 * @fires direturn-handed-over - The conversation changed hands; `event.conversation` is its new summary.
 *
 * @csspart dialog - The modal dialog.
 * @csspart note - The handover note field.
 *
 * @cssprop --direturn-surface - Background of the dialog.
 */
@customElement('direturn-handover-dialog')
export class DireturnHandoverDialog extends LitElement {
  static override styles = [tokens, buttons, handoverDialogStyles];

  @query('dialog') private dialog!: HTMLDialogElement;

  @property({ attribute: false }) api: ApiClient | null = null;
  /** The agent using the dialog: a supervisor who does not hold the conversation reassigns it. */
  @property({ attribute: false }) meId: string | null = null;
  @property({ type: Boolean, attribute: 'as-supervisor' }) asSupervisor = false;

  @state() private conversation: ConversationSummaryDto | null = null;
  @state() private colleagues: ColleagueDto[] = [];
  @state() private target: 'agent' | 'queue' = 'agent';
  @state() private agentId = '';
  @state() private language: LanguageCode = 'de';
  @state() private note = '';
  @state() private busy = false;
  @state() private error = '';

  constructor() {
    super();
    new I18nController(this);
  }

  /** Opens the dialog for `conversation` and loads who can take it. */
  async open(conversation: ConversationSummaryDto): Promise<void> {
    this.conversation = conversation;
    this.language = conversation.language;
    this.note = '';
    this.error = '';
    this.target = 'agent';
    this.agentId = '';
    await this.updateComplete;
    this.dialog.showModal();
    if (!this.api) return;
    try {
      const all = await new WorkApi(this.api).colleagues();
      // Whoever speaks the conversation's language first.
      this.colleagues = all
        .filter((c) => c.id !== conversation.agentId)
        .sort((a, b) => Number(b.languages.includes(conversation.language)) - Number(a.languages.includes(conversation.language)) || a.name.localeCompare(b.name));
      this.agentId = this.colleagues.find((c) => this.takes(c))?.id ?? '';
    } catch (err) {
      this.error = this.message(err);
    }
  }

  close(): void {
    this.dialog?.close();
  }

  /** A colleague who can take it now; a supervisor may exceed the load limit and take it themselves. */
  private takes(c: ColleagueDto): boolean {
    if (this.asSupervisor && c.id === this.meId) return true;
    return c.online && c.availability === 'available' && (this.asSupervisor || c.holding < c.maxParallel);
  }

  private status(c: ColleagueDto): string {
    if (this.asSupervisor && c.id === this.meId) return t('conversationWork.handover.you');
    if (!c.online) return t('conversationWork.availability.offline');
    if (c.availability === 'away') return t('conversationWork.availability.away');
    if (c.holding >= c.maxParallel) return t('conversationWork.handover.full', { holding: c.holding, max: c.maxParallel });
    return t('conversationWork.handover.load', { holding: c.holding, max: c.maxParallel });
  }

  private message(err: unknown): string {
    if (err instanceof ApiError && KNOWN_ERRORS.has(err.code)) return t(`conversationWork.errors.${err.code}`);
    return t('common.errors.generic');
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    if (!this.api || !this.conversation || this.busy) return;
    const to: HandoverTarget = this.target === 'agent' ? { kind: 'agent', agentId: this.agentId } : { kind: 'queue', language: this.language };
    if (to.kind === 'agent' && !to.agentId) {
      this.error = t('conversationWork.handover.pickColleague');
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const moved = await new WorkApi(this.api).handOver(this.conversation.id, to, this.note, this.asSupervisor);
      this.dialog.close();
      this.dispatchEvent(new HandedOverEvent(moved));
    } catch (err) {
      this.error = this.message(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const c = this.conversation;
    return html`<dialog part="dialog" aria-labelledby="handover-title" @close=${() => (this.error = '')}>
      ${c
        ? html`<form @submit=${this.submit}>
            <h2 id="handover-title">${t(this.asSupervisor ? 'conversationWork.handover.reassignTitle' : 'conversationWork.handover.title')}</h2>
            <fieldset>
              <legend>${t('conversationWork.handover.to')}</legend>
              <label class="choice"
                ><input type="radio" name="target" value="agent" .checked=${this.target === 'agent'} @change=${() => (this.target = 'agent')} />
                ${t('conversationWork.handover.toColleague')}</label
              >
              ${this.target === 'agent'
                ? html`<label
                    >${t('conversationWork.handover.colleague')}
                    <select .value=${this.agentId} @change=${(e: Event) => (this.agentId = (e.target as HTMLSelectElement).value)}>
                      <option value="">${t('conversationWork.handover.choose')}</option>
                      ${this.colleagues.map(
                        (col) =>
                          html`<option value=${col.id} ?disabled=${!this.takes(col)} ?selected=${col.id === this.agentId}>
                            ${col.name} — ${col.languages.map((l) => nativeLanguageName(l)).join(', ')} — ${this.status(col)}
                          </option>`,
                      )}
                    </select></label
                  >`
                : nothing}
              <label class="choice"
                ><input type="radio" name="target" value="queue" .checked=${this.target === 'queue'} @change=${() => (this.target = 'queue')} />
                ${t('conversationWork.handover.toQueue')}</label
              >
              ${this.target === 'queue'
                ? html`<label
                    >${t('conversationWork.handover.language')}
                    <select @change=${(e: Event) => (this.language = (e.target as HTMLSelectElement).value as LanguageCode)}>
                      ${LANGUAGE_CODES.map((l) => html`<option value=${l} lang=${l} ?selected=${l === this.language}>${nativeLanguageName(l)}</option>`)}
                    </select></label
                  >`
                : nothing}
            </fieldset>
            <label
              >${t('conversationWork.handover.note')}
              <textarea part="note" maxlength="4000" .value=${this.note} @input=${(e: Event) => (this.note = (e.target as HTMLTextAreaElement).value)}></textarea>
            </label>
            <p class="hint">${t('conversationWork.handover.noteHint')}</p>
            ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
            <div class="actions">
              <button type="button" class="secondary" @click=${() => this.dialog.close()}>${t('conversationWork.cancel')}</button>
              <button type="submit" class="primary" ?disabled=${this.busy}>${t(this.asSupervisor ? 'conversationWork.handover.reassign' : 'conversationWork.handover.submit')}</button>
            </div>
          </form>`
        : nothing}
    </dialog>`;
  }
}
