import { createHmac, timingSafeEqual } from 'node:crypto';
import { checkReplyNoticeRequest, type MessageDto, type ReplyNoticeFrame } from '@direturn/protocol';
import type { VisitorReplyNoticeOnFrame } from '@direturn/protocol/schemas';
import type { EphemeralStore } from '../cluster/ephemeral-store.js';
import { findConversation, findLatestConversationOfVisitor, findOpenConversationOfVisitor, listConversationIdsOfVisitor } from '../conversations/conversation.repository.js';
import type { ConversationService } from '../conversations/conversation.service.js';
import type { ConversationRow } from '../conversations/conversation.table.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import type { Outbox } from '../outbox/outbox.service.js';
import type { Keyring } from '../security/keyring.js';
import { DomainError, RateLimitedError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { VisitorRow } from '../visitors/visitor.table.js';
import { replyNoticeMail } from './reply-notice-mail.js';
import {
  deleteReplyNoticesOfConversations,
  findReplyNotice,
  findReplyNoticeOfConversation,
  insertReplyNotice,
  markNotified,
  openWaitingPeriod,
  replyNoticeSubject,
  updateReplyNoticeAddress,
  visitorWroteAfter,
} from './reply-notice.repository.js';

export const REPLY_NOTICE_MAIL = 'reply-notice.mail';
/** Opt-ins a visitor may make: 5 at once, then one every 6 minutes (across processes). */
const PER_VISITOR = { perMinute: 1 / 6, burst: 5 };
const addressAad = (id: string) => `reply-notice-address:${id}`;

interface NoticePayload {
  noticeId: string;
  /** The reply that opened the waiting period this mail is about. */
  seq: number;
}

/** Only scheme, host and path of the page the visitor chatted on: no query or fragment (they may carry anything). */
function pageOf(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? `${u.origin}${u.pathname}` : null;
  } catch {
    return null;
  }
}

/**
 * Reply notices (issue 15): a widget visitor leaves an e-mail address to hear that a counsellor's
 * reply is waiting. The address is sealed (AAD names the row) and never logged. A counsellor's
 * reply opens a waiting period and queues one mail in the outbox, due after the delay
 * (DIRETURN_REPLY_NOTICE_DELAY_MINUTES), in the reply's own transaction; at delivery time the mail
 * goes only if the reply is still unread, the address still there and the conversation open.
 * Further replies while the period lasts queue nothing: one mail until the visitor has come back.
 * Removal: in the widget, or by the link in every mail (HMAC of the row's id, nothing stored).
 */
export class ReplyNoticeService {
  constructor(
    private readonly db: Db,
    private readonly keyring: Keyring,
    private readonly conversations: ConversationService,
    private readonly outbox: Outbox,
    private readonly mailer: Mailer,
    private readonly store: Pick<EphemeralStore, 'rate'>,
    private readonly opts: { publicUrl: string; delayMs: number },
    private readonly logger: Logger,
  ) {
    outbox.register<NoticePayload>(REPLY_NOTICE_MAIL, { deliver: (p) => this.deliver(p) });
    conversations.onAgentReply((trx, conversation, message) => this.replied(trx, conversation, message));
  }

  /** Without mail nothing can be sent: the widget is not offered the option. */
  get available(): boolean {
    return this.mailer.configured;
  }

  // ---- the visitor ----

  /** Whether notices are on for the visitor's current conversation (a closed one has none). */
  async state(visitorId: string): Promise<ReplyNoticeFrame> {
    const c = await findLatestConversationOfVisitor(this.db, visitorId);
    const row = c && c.status !== 'closed' ? await findReplyNoticeOfConversation(this.db, c.id) : undefined;
    return { type: 'reply-notice', on: row !== undefined, since: row ? Number(row.created_at) : null };
  }

