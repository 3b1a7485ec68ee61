import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/bots/shared/turn-memory.js';

describe('whose turns a follow-up reads', () => {
  it('in a thread, everyone’s; elsewhere in a channel, each person’s own', () => {
    expect(conversationKey({ channel: 'C1', thread: 'T1', user: 'U1' })).toBe(conversationKey({ channel: 'C1', thread: 'T1', user: 'U2' }));
    expect(conversationKey({ channel: 'C1', user: 'U1' })).not.toBe(conversationKey({ channel: 'C1', user: 'U2' }));
    expect(conversationKey({ channel: 'C1', user: 'U1' })).not.toBe(conversationKey({ channel: 'C1', thread: 'T1', user: 'U1' }));
  });
});
