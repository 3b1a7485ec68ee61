import { describe, expect, it } from 'vitest';
import { answeredShareChart, niceMax, questionsChart } from '../../src/admin/charts.js';
import { everyDay } from '../../src/core/insights/report.js';
import { groupSimilar } from '../../src/core/insights/group-questions.js';

const days = everyDay(
  [
    { day: '2026-11-02', asked: 4, answered: 3 },
    { day: '2026-11-03', asked: 1, answered: 0 },
    { day: '2026-11-05', asked: 7, answered: 7 },
  ],
  new Date('2026-11-01T18:00:00Z'),
  new Date('2026-11-06T09:00:00Z'),
);

describe('the SVG charts', () => {
  it('fill every day of the window, days without questions as zero', () => {
    expect(days.map((d) => d.day)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06']);
    expect(days[3]).toEqual({ day: '2026-11-04', asked: 0, answered: 0 });
  });

  it('round the axis up to an even top, so the middle tick is whole', () => {
    expect([0, 1, 2, 3, 5, 7, 9, 11, 45, 130].map(niceMax)).toEqual([2, 2, 2, 4, 6, 8, 10, 20, 60, 200]);
  });

  it('draw one bar per day, answered and not covered stacked to scale, each with a title', () => {
    const svg = questionsChart(days);
    expect(svg.match(/<g class="bar"/g)).toHaveLength(6);
    expect(svg).toContain('<title>2026-11-02: 4 asked, 3 answered, 1 not covered</title>');
    // Top 8 over a 180 px plot: 7 answered questions are 157.5 px high, none missed is 0.
    expect(svg).toMatch(/data-day="2026-11-05" data-asked="7" data-answered="7"><title>[^<]*<\/title><rect [^>]*height="157\.5" fill="#2f7d4f"\/><rect [^>]*height="0\.0"/);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('draw the answered share only for days with questions, breaking the line across days without', () => {
    const svg = answeredShareChart(days);
    expect(svg.match(/class="point"/g)).toHaveLength(3);
    expect(svg).toContain('data-share="75"');
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(answeredShareChart(everyDay([], new Date('2026-11-01'), new Date('2026-11-03')))).not.toMatch(/<polyline|NaN/);
  });
});

describe('grouping unanswered questions', () => {
  const at = new Date('2026-11-02T10:00:00Z');
  it('puts the same question in other words together, most asked first, and keeps different ones apart', () => {
    const groups = groupSimilar([
      { tenant: 'slack:T1:C1', question: 'Who has the key to the boat shed?', at },
      { tenant: 'slack:T1:C2', question: 'What is the wifi password?', at },
      { tenant: 'slack:T1:C1', question: 'who has the boat shed key', at },
      { tenant: 'slack:T1:C2', question: 'Who has the boat shed keys?', at },
      { tenant: 'slack:T1:C1', question: 'Who cleans the boat?', at },
    ]);
    expect(groups.map((g) => [g.question, g.count])).toEqual([
      ['Who has the key to the boat shed?', 3],
      ['What is the wifi password?', 1],
      ['Who cleans the boat?', 1],
    ]);
    expect(groups[0]?.variants).toEqual(['who has the boat shed key', 'Who has the boat shed keys?']);
    expect(groups[0]?.tenants).toEqual(['slack:T1:C1', 'slack:T1:C2']);
  });
});

describe('file sizes on the page', () => {
  it('read as bytes, KB or MB', async () => {
    const { fileSize } = await import('../../src/admin/html.js');
    expect([820, 14 * 1024, 3.2 * 1024 * 1024, 48 * 1024 * 1024].map(fileSize)).toEqual(['820 B', '14 KB', '3.2 MB', '48 MB']);
  });
});
