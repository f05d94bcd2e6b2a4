import { matchLanguage, type ChannelDeliveryStatus, type MessageDeliveryDto } from '@direturn/protocol';
import type { Db, MessageWriter } from '../db/database.js';
import type { Logger } from '../logger.js';
import { describeFailure, PermanentFailure, RetryLater, type DeliveryAttempt, type Outbox } from '../outbox/outbox.service.js';
import type { Keyring } from '../security/keyring.js';
import { DomainError } from '../shared/errors.js';
import { hashSecret, newId, newSecret } from '../shared/ids.js';
import { findSiteById } from '../sites/site.repository.js';
import { findConversation, insertConversation } from '../conversations/conversation.repository.js';
import type { ConversationService } from '../conversations/conversation.service.js';
import type { ConversationRow } from '../conversations/conversation.table.js';
import { newPseudonym } from '../conversations/pseudonym.js';
import { insertVisitor, updateVisitor } from '../visitors/visitor.repository.js';
import type { ChannelAdapters } from './adapters.js';
import type { ChannelAccountService } from './channel-account.service.js';
import type { ChannelAccount, ChannelInbox, ChannelNotice, DeliveryStatusEvent, InboundMessage, OutboundMessage } from './channel.js';
import {
  accountSubject,
  conversationSubject,
  findDelivery,
  findDeliveryByProviderId,
  findInbound,
  findOpenConversationByContact,
  findReplyForDelivery,
  insertDelivery,
  insertEarlyStatus,
  insertInbound,
  purgeChannelBookkeeping,
  takeEarlyStatuses,
  updateConversationChannel,
  updateDelivery,
} from './channel.repository.js';
import type { ChannelDeliveryRow } from './channel.table.js';
import { contactKeys } from './contact-key.js';
import { channelLanguage } from './language.js';
import { noticeText } from './notices.js';

/** Outbox kinds. */
export const CHANNEL_MESSAGE = 'channel.message';
export const CHANNEL_NOTICE = 'channel.notice';

/** A counsellor's reply to deliver (the payload names ids only). */
interface ReplyPayload {
  messageId: string;
  /** An approved template instead of the message's text (WhatsApp outside its window). */
  template?: { name: string; language: string };
}
/** A notice DiReturn sends itself: into a conversation, or (a greeting) to a contact sealed in the payload. */
type NoticePayload =
  | { to: 'conversation'; conversationId: string; notice: ChannelNotice }
  | { to: 'contact'; accountId: string; providerMessageId: string; contact: string; language: string; notice: ChannelNotice };

/** What a person writes on a channel is kept up to this length (a mail can be long; nothing else is). */
const INBOUND_MAX_CHARS = 32_000;
/** Handled provider ids and early statuses are kept this long: providers repeat events for hours, not weeks. */
const BOOKKEEPING_MS = 7 * 86_400_000;

/** Progress of a delivery: a status applies only when it is further along (reports may arrive out of order). */
const RANK: Record<ChannelDeliveryStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 1.5 };
export function advances(from: ChannelDeliveryStatus, to: ChannelDeliveryStatus): boolean {
  // failed ends a delivery that had not reached the person; after delivered/read a late failure is noise.
  if (to === 'failed') return from === 'queued' || from === 'sent';
  if (from === 'failed') return false;
  return RANK[to] > RANK[from];
}

/**
 * The conversation side of channels (ChannelInbox for adapters): inbound messages are stored once
 * into the person's open conversation through the conversation service (so consoles see them live
 * like widget messages); counsellors' replies in channel conversations are queued in the same
 * transaction and delivered from the outbox through the adapter of their kind; delivery reports
 * move each reply's state, which reaches the holder's console.
 */
export class ChannelService implements ChannelInbox {
  private purgeTimer: NodeJS.Timeout | undefined;
  private readonly off: () => void;

