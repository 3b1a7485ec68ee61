import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord.js';
import type { CommandResult } from '../../commands/types.js';
import { FEEDBACK_LABELS, feedbackActionId, type Rating } from '../shared/feedback.js';

/** 👍/👎 buttons under a reply whose result can be rated; none otherwise. */
export function feedbackRow(result: CommandResult): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const answerId = result.feedback?.answerId;
  if (answerId === undefined) return [];
  const button = (rating: Rating) => ({
    type: ComponentType.Button as const,
    style: ButtonStyle.Secondary as const,
    custom_id: feedbackActionId(answerId, rating),
    emoji: { name: FEEDBACK_LABELS[rating].emoji },
    label: FEEDBACK_LABELS[rating].label,
  });
  return [{ type: ComponentType.ActionRow, components: [button('up'), button('down')] }];
}
