import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import { newId } from '../shared/ids.js';
import {
  claimNext,
  countByStatus,
  deleteDelivered,
  deleteOutboxOf,
  findOutbox,
  insertOutbox,
  listOutbox,
  markFailed,
  requeue,
  scheduleRetry,
} from './outbox.repository.js';
import type { OutboxRow } from './outbox.table.js';

/** A failure that another attempt cannot fix (no such recipient, nothing left to send): no retries. */
export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}

/**
 * The receiver asked to wait (HTTP 429 with Retry-After, a provider's retry_after): the next attempt
 * comes after `retryAfterMs` instead of the backoff. Still counts as an attempt.
 */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';
  constructor(
    message: string,
    readonly retryAfterMs: number,
    /** Not counted as an attempt: nothing was tried (a paused channel waits as long as it is paused). */
    readonly notAnAttempt = false,
  ) {
    super(message);
  }
}

export interface DeliveryAttempt {
  id: string;
  /** 1 for the first try. */
  attempt: number;
  maxAttempts: number;
}

/** Delivers one kind of outbox row. */
export interface OutboxHandler<P> {
  /** Resolves when delivered; throws to try again later (PermanentFailure: not again). */
  deliver(payload: P, attempt: DeliveryAttempt): Promise<void>;
  /** After the last attempt failed: make the failure visible to the person who waits for it. */
  failed?(payload: P, error: string): Promise<void>;
}

