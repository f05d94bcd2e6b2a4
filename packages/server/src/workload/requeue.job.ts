import type { ConversationService } from '../conversations/conversation.service.js';
import type { Logger } from '../logger.js';
import type { RunOnce } from '../retention/retention.job.js';

/**
 * Nothing is held by nobody: every interval, conversations whose counsellor has been away longer
 * than DIRETURN_AWAY_REQUEUE_MINUTES (set away, or not connected to any process) go back to the
 * queue. One process runs each interval; each move is a compare-and-set, so an overlap is harmless.
 */
export class RequeueJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly conversations: ConversationService,
    private readonly awayMs: number,
    private readonly logger: Logger,
    private readonly once?: RunOnce,
  ) {}

  /** One pass; `now` is injectable for tests. @returns how many conversations went back to the queue. */
  async run(now = Date.now()): Promise<number> {
    const moved = await this.conversations.requeueStranded(now - this.awayMs);
    if (moved) this.logger.info({ conversations: moved }, 'requeue: conversations of absent counsellors went back to the queue');
    return moved;
  }

  /** Checks a few times per away period (at most every minute). */
  start(): void {
    const intervalMs = Math.max(5_000, Math.min(60_000, Math.floor(this.awayMs / 4)));
    const tick = () => {
      this.running = this.tick(intervalMs).catch((err: Error) => this.logger.error({ err: { name: err.name, message: err.message } }, 'requeue failed'));
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  async tick(intervalMs: number): Promise<number | undefined> {
    if (!this.once) return this.run();
    if (!(await this.once.claim('requeue', Math.max(1, Math.floor(intervalMs * 0.9))))) return undefined;
    const result = await this.once.exclusive('requeue', () => this.run());
    return result === 'skipped' ? undefined : result;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
