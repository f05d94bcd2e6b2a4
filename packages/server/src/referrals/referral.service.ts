import { timingSafeEqual } from 'node:crypto';
import type {
  AgentDto,
  MessageDto,
  OfficeDto,
  ReferralDto,
  ReferralOutcome,
  ReferralStatsRow,
  ReferralStatus,
  ReferralSummary,
  VisitorReferralDto,
} from '@direturn/protocol';
import type { ReferralCreate, VisitorReferralFrame } from '@direturn/protocol/schemas';
import type { AuditService } from '../audit/audit.service.js';
import { findConversation, findLatestConversationOfVisitor, listMessages } from '../conversations/conversation.repository.js';
import { toMessageDto } from '../conversations/conversation.presenter.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import { stateOf } from '../offices/area-keys.js';
import type { OfficeService } from '../offices/office.service.js';
import { PermanentFailure, type Outbox } from '../outbox/outbox.service.js';
import type { Keyring } from '../security/keyring.js';
import { DomainError } from '../shared/errors.js';
import { TypedEmitter } from '../shared/events.js';
import { hashSecret, newId, newSecret } from '../shared/ids.js';
import { canManageReferral, canReadReferralStats, canRefer, canViewReferral } from './referral.policy.js';
import { NEEDS_ACTION, toReferralDto, toVisitorReferralDto, WITHDRAWABLE } from './referral.presenter.js';
import {
  countStatus,
  findOutboxIdOfReferral,
  findReferral,
  findReferralByTokenHash,
  insertReferral,
  insertReferralEvent,
  listReferralEvents,
  listReferrals,
  listReferralsOfConversation,
  listStats,
  referralSubject,
  transitionReferral,
  updateReferralFields,
  type ReferralWithConversation,
} from './referral.repository.js';
import { referralMail } from './referral-mail.js';
import type { ReferralRow, ReferralTable } from './referral.table.js';

export const REFERRAL_MAIL = 'referral.mail';
type Actor = 'agent' | 'visitor' | 'office' | 'system';

/** Statuses in which the office's link shows the referral (and accepts the office's answers). */
const OFFICE_OPEN: readonly ReferralStatus[] = ['received', 'contacted', 'appointment', 'unreachable'];
/** Statuses in which the office can confirm receipt (the mail may still be retrying: the link works once it exists). */
const OFFICE_CONFIRMABLE: readonly ReferralStatus[] = ['consented', 'sent', 'failed'];

export interface ReferralEvents extends Record<string, unknown> {
  /** A referral was created or changed: the transports tell the visitor and the counsellors. */
  changed: { referralId: string; conversationId: string };
}

/** What the office's page shows, decided by the referral's state. */
export type OfficeView =
  | { state: 'confirm'; officeName: string; language: string; form: string }
  | {
      state: 'open';
      officeName: string;
      status: ReferralStatus;
      summary: ReferralSummary;
      contact: { kind: 'phone' | 'email'; value: string } | null;
      transcript: MessageDto[] | null;
      form: string;
      events: Array<{ status: ReferralStatus; at: number }>;
    }
  | { state: 'withdrawn' }
  | { state: 'finished'; status: ReferralStatus };

/**
 * Warm referral: the counsellor proposes an office with a summary, the visitor consents (or not)
 * in the widget, the mail to the office leaves through the durable outbox, and the office answers
 * through its private link. Sealed like messages: the summary, the visitor's contact detail and
 * the link until it is mailed.
 */
export class ReferralService {
  readonly events = new TypedEmitter<ReferralEvents>();

  constructor(
    private readonly db: Db,
    private readonly keyring: Keyring,
    private readonly offices: OfficeService,
    private readonly outbox: Outbox,
    private readonly mailer: Mailer,
    private readonly opts: { publicUrl: string; linkTtlMs: number },
    private readonly logger: Logger,
    private readonly audit?: AuditService,
  ) {
    outbox.register<{ referralId: string }>(REFERRAL_MAIL, {
      deliver: (p) => this.deliverMail(p.referralId),
      failed: (p) => this.mailFailed(p.referralId),
    });
  }

  // ---- sealing ----
  private openSummary(r: Pick<ReferralRow, 'id' | 'summary'>): ReferralSummary {
    return JSON.parse(this.keyring.open(r.summary, `referral:${r.id}`)) as ReferralSummary;
  }

  private async office(id: string): Promise<OfficeDto> {
    return this.offices.get(id);
  }

  private async dto(r: ReferralWithConversation): Promise<ReferralDto> {
    const events = await listReferralEvents(this.db, [r.id]);
    return toReferralDto(r, await this.office(r.office_id), this.openSummary(r), events);
  }

