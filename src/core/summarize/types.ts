// The conversation a summary reads is a port (ports.ts): platforms and transcripts supply it.
export type { ConversationMessage, ConversationSource, ConversationWindow } from '../ports/ports.js';

export interface SummaryItem {
  readonly text: string;
  /** Message references (m1, m2, …) the item comes from. */
  readonly messages: readonly string[];
}

export interface ActionItem extends SummaryItem {
  readonly owner: string | null;
  readonly due: string | null;
}

export interface Summary {
  readonly language: string;
  readonly tldr: string;
  readonly keyPoints: readonly SummaryItem[];
  readonly decisions: readonly SummaryItem[];
  readonly actionItems: readonly ActionItem[];
  readonly openQuestions: readonly SummaryItem[];
}
