/**
 * Whose follow-ups a turn belongs to: in a thread, everyone's in it (they talk about the same
 * thing); elsewhere in a channel, each person's own, so one person's question never bends how
 * another's is understood. The turns themselves are kept by the core (`core.conversations`).
 */
export function conversationKey(where: { readonly channel: string; readonly thread?: string | undefined; readonly user: string }): string {
  return where.thread ? `${where.channel}:thread:${where.thread}` : `${where.channel}:user:${where.user}`;
}
