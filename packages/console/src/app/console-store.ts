/**
 * The console's state of conversations, grown from the pure helpers of `conversation-state.ts`:
 * the queue, one's own conversations, the open conversation, the outbox, typing, the socket's
 * state, the notice and the screen-reader announcement. It owns the agent socket and applies
 * its frames; screens read the state and call the actions. Nothing here renders.
 *
 * Events: `change` (anything changed), `new-waiting` (`CustomEvent<ConversationSummaryDto>`: a
 * conversation entered the queue), `new-message` (`CustomEvent<{conversation, message}>`: a
 * visitor wrote in one of one's own conversations); the notifier listens to the last two.
 */
import { TYPING } from '@direturn/protocol';
import type { AgentDto, AgentServerFrame, ConversationSummaryDto, MessageDeliveryDto, MessageDto } from '@direturn/protocol';
import type { ApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import type { OutgoingMessage } from '../conversation/direturn-conversation-view.js';
import { t } from '../i18n/i18n.js';
import { AgentSocket, type PendingSend, type SocketState } from '../realtime/agent-socket.js';
import { publishReferral } from '../referrals/referral-updates.js';
import { publishCallback } from '../callbacks/callback-updates.js';
import { publishAvailability, publishNote } from '../conversation-work/work-updates.js';
import { downloadFile } from '../shared/download.js';
import { consoleCalls } from '../call/console-calls.js';
import { applyDelivery, applyMessage, mergeMessages, removeConversation, sortMine, sortQueue, upsertConversation } from './conversation-state.js';
import type { SessionController } from './session-controller.js';

export interface Notice {
  kind: 'info' | 'error';
  text: string;
}

export interface StoreHooks {
  /** Resolves once what changed is rendered (announcements are set after a clear). */
  rendered(): Promise<unknown>;
  /** Focus the open conversation's composer. */
  focusComposer(): Promise<void>;
  /** The open conversation changed (for the address). */
  opened(conversationId: string | null): void;
}

export interface NewMessageDetail {
  conversation: ConversationSummaryDto;
  message: MessageDto;
}

export class ConsoleStore extends EventTarget {
  queue: ConversationSummaryDto[] = [];
  mine: ConversationSummaryDto[] = [];
  claiming: ReadonlySet<string> = new Set();
  openId: string | null = null;
  openConversation: ConversationSummaryDto | null = null;
  openMessages: MessageDto[] = [];
  openLoading = false;
  outbox: readonly PendingSend[] = [];
  failed: (OutgoingMessage & { conversationId: string })[] = [];
  typing: ReadonlySet<string> = new Set();
  connection: SocketState = 'offline';
  notice: Notice | null = null;
  announcement = '';
  mobileView: 'list' | 'conversation' = 'list';

  private socket: AgentSocket | null = null;
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private openRequest = 0;
  private liveUpdates: Map<string, ConversationSummaryDto> | null = null;
  /** Delivery reports that overtook their reply's ack (few, short-lived). */
  private readonly earlyDeliveries = new Map<string, MessageDeliveryDto>();
  private readyCount = 0;

  constructor(
    private readonly api: () => ApiClient,
    private readonly createSocket: () => AgentSocket,
    private readonly session: Pick<SessionController, 'handle' | 'verify' | 'ended' | 'enrol' | 'agent' | 'phase'>,
    private readonly hooks: StoreHooks,
  ) {
    super();
  }

  private get me(): AgentDto | null {
    return this.session.agent;
  }

  // ---- lifecycle ----

  /** Opens the socket and loads the lists. */
  async start(): Promise<void> {
    this.startSocket();
    await this.reloadLists();
  }

  /** Forgets everything of the session (login, enrolment). */
  reset(): void {
    this.stopSocket();
    this.queue = [];
    this.mine = [];
    this.openRequest++;
    this.openId = null;
    this.openConversation = null;
    this.openMessages = [];
    this.openLoading = false;
    this.outbox = [];
    this.failed = [];
    this.typing = new Set();
    this.mobileView = 'list';
    this.changed();
  }

  /** Logout: unsent replies must not go out under the next sign-in. */
  clearOutbox(): void {
    this.socket?.clearOutbox();
  }

  showNotice(kind: Notice['kind'], text: string): void {
    this.notice = { kind, text };
    this.changed();
  }

  dismissNotice(): void {
    this.notice = null;
    this.changed();
  }

  announce(text: string): void {
    // Clear first so repeating the same text is announced again.
    this.announcement = '';
    this.changed();
    void this.hooks.rendered().then(() => {
      this.announcement = text;
      this.changed();
    });
  }

  /** Waiting conversations plus unread messages in one's own: what needs attention. */
  get attentionCount(): number {
    return this.queue.length + this.mine.reduce((sum, c) => sum + c.unread, 0);
  }

  // ---- socket ----

  private startSocket(): void {
    this.stopSocket();
    const socket = this.createSocket();
    this.socket = socket;
    this.readyCount = 0;
    socket.addEventListener('state', this.onSocketState);
    socket.addEventListener('frame', this.onFrame);
    socket.addEventListener('message', this.onMessage);
    socket.addEventListener('outbox', this.onOutbox);
    socket.addEventListener('send-error', this.onSendError);
    socket.addEventListener('ready', this.onReady);
    socket.addEventListener('session-ended', this.onSessionEnded);
    this.connection = socket.state;
    consoleCalls.connect((frame) => socket.sendCall(frame));
    socket.connect();
    this.changed();
  }

  private stopSocket(): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    socket.removeEventListener('state', this.onSocketState);
    socket.removeEventListener('frame', this.onFrame);
    socket.removeEventListener('message', this.onMessage);
    socket.removeEventListener('outbox', this.onOutbox);
    socket.removeEventListener('send-error', this.onSendError);
    socket.removeEventListener('ready', this.onReady);
    socket.removeEventListener('session-ended', this.onSessionEnded);
    socket.disconnect();
    consoleCalls.reset();
    consoleCalls.connect(null);
    this.connection = 'offline';
    for (const timer of this.typingTimers.values()) clearTimeout(timer);
    this.typingTimers.clear();
    this.changed();
  }

  private readonly onSocketState = (e: CustomEvent<SocketState>): void => {
    this.connection = e.detail;
    this.changed();
    // Repeated failures may mean the session expired (the upgrade is refused with 401).
    if (e.detail === 'offline' && this.socket && this.socket.failedAttempts >= 2) void this.session.verify();
  };

  /** The server closed the socket with 4401: logged out elsewhere, revoked by an admin, or disabled. */
  private readonly onSessionEnded = (): void => {
    this.socket?.clearOutbox();
    this.session.ended('ended');
  };

  private readonly onReady = (): void => {
    // After a reconnect the lists may be stale: reload them (the open conversation syncs itself).
    this.readyCount++;
    if (this.readyCount > 1 && this.socket && this.session.phase === 'workspace') void this.reloadLists();
    consoleCalls.online();
    this.markRead();
  };

  private readonly onOutbox = (e: CustomEvent<readonly PendingSend[]>): void => {
    this.outbox = e.detail;
    this.changed();
  };

  private readonly onSendError = (e: CustomEvent<{ pending: PendingSend; error: { code: string } }>): void => {
    const { pending, error } = e.detail;
    this.failed = [
      ...this.failed,
      { conversationId: pending.conversationId, clientId: pending.clientId, body: pending.body, createdAt: pending.createdAt, state: 'failed' },
    ];
    this.showNotice('error', error.code === 'conversation_closed' ? t('conversation.errors.closed') : t('conversation.errors.sendFailed'));
  };

  private readonly onFrame = (e: CustomEvent<AgentServerFrame>): void => {
    const frame = e.detail;
    switch (frame.type) {
      case 'conversation':
        this.applyConversation(frame.conversation);
        break;
      case 'typing':
        if (frame.author === 'visitor') this.setTyping(frame.conversationId, frame.active);
        break;
      case 'read':
        this.applyRead(frame.conversationId, frame.by, frame.seq);
        break;
      case 'conversation-deleted':
        this.dropConversation(frame.conversationId, t('conversation.deletedNotice'));
        break;
      case 'referral':
        publishReferral(frame.referral);
        break;
      case 'callback':
        publishCallback(frame.callback);
        break;
      case 'note':
        publishNote(frame.note);
        break;
      case 'availability':
        publishAvailability(frame.availability);
        break;
      case 'call':
      case 'call-signal':
      case 'call-ice':
        consoleCalls.frame(frame);
        break;
      case 'handover':
        this.showNotice('info', t('conversationWork.handover.received', { from: frame.fromAgentName ?? t('conversationWork.notes.someone') }));
        break;
      case 'delivery':
        this.applyDeliveryFrame(frame.conversationId, frame.messageId, frame.delivery);
        break;
      case 'error':
        if (frame.ref?.startsWith('call:')) consoleCalls.frame(frame);
        if (frame.code === 'unauthorized') this.session.ended('expired');
        else if (!frame.ref) this.showNotice('error', t('common.errors.generic'));
        break;
      default:
        break;
    }
  };

  private readonly onMessage = (e: CustomEvent<MessageDto>): void => {
    const early = this.earlyDeliveries.get(e.detail.id);
    if (early) this.earlyDeliveries.delete(e.detail.id);
    const m = early ? mergeMessages([e.detail], [{ ...e.detail, delivery: early }])[0]! : e.detail;
    const isOpen = m.conversationId === this.openId;
    const beingRead = isOpen && document.visibilityState === 'visible';
    if (isOpen) {
      this.openMessages = mergeMessages(this.openMessages, [m]);
      if (this.openConversation) this.openConversation = applyMessage(this.openConversation, m, beingRead);
      if (beingRead) this.socket?.read(m.conversationId, m.seq);
    }
    if (m.author === 'visitor') this.setTyping(m.conversationId, false);
    const idx = this.mine.findIndex((c) => c.id === m.conversationId);
    const mineEntry = this.mine[idx];
    if (mineEntry) {
      const next = [...this.mine];
      const updated = applyMessage(mineEntry, m, beingRead);
      next[idx] = updated;
      this.mine = sortMine(next);
      if (m.author === 'visitor') {
        const excerpt = m.body.length > 140 ? `${m.body.slice(0, 140)}…` : m.body;
        this.announce(t('app.announce.newMessage', { site: mineEntry.siteName, text: excerpt }));
        this.emit<NewMessageDetail>('new-message', { conversation: updated, message: m });
      }
    }
    this.changed();
  };

  private applyConversation(c: ConversationSummaryDto): void {
    const me = this.me?.id ?? null;
    this.liveUpdates?.set(c.id, c);
    const wasQueued = this.queue.some((q) => q.id === c.id);
    const lists = upsertConversation({ queue: this.queue, mine: this.mine }, c, me);
    this.queue = lists.queue;
    this.mine = lists.mine;
    if (!wasQueued && c.status === 'waiting') {
      this.announce(t('app.announce.newWaiting', { site: c.siteName }));
      this.emit('new-waiting', c);
    }
    if (c.id === this.openId) {
      const open = this.openConversation;
      this.openConversation = open ? { ...c, unread: open.id === c.id && document.visibilityState === 'visible' ? 0 : c.unread } : c;
      if (c.status === 'active' && c.agentId !== me) {
        // A colleague (e.g. an admin) took it over: it is no longer ours to answer.
        this.showNotice('info', t('conversation.errors.takenOver'));
      }
    }
    this.changed();
  }

  /** A reply on a channel moved (sent, delivered, read, failed): the open conversation shows it; a failure is announced. */
  private applyDeliveryFrame(conversationId: string, messageId: string, delivery: MessageDeliveryDto): void {
    if (conversationId === this.openId) {
      // Not yet in the list (the ack is still on its way): kept until the message arrives.
      if (!this.openMessages.some((m) => m.id === messageId)) this.earlyDeliveries.set(messageId, delivery);
      this.openMessages = applyDelivery(this.openMessages, messageId, delivery);
    }
    if (delivery.status === 'failed') this.announce(t('channels.delivery.failedAnnouncement'));
    this.changed();
  }

  /** A conversation is gone (visitor, retention or admin): out of every list and the view. */
  private dropConversation(id: string, text: string | null): void {
    const lists = removeConversation({ queue: this.queue, mine: this.mine }, id);
    this.queue = lists.queue;
    this.mine = lists.mine;
    this.failed = this.failed.filter((f) => f.conversationId !== id);
    this.setTyping(id, false);
    if (this.openId === id) {
      this.openRequest++;
      this.openId = null;
      this.openConversation = null;
      this.openMessages = [];
      this.openLoading = false;
      this.mobileView = 'list';
      this.socket?.setOpenConversation(null);
      this.hooks.opened(null);
      if (text) this.showNotice('info', text);
    }
    this.emit('dropped', id);
    this.changed();
  }

  private applyRead(conversationId: string, by: 'visitor' | 'agent', seq: number): void {
    const update = (c: ConversationSummaryDto): ConversationSummaryDto =>
      by === 'visitor'
        ? { ...c, visitorReadSeq: Math.max(c.visitorReadSeq, seq) }
        : { ...c, agentReadSeq: Math.max(c.agentReadSeq, seq), unread: seq >= c.lastSeq ? 0 : c.unread };
    this.mine = this.mine.map((c) => (c.id === conversationId ? update(c) : c));
    if (this.openConversation?.id === conversationId) this.openConversation = update(this.openConversation);
    this.changed();
  }

  private setTyping(conversationId: string, active: boolean): void {
    clearTimeout(this.typingTimers.get(conversationId));
    this.typingTimers.delete(conversationId);
    const next = new Set(this.typing);
    if (active) {
      next.add(conversationId);
      // Never show "typing" forever when the stop frame got lost.
      this.typingTimers.set(
        conversationId,
        setTimeout(() => this.setTyping(conversationId, false), TYPING.expiryMs),
      );
    } else {
      next.delete(conversationId);
    }
    this.typing = next;
    this.changed();
  }

  async reloadLists(): Promise<void> {
    // Conversation frames that arrive while the lists load are newer than the response: replay them.
    const live = new Map<string, ConversationSummaryDto>();
    this.liveUpdates = live;
    try {
      const api = this.api();
      const [waiting, mine] = await Promise.all([api.listConversations('waiting'), api.listConversations('mine')]);
      if (this.liveUpdates !== live) return;
      let lists = { queue: sortQueue(waiting), mine: sortMine(mine) };
      for (const c of live.values()) lists = upsertConversation(lists, c, this.me?.id ?? null);
      this.queue = lists.queue;
      this.mine = lists.mine;
      this.changed();
    } catch (err) {
      if (!this.session.handle(err)) this.showNotice('error', t('common.errors.loadLists'));
    } finally {
      if (this.liveUpdates === live) this.liveUpdates = null;
    }
  }

  // ---- actions ----

  readonly claim = async (id: string): Promise<void> => {
    if (this.claiming.has(id)) return;
    this.claiming = new Set([...this.claiming, id]);
    this.changed();
    try {
      const conversation = await this.api().claim(id);
      this.applyConversation(conversation);
      await this.open(id);
    } catch (err) {
      if (isApiError(err, 'conversation_taken')) {
        this.queue = removeConversation({ queue: this.queue, mine: this.mine }, id).queue;
        this.showNotice('info', t('queue.taken'));
      } else if (this.session.handle(err)) {
        return;
      } else if (isApiError(err, 'not_found') || isApiError(err, 'conversation_closed')) {
        this.queue = this.queue.filter((c) => c.id !== id);
        this.showNotice('info', t('queue.gone'));
      } else {
        this.showNotice('error', t('queue.claimFailed'));
      }
    } finally {
      const next = new Set(this.claiming);
      next.delete(id);
      this.claiming = next;
      this.changed();
    }
  };

  /** Shows a conversation: loads its history, marks it read, and focuses the composer. */
  readonly open = async (id: string): Promise<void> => {
    const request = ++this.openRequest;
    const switching = this.openId !== id;
    this.openId = id;
    this.mobileView = 'conversation';
    if (switching) {
      this.openConversation = null;
      this.openMessages = [];
    }
    this.openLoading = true;
    this.socket?.setOpenConversation(id, 0);
    this.hooks.opened(id);
    this.changed();
    try {
      const detail = await this.api().getConversation(id);
      if (request !== this.openRequest) return;
      const messages = mergeMessages(detail.messages, this.openMessages.filter((m) => m.conversationId === id));
      this.socket?.markSeen(messages);
      const lastSeq = messages.reduce((max, m) => Math.max(max, m.seq), detail.conversation.lastSeq);
      this.socket?.setOpenConversation(id, lastSeq);
      this.openConversation = { ...detail.conversation, unread: 0 };
      this.openMessages = messages;
      this.mine = this.mine.map((c) => (c.id === id ? { ...c, unread: 0 } : c));
      this.markRead();
    } catch (err) {
      if (request !== this.openRequest) return;
      if (this.session.handle(err)) return;
      this.openId = null;
      this.socket?.setOpenConversation(null);
      this.hooks.opened(null);
      this.showNotice('error', isApiError(err, 'not_found') ? t('queue.gone') : t('conversation.errors.loadFailed'));
    } finally {
      if (request === this.openRequest) {
        this.openLoading = false;
        this.changed();
      }
    }
    await this.hooks.rendered();
    await this.hooks.focusComposer();
  };

  /** Back to the lists (narrow screens). */
  readonly back = (): void => {
    this.mobileView = 'list';
    this.changed();
  };

  markRead(): void {
    const c = this.openConversation;
    if (!c || document.visibilityState !== 'visible') return;
    const lastSeq = this.openMessages.reduce((max, m) => Math.max(max, m.seq), c.lastSeq);
    if (lastSeq > 0) this.socket?.read(c.id, lastSeq);
  }

  readonly send = (conversationId: string, body: string): void => {
    if (!this.socket) return;
    this.socket.send(conversationId, body);
    if (this.connection !== 'online') this.showNotice('info', t('conversation.queuedOffline'));
  };

  readonly sendTyping = (conversationId: string, active: boolean): void => {
    this.socket?.typing(conversationId, active);
  };

  readonly close = async (conversationId: string): Promise<void> => {
    try {
      const conversation = await this.api().close(conversationId);
      this.applyConversation(conversation);
      this.showNotice('info', t('conversation.closedNotice'));
      await this.hooks.rendered();
      await this.hooks.focusComposer();
    } catch (err) {
      if (!this.session.handle(err)) this.showNotice('error', t('conversation.errors.closeFailed'));
    }
  };

  readonly exportConversation = async (conversationId: string): Promise<void> => {
    try {
      const data = await this.api().exportConversation(conversationId);
      const day = new Date(data.conversation.createdAt).toISOString().slice(0, 10);
      downloadFile(`direturn-conversation-${day}-${conversationId}.json`, JSON.stringify(data, null, 2), 'application/json');
      this.showNotice('info', t('conversation.exported'));
    } catch (err) {
      if (!this.session.handle(err)) this.showNotice('error', t('conversation.errors.exportFailed'));
    }
  };

  readonly deleteConversation = async (conversationId: string): Promise<void> => {
    try {
      await this.api().deleteConversation(conversationId);
      this.dropConversation(conversationId, null);
      this.showNotice('info', t('conversation.deletedByYou'));
    } catch (err) {
      if (this.session.handle(err)) return;
      if (isApiError(err, 'not_found')) this.dropConversation(conversationId, t('conversation.deletedNotice'));
      else this.showNotice('error', t('conversation.errors.deleteFailed'));
    }
  };

  /** What the open conversation shows as on its way: the outbox and the refused sends. */
  get openOutgoing(): OutgoingMessage[] {
    return [
      ...this.outbox
        .filter((p) => p.conversationId === this.openId)
        .map((p): OutgoingMessage => ({ clientId: p.clientId, body: p.body, createdAt: p.createdAt, state: 'sending' })),
      ...this.failed.filter((f) => f.conversationId === this.openId),
    ];
  }

  private emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail }));
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