export interface OutboxOptions {
  /** Tries per row before it is marked failed (DIRETURN_OUTBOX_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** The first retry waits this long; each further one twice as long (± 20 %), up to `maxDelayMs`. */
  retryBaseMs: number;
  maxDelayMs: number;
  /** How often every process looks for due rows (others' rows, retries). */
  pollMs: number;
  /** A claim lasts this long: a process that died while delivering frees its rows after it. */
  lockMs: number;
  /** Rows delivered at once by this process. */
  concurrency: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = { maxAttempts: 8, retryBaseMs: 30_000, maxDelayMs: 3_600_000, pollMs: 1000, lockMs: 120_000, concurrency: 4 };

/** Error text for the outbox table and the admin screen: e-mail addresses masked, short. */
export function describeFailure(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const message = e.message ?? String(err);
  // Codes first, unless the message says them already.
  const text = [e.code, e.responseCode]
    .filter((x) => x !== undefined && x !== '' && !message.includes(String(x)))
    .concat(message)
    .join(' ');
  return text.replace(/[^\s<>@"']+@[^\s<>@"']+/g, '<address>').replace(/\s+/g, ' ').slice(0, 300);
}

/**
 * The durable outbox. Producers `enqueue` inside their own transaction (so the work exists if and
 * only if the change committed), then `kick`. Every process polls; a row is claimed by one of them
 * at a time (outbox.repository.ts), delivered by the handler of its kind, deleted when delivered,
 * retried with exponential backoff when not, and marked failed after the last attempt: the
 * handler's `failed` tells a person, admins see it in GET /api/outbox and may retry it.
 * A restart loses nothing: rows are in the database; a claim held by a stopped process runs out.
 */
export class Outbox {
  private readonly handlers = new Map<string, OutboxHandler<never>>();
  private readonly owner = newId();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private pumping = false;
  private again = false;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    readonly options: OutboxOptions = DEFAULT_OUTBOX_OPTIONS,
  ) {}

  register<P>(kind: string, handler: OutboxHandler<P>): void {
    if (this.handlers.has(kind)) throw new Error(`outbox: a handler for ${kind} is registered already`);
    this.handlers.set(kind, handler as OutboxHandler<never>);
  }

  /**
   * Stores a row in `trx` (the producer's transaction). Call `kick()` after it committed.
   * `notBefore` (epoch ms): the first attempt waits until then (a notice that is sent only if
   * nothing changed meanwhile); every process's poll picks it up, so a restart loses nothing.
   */
  async enqueue(trx: Db, kind: string, payload: unknown, opts: { subject?: string; maxAttempts?: number; notBefore?: number } = {}): Promise<string> {
    const id = newId();
    const now = Date.now();
    await insertOutbox(trx, {
      id,
      kind,
      subject: opts.subject ?? null,
      payload: JSON.stringify(payload),
      status: 'pending',
      max_attempts: opts.maxAttempts ?? this.options.maxAttempts,
      next_attempt_at: Math.max(now, opts.notBefore ?? now),
      created_at: now,
      updated_at: now,
    });
    return id;
  }

  /** Looks for due rows now (after enqueueing), instead of at the next poll. */
  kick(): void {
    if (!this.stopped) void this.pump();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => void this.pump(), this.options.pollMs);
    this.timer.unref();
    void this.pump();
  }

  /** Stops claiming and waits for the deliveries under way (their rows stay claimed until done). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Claims and delivers due rows until none is due (or the concurrency is used up). */
  private async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (!this.stopped && this.inFlight.size < this.options.concurrency) {
          const now = Date.now();
          const row = await claimNext(this.db, now, now + this.options.lockMs, this.owner);
          if (!row) break;
          const p = this.deliver(row).finally(() => {
            this.inFlight.delete(p);
            // A slot is free: there may be more due.
            this.kick();
          });
          this.inFlight.add(p);
        }
      } while (this.again && !this.stopped);
    } catch (err) {
      this.logger.warn({ err: { message: (err as Error).message } }, 'outbox: claiming failed; trying again at the next poll');
    } finally {
      this.pumping = false;
    }
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const attempts = Number(row.attempts);
    const maxAttempts = Number(row.max_attempts);
    const handler = this.handlers.get(row.kind);
    try {
      if (!handler) throw new PermanentFailure(`no handler for ${row.kind}`);
      await handler.deliver(JSON.parse(row.payload) as never, { id: row.id, attempt: attempts, maxAttempts });
      await deleteDelivered(this.db, row.id, this.owner);
      this.logger.info({ kind: row.kind, attempt: attempts }, 'outbox: delivered');
    } catch (err) {
      const error = describeFailure(err);
      const now = Date.now();
      if (err instanceof PermanentFailure || (attempts >= maxAttempts && !(err instanceof RetryLater && err.notAnAttempt))) {
        if (await markFailed(this.db, row.id, this.owner, error, now).catch(() => false)) {
          this.logger.warn({ kind: row.kind, attempts, error }, 'outbox: delivery failed for good');
          await handler?.failed?.(JSON.parse(row.payload) as never, error).catch((e: Error) => this.logger.error({ err: { message: e.message } }, 'outbox: failure handler failed'));
        }
      } else {
        const backoff = Math.min(this.options.maxDelayMs, this.options.retryBaseMs * 2 ** (attempts - 1)) * (0.8 + Math.random() * 0.4);
        // A receiver's own wait is honoured as asked (never earlier; capped so a bogus value cannot park a row for days).
        const delay = err instanceof RetryLater ? Math.min(Math.max(0, err.retryAfterMs), 24 * 3_600_000) : backoff;
        await scheduleRetry(this.db, row.id, this.owner, now + Math.round(delay), error, now, err instanceof RetryLater && err.notAnAttempt).catch(() => undefined);
        this.logger.info({ kind: row.kind, attempt: attempts, error }, 'outbox: delivery failed, will retry');
      }
    }
  }

  list(status: 'pending' | 'failed'): Promise<OutboxRow[]> {
    return listOutbox(this.db, status);
  }

  counts(): Promise<{ pending: number; failed: number }> {
    return countByStatus(this.db);
  }

  /** A failed row is tried again (after the cause was fixed). */
  async retry(id: string): Promise<OutboxRow | undefined> {
    const row = await requeue(this.db, id, Date.now());
    if (row) this.kick();
    return row;
  }

  find(id: string): Promise<OutboxRow | undefined> {
    return findOutbox(this.db, id);
  }

  /** Removes the rows about `subjects` (in the caller's transaction), e.g. when a referral is deleted. */
  forget(trx: Db, subjects: string[]): Promise<void> {
    return deleteOutboxOf(trx, subjects);
  }
}
