import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponentWithCustomId, type APIComponentInMessageActionRow } from 'discord.js';
import type { CommandResult } from '../../commands/types.js';
import { DETAILS_LABEL, detailsActionId } from '../shared/details-button.js';
import { FEEDBACK_LABELS, feedbackActionId, type Rating } from '../shared/feedback.js';

/** The buttons under a reply: 👍/👎 when it can be rated, Details when it says what it sent where; none otherwise. */
export function replyButtons(result: CommandResult): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const buttons: APIButtonComponentWithCustomId[] = [];
  const answerId = result.feedback?.answerId;
  if (answerId !== undefined) {
    for (const rating of ['up', 'down'] as const satisfies readonly Rating[]) {
      buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: feedbackActionId(answerId, rating), emoji: { name: FEEDBACK_LABELS[rating].emoji }, label: FEEDBACK_LABELS[rating].label });
    }
  }
  if (result.detailsId !== undefined) buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: detailsActionId(result.detailsId), label: DETAILS_LABEL });
  return buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
}
