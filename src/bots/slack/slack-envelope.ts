/**
 * What a Slack request says about where it comes from. Slack's Events API puts the workspace in
 * the envelope (`team_id`); many events carry no `event.team`, and in a channel shared between
 * organisations `event.team` is the *author's* workspace, not the one Docent is installed in.
 * So the workspace is taken from the envelope, the same way for every event, command and action.
 */
export interface SlackEnvelope {
  readonly team_id?: string;
  readonly authorizations?: readonly { readonly team_id?: string | null }[];
  readonly event?: { readonly context_team_id?: string; readonly team?: string };
  /** Interactivity payloads (shortcuts, actions). */
  readonly team?: { readonly id?: string } | null;
  readonly user?: { readonly team_id?: string };
}

/** The workspace a request belongs to: envelope `team_id`, then `authorizations`, then `context_team_id`. */
export function workspaceOf(body: SlackEnvelope): string {
  return (
    nonEmpty(body.team_id) ??
    nonEmpty(body.authorizations?.find((a) => nonEmpty(a.team_id ?? undefined))?.team_id ?? undefined) ??
    nonEmpty(body.event?.context_team_id) ??
    nonEmpty(body.team?.id) ??
    nonEmpty(body.user?.team_id) ??
    nonEmpty(body.event?.team) ??
    'T'
  );
}

/** Only a non-empty `bot_id` or the `bot_message` subtype marks a bot's message (`"bot_id": null` does not). */
export function isBotMessage(message: { readonly bot_id?: string | null; readonly subtype?: string }): boolean {
  return (typeof message.bot_id === 'string' && message.bot_id.length > 0) || message.subtype === 'bot_message';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.length > 0 ? value : undefined;
}
