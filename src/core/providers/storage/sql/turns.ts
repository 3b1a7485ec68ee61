/** Runs `work` once every earlier call naming the same key has finished (resolved or not). */
export type Turns = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/** Callers in this process naming the same key take turns, in the order they came. */
export function inProcessTurns(): Turns {
  const last = new Map<string, Promise<unknown>>();
  return async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (last.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
    last.set(key, run);
    try {
      return await run;
    } finally {
      if (last.get(key) === run) last.delete(key);
    }
  };
}
