import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../../src/bots/discord/split-message.js';
import { prose } from '../../helpers/pdfs.js';

describe('splitMessage', () => {
  it('leaves a short message alone', () => {
    expect(splitMessage('hello')).toEqual(['hello']);
    expect(splitMessage('')).toEqual(['']);
  });

  it('splits long text under the limit, at paragraph or line ends, and the parts join back to the text', () => {
    const text = Array.from({ length: 12 }, (_, i) => prose(i + 1, 6)).join('\n\n');
    const parts = splitMessage(text);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('')).toBe(text);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(2000);
    for (const part of parts.slice(0, -1)) expect(part.endsWith('\n')).toBe(true);
  });

  it('never cuts inside a code block that fits in a message, nor a link, nor a citation line', () => {
    const code = '```ts\n' + Array.from({ length: 40 }, (_, i) => `const value${i} = ${i};`).join('\n') + '\n```\n';
    const citation = '[3] report.pdf, page 12 — “a long excerpt that must stay on one line with its file and page”\n';
    const link = 'See [the 2022 report](https://example.org/reports/2022/annual-report-final.pdf) for details. ';
    const text = prose(1, 14) + '\n\n' + code + '\n' + link.repeat(6) + '\n' + citation.repeat(8) + prose(2, 10);
    const parts = splitMessage(text, 900);
    expect(parts.join('')).toBe(text);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(900);
      expect((part.match(/```/g) ?? []).length % 2).toBe(0);
      expect(part).not.toMatch(/\]\(https:[^)]*$/);
    }
    const citationParts = parts.filter((p) => p.includes('[3] report.pdf'));
    for (const part of citationParts) for (const line of part.split('\n').filter((l) => l.startsWith('[3]'))) expect(line).toContain('with its file and page”');
  });

  it('cuts a code block longer than a message, closing and reopening the fence', () => {
    const code = '```python\n' + Array.from({ length: 200 }, (_, i) => `print(${i})`).join('\n') + '\n```';
    const parts = splitMessage(code, 500);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(500);
      expect((part.match(/```/g) ?? []).length).toBe(2);
    }
    expect(parts[1].startsWith('```python\n')).toBe(true);
    const body = parts.map((p) => p.replace(/^```python\n/, '').replace(/\n```$/, '')).join('\n');
    expect(body).toContain('print(0)');
    expect(body).toContain('print(199)');
  });

  it('cuts a single word longer than a message', () => {
    const parts = splitMessage('x'.repeat(4500));
    expect(parts.map((p) => p.length)).toEqual([2000, 2000, 500]);
  });
});
