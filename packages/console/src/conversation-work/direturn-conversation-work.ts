import type { AgentDto, ConversationSummaryDto, NoteDto, TopicDto } from '@direturn/protocol';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import { I18nController, t, uiLanguage } from '../i18n/i18n.js';
import { fullDateTime } from '../shared/format.js';
import { buttons, tokens } from '../shared/styles.js';
import { conversationWorkStyles } from './conversation-work.styles.js';
import './direturn-handover-dialog.js';
import type { DireturnHandoverDialog } from './direturn-handover-dialog.js';
import { topicName, WorkApi } from './work-api.js';
import { onNote } from './work-updates.js';

/**
 * @summary The counsellor's side of the open conversation: internal notes (never sent to the
 * visitor, shown apart from the messages), the handover to a colleague or the queue, and topics.
 *
 * @fires direturn-handed-over - From the handover dialog: the conversation changed hands.
 *
 * @csspart notes - The list of internal notes.
 * @csspart note - One internal note.
 * @csspart composer - The form to write a note.
 * @csspart topics - The topic checkboxes.
 *
 * @cssprop --direturn-note-background - Background of an internal note.
 * @cssprop --direturn-note-border - Border of the notes area and of each note.
 */
@customElement('direturn-conversation-work')
export class DireturnConversationWork extends LitElement {
  static override styles = [tokens, buttons, conversationWorkStyles];

  @query('direturn-handover-dialog') private dialog!: DireturnHandoverDialog;

  @property({ attribute: false }) api: ApiClient | null = null;
  @property({ attribute: false }) conversation: ConversationSummaryDto | null = null;
  @property({ attribute: false }) me: AgentDto | null = null;

  @state() private notes: NoteDto[] = [];
  @state() private topics: TopicDto[] = [];
  @state() private draft = '';
  @state() private error = '';
  @state() private busy = false;

  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    new I18nController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = onNote((note) => this.noteArrived(note));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  /** A `note` frame arrived (the socket): shown at once if it belongs here. */
  noteArrived(note: NoteDto): void {
    if (note.conversationId !== this.conversation?.id || this.notes.some((n) => n.id === note.id)) return;
    this.notes = [...this.notes, note];
  }

  private get holds(): boolean {
    return !!this.conversation && !!this.me && this.conversation.agentId === this.me.id;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const before = changed.get('conversation') as ConversationSummaryDto | null | undefined;
    const now = this.conversation;
    // Reload when another conversation opens or this one changed hands.
    if (changed.has('conversation') && (before?.id !== now?.id || before?.agentId !== now?.agentId)) void this.load();
  }

  private async load(): Promise<void> {
    const c = this.conversation;
    this.notes = [];
    this.error = '';
    if (!c || !this.api) return;
    const api = new WorkApi(this.api);
    try {
      const [notes, topics] = await Promise.all([api.notes(c.id), this.topics.length ? Promise.resolve(this.topics) : api.topics()]);
      if (this.conversation?.id !== c.id) return;
      this.notes = notes;
      this.topics = topics;
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'not_found')) this.error = t('conversationWork.errors.load');
    }
  }

  private async addNote(e: Event): Promise<void> {
    e.preventDefault();
    const c = this.conversation;
    if (!c || !this.api || !this.draft.trim() || this.busy) return;
    this.busy = true;
    try {
      this.noteArrived(await new WorkApi(this.api).addNote(c.id, this.draft));
      this.draft = '';
      this.error = '';
    } catch {
      this.error = t('conversationWork.errors.note');
    } finally {
      this.busy = false;
    }
  }

  private async toggleTopic(topicId: string, on: boolean): Promise<void> {
    const c = this.conversation;
    if (!c || !this.api) return;
    const ids = new Set(c.topicIds ?? []);
    if (on) ids.add(topicId);
    else ids.delete(topicId);
    try {
      this.conversation = await new WorkApi(this.api).setTopics(c.id, [...ids]);
    } catch {
      this.error = t('conversationWork.errors.topics');
    }
  }

  private describe(n: NoteDto) {
    if (n.kind === 'note') return t('conversationWork.notes.by', { name: n.agentName ?? t('conversationWork.notes.someone') });
    if (n.agentId === null) return t('conversationWork.notes.requeuedBySystem');
    return n.toAgentId
      ? t('conversationWork.notes.handedTo', { from: n.agentName ?? t('conversationWork.notes.someone'), to: n.toAgentName ?? t('conversationWork.notes.someone') })
      : t('conversationWork.notes.handedToQueue', { from: n.agentName ?? t('conversationWork.notes.someone') });
  }

  override render() {
    const c = this.conversation;
    if (!c) return nothing;
    const writable = this.holds && c.status === 'active';
    const offered = this.topics.filter((tp) => !tp.archived || c.topicIds?.includes(tp.id));
    return html`<section aria-labelledby="notes-title">
      <header>
        <div>
          <h2 id="notes-title">${t('conversationWork.notes.title')}</h2>
          <p class="internal">${t('conversationWork.notes.internal')}</p>
        </div>
        ${writable ? html`<button type="button" class="secondary" @click=${() => this.dialog.open(c)}>${t('conversationWork.handover.open')}</button>` : nothing}
      </header>
      ${this.notes.length
        ? html`<ol part="notes" aria-live="polite">
            ${this.notes.map(
              (n) => html`<li part="note" data-kind=${n.kind}>
                <div class="meta">
                  <span class="badge">${t(n.kind === 'handover' ? 'conversationWork.notes.handover' : 'conversationWork.notes.note')}</span>
                  <span><bdi>${this.describe(n)}</bdi></span>
                  <time datetime=${new Date(n.createdAt).toISOString()}>${fullDateTime(n.createdAt, uiLanguage())}</time>
                </div>
                ${n.body ? html`<p class="body" dir="auto">${n.body}</p>` : nothing}
              </li>`,
            )}
          </ol>`
        : html`<p class="empty">${t('conversationWork.notes.empty')}</p>`}
      ${writable
        ? html`<form part="composer" @submit=${this.addNote}>
            <label for="note">${t('conversationWork.notes.add')}</label>
            <textarea id="note" dir="auto" maxlength="4000" .value=${this.draft} @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)}></textarea>
            <div class="row"><button type="submit" ?disabled=${this.busy || !this.draft.trim()}>${t('conversationWork.notes.save')}</button></div>
          </form>`
        : nothing}
      ${this.holds && c.status !== 'waiting' && offered.length
        ? html`<fieldset class="topics" part="topics">
            <legend>${t('conversationWork.topics.title')}</legend>
            ${offered.map(
              (tp) => html`<label class="row"
                ><input type="checkbox" .checked=${c.topicIds?.includes(tp.id) ?? false} @change=${(e: Event) => this.toggleTopic(tp.id, (e.target as HTMLInputElement).checked)} />
                <bdi>${topicName(tp, t)}</bdi></label
              >`,
            )}
          </fieldset>`
        : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <direturn-handover-dialog .api=${this.api} .meId=${this.me?.id ?? null}></direturn-handover-dialog>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-conversation-work': DireturnConversationWork;
  }
}
