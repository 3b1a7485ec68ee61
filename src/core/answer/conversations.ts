import type { Turn } from '../ports/types.js';
import type { ConversationState } from '../ports/state-store.js';
import { tenantKey, type Scope } from '../ports/types.js';

/** One conversation's follow-up memory, as the command runner takes it. */
export interface ConversationMemory {
  turns(): Promise<readonly Turn[]>;
  remember(turn: Turn): Promise<void>;
}

/** Recent /ask turns per conversation, so a follow-up such as "and in 2021?" can be understood. */
export interface Conversations {
  /** `key` names the conversation within the channel (a thread, or one person's questions). */
  of(scope: Scope, key: string): ConversationMemory;
}

/** Turns remembered per conversation. */
const TURNS_KEPT = 10;

export function createConversations(state: ConversationState, now: () => Date): Conversations {
  return {
    of(scope, key) {
      // The tenant is part of the key: a conversation never reaches another channel's memory.
      const stored = `${tenantKey(scope)}|${key}`;
      // Read when a command asks for them (only /ask does), not for every request.
      return {
        turns: () => state.turns(stored, TURNS_KEPT),
        remember: (turn) => state.remember(stored, turn, TURNS_KEPT, now()),
      };
    },
  };
}
