import type { Core } from '../../core/index.js';

export type Rating = 'up' | 'down';

/** The id a 👍/👎 button carries (Discord custom_id, Slack action_id): `feedback:<answer>:<rating>`. */
export const FEEDBACK_PREFIX = 'feedback:';

export function feedbackActionId(answerId: string, rating: Rating): string {
  return `${FEEDBACK_PREFIX}${answerId}:${rating}`;
}

export const FEEDBACK_LABELS: Readonly<Record<Rating, { readonly emoji: string; readonly label: string }>> = {
  up: { emoji: '👍', label: 'Helpful' },
  down: { emoji: '👎', label: 'Not helpful' },
};

/**
 * Records a press of 👍/👎 (one rating per person and answer) and says what to tell the person:
 * the same words on every platform.
 */
export async function rateFromButton(core: Core, actionId: string, userId: string): Promise<string> {
  const [, answerId, rating] = actionId.split(':');
  const ok = (rating === 'up' || rating === 'down') && (await core.feedback.rate(answerId ?? '', userId, rating));
  return ok ? `Thanks, noted ${rating === 'up' ? '👍' : '👎'}. It helps whoever runs Docent see which answers work.` : 'That answer is no longer on record.';
}
