import type { AuditService } from '../audit/audit.service.js';
import type { ConversationService } from '../conversations/conversation.service.js';
import type { KnowledgeService } from '../knowledge/knowledge.service.js';
import type { Logger } from '../logger.js';
import type { SettingsService } from '../settings/settings.service.js';

const DAY_MS = 86_400_000;

/** How the processes of an installation agree that one of them runs the job (see app.ts). */
export interface RunOnce {
  /** True for the first caller of `name` within `ttlMs`, across processes. */
  claim(name: string, ttlMs: number): Promise<boolean>;
  /** Runs `fn` unless another process runs `name` right now. */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | 'skipped'>;
}

export interface RetentionResult {
  conversations: number;
  visitors: number;
  auditEntries: number;
  /** Counted searches without hits (language + normalised query) not repeated within the period. */
  searchMisses: number;
  /** Numbers of callback requests deleted (only present when there were any). */
  callbackNumbers?: number;
}

/** Other data with a retention of its own that the job runs too. */
export interface RetentionPart {
  /** Callback numbers past DIRETURN_CALLBACK_RETENTION_DAYS: deletes them, returns how many. */
  purgeNumbers(now: number): Promise<number>;
}

/**
 * Deletes closed conversations and inactive visitors after the retention period (settings,
 * default DIRETURN_RETENTION_DAYS = 90), searches without hits not repeated within the same period,
 * audit entries after DIRETURN_AUDIT_RETENTION_DAYS (default 365) and the numbers of callback
 * requests DIRETURN_CALLBACK_RETENTION_DAYS (default 14) after their last time window: at start and then every interval, on an unref'd timer so it never keeps the
 * process alive.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly conversations: ConversationService,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly auditRetentionDays: number,
    private readonly logger: Logger,
    private readonly once?: RunOnce,
    private readonly knowledge?: Pick<KnowledgeService, 'pruneMisses' | 'pruneSearchWords'>,
    private readonly callbacks?: RetentionPart,
  ) {}

  /** One pass; `now` is injectable for tests. */
  async run(now = Date.now()): Promise<RetentionResult> {
    // The audit log first: the run's own `retention.deleted` entry (stamped with the clock) must
    // never fall to the cutoff of the same run.
    const auditEntries = await this.audit.deleteBefore(now - this.auditRetentionDays * DAY_MS);
    const { conversations, visitors } = await this.conversations.deleteExpired(now - this.settings.retentionMs);
    const searchMisses = (await this.knowledge?.pruneMisses(now - this.settings.retentionMs)) ?? 0;
    // index upkeep, not personal data: not part of the result on record
    await this.knowledge?.pruneSearchWords();
    const callbackNumbers = (await this.callbacks?.purgeNumbers(now)) ?? 0;
    const result: RetentionResult = { conversations, visitors, auditEntries, searchMisses, ...(callbackNumbers ? { callbackNumbers } : {}) };
    // Also a run that only pruned the audit log leaves a trace in it.
    if (conversations || visitors || auditEntries || searchMisses || callbackNumbers) {
      await this.audit.record({ agentId: null, action: 'retention.deleted', details: { ...result } });
      await this.conversations.erase(); // out of the WAL too, not only out of the tables
    }
    // Counts only: nothing personal in the log.
    if (conversations || visitors || auditEntries || searchMisses || callbackNumbers) this.logger.info(result, 'retention: deleted expired data');
    return result;
  }

  /**
   * Runs at start and then every interval, once per interval for the whole installation: the
   * first process to claim an interval runs it, the others skip it.
   */
  start(intervalMs: number): void {
    const tick = () => {
      this.running = this.tick(intervalMs).catch((err: Error) => this.logger.error({ err: { name: err.name, message: err.message } }, 'retention failed'));
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  /** One scheduled run: skipped (undefined) when another process claimed this interval or runs now. */
  async tick(intervalMs: number): Promise<RetentionResult | undefined> {
    if (!this.once) return this.run();
    // A little under the interval, so this process's own next tick finds the claim expired.
    if (!(await this.once.claim('retention', Math.max(1, Math.floor(intervalMs * 0.9))))) return undefined;
    const result = await this.once.exclusive('retention', () => this.run());
    return result === 'skipped' ? undefined : result;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