  constructor(
    private readonly db: Db,
    private readonly writes: MessageWriter,
    private readonly keyring: Keyring,
    private readonly conversations: ConversationService,
    private readonly accounts: ChannelAccountService,
    private readonly adapters: ChannelAdapters,
    private readonly outbox: Outbox,
    private readonly logger: Logger,
    /** A paused account's replies and notices are looked at again after this long (not counted as attempts). */
    private readonly pausedRetryMs = 60_000,
  ) {
    conversations.queueChannelRepliesWith((trx, conversation, message) => this.queueReply(trx, conversation, message));
    outbox.register<ReplyPayload>(CHANNEL_MESSAGE, {
      deliver: (p) => this.deliverReply(p),
      failed: (p, error) => this.replyFailed(p.messageId, error),
    });
    outbox.register<NoticePayload>(CHANNEL_NOTICE, { deliver: (p, attempt) => this.deliverNotice(p, attempt) });
    // A reply committed: deliver it now rather than at the next poll.
    this.off = conversations.events.on('message', (e) => {
      if (e.message.author === 'agent' && e.conversation.channel !== 'widget') outbox.kick();
    });
  }

  start(): void {
    const purge = () =>
      void purgeChannelBookkeeping(this.db, Date.now() - BOOKKEEPING_MS).catch((err: Error) => this.logger.warn({ err: { message: err.message } }, 'channels: purging handled ids failed'));
    purge();
    this.purgeTimer = setInterval(purge, 3_600_000);
    this.purgeTimer.unref();
  }

  stop(): void {
    clearInterval(this.purgeTimer);
    this.off();
  }

  // ---- inbound (ChannelInbox) ----

  private async activeAccount(accountId: string): Promise<ChannelAccount> {
    const account = await this.accounts.find(accountId);
    if (!account) throw new DomainError('not_found', 'No such channel account.');
    if (account.status !== 'active') throw new DomainError('channel_unavailable', 'This channel account is paused.');
    return account;
  }

  async receive(m: InboundMessage): Promise<{ conversationId: string; messageId: string; duplicate: boolean }> {
    const account = await this.activeAccount(m.accountId);
    if (!m.text.trim() && m.attachments.length === 0) throw new DomainError('bad_request', 'An empty message without attachments.');
    const keys = contactKeys(this.keyring, account.id, m.contact);
    const site = await findSiteById(this.db, account.siteId);
    const language = (await channelLanguage(m.languageHint, m.text)) ?? matchLanguage(site?.default_language) ?? 'de';
    const text = m.text.length > INBOUND_MAX_CHARS ? `${m.text.slice(0, INBOUND_MAX_CHARS - 1)}…` : m.text;
    const result = await this.conversations.channelReceive({
      body: text,
      attachments: m.attachments,
      locate: async (trx, now) => {
        const seen = await findInbound(trx, account.id, m.providerMessageId);
        if (seen) return { duplicate: { conversationId: seen.conversation_id ?? '', messageId: seen.message_id ?? '' } };
        const hinted = m.conversationHint ? await findConversation(trx, m.conversationHint) : undefined;
        const open = hinted && hinted.channel_account_id === account.id && hinted.status !== 'closed' ? hinted : await findOpenConversationByContact(trx, account.id, keys);
        if (open) return { conversation: open, created: false };
        return { conversation: await this.openConversation(trx, account, m.contact, keys[0]!, language, now), created: true };
      },
      stored: async (trx, conversation, messageId, now) => {
        await insertInbound(trx, { account_id: account.id, provider_message_id: m.providerMessageId, conversation_id: conversation.id, message_id: messageId, created_at: now });
        await updateConversationChannel(trx, conversation.id, {
          last_inbound_at: m.sentAt || now,
          // Written before a key rotation: the lookup key moves to the current key.
          ...(conversation.contact_key !== keys[0] ? { contact_key: keys[0]! } : {}),
          ...(m.thread ? { channel_thread: this.keyring.seal(JSON.stringify(m.thread), `thread:${conversation.id}`) } : {}),
        });
        // The person is active: retention counts from here, as for a visitor of the widget.
        await updateVisitor(trx, conversation.visitor_id, { last_seen_at: now });
        if (m.attachments.length) await this.outbox.enqueue(trx, CHANNEL_NOTICE, { to: 'conversation', conversationId: conversation.id, notice: 'attachment' } satisfies NoticePayload, { subject: conversationSubject(conversation.id) });
      },
    });
    await this.recordEvent(account.id);
    if (!result.duplicate && m.attachments.length) this.outbox.kick();
    return result;
  }