  /** One status change: compare-and-set on the status, the event for the timeline and the counts. */
  private async move(
    trx: Db,
    r: Pick<ReferralRow, 'id' | 'office_id' | 'district_key' | 'state_key'>,
    from: readonly ReferralStatus[],
    to: ReferralStatus,
    by: Actor,
    changes: Partial<Omit<ReferralTable, 'id' | 'conversation_id' | 'created_at' | 'status' | 'updated_at'>> = {},
  ): Promise<ReferralRow | undefined> {
    const now = Date.now();
    const row = await transitionReferral(trx, r.id, from, { ...changes, status: to, updated_at: now });
    if (!row) return undefined;
    await insertReferralEvent(trx, { referral_id: r.id, status: to, by, at: now });
    await countStatus(trx, { month: new Date(now).toISOString().slice(0, 7), office_id: r.office_id, district_key: r.district_key ?? '', state_key: r.state_key ?? '', status: to });
    return row;
  }

  private changed(r: Pick<ReferralRow, 'id' | 'conversation_id'>): void {
    this.events.emit('changed', { referralId: r.id, conversationId: r.conversation_id });
  }

  // ---- the counsellor ----

  async create(agent: AgentDto, input: ReferralCreate): Promise<ReferralDto> {
    const { conversationId } = input;
    const conversation = await findConversation(this.db, conversationId);
    if (!conversation) throw new DomainError('not_found', 'Conversation not found.');
    if (!canRefer(agent, conversation)) throw new DomainError('forbidden', 'Take the conversation before you refer.');
    const office = await this.offices.get(input.officeId);
    if (!office.active) throw new DomainError('bad_request', 'This office is not active.');
    if (!office.email) throw new DomainError('bad_request', 'This office has no e-mail address: a referral cannot reach it.');
    if (!this.mailer.configured) throw new DomainError('not_ready', 'Referrals are sent by e-mail, and no mail server is configured (DIRETURN_SMTP_URL).');
    const id = newId();
    const now = Date.now();
    const stateKey = input.districtKey ? stateOf(input.districtKey) : (office.areaKeys[0] ? stateOf(office.areaKeys[0]) : null);
    const row: ReferralRow = {
      id,
      conversation_id: conversationId,
      office_id: office.id,
      agent_id: agent.id,
      status: 'proposed',
      summary: this.keyring.seal(JSON.stringify(input.summary), `referral:${id}`),
      include_transcript: 0,
      transcript_seq: null,
      contact: null,
      contact_kind: null,
      district_key: input.districtKey ?? null,
      state_key: stateKey,
      token_hash: null,
      link_token: null,
      link_expires_at: null,
      form_secret: null,
      created_at: now,
      updated_at: now,
      opened_at: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await insertReferral(trx, row);
      await insertReferralEvent(trx, { referral_id: id, status: 'proposed', by: 'agent', at: now });
      await countStatus(trx, { month: new Date(now).toISOString().slice(0, 7), office_id: office.id, district_key: row.district_key ?? '', state_key: stateKey ?? '', status: 'proposed' });
    });
    await this.audit?.record({ agentId: agent.id, action: 'referral.proposed', conversationId, details: { referral: id, office: office.id } });
    this.changed(row);
    return this.get(agent, id);
  }

  async get(agent: AgentDto, id: string): Promise<ReferralDto> {
    const r = await findReferral(this.db, id);
    if (!r || !canViewReferral(agent, r)) throw new DomainError('not_found', 'Referral not found.');
    return this.dto(r);
  }

  async listOfConversation(agent: AgentDto, conversationId: string): Promise<ReferralDto[]> {
    const rows = (await listReferralsOfConversation(this.db, conversationId)).filter((r) => canViewReferral(agent, r));
    return Promise.all(rows.map((r) => this.dto(r)));
  }

  async list(agent: AgentDto, filter: 'open' | 'action' | 'all'): Promise<ReferralDto[]> {
    const rows = await listReferrals(this.db, filter, agent.role === 'admin' ? undefined : agent.id);
    return Promise.all(rows.map((r) => this.dto(r)));
  }

  /** A proposal the visitor has not answered yet is taken back. */
  async cancel(agent: AgentDto, id: string): Promise<ReferralDto> {
    const r = await findReferral(this.db, id);
    if (!r || !canManageReferral(agent, r)) throw new DomainError('not_found', 'Referral not found.');
    const moved = await this.db.transaction().execute((trx) => this.move(trx, r, ['proposed'], 'cancelled', 'agent'));
    if (!moved) throw new DomainError('bad_request', 'Only a referral the visitor has not answered yet can be cancelled.');
    this.changed(r);
    return this.get(agent, id);
  }

  /** A mail that failed is tried again (after the address or the mail server was fixed). */
  async retry(agent: AgentDto, id: string): Promise<ReferralDto> {
    const r = await findReferral(this.db, id);
    if (!r || !canManageReferral(agent, r)) throw new DomainError('not_found', 'Referral not found.');
    if (r.status !== 'failed') throw new DomainError('bad_request', 'Only a referral whose mail failed can be sent again.');
    const outboxId = await findOutboxIdOfReferral(this.db, id);
    await this.db.transaction().execute((trx) => this.move(trx, r, ['failed'], 'consented', 'agent'));
    if (outboxId) await this.outbox.retry(outboxId);
    else {
      await this.db.transaction().execute((trx) => this.outbox.enqueue(trx, REFERRAL_MAIL, { referralId: id }, { subject: referralSubject(id) }));
      this.outbox.kick();
    }
    this.changed(r);
    return this.get(agent, id);
  }

  async stats(agent: AgentDto): Promise<ReferralStatsRow[]> {
    if (!canReadReferralStats(agent)) throw new DomainError('forbidden', 'Only admins can read referral statistics.');
    return (await listStats(this.db)).map((s) => ({
      month: s.month,
      officeId: s.office_id,
      officeName: s.office_name,
      districtKey: s.district_key || null,
      stateKey: s.state_key || null,
      status: s.status,
      count: Number(s.count),
    }));
  }

  // ---- the visitor ----

  /** The referrals of the visitor's current conversation that concern them (not the ones the counsellor cancelled). */
  async visitorList(visitorId: string): Promise<VisitorReferralDto[]> {
    const conversation = await findLatestConversationOfVisitor(this.db, visitorId);
    if (!conversation) return [];
    const rows = (await listReferralsOfConversation(this.db, conversation.id)).filter((r) => r.status !== 'cancelled');
    return Promise.all(rows.map(async (r) => toVisitorReferralDto(r, await this.office(r.office_id), this.openSummary(r))));
  }

  /** Consent (with an optional contact detail and transcript), decline, or withdrawal. Nothing is sent without consent. */
  async visitorAnswer(visitorId: string, frame: VisitorReferralFrame): Promise<void> {
    const r = await findReferral(this.db, frame.referralId);
    if (!r || r.visitor_id !== visitorId) throw new DomainError('not_found', 'Referral not found.');
    if (frame.answer === 'decline') {
      const moved = await this.db.transaction().execute((trx) => this.move(trx, r, ['proposed'], 'declined', 'visitor'));
      if (!moved) throw new DomainError('bad_request', 'This referral cannot be declined any more.');
    } else if (frame.answer === 'withdraw') {
      const moved = await this.db.transaction().execute(async (trx) => {
        const row = await this.move(trx, r, WITHDRAWABLE, 'withdrawn', 'visitor', { contact: null, link_token: null });
        // A mail not sent yet is not sent at all.
        if (row) await this.outbox.forget(trx, [referralSubject(r.id)]);
        return row;
      });
      if (!moved) throw new DomainError('bad_request', 'The office has opened the referral already; it can no longer be withdrawn.');
    } else {
      const conversation = await findConversation(this.db, r.conversation_id);
      const token = newSecret();
      const now = Date.now();
      const moved = await this.db.transaction().execute(async (trx) => {
        const row = await this.move(trx, r, ['proposed'], 'consented', 'visitor', {
          contact: frame.contact ? this.keyring.seal(frame.contact.value, `referral-contact:${r.id}`) : null,
          contact_kind: frame.contact?.kind ?? null,
          include_transcript: frame.includeTranscript ? 1 : 0,
          transcript_seq: frame.includeTranscript ? Number(conversation?.last_seq ?? 0) : null,
          token_hash: hashSecret(token),
          link_token: this.keyring.seal(token, `referral-link:${r.id}`),
          link_expires_at: now + this.opts.linkTtlMs,
          form_secret: newSecret(),
        });
        // Stored with the consent, in the same transaction: a restart between the two loses nothing.
        if (row) await this.outbox.enqueue(trx, REFERRAL_MAIL, { referralId: r.id }, { subject: referralSubject(r.id) });
        return row;
      });
      if (!moved) throw new DomainError('bad_request', 'This referral cannot be agreed to any more.');
      this.outbox.kick();
    }
    this.changed(r);
  }

  /** What the transports send when a referral changed: the visitor's list and the counsellors' view. */
  async forDelivery(referralId: string): Promise<{ visitorId: string; agentIds: string[]; visitor: VisitorReferralDto[]; agent: ReferralDto } | undefined> {
    const r = await findReferral(this.db, referralId);
    if (!r) return undefined;
    return {
      visitorId: r.visitor_id,
      agentIds: [...new Set([r.agent_id, r.conversation_agent_id].filter((a): a is string => a !== null))],
      visitor: await this.visitorList(r.visitor_id),
      agent: await this.dto(r),
    };
  }

  // ---- the mail (outbox handler) ----

  private async deliverMail(referralId: string): Promise<void> {
    const r = await findReferral(this.db, referralId);
    // Deleted or withdrawn meanwhile: nothing to send, and that is success.
    if (!r || !r.link_token || !['consented', 'failed'].includes(r.status)) return;
    const office = await this.office(r.office_id);
    if (!office.email) throw new PermanentFailure('the office has no e-mail address');
    const token = this.keyring.open(r.link_token, `referral-link:${r.id}`);
    const summary = this.openSummary(r);
    await this.mailer.send(referralMail({ to: office.email, officeName: office.name, language: summary.language, link: this.officeLink(token), expiresAt: Number(r.link_expires_at) }));
    const moved = await this.db.transaction().execute(async (trx) => {
      // The link now exists only in the mail.
      await updateReferralFields(trx, r.id, { link_token: null });
      return this.move(trx, r, ['consented', 'failed'], 'sent', 'system');
    });
    if (moved) this.changed(r);
  }

  private async mailFailed(referralId: string): Promise<void> {
    const r = await findReferral(this.db, referralId);
    if (!r) return;
    const moved = await this.db.transaction().execute((trx) => this.move(trx, r, ['consented'], 'failed', 'system'));
    if (moved) this.changed(r);
  }

  officeLink(token: string): string {
    return `${this.opts.publicUrl}/referral/${token}`;
  }

  // ---- the office (private link, no account) ----

  /** The referral behind a link, if the link is genuine and not expired. Wrong and expired links look the same. */
  private async byToken(token: string): Promise<ReferralWithConversation | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const r = await findReferralByTokenHash(this.db, hashSecret(token));
    if (!r || r.link_expires_at === null || Number(r.link_expires_at) < Date.now()) return undefined;
    return r;
  }

  async officeView(token: string): Promise<OfficeView | undefined> {
    const r = await this.byToken(token);
    if (!r) return undefined;
    if (r.status === 'withdrawn') return { state: 'withdrawn' };
    const office = await this.office(r.office_id);
    const form = r.form_secret ?? '';
    if (OFFICE_CONFIRMABLE.includes(r.status)) return { state: 'confirm', officeName: office.name, language: this.openSummary(r).language, form };
    if (!OFFICE_OPEN.includes(r.status)) return { state: 'finished', status: r.status };
    const events = (await listReferralEvents(this.db, [r.id])).filter((e) => e.by === 'office').map((e) => ({ status: e.status, at: Number(e.at) }));
    return {
      state: 'open',
      officeName: office.name,
      status: r.status,
      summary: this.openSummary(r),
      contact: r.contact && r.contact_kind ? { kind: r.contact_kind, value: this.keyring.open(r.contact, `referral-contact:${r.id}`) } : null,
      transcript: r.include_transcript === 1 ? await this.transcript(r) : null,
      form,
      events,
    };
  }

  private async transcript(r: ReferralRow): Promise<MessageDto[]> {
    const messages = await listMessages(this.db, r.conversation_id, 0, 10_000);
    return messages
      .filter((m) => m.author !== 'system' && Number(m.seq) <= Number(r.transcript_seq ?? 0))
      .map((m) => toMessageDto({ ...m, body: this.keyring.open(m.body, `message:${m.id}`) }));
  }

  private checkForm(r: ReferralRow, form: string): boolean {
    const a = Buffer.from(r.form_secret ?? '');
    const b = Buffer.from(form);
    return a.length > 0 && a.length === b.length && timingSafeEqual(a, b);
  }

  /**
   * The office opens the referral: from now on it cannot be withdrawn. `invalid`: the link or the
   * form token is not genuine; `unchanged`: the state had moved on (withdrawn, a second click).
   */
  async officeConfirm(token: string, form: string): Promise<'invalid' | 'done' | 'unchanged'> {
    const r = await this.byToken(token);
    if (!r || !this.checkForm(r, form)) return 'invalid';
    const moved = await this.db.transaction().execute(async (trx) => {
      const row = await this.move(trx, r, OFFICE_CONFIRMABLE, 'received', 'office', { opened_at: Date.now(), link_token: null });
      // The office has it: a mail still retrying is not needed any more.
      if (row) await this.outbox.forget(trx, [referralSubject(r.id)]);
      return row;
    });
    if (moved) this.changed(r);
    return moved ? 'done' : 'unchanged';
  }

  async officeOutcome(token: string, form: string, outcome: ReferralOutcome): Promise<'invalid' | 'done' | 'unchanged'> {
    const r = await this.byToken(token);
    if (!r || !this.checkForm(r, form)) return 'invalid';
    const moved = await this.db.transaction().execute((trx) => this.move(trx, r, OFFICE_OPEN, outcome, 'office'));
    if (moved) {
      if (NEEDS_ACTION.includes(outcome)) this.logger.info({ outcome }, 'referral: the office is not responsible; back to the counsellor');
      this.changed(r);
    }
    return moved ? 'done' : 'unchanged';
  }
}
