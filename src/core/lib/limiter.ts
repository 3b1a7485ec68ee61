/** Runs at most `concurrency` tasks at once; the rest wait in arrival order. */
export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Waits for a slot; call the returned function exactly once to give it back. */
  acquire(onQueued?: () => void, queueNoticeMs?: number): Promise<() => void>;
  readonly active: number;
  readonly queued: number;
}

export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
  let active = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) next();
  };

  const acquire = async (onQueued?: () => void, queueNoticeMs = 0): Promise<() => void> => {
    if (active >= concurrency) {
      const timer = onQueued ? setTimeout(onQueued, queueNoticeMs) : undefined;
      await new Promise<void>((resolve) => waiting.push(resolve));
      clearTimeout(timer);
    }
    active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };

  return {
    get active() {
      return active;
    },
    get queued() {
      return waiting.length;
    },
    acquire,
    async run<T>(task: () => Promise<T>): Promise<T> {
      const done = await acquire();
      try {
        return await task();
      } finally {
        done();
      }
    },
  };
}
