import { describe, expect, it } from 'vitest';
import { helpLine } from '../../src/commands/help.js';

describe('the command list', () => {
  it('puts a short usage and its description in two columns', () => {
    expect(helpLine('/docs', 'List the documents')).toBe(`  ${'/docs'.padEnd(28)} List the documents`);
  });

  it('gives a usage too long for its column the description on the next line, aligned, never run together', () => {
    const usage = '/digest add when:<schedule> [channels:<list>]';
    expect(helpLine(usage, 'Post a digest on a schedule')).toBe(`  ${usage}\n  ${' '.repeat(28)} Post a digest on a schedule`);
  });
});
