import type { Turn } from '../core/answer/answer.js';

/**
 * Recent /ask turns per conversation (a channel, or a thread), so a follow-up such as "and in
 * 2021?" can be understood. Bounded in turns per conversation and in conversations remembered.
 */
export class TurnMemory {
  private readonly turns = new Map<string, Turn[]>();

  constructor(
    private readonly perConversation = 10,
    private readonly conversations = 5000,
  ) {}

  get(key: string): Turn[] {
    return this.turns.get(key) ?? [];
  }

  /** Remembers an answered question from a command result's data (`question`, `answer`). */
  remember(key: string, data: Readonly<Record<string, unknown>>): void {
    if (typeof data.question !== 'string' || typeof data.answer !== 'string') return;
    const turns = [...this.get(key), { question: data.question, answer: data.answer }].slice(-this.perConversation);
    this.turns.delete(key); // re-inserted last: the map stays in least-recently-used order
    this.turns.set(key, turns);
    if (this.turns.size > this.conversations) this.turns.delete(this.turns.keys().next().value ?? '');
  }
}

/**
 * Whose follow-ups a turn belongs to: in a thread, everyone's in it (they talk about the same
 * thing); elsewhere in a channel, each person's own, so one person's question never bends how
 * another's is understood.
 */
export function conversationKey(where: { readonly channel: string; readonly thread?: string | undefined; readonly user: string }): string {
  return where.thread ? `${where.channel}:thread:${where.thread}` : `${where.channel}:user:${where.user}`;
}

/** The recorded answer a grounded reply's 👍/👎 buttons refer to; undefined when there is nothing to rate. */
export function answerIdForFeedback(data: Readonly<Record<string, unknown>>): string | undefined {
  return data.grounded === true && typeof data.answerId === 'string' ? data.answerId : undefined;
}
