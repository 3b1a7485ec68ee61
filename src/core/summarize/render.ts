import type { MessageRef, SummaryResult } from './summarize.js';
import type { SummaryItem } from './types.js';

function refLabel(ref: MessageRef): string {
  const when = ref.at ? ` ${ref.at.toISOString().slice(11, 16)}` : '';
  return ref.link ? `[${ref.author}${when}](${ref.link})` : `${ref.author}${when}`;
}

function sources(item: SummaryItem, refs: ReadonlyMap<string, MessageRef>): string {
  const labels = item.messages.slice(0, 3).flatMap((m) => {
    const ref = refs.get(m);
    return ref ? [refLabel(ref)] : [];
  });
  return labels.length > 0 ? ` — ${labels.join(', ')}` : '';
}

/** The summary as Markdown, each item linked back to the messages it comes from. */
export function renderSummary(result: SummaryResult): string {
  const header = `**Summary of ${result.source}** — ${result.messageCount} message${result.messageCount === 1 ? '' : 's'}, ${result.participants.length} ${result.participants.length === 1 ? 'person' : 'people'}`;
  if (result.mode === 'direct') {
    if (result.messageCount === 0) return `There are no messages to summarize in ${result.source}.`;
    const [only] = result.excerpts;
    return `There is only one message in ${result.source}, nothing to summarize: “${only.text}” — ${only.author.name}`;
  }
  if (result.mode === 'extractive') {
    const lines = result.excerpts.map((m) => `• ${m.author.name}: “${m.text.length > 300 ? `${m.text.slice(0, 297)}…` : m.text}”${m.link ? ` ([link](${m.link}))` : ''}`);
    return [header, `_${result.note ?? ''}_`, ...lines].join('\n');
  }
  const s = result.summary;
  if (!s) return header;
  const section = (title: string, items: readonly SummaryItem[], format: (i: SummaryItem) => string = (i) => i.text) =>
    items.length === 0 ? [] : ['', `**${title}**`, ...items.map((i) => `• ${format(i)}${sources(i, result.refs)}`)];
  const lines = [
    header,
    '',
    `**TL;DR** ${s.tldr}`,
    ...section('Key points', s.keyPoints),
    ...section('Decisions', s.decisions),
    ...section('Action items', s.actionItems, (i) => {
      const a = i as (typeof s.actionItems)[number];
      const who = a.owner ? ` — **${a.owner}**` : '';
      const due = a.due ? ` (due ${a.due})` : '';
      return `${a.text}${who}${due}`;
    }),
    ...section('Open questions', s.openQuestions),
  ];
  if (result.capped) lines.push('', `_Older messages beyond the last ${result.messageCount} were left out (SUMMARY_MAX_MESSAGES)._`);
  if (result.note) lines.push('', `_${result.note}_`);
  return lines.join('\n');
}

