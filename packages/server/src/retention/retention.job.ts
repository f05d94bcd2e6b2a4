import type { AuditService } from '../audit/audit.service.js';
import type { ConversationService } from '../conversations/conversation.service.js';
import type { Logger } from '../logger.js';
import type { SettingsService } from '../settings/settings.service.js';

const DAY_MS = 86_400_000;

export interface RetentionResult {
  conversations: number;
  visitors: number;
  auditEntries: number;
}

/**
 * Deletes closed conversations and inactive visitors after the retention period (settings,
 * default DIRETURN_RETENTION_DAYS = 90) and audit entries after DIRETURN_AUDIT_RETENTION_DAYS
 * (default 365): at start and then every interval, on an unref'd timer so it never keeps the
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
  ) {}

  /** One pass; `now` is injectable for tests. */
  async run(now = Date.now()): Promise<RetentionResult> {
    // The audit log first: the run's own `retention.deleted` entry (stamped with the clock) must
    // never fall to the cutoff of the same run.
    const auditEntries = await this.audit.deleteBefore(now - this.auditRetentionDays * DAY_MS);
    const { conversations, visitors } = await this.conversations.deleteExpired(now - this.settings.retentionMs);
    const result: RetentionResult = { conversations, visitors, auditEntries };
    // Also a run that only pruned the audit log leaves a trace in it.
    if (conversations || visitors || auditEntries) {
      await this.audit.record({ agentId: null, action: 'retention.deleted', details: { ...result } });
      await this.conversations.erase(); // out of the WAL too, not only out of the tables
    }
    // Counts only: nothing personal in the log.
    if (conversations || visitors || auditEntries) this.logger.info(result, 'retention: deleted expired data');
    return result;
  }

  start(intervalMs: number): void {
    const tick = () => {
      this.running = this.run().catch((err: Error) => this.logger.error({ err: { name: err.name, message: err.message } }, 'retention failed'));
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
