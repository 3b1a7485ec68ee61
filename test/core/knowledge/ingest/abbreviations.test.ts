import { describe, expect, it } from 'vitest';
import { findAbbreviations, withAbbreviations } from '../../../../src/core/knowledge/ingest/abbreviations.js';
import { tokenize } from '../../../../src/core/lib/tokenizer.js';
import { alice, bufferFile, scope, startCore, testConfig } from '../../../helpers/core.js';

describe('abbreviations a document defines', () => {
  it('finds “Long Form (LF)” and “LF (long form)” whose initials spell the abbreviation', () => {
    const found = findAbbreviations('Changes go to the Write-Ahead Log (WAL) first. The TAC (Technical Advisory Council) meets monthly.');
    expect(found).toEqual([
      { short: tokenize('WAL')[0], long: tokenize('Write-Ahead Log').filter((t) => t !== 'writeahead') },
      { short: tokenize('TAC')[0], long: tokenize('Technical Advisory Council') },
    ].map((a) => ({ short: a.short, long: expect.arrayContaining(a.long) })));
  });

  it('skips small words inside the long form, and ignores parentheses that are no definition', () => {
    expect(findAbbreviations('the Bill of Materials (BOM) lists components').map((a) => a.short)).toEqual(tokenize('BOM'));
    expect(findAbbreviations('the budget (see Table 2) grew (by 5 percent) in 2022 (USD)')).toEqual([]);
  });

  it('joins a passage’s abbreviation to its meaning and the meaning to the abbreviation', () => {
    const [wal] = findAbbreviations('the write-ahead log (WAL)');
    expect(withAbbreviations(tokenize('archive the WAL segments'), [wal])).toEqual(expect.arrayContaining(tokenize('write ahead log')));
    expect(withAbbreviations(tokenize('the write ahead log is archived'), [wal])).toContain(tokenize('WAL')[0]);
  });

  it('finds a passage that only says the abbreviation by its spelled-out form, and the other way round', async () => {
    const core = await startCore(testConfig());
    await core.start();
    const here = scope('C-abbrev');
    const text = [
      '# Archiving',
      '',
      'PostgreSQL maintains a write-ahead log (WAL) in the pg_wal directory.',
      '',
      '## Setup',
      '',
      'Set archive_mode to on, then every WAL segment is copied by the archive command. '.repeat(30),
      '',
      '## Retention',
      '',
      'Old write-ahead log files are removed after each checkpoint once they are archived. '.repeat(30),
    ].join('\n');
    await core.knowledge.ingest(here, bufferFile('archiving.md', Buffer.from(text)), alice);
    const spelled = await core.knowledge.search(here, 'how is each write ahead log segment copied', 3);
    expect(spelled.hits[0]?.heading).toBe('Setup');
    const short = await core.knowledge.search(here, 'when are WAL files removed?', 3);
    expect(short.hits[0]?.heading).toBe('Retention');
    await core.close();
  });
});