  /** A new waiting conversation for a person, hung on a visitor row of its own (no token anyone holds). */
  private async openConversation(trx: Db, account: ChannelAccount, contact: string, contactKey: string, language: string, now: number): Promise<ConversationRow> {
    const visitorId = newId();
    await insertVisitor(trx, { id: visitorId, site_id: account.siteId, token_hash: hashSecret(newSecret()), language, created_at: now, last_seen_at: now });
    const id = newId();
    return insertConversation(trx, {
      id,
      site_id: account.siteId,
      visitor_id: visitorId,
      channel: account.kind,
      status: 'waiting',
      language,
      page_url: null,
      agent_id: null,
      created_at: now,
      claimed_at: null,
      closed_at: null,
      pseudonym: newPseudonym(),
      held_since: null,
      region: null,
      channel_account_id: account.id,
      contact: this.keyring.seal(contact, `contact:${id}`),
      contact_key: contactKey,
      channel_thread: null,
      last_inbound_at: null,
    });
  }

  async greet(e: { accountId: string; providerMessageId: string; contact: string; languageHint?: string; sentAt: number }): Promise<{ duplicate: boolean }> {
    const account = await this.activeAccount(e.accountId);
    const site = await findSiteById(this.db, account.siteId);
    const language = matchLanguage(e.languageHint) ?? matchLanguage(site?.default_language) ?? 'de';
    const duplicate = await this.writes.run(async (trx) => {
      if (await findInbound(trx, account.id, e.providerMessageId)) return true;
      const now = Date.now();
      await insertInbound(trx, { account_id: account.id, provider_message_id: e.providerMessageId, conversation_id: null, message_id: null, created_at: now });
      const payload: NoticePayload = {
        to: 'contact',
        accountId: account.id,
        providerMessageId: e.providerMessageId,
        contact: this.keyring.seal(e.contact, noticeAad(account.id, e.providerMessageId)),
        language,
        notice: 'greeting',
      };
      await this.outbox.enqueue(trx, CHANNEL_NOTICE, payload, { subject: accountSubject(account.id) });
      return false;
    });
    await this.recordEvent(account.id);
    if (!duplicate) this.outbox.kick();
    return { duplicate };
  }

  async status(event: DeliveryStatusEvent): Promise<void> {
    const reason = event.reason ? event.reason.slice(0, 300) : null;
    const known = await findDeliveryByProviderId(this.db, event.accountId, event.providerMessageId);
    if (known) return this.advance(known, event.status, reason);
    // Before the send's answer named it: kept, and applied when it does (markSent). Looked up again
    // after writing, so a send finishing in between does not leave it behind.
    const now = Date.now();
    await insertEarlyStatus(this.db, { account_id: event.accountId, provider_message_id: event.providerMessageId, status: event.status, reason, at: event.at, created_at: now });
    const arrived = await findDeliveryByProviderId(this.db, event.accountId, event.providerMessageId);
    if (arrived) await this.applyEarly(arrived);
  }

  async recordEvent(accountId: string): Promise<void> {
    await this.accounts.recordEvent(accountId);
  }

  async recordError(accountId: string, error: string): Promise<void> {
    await this.accounts.recordError(accountId, error);
  }

  // ---- outbound ----

