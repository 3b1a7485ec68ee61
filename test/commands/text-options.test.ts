import { describe, expect, it } from 'vitest';
import { askCommand } from '../../src/commands/ask.js';
import { planPost, type Post } from '../../src/commands/plan-post.js';
import { textOptions } from '../../src/commands/text-options.js';
import { usage } from '../../src/commands/types.js';

describe('typed options set only by name (/ask … version:previous)', () => {
  it('takes version= or version: anywhere and leaves the question exactly as typed', async () => {
    expect(await textOptions(askCommand, "What's the budget? version=previous")).toEqual({ question: "What's the budget?", version: 'previous' });
    expect(await textOptions(askCommand, "version:previous what's the \"new\" budget?")).toEqual({ question: 'what\'s the "new" budget?', version: 'previous' });
    expect(await textOptions(askCommand, 'What is the budget? VERSION:Previous')).toEqual({ question: 'What is the budget?', version: 'Previous' });
  });

  it('never takes a word by position, and leaves name:value that is not a choice in the question', async () => {
    expect(await textOptions(askCommand, 'previous budget')).toEqual({ question: 'previous budget' });
    expect(await textOptions(askCommand, 'What does version:2 add?')).toEqual({ question: 'What does version:2 add?' });
    // version= with a value that is no choice is taken, so validation can name the choices.
    expect(await textOptions(askCommand, 'What is new? version=older')).toEqual({ question: 'What is new?', version: 'older' });
  });

  it('is shown in usage as a named option, and read from a mention too', async () => {
    expect(usage(askCommand)).toBe('/ask <question> [version=current|previous]');
    const post: Post = { text: 'what changed in the budget? version:previous', files: [], addressed: true, indexesAll: false, altText: false };
    const plan = await planPost(post);
    expect(plan.runs[0]?.options).toEqual({ question: 'what changed in the budget?', version: 'previous' });
  });
});
