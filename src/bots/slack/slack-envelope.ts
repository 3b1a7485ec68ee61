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

/** What Slack sends that identifies one delivery (fields of events, slash commands and interactivity payloads). */
export interface SlackDeliveryBody {
  readonly event_id?: string;
  readonly event?: { readonly type?: string; readonly subtype?: string };
  /** Slash commands. */
  readonly command?: string;
  /** Interactivity payloads: block_actions, message_action, shortcut, view_submission… */
  readonly type?: string;
  /** Made by Slack for each slash command and each interaction, never reused. */
  readonly trigger_id?: string;
}

/**
 * The key that makes one Slack request one piece of work, or undefined when there is none. An
 * Events API event has its `event_id` (the same on Slack's retries); a slash command and an
 * interaction have their `trigger_id`, unique per invocation: a signed request replayed within
 * its five-minute window carries the same one, so it is acknowledged but not run again.
 */
export function deliveryOf(body: SlackDeliveryBody): { readonly source: string; readonly id: string } | undefined {
  const eventId = nonEmpty(body.event_id);
  if (eventId) return { source: 'slack:event', id: eventId };
  const triggerId = nonEmpty(body.trigger_id);
  if (triggerId && (nonEmpty(body.command) || nonEmpty(body.type))) return { source: 'slack:trigger', id: triggerId };
  return undefined;
}
