import type { Logger } from '../../core/ports/ports.js';

/**
 * The requests a bot is working on. A graceful stop refuses new work, then waits for the work in
 * progress (an answer being written, a PDF being indexed) before the bot disconnects. A handler's
 * error is logged and never reaches the platform's event loop.
 */
export class InFlight {
  private readonly work = new Set<Promise<unknown>>();
  private stoppingNow = false;

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  get stopping(): boolean {
    return this.stoppingNow;
  }

  /** Runs `work` as tracked work; ignored once stopping. */
  track(work: () => Promise<unknown>): void {
    if (this.stoppingNow) return;
    const guarded = work().catch((error: unknown) => this.logger.error({ err: error }, `${this.what} handler failed`));
    this.work.add(guarded);
    void guarded.finally(() => this.work.delete(guarded));
  }

  /** Stops taking work and resolves when what was in progress has finished. */
  async drain(): Promise<void> {
    this.stoppingNow = true;
    await Promise.allSettled([...this.work]);
  }
}