  /** Inside the reply's transaction: its delivery starts queued, with an outbox row to send it. */
  private async queueReply(trx: Db, conversation: ConversationRow, message: { id: string; createdAt: number; template?: { name: string; language: string } }): Promise<MessageDeliveryDto> {
    if (!conversation.channel_account_id) throw new DomainError('channel_unavailable', 'The channel account of this conversation was removed: replies cannot be sent.');
    const account = await this.accounts.findIn(trx, conversation.channel_account_id);
    if (!account) throw new DomainError('channel_unavailable', 'The channel account of this conversation was removed: replies cannot be sent.');
    if (account.status !== 'active') throw new DomainError('channel_unavailable', 'The channel account of this conversation is paused: replies cannot be sent now.');
    const now = Date.now();
    await insertDelivery(trx, { message_id: message.id, conversation_id: conversation.id, account_id: account.id, status: 'queued', reason: null, provider_message_id: null, created_at: now, updated_at: now });
    await this.outbox.enqueue(trx, CHANNEL_MESSAGE, { messageId: message.id, ...(message.template ? { template: message.template } : {}) } satisfies ReplyPayload, { subject: conversationSubject(conversation.id) });
    return { status: 'queued', reason: null, updatedAt: now };
  }

  private async deliverReply(p: ReplyPayload): Promise<void> {
    const r = await findReplyForDelivery(this.db, p.messageId);
    if (!r) return; // deleted with its conversation meanwhile: nothing to send
    if (r.status !== 'queued') return; // sent already (a row claimed twice)
    if (!r.channel_account_id) throw new PermanentFailure('The channel account of this conversation was removed.');
    const account = await this.accounts.find(r.channel_account_id);
    if (!account) throw new PermanentFailure('The channel account of this conversation was removed.');
    if (account.status !== 'active') {
      await this.setQueuedReason(r.id, 'The channel account is paused; the reply waits until it is resumed.');
      throw new RetryLater('The channel account is paused.', this.pausedRetryMs, true);
    }
    const adapter = this.adapters.get(account.kind);
    if (!adapter) throw new PermanentFailure(`This installation cannot send on ${account.kind}.`);
    if (!r.contact) throw new PermanentFailure('The conversation has no contact on its channel.');
    const message: OutboundMessage = {
      conversationId: r.conversation_id,
      messageId: r.id,
      contact: this.keyring.open(r.contact, `contact:${r.conversation_id}`),
      text: this.keyring.open(r.body, `message:${r.id}`),
      language: r.language,
      lastInboundAt: r.last_inbound_at === null ? null : Number(r.last_inbound_at),
      ...(r.channel_thread ? { thread: JSON.parse(this.keyring.open(r.channel_thread, `thread:${r.conversation_id}`)) as Record<string, string> } : {}),
      ...(p.template ? { template: p.template } : {}),
    };
    let providerMessageId: string;
    try {
      ({ providerMessageId } = await adapter.send(account, message));
    } catch (err) {
      const error = describeFailure(err);
      await this.recordError(account.id, error).catch(() => undefined);
      // Still queued; the console shows why the last attempt failed (the outbox decides whether to try again).
      if (!(err instanceof PermanentFailure)) await this.setQueuedReason(r.id, error);
      throw err;
    }
    await this.markSent(r.id, providerMessageId);
  }

  private async setQueuedReason(messageId: string, reason: string): Promise<void> {
    const d = await findDelivery(this.db, messageId);
    if (!d || d.status !== 'queued' || d.reason === reason) return;
    if (await updateDelivery(this.db, messageId, 'queued', { status: 'queued', reason, updated_at: Date.now() })) await this.announce(d.conversation_id, messageId);
  }

  /** The provider took it: sent, with its id; statuses that arrived before apply now. */
  private async markSent(messageId: string, providerMessageId: string): Promise<void> {
    const d = await findDelivery(this.db, messageId);
    if (!d) return;
    await updateDelivery(this.db, messageId, d.status, { status: advances(d.status, 'sent') ? 'sent' : d.status, reason: null, provider_message_id: providerMessageId, updated_at: Date.now() });
    const sent = await findDelivery(this.db, messageId);
    if (sent) await this.applyEarly(sent, true);
  }

