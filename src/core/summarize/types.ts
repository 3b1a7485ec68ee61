/** One chat message as a conversation source hands it over: names as people see them. */
export interface ConversationMessage {
  readonly id: string;
  readonly author: { readonly id: string; readonly name: string; readonly bot: boolean };
  readonly text: string;
  readonly at: Date | undefined;
  /** A link to the message (Discord message URL, Slack permalink), when the platform has one. */
  readonly link: string | undefined;
  /** Docent's own replies are skipped like other bots' unless asked for. */
  readonly fromDocent?: boolean;
}

export interface ConversationWindow {
  /** The most recent messages (at most `limit`), in pages, oldest first. */
  readonly pages: AsyncIterable<ConversationMessage[]>;
  /** True when older messages exist beyond the limit and were left out. */
  readonly capped: boolean;
}

/** Where messages come from: a chat platform's history, or a transcript file. */
export interface ConversationSource {
  /** Describes the conversation ("thread in #general", "transcript.txt"). */
  readonly label: string;
  messages(options: { limit: number; since?: Date; signal?: AbortSignal }): Promise<ConversationWindow>;
}

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
