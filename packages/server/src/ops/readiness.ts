import type { Logger } from '../logger.js';

/** Throws (or rejects) when the dependency cannot serve: the database, Redis. */
export type ReadinessCheck = () => Promise<void>;

/** Body of GET /readyz: 200 when `ready`, 503 otherwise. No error texts: the endpoint is public. */
export interface ReadyResponse {
  status: 'ready' | 'unavailable' | 'draining';
  checks: Record<string, 'ok' | 'failed'>;
}

/**
 * Whether a load balancer should send this process new work: every registered dependency answers
 * within `timeoutMs`, and the process is not shutting down. `/healthz` only says the process lives.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  /** Last outcome per check, so a lasting outage logs once, not on every probe. */
  private readonly failing = new Set<string>();
  private drainingSince: number | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs = 2000,
  ) {}

  /** Registers a dependency; the name appears in the /readyz body (`database`, `redis`). */
  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** From now on /readyz answers 503 `draining` (the first step of closing). */
  startDraining(): void {
    this.drainingSince ??= Date.now();
  }

  async check(): Promise<ReadyResponse> {
    if (this.draining) return { status: 'draining', checks: {} };
    const names = [...this.checks.keys()];
    const outcomes = await Promise.all(names.map((name) => this.run(name, this.checks.get(name)!)));
    const checks = Object.fromEntries(names.map((n, i) => [n, outcomes[i]!])) as ReadyResponse['checks'];
    // A probe that started before draining began must not report ready after it.
    const status = this.draining ? 'draining' : outcomes.every((o) => o === 'ok') ? 'ready' : 'unavailable';
    return { status, checks };
  }

  private async run(name: string, check: ReadinessCheck): Promise<'ok' | 'failed'> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        check(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
      if (this.failing.delete(name)) this.logger.info({ check: name }, 'readiness check passes again');
      return 'ok';
    } catch (err) {
      if (!this.failing.has(name)) {
        this.failing.add(name);
        this.logger.warn({ check: name, err: { message: (err as Error)?.message ?? String(err) } }, 'readiness check failed');
      }
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  }
}
