import { describe, expect, it } from 'vitest';
import { BLOCKS_PER_MESSAGE, SECTION_LIMIT, toBlockMessages, toMrkdwn } from '../../../src/bots/slack/format.js';

describe('toMrkdwn', () => {
  it('escapes &, < and > and converts Markdown bold, headings and links', () => {
    expect(toMrkdwn('Costs <5% & rising > expected')).toBe('Costs &lt;5% &amp; rising &gt; expected');
    expect(toMrkdwn('**Sources**\n# Title')).toBe('*Sources*\n*Title*');
    expect(toMrkdwn('[1] [a<b>.pdf](https://x.example/a?b=1&c=2), page 3')).toBe('[1] <https://x.example/a?b=1&c=2|a&lt;b&gt;.pdf>, page 3');
  });

  it('cannot be tricked into a mention or a link by document text', () => {
    expect(toMrkdwn('<!channel> <@U123> <https://evil.example|click>')).toBe('&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt;');
  });
});

describe('toBlockMessages', () => {
  it('keeps sections under 3,000 characters, cut at line ends, and messages under 50 blocks', () => {
    const line = 'x'.repeat(120);
    const text = Array.from({ length: 2000 }, () => line).join('\n');
    const messages = toBlockMessages(text);
    expect(messages.length).toBeGreaterThan(1);
    for (const blocks of messages) {
      expect(blocks.length).toBeLessThan(BLOCKS_PER_MESSAGE);
      for (const block of blocks) {
        expect(block.text.text.length).toBeLessThanOrEqual(SECTION_LIMIT);
        expect(block.text.text.split('\n').every((l) => l === line)).toBe(true);
      }
    }
    expect(messages.flat().map((b) => b.text.text).join('\n')).toBe(text);
  });

  it('cuts a single line longer than a section', () => {
    const messages = toBlockMessages('y'.repeat(7000));
    expect(messages[0].map((b) => b.text.text.length)).toEqual([3000, 3000, 1000]);
  });
});