  /** Applies the furthest of the statuses kept for this delivery's provider id. */
  private async applyEarly(d: ChannelDeliveryRow, announceAnyway = false): Promise<void> {
    const early = d.provider_message_id ? await takeEarlyStatuses(this.db, d.account_id, d.provider_message_id) : [];
    let best: { status: ChannelDeliveryStatus; reason: string | null } | undefined;
    for (const e of early) if (advances(best?.status ?? d.status, e.status)) best = { status: e.status, reason: e.reason };
    if (best) return this.advance(d, best.status, best.reason);
    if (announceAnyway) await this.announce(d.conversation_id, d.message_id);
  }

  /** Moves a delivery forward (compare-and-set, retried when another report moved it meanwhile). */
  private async advance(d: ChannelDeliveryRow, status: ChannelDeliveryStatus, reason: string | null): Promise<void> {
    let current: ChannelDeliveryRow | undefined = d;
    for (let i = 0; i < 5 && current; i++) {
      if (!advances(current.status, status)) return;
      if (await updateDelivery(this.db, current.message_id, current.status, { status, reason: status === 'failed' ? reason : null, updated_at: Date.now() })) {
        return this.announce(current.conversation_id, current.message_id);
      }
      current = await findDelivery(this.db, current.message_id);
    }
  }

  /** After the last attempt (or a failure no retry fixes): failed, with the reason in words. */
  private async replyFailed(messageId: string, error: string): Promise<void> {
    const d = await findDelivery(this.db, messageId);
    if (d) await this.advance(d, 'failed', error);
  }

  /** The holder's console hears of the new state (through the bus, on whichever process it is). */
  private async announce(conversationId: string, messageId: string): Promise<void> {
    const [conversation, d] = await Promise.all([findConversation(this.db, conversationId), findDelivery(this.db, messageId)]);
    if (!conversation || !d) return;
    this.conversations.events.emit('delivery', { conversation, messageId, delivery: { status: d.status, reason: d.reason, updatedAt: Number(d.updated_at) } });
  }

  private async deliverNotice(p: NoticePayload, attempt: DeliveryAttempt): Promise<void> {
    let account: ChannelAccount | undefined;
    let message: OutboundMessage;
    if (p.to === 'conversation') {
      const c = await findConversation(this.db, p.conversationId);
      if (!c?.contact || !c.channel_account_id) return; // deleted meanwhile
      account = await this.accounts.find(c.channel_account_id);
      message = {
        conversationId: c.id,
        messageId: `notice:${attempt.id}`,
        contact: this.keyring.open(c.contact, `contact:${c.id}`),
        text: noticeText(p.notice, c.language),
        language: c.language,
        lastInboundAt: c.last_inbound_at === null ? null : Number(c.last_inbound_at),
        ...(c.channel_thread ? { thread: JSON.parse(this.keyring.open(c.channel_thread, `thread:${c.id}`)) as Record<string, string> } : {}),
      };
    } else {
      account = await this.accounts.find(p.accountId);
      message = {
        conversationId: '',
        messageId: `notice:${attempt.id}`,
        contact: this.keyring.open(p.contact, noticeAad(p.accountId, p.providerMessageId)),
        text: noticeText(p.notice, p.language),
        language: p.language,
        lastInboundAt: Date.now(),
      };
    }
    if (!account) return; // removed: nobody to send it from
    if (account.status !== 'active') throw new RetryLater('The channel account is paused.', this.pausedRetryMs, true);
    const adapter = this.adapters.get(account.kind);
    if (!adapter) throw new PermanentFailure(`This installation cannot send on ${account.kind}.`);
    try {
      await adapter.send(account, message);
    } catch (err) {
      await this.recordError(account.id, describeFailure(err)).catch(() => undefined);
      throw err;
    }
  }
}

const noticeAad = (accountId: string, providerMessageId: string): string => `notice:${accountId}:${providerMessageId}`;
