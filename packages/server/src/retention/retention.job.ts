import type { ConversationService } from '../conversations/conversation.service.js';
import type { Logger } from '../logger.js';
import type { SettingsService } from '../settings/settings.service.js';

/**
 * Deletes closed conversations and inactive visitors after the retention period (settings,
 * default DIRETURN_RETENTION_DAYS = 90): at start and then every interval, on an unref'd timer
 * so it never keeps the process alive.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly conversations: ConversationService,
    private readonly settings: SettingsService,
    private readonly logger: Logger,
  ) {}

  /** One pass; `now` is injectable for tests. */
  async run(now = Date.now()): Promise<{ conversations: number; visitors: number }> {
    const result = await this.conversations.deleteExpired(now - this.settings.retentionMs);
    if (result.conversations || result.visitors) this.logger.info(result, 'retention: deleted expired data');
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
