import type { Turn } from '../../core/answer/answer.js';
import type { ConversationMemory } from '../../commands/run-command.js';

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

  remember(key: string, turn: Turn): void {
    const turns = [...this.get(key), turn].slice(-this.perConversation);
    this.turns.delete(key); // re-inserted last: the map stays in least-recently-used order
    this.turns.set(key, turns);
    if (this.turns.size > this.conversations) this.turns.delete(this.turns.keys().next().value ?? '');
  }

  /** One conversation's memory, as the command runner takes it. */
  of(key: string): ConversationMemory {
    return { turns: this.get(key), remember: (turn) => this.remember(key, turn) };
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