  /**
   * Turns notices on for the visitor's open conversation (or changes the address): checked, limited
   * per visitor, stored sealed. Nothing is stored when anything is wrong.
   */
  async turnOn(visitor: VisitorRow, frame: VisitorReplyNoticeOnFrame, now = Date.now()): Promise<ReplyNoticeFrame> {
    if (!this.available) throw new DomainError('reply_notice_unavailable', 'E-mail notices are not available here.');
    const checked = checkReplyNoticeRequest(frame);
    if (checked.issues.length || !checked.email) {
      throw new DomainError(
        'reply_notice_invalid',
        'The e-mail address or the consent is not right.',
        checked.issues.map((i) => `${i.path}: ${i.code}`),
      );
    }
    const conversation = await findOpenConversationOfVisitor(this.db, visitor.id);
    if (!conversation || conversation.channel !== 'widget') throw new DomainError('reply_notice_unavailable', 'E-mail notices need a conversation that is open.');
    const wait = await this.store.rate(`reply-notice:visitor:${visitor.id}`, PER_VISITOR.perMinute, PER_VISITOR.burst);
    if (wait > 0) throw new RateLimitedError('Too many changes at once. Please try again later.', wait);
    const email = checked.email;
    const store = () =>
      this.db.transaction().execute(async (trx) => {
        const existing = await findReplyNoticeOfConversation(trx, conversation.id);
        if (existing) return updateReplyNoticeAddress(trx, existing.id, this.keyring.seal(email, addressAad(existing.id)), visitor.language, now);
        const id = newId();
        await insertReplyNotice(trx, { id, conversation_id: conversation.id, email: this.keyring.seal(email, addressAad(id)), language: visitor.language, waiting_seq: null, notified_at: null, created_at: now, updated_at: now });
      });
    // Two sockets of the visitor at once: the second insert meets the first's row and updates it.
    await store().catch(async (err) => {
      if (!(await findReplyNoticeOfConversation(this.db, conversation.id))) throw err;
      await store();
    });
    return this.state(visitor.id);
  }

  /** Removes the visitor's address (from every conversation of theirs) and any queued notice. */
  async turnOff(visitorId: string): Promise<ReplyNoticeFrame> {
    const removed = await this.db.transaction().execute(async (trx) => deleteReplyNoticesOfConversations(trx, await listConversationIdsOfVisitor(trx, visitorId)));
    // The address is gone from the table: out of the database files too.
    if (removed) await this.conversations.erase();
    return this.state(visitorId);
  }

  // ---- the removal link ----

  private token(id: string, key: Buffer): string {
    return createHmac('sha256', key).update(`reply-notice-removal:${id}`).digest('base64url');
  }

  /** The link in every mail: works while the row exists, under any configured key (rotation). */
  removalLink(id: string, language: string): string {
    return `${this.opts.publicUrl}/reply-notice/${id}/${this.token(id, this.keyring.derive('reply-notice-removal'))}?lang=${encodeURIComponent(language)}`;
  }

  /** Removes the address the link names, when the link is genuine. Says nothing either way. */
  async removeByLink(id: string, token: string): Promise<void> {
    const given = Buffer.from(token);
    const genuine = this.keyring.deriveAll('reply-notice-removal').some((key) => {
      const expected = Buffer.from(this.token(id, key));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!genuine) return;
    const row = await findReplyNotice(this.db, id);
    if (!row) return;
    await this.db.transaction().execute((trx) => deleteReplyNoticesOfConversations(trx, [row.conversation_id]));
    await this.conversations.erase();
    this.logger.info('reply notice removed by its link');
  }

  // ---- the notice ----

  /** In the counsellor's reply's transaction: opens a waiting period and queues its one mail. */
  private async replied(trx: Db, conversation: ConversationRow, message: MessageDto): Promise<void> {
    // Without mail nobody can have turned notices on: no statement in the reply's transaction.
    if (conversation.channel !== 'widget' || !this.available) return;
    const now = Date.now();
    const noticeId = await openWaitingPeriod(trx, conversation.id, message.seq, Number(conversation.visitor_read_seq), now);
    if (!noticeId) return;
    await this.outbox.enqueue(trx, REPLY_NOTICE_MAIL, { noticeId, seq: message.seq } satisfies NoticePayload, { subject: replyNoticeSubject(conversation.id), notBefore: now + this.opts.delayMs });
  }

  /** Sends the mail if it still has a reason to go; otherwise (read, removed, closed, deleted) nothing. */
  private async deliver(p: NoticePayload): Promise<void> {
    const row = await findReplyNotice(this.db, p.noticeId);
    if (!row || row.waiting_seq === null || Number(row.waiting_seq) !== p.seq) return;
    const c = await findConversation(this.db, row.conversation_id);
    if (!c || c.status === 'closed') return;
    if (Number(c.visitor_read_seq) >= p.seq || (await visitorWroteAfter(this.db, c.id, p.seq))) return;
    const page = pageOf(c.page_url === null ? null : this.keyring.open(c.page_url, `page:${c.id}`));
    const to = this.keyring.open(row.email, addressAad(row.id));
    await this.mailer.send(replyNoticeMail({ to, language: row.language, page, removal: this.removalLink(row.id, row.language) }));
    await markNotified(this.db, row.id, p.seq, Date.now());
  }
}
