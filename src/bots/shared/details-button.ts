import { renderDetails } from '../../commands/render-details.js';
import type { Core } from '../../core/index.js';

/** The id a Details button carries (Discord custom_id, Slack action_id): `details:<id>`. */
export const DETAILS_PREFIX = 'details:';
export const DETAILS_LABEL = 'Details';

export function detailsActionId(detailsId: string): string {
  return `${DETAILS_PREFIX}${detailsId}`;
}

/** What to show the person who pressed Details: the same words on every platform, to them only. */
export async function detailsFromButton(core: Core, actionId: string, userId: string): Promise<string> {
  const found = await core.details.read(actionId.slice(DETAILS_PREFIX.length), userId);
  if (found === 'gone') return 'The details of this reply are no longer kept (Docent keeps them for a week).';
  if (found === 'not_yours') return 'Only the person who asked can see what this reply sent where.';
  return renderDetails(found.details);
}
