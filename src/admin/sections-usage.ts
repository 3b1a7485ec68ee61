import type { AdminReport } from '../core/public-surface.js';
import { answeredShareChart, questionsChart } from './charts.js';
import { esc, link, fileSize, percent, section, table, when, type Html } from './html.js';
import { channelHref, partsOf, workspaceHref } from './scopes.js';

const num = (...columns: number[]) => new Set(columns);

/** A channel as a link to its page ("slack · T1 · C1"). */
export function channelCell(tenant: string): Html {
  if (tenant === '') return '<span class="note">(none)</span>';
  const { platform, workspace, channel } = partsOf(tenant);
  return `<a href="${esc(workspaceHref(tenant))}">${esc(`${platform} · ${workspace}`)}</a> · <a href="${esc(channelHref(tenant))}">${esc(channel)}</a>`;
}

export function tiles(r: AdminReport): Html {
  const t = r.totals;
  const tile = (id: string, value: string, label: string) => `<div class="tile" id="${id}"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
  return `<div class="tiles">${[
    tile('t-documents', String(t.documents), 'documents'),
    tile('t-passages', String(t.passages), 'passages'),
    tile('t-questions', String(t.questions), `questions (${r.days} days)`),
    tile('t-answered', percent(t.answered, t.questions), 'answered from the documents'),
    tile('t-down', String(t.ratedDown), 'answers rated down'),
  ].join('')}</div>`;
}

export function charts(r: AdminReport): Html {
  const legend = `<span class="legend"><i class="a"></i>answered <i class="n"></i>not covered</span>`;
  return section(
    'activity',
    `Questions, last ${r.days} days`,
    `<div class="charts"><figure>${questionsChart(r.perDay)}<figcaption>Questions per day (UTC). ${legend}</figcaption></figure>` +
      `<figure>${answeredShareChart(r.perDay)}<figcaption>Share answered from the documents, per day with questions.</figcaption></figure></div>`,
  );
}

export function channels(r: AdminReport): Html {
  const rows = r.channels.map((c) => [
    channelCell(c.tenant),
    String(c.documents),
    String(c.passages),
    String(c.questions),
    percent(c.answered, c.questions),
    String(c.questions - c.answered),
    c.ratedDown > 0 ? `<span class="bad">${c.ratedDown}</span>` : '0',
    String(c.schedules),
    esc(when(c.lastQuestion)),
  ]);
  return section(
    'channels',
    'Channels',
    table(['Channel', 'Documents', 'Passages', 'Questions', 'Answered', 'Not covered', 'Rated down', 'Digests', 'Last question'], rows, 'No channel has documents, questions or digests yet.', num(1, 2, 3, 4, 5, 6, 7)),
    `Questions and ratings over the last ${r.days} days.`,
  );
}

export function unanswered(r: AdminReport): Html {
  const { count, groups } = r.unanswered;
  if (!groups) {
    return section(
      'unanswered',
      'Questions the documents did not cover',
      `<p><b id="unanswered-count">${count}</b> question${count === 1 ? '' : 's'} in the last ${r.days} days (per channel in the table above).</p>`,
      'Question text is hidden. Set ADMIN_SHOW_QUESTIONS=true to show what people asked.',
    );
  }
  const rows = groups.map((g) => [
    `${esc(g.question)}${g.variants.length > 0 ? `<br><span class="note">also: ${g.variants.map((v) => `“${esc(v)}”`).join(', ')}</span>` : ''}`,
    String(g.count),
    esc(when(g.last)),
    g.tenants.map(channelCell).join('<br>'),
  ]);
  return section(
    'unanswered',
    'Questions the documents did not cover',
    table(['Question (similar ones grouped)', 'Asked', 'Last asked', 'Where'], rows, `Every question in the last ${r.days} days was answered from the documents.`, num(1)),
    `${count} in the last ${r.days} days, most asked first: documents worth adding.`,
  );
}

export function ratedDown(r: AdminReport): Html {
  const rows = r.ratedDown.map((a) => [
    esc(when(a.at)),
    channelCell(a.tenant),
    ...(r.showQuestions ? [esc(a.question), esc(a.answer.length > 600 ? `${a.answer.slice(0, 597)}…` : a.answer)] : []),
    a.sources.length > 0 ? a.sources.map((s) => esc(s)).join('<br>') : '<span class="note">none cited</span>',
    esc(a.model ?? 'quoted passages'),
    `${a.up} up · <span class="bad">${a.down} down</span>`,
  ]);
  const headers = ['When', 'Channel', ...(r.showQuestions ? ['Question', 'Answer'] : []), 'Sources', 'Model', 'Ratings'];
  return section(
    'rated-down',
    'Answers rated down',
    table(headers, rows, `No answer was rated down in the last ${r.days} days.`),
    r.showQuestions ? undefined : 'Questions and answers are hidden (ADMIN_SHOW_QUESTIONS is off); their sources and models are shown.',
  );
}

export function documents(r: AdminReport): Html {
  const rows = r.documents.map((d) => [
    channelCell(d.tenant),
    link(d.link, d.name),
    d.status !== 'ready' ? `<span class="bad">${esc(d.status)}</span>` : d.previous ? 'previous' : 'current',
    String(d.pages),
    String(d.passages),
    String(d.ocrPages),
    esc(fileSize(d.bytes)),
    esc(d.addedBy),
    esc(when(d.indexedAt)),
  ]);
  return section(
    'documents',
    'Documents',
    table(['Channel', 'File', 'Version', 'Pages', 'Passages', 'OCR pages', 'Size', 'Added by', 'Indexed'], rows, 'No documents yet.', num(3, 4, 5, 6)),
    r.documents.length >= 500 ? 'The first 500 are shown; open a workspace or channel for the rest.' : undefined,
  );
}
