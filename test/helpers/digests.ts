import type { Clock, DigestPlatform, Scheduler } from '../../src/core/ports/ports.js';
import type { ConversationMessage, ConversationSource } from '../../src/core/summarize/types.js';

/** A clock that only moves when told; sleeping advances it instantly (retry waits cost nothing). */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  async sleep(ms: number): Promise<void> {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Keeps the tasks the digest service schedules, so a test fires them when it decides. */
export class ManualScheduler implements Scheduler {
  readonly tasks = new Map<number, { expression: string; timezone: string; onTick: () => void; stopped: boolean }>();
  private next = 0;
  schedule(expression: string, timezone: string, onTick: () => void): { stop(): void } {
    const task = { expression, timezone, onTick, stopped: false };
    this.tasks.set(++this.next, task);
    return { stop: () => void (task.stopped = true) };
  }
  get active() {
    return [...this.tasks.values()].filter((t) => !t.stopped);
  }
  /** Fires every active task (as CronScheduler would at a scheduled instant). */
  tickAll(): void {
    for (const task of this.active) task.onTick();
  }
}

export interface FakePost {
  readonly workspace: string;
  readonly channel: string;
  readonly markdown: string;
  readonly at: Date;
}

/** A chat platform in memory: channels with messages, who may read them, posts and private notes. */
export class FakeDigestPlatform implements DigestPlatform {
  readonly posts: FakePost[] = [];
  readonly notes: { userId: string; markdown: string }[] = [];
  readonly messages = new Map<string, ConversationMessage[]>();
  readonly readers = new Map<string, Set<string>>();
  readonly broken = new Set<string>();
  /** Channels whose history cannot even be opened (an unexpected error, thrown at once). */
  readonly crashing = new Set<string>();
  failPosts = 0;
  postDelayMs = 0;

  constructor(
    readonly platform: string,
    private readonly clock: { now(): Date },
  ) {}

  say(channel: string, author: string, text: string, at: Date | string): void {
    const list = this.messages.get(channel) ?? [];
    list.push({ id: `${channel}-${list.length + 1}`, author: { id: author.toLowerCase(), name: author, bot: false }, text, at: new Date(at), link: `https://chat.example/${channel}/${list.length + 1}` });
    this.messages.set(channel, list);
  }

  allow(userId: string, ...channels: string[]): void {
    for (const channel of channels) this.readers.set(channel, new Set([...(this.readers.get(channel) ?? []), userId]));
  }

  conversation(_workspace: string, channel: string, label: string): ConversationSource {
    if (this.crashing.has(channel)) throw new TypeError('Cannot read properties of undefined (reading "history")');
    return {
      label,
      messages: async ({ since, limit }) => {
        if (this.broken.has(channel)) throw new Error(`history of ${channel} is unavailable (missing_scope)`);
        const all = (this.messages.get(channel) ?? []).filter((m) => !since || (m.at !== undefined && m.at >= since)).slice(-limit);
        return {
          capped: false,
          pages: (async function* () {
            yield all;
          })(),
        };
      },
    };
  }

  async canRead(_workspace: string, userId: string, channel: string): Promise<boolean> {
    return this.readers.get(channel)?.has(userId) ?? false;
  }

  async channelLabel(_workspace: string, channel: string): Promise<string> {
    return `#${channel}`;
  }

  async findChannel(_workspace: string, name: string): Promise<string | undefined> {
    return this.readers.has(name) || this.messages.has(name) ? name : undefined;
  }

  async post(workspace: string, channel: string, markdown: string): Promise<string> {
    if (this.postDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.postDelayMs));
    if (this.failPosts > 0) {
      this.failPosts--;
      throw new Error('channel_not_found');
    }
    this.posts.push({ workspace, channel, markdown, at: this.clock.now() });
    return `m${this.posts.length}`;
  }

  async notify(_workspace: string, userId: string, markdown: string): Promise<void> {
    this.notes.push({ userId, markdown });
  }
}
