import { describe, expect, it } from 'vitest';
import { isFollowUp } from '../../../src/core/answer/follow-up.js';

describe('follow-up detection', () => {
  it.each(['and in 2021?', 'What about Texas?', 'how about for renters?', 'why?', 'For Texas?', 'in 2021?', 'What was its rate?', 'Why did they fall?', 'And the lowest one?', 'compared with 2019?', 'does it keep a copy of the original file somewhere?', 'but how?'])(
    '%s depends on the earlier turns',
    (question) => expect(isFollowUp(question, true)).toBe(true),
  );

  it.each([
    'What is a good recipe for sourdough bread?',
    'Which state had the highest uninsured rate in 2022?',
    'How many people worked from home in December 2017?',
    'What is the Gini index?',
    'Which metro area had the lowest poverty rate in 2022?',
    'Why does the archive_command have to return a zero exit status?',
    'And how do I restore a base backup with pg_basebackup?',
    'What is that setting called in postgresql.conf?',
  ])('%s stands alone', (question) => expect(isFollowUp(question, true)).toBe(false));

  it('is never a follow-up when there is nothing before it', () => {
    expect(isFollowUp('and in 2021?', false)).toBe(false);
  });
});
