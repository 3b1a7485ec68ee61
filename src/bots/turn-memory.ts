import type { Turn } from '../core/answer/answer.js';
import type { Core } from '../core/index.js';
import type { Actor, Scope } from '../core/types.js';

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

/** Records a grounded answer so its 👍/👎 buttons can refer to it; undefined when there is nothing to rate. */
export function recordAnswerForFeedback(core: Core, scope: Scope, user: Actor, data: Readonly<Record<string, unknown>>): string | undefined {
  if (typeof data.question !== 'string' || typeof data.answer !== 'string' || data.grounded !== true) return undefined;
  const model = typeof data.model === 'string' ? data.model : undefined;
  return core.feedback.recordAnswer(scope, { question: data.question, answer: data.answer, grounded: true, model, askedBy: user.id });
}
